//! Printing and checking: the PDFs an office prints (lists, the application certificate,
//! the referral certificate with its seal) and the check of a seal. The documents crate
//! draws, the core signs and verifies; this module finds the data and the keys. Where a
//! PDF goes (a folder, a dialog, a viewer) is the shell's business.

use crate::files::document_name;
use crate::{allowed, in_reach, internal, Office, OrApi};
use baqsha_api::*;
use baqsha_core::command;
use baqsha_core::roles::{Operator, Read};
use baqsha_core::seal::{self, Issuer, SigningKey, Verdict};
use baqsha_core::*;
use baqsha_documents::{AllocationRow, BulletinRow, DistrictStatsRow, ListHeader, QueueRow, ReferralRow};
use baqsha_i18n::{Arg, Lang, Translator};
use std::path::Path;

/// A document ready to be saved: its bytes, its file name, and how many rows it lists.
pub struct PrintedFile {
    pub pdf: Vec<u8>,
    pub name: String,
    pub rows: u64,
}

/// The installation's signing key: 32 random bytes in `keys/referral-seal.key` beside the
/// database, created on first use. Outside the database on purpose: a copied or synced
/// database must not carry the power to sign.
pub(crate) fn signing_key(keys: &Path, office: &Office) -> Result<SigningKey, String> {
    let path = keys.join("referral-seal.key");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let secret: [u8; 32] = bytes.try_into().map_err(|_| format!("{} is not a 32-byte key", path.display()))?;
            Ok(seal::signing_key(&secret))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = [0u8; 32];
            office.inner.ids.fill(&mut secret).map_err(|e| format!("no randomness for a key: {e}"))?;
            if crate::files::create_private(&path, &secret).map_err(|e| format!("{}: {e}", path.display()))? {
                tracing::info!("created the referral signing key {}", path.display());
                Ok(seal::signing_key(&secret))
            } else {
                // Another window of this installation made it a moment ago: that one is the key.
                signing_key(keys, office)
            }
        }
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The issuers this installation trusts: itself, and the keys in `keys/trusted.txt`
/// (`name = key` per line; wave 2 fills it from the server).
fn issuers(keys: &Path, own: &SigningKey) -> Vec<Issuer> {
    let mut out = vec![Issuer { name: "self".into(), key: own.verifying_key() }];
    let trusted = std::fs::read_to_string(keys.join("trusted.txt"));
    if let Err(e) = &trusted {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!("keys/trusted.txt cannot be read ({e}): only this installation's own certificates are trusted");
        }
    }
    if let Ok(text) = trusted {
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            if let Some((name, key)) = line.split_once('=') {
                match seal::parse_public_key(key) {
                    Some(key) => out.push(Issuer { name: name.trim().to_string(), key }),
                    None => tracing::warn!("trusted.txt: not a public key for {}", name.trim()),
                }
            }
        }
    }
    out
}

/// The top of a list, in the document's language.
fn header(region: &RegionInfo, t: &Translator, lang: Lang, district: Option<&str>, printed_at: chrono::DateTime<chrono::Utc>) -> ListHeader {
    let pick = |kk: &str, ru: &str| if lang == Lang::Kk { kk.to_string() } else { ru.to_string() };
    let place = district.and_then(|d| region.districts.iter().find(|x| x.code == d));
    let department = match place {
        Some(d) => t.t_args("doc-department-of", &[("place", Arg::Str(&pick(&d.name_kk, &d.name_ru)))]),
        None => t.t("doc-department-region"),
    };
    let filters = place.map(|d| vec![format!("{}: {}", t.t("doc-col-district"), pick(&d.name_kk, &d.name_ru))]).unwrap_or_default();
    // Printed from the demo region, every page says so at its top: it is no office's paper.
    let name = pick(&region.name.kk, &region.name.ru);
    let region_line = if region.demo { format!("{} — {name}", t.t("doc-demo-mark")) } else { name };
    ListHeader { region: region_line, department, printed_at, filters }
}

