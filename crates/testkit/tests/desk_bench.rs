//! What a desk's sync costs, against the real server over HTTP on loopback: a month's
//! backlog drained (goal: 5,000 commands in < 60 s) and the desk's own save while its outbox
//! drains (goal: p95 < 50 ms). Full size under `./scripts/bench.sh` (`BAQSHA_BENCH=1`, a
//! release build); a small run of the same code in the test suite.

use baqsha_app::sync::{push_outbox, take_snapshot, verify_scope, Verified};
use baqsha_testkit as region;
use region::desk::{desk, joined, kindergarten, registered_from, Joined};
use std::time::{Duration, Instant};

fn full() -> bool {
    std::env::var("BAQSHA_BENCH").is_ok_and(|v| v == "1")
}

fn p95(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[(times.len() * 95 / 100).min(times.len() - 1)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_offline_drains_and_the_desk_saves_meanwhile() {
    let (backlog, during) = if full() { (5_000u32, 300u32) } else { (300, 30) };
    let t = region::server().await;
    let d = desk().await;
    let Joined { client, operator: op, device, refresh_token, .. } = joined(&t, &d).await;
    let k = kindergarten();

    // Thirty days offline: the registrations spread over the month at the desk.
    let step = chrono::Duration::days(30) / backlog as i32;
    let mut next = 1;
    for _ in 0..backlog {
        next = registered_from(&d, &op, device, k, next).await;
        d.clock.advance(step);
    }
    let store = d.office.store();
    assert_eq!(store.changes_waiting().await.unwrap(), u64::from(backlog));
    // Back online a month later: the server's clock has moved on too; a fresh sign-in.
    t.clock.advance(chrono::Duration::days(30));
    let token = client.token(device, &refresh_token, "operator-1", "baqsha-operator").await.unwrap().token;

    let started = Instant::now();
    let pushed = push_outbox(store, &client, &token, &op, d.clock.as_ref()).await.unwrap();
    let drained = started.elapsed();
    assert_eq!(pushed.answered, backlog as usize);
    assert_eq!(store.changes_waiting().await.unwrap(), 0);
    let verdict = if drained.as_secs_f64() * 5_000.0 / f64::from(backlog) < 60.0 { "met" } else { "NOT met" };
    println!(
        "a {backlog}-command backlog (30 days offline) drained in {:.1} s: {:.0} commands/s (goal 5,000 in < 60 s: {verdict})",
        drained.as_secs_f64(),
        f64::from(backlog) / drained.as_secs_f64()
    );

    // The operator works while the outbox drains: each save timed at the desk.
    for _ in 0..backlog / 2 {
        next = registered_from(&d, &op, device, k, next).await;
    }
    let pusher = {
        let (store, client, token, op, clock) = (store.clone(), client.clone(), token.clone(), op.clone(), d.clock.clone());
        tokio::spawn(async move { push_outbox(&store, &client, &token, &op, clock.as_ref()).await })
    };
    let mut saves = vec![];
    for _ in 0..during {
        let started = Instant::now();
        next = registered_from(&d, &op, device, k, next).await;
        saves.push(started.elapsed());
    }
    let meanwhile = pusher.await.unwrap().unwrap().answered;
    let p = p95(saves);
    let verdict = if p < Duration::from_millis(50) { "met" } else { "NOT met" };
    println!("the desk's save while {meanwhile} commands were pushed: p95 {:.1} ms over {during} saves (goal < 50 ms: {verdict})", p.as_secs_f64() * 1e3);
    assert!(meanwhile > 0, "the push ran beside the saves");
}

/// A district office's first sync applied at a real desk (goal ≥ 20,000 rows/s), the desk
/// answering reads meanwhile; then a change at desk A seen at desk B (goal p95 < 2 s), each
/// desk running its rounds as the app does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_at_the_desk_and_a_change_from_one_desk_to_another() {
    let (applications, changes) = if full() { (20_000u32, 30u32) } else { (1_000, 5) };
    let t = region::server().await;
    let region_data = region::region();
    let district = region_data.districts[0].code.clone();
    let ks: Vec<_> = region_data.kindergartens.iter().filter(|k| k.district == district).map(|k| k.id).collect();
    let mut elsewhere = t.desk("operator-1", "baqsha-operator").await;
    for batch in 0..applications / 500 {
        let kinds = (0..500u32).map(|i| {
            let n = batch * 500 + i;
            region::register(&region::application(region::child(n), ks[n as usize % ks.len()]))
        });
        let answer = t.send(&mut elsewhere, kinds.collect()).await;
        assert!(!answer.contains("rejected"), "{}", &answer[..answer.len().min(300)]);
    }
    let addr = region::serve(&t).await;
    let url = format!("http://{addr}");
    // The first sync timed on its own (fetched and written), then its proof (checksums).
    let c = desk().await;
    let Joined { client, token, .. } = region::desk::joined_at(&url, &c).await;
    let store = c.office.store();
    // Reads at the desk while its first sync runs (the registry's search, what a screen asks).
    let reading = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut times = vec![];
            let query = baqsha_api::RegistryQuery::default();
            loop {
                let started = Instant::now();
                store.search_kindergartens(&query).await.unwrap();
                times.push(started.elapsed());
                if store.pull_cursor().await.unwrap().is_some() {
                    return times;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let started = Instant::now();
    let taken = take_snapshot(store, &client, &token, c.clock.as_ref(), |_| {}).await.unwrap();
    let took = started.elapsed();
    let reads = reading.await.unwrap();
    let started = Instant::now();
    assert_eq!(verify_scope(store, &client, &token, c.clock.as_ref()).await.unwrap(), Verified::Equal);
    let proved = started.elapsed();
    assert_eq!(store.application_count().await.unwrap(), i64::from(applications));
    let rate = taken.rows as f64 / took.as_secs_f64();
    let verdict = if rate >= 20_000.0 { "met" } else { "NOT met" };
    println!(
        "first sync of a district office at the desk: {} rows ({applications} applications and their history) fetched and written in {:.2} s = {rate:.0} rows/s (goal ≥ 20,000: {verdict}); checksums of both sides compared in {:.2} s; the desk's registry search meanwhile p95 {:.1} ms over {} reads",
        taken.rows,
        took.as_secs_f64(),
        proved.as_secs_f64(),
        p95(reads.clone()).as_secs_f64() * 1e3,
        reads.len()
    );

    // Where a first sync's time goes: the same chunks at another desk, first only fetched and
    // read, then only written (the desk does both at once, one chunk apart).
    let c = desk().await;
    let Joined { client, token, .. } = region::desk::joined_at(&url, &c).await;
    let store = c.office.store();
    let started = Instant::now();
    let mut page = client.snapshot(&token, None, None, baqsha_app::sync::SNAPSHOT_CHUNK).await.unwrap();
    let mut pages = vec![];
    loop {
        let next = page.next.clone();
        let position = page.position;
        let rows = baqsha_app::sync::snapshot_rows(std::mem::take(&mut page.rows));
        pages.push((rows, page.epoch, position, next.clone()));
        match next {
            Some(k) => page = client.snapshot(&token, Some(position), Some(&(k.entity, k.id)), baqsha_app::sync::SNAPSHOT_CHUNK).await.unwrap(),
            None => break,
        }
    }
    let fetched = started.elapsed();
    let started = Instant::now();
    for (rows, epoch, position, next) in &pages {
        store.apply_snapshot_chunk(rows, *epoch, *position, next.as_ref().map(|k| (k.entity.as_str(), k.id)), baqsha_app::Clock::now(c.clock.as_ref())).await.unwrap();
    }
    let written = started.elapsed();
    println!(
        "  of which, apart: fetched and read in {:.2} s ({:.0} rows/s), written in {:.2} s ({:.0} rows/s)",
        fetched.as_secs_f64(),
        taken.rows as f64 / fetched.as_secs_f64(),
        written.as_secs_f64(),
        taken.rows as f64 / written.as_secs_f64()
    );

    let a = desk().await;
    a.office.join_region(&a.operator, &url, "operator-1", "baqsha-operator").await.unwrap();
    a.office.sync_round().await.unwrap();

    // A second desk of the region; both run their rounds as the app does (`run_sync`).
    let b = desk().await;
    b.office.join_region(&b.operator, &url, "operator-1", "baqsha-operator").await.unwrap();
    b.office.sync_round().await.unwrap();
    tokio::spawn(a.office.clone().run_sync());
    tokio::spawn(b.office.clone().run_sync());
    let op = a.office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    let device = a.office.device();
    let mut seen = vec![];
    let mut next = 100_000;
    for _ in 0..changes {
        let before = b.office.store().application_count().await.unwrap();
        let started = Instant::now();
        next = registered_from(&a, &op, device, ks[0], next).await;
        while b.office.store().application_count().await.unwrap() == before {
            assert!(started.elapsed() < Duration::from_secs(30), "the change never reached desk B");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        seen.push(started.elapsed());
    }
    let p = p95(seen.clone());
    let verdict = if p < Duration::from_secs(2) { "met" } else { "NOT met" };
    println!(
        "a registration at desk A in desk B's queue: p95 {:.2} s, worst {:.2} s over {changes} changes (goal p95 < 2 s: {verdict})",
        p.as_secs_f64(),
        seen.iter().max().unwrap().as_secs_f64()
    );
}
