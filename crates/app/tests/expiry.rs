//! The office's own clock runs a referral out: taken on Thursday 2 July 2026, its five
//! working days are 3, 7, 8, 9 and 10 July (4–5 July a weekend, 6 July Capital Day). It is
//! good all of Friday 10 July in Kazakhstan and expires at its midnight (19:00 UTC), when
//! the place returns to the bulletin and goes to the next in the queue, and the application
//! goes back to the queue at its own time. And two windows racing for one place get one
//! referral.

mod common;

use baqsha_api::*;
use baqsha_core::command::RuleError;
use baqsha_core::{ApplicationStatus, ReferralStatus};
use chrono::{NaiveDate, TimeZone, Utc};
use common::{desk_at, in_person, take_first_offer};

fn july(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, day).unwrap()
}

#[tokio::test]
async fn a_referral_runs_out_after_five_working_days_over_capital_day() {
    let d = desk_at(Utc.with_ymd_and_hms(2026, 7, 2, 4, 0, 0).unwrap()).await;
    let (application, taken) = take_first_offer(&d).await;
    let r = &taken.referral.referral;
    assert_eq!((r.status, r.valid_until), (ReferralStatus::Confirmed, july(10)), "3, 7, 8, 9, 10 July");
    let open_before = open_places(&d, r.kindergarten, r.group).await;

    // 23:59 on Friday in Kazakhstan: still the parent's day.
    d.clock.set(Utc.with_ymd_and_hms(2026, 7, 10, 18, 59, 0).unwrap());
    d.office.upkeep().await;
    let still = d.office.referral_of(&d.operator, application.id).await.unwrap().unwrap();
    assert_eq!(still.referral.status, ReferralStatus::Confirmed);

    // Midnight in Kazakhstan (19:00 UTC): it has run out.
    d.clock.set(Utc.with_ymd_and_hms(2026, 7, 10, 19, 0, 0).unwrap());
    d.office.upkeep().await;
    let ended = d.office.referral_of(&d.operator, application.id).await.unwrap().unwrap();
    assert_eq!((ended.referral.status, ended.ended_on), (ReferralStatus::Expired, Some(july(11))));
    let back = d.office.application(&d.operator, application.id).await.unwrap();
    assert_eq!(back.application.status, ApplicationStatus::Queued);
    assert_eq!(back.application.registered_at, application.registered_at, "its own place in the queue");
    let kinds: Vec<&str> = back.history.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(kinds.last(), Some(&"expire_referral"));
    assert_eq!(back.history.last().map(|l| l.author.as_str()), Some("Baqsha"), "the office's own act");
    // The place is back and offered on, not to them again.
    let bulletin = d.office.bulletin(&d.operator, july(11), None).await.unwrap();
    let line = bulletin.iter().find(|e| e.group == r.group).expect("the group is in the bulletin again");
    assert!(line.offers.iter().all(|o| o.number != application.number), "that publication is not offered to them again");
    assert!(!line.offers.is_empty(), "offered to the next in the queue");
    assert_eq!(open_places(&d, r.kindergarten, r.group).await, open_before + 1);
}

#[tokio::test]
async fn two_windows_taking_the_same_place_get_one_referral() {
    let d = desk_at(Utc.with_ymd_and_hms(2026, 12, 2, 4, 0, 0).unwrap()).await;
    d.office.upkeep().await;
    let bulletin = d.office.bulletin(&d.operator, d.office.today(), None).await.unwrap();
    let note = bulletin.iter().find_map(|e| e.offers.first()).expect("an offer after the round");
    let application = d.office.store().application_by_number(&note.number).await.unwrap();
    let choice = d.office.place_choices(&d.operator, application.id).await.unwrap().into_iter().find(|c| c.offered).expect("the offered place");
    // A second window of the same office: another connection pool on the same file.
    let other_store = baqsha_store::Store::open(d.office.store().path()).await.unwrap();
    let other = baqsha_app::Office::new(baqsha_app::Parts {
        store: other_store,
        clock: d.clock.clone(),
        ids: std::sync::Arc::new(baqsha_app::SystemIds),
        keys: d._dir.path().join("keys"),
        persons: None,
    })
    .await
    .unwrap();
    let ask = baqsha_api::calls::TakeReferral { application: application.id, vacancy: choice.vacancy, confirmation: in_person(), lease: None };
    let (x, y) = tokio::join!(d.office.take_referral(&d.operator, &ask), other.take_referral(&d.operator, &ask));
    assert_eq!(x.is_ok() as u8 + y.is_ok() as u8, 1, "{x:?} {y:?}");
    let refused = match (x, y) {
        (Err(e), _) | (_, Err(e)) => e,
        (Ok(_), Ok(_)) => unreachable!("checked above"),
    };
    assert!(matches!(refused, ApiError::Rule { rule: RuleError::NotYourTurn | RuleError::PlaceTaken | RuleError::Transition(_) }), "a clear refusal: {refused:?}");
    let issued = d.office.issued_referrals(&d.operator, d.office.today(), d.office.today()).await.unwrap();
    assert_eq!(issued.len(), 1);
}

async fn open_places(d: &common::Desk, kindergarten: baqsha_core::KindergartenId, group: baqsha_core::GroupId) -> u32 {
    let p = d.office.passport(&d.admin, kindergarten).await.unwrap();
    p.groups.iter().find(|r| r.group.id == group).map(|r| r.open_places).expect("the group in its passport")
}
