//! Printing (PDF into the documents folder, opened in the system viewer) and checking
//! referral seals. The documents crate draws; the core signs and verifies; this file only
//! finds data, keys and folders.

use crate::state::{internal, AppState};
use baqsha_api::*;
use baqsha_core::seal::{self, Issuer, SigningKey, Verdict};
use baqsha_core::*;
use baqsha_documents::{AllocationRow, BulletinRow, DistrictStatsRow, ListHeader, QueueRow, ReferralRow};
use baqsha_i18n::{Arg, Lang, Translator};
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager};

/// Where printed documents go: `--documents=PATH` or `BAQSHA_DOCUMENTS` (tests, a shared
/// folder), else Documents\\Baqsha, else Baqsha in the home folder.
pub fn documents_dir(app: &AppHandle) -> PathBuf {
    if let Some(p) = std::env::args().find_map(|a| a.strip_prefix("--documents=").map(PathBuf::from)) {
        return p;
    }
    if let Some(p) = std::env::var_os("BAQSHA_DOCUMENTS") {
        return p.into();
    }
    if let Ok(d) = app.path().document_dir() {
        return d.join("Baqsha");
    }
    match app.path().home_dir() {
        Ok(h) => h.join("Documents").join("Baqsha"),
        Err(_) => PathBuf::from("Baqsha"),
    }
}

/// The installation's signing key: 32 random bytes in `keys/referral-seal.key` beside the
/// database, created on first use. Outside the database on purpose: a copied or synced
/// database must not carry the power to sign.
pub fn signing_key(keys: &Path) -> Result<SigningKey, String> {
    let path = keys.join("referral-seal.key");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let secret: [u8; 32] = bytes.try_into().map_err(|_| format!("{} is not a 32-byte key", path.display()))?;
            Ok(seal::signing_key(&secret))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = [0u8; 32];
            getrandom::fill(&mut secret).map_err(|e| format!("no randomness for a key: {e}"))?;
            std::fs::create_dir_all(keys).map_err(|e| format!("{}: {e}", keys.display()))?;
            write_private(&path, &secret).map_err(|e| format!("{}: {e}", path.display()))?;
            tracing::info!("created the referral signing key {}", path.display());
            Ok(seal::signing_key(&secret))
        }
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(bytes)
}

