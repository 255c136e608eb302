//! The region changes under a desk: its server restored from a backup (SYNC.md test 16), its
//! operator moved to another office (SYNC.md test 18). A real desk (`baqsha-app` on a SQLite
//! file) against the real server on a throwaway PostgreSQL cluster.

use baqsha_app::sync::{verify_scope, RegionClient, Round, Verified};
use baqsha_app::Clock;
use baqsha_core::command::{ApplicationChanges, RuleError};
use baqsha_core::*;
use baqsha_server::auth::Tokens;
use baqsha_server::Server;
use baqsha_sync::Rejection;
use baqsha_testkit as region;
use region::desk::{app, desk, kindergarten, made, Desk};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The region's server on a loopback address it can be started at again (a restart keeps the
/// address the desks joined).
struct Served {
    addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Served {
    async fn start(server: Server, addr: SocketAddr) -> Served {
        let listener = tokio::net::TcpListener::bind(addr).await.expect("the server's address");
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let router = baqsha_server::router(server);
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap()
        });
        Served { addr, stop, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops taking requests and lets those in flight finish.
    async fn stop(self) -> SocketAddr {
        let _ = self.stop.send(());
        let mut task = self.task;
        if tokio::time::timeout(std::time::Duration::from_secs(5), &mut task).await.is_err() {
            task.abort();
        }
        self.addr
    }
}

/// Debian's PostgreSQL tools, the version the test kit's cluster runs.
fn pg_tool(tool: &str) -> PathBuf {
    let mut versions: Vec<u32> = std::fs::read_dir("/usr/lib/postgresql").unwrap().flatten().filter_map(|e| e.file_name().to_string_lossy().parse().ok()).collect();
    versions.sort();
    PathBuf::from(format!("/usr/lib/postgresql/{}/bin/{tool}", versions.last().unwrap()))
}

async fn run(tool: &str, args: Vec<String>) {
    let path = pg_tool(tool);
    let out = tokio::task::spawn_blocking(move || std::process::Command::new(&path).args(&args).output()).await.unwrap().unwrap();
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The region's nightly backup: `pg_dump` of the server's database.
async fn backup(url: &str, file: &Path) {
    run("pg_dump", vec!["--format=custom".into(), format!("--file={}", file.display()), url.into()]).await;
}

/// What the region's IT does after losing the server's disk: the database made again, empty,
/// under the same name, and the backup restored into it.
async fn restore(url: &str, file: &Path) {
    let (cluster, name) = url.rsplit_once('/').unwrap();
    let admin = sqlx::PgPool::connect(&format!("{cluster}/postgres")).await.unwrap();
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE template0")).execute(&admin).await.unwrap();
    admin.close().await;
    run("pg_restore", vec!["--exit-on-error".into(), format!("--dbname={url}"), file.display().to_string()]).await;
}

/// How many applications of this id the server holds.
async fn held(t: &region::TestServer, id: ApplicationId) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM applications WHERE id = $1").bind(id.0).fetch_one(&t.server.pool).await.unwrap()
}

async fn number_on_server(t: &region::TestServer, id: ApplicationId) -> String {
    sqlx::query_scalar("SELECT number FROM applications WHERE id = $1").bind(id.0).fetch_one(&t.server.pool).await.unwrap()
}

/// The desk's own checksums against the server's, under a token of the desk's device.
async fn checked(d: &Desk, url: &str, login: &str) -> Verified {
    let client = RegionClient::new(url).unwrap();
    // Where `join_region` keeps the device's refresh token among the desk's secrets.
    let refresh = d.office.secret("region_refresh_token").expect("the desk's refresh token");
    let token = client.token(d.office.device(), &refresh, login, "baqsha-operator").await.unwrap();
    verify_scope(d.office.store(), &client, &token.token, d.clock.as_ref()).await.unwrap()
}

fn sent(r: &Round) -> (usize, usize) {
    (r.pushed, r.rejected)
}

/// G5, G6: the region's server restored from last night's backup has lost what it took since.
/// The desk is asked for a reset: it takes the region anew but keeps its outbox and sends
/// again what the server lost, which is taken once; a change the restored region can no longer
/// take is refused where the operator sees it, never dropped; the desk's numbering goes on;
/// and the checksums then agree.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restored_from_a_backup_gets_back_from_the_desk_what_it_lost() {
    let t = region::server().await;
    let served = Served::start(t.server.clone(), "127.0.0.1:0".parse().unwrap()).await;
    let url = served.url();
    let d = desk().await;
    let office = &d.office;
    office.join_region(&d.operator, &url, "operator-1", "baqsha-operator").await.unwrap();
    assert_eq!(office.sync_round().await.unwrap().verified, Some(Verified::Equal));
    let op = office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    let (device, k) = (office.device(), kindergarten());
    let store = office.store();

    // Taken before the night's backup.
    let early = app(100, k);
    made(&d, &op, device, region::register(&early)).await;
    assert_eq!(sent(&office.sync_round().await.unwrap()), (1, 0));
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("region.dump");
    backup(&t.url, &dump).await;

