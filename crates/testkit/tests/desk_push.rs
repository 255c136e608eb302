//! The desk's outbox goes to a real regional server (PostgreSQL, over HTTP on a loopback
//! port): once, in order, each answer kept beside its command (SYNC.md G2, G3, G5).

use baqsha_app::sync::{push_outbox, RegionClient, SyncError};
use baqsha_app::Clock;
use baqsha_core::*;
use baqsha_testkit as region;
use region::desk::{app, desk, joined, joined_at, kindergarten, made, Joined};
use region::Fault;

async fn on_server(t: &region::TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&t.server.pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_reaches_the_server_once_in_order_and_keeps_every_answer() {
    let t = region::server().await;
    let d = desk().await;
    let Joined { client, operator: op, token, device, .. } = joined(&t, &d).await;
    let store = d.office.store();
    assert_eq!(store.changes_waiting().await.unwrap(), 0, "what the desk did alone stays its own");
    let before = on_server(&t, "SELECT count(*) FROM applications").await;
    let k = kindergarten();
    for a in [&app(100, k), &app(200, k), &app(300, k)] {
        made(&d, &op, device, region::register(a)).await;
    }
    assert_eq!(store.changes_waiting().await.unwrap(), 3);

    let pushed = push_outbox(store, &client, &token, &op, d.clock.as_ref()).await.unwrap();
    assert_eq!((pushed.answered, pushed.rejected, pushed.waiting_for), (3, 0, None));
    assert_eq!(on_server(&t, "SELECT count(*) FROM applications").await, before + 3);
    assert_eq!(store.changes_waiting().await.unwrap(), 0);
    let link = store.region_link().await.unwrap().unwrap();
    assert_eq!((link.last_push_at, link.last_error), (Some(d.clock.now()), None));

    // The answers were lost on the way: the desk sends the three again; the server answers
    // with what it decided the first time and applies nothing twice.
    store.resend_from(link.pushed_through - 2).await.unwrap();
    assert_eq!(store.changes_waiting().await.unwrap(), 3);
    let again = push_outbox(store, &client, &token, &op, d.clock.as_ref()).await.unwrap();
    assert_eq!((again.answered, again.rejected), (3, 0));
    assert_eq!(on_server(&t, "SELECT count(*) FROM applications").await, before + 3);

    // Another office registered a child first, while this desk was offline; the desk, not
    // knowing, registers the same child: the server refuses it as a duplicate, and the
    // refusal waits in the list until acknowledged.
    let mut elsewhere = t.desk("operator-2", "baqsha-operator").await;
    t.send(&mut elsewhere, vec![region::register(&region::application(region::child(700), k))]).await;
    made(&d, &op, device, region::register(&app(700, k))).await;
    let refused = push_outbox(store, &client, &token, &op, d.clock.as_ref()).await.unwrap();
    assert_eq!((refused.answered, refused.rejected), (1, 1));
    let problems = store.rejected_changes().await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind, "register_application");
    assert!(problems[0].decision.contains("rejected"), "{}", problems[0].decision);
    assert!(store.acknowledge_rejection(problems[0].seq, &op.login, d.clock.now()).await.unwrap());
    assert!(store.rejected_changes().await.unwrap().is_empty());
    assert!(!store.acknowledge_rejection(problems[0].seq, &op.login, d.clock.now()).await.unwrap(), "once");

    // A command by another operator of this desk waits for them to sign in; the outbox
    // does not skip it.
    made(&d, &d.operator, device, region::register(&app(400, k))).await;
    made(&d, &op, device, region::register(&app(500, k))).await;
    let stopped = push_outbox(store, &client, &token, &op, d.clock.as_ref()).await.unwrap();
    assert_eq!((stopped.answered, stopped.waiting_for), (0, Some(d.operator.id)));
    assert_eq!(store.changes_waiting().await.unwrap(), 2);
    assert_eq!(on_server(&t, "SELECT count(*) FROM applications").await, before + 4, "ours three and the other office's one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_away_or_not_baqsha_changes_nothing_at_the_desk() {
    let d = desk().await;
    assert!(matches!(RegionClient::new("ftp://region.example"), Err(SyncError::NotBaqsha { .. })));
    assert!(matches!(RegionClient::new("   "), Err(SyncError::NotBaqsha { .. })));

    // Nothing listens: the desk is offline, which passes.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let away = RegionClient::new(&format!("http://127.0.0.1:{port}")).unwrap();
    let e = away.check().await.unwrap_err();
    assert!(matches!(e, SyncError::Unreachable { .. }) && e.passes(), "{e:?}");

    // Something answers, but not as Baqsha does.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 13\r\nconnection: close\r\n\r\n<html></html>").await;
        }
    });
    let other = RegionClient::new(&format!("http://{addr}/")).unwrap();
    let e = other.check().await.unwrap_err();
    assert!(matches!(e, SyncError::NotBaqsha { .. }) && !e.passes(), "{e:?}");

    // A push that cannot go keeps the outbox and says why.
    let store = d.office.store();
    store.link_region(away.address(), uuid::Uuid::now_v7(), d.clock.now()).await.unwrap();
    let device = DeviceId(store.region_link().await.unwrap().unwrap().device);
    made(&d, &d.operator, device, region::register(&app(100, kindergarten()))).await;
    let e = push_outbox(store, &away, "token", &d.operator, d.clock.as_ref()).await.unwrap_err();
    assert!(e.passes(), "{e:?}");
    assert_eq!(store.changes_waiting().await.unwrap(), 1);
    let link = store.region_link().await.unwrap().unwrap();
    assert!(link.last_error.as_deref().is_some_and(|e| e.contains("cannot be reached")), "{link:?}");
}

