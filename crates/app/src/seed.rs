//! The embedded default: on first start, the demo region of East Kazakhstan, written as
//! commands like any other change, and one demo account per role.

use baqsha_api::{DemoAccount, RegionInfo};
use baqsha_core::command::{desk_date, Command, CommandKind};
use baqsha_core::roles::Role;
use baqsha_demo::{generate, Scale, DEMO_SEED};
use baqsha_store::{NewOperator, Store, StoreError};
use chrono::{TimeZone, Utc};

/// Demo credentials, shown on the sign-in screen of a demo database only.
const DEMO_ACCOUNTS: [(&str, &str, Role, &str); 3] = [
    ("admin", "baqsha-admin", Role::RegionalAdmin, "Қасымова Сәуле Төлегенқызы"),
    ("operator", "baqsha-operator", Role::DepartmentOperator, "Жұмабеков Ерлан Серікұлы"),
    ("balabaqsha", "baqsha-staff", Role::KindergartenStaff, "Ахметова Гүлнұр Бекқызы"),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Apply(#[from] baqsha_store::ApplyError),
}

/// Seeds an empty database as of the office's clock. Each step is skipped when already
/// done, so a start interrupted mid-way finishes the job next time instead of duplicating it.
pub async fn seed_if_empty(office: &crate::Office) -> Result<(), SeedError> {
    let store = office.store();
    let now = office.now();
    // A real office's database is never filled with the demo, whatever asks.
    if store.meta("seeded").await?.is_some() || store.meta("demo").await?.as_deref() == Some("0") {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let region = generate(Scale::Demo, DEMO_SEED, desk_date(now));
    store.save_districts(&region.districts).await?;
    store.set_meta("region_name_kk", &region.name_kk).await?;
    store.set_meta("region_name_ru", &region.name_ru).await?;
    store.set_meta("region_name_en", &region.name_en).await?;
    store.set_meta("demo", "1").await?;
    // The demo person registry is regenerated from this date; numbers continue the series.
    store.set_meta("demo_today", &desk_date(now).to_string()).await?;
    store.set_meta("number_prefix", "VKO").await?;

    if store.kindergarten_count().await? == 0 {
        let system = crate::system();
        let command = |at, kind| Command { at, ..office.command(&system, kind) };
        let past = baqsha_demo::past_places(&region, DEMO_SEED, desk_date(now));
        let mut cmds = Vec::with_capacity(region.kindergartens.len() + region.groups.len());
        // The registry stood before anyone queued for it (and nothing is written out of time).
        let first = region.applications.iter().map(|a| a.registered_at).min().unwrap_or(now).min(now) - chrono::Duration::days(1);
        for k in &region.kindergartens {
            cmds.push(command(first, CommandKind::SaveKindergarten { kindergarten: k.clone() }));
        }
        // Each group as it was a year ago: the children the past year's places brought are
        // admitted by the year's referrals below.
        for g in &region.groups {
            let brought = past.iter().filter(|v| v.group == g.id).count() as u32;
            cmds.push(command(first, CommandKind::SaveGroup { group: baqsha_core::Group { enrolled: g.enrolled.saturating_sub(brought), ..g.clone() } }));
        }
        store.apply_all(&system, &cmds).await?;
        // Applications carry their own registration time, the queue's clock; the past year's
        // places go to those registered before each was published.
        let mut waiting = region.applications.iter().peekable();
        // What is written is never dated before what was written already (the store refuses a
        // clock set back): a registration in the minutes of a past place's events follows them.
        let mut last = None;
        let register = |a: &baqsha_core::Application, after: Option<chrono::DateTime<Utc>>| {
            let at = after.map_or(a.registered_at, |t| a.registered_at.max(t));
            command(at, CommandKind::RegisterApplication { application: Box::new(baqsha_core::Application { registered_at: at, ..a.clone() }), confirmation: None })
        };
        for v in &past {
            let Some(published) = v.published_on.and_hms_opt(4, 0, 0).map(|t| Utc.from_utc_datetime(&t)) else { continue };
            let mut before = vec![];
            while let Some(a) = waiting.next_if(|a| a.registered_at < published) {
                before.push(register(a, last));
            }
            store.apply_all(&system, &before).await?;
            // Two places of one day follow each other.
            let start = last.map_or(published, |t| published.max(t + chrono::Duration::minutes(1)));
            // A year the calendar cannot count (no Kurban ait known for it) leaves its place
            // unreferred: the demo still starts.
            last = Some(match past_place(office, &system, v, start).await {
                Ok(t) => t,
                Err(e) => {
                    tracing::warn!("a past place of the demo left as it was: {e}");
                    start + chrono::Duration::minutes(10)
                }
            });
        }
        let mut cmds: Vec<Command> = waiting.map(|a| register(a, last)).collect();
        for v in &region.vacancies {
            // Published at 09:00 desk time on its date, or now for today's before 09:00: a
            // command is never dated after the moment it is written (the desk's date runs
            // five hours ahead of UTC, so "today at 09:00" can still be to come).
            let at = v.published_on.and_hms_opt(4, 0, 0).map(|t| Utc.from_utc_datetime(&t)).map_or(now, |t| t.min(now));
            cmds.push(command(at, CommandKind::PublishVacancy { vacancy: v.clone() }));
        }
        store.apply_all(&system, &cmds).await?;
    }

    if store.operator_count().await? == 0 {
        // Staff work for the first kindergarten of the regional centre.
        let staff_kg = region.kindergartens.iter().find(|k| k.district == region.districts[0].code).map(|k| k.id);
        for (login, password, role, name) in DEMO_ACCOUNTS {
            store
                .create_operator(&NewOperator {
                    login: login.into(),
                    full_name: name.into(),
                    role,
                    kindergarten: if role == Role::KindergartenStaff { staff_kg } else { None },
                    password: password.into(),
                })
                .await?;
        }
    }
    store.set_meta("seeded", &now.to_rfc3339()).await?;
    tracing::info!("demo region seeded in {:?}", started.elapsed());
    Ok(())
}

/// One place of the past year as it went, within minutes of its publication: offered by the
/// round, taken at the desk (one in five refused at once and taken by the next) and the
/// child admitted. Nothing is sent: these parents were told long ago. Returns the time of
/// the last thing written.
async fn past_place(
    office: &crate::Office,
    system: &baqsha_core::roles::Operator,
    v: &baqsha_core::Vacancy,
    published: chrono::DateTime<Utc>,
) -> Result<chrono::DateTime<Utc>, SeedError> {
    use baqsha_core::command::{ContactConfirmation, IdDocument, ReferralRef};
    let store = office.store();
    let minute = chrono::Duration::minutes(1);
    store.apply(system, &Command { at: published, ..office.command(system, CommandKind::PublishVacancy { vacancy: v.clone() }) }).await?;
    let prefix = store.meta("number_prefix").await?.unwrap_or_else(|| "VKO".into());
    let mut at = published;
    for attempt in 0..2 {
        at += minute;
        let ids = || office.inner.ids.id();
        let source = baqsha_store::CommandSource { author: system.id, device: office.device(), ids: &ids };
        let round = store.offer_round(&source, at, &baqsha_core::queue::QueueRules::default(), |_| vec![]).await?;
        let Some(offer) = round.offered.iter().find(|o| o.offer.vacancy == v.id) else { return Ok(at) };
        let request = baqsha_api::calls::TakeReferral {
            application: offer.offer.application,
            vacancy: v.id,
            confirmation: ContactConfirmation::InPerson { document: IdDocument::Passport, number: "N1234567".into() },
            lease: None,
        };
        at += minute;
        let ids = (office.inner.ids.id(), baqsha_core::ReferralId(office.inner.ids.id()));
        let (taken, _) = store.take_referral(system, &request, ids, office.device(), at, &prefix, |_| vec![]).await?;
        let referral = ReferralRef::of(&taken.referral);
        at += minute;
        if attempt == 0 && taken.referral.number.ends_with(['0', '5']) {
            let kind = CommandKind::RefuseReferral { referral, reason: "Ата-анасы басқа балабақшаны күтеді".into() };
            store.apply(system, &Command { at, ..office.command(system, kind) }).await?;
            continue;
        }
        let needs = baqsha_core::referral::needs_conclusion(taken.benefit.as_ref());
        let documents = baqsha_core::referral::ADMISSION_DOCUMENTS.into_iter().filter(|d| d.required(needs)).collect();
        store.apply(system, &Command { at, ..office.command(system, CommandKind::AdmitReferral { referral, documents }) }).await?;
        return Ok(at);
    }
    Ok(at)
}

pub async fn region_info(store: &Store) -> Result<RegionInfo, StoreError> {
    let get = |k: &'static str| async move { store.meta(k).await.map(Option::unwrap_or_default) };
    Ok(RegionInfo {
        name: baqsha_core::Names { kk: get("region_name_kk").await?, ru: get("region_name_ru").await?, en: Some(get("region_name_en").await?) },
        demo: store.meta("demo").await?.as_deref() == Some("1"),
        districts: store.districts().await?,
        max_preferences: store.max_preferences().await?,
    })
}

pub async fn demo_accounts(store: &Store) -> Result<Vec<DemoAccount>, StoreError> {
    if store.meta("demo").await?.as_deref() != Some("1") {
        return Ok(vec![]);
    }
    Ok(DEMO_ACCOUNTS.iter().map(|(login, password, role, _)| DemoAccount { login: (*login).into(), password: (*password).into(), role: *role }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 21:30 UTC on 1 December is 02:30 on 2 December at the desk: the demo's places of
    /// 2 December are published, and none of its commands is dated after the seeding.
    #[tokio::test]
    async fn a_demo_seeded_after_the_desks_midnight_dates_nothing_in_the_future() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("baqsha.sqlite")).await.unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 21, 30, 0).unwrap();
        let clock = std::sync::Arc::new(crate::ManualClock::at(now));
        let parts = crate::Parts { store: store.clone(), clock, ids: std::sync::Arc::new(crate::SystemIds), keys: dir.path().join("keys"), persons: None };
        let office = crate::Office::new(parts).await.unwrap();
        seed_if_empty(&office).await.unwrap();
        assert_eq!(store.meta("demo_today").await.unwrap().as_deref(), Some("2026-12-02"), "the desk's date");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let bulletin = store.bulletin(today, today, None).await.unwrap();
        assert!(bulletin.iter().any(|e| e.published_on == today), "the demo publishes places on the desk's today");
        let newest = store.newest_command_at().await.unwrap().unwrap();
        assert!(newest <= now, "the newest command ({newest}) is dated after the seeding ({now})");
        // A year of referrals and admissions is there, none of them in the future.
        let year = store.issued_referrals(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), today, None, None).await.unwrap();
        assert!(year.len() >= 15, "{} referrals in the demo's year", year.len());
        assert!(year.iter().all(|r| r.issued_at <= now));
        let admitted = year.iter().filter(|r| r.status == baqsha_core::ReferralStatus::Admitted).count();
        let refused = year.iter().filter(|r| r.status == baqsha_core::ReferralStatus::Refused).count();
        assert!(admitted >= 12 && refused >= 1, "{admitted} admitted, {refused} refused");
        // The groups are as the generator made them once the year's children are in.
        let region = generate(Scale::Demo, DEMO_SEED, today);
        for g in region.groups.iter().take(40) {
            let p = store.passport(g.kindergarten, today).await.unwrap();
            let now_enrolled = p.groups.iter().find(|x| x.group.id == g.id).unwrap().group.enrolled;
            assert!(now_enrolled <= g.enrolled, "{} has {now_enrolled} of {}", g.name, g.enrolled);
        }
        store.close().await;
    }
}
