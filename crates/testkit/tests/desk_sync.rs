//! The office's sync as the desk runs it: joining a region (and each way it can go wrong),
//! the rounds, the top bar's line and the problems panel, against a real server.

use baqsha_api::ApiError;
use baqsha_app::Clock;
use baqsha_core::*;
use baqsha_testkit as region;
use region::desk::{app, desk, kindergarten, made};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_joins_its_region_syncs_in_rounds_and_shows_what_the_server_refused() {
    let t = region::server().await;
    let addr = region::serve(&t).await;
    let url = format!("http://{addr}");
    let d = desk().await;
    let office = &d.office;
    assert!(!office.sync_status().await.unwrap().joined, "a desk alone has no sync line");

    // Each way joining goes wrong leaves the desk alone, as it was, with a clear reason.
    let wrong = |address: &'static str, password: &'static str| {
        let op = d.operator.clone();
        async move { office.join_region(&op, address, "operator-1", password).await.unwrap_err() }
    };
    assert_eq!(wrong("region.example", "baqsha-operator").await, ApiError::InvalidInput { field: "server".into() });
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let away: &'static str = Box::leak(format!("http://127.0.0.1:{port}").into_boxed_str());
    assert_eq!(wrong(away, "baqsha-operator").await, ApiError::Offline);
    let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other_url: &'static str = Box::leak(format!("http://{}", other.local_addr().unwrap()).into_boxed_str());
    tokio::spawn(async move { axum::serve(other, axum::Router::new().route("/", axum::routing::get(|| async { "a router's page" }))).await.unwrap() });
    assert_eq!(wrong(other_url, "baqsha-operator").await, ApiError::NotBaqshaServer);
    let leaked: &'static str = Box::leak(url.clone().into_boxed_str());
    assert_eq!(wrong(leaked, "not-the-password").await, ApiError::BadCredentials);
    assert!(office.store().region_link().await.unwrap().is_none());
    let demo = office.store().application_count().await.unwrap();

    let demo_seal = office.seal_key_id().await.unwrap();
    let joined = office.join_region(&d.operator, &url, "operator-1", "baqsha-operator").await.unwrap();
    assert!(joined.joined && joined.waiting == 0 && joined.problems == 0, "{joined:?}");
    assert!(office.region().await.unwrap().demo, "the demo region's desk keeps its «ДЕМО» badge");
    assert_eq!(office.seal_key_id().await.unwrap(), demo_seal, "and seals with the public demo key");
    let device = office.device();
    assert_eq!(office.store().region_link().await.unwrap().unwrap().device, device.0, "the desk's commands now come from the region's device");

    // The first round takes the first sync: the desk's queue is the region's now.
    let first = office.sync_round().await.unwrap();
    assert_eq!(first.verified, Some(baqsha_app::sync::Verified::Equal));
    assert_eq!(office.store().application_count().await.unwrap(), 0, "the demo's {demo} children were the desk's alone");
    let status = office.sync_status().await.unwrap();
    assert_eq!((status.online, status.last_sync_at, status.first_sync_rows, status.stale), (Some(true), Some(d.clock.now()), None, false));

    // The region's operator can sign in at this desk offline: the account was kept.
    let op = office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    let k = kindergarten();
    let a = app(100, k);
    made(&d, &op, device, region::register(&a)).await;
    assert_eq!(office.sync_status().await.unwrap().waiting, 1);
    // Joining anew now would leave the change behind: it is sent first.
    assert_eq!(office.join_region(&op, &url, "operator-1", "baqsha-operator").await.unwrap_err(), ApiError::ChangesWaiting { count: 1 });
    assert_eq!(office.store().region_link().await.unwrap().unwrap().device, device.0);
    let round = office.sync_round().await.unwrap();
    assert_eq!((round.pushed, round.rejected), (1, 0));
    assert_eq!(office.sync_status().await.unwrap().waiting, 0);
    assert!(office.store().application(a.id).await.unwrap().number.starts_with("VKO"), "the region's number");

    // Another office registered child 300 first; this desk did not know.
    let mut elsewhere = t.desk("operator-2", "baqsha-operator").await;
    t.send(&mut elsewhere, vec![region::register(&region::application(region::child(300), k))]).await;
    let twin = app(300, k);
    made(&d, &op, device, region::register(&twin)).await;
    let refused = office.sync_round().await.unwrap();
    assert_eq!((refused.rejected, refused.undone), (1, 1));
    assert!(office.store().application(twin.id).await.is_err(), "undone at the desk");
    let problems = office.sync_problems().await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind, "register_application");
    assert!(matches!(&problems[0].reason, baqsha_sync::Rejection::Rule { rule: command::RuleError::Duplicate { .. } }), "{:?}", problems[0].reason);
    assert_eq!(problems[0].undone.as_ref().map(|u| (u[0].entity.as_str(), u[0].removed)), Some(("application", true)));
    assert_eq!(office.sync_status().await.unwrap().problems, 1);
    office.acknowledge_sync_problem(&op, problems[0].seq).await.unwrap();
    assert_eq!(office.sync_status().await.unwrap().problems, 0);
    assert_eq!(office.acknowledge_sync_problem(&op, problems[0].seq).await.unwrap_err(), ApiError::NotFound);

    // Days without a line: the top bar warns.
    d.clock.set(d.clock.now() + chrono::Duration::days(3));
    assert!(office.sync_status().await.unwrap().stale);
}

