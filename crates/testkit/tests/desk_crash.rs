//! SYNC.md test 3: the desk's process killed (`kill -9`) at random points while it writes,
//! hundreds of times. The test re-executes its own binary as the writer: a child process that
//! opens the desk's real store and saves commands in a loop, saying each one it was told is
//! saved; the test kills it after a random short while, then opens the store as the desk would
//! on its next start and checks what the crash left. Now and then, and at the end, the outbox
//! goes to a real server. The desk holds only what the writer needs (a small file: hundreds
//! of restarts, each checking the whole file, fit in the suite's time). `BAQSHA_SOAK=1` kills
//! it 2,000 times instead of 200; `BAQSHA_CRASH_SEED` repeats a run's kills.

use baqsha_app::sync::push_outbox;
use baqsha_app::ManualClock;
use baqsha_core::command::{ApplicationChanges, Command, CommandKind, ContactConfirmation, IdDocument, RuleError};
use baqsha_core::roles::Operator;
use baqsha_core::*;
use baqsha_store::{ApplyError, ChainReport, Store};
use baqsha_testkit as region;
use region::desk::{joined, kindergarten, small_desk, Joined};
use region::rng::Rng;
use sqlx::{ConnectOptions, Connection};
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Set in the child: it is the writer, and this is what it writes with (JSON: the database,
/// the operator and device, the kindergarten, the run, a seed, the applications it may change).
const WRITER: &str = "BAQSHA_CRASH_WRITER";
/// This test's name, for the child's filter.
const NAME: &str = "a_desk_killed_at_random_points_of_its_writes_keeps_each_change_with_its_outbox_row";
/// Registrations' numbers, the desk's own series for what the crash runs make.
const PREFIX: &str = "CRASH";

/// When the `n`-th command of crash run `run` is made: later than anything before it, as a
/// desk's clock runs on between starts.
fn made_at(run: u64, n: u64) -> chrono::DateTime<chrono::Utc> {
    region::morning() + chrono::Duration::seconds(run as i64) + chrono::Duration::milliseconds(n as i64)
}

/// The writer: one run of the desk between two crashes. Opens the store, then saves commands
/// until it is killed; a line `SAVED <id>` is printed only after the store said so.
async fn write_until_killed(spec: &str) {
    let spec: serde_json::Value = serde_json::from_str(spec).expect("the writer's spec");
    let say = |line: String| {
        let mut out = std::io::stdout();
        out.write_all(format!("crash-writer: {line}\n").as_bytes()).expect("stdout");
        out.flush().expect("stdout");
    };
    let store = Store::open(Path::new(spec["db"].as_str().unwrap())).await.expect("the desk's store opens");
    let op: Operator = serde_json::from_value(spec["operator"].clone()).unwrap();
    let device = DeviceId(spec["device"].as_str().unwrap().parse().unwrap());
    let k = KindergartenId(spec["kindergarten"].as_str().unwrap().parse().unwrap());
    let run = spec["run"].as_u64().unwrap();
    let mut live: Vec<ApplicationId> = serde_json::from_value(spec["live"].clone()).unwrap();
    let mut rng = Rng(spec["seed"].as_u64().unwrap() | 1);
    let mut child = 100_000 + run as u32 * 200;
    say("READY".into());
    for n in 0.. {
        let roll = rng.below(10);
        let registering = roll < 6 || live.is_empty();
        let kind = if registering {
            child += 1;
            let mut a = region::application(region::child(child), k);
            a.registered_at = made_at(run, n);
            a.number = format!("{PREFIX}-D-{child}");
            let confirmation = (n % 2 == 0).then(|| ContactConfirmation::InPerson { document: IdDocument::IdCard, number: "045123789".into() });
            CommandKind::RegisterApplication { application: Box::new(a), confirmation }
        } else if roll < 9 {
            let application = live[rng.below(live.len() as u64) as usize];
            let changes = ApplicationChanges {
                contacts: region::application(region::child(1), k).contacts,
                address: format!("Өскемен қ., Абай даңғылы {run}-{n}"),
                preferences: vec![k],
                language: Language::Kk,
                benefit: None,
                proofs: vec![],
            };
            CommandKind::EditApplication { application, changes: Box::new(changes), confirmation: None, fields: None }
        } else {
            let application = live.swap_remove(rng.below(live.len() as u64) as usize);
            CommandKind::WithdrawApplication { application, reason: "көшті".into() }
        };
        let cmd = Command { id: Uuid::now_v7(), author: op.id, device, at: made_at(run, n), kind };
        say(format!("BEGIN {}", cmd.id));
        // Half the registrations go as the wizard sends them (numbered in the transaction),
        // the rest and every other change as a plain command.
        let saved = match &cmd.kind {
            CommandKind::RegisterApplication { confirmation: Some(_), .. } => store.submit(&op, cmd.clone(), PREFIX, |_| Vec::new()).await.map(|_| ()),
            _ => store.apply(&op, &cmd).await.map(|_| ()),
        };
        match saved {
            Ok(()) => {
                if let CommandKind::RegisterApplication { application, .. } = &cmd.kind {
                    live.push(application.id);
                }
                say(format!("SAVED {}", cmd.id));
            }
            // A child the desk already holds (a run that went past its own children's numbers):
            // the next child then.
            Err(ApplyError::Rule(RuleError::Duplicate { .. })) => say(format!("REFUSED {}", cmd.id)),
            Err(e) => panic!("command {n} of run {run}: {e}"),
        }
    }
}

/// What the crash runs made, as the history tells it: each application's address and whether
/// it was withdrawn, replayed from the history rows of the crash runs' author.
#[derive(Default)]
struct Replay {
    through: i64,
    apps: BTreeMap<String, (String, bool)>,
}

async fn connect(path: &Path) -> sqlx::SqliteConnection {
    sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .foreign_keys(true)
        .collation("kazakh", |a: &str, b: &str| baqsha_core::text::compare(a, b))
        .connect()
        .await
        .expect("a connection to the desk's file")
}

/// The desk after a crash, as its next start finds it: the store opens (its own checks),
/// the file is intact, every command is in the history and the outbox or in neither, the
/// outbox is numbered without a gap, and each effect is the history's.
async fn check_after_crash(path: &Path, author: OperatorId, saved: &[Uuid], replay: &mut Replay, walk_chain: bool) {
    let store = Store::open(path).await.expect("the desk opens after a crash");
    let mut c = connect(path).await;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut c).await.unwrap();
    assert_eq!(integrity, ["ok"], "integrity_check after a crash");

    let fk = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut c).await.unwrap();
    assert!(fk.is_empty(), "{} rows break a foreign key after a crash", fk.len());

    // Both or neither: a command in the history is in the outbox, and the other way round.
    let (no_outbox, no_history): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM history h WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.command_id = h.command_id)),
                (SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM history h WHERE h.command_id = o.command_id))",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!((no_outbox, no_history), (0, 0), "commands without an outbox row, outbox rows without a command");
    // Numbered 1, 2, 3, … in the history's order, without a gap.
    let (first, last, rows): (Option<i64>, Option<i64>, i64) = sqlx::query_as("SELECT min(seq), max(seq), count(*) FROM outbox").fetch_one(&mut c).await.unwrap();
    assert_eq!((first, last), (Some(1), Some(rows)), "the outbox's numbers have a gap");
    let out_of_order: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT o.seq AS n, lag(o.seq) OVER (ORDER BY h.seq) AS before FROM history h JOIN outbox o ON o.command_id = h.command_id)
         WHERE before IS NOT NULL AND n <> before + 1",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!(out_of_order, 0, "the outbox's order is not the history's");

    // Everything the writer was told is saved is there, with its outbox row.
    let ids = serde_json::to_string(&saved.iter().map(Uuid::to_string).collect::<Vec<_>>()).unwrap();
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM history h JOIN outbox o ON o.command_id = h.command_id WHERE h.command_id IN (SELECT value FROM json_each(?))")
        .bind(&ids)
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(kept, saved.len() as i64, "a change the desk called saved was lost");

    // No effect without its command: every application was registered by a command of the
    // history, and the crash runs' applications are exactly what their history says.
    let orphans: i64 =
        sqlx::query_scalar("SELECT count(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM history h WHERE h.application = a.id AND h.kind = 'register_application')")
            .fetch_one(&mut c)
            .await
            .unwrap();
    assert_eq!(orphans, 0, "applications without the command that made them");
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT seq, body FROM history WHERE author = ? AND seq > ? ORDER BY seq").bind(author.to_string()).bind(replay.through).fetch_all(&mut c).await.unwrap();
    for (seq, body) in rows {
        let cmd: Command = serde_json::from_str(&body).unwrap();
        match cmd.kind {
            CommandKind::RegisterApplication { application, .. } => {
                replay.apps.insert(application.id.to_string(), (application.address.clone(), false));
            }
            CommandKind::EditApplication { application, changes, .. } => {
                replay.apps.get_mut(&application.to_string()).expect("an edit of a registered application").0 = changes.address
            }
            CommandKind::WithdrawApplication { application, .. } => replay.apps.get_mut(&application.to_string()).expect("a withdrawal of a registered application").1 = true,
            other => panic!("the writer made {}", other.code()),
        }
        replay.through = seq;
    }
    let held: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, address, status FROM applications WHERE number LIKE 'CRASH-%' ORDER BY id").fetch_all(&mut c).await.unwrap();
    let held: BTreeMap<String, (String, bool)> = held.into_iter().map(|(id, address, status)| (id, (address, status == "withdrawn"))).collect();
    assert!(held == replay.apps, "the applications differ from their history: {} held, {} in the history", held.len(), replay.apps.len());
    c.close().await.unwrap();
    if walk_chain {
        assert!(matches!(store.verify_history().await.unwrap(), ChainReport::Intact { .. }), "the history's chain after a crash");
    }
    store.close().await;
}

