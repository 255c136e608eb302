//! What a referral asks of the parent, in the seed's words: the certificate prints it and the
//! screen shows it after «Жолдама алу», from this one place.

use crate::{Arg, Translator};
use baqsha_core::referral::{AdmissionDocument, ADMISSION_DOCUMENTS};
use chrono::NaiveDate;

/// The text id of an admission document (the seed's list, in its order).
pub fn admission_document_text(d: AdmissionDocument) -> &'static str {
    match d {
        AdmissionDocument::ParentIdentity => "doc-admission-1",
        AdmissionDocument::BirthCertificate => "doc-admission-2",
        AdmissionDocument::HealthPassport => "doc-admission-3",
        AdmissionDocument::HealthCertificate => "doc-admission-4",
        AdmissionDocument::SpecialNeedsConclusion => "doc-admission-5",
    }
}

/// A referral's terms, translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralTerms {
    /// How long it is valid, stated as the rule decides it (working days from issue), or the
    /// day it was extended to.
    pub validity: String,
    pub duties: Vec<String>,
    /// Only for an application that claims a benefit: it is confirmed at the department.
    pub benefit_note: Option<String>,
    pub documents_title: String,
    pub documents_intro: String,
    pub documents: Vec<String>,
}

/// What the referral's holder must do until `valid_until`.
pub struct Validity {
    pub working_days: u32,
    pub valid_until: NaiveDate,
    /// The once-only extension moved `valid_until`: the working days no longer describe it.
    pub extended: bool,
}

impl Translator {
    pub fn referral_terms(&self, validity: &Validity, benefit: bool) -> ReferralTerms {
        let date = validity.valid_until.format("%d.%m.%Y").to_string();
        let validity = if validity.extended {
            self.t_args("doc-referral-validity-extended", &[("date", Arg::Str(&date))])
        } else {
            self.t_args("doc-referral-validity", &[("days", Arg::Num(validity.working_days.into())), ("date", Arg::Str(&date))])
        };
        ReferralTerms {
            validity,
            duties: ["doc-referral-duty-1", "doc-referral-duty-2", "doc-referral-duty-3"].iter().map(|id| self.t(id)).collect(),
            benefit_note: benefit.then(|| self.t("doc-referral-benefit-note")),
            documents_title: self.t("doc-admission-documents"),
            documents_intro: self.t("doc-admission-intro"),
            documents: ADMISSION_DOCUMENTS.iter().map(|d| self.t(admission_document_text(*d))).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn validity_is_in_working_days_until_extended() {
        let t = Translator::new(Lang::Kk);
        let until = NaiveDate::from_ymd_opt(2026, 12, 11).unwrap();
        let terms = t.referral_terms(&Validity { working_days: 5, valid_until: until, extended: false }, false);
        assert!(terms.validity.contains("5 жұмыс күні") && terms.validity.contains("11.12.2026"), "{}", terms.validity);
        assert_eq!(terms.benefit_note, None);
        assert_eq!(terms.documents.len(), 5);
        assert!(terms.documents[4].contains("психологиялық-медициналық-педагогикалық"));
        let later = NaiveDate::from_ymd_opt(2026, 12, 30).unwrap();
        let extended = t.referral_terms(&Validity { working_days: 5, valid_until: later, extended: true }, true);
        assert!(!extended.validity.contains("жұмыс күні") && extended.validity.contains("30.12.2026"), "{}", extended.validity);
        assert!(extended.benefit_note.is_some());
    }

    #[test]
    fn an_edit_is_told_by_what_it_changed() {
        use baqsha_core::command::EditedField as F;
        let t = Translator::new(Lang::Kk);
        assert_eq!(t.history_what("edit_application", None, &[F::Phone, F::Address]), "Өтініш өзгертілді: негізгі ұялы телефон нөмірі, нақты тұрғылықты жері");
        assert_eq!(t.history_what("edit_application", None, &[]), "Өтініш өзгертілді");
        for lang in [Lang::Kk, Lang::Ru, Lang::En] {
            let t = Translator::new(lang);
            for f in [F::Phone, F::ExtraPhone, F::Email, F::Address, F::Preferences, F::Language, F::Benefit] {
                assert!(t.has(&format!("edited-{}", f.code())), "{lang:?} {f:?}");
            }
        }
    }

    #[test]
    fn every_language_has_the_terms() {
        for lang in [Lang::Kk, Lang::Ru, Lang::En] {
            let t = Translator::new(lang);
            for id in ["doc-referral-validity", "doc-referral-validity-extended", "doc-referral-benefit-note", "doc-admission-intro"] {
                assert!(t.has(id), "{id} in {lang:?}");
            }
            for d in ADMISSION_DOCUMENTS {
                assert!(t.has(admission_document_text(d)));
            }
        }
    }
}