/// A desk that began on the demo and joins a real region is a real office from then on: no
/// «ДЕМО» badge, and referrals sealed with the installation's own key, never the public one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_desk_joining_a_real_region_stops_being_a_demo() {
    let t = region::server().await;
    sqlx::query("DELETE FROM server_meta WHERE key = 'demo'").execute(&t.server.pool).await.unwrap();
    let addr = region::serve(&t).await;
    let d = desk().await;
    assert!(d.office.region().await.unwrap().demo);
    let demo_seal = d.office.seal_key_id().await.unwrap();
    // The demo's pretend registry knows its children by name.
    let child = region::region().applications[0].child.iin.as_str().to_string();
    let found = d.office.lookup_person(&d.operator, &child).await.unwrap();
    assert!(matches!(found, baqsha_api::PersonLookup::Found { .. }), "{found:?}");
    d.office.join_region(&d.operator, &format!("http://{addr}"), "operator-1", "baqsha-operator").await.unwrap();
    assert!(!d.office.region().await.unwrap().demo, "no «ДЕМО» badge on a real region's desk");
    // A real office never fills a form with the demo's invented names.
    let operator = d.office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    let after = d.office.lookup_person(&operator, &child).await.unwrap();
    assert!(!matches!(after, baqsha_api::PersonLookup::Found { .. }), "the demo's registry answered a real office: {after:?}");
    assert_ne!(d.office.seal_key_id().await.unwrap(), demo_seal, "referrals are sealed with the installation's key");
    assert!(d.office.start_info().await.unwrap().demo_accounts.is_empty(), "the sign-in screen no longer offers the demo's accounts");
}

/// SYNC.md 20: after a restart nobody is signed in as whom the desk can send: its changes
/// wait (the top bar says why), and go under their author once they sign in again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_changes_wait_for_their_author_and_keep_their_authorship() {
    let t = region::server().await;
    let addr = region::serve(&t).await;
    let d = desk().await;
    d.office.join_region(&d.operator, &format!("http://{addr}"), "operator-1", "baqsha-operator").await.unwrap();
    d.office.sync_round().await.unwrap();
    let op = d.office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    let a = app(100, kindergarten());
    made(&d, &op, d.office.device(), region::register(&a)).await;

    // The program restarts: the same database and keys, nothing in memory.
    let restarted = baqsha_app::Office::new(baqsha_app::Parts {
        store: d.office.store().clone(),
        clock: d.clock.clone(),
        ids: std::sync::Arc::new(baqsha_app::SystemIds),
        keys: d.dir.path().join("keys"),
        persons: None,
    })
    .await
    .unwrap();
    assert!(matches!(restarted.sync_round().await, Err(baqsha_app::sync::SyncError::SignIn)));
    let paused = restarted.sync_status().await.unwrap();
    assert!(paused.needs_sign_in && paused.waiting == 1, "{paused:?}");
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE id = $1").bind(a.id.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(n, 0, "nothing went under anyone else's name");

    restarted.sign_in("operator-1", "baqsha-operator").await.unwrap();
    let round = restarted.sync_round().await.unwrap();
    assert_eq!((round.pushed, round.rejected), (1, 0));
    let author: uuid::Uuid =
        sqlx::query_scalar("SELECT author FROM commands WHERE device = $1 ORDER BY seq DESC LIMIT 1").bind(restarted.device().0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(author, op.id.0, "sent as the operator who made it");
    assert!(!restarted.sync_status().await.unwrap().needs_sign_in);
}

