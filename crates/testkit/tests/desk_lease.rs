//! Leases at a desk of a region: places the region set aside for the office, the only places
//! a desk offers with the line down. A referral from a current lease stands (G4: the lease's
//! places are out of the region's rounds, so no place is given twice); one from a lease the
//! region has taken back is refused, undone at the desk and listed with its reason (G5).

use baqsha_api::{calls::TakeReferral, RegionAnswer};
use baqsha_core::command::{ContactConfirmation, IdDocument, RuleError};
use baqsha_core::*;
use baqsha_server::Clock as _;
use baqsha_sync::Rejection;
use baqsha_testkit as region;
use region::desk::{app, desk, Desk};
use region::places::{first_district_kindergarten, publish};
use region::{Fault, FaultProxy};
use std::time::{Duration, Instant};

async fn until<F: std::future::Future<Output = bool>>(what: &str, mut check: impl FnMut() -> F) {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < Duration::from_secs(60), "waited 60 s for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn registered(d: &Desk, op: &roles::Operator, k: KindergartenId, mut n: u32) -> Application {
    loop {
        let a = app(n, k);
        let command = command::Command { id: uuid::Uuid::now_v7(), author: op.id, device: d.office.device(), at: region::morning(), kind: region::register(&a) };
        match d.office.store().apply(op, &command).await {
            Ok(_) => return a,
            Err(baqsha_store::ApplyError::Rule(RuleError::Duplicate { .. })) => n += 1,
            Err(e) => panic!("registering child {n}: {e}"),
        }
    }
}

fn from_lease(application: ApplicationId, vacancy: VacancyId, lease: LeaseId) -> TakeReferral {
    TakeReferral { application, vacancy, confirmation: ContactConfirmation::InPerson { document: IdDocument::IdCard, number: "012345678".into() }, lease: Some(lease) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_a_desk_refers_only_from_its_lease_and_the_region_holds_it_to_the_lease() {
    let t = region::server().await;
    let proxy = FaultProxy::start(region::serve(&t).await).await;
    let d = desk().await;
    let office = &d.office;
    office.join_region(&d.operator, &proxy.url(), "operator-1", "baqsha-operator").await.unwrap();
    let op = office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    tokio::spawn(office.clone().run_sync());
    until("the first sync", || async { office.sync_status().await.unwrap().last_sync_at.is_some() }).await;

    let (k, staff) = first_district_kindergarten();
    let (_, vacancy) = publish(&t, &staff, k, 3).await;
    let first = registered(&d, &op, k, 500).await;
    let second = registered(&d, &op, k, 600).await;
    let third = registered(&d, &op, k, 700).await;
    // The place must have reached the desk too: a lease shows the vacancy it is of.
    let file = sqlx::SqlitePool::connect(&format!("sqlite://{}", office.store().path().display())).await.unwrap();
    until("the registrations to reach the server and the place the desk", || async {
        let held: i64 = sqlx::query_scalar("SELECT count(*) FROM vacancies WHERE id = ?").bind(vacancy.0.to_string()).fetch_one(&file).await.unwrap();
        office.sync_status().await.unwrap().waiting == 0 && held == 1
    })
    .await;

    // A place the desk has not received is not asked for (it could be neither shown nor
    // given here).
    let unknown = office.ask_lease(&op, VacancyId(uuid::Uuid::from_u128(7)), 1).await.unwrap_err();
    assert!(matches!(unknown, baqsha_api::ApiError::NotFound), "{unknown:?}");

    // Before a day without a line the office asks for two of the three places. The region's
    // round offers the third alone, to the first in its queue.
    let lease = office.ask_lease(&op, vacancy, 2).await.unwrap();
    assert_eq!((lease.lease.places, lease.left, lease.lease.vacancy), (2, 2, vacancy));
    let too_many = office.ask_lease(&op, vacancy, 2).await.unwrap_err();
    assert!(matches!(too_many, baqsha_api::ApiError::RegionRefused { reason: Rejection::Rule { rule: RuleError::MorePlacesThanFree { .. } } }), "{too_many:?}");
    let round = t.server.offer_round(t.clock.now()).await.unwrap();
    assert_eq!(round.offered.iter().map(|o| o.application).collect::<Vec<_>>(), vec![first.id]);
    until("the lease and the offer at the desk", || async {
        office.leases(&op).await.unwrap().first().is_some_and(|l| l.lease.used == 0) && !office.place_choices(&op, first.id).await.unwrap().is_empty()
    })
    .await;

    // The line goes down: the desk offers only its lease's places, in the queue's order —
    // the first holds the region's offer, so the turns are the second's and the third's.
    proxy.set(Fault::Refuse);
    until("the desk to know it is offline", || async { office.offline().await.unwrap() }).await;
    assert!(office.place_choices(&op, first.id).await.unwrap().is_empty(), "the first holds the region's offer already");
    assert_eq!(office.place_choices(&op, third.id).await.unwrap().len(), 1, "two places leased: the second and the third's turns");
    let choices = office.place_choices(&op, second.id).await.unwrap();
    assert_eq!(choices.iter().map(|c| (c.vacancy, c.lease.as_ref().map(|l| l.id))).collect::<Vec<_>>(), vec![(vacancy, Some(lease.lease.id))]);
    let taken = office.take_referral(&op, &from_lease(second.id, vacancy, lease.lease.id)).await.unwrap();
    assert_eq!(taken.region, RegionAnswer::Waiting);
    assert_eq!(office.leases(&op).await.unwrap()[0].left, 1, "one of the lease's places given here");

    // Back online the region takes it: the lease is current by the server's clock.
    proxy.set(Fault::None);
    until("the referral at the server", || async { office.sync_status().await.unwrap().waiting == 0 }).await;
    assert!(office.sync_problems().await.unwrap().is_empty());
    let used: i32 = sqlx::query_scalar("SELECT used FROM leases WHERE id = $1").bind(lease.lease.id.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(used, 1);

    // Down again, and this time the lease lapses at the region before the desk is heard:
    // the third's referral from it is refused, undone here and listed.
    proxy.set(Fault::Refuse);
    until("the desk to know it is offline", || async { office.offline().await.unwrap() }).await;
    let choices = office.place_choices(&op, third.id).await.unwrap();
    assert_eq!(choices.len(), 1, "the lease's last place is the third's");
    let waiting = office.take_referral(&op, &from_lease(third.id, vacancy, lease.lease.id)).await.unwrap();
    assert_eq!(waiting.region, RegionAnswer::Waiting);
    t.clock.advance(chrono::Duration::days(8));
    assert_eq!(t.server.offer_round(t.clock.now()).await.unwrap().leases_ended, 1);
    proxy.set(Fault::None);
    until("the refusal to be undone", || async { office.sync_problems().await.unwrap().iter().any(|p| p.undone.is_some()) }).await;
    let problems = office.sync_problems().await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(matches!(problems[0].reason, Rejection::Rule { rule: RuleError::LeaseNotCurrent { .. } }), "{:?}", problems[0].reason);
    assert!(office.referral_of(&op, third.id).await.unwrap().is_none(), "undone at the desk");
    assert_eq!(office.store().application(third.id).await.unwrap().status, ApplicationStatus::Queued, "back in the queue at its time");
    let referrals: i64 = sqlx::query_scalar("SELECT count(*) FROM referrals WHERE vacancy = $1").bind(vacancy.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(referrals, 1, "only the referral from the current lease stands");
}