/// A list's data, fetched before any drawing (the translator stays off the async path).
enum ListData<'a> {
    Bulletin { date: chrono::NaiveDate, district: Option<&'a str>, entries: Vec<BulletinEntry> },
    Referrals { from: chrono::NaiveDate, to: chrono::NaiveDate, district: Option<&'a str>, entries: Vec<ReferralEntry> },
    Queue { category: i32, district: Option<&'a str>, kindergarten: Option<(String, String)>, tier: Option<BenefitTier>, lines: Vec<QueueLine> },
    StatisticsPlaces { places: Vec<DistrictStats> },
    StatisticsAllocated { from: chrono::NaiveDate, to: chrono::NaiveDate, allocated: Vec<AllocationStats> },
}

impl Office {
    /// A printed list: «Бос орын бюллетені», «Алынған жолдамалар», a category's queue, or
    /// the statistics. Names are printed as initials with a masked IIN (the documents
    /// crate's job); staff print their own kindergarten's referrals only.
    pub async fn list_pdf(&self, op: &Operator, list: &PrintList, screen: Lang) -> Result<PrintedFile, ApiError> {
        let store = self.store();
        let region = self.region().await?;
        let data = match list {
            PrintList::Bulletin { date, district } => {
                in_reach(&[*date])?;
                ListData::Bulletin { date: *date, district: district.as_deref(), entries: store.bulletin(*date, self.today(), district.as_deref()).await.or_api("bulletin")? }
            }
            PrintList::Referrals { from, to, district } => {
                allowed(op, Read::IssuedReferrals)?;
                in_reach(&[*from, *to])?;
                let entries = store.issued_referrals(*from, *to, district.as_deref(), op.kindergarten).await.or_api("referrals")?;
                ListData::Referrals { from: *from, to: *to, district: district.as_deref(), entries }
            }
            PrintList::Queue { category, district, kindergarten, tier } => {
                let query = QueueQuery { category: *category, district: district.clone(), kindergarten: *kindergarten, tier: *tier, page: 0, page_size: 0 };
                let kindergarten = match kindergarten {
                    Some(k) => {
                        let k = store.passport(*k, self.today()).await.or_api("kindergarten")?.kindergarten;
                        Some((k.name_kk, k.name_ru))
                    }
                    None => None,
                };
                ListData::Queue {
                    category: *category,
                    district: district.as_deref(),
                    kindergarten,
                    tier: *tier,
                    lines: store.queue_filtered(&query, &Default::default()).await.or_api("queue")?,
                }
            }
            PrintList::StatisticsPlaces {} => ListData::StatisticsPlaces { places: store.district_stats().await.or_api("statistics")? },
            PrintList::StatisticsAllocated { from, to } => {
                in_reach(&[*from, *to])?;
                ListData::StatisticsAllocated { from: *from, to: *to, allocated: store.allocation_stats(*from, *to).await.or_api("statistics")? }
            }
        };
        let (pdf, name, rows) = draw_list(&region, data, screen.of_documents(), self.now()).map_err(|e| internal("document", e))?;
        Ok(PrintedFile { pdf, name, rows })
    }
}

fn draw_list(region: &RegionInfo, data: ListData, lang: Lang, now: chrono::DateTime<chrono::Utc>) -> Result<(Vec<u8>, String, u64), baqsha_documents::DocumentError> {
    let t = Translator::new(lang);
    let pick = |kk: &str, ru: &str| if lang == Lang::Kk { kk.to_string() } else { ru.to_string() };
    let district_name = |code: &str| region.districts.iter().find(|d| d.code == code).map_or_else(|| code.to_string(), |d| pick(&d.name_kk, &d.name_ru));
    match data {
        ListData::Bulletin { date, district, entries } => {
            let rows: Vec<BulletinRow> = entries
                .iter()
                .map(|e| BulletinRow {
                    district: district_name(&e.district),
                    kindergarten: pick(&e.kindergarten_name.kk, &e.kindergarten_name.ru),
                    group: e.group_name.clone(),
                    age: e.age,
                    language: e.language,
                    places: e.open_places,
                    published_on: e.published_on,
                    offered_to: e
                        .offers
                        .iter()
                        .map(|o| {
                            t.t_args(
                                "doc-offered-line",
                                &[("number", Arg::Str(&o.number)), ("position", Arg::Num(o.position as i64)), ("date", Arg::Str(&o.respond_by.format("%d.%m.%Y").to_string()))],
                            )
                        })
                        .collect(),
                })
                .collect();
            let pdf = baqsha_documents::vacancy_bulletin(&header(region, &t, lang, district, now), date, &rows, lang)?;
            Ok((pdf, document_name(&["byulleten", &date.format("%Y-%m-%d").to_string()]), rows.len() as u64))
        }
        ListData::Referrals { from, to, district, entries } => {
            let rows: Vec<ReferralRow> = entries
                .into_iter()
                .map(|e| ReferralRow {
                    kindergarten: pick(&e.kindergarten_name.kk, &e.kindergarten_name.ru),
                    number: e.number,
                    issued_at: e.issued_at,
                    group: e.group_name,
                    child: e.child,
                    status: e.status,
                    valid_until: e.valid_until,
                })
                .collect();
            let pdf = baqsha_documents::issued_referrals(&header(region, &t, lang, district, now), from, to, &rows, lang)?;
            Ok((pdf, document_name(&["zholdamalar", &from.format("%Y-%m-%d").to_string(), &to.format("%Y-%m-%d").to_string()]), rows.len() as u64))
        }
        ListData::Queue { category, district, kindergarten, tier, lines } => {
            let rows: Vec<QueueRow> = lines
                .into_iter()
                .map(|l| QueueRow { position: l.position, number: l.number, registered_at: l.registered_at, child: l.child, tier: l.tier, status: l.status })
                .collect();
            let today = command::desk_date(now);
            let mut h = header(region, &t, lang, district, now);
            // What is printed is what the screen shows: its filters are named on the page.
            if let Some((kk, ru)) = &kindergarten {
                h.filters.push(format!("{}: {}", t.t("doc-col-kindergarten"), pick(kk, ru)));
            }
            if let Some(tier) = tier {
                h.filters.push(format!("{}: {}", t.t("doc-col-tier"), t.t(&format!("tier-{}", tier.code()))));
            }
            let pdf = baqsha_documents::queue_list(&h, Category(category), today, &rows, lang)?;
            Ok((pdf, document_name(&["kezek", &category.to_string(), district.unwrap_or_default()]), rows.len() as u64))
        }
        ListData::StatisticsPlaces { places } => {
            let places: Vec<DistrictStatsRow> = places
                .into_iter()
                .map(|d| DistrictStatsRow {
                    district: pick(&d.name.kk, &d.name.ru),
                    state_kindergartens: d.state_kindergartens,
                    state_places: d.state_places,
                    private_kindergartens: d.private_kindergartens,
                    private_places: d.private_places,
                })
                .collect();
            let pdf = baqsha_documents::statistics_places(&header(region, &t, lang, None, now), &places, lang)?;
            Ok((pdf, document_name(&["statistika-oryndar", &command::desk_date(now).format("%Y-%m-%d").to_string()]), places.len() as u64))
        }
        ListData::StatisticsAllocated { from, to, allocated } => {
            let allocated: Vec<AllocationRow> =
                allocated.into_iter().map(|a| AllocationRow { kindergarten: pick(&a.name.kk, &a.name.ru), issued: a.issued, admitted: a.admitted }).collect();
            let pdf = baqsha_documents::statistics_allocated(&header(region, &t, lang, None, now), from, to, &allocated, lang)?;
            Ok((pdf, document_name(&["statistika", &from.format("%Y-%m-%d").to_string(), &to.format("%Y-%m-%d").to_string()]), allocated.len() as u64))
        }
    }
}

impl Office {
    /// «Жолдаманы тексеру»: a seal against the trusted issuers and, when it is ours, this
    /// database. It answers no names: whether the given IIN is the child's, at most.
    pub async fn check_seal(&self, _op: &Operator, text: &str, child_iin: Option<&str>) -> Result<ReferralCheck, ApiError> {
        let key = self.signing_key()?;
        let verdict = seal::verify(text, &issuers(&self.inner.keys, &key));
        // A demo seal is this desk's own only when this desk holds the demo.
        let demo_here = matches!(verdict, Verdict::Demo { .. }) && self.is_demo().await?;
        Ok(match verdict {
            Verdict::Valid { seal, issuer } => self.sealed_referral(seal, issuer, child_iin).await?,
            Verdict::Demo { seal } if demo_here => self.sealed_referral(seal, "demo".into(), child_iin).await?,
            Verdict::Demo { seal } => ReferralCheck::Demo { number: seal.number },
            Verdict::Tampered => ReferralCheck::Tampered,
            Verdict::UnknownIssuer { key_id } => ReferralCheck::UnknownIssuer { key_id },
            Verdict::NotASeal => ReferralCheck::NotASeal,
        })
    }

    /// A seal that verified, with what this database knows of its referral.
    async fn sealed_referral(&self, seal: seal::Seal, issuer: String, child_iin: Option<&str>) -> Result<ReferralCheck, ApiError> {
        let store = self.store();
        let passport = store.passport(seal.kindergarten, self.today()).await.ok();
        let group = passport.as_ref().and_then(|p| p.groups.iter().find(|g| g.group.id == seal.group)).map(|g| g.group.name.clone());
        let status = store.referral_status(&seal.number).await.map_err(|e| internal("referral status", e))?;
        Ok(ReferralCheck::Valid {
            expired: seal.valid_until < self.today(),
            child_matches: child_iin.filter(|s| !s.trim().is_empty()).map(|s| Iin::parse(s).is_ok_and(|iin| seal.is_for(&iin))),
            kindergarten_name: passport.map(|p| p.kindergarten.names()),
            group,
            status,
            number: seal.number,
            issuer,
            issued_on: seal.issued_on,
            valid_until: seal.valid_until,
        })
    }

    /// «Жолдаманы тексеру» with a scanned or photographed certificate (PNG or JPEG bytes):
    /// the first code on the page that is a seal decides.
    pub async fn check_seal_image(&self, op: &Operator, image: Vec<u8>, child_iin: Option<&str>) -> Result<ReferralCheck, ApiError> {
        let codes = match tokio::task::spawn_blocking(move || baqsha_documents::scan::read_codes(&image)).await {
            Ok(Ok(codes)) => codes,
            Ok(Err(e)) => {
                tracing::info!("unreadable image: {e}");
                return Ok(ReferralCheck::BadImage);
            }
            Err(e) => return Err(internal("image", e)),
        };
        let mut answer = ReferralCheck::NoCode;
        for code in codes {
            answer = self.check_seal(op, &code, child_iin).await?;
            if answer != ReferralCheck::NotASeal {
                break;
            }
        }
        Ok(answer)
    }

    /// The application certificate («Басып шығару»), with its position today and its history.
    pub async fn application_pdf(&self, op: &Operator, number: &str, screen: Lang) -> Result<PrintedFile, ApiError> {
        let store = self.store();
        let region = self.region().await?;
        let a = store.application_by_number(number).await.or_api("application")?;
        allowed(op, Read::Application { naming: &a.preferences })?;
        let first = a.preferences.first().copied();
        let view = store.application_view(a, &Default::default()).await.or_api("application view")?;
        let district = match first {
            Some(k) => store.passport(k, self.today()).await.ok().map(|p| p.district.code),
            None => None,
        };
        let lang = screen.of_documents();
        let t = Translator::new(lang);
        let h = header(&region, &t, lang, district.as_deref(), self.now());
        let pick = |n: &Names| if lang == Lang::Kk { n.kk.clone() } else { n.ru.clone() };
        let c = baqsha_documents::ApplicationCertificate {
            region: h.region,
            department: h.department,
            number: view.application.number.clone(),
            registered_at: view.application.registered_at,
            printed_at: self.now(),
            child: view.application.child.clone(),
            benefit: view.application.benefit.clone(),
            preferences: view.preferences.iter().map(pick).collect(),
            language: view.application.language,
            status: view.application.status,
            position: view.position,
            history: view.history.iter().map(|l| history_row(&t, l)).collect(),
        };
        let pdf = baqsha_documents::application_certificate(&c, lang).map_err(|e| internal("document", e))?;
        Ok(PrintedFile { pdf, name: document_name(&["otinish", &c.number]), rows: 1 })
    }

    /// The referral certificate («ТАҒАЙЫНДАУҒА АРНАЛҒАН АНЫҚТАМА — ЖОЛДАМА») with its seal:
    /// signed with this installation's key (the demo's with the demo key), the child's IIN in
    /// it only as a salted hash.
    pub async fn referral_pdf(&self, op: &Operator, number: &str, screen: Lang) -> Result<PrintedFile, ApiError> {
        let v = self.referral_by_number(op, number).await?.ok_or(ApiError::NotFound)?;
        let region = self.region().await?;
        let key = self.seal_key().await?;
        let mut salt = [0u8; 8];
        self.random(&mut salt)?;
        let r = &v.referral;
        let seal = seal::Seal::new(&r.number, r.kindergarten, r.group, command::desk_date(r.issued_at), r.valid_until, &v.child.iin, salt, &key.verifying_key());
        let lang = screen.of_documents();
        let district = self.store().passport(r.kindergarten, self.today()).await.ok().map(|p| p.district.code);
        // The translator is not Send: the PDF is made in one go, with no await inside.
        let pdf = {
            let t = Translator::new(lang);
            let kk = lang == Lang::Kk;
            let h = header(&region, &t, lang, district.as_deref(), self.now());
            let c = baqsha_documents::ReferralCertificate {
                region: h.region,
                department: h.department,
                number: r.number.clone(),
                issued_at: r.issued_at,
                valid_until: r.valid_until,
                valid_working_days: baqsha_core::calendar::ReferralRules::default().valid_working_days,
                extended: r.status == baqsha_core::ReferralStatus::Extended,
                kindergarten: if kk { v.kindergarten_name.kk.clone() } else { v.kindergarten_name.ru.clone() },
                address: if kk { v.address.kk.clone() } else { v.address.ru.clone() },
                group: v.group_name.clone(),
                age: v.age,
                group_language: v.group_language,
                child: v.child.clone(),
                parent: v.parent.clone(),
                operator: op.full_name.clone(),
                benefit: v.benefit.clone(),
                seal: seal::sign(&seal, &key),
            };
            baqsha_documents::referral_certificate(&c, lang).map_err(|e| internal("referral certificate", e))?
        };
        Ok(PrintedFile { pdf, name: document_name(&["zholdama", &r.number]), rows: 1 })
    }
}

/// A history line in the document's language.
fn history_row(t: &Translator, l: &HistoryLine) -> baqsha_documents::HistoryRow {
    baqsha_documents::HistoryRow { at: l.at, what: t.history_what(&l.kind, l.reason.as_deref(), &l.changed), who: l.author.clone() }
}
