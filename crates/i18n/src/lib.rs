//! Every string people read, in Kazakh (first), Russian and English.
//!
//! One fluent file per language, compiled into the binary; shared by the UI and, later,
//! the documents. Numbers and dates are formatted in Rust (fluent's NUMBER ignores locale).

use baqsha_core::{EmailError, IinError, PhoneError};
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

pub use baqsha_core::Lang;

mod referral;
pub use referral::{admission_document_text, ReferralTerms, Validity};

/// The fluent file of a language.
fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => include_str!("../locales/kk.ftl"),
        Lang::Ru => include_str!("../locales/ru.ftl"),
        Lang::En => include_str!("../locales/en.ftl"),
    }
}

pub struct Translator {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

/// A value to put into a message.
pub enum Arg<'a> {
    Str(&'a str),
    Num(i64),
}

impl Translator {
    pub fn new(lang: Lang) -> Translator {
        let langid = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new(vec![langid]);
        // Isolation marks show as boxes in PDFs and confuse tests; our texts are one direction.
        bundle.set_use_isolating(false);
        // Numbers in messages as in tables (`number`); plural choices still see the number.
        bundle.set_formatter(Some(|v, _| match v {
            FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() >= 10_000.0 => {
                let grouped = number(n.value.abs() as u64);
                Some(if n.value < 0.0 { format!("-{grouped}") } else { grouped })
            }
            _ => None,
        }));
        // The files are ours and checked by tests; a broken entry degrades to its id.
        let resource = FluentResource::try_new(source(lang).to_string()).unwrap_or_else(|(partial, _)| partial);
        let _ = bundle.add_resource(resource);
        Translator { lang, bundle }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn t(&self, id: &str) -> String {
        self.t_args(id, &[])
    }

    pub fn t_args(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            match v {
                Arg::Str(s) => fa.set(*k, FluentValue::from(*s)),
                Arg::Num(n) => fa.set(*k, FluentValue::from(*n)),
            }
        }
        let mut errors = vec![];
        self.bundle.format_pattern(pattern, Some(&fa), &mut errors).into_owned()
    }

    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message for an IIN that broke a rule, naming the rule.
    pub fn iin_error(&self, e: &IinError) -> String {
        match e {
            IinError::Length { found } => self.t_args("iin-length", &[("found", Arg::Num(*found as i64))]),
            IinError::NonDigit => self.t("iin-non-digit"),
            IinError::CenturyDigit { found } => self.t_args("iin-century", &[("found", Arg::Num(*found as i64))]),
            IinError::ImpossibleDate => self.t("iin-date"),
            IinError::CheckDigit { expected, .. } => self.t_args("iin-check", &[("expected", Arg::Num(*expected as i64))]),
            IinError::NeverIssued => self.t("iin-never-issued"),
        }
    }

    pub fn phone_error(&self, e: &PhoneError) -> String {
        match e {
            PhoneError::Empty => self.t("phone-empty"),
            PhoneError::InvalidCharacters => self.t("phone-characters"),
            PhoneError::WrongLength { digits } => self.t_args("phone-length", &[("digits", Arg::Num(*digits as i64))]),
            PhoneError::WrongCountry => self.t("phone-country"),
            PhoneError::NotMobile { prefix } => self.t_args("phone-not-mobile", &[("prefix", Arg::Str(prefix))]),
        }
    }

