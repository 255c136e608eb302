use baqsha_api::{ApiError, SaveProblem, StartupProblem};
use baqsha_core::{KindergartenKind, Language, Names};
use baqsha_i18n::{Arg, Lang, Translator};
use std::rc::Rc;
use yew::prelude::*;

/// The language of the interface, shared with every component.
#[derive(Clone)]
pub struct I18n {
    pub lang: Lang,
    pub tr: Rc<Translator>,
    pub set_lang: Callback<Lang>,
}

impl PartialEq for I18n {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
    }
}

impl I18n {
    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }
    pub fn n(&self, id: &str, key: &str, n: i64) -> String {
        self.tr.t_args(id, &[(key, Arg::Num(n))])
    }
    pub fn language(&self, l: Language) -> String {
        self.t(&format!("lang-{}", l.code()))
    }
    pub fn kind(&self, k: KindergartenKind) -> String {
        self.t(&format!("kind-{}", k.code()))
    }
    /// A name or an address in the screen's language.
    pub fn name<'a>(&self, n: &'a Names) -> &'a str {
        n.get(self.lang)
    }
    /// Picks the kk or ru form of a name: English readers get the Russian one.
    pub fn pick<'a>(&self, kk: &'a str, ru: &'a str) -> &'a str {
        match self.lang {
            Lang::Kk => kk,
            Lang::Ru | Lang::En => ru,
        }
    }
    pub fn pick3<'a>(&self, kk: &'a str, ru: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
    /// An error as a sentence for the person at the desk.
    pub fn error(&self, e: &ApiError) -> String {
        match e {
            ApiError::BadCredentials => self.t("error-bad-credentials"),
            ApiError::PasswordChange => self.t("error-password-change"),
            ApiError::SignInWait { seconds } => self.tr.t_args("error-sign-in-wait", &[("minutes", Arg::Num((seconds + 59) / 60))]),
            ApiError::NotSignedIn => self.t("error-not-signed-in"),
            ApiError::Denied => self.t("error-denied"),
            ApiError::NotFound => self.t("error-not-found"),
            // A field's code is the program's name for it: shown only through its label.
            ApiError::InvalidInput { field } => match format!("field-{field}") {
                label if self.tr.has(&label) => self.tr.t_args("error-invalid-input", &[("field", Arg::Str(&self.t(&label)))]),
                _ => self.t("error-invalid-input-any"),
            },
            ApiError::Rule { rule } => self.tr.rule_error(rule),
            ApiError::Code { error } => self.tr.code_error(error),
            ApiError::Proof { proof } => self.tr.proof_error(proof),
            ApiError::Phone { error } => self.tr.phone_error(error),
            ApiError::Email { error } => self.tr.email_error(error),
            ApiError::Iin { error } => self.tr.iin_error(error),
            ApiError::Internal => self.t("error-internal"),
            ApiError::Offline => self.t("error-offline"),
            ApiError::RegionRefused { reason } => self.tr.t_args("error-region-refused", &[("reason", Arg::Str(&crate::sync::reason(self, reason)))]),
            ApiError::NotBaqshaServer => self.t("error-not-baqsha-server"),
            ApiError::ChangesWaiting { count } => self.tr.t_args("error-changes-waiting", &[("n", Arg::Num(*count as i64))]),
            ApiError::ServerVersion { spoken } => {
                let spoken = spoken.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                self.tr.t_args("error-server-version", &[("spoken", Arg::Str(&spoken))])
            }
            ApiError::Cancelled => self.t("error-cancelled"),
            ApiError::SaveFailed { path, problem, detail } => {
                let id = match problem {
                    SaveProblem::Denied => "error-save-denied",
                    SaveProblem::DiskFull => "error-save-disk-full",
                    SaveProblem::Other => "error-save-failed",
                };
                self.tr.t_args(id, &[("path", Arg::Str(path)), ("detail", Arg::Str(detail))])
            }
            ApiError::Startup { problem, path, detail } => {
                let id = match problem {
                    StartupProblem::NotDatabase => "startup-not-database",
                    StartupProblem::Corrupt => "startup-corrupt",
                    StartupProblem::Newer => "startup-newer",
                    StartupProblem::Other => "startup-other",
                };
                self.tr.t_args(id, &[("path", Arg::Str(path)), ("detail", Arg::Str(detail))])
            }
        }
    }
}

#[hook]
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n { lang: Lang::Kk, tr: Rc::new(Translator::new(Lang::Kk)), set_lang: Callback::noop() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_that_could_not_be_written_says_what_to_do_in_the_operators_language() {
        let kk = I18n { lang: Lang::Kk, tr: Rc::new(Translator::new(Lang::Kk)), set_lang: Callback::noop() };
        let failed = |problem| ApiError::SaveFailed { path: "C:\\Құжаттар".into(), problem, detail: "Access is denied. (os error 5)".into() };
        let denied = kk.error(&failed(SaveProblem::Denied));
        assert!(denied.contains("рұқсат жоқ") && denied.contains("Құжаттар") && !denied.contains("Access"), "{denied}");
        assert!(kk.error(&failed(SaveProblem::DiskFull)).contains("дискіде орын жоқ"));
        // Anything else keeps the system's own words: they are all there is to go on.
        assert!(kk.error(&failed(SaveProblem::Other)).contains("Access is denied"));
        // An older shell's answer, without the problem, still reads.
        let old: ApiError = serde_json::from_str(r#"{"code":"save_failed","path":"D:\\x","detail":"boom"}"#).unwrap();
        assert!(kk.error(&old).contains("boom"));
    }

    #[test]
    fn a_refused_field_is_named_by_its_label_never_by_its_code() {
        for lang in Lang::ALL {
            let i18n = I18n { lang, tr: Rc::new(Translator::new(lang)), set_lang: Callback::noop() };
            for field in ["iin", "date", "target", "seal", "kindergarten", "proof", "number", "some_new_field"] {
                let text = i18n.error(&ApiError::InvalidInput { field: field.into() });
                assert!(!text.contains(field) && !text.contains("field-"), "{lang:?} shows the code «{field}»: {text}");
            }
        }
        let kk = I18n { lang: Lang::Kk, tr: Rc::new(Translator::new(Lang::Kk)), set_lang: Callback::noop() };
        assert_eq!(kk.error(&ApiError::InvalidInput { field: "date".into() }), "«Күні» өрісі дұрыс толтырылмаған.");
        // A short phone for a code is told the phone's rule, as «Әрі қарай» tells it.
        let phone = kk.error(&ApiError::Phone { error: baqsha_core::PhoneError::WrongLength { digits: 7 } });
        assert_eq!(phone, kk.tr.phone_error(&baqsha_core::PhoneError::WrongLength { digits: 7 }));
        assert!(phone.contains("11"), "{phone}");
        let iin = kk.error(&ApiError::Iin { error: baqsha_core::IinError::Length { found: 5 } });
        assert!(iin.contains("12") && iin.contains('5'), "{iin}");
    }
}
