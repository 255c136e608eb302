//! «Жолдама алу» at a desk of a region: the region's server decides while the screen waits. A
//! place is given once, under the server's number (G4); a referral the server refuses is
//! undone at the desk and said (G5); with the line down the referral waits at the desk and the
//! refusal that follows is listed with what was undone.

use baqsha_api::{calls::TakeReferral, ApiError, RegionAnswer};
use baqsha_app::Clock;
use baqsha_core::command::{ContactConfirmation, IdDocument};
use baqsha_core::*;
use baqsha_server::Clock as _;
use baqsha_sync::Rejection;
use baqsha_testkit as region;
use region::desk::{app, desk, Desk};
use region::places::{ask, first_district_kindergarten, publish, referral};
use region::{Fault, FaultProxy};
use std::time::{Duration, Instant};

async fn on_server(t: &region::TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&t.server.pool).await.unwrap()
}

/// Waits (up to 30 s) until `check` holds; the desk's sync runs in the background meanwhile.
async fn until<F: std::future::Future<Output = bool>>(what: &str, mut check: impl FnMut() -> F) {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < Duration::from_secs(60), "waited 60 s for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn in_person(application: ApplicationId, vacancy: VacancyId) -> TakeReferral {
    TakeReferral { application, vacancy, confirmation: ContactConfirmation::InPerson { document: IdDocument::IdCard, number: "012345678".into() }, lease: None }
}

/// Registers the `n`-th demo child (or the next one the desk does not hold) at the desk.
async fn registered(d: &Desk, op: &roles::Operator, k: KindergartenId, mut n: u32) -> Application {
    loop {
        let a = app(n, k);
        let command = command::Command { id: uuid::Uuid::now_v7(), author: op.id, device: d.office.device(), at: d.clock.now(), kind: region::register(&a) };
        match d.office.store().apply(op, &command).await {
            Ok(_) => return a,
            Err(baqsha_store::ApplyError::Rule(command::RuleError::Duplicate { .. })) => n += 1,
            Err(e) => panic!("registering child {n}: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_the_server_gives_the_place_and_offline_the_referral_waits_and_a_refusal_is_undone() {
    let t = region::server().await;
    let proxy = FaultProxy::start(region::serve(&t).await).await;
    let d = desk().await;
    let office = &d.office;
    office.join_region(&d.operator, &proxy.url(), "operator-1", "baqsha-operator").await.unwrap();
    let op = office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    tokio::spawn(office.clone().run_sync());
    until("the first sync", || async { office.sync_status().await.unwrap().last_sync_at.is_some() }).await;

    let (k, staff) = first_district_kindergarten();
    let (group, vacancy) = publish(&t, &staff, k, 2).await;
    let first = registered(&d, &op, k, 500).await;
    let second = registered(&d, &op, k, 600).await;
    until("the registrations to reach the server", || async { office.sync_status().await.unwrap().waiting == 0 }).await;
    let round = t.server.offer_round(t.clock.now()).await.unwrap();
    assert_eq!(round.offered.len(), 2, "{round:?}");
    until("the offers to reach the desk", || async { !office.place_choices(&op, first.id).await.unwrap().is_empty() }).await;

    // Online: the server decides while the screen waits, and its number is the one shown.
    let started = Instant::now();
    let taken = office.take_referral(&op, &in_person(first.id, vacancy)).await.unwrap();
    assert_eq!(taken.region, RegionAnswer::Confirmed);
    assert!(started.elapsed() < Duration::from_secs(5), "the decision took {:?}", started.elapsed());
    let number: String = sqlx::query_scalar("SELECT number FROM referrals WHERE application = $1").bind(first.id.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(taken.referral.referral.number, number, "the region's number, not a provisional one");
    assert!(taken.messages.is_empty(), "the server tells the parent, not the desk");
    assert_eq!(on_server(&t, "SELECT count(*) FROM referrals").await, 1);

    // The line goes down; meanwhile the department refers the second child at another desk
    // of the same office. This desk still shows the offer and takes the place.
    proxy.set(Fault::Refuse);
    let mut other = t.desk("operator-1", "baqsha-operator").await;
    let there = region::decisions(&t.send(&mut other, vec![ask(&second, &group, vacancy, None)]).await);
    let theirs = referral(&there[0]).unwrap_or_else(|| panic!("{there:?}")).number.clone();
    let started = Instant::now();
    let waiting = office.take_referral(&op, &in_person(second.id, vacancy)).await.unwrap();
    assert_eq!(waiting.region, RegionAnswer::Waiting, "no answer: it waits at the desk");
    assert!(started.elapsed() < baqsha_app::sync::DECISION_WAIT, "a failed round ends the wait: {:?}", started.elapsed());
    assert_eq!(office.sync_status().await.unwrap().waiting, 1);

    // The line is back: the server refuses it, the desk undoes it and lists it.
    proxy.set(Fault::None);
    until("the refusal to be undone", || async { office.sync_problems().await.unwrap().iter().any(|p| p.undone.is_some()) }).await;
    let problems = office.sync_problems().await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].kind, "issue_referral");
    assert!(matches!(problems[0].reason, Rejection::Rule { .. }), "{:?}", problems[0].reason);
    until("the region's referral at the desk", || async { office.referral_of(&op, second.id).await.unwrap().is_some_and(|v| v.referral.number == theirs) }).await;
    assert_eq!(on_server(&t, "SELECT count(*) FROM referrals").await, 2, "one place each, never one twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_referral_the_server_refuses_is_undone_and_its_reason_is_the_answer() {
    let t = region::server().await;
    let addr = region::serve(&t).await;
    let d = desk().await;
    let office = &d.office;
    office.join_region(&d.operator, &format!("http://{addr}"), "operator-1", "baqsha-operator").await.unwrap();
    let op = office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    office.sync_round().await.unwrap();
    let (k, staff) = first_district_kindergarten();
    let (group, vacancy) = publish(&t, &staff, k, 1).await;
    let child = registered(&d, &op, k, 700).await;
    office.sync_round().await.unwrap();
    assert_eq!(t.server.offer_round(t.clock.now()).await.unwrap().offered.len(), 1);
    office.sync_round().await.unwrap();
    assert_eq!(office.place_choices(&op, child.id).await.unwrap().len(), 1);
    // Another desk of the office refers the child first; this one has not heard yet.
    let mut other = t.desk("operator-1", "baqsha-operator").await;
    t.send(&mut other, vec![ask(&child, &group, vacancy, None)]).await;

    // The sync as the shell runs it, woken by the change: here a round once the change waits.
    let sync = async {
        until("the referral in the outbox", || async { office.sync_status().await.unwrap().waiting == 1 }).await;
        office.sync_round().await.unwrap();
    };
    let ask = in_person(child.id, vacancy);
    let (taken, ()) = tokio::join!(office.take_referral(&op, &ask), sync);
    let Err(ApiError::RegionRefused { reason: Rejection::Rule { .. } }) = taken else { panic!("{taken:?}") };
    let held = office.referral_of(&op, child.id).await.unwrap().expect("the region's referral");
    let number: String = sqlx::query_scalar("SELECT number FROM referrals WHERE application = $1").bind(child.id.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(held.referral.number, number, "the desk holds the region's referral, its own undone");
    assert_eq!(office.sync_problems().await.unwrap().len(), 1, "and lists what it undid");
    assert!(d.clock.now() >= region::morning());
}