    /// Why a command was refused by the rules, for the person at the desk.
    pub fn rule_error(&self, e: &baqsha_core::command::RuleError) -> String {
        use baqsha_core::command::RuleError as R;
        let n = |v: u64| Arg::Num(v as i64);
        let day = |d: &chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
        match e {
            R::ZeroCapacity => self.t("rule-zero-capacity"),
            R::OverEnrolled { enrolled, capacity } => self.t_args("rule-over-enrolled", &[("enrolled", n((*enrolled).into())), ("capacity", n((*capacity).into()))]),
            R::BadAgeBand { from, to } => self.t_args("rule-age-band", &[("from", n((*from).into())), ("to", n((*to).into()))]),
            R::NoPlaces => self.t("rule-no-places"),
            R::MorePlacesThanFree { requested, free } => self.t_args("rule-more-than-free", &[("requested", n((*requested).into())), ("free", n((*free).into()))]),
            R::GroupOfAnotherKindergarten => self.t("rule-other-kindergarten"),
            R::SchoolAge { policy_date } => self.t_args("rule-school-age", &[("date", Arg::Str(&day(policy_date)))]),
            R::NotBornYet => self.t("rule-not-born"),
            R::Duplicate { number } => self.t_args("rule-duplicate", &[("number", Arg::Str(number))]),
            R::NoConsent => self.t("rule-no-consent"),
            R::TooManyPreferences { max } => self.t_args("rule-too-many-preferences", &[("max", n(*max as u64))]),
            R::NoPreferences => self.t("rule-no-preferences"),
            R::ImplausibleParent { birth } => self.t_args("rule-implausible-parent", &[("date", Arg::Str(&day(birth)))]),
            R::Transition(t) => self.t_args("rule-transition", &[("status", Arg::Str(&self.t(&format!("doc-status-{}", t.from)))), ("event", Arg::Str(t.event))]),
            R::EmptyName => self.t("rule-empty-name"),
            R::NoAddress => self.t("rule-no-address"),
            R::ReasonRequired => self.t("rule-reason-required"),
            R::BadDocument => self.t("rule-bad-document"),
            R::ContactNotConfirmed { target } => self.t_args("rule-contact-not-confirmed", &[("target", Arg::Str(target))]),
            R::ProofRequired => self.t("rule-proof-required"),
            R::TooManyProofs { max } => self.t_args("rule-too-many-proofs", &[("max", n(*max as u64))]),
            R::NoPendingBenefit => self.t("rule-no-pending-benefit"),
            R::PlaceTaken => self.t("rule-place-taken"),
            R::PlaceDoesNotFit => self.t("rule-place-does-not-fit"),
            R::Calendar => self.t("rule-calendar"),
            R::KurbanAitOutsideYear { year } => self.t_args("rule-kurban-ait-outside-year", &[("year", Arg::Str(&year.to_string()))]),
            R::OwnAccount => self.t("rule-own-account"),
            R::BadLogin => self.t("rule-bad-login"),
            R::StaffKindergarten => self.t("rule-staff-kindergarten"),
            R::ClockBehind { newest } => {
                let shown = crate::desk_when(*newest);
                self.t_args("rule-clock-behind", &[("when", Arg::Str(&shown))])
            }
            R::PublicationPaused { from, to } => self.t_args("rule-publication-paused", &[("from", Arg::Str(&day(from))), ("to", Arg::Str(&day(to)))]),
            R::NotYourTurn => self.t("rule-not-your-turn"),
            R::Extension(x) => match x {
                baqsha_core::calendar::ExtensionError::AlreadyExtended => self.t("rule-extension-once"),
                baqsha_core::calendar::ExtensionError::NotLater => self.t("rule-extension-not-later"),
                baqsha_core::calendar::ExtensionError::BeyondLimit { latest } => self.t_args("rule-extension-beyond", &[("date", Arg::Str(&day(latest)))]),
            },
            R::NotExpired { valid_until } => self.t_args("rule-not-expired", &[("date", Arg::Str(&day(valid_until)))]),
            R::ReferralLapsed { valid_until } => self.t_args("rule-referral-lapsed", &[("date", Arg::Str(&day(valid_until)))]),
            R::ReferralMismatch => self.t("rule-referral-mismatch"),
            R::BadSetting { setting } => self.t(&format!("rule-bad-setting-{setting}")),
            R::DocumentsMissing { missing } => self.t_args("rule-documents-missing", &[("count", n(missing.len() as u64))]),
            R::GroupChanged { enrolled } => self.t_args("rule-group-changed", &[("enrolled", n((*enrolled).into()))]),
            R::LeaseNotCurrent { ended } => self.t_args("rule-lease-not-current", &[("when", Arg::Str(&crate::desk_when(*ended)))]),
            R::LeaseSpent => self.t("rule-lease-spent"),
            R::LeaseMismatch => self.t("rule-lease-mismatch"),
            R::PlacesPromised { enrolled, promised, capacity } => {
                self.t_args("rule-places-promised", &[("enrolled", n((*enrolled).into())), ("promised", n((*promised).into())), ("capacity", n((*capacity).into()))])
            }
        }
    }

    pub fn code_error(&self, e: &baqsha_core::codes::CodeError) -> String {
        use baqsha_core::codes::CodeError as C;
        match e {
            C::TooSoon { seconds } => self.t_args("code-too-soon", &[("seconds", Arg::Num(*seconds))]),
            C::Wrong { left } => self.t_args("code-wrong", &[("left", Arg::Num((*left).into()))]),
            C::Expired => self.t("code-expired"),
            C::TooManyTries => self.t("code-too-many"),
            C::Locked { minutes } => self.t_args("code-locked", &[("minutes", Arg::Num(*minutes))]),
            C::NotSent => self.t("code-not-sent"),
        }
    }

