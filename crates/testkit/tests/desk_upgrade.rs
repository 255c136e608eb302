//! SYNC.md test 15: a desk upgraded while 100 of its changes wait to be sent. The file is made
//! as an older build left it — only the store's migrations of that build run, its rows written
//! with the SQL that build wrote — and then opened by this build, which migrates it, and the
//! office's sync sends what waits to a real regional server.

use baqsha_app::sync::Verified;
use baqsha_app::{ManualClock, Office, Parts, SystemIds};
use baqsha_core::command::{ApplicationChanges, Command, CommandKind, RuleError};
use baqsha_core::*;
use baqsha_server::Clock as _;
use baqsha_store::{ChainReport, Store, Verdict, MIGRATOR};
use baqsha_sync::{Decision, Rejection};
use baqsha_testkit as region;
use region::desk::{app, kindergarten};
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The store's version in the builds that first took part in a region (push, pull and the sync
/// problems panel), before leases: its migrations are the ones up to this number.
const OLD: i64 = 19;

/// Where the office keeps the region's refresh token among its sealed secrets, in that build
/// as in this one (outside the database: an upgrade does not touch it).
const REFRESH_TOKEN: &str = "region_refresh_token";

const PASSWORD: &str = "baqsha-operator";

/// The database as the older build made it: the store's migrations up to `OLD` only, from
/// the same files this build embeds (the checksums prove they are the same), run by sqlx as
/// that build ran them. The connection is the one the old build's rows are written with.
async fn old_database(path: &Path, scratch: &Path) -> SqliteConnection {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations");
    let subset = scratch.join(format!("migrations-up-to-{OLD}"));
    std::fs::create_dir_all(&subset).unwrap();
    for e in std::fs::read_dir(&source).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let version: Option<i64> = name.split('_').next().and_then(|v| v.parse().ok());
        if version.is_some_and(|v| v <= OLD) {
            std::fs::copy(e.path(), subset.join(&name)).unwrap();
        }
    }
    let migrator = sqlx::migrate::Migrator::new(subset.as_path()).await.unwrap();
    assert_eq!(migrator.iter().map(|m| m.version).max(), Some(OLD));
    assert!(MIGRATOR.iter().any(|m| m.version > OLD), "this build has migrations the old one had not: the test upgrades something");
    for m in migrator.iter() {
        let ours = MIGRATOR.iter().find(|n| n.version == m.version).expect("this build still has the old build's migration");
        assert_eq!(ours.checksum, m.checksum, "migration {} is the one the old build ran", m.version);
    }
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
        .foreign_keys(true)
        .connect()
        .await
        .unwrap();
    migrator.run(&mut conn).await.unwrap();
    conn
}

