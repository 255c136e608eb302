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
        let mut cmds = Vec::with_capacity(region.kindergartens.len() + region.groups.len() + region.vacancies.len() + region.applications.len());
        for k in &region.kindergartens {
            cmds.push(command(now, CommandKind::SaveKindergarten { kindergarten: k.clone() }));
        }
        for g in &region.groups {
            cmds.push(command(now, CommandKind::SaveGroup { group: g.clone() }));
        }
        // Applications carry their own registration time: the queue's clock.
        for a in &region.applications {
            cmds.push(command(a.registered_at, CommandKind::RegisterApplication { application: Box::new(a.clone()), confirmation: None }));
        }
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
        store.close().await;
    }
}
