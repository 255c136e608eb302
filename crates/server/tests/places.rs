//! Places decided for the whole region against a real PostgreSQL: a published place is
//! offered to the region's first child who fits, whichever office registered them; a place
//! is never given twice, even to fifty requests through two server processes at once;
//! offline referrals stand only on a current lease; parents are told once.

mod common;
use baqsha_core::command::{CommandKind, RuleError};
use baqsha_core::roles::Denied;
use baqsha_core::*;
use baqsha_server::auth::Tokens;
use baqsha_server::{Clock, Server};
use baqsha_sync::{Decision, LeaseAnswer, LeaseRequest, Rejection};
use chrono::Duration;
use common::places::{ask, first_district_kindergarten, publish, referral, refusal};
use common::*;
use uuid::Uuid;

async fn count(t: &TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&t.server.pool).await.unwrap()
}

#[tokio::test]
async fn a_published_place_goes_to_the_regions_first_child_whichever_office_queued_them() {
    let t = server().await;
    let (k, staff) = first_district_kindergarten();
    let (group, vacancy) = publish(&t, &staff, k, 1).await;
    // Another district's office queued its child first; the kindergarten's own district second.
    let (mut other, mut own) = (t.desk("operator-2", "baqsha-operator").await, t.desk("operator-1", "baqsha-operator").await);
    let first = application(child(1), k);
    let second = Application { registered_at: morning() + Duration::minutes(5), ..application(child(2), k) };
    t.clock.advance(Duration::minutes(10));
    assert!(matches!(decisions(&t.send(&mut other, vec![register(&first)]).await)[..], [Decision::Changed { .. }]));
    assert!(matches!(decisions(&t.send(&mut own, vec![register(&second)]).await)[..], [Decision::Changed { .. }]));

    let round = t.server.offer_round(t.clock.now()).await.unwrap();
    assert_eq!(round.offered.iter().map(|o| (o.application, o.position)).collect::<Vec<_>>(), vec![(first.id, 1)], "the region's queue, not the office's");
    assert!(t.server.offer_round(t.clock.now()).await.unwrap().offered.is_empty(), "a second round offers nothing new");

    // Not the second child's turn; the department of the kindergarten's district refers the
    // first (the office that queued them elsewhere does not decide this district's places).
    let not_yet = decisions(&t.send(&mut own, vec![ask(&second, &group, vacancy, None)]).await);
    assert_eq!(refusal(&not_yet[0]), Some(&RuleError::NotYourTurn));
    let elsewhere = decisions(&t.send(&mut other, vec![ask(&first, &group, vacancy, None)]).await);
    assert_eq!(elsewhere, vec![Decision::Rejected { reason: Rejection::NotFound { what: "application".into() } }]);
    let taken = decisions(&t.send(&mut own, vec![ask(&first, &group, vacancy, None)]).await);
    let r = referral(&taken[0]).unwrap_or_else(|| panic!("{taken:?}"));
    assert_eq!((r.application, r.vacancy, r.status), (first.id, vacancy, ReferralStatus::Confirmed));
    assert!(r.number.contains("-ZH-2026-"), "the server's series: {}", r.number);
    assert!(r.valid_until > command::desk_date(t.clock.now()));
    assert_eq!(count(&t, &format!("SELECT open::bigint FROM vacancies WHERE id = '{}'", vacancy.0)).await, 0);

    // The region's history of the child's application, in the order it happened.
    let kinds: Vec<String> = sqlx::query_scalar("SELECT body->>'kind' FROM history WHERE application = $1 ORDER BY id").bind(first.id.0).fetch_all(&t.server.pool).await.unwrap();
    assert_eq!(kinds, ["register_application", "make_offer", "issue_referral"]);

    // The parents were told once each: the offer and the referral, in Kazakh.
    let texts: Vec<String> = sqlx::query_scalar("SELECT body FROM notifications ORDER BY created_at").fetch_all(&t.server.pool).await.unwrap();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[1].contains(&r.number), "{texts:?}");
    let router = baqsha_notify::Router::default();
    assert_eq!(t.server.send_notifications(&router, 100).await.unwrap().sent, 2);
    assert_eq!(t.server.send_notifications(&router, 100).await.unwrap().sent, 0, "sent once");

    // The referral and the offer reach the kindergarten's office, not another kindergarten's.
    let (_, other_staff) = {
        let r = region();
        let (i, _) = r.kindergartens.iter().enumerate().find(|(_, x)| x.id != k).unwrap();
        ((), format!("balabaqsha-{}", i + 1))
    };
    let seen = |desk: Desk| {
        let server = t.server.clone();
        async move {
            let page = server.pull(&desk.claims, 0, 5000).await.unwrap();
            page.changes.iter().filter(|c| c.entity == "referral" || c.entity == "offer").count()
        }
    };
    assert!(seen(t.desk(&staff, baqsha_server::seed::STAFF_PASSWORD).await).await >= 2);
    assert_eq!(seen(t.desk(&other_staff, baqsha_server::seed::STAFF_PASSWORD).await).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_requests_for_one_place_through_two_servers_give_one_referral() {
    let t = server().await;
    let second = Server::open(&t.url, Tokens::new(&[7u8; 32], chrono::Duration::minutes(15)), t.clock.clone()).await.unwrap();
    let servers = [t.server.clone(), second];
    let (k, staff) = first_district_kindergarten();
    let (group, vacancy) = publish(&t, &staff, k, 1).await;
    let mut office = t.desk("operator-1", "baqsha-operator").await;
    let apps: Vec<Application> = (0..26).map(|n| Application { registered_at: morning() - Duration::minutes(60 - n), ..application(child(10 + n as u32), k) }).collect();
    let answer = t.send(&mut office, apps.iter().map(register).collect()).await;
    assert!(decisions(&answer).iter().all(|d| matches!(d, Decision::Changed { .. })), "{answer}");
    let round = t.server.offer_round(t.clock.now()).await.unwrap();
    assert_eq!(round.offered.len(), 1);
    assert_eq!(round.offered[0].application, apps[0].id);
    // Half the requests are for the child whose turn it is (operators at several desks), half
    // for children behind them; all at once, through both servers.
    let mut tasks = vec![];
    for n in 0..50usize {
        let mut desk = t.desk(if n % 2 == 0 { "operator-1" } else { "admin" }, if n % 2 == 0 { "baqsha-operator" } else { "baqsha-admin" }).await;
        let a = if n < 25 { &apps[0] } else { &apps[n - 24] };
        let one = desk.command(ask(a, &group, vacancy, None), t.clock.now());
        let req = desk.push(vec![one]);
        let server = servers[n % 2].clone();
        tasks.push(tokio::spawn(async move { server.push(&desk.claims, &req).await.unwrap().to_json() }));
    }
    let mut referred = vec![];
    let mut refused = vec![];
    for task in tasks {
        for d in decisions(&task.await.unwrap()) {
            match (referral(&d), refusal(&d)) {
                (Some(r), _) => referred.push(r.application),
                (_, Some(e)) => refused.push(e.clone()),
                _ => panic!("{d:?}"),
            }
        }
    }
    assert_eq!(referred, vec![apps[0].id], "exactly one referral, to the child whose turn it was");
    assert_eq!(refused.len(), 49);
    assert!(refused.iter().all(|e| matches!(e, RuleError::NotYourTurn | RuleError::Transition(_) | RuleError::PlaceTaken)), "each refusal says why: {refused:?}");
    assert_eq!(count(&t, "SELECT count(*) FROM referrals").await, 1);
    assert_eq!(count(&t, &format!("SELECT open::bigint FROM vacancies WHERE id = '{}'", vacancy.0)).await, 0);
}

#[tokio::test]
async fn an_offline_referral_stands_on_a_current_lease_and_is_refused_after_it() {
    let t = server().await;
    let (k, staff) = first_district_kindergarten();
    let (group, vacancy) = publish(&t, &staff, k, 2).await;
    let mut office = t.desk("operator-1", "baqsha-operator").await;
    let lease = |desk: &Desk, places: u32, v: VacancyId| {
        let (server, claims) = (t.server.clone(), desk.claims.clone());
        async move { server.grant_lease(&claims, &LeaseRequest { vacancy: v, places }).await.unwrap() }
    };
    // Who may hold places: not a kindergarten, not another district, not more than is open.
    let kindergarten = t.desk(&staff, baqsha_server::seed::STAFF_PASSWORD).await;
    assert_eq!(lease(&kindergarten, 1, vacancy).await, LeaseAnswer::Refused { reason: Rejection::Denied { denied: Denied::Role } });
    let elsewhere = t.desk("operator-2", "baqsha-operator").await;
    assert_eq!(lease(&elsewhere, 1, vacancy).await, LeaseAnswer::Refused { reason: Rejection::NotFound { what: "vacancy".into() } });
    assert_eq!(lease(&office, 3, vacancy).await, LeaseAnswer::Refused { reason: Rejection::Rule { rule: RuleError::MorePlacesThanFree { requested: 3, free: 2 } } });
    let LeaseAnswer::Granted { lease: held } = lease(&office, 1, vacancy).await else { panic!("a lease") };
    assert_eq!(held.expires_at, t.clock.now() + Duration::days(7));

    let apps: Vec<Application> = (0..3).map(|n| Application { registered_at: morning() - Duration::minutes(10 - n), ..application(child(40 + n as u32), k) }).collect();
    t.send(&mut office, apps.iter().map(register).collect()).await;
    // The round offers only the place the lease did not take.
    let round = t.server.offer_round(t.clock.now()).await.unwrap();
    assert_eq!(round.offered.iter().map(|o| o.application).collect::<Vec<_>>(), vec![apps[0].id]);
    // Offline, the office refers the second child from its lease; a third finds it used up.
    let from_lease = decisions(&t.send(&mut office, vec![ask(&apps[1], &group, vacancy, Some(held.id)), ask(&apps[2], &group, vacancy, Some(held.id))]).await);
    assert_eq!(referral(&from_lease[0]).map(|r| r.application), Some(apps[1].id), "{from_lease:?}");
    assert_eq!(refusal(&from_lease[1]), Some(&RuleError::LeaseSpent));

    // A second lease lapses while the office is offline: what it issued meanwhile is refused,
    // named with when the lease ended, and its place goes back to the region.
    let (other_group, other_vacancy) = publish(&t, &staff, k, 1).await;
    // Given back early (the office is online again): the place is the region's at once.
    let LeaseAnswer::Granted { lease: early } = lease(&office, 1, other_vacancy).await else { panic!("a lease") };
    assert_eq!(count(&t, &format!("SELECT open::bigint FROM vacancies WHERE id = '{}'", other_vacancy.0)).await, 0);
    let LeaseAnswer::Granted { lease: back } = t.server.return_lease(&office.claims, early.id).await.unwrap() else { panic!("given back") };
    assert_eq!(back.ended_at, Some(t.clock.now()));
    assert_eq!(t.server.return_lease(&office.claims, early.id).await.unwrap(), LeaseAnswer::Granted { lease: back }, "giving it back twice changes nothing");
    assert_eq!(count(&t, &format!("SELECT open::bigint FROM vacancies WHERE id = '{}'", other_vacancy.0)).await, 1);
    let elsewhere_back = t.server.return_lease(&elsewhere.claims, early.id).await.unwrap();
    assert_eq!(elsewhere_back, LeaseAnswer::Refused { reason: Rejection::NotFound { what: "lease".into() } }, "another office cannot give it back");
    let LeaseAnswer::Granted { lease: lapsing } = lease(&office, 1, other_vacancy).await else { panic!("a lease") };
    t.clock.advance(Duration::days(8));
    let late = decisions(&t.send(&mut office, vec![ask(&apps[2], &other_group, other_vacancy, Some(lapsing.id))]).await);
    assert_eq!(refusal(&late[0]), Some(&RuleError::LeaseNotCurrent { ended: lapsing.expires_at }));
    assert_eq!(count(&t, &format!("SELECT open::bigint FROM vacancies WHERE id = '{}'", other_vacancy.0)).await, 0, "held until the lease is ended");
    let round = t.server.offer_round(t.clock.now()).await.unwrap();
    assert_eq!(round.leases_ended, 2, "both leases lapsed; the used one gives nothing back");
    assert_eq!(round.referrals_expired, 1, "the referral from the lease was not used by its last day either");
    assert_eq!(count(&t, &format!("SELECT open::bigint FROM vacancies WHERE id = '{}'", vacancy.0)).await, 2, "so both places are the region's again");
    assert_eq!(count(&t, &format!("SELECT open::bigint FROM vacancies WHERE id = '{}'", other_vacancy.0)).await, 1, "back in the region's bulletin");
}

async fn status(t: &TestServer, a: &Application) -> String {
    sqlx::query_scalar("SELECT status FROM applications WHERE id = $1").bind(a.id.0).fetch_one(&t.server.pool).await.unwrap()
}

async fn open(t: &TestServer, v: VacancyId) -> i64 {
    count(t, &format!("SELECT open::bigint FROM vacancies WHERE id = '{}'", v.0)).await
}

#[tokio::test]
async fn a_referral_refused_withdrawn_or_let_expire_returns_its_place_and_an_admission_fills_the_group() {
    let t = server().await;
    let (k, staff) = first_district_kindergarten();
    let (group, vacancy) = publish(&t, &staff, k, 2).await;
    let mut office = t.desk("operator-1", "baqsha-operator").await;
    let mut apps: Vec<Application> = (0..4).map(|n| Application { registered_at: morning() - Duration::minutes(10 - n), ..application(child(60 + n as u32), k) }).collect();
    // The second child has special educational needs (a priority benefit, still being verified).
    apps[1].benefit = Some(BenefitClaim { kind: BenefitKind::SpecialNeeds, verification: Verification::Pending, proofs: vec![] });
    t.send(&mut office, apps.iter().map(register).collect()).await;
    let refer = |a: &Application| ask(a, &group, vacancy, None);
    t.server.offer_round(t.clock.now()).await.unwrap();
    let issued = decisions(&t.send(&mut office, vec![refer(&apps[0]), refer(&apps[1])]).await);
    let (r0, r1) = (referral(&issued[0]).unwrap().clone(), referral(&issued[1]).unwrap().clone());
    assert_eq!(open(&t, vacancy).await, 0);

    // The parent refuses: the place is back, the child back in the queue at their time, and
    // the next round offers the place to the next child, not again to them.
    let refused = t.send(&mut office, vec![CommandKind::RefuseReferral { referral: command::ReferralRef::of(&r0), reason: "басқа қалаға көшеді".into() }]).await;
    assert_eq!(decisions(&refused), vec![Decision::Applied]);
    assert_eq!((open(&t, vacancy).await, status(&t, &apps[0]).await.as_str()), (1, "queued"));
    let round = t.server.offer_round(t.clock.now()).await.unwrap();
    assert_eq!(round.offered.iter().map(|o| o.application).collect::<Vec<_>>(), vec![apps[2].id]);

    // The kindergarten admits the second child with the documents — for a child with special
    // educational needs, the consultation's conclusion too: one more in the group.
    let mut kindergarten = t.desk(&staff, baqsha_server::seed::STAFF_PASSWORD).await;
    let four = baqsha_core::referral::ADMISSION_DOCUMENTS[..4].to_vec();
    let all = baqsha_core::referral::ADMISSION_DOCUMENTS.to_vec();
    let admitted = t
        .send(
            &mut kindergarten,
            vec![
                CommandKind::AdmitReferral { referral: command::ReferralRef::of(&r1), documents: four },
                CommandKind::AdmitReferral { referral: command::ReferralRef::of(&r1), documents: all },
            ],
        )
        .await;
    let d = decisions(&admitted);
    assert_eq!(refusal(&d[0]), Some(&RuleError::DocumentsMissing { missing: vec![baqsha_core::referral::AdmissionDocument::SpecialNeedsConclusion] }), "{admitted}");
    assert_eq!(d[1], Decision::Applied, "{admitted}");
    assert_eq!(status(&t, &apps[1]).await, "enrolled");
    assert_eq!(count(&t, &format!("SELECT enrolled::bigint FROM groups WHERE id = '{}'", group.id.0)).await, 21);

    // The third child is referred, then withdrawn: the referral ends with the application.
    let third = decisions(&t.send(&mut office, vec![refer(&apps[2])]).await);
    assert!(referral(&third[0]).is_some(), "{third:?}");
    t.send(&mut office, vec![CommandKind::WithdrawApplication { application: apps[2].id, reason: "ата-ана бас тартты".into() }]).await;
    assert_eq!((open(&t, vacancy).await, status(&t, &apps[2]).await.as_str()), (1, "withdrawn"));

    // The fourth is offered the place, referred, and does not come: after its last day the
    // server expires it by itself and the place is back.
    t.server.offer_round(t.clock.now()).await.unwrap();
    let fourth = decisions(&t.send(&mut office, vec![refer(&apps[3])]).await);
    let r3 = referral(&fourth[0]).unwrap_or_else(|| panic!("{fourth:?}")).clone();
    t.clock.advance(Duration::days(3));
    assert_eq!(t.server.offer_round(t.clock.now()).await.unwrap().referrals_expired, 0, "valid until {}", r3.valid_until);
    t.clock.advance(Duration::days(40));
    assert_eq!(t.server.offer_round(t.clock.now()).await.unwrap().referrals_expired, 1);
    let told: String = sqlx::query_scalar("SELECT body FROM notifications WHERE key = $1").bind(format!("expired:{}", r3.id)).fetch_one(&t.server.pool).await.unwrap();
    assert!(told.contains(&r3.number) && told.contains("мерзімі"), "the parent is told, in Kazakh: {told}");
    assert_eq!((open(&t, vacancy).await, status(&t, &apps[3]).await.as_str()), (1, "queued"));
}

#[tokio::test]
async fn the_regions_calendar_decides_the_servers_deadlines_and_reaches_every_desk() {
    let t = server().await;
    let mut admin = t.desk("admin", "baqsha-admin").await;
    let staff = t.desk("balabaqsha-1", baqsha_server::seed::STAFF_PASSWORD).await;
    let year = 2031;
    let day = chrono::NaiveDate::from_ymd_opt(year, 5, 28).unwrap();
    let outside = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 2).unwrap();
    let answer = t.send(&mut admin, vec![CommandKind::SetKurbanAit { year, first_day: day }, CommandKind::SetKurbanAit { year, first_day: outside }]).await;
    assert_eq!(decisions(&answer)[0], Decision::Applied);
    assert_eq!(refusal(&decisions(&answer)[1]), Some(&RuleError::KurbanAitOutsideYear { year }));
    let thursday = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    t.send(&mut admin, vec![CommandKind::SetCalendarDay { date: thursday, kind: Some(baqsha_core::calendar::DayKind::DayOff) }]).await;
    let page = t.server.pull(&staff.claims, 0, 5000).await.unwrap();
    assert_eq!(page.changes.iter().filter(|c| c.entity == "calendar").count(), 2, "every office receives the region's calendar");
    let sum = t.server.checksum(&staff.claims).await.unwrap();
    assert_eq!(sum.entities.iter().find(|e| e.entity == "calendar").map(|e| e.count), Some(2));
    // A referral issued on Wednesday is confirmed within two working days: with Thursday off,
    // by Monday rather than Friday.
    let (k, staff_login) = first_district_kindergarten();
    let (group, vacancy) = publish(&t, &staff_login, k, 1).await;
    let mut office = t.desk("operator-1", "baqsha-operator").await;
    let a = application(child(80), k);
    t.send(&mut office, vec![register(&a)]).await;
    t.server.offer_round(t.clock.now()).await.unwrap();
    let issued = decisions(&t.send(&mut office, vec![ask(&a, &group, vacancy, None)]).await);
    let r = referral(&issued[0]).unwrap_or_else(|| panic!("{issued:?}"));
    assert_eq!(r.confirm_by, chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(), "Fri 4 and Mon 7, Thursday 3 being off");
}