/// One run of the writer, killed: the commands it said were saved, and whether it was killed
/// while a write was under way (it had begun a command and not said it was saved).
struct Run {
    saved: Vec<Uuid>,
    mid_write: bool,
}

fn run_writer(exe: &Path, spec: &str, err: &Path, kill: Kill) -> Run {
    let mut child = Process::new(exe)
        .args([NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(WRITER, spec)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(err).unwrap())
        .spawn()
        .expect("the writer starts");
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            // The test harness may have begun the line with the test's name.
            if let Some(l) = line.split_once("crash-writer: ").map(|(_, l)| l) {
                if tx.send(l.to_string()).is_err() {
                    break;
                }
            }
        }
    });
    let mut lines = vec![];
    match kill {
        Kill::WhileOpening(after) => std::thread::sleep(after),
        Kill::AfterReady(after) => {
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok(l) if l == "READY" => break,
                    Ok(l) => lines.push(l),
                    Err(_) => {
                        let _ = child.kill();
                        let _ = child.wait();
                        panic!("the writer did not get ready: {}", std::fs::read_to_string(err).unwrap_or_default());
                    }
                }
            }
            std::thread::sleep(after);
        }
    }
    // SIGKILL: nothing of the writer runs after this, no destructor, no flush.
    let _ = child.kill();
    let status = child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(rx.try_iter());
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGKILL), "the writer ended before it was killed ({status}): {}", std::fs::read_to_string(err).unwrap_or_default());
    let saved = lines.iter().filter_map(|l| l.strip_prefix("SAVED ")).map(|id| id.parse().unwrap()).collect();
    let mid_write = lines.last().is_some_and(|l| l.starts_with("BEGIN "));
    Run { saved, mid_write }
}

