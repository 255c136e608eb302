//! SYNC.md test 4: a desk killed mid-upload; the region's server and PostgreSQL restarted
//! mid-push → nothing lost or doubled. Real desks (`baqsha-app`'s store on a SQLite file)
//! push hundreds of commands — registrations, and corrections of the addresses, each a new
//! one — to the real server over HTTP on loopback, on the test kit's PostgreSQL cluster; what
//! breaks is broken for real: the server's process and the desk's killed with SIGKILL (each
//! run as a process of its own: this test binary started again), PostgreSQL stopped in
//! immediate mode and started again (crash recovery).
//!
//! After each, the audit a region's IT would make: the server holds each command of the desk
//! once, under the desk's own number, and applied them in the desk's order (its history and
//! change log say so); each registration is one application with one region's number, holding
//! the address of the desk's last correction, with one history line per command; the desk
//! holds the server's answer to each command, the one the server stored.
//!
//! The tests take turns: one restarts the cluster the others use. `BAQSHA_SOAK=1` pushes
//! more and breaks things more often; the kill points come from a fixed seed
//! (`BAQSHA_RESTART_SEED=<n>` another, `random` one from the clock, printed).

use baqsha_app::sync::{push_outbox, RegionClient, SyncError};
use baqsha_app::{ManualClock, Office, Parts, SystemIds};
use baqsha_core::command::{ApplicationChanges, Command, CommandKind};
use baqsha_core::roles::Operator;
use baqsha_core::*;
use baqsha_store::{Store, Verdict};
use baqsha_sync::{Decision, Outcome};
use baqsha_testkit as region;
use region::desk::{app, joined_at, kindergarten, small_desk, Joined};
use region::restart::{self, Part, ServerProcess};
use region::rng::Rng;
use region::Fault;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// One test at a time: the PostgreSQL restart would break the others' connections.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const SERVER_TEST: &str = "the_regions_server_killed_mid_push_and_started_again_takes_each_command_once_in_order";
const DESK_TEST: &str = "a_desk_killed_mid_upload_sends_again_from_its_file_and_nothing_is_doubled_or_lost";
/// Set in the desk part: what it pushes with (JSON: its file, the server's address, the
/// token, the operator).
const DESK_ROLE: &str = "BAQSHA_PART_DESK";

fn soak() -> bool {
    std::env::var("BAQSHA_SOAK").is_ok_and(|v| v == "1")
}

fn rng(test: &str) -> Rng {
    // A fixed seed by default, so that a landing is never decided by luck; `random` takes one
    // from the wall clock (printed, to repeat it).
    let seed: u64 = match std::env::var("BAQSHA_RESTART_SEED").as_deref() {
        Ok("random") => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64,
        Ok(s) => s.parse().unwrap_or_else(|_| panic!("BAQSHA_RESTART_SEED={s} is not a number")),
        Err(_) => 4,
    };
    eprintln!("{test}: seed {seed} (BAQSHA_RESTART_SEED={seed} repeats its kill points)");
    Rng(seed | 1)
}

/// What the operator made at the desk, to audit the region against.
#[derive(Default)]
struct Made {
    /// The applications registered, in order.
    applications: Vec<Application>,
    /// Each application's address as its last edit left it, and how many commands concern it.
    last: HashMap<ApplicationId, (String, usize)>,
    commands: usize,
}

impl Made {
    /// A day's work at the desk: children `from`, `from + 1`, … registered, then `edits`
    /// corrections of addresses spread over every application registered so far (each edit
    /// a new address: the last one applied is the one the region must hold).
    fn work(&mut self, op: &Operator, device: DeviceId, from: u32, registrations: u32, edits: u32) -> Vec<Command> {
        let command = |kind| Command { id: Uuid::now_v7(), author: op.id, device, at: region::morning(), kind };
        let mut commands = vec![];
        for n in from..from + registrations {
            let a = app(n, kindergarten());
            commands.push(command(region::register(&a)));
            self.last.insert(a.id, (a.address.clone(), 1));
            self.applications.push(a);
            self.commands += 1;
        }
        for i in 0..edits as usize {
            let a = &self.applications[(i * 7) % self.applications.len()];
            let address = format!("Өскемен қ., Абай даңғылы {}", self.commands);
            let changes = ApplicationChanges {
                contacts: a.contacts.clone(),
                address: address.clone(),
                preferences: a.preferences.clone(),
                language: a.language,
                benefit: None,
                proofs: vec![],
            };
            commands.push(command(CommandKind::EditApplication { application: a.id, changes: Box::new(changes), confirmation: None, fields: None }));
            let last = self.last.get_mut(&a.id).unwrap();
            *last = (address, last.1 + 1);
            self.commands += 1;
        }
        commands
    }
}