/// The issuers this installation trusts: itself, and the keys in `keys/trusted.txt`
/// (`name = key` per line; wave 2 fills it from the server).
pub fn issuers(keys: &Path, own: &SigningKey) -> Vec<Issuer> {
    let mut out = vec![Issuer { name: "self".into(), key: own.verifying_key() }];
    if let Ok(text) = std::fs::read_to_string(keys.join("trusted.txt")) {
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

fn lang_of(code: &str) -> Lang {
    match Lang::from_code(code) {
        // Documents are printed in Kazakh or Russian; an English screen prints Russian.
        Some(Lang::En) | None => Lang::Ru,
        Some(l) => l,
    }
}

/// The top of a list, in the document's language.
pub fn header(region: &RegionInfo, t: &Translator, lang: Lang, district: Option<&str>) -> ListHeader {
    let pick = |kk: &str, ru: &str| if lang == Lang::Kk { kk.to_string() } else { ru.to_string() };
    let place = district.and_then(|d| region.districts.iter().find(|x| x.code == d));
    let department = match place {
        Some(d) => t.t_args("doc-department-of", &[("place", Arg::Str(&pick(&d.name_kk, &d.name_ru)))]),
        None => t.t("doc-department-region"),
    };
    let filters = place.map(|d| vec![format!("{}: {}", t.t("doc-col-district"), pick(&d.name_kk, &d.name_ru))]).unwrap_or_default();
    ListHeader { region: pick(&region.name_kk, &region.name_ru), department, printed_at: chrono::Utc::now(), filters }
}

/// A list's data, fetched before any drawing (the translator stays off the async path).
enum ListData<'a> {
    Bulletin { date: chrono::NaiveDate, district: Option<&'a str>, entries: Vec<BulletinEntry> },
    Referrals { from: chrono::NaiveDate, to: chrono::NaiveDate, district: Option<&'a str>, entries: Vec<ReferralEntry> },
    Queue { category: i32, district: Option<&'a str>, lines: Vec<QueueLine> },
    Statistics { from: chrono::NaiveDate, to: chrono::NaiveDate, places: Vec<DistrictStats>, allocated: Vec<AllocationStats> },
}

/// Makes the list's PDF; returns it with a file name and its row count.
pub async fn list_pdf(state: &AppState, list: &PrintList, lang_code: &str) -> Result<(Vec<u8>, String, u64), ApiError> {
    let store = state.store().await?;
    let region = crate::seed::region_info(&store).await.map_err(|e| internal("region", e))?;
    let data = match list {
        PrintList::Bulletin { date, district } => {
            ListData::Bulletin { date: *date, district: district.as_deref(), entries: store.bulletin(*date, district.as_deref()).await.map_err(|e| internal("bulletin", e))? }
        }
        PrintList::Referrals { from, to, district } => ListData::Referrals {
            from: *from,
            to: *to,
            district: district.as_deref(),
            entries: store.issued_referrals(*from, *to, district.as_deref()).await.map_err(|e| internal("referrals", e))?,
        },
        PrintList::Queue { category, district } => ListData::Queue {
            category: *category,
            district: district.as_deref(),
            lines: store.queue_of(Category(*category), district.as_deref(), &Default::default()).await.map_err(|e| internal("queue", e))?,
        },
        PrintList::Statistics { from, to } => ListData::Statistics {
            from: *from,
            to: *to,
            places: store.district_stats().await.map_err(|e| internal("statistics", e))?,
            allocated: store.allocation_stats(*from, *to).await.map_err(|e| internal("statistics", e))?,
        },
    };
    draw_list(&region, data, lang_of(lang_code)).map_err(|e| internal("document", e))
}

fn draw_list(region: &RegionInfo, data: ListData, lang: Lang) -> Result<(Vec<u8>, String, u64), baqsha_documents::DocumentError> {
    let t = Translator::new(lang);
    let pick = |kk: &str, ru: &str| if lang == Lang::Kk { kk.to_string() } else { ru.to_string() };
    let district_name = |code: &str| region.districts.iter().find(|d| d.code == code).map_or_else(|| code.to_string(), |d| pick(&d.name_kk, &d.name_ru));
    match data {
        ListData::Bulletin { date, district, entries } => {
            let rows: Vec<BulletinRow> = entries
                .iter()
                .map(|e| BulletinRow {
                    district: district_name(&e.district),
                    kindergarten: pick(&e.kindergarten_kk, &e.kindergarten_ru),
                    group: e.group_name.clone(),
                    age: e.age,
                    language: e.language,
                    places: e.open_places,
                    published_on: e.published_on,
                })
                .collect();
            let pdf = baqsha_documents::vacancy_bulletin(&header(region, &t, lang, district), date, &rows, lang)?;
            Ok((pdf, format!("byulleten-{}.pdf", date.format("%Y-%m-%d")), rows.len() as u64))
        }
        ListData::Referrals { from, to, district, entries } => {
            let rows: Vec<ReferralRow> = entries
                .into_iter()
                .map(|e| ReferralRow {
                    kindergarten: pick(&e.kindergarten_kk, &e.kindergarten_ru),
                    number: e.number,
                    issued_at: e.issued_at,
                    group: e.group_name,
                    child: e.child,
                    status: e.status,
                    valid_until: e.valid_until,
                })
                .collect();
            let pdf = baqsha_documents::issued_referrals(&header(region, &t, lang, district), from, to, &rows, lang)?;
            Ok((pdf, format!("zholdamalar-{}-{}.pdf", from.format("%Y-%m-%d"), to.format("%Y-%m-%d")), rows.len() as u64))
        }
        ListData::Queue { category, district, lines } => {
            let rows: Vec<QueueRow> = lines
                .into_iter()
                .map(|l| QueueRow { position: l.position, number: l.number, registered_at: l.registered_at, child: l.child, tier: l.tier, status: l.status })
                .collect();
            let today = command::desk_date(chrono::Utc::now());
            let h = header(region, &t, lang, district);
            let pdf = baqsha_documents::queue_list(&h, Category(category), today, &rows, lang)?;
            let suffix = district.map(|d| format!("-{d}")).unwrap_or_default();
            Ok((pdf, format!("kezek-{category}{suffix}.pdf"), rows.len() as u64))
        }
        ListData::Statistics { from, to, places, allocated } => {
            let places: Vec<DistrictStatsRow> = places
                .into_iter()
                .map(|d| DistrictStatsRow {
                    district: pick(&d.name_kk, &d.name_ru),
                    state_kindergartens: d.state_kindergartens,
                    state_places: d.state_places,
                    private_kindergartens: d.private_kindergartens,
                    private_places: d.private_places,
                })
                .collect();
            let allocated: Vec<AllocationRow> =
                allocated.into_iter().map(|a| AllocationRow { kindergarten: pick(&a.name_kk, &a.name_ru), issued: a.issued, admitted: a.admitted }).collect();
            let pdf = baqsha_documents::statistics(&header(region, &t, lang, None), &places, from, to, &allocated, lang)?;
            Ok((pdf, format!("statistika-{}-{}.pdf", from.format("%Y-%m-%d"), to.format("%Y-%m-%d")), (places.len() + allocated.len()) as u64))
        }
    }
}

/// Writes `pdf` as `name` into the documents folder (or where "Save as" says) and opens it
/// in the system viewer. The file is written whole or not at all (temporary file + rename).
pub async fn save_and_open(app: &AppHandle, pdf: Vec<u8>, name: &str, save_as: bool) -> Result<Printed, ApiError> {
    let path = if save_as {
        use tauri_plugin_dialog::DialogExt;
        let (tx, rx) = tokio::sync::oneshot::channel();
        app.dialog().file().set_directory(documents_dir(app)).set_file_name(name).add_filter("PDF", &["pdf"]).save_file(move |p| {
            let _ = tx.send(p);
        });
        match rx.await.ok().flatten().and_then(|p| p.into_path().ok()) {
            Some(p) => p,
            None => return Err(ApiError::Cancelled),
        }
    } else {
        documents_dir(app).join(name)
    };
    let shown = path.display().to_string();
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let partial = path.with_extension("pdf.part");
        std::fs::write(&partial, &pdf)?;
        std::fs::rename(&partial, &path)
    };
    if let Err(e) = write() {
        tracing::error!("cannot write {shown}: {e}");
        return Err(ApiError::SaveFailed { path: shown, detail: e.to_string() });
    }
    // `--no-viewer`: tests and unattended runs only want the file.
    let opened = if std::env::args().any(|a| a == "--no-viewer") {
        false
    } else {
        use tauri_plugin_opener::OpenerExt;
        match app.opener().open_path(shown.clone(), None::<&str>) {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!("no viewer for {shown}: {e}");
                false
            }
        }
    };
    Ok(Printed { path: shown, opened, rows: 0 })
}

/// Checks a seal against the trusted issuers and, when it is ours, the local database.
pub async fn check(state: &AppState, text: &str, child_iin: Option<&str>) -> Result<ReferralCheck, ApiError> {
    let (key, keys) = state.referral_key()?;
    let store = state.store().await?;
    Ok(match seal::verify(text, &issuers(&keys, &key)) {
        Verdict::Valid { seal, issuer } => {
            let passport = store.passport(seal.kindergarten).await.ok();
            let group = passport.as_ref().and_then(|p| p.groups.iter().find(|g| g.group.id == seal.group)).map(|g| g.group.name.clone());
            let status = store.referral_status(&seal.number).await.map_err(|e| internal("referral status", e))?;
            ReferralCheck::Valid {
                expired: seal.valid_until < command::desk_date(chrono::Utc::now()),
                child_matches: child_iin.filter(|s| !s.trim().is_empty()).map(|s| Iin::parse(s).is_ok_and(|iin| seal.is_for(&iin))),
                kindergarten_ru: passport.as_ref().map(|p| p.kindergarten.name_ru.clone()),
                kindergarten_kk: passport.map(|p| p.kindergarten.name_kk),
                group,
                status,
                number: seal.number,
                issuer,
                issued_on: seal.issued_on,
                valid_until: seal.valid_until,
            }
        }
        Verdict::Tampered => ReferralCheck::Tampered,
        Verdict::UnknownIssuer { key_id } => ReferralCheck::UnknownIssuer { key_id },
        Verdict::NotASeal => ReferralCheck::NotASeal,
    })
}

/// The application certificate of `number`, with its position today and its history.
pub async fn application_pdf(state: &AppState, number: &str, lang_code: &str) -> Result<(Vec<u8>, String), ApiError> {
    let store = state.store().await?;
    let region = crate::seed::region_info(&store).await.map_err(|e| internal("region", e))?;
    let a = match store.application_by_number(number).await {
        Ok(a) => a,
        Err(baqsha_store::StoreError::NotFound(_)) => return Err(ApiError::NotFound),
        Err(e) => return Err(internal("application", e)),
    };
    let district = a.preferences.first().map(|k| k.to_string());
    let view = store.application_view(a, &Default::default()).await.map_err(|e| internal("application view", e))?;
    let district = match district {
        Some(k) => store.passport(KindergartenId(k.parse().map_err(|e| internal("id", e))?)).await.ok().map(|p| p.district.code),
        None => None,
    };
    let lang = lang_of(lang_code);
    let t = Translator::new(lang);
    let h = header(&region, &t, lang, district.as_deref());
    let pick = |n: &Names| if lang == Lang::Kk { n.kk.clone() } else { n.ru.clone() };
    let c = baqsha_documents::ApplicationCertificate {
        region: h.region,
        department: h.department,
        number: view.application.number.clone(),
        registered_at: view.application.registered_at,
        printed_at: chrono::Utc::now(),
        child: view.application.child.clone(),
        benefit: view.application.benefit.clone(),
        preferences: view.preferences.iter().map(pick).collect(),
        language: view.application.language,
        status: view.application.status,
        position: view.position,
        history: view.history.iter().map(|l| history_row(&t, l)).collect(),
    };
    let pdf = baqsha_documents::application_certificate(&c, lang).map_err(|e| internal("document", e))?;
    Ok((pdf, format!("otinish-{}.pdf", file_safe(&c.number))))
}

/// A history line in the document's language.
pub fn history_row(t: &Translator, l: &HistoryLine) -> baqsha_documents::HistoryRow {
    let id = format!("history-{}", l.kind);
    let mut what = if t.has(&id) { t.t(&id) } else { l.kind.clone() };
    if let Some(r) = &l.reason {
        what = format!("{what}: {r}");
    }
    baqsha_documents::HistoryRow { at: l.at, what, who: l.author.clone() }
}

/// Numbers go into file names; anything but letters, digits and dashes becomes a dash.
fn file_safe(s: &str) -> String {
    s.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect()
}
