//! The first start of a desk: a real office is set up with its own administrator and never
//! holds a demo account or the demo region; the demo is never turned into a real office.

use baqsha_api::*;
use baqsha_app::{ManualClock, Office, Parts, SystemIds};
use chrono::{TimeZone, Utc};
use std::sync::Arc;

async fn empty_desk() -> (tempfile::TempDir, Office) {
    let dir = tempfile::tempdir().unwrap();
    let store = baqsha_store::Store::open(&dir.path().join("baqsha.sqlite")).await.unwrap();
    let clock = Arc::new(ManualClock::at(Utc.with_ymd_and_hms(2026, 12, 3, 4, 0, 0).unwrap()));
    let office = Office::new(Parts { store, clock, ids: Arc::new(SystemIds), keys: dir.path().join("keys"), persons: None }).await.unwrap();
    (dir, office)
}

fn setup(password: &str) -> OfficeSetup {
    OfficeSetup {
        region: "VKO".into(),
        district: "oskemen".into(),
        office_name: "Өскемен қаласының білім бөлімі".into(),
        admin_name: "Сәрсенова Әйгерім".into(),
        admin_login: "Aigerim.S".into(),
        password: password.into(),
    }
}

#[tokio::test]
async fn a_real_office_has_its_own_administrator_and_never_the_demo() {
    let (_dir, office) = empty_desk().await;
    let first = office.start_info().await.unwrap();
    let regions = first.setup.expect("an empty desk asks: the demo or this office");
    assert_eq!(regions[0].code, "VKO");
    assert!(regions.len() >= 20 && regions.iter().all(|r| !r.districts.is_empty()), "every region of Kazakhstan, with its districts");
    assert!(regions[0].districts.iter().any(|d| d.code == "oskemen"));

    // Refused forms write nothing and leave the choice open.
    for (bad, field) in [
        (OfficeSetup { district: "nowhere".into(), ..setup("Qazaq-2026!") }, "district"),
        (setup("short"), "password"),
        (OfficeSetup { admin_login: "a b".into(), ..setup("Qazaq-2026!") }, "login"),
        (OfficeSetup { admin_login: "aigerim.sarsen".into(), password: "Aigerim.Sarsen".into(), ..setup("") }, "password"),
    ] {
        let r = office.set_up_office(&bad).await;
        assert!(matches!(&r, Err(ApiError::InvalidInput { field: f }) if f == field), "{field}: {r:?}");
    }
    assert!(office.start_info().await.unwrap().setup.is_some());

    let session = office.set_up_office(&setup("Qazaq-2026!")).await.unwrap();
    assert_eq!((session.operator.login.as_str(), session.operator.role), ("aigerim.s", baqsha_core::roles::Role::RegionalAdmin));
    assert!(!session.region.demo);
    assert_eq!(session.region.name.kk, "Шығыс Қазақстан облысы");
    let info = office.start_info().await.unwrap();
    assert!(info.setup.is_none() && info.demo_accounts.is_empty() && !info.region.demo);
    // No demo account exists, the demo cannot be added, and a second setup is refused.
    assert!(matches!(office.sign_in("admin", "baqsha-admin").await, Err(ApiError::BadCredentials)));
    assert!(matches!(office.start_demo().await, Err(ApiError::Denied)));
    baqsha_app::seed::seed_if_empty(&office).await.unwrap();
    assert_eq!(office.store().kindergarten_count().await.unwrap(), 0, "nothing of the demo was written");
    assert!(matches!(office.set_up_office(&setup("Another-2026!")).await, Err(ApiError::Denied)));
    assert!(office.sign_in("AIGERIM.S", "Qazaq-2026!").await.is_ok());
}

#[tokio::test]
async fn the_demo_is_chosen_once_and_never_becomes_a_real_office() {
    let (_dir, office) = empty_desk().await;
    let info = office.start_demo().await.unwrap();
    assert!(info.region.demo && info.setup.is_none() && info.demo_accounts.len() == 3);
    assert!(matches!(office.set_up_office(&setup("Qazaq-2026!")).await, Err(ApiError::Denied)));
    assert!(office.sign_in("admin", "baqsha-admin").await.is_ok());
}

