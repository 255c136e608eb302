//! Helpers shared by the store's test files: a real SQLite file with a small registry.
#![allow(dead_code, unused_imports)]

use baqsha_api::{RegistryQuery, RegistrySort};
use baqsha_core::command::{Command, CommandKind, RuleError};
use baqsha_core::roles::{Operator, Role};
use baqsha_core::*;
use baqsha_store::{ApplyError, ChainReport, NewOperator, OpenError, Store};
use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

pub fn admin() -> Operator {
    Operator { id: OperatorId(Uuid::from_u128(1)), login: "admin".into(), full_name: "Әкімші".into(), role: Role::RegionalAdmin, kindergarten: None }
}

pub fn cmd(kind: CommandKind) -> Command {
    Command { id: Uuid::now_v7(), author: admin().id, device: DeviceId(Uuid::from_u128(2)), at: Utc.with_ymd_and_hms(2026, 11, 25, 6, 0, 0).unwrap(), kind }
}

pub fn district() -> District {
    District {
        code: "oskemen".into(),
        name_kk: "Өскемен қаласы".into(),
        name_ru: "г. Усть-Каменогорск".into(),
        name_en: "Ust-Kamenogorsk".into(),
        centre: GeoPoint { lat: 49.948, lon: 82.628 },
    }
}

pub fn kindergarten(n: u128, name_kk: &str, name_ru: &str) -> Kindergarten {
    Kindergarten {
        id: KindergartenId(Uuid::from_u128(n)),
        name_kk: name_kk.into(),
        name_ru: name_ru.into(),
        kind: KindergartenKind::State,
        district: "oskemen".into(),
        address_kk: "Өскемен қ., Абай даңғылы 12".into(),
        address_ru: "г. Усть-Каменогорск, пр. Абая 12".into(),
        location: GeoPoint { lat: 49.95, lon: 82.61 },
        head: "Серікова Гүлнар Әбілқызы".into(),
        phone: Some("+7 7232 25 12 12".into()),
        email: None,
        hours: "07:30–19:00".into(),
        programmes: vec!["«Зерек бала» бағдарламасы".into()],
        equipment: vec!["Бассейн".into()],
        design_capacity: 140,
    }
}

pub fn group(n: u128, k: u128, language: Language, capacity: u32, enrolled: u32) -> Group {
    Group {
        id: GroupId(Uuid::from_u128(n)),
        kindergarten: KindergartenId(Uuid::from_u128(k)),
        name: format!("Топ {n}"),
        age: AgeBand { from_years: 3, to_years: 4 },
        language,
        capacity,
        enrolled,
    }
}

pub fn application(n: u128, child_serial: u16, prefs: Vec<u128>) -> Application {
    let child = Iin::from_parts(NaiveDate::from_ymd_opt(2023, 4, 5).unwrap(), Sex::Male, child_serial)
        .or_else(|| Iin::from_parts(NaiveDate::from_ymd_opt(2023, 4, 5).unwrap(), Sex::Male, child_serial + 1))
        .unwrap();
    Application {
        id: ApplicationId(Uuid::from_u128(n)),
        number: format!("VKO-2026-{n:06}"),
        child: Person { iin: child, surname: "Нұрланов".into(), given_name: "Әлихан".into(), patronymic: None, verified: true },
        parent: Person { iin: Iin::parse("871008401427").unwrap(), surname: "Нұрланова".into(), given_name: "Айгүл".into(), patronymic: None, verified: true },
        contacts: Contacts { phone: Phone::parse("87011234567").unwrap(), extra_phone: None, email: None },
        address: "Өскемен қ., Абай даңғылы 1".into(),
        preferences: prefs.into_iter().map(|k| KindergartenId(Uuid::from_u128(k))).collect(),
        language: Language::Kk,
        benefit: None,
        consent: true,
        registered_at: Utc.with_ymd_and_hms(2026, 11, 25, 6, 0, 0).unwrap(),
        status: ApplicationStatus::Queued,
    }
}

pub async fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("baqsha.sqlite")).await.unwrap();
    store.save_districts(&[district()]).await.unwrap();
    (dir, store)
}

pub async fn with_registry() -> (tempfile::TempDir, Store) {
    let (dir, s) = fresh().await;
    let a = admin();
    s.apply(&a, &cmd(CommandKind::SaveKindergarten { kindergarten: kindergarten(10, "№ 12 «АҚБОТА» бөбекжайы", "Ясли-сад № 12 «Акбота»") })).await.unwrap();
    s.apply(
        &a,
        &cmd(CommandKind::SaveKindergarten {
            kindergarten: kindergarten(11, "№ 3 «Күншуақ» балабақшасы", "Детский сад № 3 «Солнышко»")
        }),
    )
    .await
    .unwrap();
    s.apply(&a, &cmd(CommandKind::SaveGroup { group: group(20, 10, Language::Kk, 20, 18) })).await.unwrap();
    s.apply(&a, &cmd(CommandKind::SaveGroup { group: group(21, 11, Language::Ru, 25, 25) })).await.unwrap();
    (dir, s)
}

/// The desk's moment for sign-ins and codes in these tests.
pub fn desk_now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 6, 0, 0).unwrap()
}