/// A backlog written at the desk in one transaction (each command with its own history and
/// outbox row, as one by one, only faster: the desk's own writes are SYNC.md test 3's).
async fn backlog(store: &Store, op: &Operator, commands: &[Command]) {
    store.apply_all(op, commands).await.unwrap();
}

/// The operator working at the desk: each command saved with its outbox row, one by one.
async fn one_by_one(store: &Store, op: &Operator, commands: &[Command]) {
    for cmd in commands {
        store.apply(op, cmd).await.unwrap();
    }
}

/// What the desk's pushes came to until its outbox was empty.
#[derive(Debug)]
struct Drained {
    answered: usize,
    failures: usize,
    last_failure: Option<String>,
}

/// The desk's push as its sync runs it, again after each failure (briefly: the back-off is
/// SYNC.md test 5's), until its outbox is empty. Every failure must be one that passes — a
/// server away or failing is an offline desk, never an error to show or a change to drop.
async fn push_until_drained(store: Store, client: RegionClient, token: String, op: Operator, within: Duration) -> Drained {
    let clock = ManualClock::at(region::morning());
    let deadline = Instant::now() + within;
    let mut drained = Drained { answered: 0, failures: 0, last_failure: None };
    loop {
        match push_outbox(&store, &client, &token, &op, &clock).await {
            Ok(p) => {
                drained.answered += p.answered;
                assert_eq!(p.waiting_for, None);
                if store.changes_waiting().await.unwrap() == 0 {
                    return drained;
                }
            }
            Err(e) => {
                assert!(e.passes(), "a server restarting is an offline desk, not an error to show: {e:?}");
                drained.failures += 1;
                drained.last_failure = Some(e.to_string());
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        assert!(Instant::now() < deadline, "the desk's outbox did not drain within {within:?}: {} commands still wait, {drained:?}", store.changes_waiting().await.unwrap());
    }
}

/// The commands the server holds from `devices`.
async fn taken(t: &region::TestServer, devices: &[DeviceId]) -> usize {
    let ids: Vec<Uuid> = devices.iter().map(|d| d.0).collect();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM commands WHERE device = ANY($1)").bind(&ids).fetch_one(&t.server.pool).await.unwrap();
    n as usize
}

/// Waits until the server holds at least `n` commands from `devices`; how many it holds then.
/// Panics when the push ends first (`ended` says why: the push finished or failed before the
/// test could break it), or when the server stops taking commands (with what its database is
/// doing).
async fn wait_until_taken(t: &region::TestServer, devices: &[DeviceId], n: usize, mut ended: impl FnMut() -> Option<String>) -> usize {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let held = taken(t, devices).await;
        if held >= n {
            return held;
        }
        if let Some(why) = ended() {
            panic!("the push ended with {held} commands on the server, before {n}: {why}; the database meanwhile:\n{}", sessions(t).await);
        }
        if Instant::now() >= deadline {
            panic!("the server took {held} commands in a minute, not {n}; its database meanwhile:\n{}", sessions(t).await);
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// What each session of the test's database is doing, and what it waits for (for a failure's
/// message), over a connection of its own.
async fn sessions(t: &region::TestServer) -> String {
    use sqlx::Connection;
    let Ok(mut c) = sqlx::PgConnection::connect(&t.url).await else { return "(no connection)".into() };
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT concat_ws(' | ', a.pid, a.state, a.wait_event_type || ':' || a.wait_event, 'in a transaction for ' || (now() - a.xact_start)::text,
                'blocked by ' || nullif(pg_blocking_pids(a.pid)::text, '{}'), left(a.query, 120))
         FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()",
    )
    .fetch_all(&mut c)
    .await
    .unwrap_or_default();
    rows.iter().map(|r| format!("  {r}")).collect::<Vec<_>>().join("\n")
}

/// Waits until the server's count of `device`'s commands has stood still for a while (what a
/// killed desk or server left under way has finished or been rolled back); the count.
async fn settled(t: &region::TestServer, device: DeviceId) -> usize {
    let mut last = taken(t, &[device]).await;
    let mut still = Instant::now();
    while still.elapsed() < Duration::from_millis(700) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = taken(t, &[device]).await;
        if now != last {
            (last, still) = (now, Instant::now());
        }
    }
    last
}

/// The desk's outbox since it joined: the server's number of each command and its id.
async fn outbox(store: &Store) -> Vec<(u64, Uuid)> {
    let base = store.region_link().await.unwrap().unwrap().seq_base;
    store.outbox_after(base, u32::MAX).await.unwrap().into_iter().map(|(seq, c)| (seq - base, c.id)).collect()
}

/// How many of the desk's commands it holds the server's answer to (the outbox answered
/// through).
async fn heard(store: &Store) -> usize {
    let link = store.region_link().await.unwrap().unwrap();
    (link.pushed_through - link.seq_base) as usize
}

/// The audit of one desk against the region, once its outbox has drained (G2, G3, G5).
async fn audit(t: &region::TestServer, store: &Store, device: DeviceId, made: &Made) {
    let pool = &t.server.pool;
    let sent = outbox(store).await;
    assert_eq!(sent.len(), made.commands, "the desk's outbox holds each command made");

    // G2: each command once, under the desk's own number, and nothing else from this device.
    let held: Vec<(i64, Uuid, String)> =
        sqlx::query_as("SELECT seq, command_id, outcome FROM commands WHERE device = $1 ORDER BY seq").bind(device.0).fetch_all(pool).await.unwrap();
    let numbered: Vec<(u64, Uuid)> = held.iter().map(|(seq, id, _)| (*seq as u64, *id)).collect();
    if numbered != sent {
        let missing = sent.iter().filter(|c| !numbered.contains(c)).count();
        let extra = numbered.iter().filter(|c| !sent.contains(c)).count();
        panic!("the server holds {} commands of the desk's {}: {missing} missing, {extra} not the desk's as numbered", numbered.len(), sent.len());
    }
    let last: i64 = sqlx::query_scalar("SELECT last_seq FROM devices WHERE id = $1").bind(device.0).fetch_one(pool).await.unwrap();
    assert_eq!(last as usize, sent.len(), "the server expects the desk's next number next");

    // G3: applied in the desk's order — the region's history, in the order the change log
    // numbered it at commit, lists the commands as the desk numbered them.
    let applied: Vec<Uuid> = sqlx::query_scalar(
        "SELECT (h.body->>'command')::uuid FROM changes c JOIN history h ON h.id = c.id
         WHERE c.entity = 'history' AND h.body->>'device' = $1 ORDER BY c.pos",
    )
    .bind(device.0.to_string())
    .fetch_all(pool)
    .await
    .unwrap();
    let in_order: Vec<Uuid> = sent.iter().map(|(_, id)| *id).collect();
    if applied != in_order {
        let first = applied.iter().zip(&in_order).position(|(a, b)| a != b);
        panic!("the region's history holds {} of the desk's {} commands, not in the desk's order (first difference at {first:?})", applied.len(), in_order.len());
    }

    // Each registration is one application in the region, with a number of its own; no child
    // is queued twice; each holds the address of the desk's last edit, and the region's
    // history of it one line per command that concerns it.
    let ids: Vec<Uuid> = made.applications.iter().map(|a| a.id.0).collect();
    let children: Vec<String> = made.applications.iter().map(|a| a.child.iin.as_str().to_string()).collect();
    let (rows, distinct, numbers): (i64, i64, i64) =
        sqlx::query_as("SELECT count(*), count(DISTINCT id), count(DISTINCT number) FROM applications WHERE id = ANY($1)").bind(&ids).fetch_one(pool).await.unwrap();
    assert_eq!((rows, distinct, numbers), (ids.len() as i64, ids.len() as i64, ids.len() as i64), "applications, distinct ones, distinct numbers");
    let queued: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE child_iin = ANY($1)").bind(&children).fetch_one(pool).await.unwrap();
    assert_eq!(queued, ids.len() as i64, "a child queued twice");
    let addresses: Vec<(Uuid, String)> = sqlx::query_as("SELECT id, body->>'address' FROM applications WHERE id = ANY($1)").bind(&ids).fetch_all(pool).await.unwrap();
    for (id, address) in addresses {
        let (last, _) = &made.last[&ApplicationId(id)];
        assert_eq!(&address, last, "application {id}: not the address of the desk's last edit (an edit lost, doubled or applied out of order)");
    }
    let lines: Vec<(Uuid, i64)> =
        sqlx::query_as("SELECT application, count(*) FROM history WHERE application = ANY($1) GROUP BY application").bind(&ids).fetch_all(pool).await.unwrap();
    for (id, n) in lines {
        let (_, commands) = made.last[&ApplicationId(id)];
        assert_eq!(n as usize, commands, "application {id}: the region's history lines against the desk's commands");
    }

    // G5: every command answered at the desk, with the answer the server stored for it.
    assert_eq!(store.changes_waiting().await.unwrap(), 0);
    assert!(store.rejected_changes().await.unwrap().is_empty(), "refused: {:?}", store.rejected_changes().await.unwrap().first());
    for (seq, id, stored) in &held {
        let stored: Outcome = serde_json::from_str(stored).unwrap();
        let Some((verdict, decision, _)) = store.answer_to(*id).await.unwrap() else { panic!("command {seq} has no answer at the desk") };
        let decision: Decision = serde_json::from_str(&decision).unwrap();
        assert_eq!(decision, stored.decision, "command {seq}: the desk holds another answer than the server stored");
        assert_ne!(verdict, Verdict::Rejected, "command {seq}: {decision:?}");
    }
}

/// G2, G3, G5 (SYNC.md test 4, the server's half): the region's server process is killed with
/// SIGKILL — no graceful stop, requests and transactions cut wherever they were — again and
/// again while a desk pushes hundreds of commands, and started again on the same address;
/// the operator goes on working while it is away. The desk's outbox drains by
/// itself, every command is on the server once under the desk's number, applied in the desk's
/// order, and answered at the desk with the answer the server stored — including those the
/// server had committed when it died, whose answers never reached the desk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_regions_server_killed_mid_push_and_started_again_takes_each_command_once_in_order() {
    restart::serve_if_part().await;
    let _turn = ONE_AT_A_TIME.lock().await;
    let began = Instant::now();
    let (commands, kills) = if soak() { (3000u32, 12usize) } else { (600, 3) };
    let mut rng = rng("server killed");
    let t = region::server().await;
    let dir = tempfile::tempdir().unwrap();
    let err = dir.path().join("server.stderr");
    let mut server = ServerProcess::start(SERVER_TEST, &t, "127.0.0.1:0".parse().unwrap(), &err).await;
    let d = small_desk().await;
    let Joined { client, operator: op, token, device, .. } = joined_at(&server.url(), &d).await;
    let store = d.office.store().clone();
    let mut made = Made::default();
    backlog(&store, &op, &made.work(&op, device, 1, commands / 20, commands - commands / 20)).await;
    let mut next = commands + 1;

    let pusher = tokio::spawn(push_until_drained(store.clone(), client.clone(), token.clone(), op.clone(), Duration::from_secs(120)));
    let mut answers_lost = 0;
    for kill in 0..kills {
        // Somewhere in the kill's share of the outbox.
        let share = commands as usize / (kills + 1);
        let target = (kill + 1) * share + rng.index(share / 2) - share / 4;
        wait_until_taken(&t, &[device], target, || pusher.is_finished().then(|| "the desk's outbox drained".to_string())).await;
        let addr = server.kill();
        let on_server = taken(&t, &[device]).await;
        assert!(on_server < made.commands, "killed after the server had taken all {} commands", made.commands);
        if heard(&store).await < on_server {
            answers_lost += 1;
        }
        // The operator goes on working while the server is away; the desk's pushes meet a
        // closed port meanwhile.
        one_by_one(&store, &op, &made.work(&op, device, next, 2, 3)).await;
        next += 2;
        tokio::time::sleep(Duration::from_millis(200)).await;
        server = ServerProcess::start(SERVER_TEST, &t, addr, &err).await;
        assert_eq!(server.addr, addr, "started again where the desks know it");
    }
    let drained = pusher.await.unwrap();
    assert!(drained.failures >= kills, "each kill failed a push: {drained:?}");
    assert!(answers_lost > 0, "no kill cut off answers to commands the server had committed");
    audit(&t, &store, device, &made).await;
    eprintln!(
        "server killed: {kills} kills, {} commands, {} pushes failed, answers to committed commands lost {answers_lost} times, {:.1} s",
        made.commands,
        drained.failures,
        began.elapsed().as_secs_f64()
    );
    server.kill();
}

/// G2, G3, G5 (SYNC.md test 4, PostgreSQL's half): PostgreSQL crash-restarted (`pg_ctl stop -m
/// immediate`, then started again: recovery from the WAL) while two desks push hundreds of
/// commands. The region's server is not restarted: its pool connects again by itself
/// and it answers again; each desk's outbox drains; every command is on the server once, in
/// order, answered at its desk; and what the server had committed before the crash is still
/// there, exactly as it was stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_crash_restarted_mid_push_loses_and_doubles_nothing_and_the_server_answers_again_by_itself() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let began = Instant::now();
    let (commands, restarts) = if soak() { (2000u32, 5usize) } else { (400, 2) };
    let mut rng = rng("PostgreSQL restarted");
    let t = region::server().await;
    let url = format!("http://{}", region::serve(&t).await);
    let mut desks = vec![];
    for from in [1u32, 20_001] {
        let d = small_desk().await;
        let j = joined_at(&url, &d).await;
        let mut made = Made::default();
        backlog(d.office.store(), &j.operator, &made.work(&j.operator, j.device, from, commands / 20, commands - commands / 20)).await;
        desks.push((d, j, made));
    }
    let pushers: Vec<_> = desks
        .iter()
        .map(|(d, j, _)| tokio::spawn(push_until_drained(d.office.store().clone(), j.client.clone(), j.token.clone(), j.operator.clone(), Duration::from_secs(120))))
        .collect();
    let all: Vec<DeviceId> = desks.iter().map(|(_, j, _)| j.device).collect();
    let devices: Vec<Uuid> = all.iter().map(|d| d.0).collect();

    let (mut away, mut in_flight) = (vec![], vec![]);
    for restart in 0..restarts {
        // Somewhere in the restart's share of the two outboxes.
        let share = 2 * commands as usize / (restarts + 1);
        let target = (restart + 1) * share + rng.index(share / 2) - share / 4;
        wait_until_taken(&t, &all, target, || pushers.iter().all(|p| p.is_finished()).then(|| "both desks' outboxes drained".to_string())).await;
        // What the region has committed, read just before the crash.
        let committed: Vec<(Uuid, i64, String)> =
            sqlx::query_as("SELECT device, seq, outcome FROM commands WHERE device = ANY($1) ORDER BY device, seq").bind(&devices).fetch_all(&t.server.pool).await.unwrap();
        let mut pushing = 0;
        for (_, j, made) in &desks {
            pushing += usize::from(taken(&t, &[j.device]).await < made.commands);
        }
        assert!(pushing > 0, "both desks' pushes ended before PostgreSQL went down");
        in_flight.push(pushing);
        away.push(restart::crash_restart_postgres().await);
        // The server kept every commit the crash came upon, exactly as stored.
        let now: Vec<(Uuid, i64, String)> =
            sqlx::query_as("SELECT device, seq, outcome FROM commands WHERE device = ANY($1) ORDER BY device, seq").bind(&devices).fetch_all(&t.server.pool).await.unwrap();
        let lost: Vec<_> = committed.iter().filter(|c| !now.contains(c)).map(|(d, seq, _)| (d, seq)).collect();
        assert!(lost.is_empty(), "commands the server had committed before the crash are gone or changed: {lost:?}");
        assert!(!committed.is_empty());
    }

    let mut failures = 0;
    for p in pushers {
        let drained = p.await.unwrap_or_else(|e| panic!("after PostgreSQL came back the server, never restarted, did not take the desks' pushes again: {e}"));
        failures += drained.failures;
    }
    assert!(failures > 0, "no push in flight met the crash");
    for (d, j, made) in &desks {
        audit(&t, d.office.store(), j.device, made).await;
    }

    // The same server, never restarted, takes the next change at once.
    let (d, j, made) = &mut desks[0];
    one_by_one(d.office.store(), &j.operator, &made.work(&j.operator, j.device, 40_001, 1, 0)).await;
    let next = push_outbox(d.office.store(), &j.client, &j.token, &j.operator, d.clock.as_ref()).await.expect("the server answers after PostgreSQL's restart");
    assert_eq!((next.answered, next.rejected), (1, 0));
    eprintln!(
        "PostgreSQL restarted: {restarts} crash restarts (away {away:?}, desks pushing {in_flight:?}), {} commands from 2 desks, {failures} pushes failed, {:.1} s",
        desks.iter().map(|(_, _, m)| m.commands).sum::<usize>(),
        began.elapsed().as_secs_f64()
    );
}

