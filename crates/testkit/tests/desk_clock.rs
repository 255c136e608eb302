//! SYNC.md test 14: a desk's clock a year off, and jumping back. The desk goes by the region's
//! time once it has measured it, keeps working when its clock goes back offline, and the
//! region's queue keeps the order children were really registered in. A real desk
//! (`baqsha-app` on a SQLite file) against the real server on a throwaway PostgreSQL cluster.

use baqsha_api::NewApplication;
use baqsha_app::{Clock, Office, Parts, SystemIds};
use baqsha_core::command::{desk_date, Command, ContactConfirmation, IdDocument};
use baqsha_core::*;
use baqsha_server::Clock as _;
use baqsha_testkit as region;
use chrono::{Duration, NaiveDate};
use region::desk::{app, desk, kindergarten, Desk};
use region::{morning, Fault, FaultProxy};
use std::sync::Arc;

/// The wizard's form for a child born on `born`, as an operator fills it in.
fn form(n: u16, born: NaiveDate, k: KindergartenId) -> NewApplication {
    let child = (n..).find_map(|s| Iin::from_parts(born, Sex::Female, s)).unwrap();
    let a = region::application(child, k);
    NewApplication {
        child: a.child,
        parent: a.parent,
        contacts: a.contacts,
        address: a.address,
        preferences: a.preferences,
        language: a.language,
        benefit: None,
        consent: true,
        confirmation: ContactConfirmation::InPerson { document: IdDocument::IdCard, number: "012345678".into() },
    }
}

async fn joined(t: &region::TestServer, d: &Desk, url: &str) -> roles::Operator {
    d.office.join_region(&d.operator, url, "operator-1", "baqsha-operator").await.unwrap();
    let op = d.office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    d.office.sync_round().await.unwrap();
    assert_eq!(d.office.today(), desk_date(t.clock.now()));
    op
}

/// When the server holds the child's application as registered.
async fn registered_at(t: &region::TestServer, child: &Iin) -> chrono::DateTime<chrono::Utc> {
    sqlx::query_scalar("SELECT registered_at FROM applications WHERE child_iin = $1").bind(child.as_str()).fetch_one(&t.server.pool).await.unwrap()
}

/// A flat battery sets the desk's computer a year back. Until it syncs the desk cannot know
/// (a child born this autumn is "not born yet" by its clock); after one sync it goes by the
/// region's time — the date on its screens, the ages it checks, the time it registers at — and
/// keeps going by it after a restart without a line. The registration then stands in the
/// region's queue at the time it was made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_clock_a_year_behind_goes_by_the_regions_time_once_it_syncs() {
    let t = region::server().await;
    let url = format!("http://{}", region::serve(&t).await);
    let d = desk().await;
    let op = joined(&t, &d, &url).await;
    let k = kindergarten();
    let autumn = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();

    d.clock.set(morning() - Duration::days(365));
    t.clock.advance(Duration::minutes(5));
    assert!(d.office.submit_application(&op, &form(1, autumn, k)).await.is_err(), "by a clock a year behind the child is not born yet");

    d.office.sync_round().await.unwrap();
    assert!((d.office.clock_offset() - Duration::days(365)).abs() < Duration::minutes(10), "offset measured: {}", d.office.clock_offset());
    assert_eq!(d.office.today(), desk_date(t.clock.now()), "the desk's date is the region's");
    let form = form(1, autumn, k);
    d.office.submit_application(&op, &form).await.expect("a valid registration goes through");
    d.office.sync_round().await.unwrap();
    let at = registered_at(&t, &form.child.iin).await;
    assert!((at - t.clock.now()).abs() < Duration::minutes(1), "registered at the region's time, not a year back: {at}");

    // Restarted with the line down: the measured difference was kept.
    let file = d.dir.path().join("baqsha.sqlite");
    let store = baqsha_store::Store::open(&file).await.unwrap();
    let again = Office::new(Parts { store, clock: d.clock.clone(), ids: Arc::new(SystemIds), keys: d.dir.path().join("keys"), persons: None }).await.unwrap();
    assert_eq!(again.today(), desk_date(t.clock.now()), "after a restart offline too");
}

/// The desk has synced; offline, it registers one child, then its clock is set a year back
/// and it registers another (it is not refused for the clock: the region vouches for time).
/// Meanwhile another office registers a third child. Back online: the queue holds them in the
/// order they were really registered — the child registered under the wrong clock is not a
/// year ahead of everyone, nor ahead of the child registered before it at the same desk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_set_back_offline_keeps_the_desk_working_and_moves_nobody_ahead() {
    let t = region::server().await;
    let proxy = FaultProxy::start(region::serve(&t).await).await;
    let d = desk().await;
    let op = joined(&t, &d, &proxy.url()).await;
    let k = kindergarten();
    proxy.set(Fault::Refuse);
    let minutes = |n: i64| {
        d.clock.advance(Duration::minutes(n));
        t.clock.advance(Duration::minutes(n));
    };

    let register = |a: Application| {
        let d = &d;
        let op = op.clone();
        async move {
            let a = Application { registered_at: d.clock.now(), ..a };
            let command = Command { id: uuid::Uuid::now_v7(), author: op.id, device: d.office.device(), at: d.clock.now(), kind: region::register(&a) };
            d.office.store().apply(&op, &command).await.map(|_| a)
        }
    };
    minutes(10);
    let first = register(app(9001, k)).await.unwrap();
    minutes(10);
    d.clock.set(d.clock.now() - Duration::days(365));
    let second = register(app(9002, k)).await.expect("a joined desk is not stopped by its clock going back");
    minutes(10);
    let mut elsewhere = t.desk("operator-1", "baqsha-operator").await;
    let third = region::application(region::child(9003), k);
    region::decisions(&t.send(&mut elsewhere, vec![region::register(&third)]).await);

    proxy.set(Fault::None);
    let round = d.office.sync_round().await.unwrap();
    assert_eq!(round.pushed, 2);
    let (a, b, c) = (registered_at(&t, &first.child.iin).await, registered_at(&t, &second.child.iin).await, registered_at(&t, &third.child.iin).await);
    assert_eq!(a, first.registered_at, "the first kept the time it was made");
    assert!(b >= a && b < c, "the second stands after the first and before the other office's child: {a} {b} {c}");
    let order: Vec<String> = sqlx::query_scalar("SELECT number FROM applications WHERE child_iin = ANY($1) ORDER BY registered_at, number")
        .bind(vec![first.child.iin.as_str(), second.child.iin.as_str(), third.child.iin.as_str()])
        .fetch_all(&t.server.pool)
        .await
        .unwrap();
    let numbers: Vec<String> = {
        let mut n = vec![];
        for c in [&first, &second, &third] {
            n.push(sqlx::query_scalar("SELECT number FROM applications WHERE child_iin = $1").bind(c.child.iin.as_str()).fetch_one(&t.server.pool).await.unwrap());
        }
        n
    };
    assert_eq!(order, numbers, "the region's queue: first, second, then the other office's");
}