    // Taken the next morning: the desk shows each under the region's number, saved.
    let (resent, refused) = (app(101, k), app(102, k));
    for a in [&resent, &refused] {
        made(&d, &op, device, region::register(a)).await;
    }
    assert_eq!(sent(&office.sync_round().await.unwrap()), (2, 0));
    let mut saved = vec![];
    for a in [&early, &resent, &refused] {
        let number = store.application(a.id).await.unwrap().number;
        assert_eq!(number, number_on_server(&t, a.id).await);
        saved.push((a.id, number));
    }
    assert_eq!(office.sync_status().await.unwrap().waiting, 0);
    let epoch_before = t.server.epoch().await.unwrap();

    // The server's disk fails at noon. The region's IT restores the backup and starts the
    // server again at the same address, with the same key.
    let addr = served.stop().await;
    t.server.pool.close().await;
    restore(&t.url, &dump).await;
    let server = Server::open(&t.url, Tokens::new(&[7u8; 32], chrono::Duration::minutes(15)), t.clock.clone()).await.unwrap();
    let served = Served::start(server.clone(), addr).await;
    let t = region::TestServer { server, clock: t.clock.clone(), url: t.url.clone() };
    assert_eq!((held(&t, early.id).await, held(&t, resent.id).await, held(&t, refused.id).await), (1, 0, 0), "the backup's state");

    // Another office, not knowing, registers `refused`'s child again: the region no longer had
    // that child in its queue.
    let mut elsewhere = t.desk("operator-2", "baqsha-operator").await;
    let answer = t.send(&mut elsewhere, vec![region::register(&region::application(region::child(102), k))]).await;
    assert!(matches!(region::decisions(&answer)[..], [baqsha_sync::Decision::Changed { .. }]), "{answer}");
    let twin: String =
        sqlx::query_scalar("SELECT number FROM applications WHERE child_iin = $1 AND status = 'queued'").bind(refused.child.iin.as_str()).fetch_one(&t.server.pool).await.unwrap();

    // The desk's next rounds. Throughout, it never stops showing a change it was told was saved.
    for n in 1..=3 {
        let round = office.sync_round().await.unwrap_or_else(|e| panic!("round {n} after the restore: {e}"));
        for (id, number) in &saved[..2] {
            assert!(store.application(*id).await.is_ok(), "after round {n} ({round:?}) the desk no longer shows {number}, which it was told was saved");
        }
    }

    // What the restore lost came back from the desk, once.
    assert_eq!(held(&t, resent.id).await, 1, "the region lost a change the desk had been told was saved, and the desk did not send it again");
    assert_eq!(held(&t, early.id).await, 1);
    let taken: Vec<i64> = sqlx::query_scalar("SELECT seq FROM commands WHERE device = $1 ORDER BY seq").bind(device.0).fetch_all(&t.server.pool).await.unwrap();
    assert_eq!(taken, vec![1, 2, 3], "the device's commands, each once, in the desk's own numbering");

    // What it can no longer take is refused where the operator sees it, and undone.
    let problems = office.sync_problems().await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].kind, "register_application");
    assert_eq!(problems[0].reason, Rejection::Rule { rule: RuleError::Duplicate { number: twin.clone() } });
    assert_eq!(problems[0].undone.as_ref().map(|u| u.iter().map(|u| (u.entity.as_str(), u.removed)).collect::<Vec<_>>()), Some(vec![("application", true)]));
    assert!(store.application(refused.id).await.is_err(), "undone at the desk");
    assert_eq!(store.applications_of_child(&refused.child.iin).await.unwrap().iter().map(|a| a.number.clone()).collect::<Vec<_>>(), vec![twin]);

    // The desk took the restored region anew and holds exactly what it holds.
    let epoch = t.server.epoch().await.unwrap();
    assert_ne!(epoch, epoch_before, "a restored server is a new epoch: cursors from before it ask for a reset");
    assert_eq!(store.pull_cursor().await.unwrap().map(|c| c.0), Some(epoch));
    assert_eq!(store.application(resent.id).await.unwrap().number, number_on_server(&t, resent.id).await, "the number the region gave this time");
    assert_eq!(checked(&d, &url, "operator-1").await, Verified::Equal);
    let status = office.sync_status().await.unwrap();
    assert_eq!((status.waiting, status.problems), (0, 1));

    // The desk's numbering goes on where it was: its next change is the server's fourth.
    let later = app(103, k);
    made(&d, &op, device, region::register(&later)).await;
    assert_eq!(sent(&office.sync_round().await.unwrap()), (1, 0));
    let last: i64 = sqlx::query_scalar("SELECT last_seq FROM devices WHERE id = $1").bind(device.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!((last, held(&t, later.id).await), (4, 1));
    served.stop().await;
}