/// Where in its push the desk is killed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kill {
    /// While its request goes out (a slow line): the server has taken none of it yet.
    Sending,
    /// While the server takes the batch: part of it committed.
    Applying,
    /// With the whole batch committed and the answer on its way back (delayed on the line).
    Answering,
}

/// The desk part: the desk's program started on its file, pushing its outbox once; says when
/// it begins and, should it ever get there, what it heard. Then waits to be killed.
async fn desk_part(spec: &str) -> ! {
    let spec: serde_json::Value = serde_json::from_str(spec).unwrap();
    let store = Store::open(std::path::Path::new(spec["db"].as_str().unwrap())).await.expect("the desk's file opens");
    let client = RegionClient::new(spec["url"].as_str().unwrap()).unwrap();
    let op: Operator = serde_json::from_value(spec["operator"].clone()).unwrap();
    let clock = ManualClock::at(region::morning());
    restart::say("PUSHING");
    let pushed: Result<_, SyncError> = push_outbox(&store, &client, spec["token"].as_str().unwrap(), &op, &clock).await;
    restart::say(&format!("PUSHED {pushed:?}"));
    loop {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// G1, G2, G3, G5 (SYNC.md test 4, the desk's half): the desk's process is killed with SIGKILL
/// in the middle of its upload — while the request is still going out, while the server
/// commits the batch, and after the server committed all of it with the answer still on its
/// way — with the operator working on between runs. Each time the desk's file keeps the
/// whole outbox (nothing answered is lost, nothing unanswered is taken for answered); reopened
/// from its file, the desk sends from where the server last answered it, the server answers
/// what it had taken with what it stored and takes the rest, and in the end each command is
/// on the server once, in order, answered at the desk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_killed_mid_upload_sends_again_from_its_file_and_nothing_is_doubled_or_lost() {
    if let Some(spec) = restart::role(DESK_ROLE) {
        desk_part(&spec).await;
    }
    let _turn = ONE_AT_A_TIME.lock().await;
    let began = Instant::now();
    let mut rng = rng("desk killed");
    let (per_run, kills) = if soak() {
        (200u32, (0..12).map(|_| *rng.pick(&[Kill::Sending, Kill::Applying, Kill::Answering])).collect())
    } else {
        (150, vec![Kill::Sending, Kill::Applying, Kill::Answering])
    };
    let t = region::server().await;
    let proxy = region::FaultProxy::start(region::serve(&t).await).await;
    let d = small_desk().await;
    let Joined { operator: op, token, device, .. } = joined_at(&proxy.url(), &d).await;
    let path = d.office.store().path().to_path_buf();
    // The desk's program is not running now: from here on its part is the desk.
    d.office.store().close().await;
    let spec = serde_json::json!({ "db": path, "url": proxy.url(), "token": token, "operator": op }).to_string();
    let err = d.dir.path().join("desk.stderr");

    let mut made = Made::default();
    let mut seen = vec![];
    for (run, kill) in kills.iter().enumerate() {
        // The operator's work at the desk since its last run. Now and then (in a long run)
        // the desk was online in between, so that each run's push is one batch.
        let store = Store::open(&path).await.unwrap();
        if made.commands - heard(&store).await + per_run as usize > baqsha_sync::MAX_BATCH {
            let client = RegionClient::new(&proxy.url()).unwrap();
            push_outbox(&store, &client, &token, &op, &ManualClock::at(region::morning())).await.unwrap();
        }
        backlog(&store, &op, &made.work(&op, device, 1 + run as u32 * per_run, per_run / 15, per_run - per_run / 15)).await;
        store.close().await;
        let before = taken(&t, &[device]).await;

        // A slow line for the request that is killed going out: tens of kilobytes, a tenth of
        // a second for each 16 KiB.
        proxy.set(if *kill == Kill::Sending { Fault::Delay(Duration::from_millis(100)) } else { Fault::None });
        let mut desk = Part::start(DESK_TEST, DESK_ROLE, &spec, &err);
        desk.wait_for("PUSHING", Duration::from_secs(60)).await;
        let mut pushing = || desk.said().iter().find(|l| l.starts_with("PUSHED")).cloned();
        let at_kill = match kill {
            Kill::Sending => {
                tokio::time::sleep(Duration::from_millis(250)).await;
                let n = taken(&t, &[device]).await;
                assert_eq!(n, before, "the server took commands while the request was still going out");
                n
            }
            Kill::Applying => {
                let n = wait_until_taken(&t, &[device], before + (made.commands - before) / 3, &mut pushing).await;
                assert!(n < made.commands, "the server had taken the whole batch");
                n
            }
            Kill::Answering => {
                // The line turns slow before the answer goes back: the desk waits for it.
                wait_until_taken(&t, &[device], made.commands - 40, &mut pushing).await;
                proxy.set(Fault::Delay(Duration::from_secs(3)));
                wait_until_taken(&t, &[device], made.commands, &mut pushing).await
            }
        };
        let said = desk.kill();
        assert!(said.iter().all(|l| !l.starts_with("PUSHED")), "the desk finished its push before it was killed: {said:?}");
        proxy.set(Fault::None);
        // What the killed desk's request left under way on the server ends either way.
        let after = settled(&t, device).await;

        // The desk's file as its next start finds it: the whole outbox, and no answer it did
        // not receive.
        let store = Store::open(&path).await.expect("the desk opens after being killed");
        let outbox = outbox(&store).await;
        assert_eq!(outbox.iter().map(|(seq, _)| *seq as usize).collect::<Vec<_>>(), (1..=made.commands).collect::<Vec<_>>(), "the outbox after the kill");
        let answered = heard(&store).await;
        assert!(answered <= after, "the desk holds answers to {answered} commands, the server took {after}");
        store.close().await;
        seen.push(format!("{kill:?}: server held {before} → {at_kill} at the kill → {after}, the desk had heard of {answered} ({:.1} s)", began.elapsed().as_secs_f64()));
    }

    // The desk started again on its file, online: it sends again from where it was answered.
    let store = Store::open(&path).await.unwrap();
    let clock = Arc::new(ManualClock::at(region::morning()));
    let office = Office::new(Parts { store, clock: clock.clone(), ids: Arc::new(SystemIds), keys: d.dir.path().join("keys"), persons: None }).await.unwrap();
    let client = RegionClient::new(&proxy.url()).unwrap();
    let pushed = push_outbox(office.store(), &client, &token, &op, clock.as_ref()).await.unwrap();
    assert_eq!(pushed.rejected, 0);
    audit(&t, office.store(), device, &made).await;
    eprintln!("desk killed: {} kills, {} commands, {:.1} s\n  {}", kills.len(), made.commands, began.elapsed().as_secs_f64(), seen.join("\n  "));
}
