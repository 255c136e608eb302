//! The referral certificate («ТАҒАЙЫНДАУҒА АРНАЛҒАН АНЫҚТАМА — ЖОЛДАМА»): what the parent
//! carries to the kindergarten. Obligations and documents are the seed's own text.

use crate::layout::Doc;
use crate::DocumentError;
use baqsha_core::*;
use baqsha_i18n::{Arg, Lang, Translator, Validity};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, PartialEq)]
pub struct ReferralCertificate {
    pub region: String,
    pub department: String,
    pub number: String,
    pub issued_at: DateTime<Utc>,
    /// The last day it is valid: `valid_working_days` working days from issue by the core's
    /// calendar, or the day the once-only extension moved it to (`extended`).
    pub valid_until: NaiveDate,
    pub valid_working_days: u32,
    pub extended: bool,
    pub kindergarten: String,
    pub address: String,
    pub group: String,
    pub age: AgeBand,
    pub group_language: Language,
    pub child: Person,
    pub parent: Person,
    pub operator: String,
    pub benefit: Option<BenefitClaim>,
    /// The signed seal (see `baqsha_core::seal`), printed as a QR code.
    pub seal: String,
}

pub fn referral_certificate(c: &ReferralCertificate, lang: Lang) -> Result<Vec<u8>, DocumentError> {
    let t = Translator::new(lang);
    let title = t.t("doc-referral-title");
    let mut doc = Doc::new(&format!("{title} {}", c.number), vec![c.region.clone(), c.department.clone()])?;
    doc.title(&title, 15.0);
    doc.qr_corner(&c.seal, 40.0, &t.t("doc-referral-qr"))?;
    doc.paragraph(&t.t_args("doc-referral-number", &[("number", Arg::Str(&c.number))]), 12.0, true);
    doc.space(2.0);
    doc.field(&t.t("doc-issued-at"), &crate::certificate::when(c.issued_at));
    doc.field(&t.t("doc-valid-until"), &c.valid_until.format("%d.%m.%Y").to_string());

    doc.heading(&t.t("doc-kindergarten"));
    doc.field(&t.t("doc-kindergarten-name"), &c.kindergarten);
    doc.field(&t.t("passport-address"), &c.address);
    doc.field(&t.t("group-name"), &c.group);
    doc.field(&t.t("group-age"), &t.t_args("age-band", &[("from", Arg::Num(c.age.from_years.into())), ("to", Arg::Num(c.age.to_years.into()))]));
    doc.field(&t.t("doc-language"), &t.t(&format!("lang-{}", c.group_language.code())));

    doc.heading(&t.t("doc-child"));
    doc.field(&t.t("doc-full-name"), &c.child.full_name());
    doc.field(&t.t("doc-birth-date"), &c.child.birth_date().format("%d.%m.%Y").to_string());
    doc.field(&t.t("doc-iin"), c.child.iin.as_str());
    doc.heading(&t.t("doc-parent"));
    doc.field(&t.t("doc-full-name"), &c.parent.full_name());

    doc.heading(&t.t("doc-referral-terms"));
    let terms = t.referral_terms(&Validity { working_days: c.valid_working_days, valid_until: c.valid_until, extended: c.extended }, c.benefit.is_some());
    doc.paragraph(&terms.validity, 10.0, false);
    for duty in &terms.duties {
        doc.paragraph(&format!("– {duty}"), 10.0, false);
    }
    if let Some(note) = &terms.benefit_note {
        doc.space(1.0);
        doc.paragraph(note, 10.0, true);
    }
    doc.heading(&terms.documents_title);
    doc.paragraph(&terms.documents_intro, 10.0, false);
    for d in &terms.documents {
        doc.paragraph(&format!("– {d}"), 10.0, false);
    }
    doc.space(4.0);
    doc.field(&t.t("doc-issued-by"), &format!("{}, {}", c.department, c.operator));
    Ok(doc.finish())
}
