//! The application certificate (the seed's «Басып шығару» in «Кезекті тексеру»).

use crate::layout::{Doc, CONTENT_W};
use crate::DocumentError;
use baqsha_core::queue::Explanation;
use baqsha_core::*;
use baqsha_i18n::{Arg, Lang, Translator};
use chrono::{DateTime, Utc};

/// One movement of the application, as its history shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub at: DateTime<Utc>,
    /// Already in the document's language.
    pub what: String,
    pub who: String,
}

/// Everything the certificate shows; the caller gathers it (store) and decides the language.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationCertificate {
    pub region: String,
    pub department: String,
    pub number: String,
    pub registered_at: DateTime<Utc>,
    pub printed_at: DateTime<Utc>,
    pub child: Person,
    pub benefit: Option<BenefitClaim>,
    /// Names of the preferred kindergartens, most wanted first.
    pub preferences: Vec<String>,
    pub language: Language,
    pub status: ApplicationStatus,
    /// The position on the printing date (none when the application has left the queue).
    pub position: Option<Explanation>,
    pub history: Vec<HistoryRow>,
}

/// Desk time as people write it: `25.11.2026 14:05`.
pub(crate) fn when(t: DateTime<Utc>) -> String {
    baqsha_core::command::desk_time(t).format("%d.%m.%Y %H:%M").to_string()
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

pub fn application_certificate(c: &ApplicationCertificate, lang: Lang) -> Result<Vec<u8>, DocumentError> {
    let t = Translator::new(lang);
    let title = t.t("doc-application-title");
    let mut doc = Doc::new(&format!("{title} {}", c.number), vec![c.region.clone(), c.department.clone()])?;
    doc.title(&title, 15.0);
    doc.paragraph(&t.t_args("doc-application-number", &[("number", Arg::Str(&c.number))]), 12.0, true);
    doc.space(2.0);

    doc.field(&t.t("doc-registered-at"), &when(c.registered_at));
    doc.field(&t.t("doc-status"), &t.t(&format!("doc-status-{}", c.status.code())));
    doc.field(&t.t("doc-category"), &Category::of(c.child.birth_date()).0.to_string());

    doc.heading(&t.t("doc-child"));
    doc.field(&t.t("doc-full-name"), &c.child.full_name());
    doc.field(&t.t("doc-birth-date"), &day(c.child.birth_date()));
    doc.field(&t.t("doc-iin"), c.child.iin.as_str());

    doc.heading(&t.t("doc-wishes"));
    for (i, k) in c.preferences.iter().enumerate() {
        doc.field(&t.t_args("doc-preference", &[("n", Arg::Num(i as i64 + 1))]), k);
    }
    doc.field(&t.t("doc-language"), &t.t(&format!("lang-{}", c.language.code())));
    let benefit = match &c.benefit {
        None => t.t("doc-benefit-none"),
        Some(b) => format!("{} — {}", t.t(&format!("benefit-{}", b.kind.code())), t.t(&format!("doc-verification-{}", b.verification.code()))),
    };
    doc.field(&t.t("doc-benefit"), &benefit);

    doc.heading(&t.t_args("doc-position-on", &[("date", Arg::Str(&day(desk(c.printed_at))))]));
    match &c.position {
        Some(p) => {
            doc.field(&t.t("doc-position"), &p.position.to_string());
            doc.paragraph(
                &t.t_args(
                    "doc-position-why",
                    &[
                        ("ahead", Arg::Num(p.position.saturating_sub(1) as i64)),
                        ("outOfTurn", Arg::Num(p.ahead_out_of_turn as i64)),
                        ("priority", Arg::Num(p.ahead_priority as i64)),
                        ("general", Arg::Num(p.ahead_general as i64)),
                    ],
                ),
                10.0,
                false,
            );
        }
        None => doc.paragraph(&t.t("doc-position-none"), 10.0, false),
    }

    doc.heading(&t.t("doc-history"));
    let headers = [t.t("doc-history-when"), t.t("doc-history-what"), t.t("doc-history-who")];
    let widths = [32.0, CONTENT_W - 32.0 - 55.0, 55.0];
    let rows: Vec<Vec<String>> = c.history.iter().map(|h| vec![when(h.at), h.what.clone(), h.who.clone()]).collect();
    doc.table(&headers, &widths, &rows);
    doc.space(4.0);
    doc.paragraph(&t.t_args("doc-printed-at", &[("when", Arg::Str(&when(c.printed_at)))]), 8.5, false);
    Ok(doc.finish())
}

fn desk(t: DateTime<Utc>) -> chrono::NaiveDate {
    baqsha_core::command::desk_date(t)
}