/// Time as the store writes it (fixed-width UTC text, microseconds).
fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Writes a command as the old build's `apply` did, in one transaction: its history entry,
/// chained to the one before by the hash of the fields every build has covered (joined by
/// U+001F), and its outbox row under the next number. `body` is the command's JSON as that
/// build wrote it. The desk's own tables are left as they were: the sync reads only the
/// history and the outbox, and the first sync after the upgrade writes them from the region.
/// Returns the outbox number.
async fn write_old(conn: &mut SqliteConnection, head: &mut String, cmd: &Command, body: &str) -> u64 {
    let (id, at, author, device, kind) = (cmd.id.to_string(), ts(cmd.at), cmd.author.to_string(), cmd.device.to_string(), cmd.kind.code());
    let hash = command::chain_hash(head, &format!("{id}\u{1f}{at}\u{1f}{author}\u{1f}{device}\u{1f}{kind}\u{1f}{body}"));
    let mut tx = conn.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO history (command_id, at, author, device, kind, application, kindergarten, body, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(&at)
    .bind(&author)
    .bind(&device)
    .bind(kind)
    .bind(cmd.kind.application().map(|a| a.to_string()))
    .bind(cmd.kind.kindergarten().map(|k| k.to_string()))
    .bind(body)
    .bind(head.as_str())
    .bind(&hash)
    .execute(&mut *tx)
    .await
    .unwrap();
    let seq: i64 = sqlx::query_scalar("INSERT INTO outbox (command_id, queued_at, seq) VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM outbox)) RETURNING seq")
        .bind(&id)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    *head = hash;
    seq as u64
}

/// The command's JSON as this build writes it.
fn current(cmd: &Command) -> String {
    serde_json::to_string(cmd).unwrap()
}

/// A registration as builds before the desk's confirmation of contacts wrote it: no
/// `confirmation` at all (this build reads its absence as "none").
fn without_confirmation(cmd: &Command) -> String {
    let mut v = serde_json::to_value(cmd).unwrap();
    assert!(v["kind"].as_object_mut().unwrap().remove("confirmation").is_some());
    v.to_string()
}

/// «Өзгерту» as builds before its contact confirmation and benefit proofs wrote it: neither
/// key (this build reads both as absent).
fn edit_before_confirmation(cmd: &Command) -> String {
    let mut v = serde_json::to_value(cmd).unwrap();
    let kind = v["kind"].as_object_mut().unwrap();
    kind.remove("confirmation");
    kind["changes"].as_object_mut().unwrap().remove("proofs");
    assert!(!v.to_string().contains("confirmation") && !v.to_string().contains("proofs"));
    v.to_string()
}

/// The files beside the database that are not the database itself (nor its WAL or shared
/// memory): where a backup taken before migrating would be.
fn beside(db: &Path) -> Vec<PathBuf> {
    let name = db.file_name().unwrap().to_string_lossy().into_owned();
    let mut found: Vec<PathBuf> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n != name && n != format!("{name}-wal") && n != format!("{name}-shm") && n != format!("{name}-journal")
        })
        .collect();
    found.sort();
    found
}

/// What a file holds, read-only: whether SQLite finds it intact, its store version, and its
/// outbox in order.
async fn outbox_of(file: &Path) -> (String, Option<i64>, Vec<(i64, String)>) {
    let mut c = sqlx::sqlite::SqliteConnectOptions::new().filename(file).read_only(true).connect().await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut c).await.unwrap();
    let version: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations").fetch_one(&mut c).await.unwrap();
    let outbox: Vec<(i64, String)> = sqlx::query_as("SELECT seq, command_id FROM outbox ORDER BY seq").fetch_all(&mut c).await.unwrap();
    c.close().await.unwrap();
    (check, version, outbox)
}