#[tokio::test]
async fn the_administrator_manages_accounts_and_the_history_says_who_never_a_password() {
    let (_dir, office) = empty_desk().await;
    let admin = office.set_up_office(&setup("Qazaq-2026!")).await.unwrap().operator;
    let form = AccountForm {
        id: None,
        login: "Erlan".into(),
        full_name: "Жұмабеков Ерлан".into(),
        role: baqsha_core::roles::Role::DepartmentOperator,
        kindergarten: None,
        active: true,
        password: Some("Uaqytsha-001".into()),
    };
    // A temporary password too short, staff without a kindergarten: refused, nothing kept.
    assert!(matches!(office.save_account(&admin, &AccountForm { password: Some("short".into()), ..form.clone() }).await, Err(ApiError::InvalidInput { .. })));
    let staff = AccountForm { role: baqsha_core::roles::Role::KindergartenStaff, ..form.clone() };
    assert!(matches!(office.save_account(&admin, &staff).await, Err(ApiError::Rule { .. })));
    let accounts = office.save_account(&admin, &form).await.unwrap();
    let erlan = accounts.iter().find(|a| a.operator.login == "erlan").expect("the new account").clone();
    assert!(erlan.active && erlan.must_change);
    // The same login again is refused.
    assert!(matches!(office.save_account(&admin, &form).await, Err(ApiError::Rule { .. })));

    // Its owner signs in with the temporary password only to choose their own.
    assert!(matches!(office.sign_in("erlan", "Uaqytsha-001").await, Err(ApiError::PasswordChange)));
    assert!(matches!(office.change_password("erlan", "Uaqytsha-001", "erlan").await, Err(ApiError::InvalidInput { .. })));
    let session = office.change_password("erlan", "Uaqytsha-001", "Menin-Kupiam-7").await.unwrap();
    assert_eq!(session.operator.login, "erlan");
    assert!(office.sign_in("erlan", "Menin-Kupiam-7").await.is_ok());
    assert!(matches!(office.accounts(&session.operator).await, Err(ApiError::Denied)), "an operator does not manage accounts");

    // Switched off: the right password no longer signs in. A reset makes its owner choose again.
    let off = AccountForm { id: Some(erlan.operator.id), active: false, password: None, ..form.clone() };
    office.save_account(&admin, &off).await.unwrap();
    assert!(matches!(office.sign_in("erlan", "Menin-Kupiam-7").await, Err(ApiError::BadCredentials)));
    office.save_account(&admin, &AccountForm { active: true, ..off.clone() }).await.unwrap();
    office.reset_password(&admin, erlan.operator.id, "Jana-Uaqytsha-2").await.unwrap();
    assert!(matches!(office.sign_in("erlan", "Jana-Uaqytsha-2").await, Err(ApiError::PasswordChange)));
    // The administrator cannot switch off their own account.
    let me =
        AccountForm { id: Some(admin.id), login: admin.login.clone(), full_name: admin.full_name.clone(), role: admin.role, kindergarten: None, active: false, password: None };
    assert!(matches!(office.save_account(&admin, &me).await, Err(ApiError::Rule { rule: baqsha_core::command::RuleError::OwnAccount })));

    // Who did it is in the history; no password is.
    let path = office.store().path().to_path_buf();
    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT kind, author, body FROM history WHERE kind IN ('save_operator', 'reset_password') ORDER BY seq").fetch_all(&mut db).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["save_operator", "save_operator", "save_operator", "reset_password"]);
    assert!(rows.iter().all(|r| r.1 == admin.id.to_string()), "the administrator is the author");
    assert!(rows.iter().all(|r| !r.2.contains("Uaqytsha") && !r.2.contains("Kupiam")), "no password in the history");
}

#[tokio::test]
async fn a_certificate_printed_from_the_demo_is_a_demo_on_a_real_office_desk() {
    use baqsha_core::seal;
    let (_a, demo) = empty_desk().await;
    demo.start_demo().await.unwrap();
    let at_demo = demo.sign_in("operator", "baqsha-operator").await.unwrap().operator;
    let (_b, real) = empty_desk().await;
    let at_real = real.set_up_office(&setup("Qazaq-2026!")).await.unwrap().operator;

    let key = demo.seal_key().await.unwrap();
    assert_eq!(seal::key_id(&key.verifying_key()), seal::key_id(&seal::demo_key().verifying_key()), "the demo signs with the demo key");
    assert_ne!(real.seal_key_id().await.unwrap(), demo.seal_key_id().await.unwrap(), "an office signs with its own");

    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let child = baqsha_core::Iin::from_parts(chrono::NaiveDate::from_ymd_opt(2022, 5, 9).unwrap(), baqsha_core::Sex::Male, 120).unwrap();
    let ids = (baqsha_core::KindergartenId(uuid::Uuid::from_u128(7)), baqsha_core::GroupId(uuid::Uuid::from_u128(8)));
    let text = seal::sign(&seal::Seal::new("VKO-2026-000042", ids.0, ids.1, day, day, &child, [3; 8], &key.verifying_key()), &key);
    assert_eq!(real.check_seal(&at_real, &text, None).await.unwrap(), ReferralCheck::Demo { number: "VKO-2026-000042".into() });
    assert!(matches!(demo.check_seal(&at_demo, &text, None).await.unwrap(), ReferralCheck::Valid { .. }), "the demo reads its own");
    // Nor can the demo's seal be found as a referral at the real desk's admission.
    assert!(real.find_referral(&at_real, &text).await.is_err());
}
