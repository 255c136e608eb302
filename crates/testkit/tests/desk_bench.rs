//! What a desk's sync costs, against the real server over HTTP on loopback: a month's
//! backlog drained (goal: 5,000 commands in < 60 s) and the desk's own save while its outbox
//! drains (goal: p95 < 50 ms). Full size under `./scripts/bench.sh` (`BAQSHA_BENCH=1`, a
//! release build); a small run of the same code in the test suite.

use baqsha_app::sync::push_outbox;
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