/// The server's router on a loopback port, counting the pushes it is sent.
async fn serve_counting(t: &region::TestServer) -> (String, Arc<AtomicUsize>) {
    let pushes = Arc::new(AtomicUsize::new(0));
    let counted = pushes.clone();
    let router = baqsha_server::router(t.server.clone()).layer(axum::middleware::from_fn(move |req: axum::extract::Request, next: axum::middleware::Next| {
        if req.uri().path() == "/v1/push" {
            counted.fetch_add(1, Ordering::SeqCst);
        }
        next.run(req)
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}"), pushes)
}

/// G5 and the "Versions" guarantee (with G2, G3 and G6 on the way): a desk of the region,
/// offline, makes 100 changes; before they are sent it is upgraded to this build, which opens
/// its file (migrating it) and syncs. Every one of the 100 is sent once, in order, and
/// answered: taken, or refused with the reason listed in «Синхрондау мәселелері» and undone at
/// the desk. Older shapes of commands are still read and still taken; nothing is sent again
/// once answered; the outbox, its numbering and the history chain come through whole; what
/// the desk did before it joined stays its own; and the desk then holds what the region holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgrade_with_100_changes_waiting_sends_each_once_and_every_answer_is_seen() {
    let t = region::server().await;
    let (url, pushes) = serve_counting(&t).await;
    let k = kindergarten();
    let demo = region::region();
    let held: HashSet<String> = demo.applications.iter().map(|a| a.child.iin.as_str().to_string()).collect();
    let mut fresh = (5_000u32..).filter(move |n| !held.contains(region::child(*n).as_str()));

    // The old build joined the region as operator-1's desk: the device registered, its refresh
    // token among the secrets, the operator's token.
    let client = baqsha_app::sync::RegionClient::new(&url).unwrap();
    let device = client.register("operator-1", PASSWORD, "Өскемен, 3-терезе").await.unwrap();
    let token = client.token(device.device, &device.refresh_token, "operator-1", PASSWORD).await.unwrap();
    let op = token.operator.clone().unwrap();
    let claims = t.server.tokens.check(&token.token, t.clock.now()).unwrap();
    let mut online = region::Desk { claims, token: token.token.clone(), op: op.clone(), seq: 0 };

    // Another office registers a child first; this desk will not hear of it before it sends.
    let twin = fresh.next().unwrap();
    let mut elsewhere = t.desk("operator-2", PASSWORD).await;
    let first = region::answer(&t.send(&mut elsewhere, vec![region::register(&region::application(region::child(twin), k))]).await);
    let Decision::Changed { changes } = &first.outcomes[0].decision else { panic!("{first:?}") };
    let first_number = changes.iter().find_map(|c| if let baqsha_sync::Adjustment::Number { number } = c { Some(number.clone()) } else { None }).unwrap();

    // The old build's file.
    let dir = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let path = dir.path().join("baqsha.sqlite");
    let mut old = old_database(&path, scratch.path()).await;
    let mut head = command::GENESIS_HASH.to_string();
    for d in &demo.districts {
        sqlx::query("INSERT INTO districts (code, name_kk, name_ru, name_en, lat, lon) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(&d.code)
            .bind(&d.name_kk)
            .bind(&d.name_ru)
            .bind(&d.name_en)
            .bind(d.centre.lat)
            .bind(d.centre.lon)
            .execute(&mut old)
            .await
            .unwrap();
    }

    // Before joining, the desk worked alone: two changes of its own, under its own device.
    let alone_device = DeviceId(uuid::Uuid::now_v7());
    let admin = OperatorId(uuid::Uuid::now_v7());
    let mut mine = vec![];
    for (n, day) in [(0, 7), (1, 8)] {
        let date = chrono::NaiveDate::from_ymd_opt(2027, 1, day).unwrap();
        let cmd = Command {
            id: uuid::Uuid::now_v7(),
            author: admin,
            device: alone_device,
            at: region::morning() - chrono::Duration::days(2) + chrono::Duration::minutes(n),
            kind: CommandKind::SetCalendarDay { date, kind: Some(calendar::DayKind::DayOff) },
        };
        assert_eq!(write_old(&mut old, &mut head, &cmd, &current(&cmd)).await, n as u64 + 1);
        mine.push(cmd);
    }
    // Joining (as that build's `link_region` and `join_region` wrote it): the region's device
    // is the desk's; the outbox is the region's from number 3.
    sqlx::query("INSERT INTO meta (key, value) VALUES ('device_id', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(device.device.0.to_string())
        .execute(&mut old)
        .await
        .unwrap();
    sqlx::query("INSERT INTO meta (key, value) VALUES ('server_url', ?)").bind(client.address()).execute(&mut old).await.unwrap();
    sqlx::query(
        "INSERT INTO region_link (id, server, device, joined_at, seq_base, pushed_through)
         SELECT 1, ?, ?, ?, n, n FROM (SELECT coalesce(max(seq), 0) AS n FROM outbox) WHERE true",
    )
    .bind(client.address())
    .bind(device.device.0.to_string())
    .bind(ts(region::morning()))
    .execute(&mut old)
    .await
    .unwrap();

    // Online, two registrations went and were answered; then the line was lost, before the
    // first sync had brought anything.
    let a = app(fresh.next().unwrap(), k);
    let b = app(fresh.next().unwrap(), k);
    let sent = vec![online.command(region::register(&a), t.clock.now()), online.command(region::register(&b), t.clock.now())];
    let answered = region::answer(&t.server.push(&online.claims, &online.push(sent.clone())).await.unwrap().to_json());
    assert_eq!(answered.outcomes.len(), 2);
    for (s, o) in sent.iter().zip(&answered.outcomes) {
        let command = s.command.read().unwrap();
        let seq = write_old(&mut old, &mut head, command, &current(command)).await;
        assert_eq!(seq, s.seq + 2);
        assert!(matches!(o.decision, Decision::Changed { .. }), "{o:?}");
        sqlx::query("INSERT INTO outcomes (seq, command_id, verdict, decision, received_at) VALUES (?, ?, 'adjusted', ?, ?)")
            .bind(seq as i64)
            .bind(o.command.to_string())
            .bind(serde_json::to_string(&o.decision).unwrap())
            .bind(ts(t.clock.now()))
            .execute(&mut old)
            .await
            .unwrap();
        sqlx::query("UPDATE outbox SET sent_at = ? WHERE seq = ?").bind(ts(t.clock.now())).bind(seq as i64).execute(&mut old).await.unwrap();
    }
    sqlx::query("UPDATE region_link SET pushed_through = 4, last_push_at = ? WHERE id = 1").bind(ts(t.clock.now())).execute(&mut old).await.unwrap();

    // Offline, the afternoon's 100 changes: registrations, and among them what older builds
    // wrote in older shapes, and what the region will refuse.
    let made_at = |i: i64| region::morning() + chrono::Duration::hours(1) + chrono::Duration::minutes(3 * i);
    let command = |i: i64, kind: CommandKind| Command { id: uuid::Uuid::now_v7(), author: op.id, device: device.device, at: made_at(i), kind };
    let registration = |i: i64, n: u32| {
        let a = Application { registered_at: made_at(i), ..app(n, k) };
        (command(i, region::register(&a)), a)
    };
    let edit = |i: i64, of: &Application, address: &str| {
        let changes = ApplicationChanges {
            contacts: of.contacts.clone(),
            address: address.into(),
            preferences: of.preferences.clone(),
            language: of.language,
            benefit: None,
            proofs: vec![],
        };
        command(i, CommandKind::EditApplication { application: of.id, changes: Box::new(changes), confirmation: None, fields: None })
    };
    let moved = "Өскемен қ., Қазақстан көшесі 42";
    let mut pending: Vec<Command> = vec![];
    let mut registered: Vec<Application> = vec![];
    let (mut twin_registration, mut twin_edit, mut old_registration, mut old_edit, mut withdrawal) = (None, None, None, None, None);
    for i in 0..100 {
        let (cmd, body) = match i {
            // The child another office registered first: refused as a duplicate.
            10 => {
                let (cmd, twin_app) = registration(i, twin);
                twin_registration = Some((cmd.id, twin_app.clone()));
                registered.push(twin_app);
                let body = current(&cmd);
                (cmd, body)
            }
            // Its address corrected, in the older shape: refused, the application it edits
            // was not taken.
            11 => {
                let of = &twin_registration.as_ref().unwrap().1;
                let cmd = edit(i, of, moved);
                twin_edit = Some(cmd.id);
                let body = edit_before_confirmation(&cmd);
                (cmd, body)
            }
            // A registration in the shape of builds before contact confirmation: taken.
            20 => {
                let (cmd, a) = registration(i, fresh.next().unwrap());
                old_registration = Some(a.id);
                registered.push(a);
                let body = without_confirmation(&cmd);
                (cmd, body)
            }
            // The address of the child registered online this morning, in the older shape:
            // taken.
            30 => {
                let cmd = edit(i, &a, moved);
                old_edit = Some(cmd.id);
                let body = edit_before_confirmation(&cmd);
                (cmd, body)
            }
            // The parent withdraws the application made at 5.
            40 => {
                let cmd = command(i, CommandKind::WithdrawApplication { application: registered[5].id, reason: "Ата-анасы бас тартты".into() });
                withdrawal = Some((cmd.id, registered[5].id));
                let body = current(&cmd);
                (cmd, body)
            }
            _ => {
                let (cmd, a) = registration(i, fresh.next().unwrap());
                registered.push(a);
                let body = current(&cmd);
                (cmd, body)
            }
        };
        assert_eq!(write_old(&mut old, &mut head, &cmd, &body).await, i as u64 + 5);
        pending.push(cmd);
    }
    let (twin_registration, twin_app) = twin_registration.unwrap();
    let (twin_edit, old_registration, old_edit, (withdrawal, withdrawn)) = (twin_edit.unwrap(), old_registration.unwrap(), old_edit.unwrap(), withdrawal.unwrap());
    old.close().await.unwrap();
    let before = outbox_of(&path).await;
    assert_eq!((before.0.as_str(), before.1, before.2.len()), ("ok", Some(OLD), 104), "the old build's file");

    // Two days later the desk is upgraded: this build opens the file and migrates it.
    t.clock.advance(chrono::Duration::days(2));
    let clock = Arc::new(ManualClock::at(t.clock.now()));
    let store = Store::open(&path).await.expect("this build opens the old build's file");
    let version: i64 = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations").fetch_one(&mut open_raw(&path).await).await.unwrap();
    assert_eq!(version, MIGRATOR.iter().map(|m| m.version).max().unwrap(), "migrated to this build's version");
    let after: Vec<(u64, uuid::Uuid)> = store.outbox_after(0, 1000).await.unwrap().into_iter().map(|(n, c)| (n, c.id)).collect();
    assert_eq!(after.iter().map(|(n, id)| (*n as i64, id.to_string())).collect::<Vec<_>>(), before.2, "the outbox came through the upgrade whole, in its order");
    assert_eq!(store.verify_history().await.unwrap(), ChainReport::Intact { entries: 104 });
    assert_eq!(store.changes_waiting().await.unwrap(), 100);
    let link = store.region_link().await.unwrap().unwrap();
    assert_eq!((link.seq_base, link.pushed_through, link.device), (2, 4, device.device.0));
    let read = store.outbox_after(4, 1000).await.unwrap();
    assert_eq!(read.iter().map(|(_, c)| c.clone()).collect::<Vec<_>>(), pending, "each older shape read as the command it was");

    let keys = dir.path().join("keys");
    let office = Office::new(Parts { store: store.clone(), clock: clock.clone(), ids: Arc::new(SystemIds), keys, persons: None }).await.unwrap();
    office.set_secret(REFRESH_TOKEN, &device.refresh_token).unwrap();
    let status = office.sync_status().await.unwrap();
    assert!(status.joined && status.waiting == 100 && status.problems == 0, "{status:?}");
    // The operator signs in (their account comes from the region: the old build's copy of it
    // is not in this file, whose password hash only the store can make).
    let signed_in = office.sign_in("operator-1", PASSWORD).await.unwrap().operator;
    assert_eq!(signed_in.id, op.id);

    let round = office.sync_round().await.unwrap();
    assert_eq!((round.pushed, round.rejected, round.undone), (100, 2, 2), "{round:?}");
    assert_eq!(round.verified, Some(Verified::Equal), "the desk holds what the region holds");
    assert_eq!(pushes.load(Ordering::SeqCst), 1, "the 100 in one push");

    // Every one of the 100 has its answer at the desk, in its place.
    let refused: HashSet<uuid::Uuid> = [twin_registration, twin_edit].into();
    for cmd in &pending {
        let (verdict, decision, undone) = store.answer_to(cmd.id).await.unwrap().unwrap_or_else(|| panic!("no answer to {} {}", cmd.kind.code(), cmd.id));
        if refused.contains(&cmd.id) {
            assert_eq!((verdict, undone), (Verdict::Rejected, true), "{decision}");
        } else {
            assert!(matches!(verdict, Verdict::Applied | Verdict::Adjusted), "{} {}: {decision}", cmd.kind.code(), cmd.id);
        }
    }
    // The server took each of the device's commands once, in its order, and failed on none.
    let taken: Vec<(i64, uuid::Uuid)> =
        sqlx::query_as("SELECT seq, command_id FROM commands WHERE device = $1 ORDER BY seq").bind(device.device.0).fetch_all(&t.server.pool).await.unwrap();
    let expected: Vec<(i64, uuid::Uuid)> = sent.iter().map(|s| s.command.id()).chain(pending.iter().map(|c| c.id)).enumerate().map(|(n, id)| (n as i64 + 1, id)).collect();
    assert_eq!(taken, expected);
    let failures: i64 = sqlx::query_scalar("SELECT count(*) FROM failures WHERE device = $1").bind(device.device.0).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(failures, 0);
    let alone: i64 =
        sqlx::query_scalar("SELECT count(*) FROM commands WHERE command_id = ANY($1)").bind(mine.iter().map(|c| c.id).collect::<Vec<_>>()).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(alone, 0, "what the desk did alone stayed its own");

    // The older shapes were taken as they meant.
    let on_server = |id: ApplicationId| {
        let pool = t.server.pool.clone();
        async move { sqlx::query_as::<_, (String, String)>("SELECT status, body->>'address' FROM applications WHERE id = $1").bind(id.0).fetch_one(&pool).await.unwrap() }
    };
    assert_eq!(on_server(a.id).await.1, moved, "the older «Өзгерту» changed the address");
    assert_eq!(store.answer_to(old_edit).await.unwrap().unwrap().0, Verdict::Applied);
    assert_eq!(on_server(old_registration).await.0, "queued", "the registration without a confirmation field is queued");
    assert_eq!(on_server(withdrawn).await.0, "withdrawn");
    assert_eq!(store.answer_to(withdrawal).await.unwrap().unwrap().0, Verdict::Applied);
    // At the desk, the region's truth: its own registrations under the region's numbers,
    // the moved address, and not the refused twin.
    assert_eq!(store.application(a.id).await.unwrap().address, moved);
    for r in registered.iter().filter(|r| r.id != twin_app.id && r.id != withdrawn) {
        let held = store.application(r.id).await.unwrap_or_else(|e| panic!("application {} of the 100: {e}", r.id));
        assert!(held.number != r.number && !held.number.is_empty(), "{} has the region's number, not {}", held.number, r.number);
    }
    assert!(store.application(twin_app.id).await.is_err(), "the refused registration is undone at the desk");

    // «Синхрондау мәселелері»: both refusals, who made them, why, and what was undone.
    let problems = office.sync_problems().await.unwrap();
    assert_eq!(problems.iter().map(|p| (p.seq, p.kind.as_str())).collect::<Vec<_>>(), vec![(15, "register_application"), (16, "edit_application")]);
    assert!(matches!(&problems[0].reason, Rejection::Rule { rule: RuleError::Duplicate { number } } if *number == first_number), "{:?}", problems[0].reason);
    assert_eq!(problems[1].reason, Rejection::NotFound { what: "application".into() });
    for p in &problems {
        assert_eq!((p.author.as_str(), p.made_at), (op.full_name.as_str(), made_at(p.seq as i64 - 5)));
        assert!(p.undone.as_ref().is_some_and(|u| u.iter().any(|u| u.entity == "application" && u.removed)), "{p:?}");
    }
    let status = office.sync_status().await.unwrap();
    assert_eq!((status.waiting, status.problems, status.online), (0, 2, Some(true)), "{status:?}");

    // No endless resend: later rounds send nothing, acknowledged or not.
    for _ in 0..3 {
        let r = office.sync_round().await.unwrap();
        assert_eq!((r.pushed, r.rejected, r.undone), (0, 0, 0), "{r:?}");
    }
    for p in &problems {
        office.acknowledge_sync_problem(&signed_in, p.seq).await.unwrap();
    }
    let r = office.sync_round().await.unwrap();
    assert_eq!((r.pushed, r.rejected), (0, 0));
    assert_eq!(pushes.load(Ordering::SeqCst), 1, "nothing was sent again");
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM commands WHERE device = $1").bind(device.device.0).fetch_one(&t.server.pool).await.unwrap(), 102);
    assert_eq!(office.sync_status().await.unwrap().problems, 0);

    // And the outbox is still whole: every change, answered or refused, kept with its number.
    let kept: Vec<(u64, uuid::Uuid)> = store.outbox_after(0, 1000).await.unwrap().into_iter().map(|(n, c)| (n, c.id)).collect();
    assert_eq!(kept, after);
    assert_eq!(store.verify_history().await.unwrap(), ChainReport::Intact { entries: 104 });
    let link = store.region_link().await.unwrap().unwrap();
    assert_eq!((link.seq_base, link.pushed_through), (2, 104));
}

/// A plain connection to the desk's file (beside the store's pool), for what the store does
/// not tell.
async fn open_raw(path: &Path) -> SqliteConnection {
    sqlx::sqlite::SqliteConnectOptions::new().filename(path).read_only(true).connect().await.unwrap()
}

/// "A desk migrates its database in a transaction after a file backup": opening an older
/// build's file leaves, beside it, a copy as it was before the migrations ran — a database
/// SQLite finds intact, at the old version, holding the old outbox. The old build ended as a
/// desk's program usually does, with the computer switched off: its last changes are still
/// in the WAL, not yet in the main file, and the copy must hold them too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_file_is_backed_up_before_it_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let path = dir.path().join("baqsha.sqlite");
    let mut old = old_database(&path, scratch.path()).await;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut old).await.unwrap();
    sqlx::query("PRAGMA wal_autocheckpoint = 0").execute(&mut old).await.unwrap();
    let mut head = command::GENESIS_HASH.to_string();
    let (author, device) = (OperatorId(uuid::Uuid::now_v7()), DeviceId(uuid::Uuid::now_v7()));
    for n in 0..5u32 {
        let cmd = Command {
            id: uuid::Uuid::now_v7(),
            author,
            device,
            at: region::morning() + chrono::Duration::minutes(n.into()),
            kind: CommandKind::SetCalendarDay { date: chrono::NaiveDate::from_ymd_opt(2027, 1, 7 + n).unwrap(), kind: Some(calendar::DayKind::DayOff) },
        };
        write_old(&mut old, &mut head, &cmd, &current(&cmd)).await;
    }
    let before = outbox_of(&path).await;
    assert_eq!((before.0.as_str(), before.1, before.2.len()), ("ok", Some(OLD), 5));
    assert!(std::fs::metadata(dir.path().join("baqsha.sqlite-wal")).unwrap().len() > 0, "the old build's last writes are in the WAL");
    assert!(beside(&path).is_empty());

    // The old build's connection is never closed cleanly (nothing checkpoints its WAL); this
    // build opens the file beside it, as it would after a restart.
    let store = Store::open(&path).await.unwrap();
    assert_eq!(store.outbox_after(0, 10).await.unwrap().len(), 5, "the outbox came through the upgrade");
    store.close().await;
    drop(old);

    let backups = beside(&path);
    assert!(!backups.is_empty(), "no copy of the file as it was before the migrations ran ({} holds only the migrated file)", dir.path().display());
    let mut found = false;
    for b in &backups {
        let mut head = [0u8; 16];
        use std::io::Read;
        let n = std::fs::File::open(b).unwrap().read(&mut head).unwrap();
        if n == 16 && &head == b"SQLite format 3\0" && outbox_of(b).await == before {
            found = true;
        }
    }
    assert!(found, "none of {backups:?} is the old file: intact, at version {OLD}, holding its outbox");
    // Opened again, the file is already this build's: nothing more to back up.
    let store = Store::open(&path).await.unwrap();
    assert_eq!(store.outbox_after(0, 10).await.unwrap().len(), 5);
    assert_eq!(beside(&path), backups);
}
