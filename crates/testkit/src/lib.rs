//! A throwaway PostgreSQL cluster per test binary (Debian's binaries, run as the `postgres`
//! user when the tests run as root: initdb refuses root) and a fresh database per test,
//! copied from a migrated template. The postmaster dies with the test process.

pub mod desk;
pub mod places;
pub mod proxy;
pub mod restart;
pub mod rng;
pub mod stations;
pub use proxy::{Fault, FaultProxy};

use baqsha_core::command::{Command, CommandKind};
use baqsha_core::roles::Operator;
use baqsha_core::*;
use baqsha_server::auth::{Claims, Tokens};
use baqsha_server::{Clock, Server};
use chrono::{DateTime, TimeZone, Utc};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Debian's and Ubuntu's PostgreSQL binaries, the newest version installed.
fn bin(tool: &str) -> PathBuf {
    let mut versions: Vec<u32> =
        std::fs::read_dir("/usr/lib/postgresql").expect("PostgreSQL (apt-get install postgresql)").flatten().filter_map(|e| e.file_name().to_string_lossy().parse().ok()).collect();
    versions.sort();
    PathBuf::from(format!("/usr/lib/postgresql/{}/bin/{tool}", versions.last().expect("a PostgreSQL version")))
}

pub struct Cluster {
    pub port: u16,
    pub dir: PathBuf,
}

static CLUSTER: OnceCell<Cluster> = OnceCell::const_new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// The uid/gid to run PostgreSQL as: ours, or `postgres`'s when we are root.
fn run_as() -> Option<(u32, u32)> {
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let out = std::process::Command::new("id").args(["-u", "postgres"]).output().expect("id -u postgres");
    let uid: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("a postgres user (apt-get install postgresql)");
    let out = std::process::Command::new("id").args(["-g", "postgres"]).output().expect("id -g postgres");
    let gid: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("postgres's group");
    Some((uid, gid))
}

