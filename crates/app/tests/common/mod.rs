//! A desk for the use-case tests: a real SQLite file seeded with the demo region, the
//! office's clock standing at a fixed moment, and the demo's three roles signed in.
#![allow(dead_code)]

use baqsha_api::*;
use baqsha_app::{seed, ManualClock, Office, Parts, SystemIds};
use baqsha_core::roles::{Operator, Role};
use chrono::{TimeZone, Utc};
use std::sync::Arc;

pub struct Desk {
    pub office: Office,
    pub clock: Arc<ManualClock>,
    pub admin: Operator,
    pub operator: Operator,
    pub staff: Operator,
    pub _dir: tempfile::TempDir,
}

/// A Wednesday morning at the desk (09:00 in Kazakhstan).
pub async fn desk() -> Desk {
    desk_at(Utc.with_ymd_and_hms(2026, 12, 2, 4, 0, 0).unwrap()).await
}

pub async fn desk_at(now: chrono::DateTime<Utc>) -> Desk {
    desk_with(now, None).await
}

/// The desk with its own person registry instead of the demo's.
pub async fn desk_with(now: chrono::DateTime<Utc>, persons: Option<Arc<dyn baqsha_persons::PersonRegistry>>) -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let store = baqsha_store::Store::open(&dir.path().join("baqsha.sqlite")).await.unwrap();
    let clock = Arc::new(ManualClock::at(now));
    let office = Office::new(Parts { store, clock: clock.clone(), ids: Arc::new(SystemIds), keys: dir.path().join("keys"), persons }).await.unwrap();
    seed::seed_if_empty(&office).await.unwrap();
    let who = |login: &'static str, password: &'static str| {
        let office = office.clone();
        async move { office.sign_in(login, password).await.unwrap().operator }
    };
    let admin = who("admin", "baqsha-admin").await;
    let operator = who("operator", "baqsha-operator").await;
    let staff = who("balabaqsha", "baqsha-staff").await;
    assert_eq!((admin.role, operator.role, staff.role), (Role::RegionalAdmin, Role::DepartmentOperator, Role::KindergartenStaff));
    Desk { office, clock, admin, operator, staff, _dir: dir }
}

pub fn denied<T: std::fmt::Debug>(r: Result<T, ApiError>, what: &str) {
    assert!(matches!(r, Err(ApiError::Denied)), "{what}: expected a refusal, got {r:?}");
}

/// The parent at the desk with an identity card.
pub fn in_person() -> baqsha_core::command::ContactConfirmation {
    baqsha_core::command::ContactConfirmation::InPerson { document: baqsha_core::command::IdDocument::IdCard, number: "045123789".into() }
}

/// After an offer round: the first offer of the bulletin, taken at the desk.
pub async fn take_first_offer(d: &Desk) -> (baqsha_core::Application, ReferralTaken) {
    d.office.upkeep().await;
    let bulletin = d.office.bulletin(&d.operator, d.office.today(), None).await.unwrap();
    let note = bulletin.iter().find_map(|e| e.offers.first()).expect("an offer after the round");
    let application = d.office.store().application_by_number(&note.number).await.unwrap();
    let choices = d.office.place_choices(&d.operator, application.id).await.unwrap();
    let choice = choices.iter().find(|c| c.offered).expect("the offered place among the choices");
    let taken = d
        .office
        .take_referral(&d.operator, &baqsha_api::calls::TakeReferral { application: application.id, vacancy: choice.vacancy, confirmation: in_person(), lease: None })
        .await
        .unwrap();
    (application, taken)
}