/// The commands the server has taken from `device`.
async fn taken(t: &region::TestServer, device: DeviceId) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM commands WHERE device = $1").bind(device.0).fetch_one(&t.server.pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_a_failing_line_every_command_is_taken_once_and_answered() {
    let t = region::server().await;
    let d = desk().await;
    let proxy = region::FaultProxy::start(region::serve(&t).await).await;
    let Joined { client, operator: op, token, device, .. } = joined_at(&proxy.url(), &d).await;
    let store = d.office.store();
    let k = kindergarten();
    let push = || push_outbox(store, &client, &token, &op, d.clock.as_ref());

    // The answer is lost after the server committed (G2): the desk does not know, sends
    // again, and the server answers with what it decided, applying nothing twice.
    made(&d, &op, device, region::register(&app(1, k))).await;
    proxy.set(Fault::CutResponse(0));
    let e = push().await.unwrap_err();
    assert!(e.passes(), "{e:?}");
    assert_eq!(taken(&t, device).await, 1, "the server took it");
    assert_eq!(store.changes_waiting().await.unwrap(), 1, "the desk did not hear so");
    proxy.set(Fault::None);
    assert_eq!(push().await.unwrap().answered, 1);
    assert_eq!((taken(&t, device).await, store.changes_waiting().await.unwrap()), (1, 0));

    // A line that is slow, partitioned, or cut at any byte of a request or an answer, while
    // the operator goes on working (SYNC.md's fault list): once it heals, every command is
    // taken once, in order, and answered (G2, G3, G5).
    let mut seed: u64 = 0x05ee_d0fb_a95a;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut made_n = 1;
    let (mut failed, mut answered) = (0, 1);
    for round in 0..40 {
        for _ in 0..(round % 3) {
            made_n += 1;
            made(&d, &op, device, region::register(&app(made_n, k))).await;
        }
        let fault = match next(5) {
            0 => Fault::None,
            1 => Fault::Delay(std::time::Duration::from_millis(20)),
            2 => Fault::Refuse,
            3 => Fault::CutRequest(next(3000) as usize),
            _ => Fault::CutResponse(next(600) as usize),
        };
        proxy.set(fault);
        match push().await {
            Ok(p) => answered += p.answered,
            Err(e) => {
                assert!(e.passes(), "a broken line is an offline desk, not an error to show: {e:?} under {fault:?}");
                failed += 1;
            }
        }
    }
    proxy.set(Fault::None);
    answered += push().await.unwrap().answered;
    assert!(failed > 5, "the line failed {failed} times");
    assert_eq!(store.changes_waiting().await.unwrap(), 0);
    assert_eq!(taken(&t, device).await, i64::from(made_n), "each command taken once");
    assert!(answered >= made_n as usize, "every command answered at the desk ({answered} answers, some twice)");
    assert!(store.rejected_changes().await.unwrap().is_empty());
    let numbered: i64 =
        sqlx::query_scalar("SELECT count(*) FROM commands WHERE device = $1 AND outcome LIKE '%\"number\"%'").bind(device.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(numbered, i64::from(made_n), "each given the region's number");
}
