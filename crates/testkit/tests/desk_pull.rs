//! The region's truth reaches the desk: a first sync that survives a cut (SYNC.md test 21),
//! checksums equal afterwards (G6), a change at one desk seen at another, pending work never
//! overwritten (G7), and a rejected change undone at the desk (G5).

use baqsha_app::sync::{pull_changes, push_outbox, take_snapshot, verify_scope, SyncError, Verified};
use baqsha_core::*;
use baqsha_server::Clock as _;
use baqsha_testkit as region;
use region::desk::{app, desk, joined, joined_at, kindergarten, made, Joined};
use region::Fault;

async fn on_server(t: &region::TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&t.server.pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_cut_midway_resumes_and_the_desk_then_holds_what_the_server_holds() {
    let t = region::server().await;
    // The region already has a queue of its own, made by another office.
    let mut elsewhere = t.desk("operator-1", "baqsha-operator").await;
    let k = kindergarten();
    // Enough for three chunks: the second travels while the first is written.
    let queued: Vec<_> = (0..6000).map(|n| region::register(&region::application(region::child(10_000 + n), k))).collect();
    for batch in queued.chunks(500) {
        t.send(&mut elsewhere, batch.to_vec()).await;
    }
    let addr = region::serve(&t).await;
    let proxy = region::FaultProxy::start(addr).await;
    let d = desk().await;
    let demo_children = d.office.store().application_count().await.unwrap();
    assert!(demo_children > 0, "the demo desk holds its own queue before joining");
    let Joined { client, token, .. } = joined_at(&proxy.url(), &d).await;
    let store = d.office.store();

    // The line breaks after the first chunk.
    let mut seen = vec![];
    let cut = take_snapshot(store, &client, &token, d.clock.as_ref(), |rows| {
        seen.push(rows);
        proxy.set(Fault::CutResponse(4000));
    })
    .await
    .unwrap_err();
    assert!(matches!(cut, SyncError::Unreachable { .. }), "{cut:?}");
    let halfway = store.snapshot_progress().await.unwrap().unwrap();
    // The chunk already on its way when the line broke is kept too.
    assert_eq!(seen.last(), Some(&halfway.rows));
    assert!(halfway.rows > 0 && halfway.after.is_some(), "{halfway:?}");
    assert_eq!(store.pull_cursor().await.unwrap(), None, "not synced yet");
    // The top bar: rows so far, of how many.
    let status = d.office.sync_status().await.unwrap();
    assert_eq!(status.first_sync_rows, Some(halfway.rows));
    let total = status.first_sync_total.expect("the server said the snapshot's size");
    assert!(total > halfway.rows && total > 6000, "{total}");

    // Healed, it goes on from the chunk it had, not from the start.
    proxy.set(Fault::None);
    let mut resumed = vec![];
    let done = take_snapshot(store, &client, &token, d.clock.as_ref(), |rows| resumed.push(rows)).await.unwrap();
    assert!(resumed.first().is_some_and(|r| *r > halfway.rows), "{resumed:?}");
    assert!(resumed.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(resumed.last(), Some(&total), "the snapshot held what the server said it would");
    assert_eq!(done.unplaced, 0);
    assert_eq!(store.snapshot_progress().await.unwrap(), None);

    // The desk's queue is now the region's (of its district), not the demo's.
    let district = region::region().districts[0].code.clone();
    let theirs = on_server(&t, &format!("SELECT count(*) FROM applications WHERE district = '{district}'")).await;
    assert_eq!(theirs, 6000);
    assert_eq!(store.application_count().await.unwrap(), theirs);
    assert!(!store.applications_of_child(&region::child(10_007)).await.unwrap().is_empty());
    assert_eq!(verify_scope(store, &client, &token, d.clock.as_ref()).await.unwrap(), Verified::Equal);

    // A row changed behind the desk's back is found by the checksums.
    sqlx::query("UPDATE mirror SET body = replace(body, 'Нұрлан', 'Нурлан') WHERE entity = 'application' AND id = (SELECT min(id) FROM mirror WHERE entity = 'application')")
        .execute(&sqlx::SqlitePool::connect(&format!("sqlite://{}", store.path().display())).await.unwrap())
        .await
        .unwrap();
    assert_eq!(verify_scope(store, &client, &token, d.clock.as_ref()).await.unwrap(), Verified::Differs(vec!["application".into()]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_at_one_desk_reaches_another_and_a_rejected_one_is_undone_where_it_was_made() {
    let t = region::server().await;
    let (a, b) = (desk().await, desk().await);
    let ja = joined(&t, &a).await;
    let jb = joined(&t, &b).await;
    let (sa, sb) = (a.office.store(), b.office.store());
    for (d, j) in [(&a, &ja), (&b, &jb)] {
        pull_changes(d.office.store(), &j.client, &j.token, d.clock.as_ref()).await.unwrap();
    }
    assert_eq!(sa.application_count().await.unwrap(), 0, "the region's queue is empty");

    // Registered at A and pushed: B sees it at its next pull, under the region's number.
    let k = kindergarten();
    let first = app(100, k);
    made(&a, &ja.operator, ja.device, region::register(&first)).await;
    push_outbox(sa, &ja.client, &ja.token, &ja.operator, a.clock.as_ref()).await.unwrap();
    let pulled = pull_changes(sb, &jb.client, &jb.token, b.clock.as_ref()).await.unwrap();
    assert!(pulled.rows >= 1 && !pulled.deferred, "{pulled:?}");
    let at_b = sb.application(first.id).await.unwrap();
    let number: String = sqlx::query_scalar("SELECT body->>'number' FROM applications WHERE id = $1").bind(first.id.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(at_b.number, number);
    assert_eq!(at_b.status, ApplicationStatus::Queued);
    // «Өтініш қозғалысының тарихы» at B tells who registered the child at A, and when.
    let lines = sb.history_lines(first.id).await.unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!((lines[0].kind.as_str(), lines[0].author.as_str()), ("register_application", ja.operator.full_name.as_str()));
    assert_eq!(lines[0].at, t.clock.now(), "when the region took it");
    // At A, its own line (the whole command) is told once, not again as the region's.
    assert_eq!(sa.history_lines(first.id).await.unwrap().len(), 1);

    // B has work of its own not answered yet: a pull writes nothing over it.
    let own = app(200, k);
    made(&b, &jb.operator, jb.device, region::register(&own)).await;
    let waiting = pull_changes(sb, &jb.client, &jb.token, b.clock.as_ref()).await.unwrap();
    assert!(waiting.deferred);
    assert_eq!(sb.application(own.id).await.unwrap().child.iin, own.child.iin, "the desk sees its own pending change");
    push_outbox(sb, &jb.client, &jb.token, &jb.operator, b.clock.as_ref()).await.unwrap();
    assert!(!pull_changes(sb, &jb.client, &jb.token, b.clock.as_ref()).await.unwrap().deferred);
    assert_eq!(
        sb.application(own.id).await.unwrap().number,
        sqlx::query_scalar::<_, String>("SELECT body->>'number' FROM applications WHERE id = $1").bind(own.id.0).fetch_one(&t.server.pool).await.unwrap()
    );

    // A, not having pulled, registers the child B registered: the server rejects it as a
    // duplicate, and A's next pull undoes it and takes B's application instead.
    let twin = app(200, k);
    made(&a, &ja.operator, ja.device, region::register(&twin)).await;
    let refused = push_outbox(sa, &ja.client, &ja.token, &ja.operator, a.clock.as_ref()).await.unwrap();
    assert_eq!(refused.rejected, 1);
    let undone = pull_changes(sa, &ja.client, &ja.token, a.clock.as_ref()).await.unwrap();
    assert_eq!(undone.undone, 1);
    assert!(sa.application(twin.id).await.is_err(), "the rejected registration is gone from desk A");
    assert_eq!(sa.application(own.id).await.unwrap().child.iin, twin.child.iin, "the child stands in the queue once, as B registered it");
    let problems = sa.rejected_changes().await.unwrap();
    assert_eq!(problems.len(), 1);
    let what = problems[0].undone.clone().expect("what was undone is told");
    assert_eq!((what[0].entity.as_str(), what[0].id, what[0].removed), ("application", twin.id.0, true));

    for (d, j) in [(&a, &ja), (&b, &jb)] {
        assert_eq!(verify_scope(d.office.store(), &j.client, &j.token, d.clock.as_ref()).await.unwrap(), Verified::Equal);
    }
    assert_eq!(sa.application_count().await.unwrap(), 2);
    assert_eq!(sb.application_count().await.unwrap(), 2);
}