/// G5 at the desk: a change in the outbox that this build cannot read (a newer build made it
/// before an older one was put back) no longer stops every push. It goes as it was made, the
/// region answers it alone, the panel shows it in Kazakh, and the changes after it are taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_this_build_cannot_read_is_answered_alone_and_the_changes_after_it_go() {
    let t = region::server().await;
    let addr = region::serve(&t).await;
    let d = desk().await;
    let office = &d.office;
    office.join_region(&d.operator, &format!("http://{addr}"), "operator-1", "baqsha-operator").await.unwrap();
    office.sync_round().await.unwrap();
    let op = office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    let device = office.device();
    let k = kindergarten();
    let (newer, after) = (app(100, k), app(200, k));
    made(&d, &op, device, region::register(&newer)).await;
    made(&d, &op, device, region::register(&after)).await;
    // The first was made by a build that knows a kind of change this one does not. (The
    // history takes no edits: the test steps around its guard to write that row as the newer
    // build would have.)
    let file = sqlx::SqlitePool::connect(&format!("sqlite://{}", office.store().path().display())).await.unwrap();
    sqlx::query("DROP TRIGGER history_is_append_only_update").execute(&file).await.unwrap();
    let tampered = sqlx::query(
        "UPDATE history SET body = replace(body, '\"type\":\"register_application\"', '\"type\":\"register_twins\"')
         WHERE kind = 'register_application' AND instr(body, ?) > 0",
    )
    .bind(newer.id.0.to_string())
    .execute(&file)
    .await
    .unwrap();
    assert_eq!(tampered.rows_affected(), 1);
    sqlx::query("CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history BEGIN SELECT RAISE(ABORT, 'history is append-only'); END").execute(&file).await.unwrap();
    let link = office.store().region_link().await.unwrap().unwrap();
    assert!(office.store().outbox_after(link.pushed_through, 10).await.is_err(), "this build cannot read it");

    let round = office.sync_round().await.unwrap();
    assert_eq!((round.pushed, round.rejected), (2, 1), "{round:?}");
    assert_eq!(office.sync_status().await.unwrap().waiting, 0, "nothing is stuck behind it");
    let taken: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE id = $1").bind(after.id.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(taken, 1, "the change after it reached the region");
    let problems = office.sync_problems().await.unwrap();
    assert_eq!(problems.len(), 1);
    assert!(matches!(&problems[0].reason, baqsha_sync::Rejection::Unreadable { kind, .. } if kind == "register_twins"), "{:?}", problems[0].reason);
    let said = baqsha_i18n::Translator::new(Lang::Kk).t("sync-reason-unreadable");
    assert!(said.contains("Baqsha нұсқасында") && said.contains("IT"), "{said}");
    // Undone at the desk by what its history row names: the region never had the child.
    assert!(office.store().application(newer.id).await.is_err(), "the desk holds what the region holds");
    assert_eq!(problems_undone(&office.sync_problems().await.unwrap()[0]), Some(("application".to_string(), true)));
    // Retried, it is not sent twice nor answered anew.
    let again = office.sync_round().await.unwrap();
    assert_eq!((again.pushed, again.rejected), (0, 0));
    assert!(office.store().application(after.id).await.is_ok());
    assert_eq!(office.sync_problems().await.unwrap().len(), 1, "the refusal stays on the panel until acknowledged");
}

fn problems_undone(p: &baqsha_api::SyncProblem) -> Option<(String, bool)> {
    p.undone.as_ref().and_then(|u| u.first()).map(|u| (u.entity.clone(), u.removed))
}

/// The other way is never taken: a real office that joins a server calling itself the demo
/// (the demo's accounts are public) stays a real office, sealing with its own key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_desk_joining_the_demo_server_stays_real() {
    let t = region::server().await;
    let addr = region::serve(&t).await;
    let d = desk().await;
    d.office.store().set_meta("demo", "0").await.unwrap();
    let own_seal = d.office.seal_key_id().await.unwrap();
    d.office.join_region(&d.operator, &format!("http://{addr}"), "operator-1", "baqsha-operator").await.unwrap();
    assert!(!d.office.region().await.unwrap().demo);
    assert_eq!(d.office.seal_key_id().await.unwrap(), own_seal);
}