#[tokio::test]
async fn the_regions_settings_decide_refusals_and_the_summer_pause() {
    let t = server().await;
    let mut admin = t.desk("admin", "baqsha-admin").await;
    let stop = baqsha_core::referral::RefusalRules { annuls: false, stop_list_days: 30 };
    let pause = Some(baqsha_core::referral::PublicationPause::default());
    let typo = baqsha_core::referral::RefusalRules { annuls: false, stop_list_days: 400 };
    let answer = t
        .send(
            &mut admin,
            vec![CommandKind::SaveOfficeSettings { refusal: stop, publication_pause: pause }, CommandKind::SaveOfficeSettings { refusal: typo, publication_pause: pause }],
        )
        .await;
    assert_eq!(decisions(&answer)[0], Decision::Applied);
    assert!(matches!(refusal(&decisions(&answer)[1]), Some(RuleError::BadSetting { .. })), "{answer}");

    // Places dated into August are refused (groups move up then).
    let (k, staff) = first_district_kindergarten();
    let mut kindergarten = t.desk(&staff, baqsha_server::seed::STAFF_PASSWORD).await;
    let (group, vacancy) = publish(&t, &staff, k, 1).await;
    let august = Vacancy { id: VacancyId(Uuid::now_v7()), kindergarten: k, group: group.id, count: 1, published_on: chrono::NaiveDate::from_ymd_opt(2027, 8, 10).unwrap() };
    let paused = decisions(&t.send(&mut kindergarten, vec![CommandKind::PublishVacancy { vacancy: august }]).await);
    assert!(matches!(refusal(&paused[0]), Some(RuleError::PublicationPaused { .. })), "{paused:?}");

    // A refusal puts the child on the stop-list: the next place goes to the next child.
    let mut office = t.desk("operator-1", "baqsha-operator").await;
    let apps: Vec<Application> = (0..2).map(|n| Application { registered_at: morning() - Duration::minutes(10 - n), ..application(child(90 + n as u32), k) }).collect();
    t.send(&mut office, apps.iter().map(register).collect()).await;
    t.server.offer_round(t.clock.now()).await.unwrap();
    let issued = decisions(&t.send(&mut office, vec![ask(&apps[0], &group, vacancy, None)]).await);
    let r = referral(&issued[0]).unwrap_or_else(|| panic!("{issued:?}")).clone();
    t.send(&mut office, vec![CommandKind::RefuseReferral { referral: command::ReferralRef::of(&r), reason: "алыс".into() }]).await;
    assert_eq!(status(&t, &apps[0]).await, "queued", "back in the queue at their time");
    publish(&t, &staff, k, 1).await;
    let round = t.server.offer_round(t.clock.now()).await.unwrap();
    assert_eq!(round.offered.iter().map(|o| o.application).collect::<Vec<_>>(), vec![apps[1].id], "the first child is on the stop-list");
    // Thirty days on, the stop-list has ended: a place reaches the first child again.
    t.clock.advance(Duration::days(31));
    let round = t.server.offer_round(t.clock.now()).await.unwrap();
    assert!(round.offered.iter().any(|o| o.application == apps[0].id), "{:?}", round.offered);
}