#[derive(Clone, Copy, Debug)]
enum Kill {
    WhileOpening(Duration),
    AfterReady(Duration),
}

/// G1 (durable at the desk): a change the desk called saved survives its process being
/// killed at any point, and no crash leaves a change without its history and outbox rows,
/// or those without the change; the file stays intact and the outbox, numbered without a
/// gap, reaches the server afterwards, each command taken once (G2, G5).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_killed_at_random_points_of_its_writes_keeps_each_change_with_its_outbox_row() {
    if let Ok(spec) = std::env::var(WRITER) {
        write_until_killed(&spec).await;
        unreachable!("the writer writes until it is killed");
    }
    let started = Instant::now();
    let soak = std::env::var("BAQSHA_SOAK").is_ok_and(|v| v == "1");
    let kills: u64 = if soak { 2000 } else { 200 };
    let seed: u64 = std::env::var("BAQSHA_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64);
    eprintln!("desk_crash: seed {seed} (BAQSHA_CRASH_SEED={seed} repeats these kills)");
    let mut rng = Rng(seed | 1);

    let t = region::server().await;
    let d = small_desk().await;
    let Joined { client, operator: op, token, device, .. } = joined(&t, &d).await;
    let path = d.office.store().path().to_path_buf();
    let seq_base = d.office.store().region_link().await.unwrap().unwrap().seq_base;
    // The desk's program is not running: from now on the writer is the desk.
    d.office.store().close().await;
    let exe = std::env::current_exe().unwrap();
    let err = d.dir.path().join("writer.stderr");
    let clock = ManualClock::at(region::morning());

    let k = kindergarten();
    let mut replay = Replay::default();
    let (mut saved_total, mut mid_write, mut pushed) = (0usize, 0u64, 0usize);
    for run in 0..kills {
        let live: Vec<String> = replay.apps.iter().filter(|(_, (_, withdrawn))| !withdrawn).map(|(id, _)| id.clone()).collect();
        let spec = serde_json::json!({
            "db": path, "operator": op, "device": device.0, "kindergarten": k.0,
            "run": run, "seed": rng.next_u64(), "live": live,
        })
        .to_string();
        // Mostly while it writes; now and then while it opens the store.
        let kill = if rng.below(8) == 0 { Kill::WhileOpening(Duration::from_millis(rng.below(40))) } else { Kill::AfterReady(Duration::from_micros(rng.below(60_000))) };
        let r = run_writer(&exe, &spec, &err, kill);
        saved_total += r.saved.len();
        mid_write += u64::from(r.mid_write);
        check_after_crash(&path, op.id, &r.saved, &mut replay, run % 10 == 9 || run + 1 == kills).await;

        // Now and then the desk is online between two crashes: the sync goes on from where
        // the server last answered.
        if run % 50 == 49 {
            let store = Store::open(&path).await.unwrap();
            pushed += push_outbox(&store, &client, &token, &op, &clock).await.expect("the outbox goes after a crash").answered;
            assert_eq!(store.changes_waiting().await.unwrap(), 0);
            store.close().await;
        }
    }
    eprintln!(
        "desk_crash: {kills} kills, {mid_write} of them mid-write, {saved_total} changes called saved, {} applications made, in {:.1} s",
        replay.apps.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(saved_total > kills as usize, "the writer saved too little to prove anything: {saved_total}");
    assert!(mid_write * 5 >= kills, "only {mid_write} of {kills} kills hit a write under way");

    // The desk starts once more, online: the whole outbox goes, and the server takes each
    // command once, none refused.
    let store = Store::open(&path).await.unwrap();
    pushed += push_outbox(&store, &client, &token, &op, &clock).await.expect("the outbox drains").answered;
    assert_eq!(store.changes_waiting().await.unwrap(), 0);
    assert!(store.rejected_changes().await.unwrap().is_empty(), "the server refused a change: {:?}", store.rejected_changes().await.unwrap().first());
    let mut c = connect(&path).await;
    let sent: Vec<String> = sqlx::query_scalar("SELECT command_id FROM outbox WHERE seq > ? ORDER BY seq").bind(seq_base as i64).fetch_all(&mut c).await.unwrap();
    let answered: i64 = sqlx::query_scalar("SELECT count(*) FROM outcomes WHERE seq > ?").bind(seq_base as i64).fetch_one(&mut c).await.unwrap();
    assert_eq!(answered, sent.len() as i64, "each command answered at the desk");
    assert!(pushed >= sent.len(), "{pushed} answers for {} commands", sent.len());
    let taken: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT command_id, outcome FROM commands WHERE device = $1 ORDER BY seq").bind(device.0).fetch_all(&t.server.pool).await.unwrap();
    assert_eq!(taken.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>(), sent, "the server took the outbox once, in order");
    assert!(taken.iter().all(|(_, o)| !o.contains("\"rejected\"")), "a command was refused: {:?}", taken.iter().find(|(_, o)| o.contains("\"rejected\"")));
    assert_eq!(taken.iter().map(|(id, _)| id).collect::<HashSet<_>>().len(), taken.len());
    // The region holds what the desk holds of the crash runs' applications.
    let region: Vec<(Uuid, String)> = sqlx::query_as("SELECT id, status FROM applications").fetch_all(&t.server.pool).await.unwrap();
    let region: BTreeMap<String, bool> = region.into_iter().map(|(id, status)| (id.to_string(), status == "withdrawn")).collect();
    let desk: BTreeMap<String, bool> = replay.apps.iter().map(|(id, (_, withdrawn))| (id.clone(), *withdrawn)).collect();
    assert!(region == desk, "the region holds {} applications, the desk made {}", region.len(), desk.len());
    c.close().await.unwrap();
    store.close().await;
}