    pub fn proof_error(&self, e: &baqsha_core::proof::ProofError) -> String {
        use baqsha_core::proof::{FileKind, ProofError as P};
        let mb = |b: u64| format!("{:.1}", b as f64 / 1_048_576.0);
        match e {
            P::NotJpeg { kind } => {
                let k = match kind {
                    FileKind::Pdf => "proof-kind-pdf",
                    FileKind::Png => "proof-kind-png",
                    FileKind::Gif => "proof-kind-gif",
                    FileKind::Webp => "proof-kind-webp",
                    FileKind::Heic => "proof-kind-heic",
                    FileKind::Other => "proof-kind-other",
                };
                self.t_args("proof-not-jpeg", &[("kind", Arg::Str(&self.t(k)))])
            }
            P::TooLarge { size, max } => self.t_args("proof-too-large", &[("size", Arg::Str(&mb(*size))), ("max", Arg::Num((*max / 1_048_576) as i64))]),
            P::Empty => self.t("proof-empty"),
            P::TooMany { max } => self.t_args("proof-too-many", &[("max", Arg::Num(*max as i64))]),
        }
    }

    pub fn email_error(&self, e: &EmailError) -> String {
        self.t(match e {
            EmailError::Empty => "email-empty",
            EmailError::At => "email-at",
            EmailError::Local => "email-local",
            EmailError::Domain => "email-domain",
            EmailError::TooLong => "email-too-long",
        })
    }
}

/// An instant as the desk reads it (UTC+5): `03.12.2026 17:40`.
pub fn desk_when(at: chrono::DateTime<chrono::Utc>) -> String {
    baqsha_core::command::desk_time(at).format("%d.%m.%Y %H:%M").to_string()
}

/// A count as kk/ru readers write it in tables and texts: five digits and more in groups of
/// three (`10 075`); four read whole (`2026`, `1589`), as both languages print them.
pub fn number(n: u64) -> String {
    if n >= 10_000 {
        group_thousands(n)
    } else {
        n.to_string()
    }
}

/// Formats a whole number in groups of three (`12 000`), with no-break spaces.
pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// Message ids of one language file, for the completeness test and tooling.
pub fn message_ids(lang: Lang) -> Vec<String> {
    let res = FluentResource::try_new(source(lang).to_string()).unwrap_or_else(|(partial, _)| partial);
    res.entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_has_every_message() {
        for l in Lang::ALL {
            assert!(FluentResource::try_new(source(l).to_string()).is_ok(), "{l:?} has syntax errors");
        }
        let kk = message_ids(Lang::Kk);
        assert!(kk.len() > 100);
        for l in [Lang::Ru, Lang::En] {
            let other = message_ids(l);
            for id in &kk {
                assert!(other.contains(id), "{id} missing in {l:?}");
            }
            for id in &other {
                assert!(kk.contains(id), "{id} missing in Kk");
            }
        }
    }

    #[test]
    fn kazakh_labels_use_the_seed_words() {
        let t = Translator::new(Lang::Kk);
        assert_eq!(t.t("nav-registry"), "Балабақшалар тізімі");
        assert_eq!(t.t("view-map"), "Картада");
        assert_eq!(t.t("passport-title"), "Балабақша паспорты");
        assert_eq!(t.t("filter-language"), "Тәрбиелеу тілі");
    }

    #[test]
    fn russian_plurals() {
        let t = Translator::new(Lang::Ru);
        assert_eq!(t.t_args("results-count", &[("total", Arg::Num(1))]), "Найден 1 детский сад");
        assert_eq!(t.t_args("results-count", &[("total", Arg::Num(3))]), "Найдено 3 детских сада");
        assert_eq!(t.t_args("results-count", &[("total", Arg::Num(150))]), "Найдено 150 детских садов");
        assert_eq!(t.t_args("places", &[("n", Arg::Num(21))]), "21 место");
        let k = Translator::new(Lang::Kk);
        assert_eq!(k.t_args("places", &[("n", Arg::Num(5))]), "5 орын");
    }

    #[test]
    fn no_isolation_marks() {
        let t = Translator::new(Lang::Kk);
        let s = t.t_args("map-shown", &[("n", Arg::Num(7))]);
        assert!(!s.contains('\u{2068}') && !s.contains('\u{2069}'), "{s:?}");
    }

    #[test]
    fn invalid_iin_and_phone_name_the_rule_in_each_language() {
        let e = IinError::CheckDigit { expected: 7, found: 8 };
        assert!(Translator::new(Lang::Kk).iin_error(&e).contains("бақылау цифры"));
        assert!(Translator::new(Lang::Ru).iin_error(&e).contains("Контрольная цифра"));
        assert!(Translator::new(Lang::En).iin_error(&e).contains("check digit"));
        let e = baqsha_core::Iin::parse("821214240092").unwrap_err();
        assert!(Translator::new(Lang::Kk).iin_error(&e).contains("берілмейді"));
        let p = baqsha_core::Phone::parse("8 7232 12 34 56").unwrap_err();
        assert_eq!(Translator::new(Lang::Ru).phone_error(&p), "723 — не код мобильного оператора.");
        for l in Lang::ALL {
            let t = Translator::new(l);
            for bad in ["", "1234", "abc", "871308401427", "871008701427"] {
                let msg = t.iin_error(&baqsha_core::Iin::parse(bad).unwrap_err());
                assert!(!msg.starts_with("iin-"), "{l:?}: untranslated {msg}");
            }
        }
    }

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(12000), "12\u{a0}000");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000_000), "1\u{a0}000\u{a0}000");
        assert_eq!((number(10075), number(2026)), ("10\u{a0}075".to_string(), "2026".to_string()));
        // In a message too, and the plural still chooses by the number.
        let ru = Translator::new(Lang::Ru);
        let text = ru.t_args("bl-offer-why", &[("total", Arg::Num(10075)), ("ahead", Arg::Num(3))]);
        assert!(text.contains("10\u{a0}075"), "{text}");
    }
}