/// Parents withdraw while a round runs: however the two interleave, no offer is written to a
/// child after the child has left the queue (a round's pass and a command never overlap).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_offer_is_written_to_a_child_after_the_child_left_the_queue() {
    let t = server().await;
    let (k, staff) = first_district_kindergarten();
    for _ in 0..4 {
        publish(&t, &staff, k, 5).await;
    }
    let mut desk = t.desk("operator-1", "baqsha-operator").await;
    let children: Vec<Application> = (1..=60).map(|i| Application { registered_at: morning() + Duration::seconds(i.into()), ..application(child(i), k) }).collect();
    t.clock.advance(Duration::minutes(10));
    let registered = decisions(&t.send(&mut desk, children.iter().map(register).collect()).await);
    assert!(registered.iter().all(|d| matches!(d, Decision::Changed { .. })), "{registered:?}");
    // The front of the queue first: each withdrawal lands while the round may be offering.
    let withdraw = async {
        for a in &children {
            let answer = t.send(&mut desk, vec![CommandKind::WithdrawApplication { application: a.id, reason: "Басқа қалаға көшті".into() }]).await;
            assert_eq!(decisions(&answer), vec![Decision::Applied], "{answer}");
        }
    };
    let (round, ()) = tokio::join!(t.server.offer_round(t.clock.now()), withdraw);
    let round = round.unwrap();
    // The change log is the order things were decided in.
    let late: Vec<(Uuid, i64, i64)> = sqlx::query_as(
        "SELECT o.id, w.pos, o.pos FROM changes o JOIN changes w ON w.entity = 'application' AND w.id = (o.body::jsonb->>'application')::uuid
         WHERE o.entity = 'offer' AND o.body::jsonb->>'status' = 'open' AND w.body::jsonb->>'status' = 'withdrawn' AND o.pos > w.pos",
    )
    .fetch_all(&t.server.pool)
    .await
    .unwrap();
    assert!(late.is_empty(), "offers written after their child withdrew: {late:?} (of {} offered)", round.offered.len());
    assert_eq!(count(&t, "SELECT count(*) FROM applications WHERE status = 'withdrawn'").await, 60);
}