fn as_user(cmd: &mut std::process::Command, who: Option<(u32, u32)>, die_with_parent: bool) {
    unsafe {
        cmd.pre_exec(move || {
            if let Some((uid, gid)) = who {
                if libc::setgid(gid) != 0 || libc::setuid(uid) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            // After setuid: a change of credentials clears the parent-death signal.
            if die_with_parent && libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGQUIT) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Clusters of test processes that have ended (their postmaster died with them).
fn sweep_stale() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("baqsha-pg-").map(|p| p.trim_end_matches(".log")).and_then(|p| p.parse::<u32>().ok()) else { continue };
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(e.path()).or_else(|_| std::fs::remove_file(e.path()));
        }
    }
}

async fn start() -> Cluster {
    sweep_stale();
    let who = run_as();
    let dir = std::env::temp_dir().join(format!("baqsha-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    if let Some((uid, gid)) = who {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
    }
    let data = dir.join("data");
    let mut init = std::process::Command::new(bin("initdb"));
    init.arg("-D").arg(&data).args(["-A", "trust", "-U", "baqsha", "--no-sync", "-E", "UTF8", "--locale=C"]).stdout(Stdio::null());
    as_user(&mut init, who, false);
    assert!(init.status().expect("initdb (apt-get install postgresql)").success(), "initdb failed");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut pg = std::process::Command::new(bin("postgres"));
    pg.arg("-D").arg(&data).arg("-p").arg(port.to_string()).arg("-k").arg(&dir);
    // fsync on: the tests assert what a real server keeps (a benchmark measures the cost).
    pg.args(["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "shared_buffers=64MB"]);
    // More settings for a run that wants them, space-separated `name=value` (a benchmark's
    // server-sized memory, a statement log to see where the time goes); later ones win.
    for setting in std::env::var("BAQSHA_PG_SETTINGS").unwrap_or_default().split_whitespace() {
        pg.args(["-c", setting]);
    }
    pg.stdout(Stdio::null()).stderr(std::fs::File::create(std::env::temp_dir().join(format!("baqsha-pg-{}.log", std::process::id()))).unwrap());
    as_user(&mut pg, who, true);
    // The parent-death signal follows the thread that spawned the child: spawned from a
    // thread that lives as long as the process, the postmaster outlives each test's runtime.
    let (started, spawned) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let child = pg.spawn();
        if child.is_err() {
            let _ = started.send(child.map(drop).map_err(|e| e.to_string()));
            return;
        }
        let _ = started.send(Ok(()));
        loop {
            std::thread::park();
        }
    });
    spawned.recv().unwrap().expect("postgres");
    let url = format!("postgres://baqsha@127.0.0.1:{port}/postgres");
    for _ in 0..100 {
        if let Ok(pool) = sqlx::PgPool::connect(&url).await {
            sqlx::query("CREATE DATABASE t_template").execute(&pool).await.unwrap();
            let t = sqlx::PgPool::connect(&format!("postgres://baqsha@127.0.0.1:{port}/t_template")).await.unwrap();
            baqsha_server::migrate(&t).await.unwrap();
            t.close().await;
            pool.close().await;
            return Cluster { port, dir };
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("postgres did not start; see {}", std::env::temp_dir().join(format!("baqsha-pg-{}.log", std::process::id())).display());
}

/// A fresh migrated database on the cluster; its URL.
pub async fn database() -> String {
    let c = CLUSTER.get_or_init(start).await;
    let name = format!("t_{}", NEXT_DB.fetch_add(1, Ordering::SeqCst));
    let admin = sqlx::PgPool::connect(&format!("postgres://baqsha@127.0.0.1:{}/postgres", c.port)).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE t_template")).execute(&admin).await.unwrap();
    admin.close().await;
    format!("postgres://baqsha@127.0.0.1:{}/{name}", c.port)
}

/// The server's clock, held still and moved by the test.
pub struct TestClock(pub Mutex<DateTime<Utc>>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

impl TestClock {
    pub fn advance(&self, by: chrono::Duration) {
        *self.0.lock().unwrap() += by;
    }
}

pub struct TestServer {
    pub server: Server,
    pub clock: Arc<TestClock>,
    pub url: String,
}

/// A Wednesday morning in Kazakhstan (09:00, UTC+5).
pub fn morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 4, 0, 0).unwrap()
}

/// A server over a fresh database with the demo region seeded.
pub async fn server() -> TestServer {
    let url = database().await;
    let clock = Arc::new(TestClock(Mutex::new(morning())));
    let server = Server::open(&url, Tokens::new(&[7u8; 32], chrono::Duration::minutes(15)), clock.clone()).await.unwrap();
    server.seed_demo(baqsha_core::command::desk_date(morning())).await.unwrap().unwrap();
    TestServer { server, clock, url }
}

/// A desk of the account's office, registered and signed in: its claims.
pub struct Desk {
    pub claims: Claims,
    pub token: String,
    pub op: Operator,
    pub seq: u64,
}

impl TestServer {
    pub async fn desk(&self, login: &str, password: &str) -> Desk {
        let (device, refresh) = self.server.register_device(login, password, "тест").await.unwrap().expect("a demo account");
        let (token, _) = self.server.access_token(device, &refresh, login, password).await.unwrap().expect("a token");
        let claims = self.server.tokens.check(&token, self.clock.now()).unwrap();
        let op = claims.operator().unwrap();
        Desk { claims, token, op, seq: 0 }
    }
}

impl TestServer {
    /// Pushes these commands as the desk's next ones, made now; the answer's JSON.
    pub async fn send(&self, desk: &mut Desk, kinds: Vec<CommandKind>) -> String {
        let at = self.clock.now();
        let commands = kinds.into_iter().map(|k| desk.command(k, at)).collect();
        self.server.push(&desk.claims, &desk.push(commands)).await.unwrap().to_json()
    }
}

impl Desk {
    /// The next command of this desk's outbox, made now.
    pub fn command(&mut self, kind: CommandKind, at: DateTime<Utc>) -> baqsha_sync::Sequenced {
        self.seq += 1;
        baqsha_sync::Sequenced { seq: self.seq, command: Command { id: uuid::Uuid::now_v7(), author: self.op.id, device: self.claims.device(), at, kind }.into() }
    }

    pub fn push(&self, commands: Vec<baqsha_sync::Sequenced>) -> baqsha_sync::PushRequest {
        // The desk has made what it sends and what it numbered before.
        let made = commands.iter().map(|c| c.seq).max().max(Some(self.seq));
        baqsha_sync::PushRequest { protocol: baqsha_sync::PROTOCOL, device: self.claims.device(), commands, made }
    }
}

/// The `n`-th demo child of queue age: a distinct IIN for each `n` up to tens of thousands.
pub fn child(n: u32) -> Iin {
    let birth = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + chrono::Duration::days((n % 900) as i64);
    (1 + (n / 900) as u16 * 7..).find_map(|s| Iin::from_parts(birth, Sex::Male, s)).unwrap()
}

/// A new application of `child` naming `kindergarten`, registered this morning.
pub fn application(child: Iin, kindergarten: KindergartenId) -> Application {
    let parent = (1..).find_map(|s| Iin::from_parts(chrono::NaiveDate::from_ymd_opt(1990, 5, 6).unwrap(), Sex::Female, s)).unwrap();
    Application {
        id: ApplicationId(uuid::Uuid::now_v7()),
        number: String::new(),
        child: Person { iin: child, surname: "Ахметов".into(), given_name: "Нұрлан".into(), patronymic: None, verified: true },
        parent: Person { iin: parent, surname: "Ахметова".into(), given_name: "Әсел".into(), patronymic: None, verified: true },
        contacts: Contacts { phone: Phone::parse("+77015550000").unwrap(), extra_phone: None, email: None },
        address: "Өскемен қ., Абай даңғылы 1".into(),
        preferences: vec![kindergarten],
        language: Language::Kk,
        benefit: None,
        consent: true,
        registered_at: morning(),
        status: ApplicationStatus::Queued,
    }
}

/// The router of `t` served on a loopback port (a real HTTP round trip).
pub async fn serve(t: &TestServer) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = baqsha_server::router(t.server.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// The demo region as the server seeded it (the same seed and day).
pub fn region() -> baqsha_demo::Region {
    baqsha_demo::generate(baqsha_demo::Scale::Demo, baqsha_demo::DEMO_SEED, command::desk_date(morning()))
}

pub fn register(a: &Application) -> CommandKind {
    CommandKind::RegisterApplication { application: Box::new(a.clone()), confirmation: None }
}

pub fn answer(json: &str) -> baqsha_sync::PushResponse {
    serde_json::from_str(json).unwrap()
}

pub fn decisions(json: &str) -> Vec<baqsha_sync::Decision> {
    answer(json).outcomes.into_iter().map(|o| o.decision).collect()
}
