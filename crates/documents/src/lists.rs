//! Printed lists: the vacancy bulletin of a date, issued referrals, the queue of one category.
//! Lists are public paper: people appear only as initials and a masked IIN, and the rows take
//! a `Person` so the masking happens here, not in every caller.

use crate::certificate::when;
use crate::layout::Doc;
use crate::DocumentError;
use baqsha_core::*;
use baqsha_i18n::{Arg, Lang, Translator};
use chrono::{DateTime, NaiveDate, Utc};

/// What every list has on top.
#[derive(Debug, Clone, PartialEq)]
pub struct ListHeader {
    pub region: String,
    pub department: String,
    pub printed_at: DateTime<Utc>,
    /// Filters in force, already in the document's language ("Өскемен қаласы", …).
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BulletinRow {
    pub district: String,
    pub kindergarten: String,
    pub group: String,
    pub age: AgeBand,
    pub language: Language,
    pub places: u32,
    pub published_on: NaiveDate,
    /// To whom its places are offered, as the screen's column says it (one line each).
    pub offered_to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReferralRow {
    pub number: String,
    pub issued_at: DateTime<Utc>,
    pub kindergarten: String,
    pub group: String,
    pub child: Person,
    pub status: ReferralStatus,
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueRow {
    pub position: u64,
    pub number: String,
    pub registered_at: DateTime<Utc>,
    pub child: Person,
    pub tier: BenefitTier,
    pub status: ApplicationStatus,
}

fn day(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Initials and a masked IIN: enough for a parent to find their line, not to identify a child.
fn masked(p: &Person) -> String {
    format!("{}\n{}", p.initials(), p.iin.masked())
}

fn begin(h: &ListHeader, title: &str, t: &Translator) -> Result<Doc, DocumentError> {
    let mut doc = Doc::new(title, vec![h.region.clone(), h.department.clone()])?;
    doc.title(title, 14.0);
    for f in &h.filters {
        doc.paragraph(f, 10.0, false);
    }
    doc.paragraph(&t.t_args("doc-list-printed", &[("when", Arg::Str(&when(h.printed_at)))]), 8.5, false);
    doc.space(2.0);
    Ok(doc)
}

fn table_or_empty(doc: &mut Doc, t: &Translator, headers: &[&str], widths: &[f32], rows: Vec<Vec<String>>) {
    if rows.is_empty() {
        doc.paragraph(&t.t("doc-list-empty"), 10.0, false);
        return;
    }
    let headers: Vec<String> = headers.iter().map(|h| t.t(h)).collect();
    doc.table(&headers, widths, &rows);
    doc.paragraph(&t.t_args("doc-list-total", &[("count", Arg::Num(rows.len() as i64))]), 9.0, true);
}

/// «Бос орын бюллетені» of one date.
pub fn vacancy_bulletin(h: &ListHeader, date: NaiveDate, rows: &[BulletinRow], lang: Lang) -> Result<Vec<u8>, DocumentError> {
    let t = Translator::new(lang);
    let title = t.t_args("doc-bulletin-title", &[("date", Arg::Str(&day(date)))]);
    let mut doc = begin(h, &title, &t)?;
    let body = rows
        .iter()
        .map(|r| {
            vec![
                r.district.clone(),
                r.kindergarten.clone(),
                r.group.clone(),
                t.t_args("age-band", &[("from", Arg::Num(r.age.from_years.into())), ("to", Arg::Num(r.age.to_years.into()))]),
                t.t(&format!("lang-{}", r.language.code())),
                r.places.to_string(),
                day(r.published_on),
                if r.offered_to.is_empty() { "—".to_string() } else { r.offered_to.join("\n") },
            ]
        })
        .collect();
    let headers = ["doc-col-district", "doc-col-kindergarten", "doc-col-group", "doc-col-age", "doc-col-language", "doc-col-places", "doc-col-published", "doc-col-offered-to"];
    table_or_empty(&mut doc, &t, &headers, &[20.0, 40.0, 18.0, 14.0, 16.0, 11.0, 23.0, 33.0], body);
    Ok(doc.finish())
}

/// «Алынған жолдамалар» of a period.
pub fn issued_referrals(h: &ListHeader, from: NaiveDate, to: NaiveDate, rows: &[ReferralRow], lang: Lang) -> Result<Vec<u8>, DocumentError> {
    let t = Translator::new(lang);
    let title = t.t_args("doc-referrals-title", &[("from", Arg::Str(&day(from))), ("to", Arg::Str(&day(to)))]);
    let mut doc = begin(h, &title, &t)?;
    let body = rows
        .iter()
        .map(|r| {
            vec![
                r.number.clone(),
                when(r.issued_at),
                format!("{}\n{}", r.kindergarten, r.group),
                masked(&r.child),
                t.t(&format!("doc-referral-status-{}", r.status.code())),
                day(r.valid_until),
            ]
        })
        .collect();
    let headers = ["doc-col-referral", "doc-col-issued", "doc-col-kindergarten", "doc-col-child", "doc-col-status", "doc-col-valid-until"];
    table_or_empty(&mut doc, &t, &headers, &[33.0, 26.0, 46.0, 26.0, 24.0, 20.0], body);
    Ok(doc.finish())
}

/// A district's line of the first statistics section.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictStatsRow {
    pub district: String,
    pub state_kindergartens: u32,
    pub state_places: u32,
    pub private_kindergartens: u32,
    pub private_places: u32,
}

/// A kindergarten's line of the second statistics section.
#[derive(Debug, Clone, PartialEq)]
pub struct AllocationRow {
    pub kindergarten: String,
    pub issued: u32,
    pub admitted: u32,
}

/// The first statistics section (the seed's 1.7): state and private kindergartens and their
/// places by district, with totals, followed by its bar chart.
pub fn statistics_places(h: &ListHeader, places: &[DistrictStatsRow], lang: Lang) -> Result<Vec<u8>, DocumentError> {
    let t = Translator::new(lang);
    let mut doc = begin(h, &t.t("st-places-title"), &t)?;
    let n = |v: u32| baqsha_i18n::number(v.into());
    let mut rows: Vec<Vec<String>> =
        places.iter().map(|r| vec![r.district.clone(), n(r.state_kindergartens), n(r.state_places), n(r.private_kindergartens), n(r.private_places)]).collect();
    let sum = |f: fn(&DistrictStatsRow) -> u32| n(places.iter().map(f).sum());
    rows.push(vec![t.t("st-total"), sum(|r| r.state_kindergartens), sum(|r| r.state_places), sum(|r| r.private_kindergartens), sum(|r| r.private_places)]);
    let of = |a: &str, b: &str| format!("{} — {}", t.t(a), t.t(b));
    let headers = [t.t("st-district"), of("st-state", "st-kindergartens"), of("st-state", "st-places"), of("st-private", "st-kindergartens"), of("st-private", "st-places")];
    doc.table(&headers, &[55.0, 30.0, 30.0, 30.0, 30.0], &rows);
    let series = [of("st-state", "st-places"), of("st-private", "st-places")];
    let chart: Vec<(String, Vec<u32>)> = places.iter().map(|r| (r.district.clone(), vec![r.state_places, r.private_places])).collect();
    doc.bars(&series, &chart);
    Ok(doc.finish())
}

/// The second statistics section (the seed's 1.8): places actually allocated to kindergartens
/// in a period — referrals issued and children admitted, with totals, and a chart of the 15
/// kindergartens with most referrals.
pub fn statistics_allocated(h: &ListHeader, from: NaiveDate, to: NaiveDate, allocated: &[AllocationRow], lang: Lang) -> Result<Vec<u8>, DocumentError> {
    let t = Translator::new(lang);
    let mut doc = begin(h, &t.t("st-alloc-title"), &t)?;
    let n = |v: u32| baqsha_i18n::number(v.into());
    doc.paragraph(&format!("{}: {} – {}", t.t("st-period"), day(from), day(to)), 10.0, false);
    if allocated.is_empty() {
        doc.paragraph(&t.t("st-none"), 10.0, false);
        return Ok(doc.finish());
    }
    let mut rows: Vec<Vec<String>> = allocated.iter().map(|r| vec![r.kindergarten.clone(), n(r.issued), n(r.admitted)]).collect();
    rows.push(vec![t.t("st-total"), n(allocated.iter().map(|r| r.issued).sum()), n(allocated.iter().map(|r| r.admitted).sum())]);
    doc.table(&[t.t("doc-col-kindergarten"), t.t("st-issued"), t.t("st-admitted")], &[115.0, 30.0, 30.0], &rows);
    let chart: Vec<(String, Vec<u32>)> = allocated.iter().take(15).map(|r| (r.kindergarten.clone(), vec![r.issued, r.admitted])).collect();
    doc.bars(&[t.t("st-issued"), t.t("st-admitted")], &chart);
    Ok(doc.finish())
}

/// «Өтініштер кезегі» of one category (birth year), in queue order.
pub fn queue_list(h: &ListHeader, category: Category, as_of: NaiveDate, rows: &[QueueRow], lang: Lang) -> Result<Vec<u8>, DocumentError> {
    let t = Translator::new(lang);
    let title = t.t_args("doc-queue-title", &[("year", Arg::Str(&category.0.to_string())), ("date", Arg::Str(&day(as_of)))]);
    let mut doc = begin(h, &title, &t)?;
    let body = rows
        .iter()
        .map(|r| {
            vec![
                r.position.to_string(),
                r.number.clone(),
                when(r.registered_at),
                masked(&r.child),
                t.t(&format!("tier-{}", r.tier.code())),
                t.t(&format!("doc-status-{}", r.status.code())),
            ]
        })
        .collect();
    let headers = ["doc-col-position", "doc-col-number", "doc-col-registered", "doc-col-child", "doc-col-tier", "doc-col-status"];
    table_or_empty(&mut doc, &t, &headers, &[16.0, 34.0, 30.0, 28.0, 32.0, 35.0], body);
    Ok(doc.finish())
}