impl Translator {
    /// A history line's words: what happened, with a reason, or what an edit changed.
    pub fn history_what(&self, kind: &str, reason: Option<&str>, changed: &[baqsha_core::command::EditedField]) -> String {
        let id = format!("history-{kind}");
        let what = if self.has(&id) { self.t(&id) } else { kind.to_string() };
        if let Some(r) = reason {
            return format!("{what}: {r}");
        }
        if changed.is_empty() {
            return what;
        }
        let fields: Vec<String> = changed.iter().map(|f| self.t(&format!("edited-{}", f.code()))).collect();
        format!("{what}: {}", fields.join(", "))
    }
}

/// The language parents are written to: Russian for an application for Russian groups,
/// else Kazakh.
pub fn parents_language(language: baqsha_core::Language) -> Lang {
    if language == baqsha_core::Language::Ru {
        Lang::Ru
    } else {
        Lang::Kk
    }
}

/// What a parent is told by SMS about a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceSms {
    /// A place is offered; `day` is the last day to answer.
    Offer,
    /// A referral was issued; `day` is its last valid day.
    Referral,
    /// A referral was not used by its last day (`day`): the place goes to the next child.
    Expired,
}

/// The SMS about places, in the parents' languages: the two translators are made once (a
/// round writes thousands of messages).
pub struct PlaceTexts {
    kk: Translator,
    ru: Translator,
}

impl Default for PlaceTexts {
    fn default() -> Self {
        PlaceTexts { kk: Translator::new(Lang::Kk), ru: Translator::new(Lang::Ru) }
    }
}

impl PlaceTexts {
    /// The SMS about a place, in the parents' language, naming the kindergarten in it (the
    /// desk and the region's server send the same words).
    pub fn sms(&self, kind: PlaceSms, language: baqsha_core::Language, number: &str, kindergarten_kk: &str, kindergarten_ru: &str, day: chrono::NaiveDate) -> String {
        let ru = parents_language(language) == Lang::Ru;
        let (t, kindergarten) = if ru { (&self.ru, kindergarten_ru) } else { (&self.kk, kindergarten_kk) };
        let day = day.format("%d.%m.%Y").to_string();
        let key = match kind {
            PlaceSms::Offer => "msg-offer-sms",
            PlaceSms::Referral => "msg-referral-sms",
            PlaceSms::Expired => "msg-referral-expired-sms",
        };
        t.t_args(key, &[("number", Arg::Str(number)), ("kindergarten", Arg::Str(kindergarten)), ("date", Arg::Str(&day))])
    }
}