/// G8, G5: the region's admin moves an operator, with the desk they work at, to another
/// district's department. At the next sync the desk holds the new office's queue and nothing
/// of the old one's; the changes made under the old office that the new one may not make are
/// refused with a reason in the sync problems and undone; nothing goes without a word.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_moved_to_another_office_leaves_the_old_scope_and_sees_what_was_refused() {
    let t = region::server().await;
    let addr = region::serve(&t).await;
    let url = format!("http://{addr}");
    let r = region::region();
    let (old, new) = (r.districts[0].code.clone(), r.districts[1].code.clone());
    let k_old = kindergarten();
    let k_new = r.kindergartens.iter().find(|k| k.district == new).unwrap().id;

    // The new office's queue, which this desk has never seen.
    let mut theirs = t.desk("operator-2", "baqsha-operator").await;
    let answer = t.send(&mut theirs, (500..503).map(|n| region::register(&region::application(region::child(n), k_new))).collect()).await;
    assert!(region::decisions(&answer).iter().all(|d| matches!(d, baqsha_sync::Decision::Changed { .. })), "{answer}");

    let d = desk().await;
    let office = &d.office;
    let store = office.store();
    office.join_region(&d.operator, &url, "operator-1", "baqsha-operator").await.unwrap();
    assert_eq!(office.sync_round().await.unwrap().verified, Some(Verified::Equal));
    let op = office.sign_in("operator-1", "baqsha-operator").await.unwrap().operator;
    let device = office.device();
    let (edited, withdrawn) = (app(100, k_old), app(101, k_old));
    for a in [&edited, &withdrawn] {
        made(&d, &op, device, region::register(a)).await;
    }
    assert_eq!(sent(&office.sync_round().await.unwrap()), (2, 0));
    assert!(store.applications_of_child(&region::child(500)).await.unwrap().is_empty(), "another district's queue");

    // With the line down, the operator changes one application, withdraws another and
    // registers a child.
    let held_at_desk = store.application(edited.id).await.unwrap();
    let changes = ApplicationChanges {
        contacts: held_at_desk.contacts.clone(),
        address: "Өскемен қ., Қазақстан к-сі 2".into(),
        preferences: held_at_desk.preferences.clone(),
        language: held_at_desk.language,
        benefit: None,
        proofs: vec![],
    };
    office.edit_application(&op, edited.id, changes, None).await.unwrap();
    office.withdraw_application(&op, withdrawn.id, "ата-анасының өтініші").await.unwrap();
    let registered = app(102, k_old);
    made(&d, &op, device, region::register(&registered)).await;
    assert_eq!(office.sync_status().await.unwrap().waiting, 3);

    // That evening the region's admin moves operator-1, and the desk, to district `new`'s
    // department.
    let mut tx = t.server.pool.begin().await.unwrap();
    let office_new: uuid::Uuid = sqlx::query_scalar("SELECT id FROM offices WHERE scope = 'district' AND district = $1").bind(&new).fetch_one(&mut *tx).await.unwrap();
    sqlx::query("UPDATE accounts SET office = $1 WHERE login = 'operator-1'").bind(office_new).execute(&mut *tx).await.unwrap();
    sqlx::query("UPDATE devices SET office = $1 WHERE id = $2").bind(office_new).bind(device.0).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();

    // The next morning's first sync.
    t.clock.advance(chrono::Duration::days(1));
    d.clock.set(d.clock.now() + chrono::Duration::days(1));
    let round = office.sync_round().await.unwrap();
    assert_eq!(sent(&round), (3, 2), "{round:?}");

    // The changes the new office may not make are refused, said why, and undone.
    let problems = office.sync_problems().await.unwrap();
    let seen: Vec<(&str, &Rejection)> = problems.iter().map(|p| (p.kind.as_str(), &p.reason)).collect();
    let not_found = Rejection::NotFound { what: "application".into() };
    assert_eq!(seen, vec![("edit_application", &not_found), ("withdraw_application", &not_found)]);
    assert!(problems.iter().all(|p| p.undone.as_ref().is_some_and(|u| u.iter().any(|u| u.entity == "application"))), "{problems:?}");
    let on_server: (String, String) = sqlx::query_as("SELECT body->>'address', status FROM applications WHERE id = $1").bind(edited.id.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(on_server, (edited.address.clone(), "queued".into()), "the refused edit changed nothing");
    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1").bind(withdrawn.id.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(status, "queued", "the refused withdrawal changed nothing");
    // A child may be registered at any office: that one was taken, in its own district.
    let district: String = sqlx::query_scalar("SELECT district FROM applications WHERE id = $1").bind(registered.id.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(district, old);

    // The old district's applications left the desk; the new one's are there.
    for a in [&edited, &withdrawn, &registered] {
        let number = number_on_server(&t, a.id).await;
        assert!(store.application(a.id).await.is_err(), "{number} of district {old} is still at the desk after the first sync in district {new}");
    }
    for n in 500..503 {
        assert_eq!(store.applications_of_child(&region::child(n)).await.unwrap().len(), 1, "child {n} of district {new}");
    }
    let in_new: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE district = $1").bind(&new).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(store.application_count().await.unwrap() as i64, in_new);
    assert_eq!(checked(&d, &url, "operator-1").await, Verified::Equal);
    let status = office.sync_status().await.unwrap();
    assert_eq!((status.waiting, status.problems), (0, 2));
}
