//! Restarts for tests: PostgreSQL crash-restarted under the servers and desks that use it, and
//! a part of a test — the region's server, a desk — run as a process of its own that the test
//! kills with SIGKILL. A part is the test binary started again running one test, with its role
//! in the environment: that test asks [`role`] first and, in a part, plays the role instead.

use crate::{as_user, bin, run_as, TestServer, CLUSTER};
use baqsha_server::Clock;
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// What a part writes before each line meant for the test (the test harness may begin the
/// line with the test's name).
const MARK: &str = "baqsha-part: ";

/// The environment variable naming the region's server part's role.
pub const SERVER_ROLE: &str = "BAQSHA_PART_SERVER";

/// In a part: its spec, when this process was started as `var`'s part.
pub fn role(var: &str) -> Option<String> {
    std::env::var(var).ok()
}

/// In a part: a line for the test, written and flushed at once (a line not flushed is lost
/// with the process).
pub fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(format!("{MARK}{line}\n").as_bytes());
    let _ = out.flush();
}

/// A part of the test running as its own process. Dies with the thread that started it (the
/// test's), and is killed when dropped.
pub struct Part {
    child: Child,
    lines: Receiver<String>,
    heard: Vec<String>,
    err: PathBuf,
    ended: bool,
}

impl Part {
    /// The test binary started again running only `test`, with `var` set to `spec`; its
    /// standard error goes to `err`.
    pub fn start(test: &str, var: &str, spec: &str, err: &Path) -> Part {
        let exe = std::env::current_exe().expect("the test binary's path");
        let mut cmd = Command::new(exe);
        cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
            .env(var, spec)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(err).expect("a file for the part's errors"));
        as_user(&mut cmd, None, true);
        let mut child = cmd.spawn().expect("the part starts");
        let out = child.stdout.take().expect("the part's output");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if let Some((_, said)) = line.split_once(MARK) {
                    if tx.send(said.to_string()).is_err() {
                        break;
                    }
                }
            }
        });
        Part { child, lines, heard: vec![], err: err.to_path_buf(), ended: false }
    }

    /// What the part wrote to its standard error, for a failure's message.
    pub fn errors(&self) -> String {
        std::fs::read_to_string(&self.err).unwrap_or_default()
    }

    /// Every line the part has said so far.
    pub fn said(&mut self) -> &[String] {
        while let Ok(line) = self.lines.try_recv() {
            self.heard.push(line);
        }
        &self.heard
    }

    /// Waits up to `within` for a line beginning with `prefix`; the line. Panics (with the
    /// part's errors) when it does not come or the part ends first.
    pub async fn wait_for(&mut self, prefix: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut seen = self.heard.len();
        loop {
            loop {
                match self.lines.try_recv() {
                    Ok(line) => self.heard.push(line),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        let status = self.child.wait().map(|s| s.to_string()).unwrap_or_default();
                        self.ended = true;
                        panic!("the part ended ({status}) before it said {prefix:?}: {}", self.errors());
                    }
                }
            }
            if let Some(line) = self.heard[seen..].iter().find(|l| l.starts_with(prefix)) {
                return line.clone();
            }
            seen = self.heard.len();
            if Instant::now() >= deadline {
                panic!("the part did not say {prefix:?} within {within:?}: {}", self.errors());
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// SIGKILL: nothing of the part runs after this, no destructor, no flush. Panics when the
    /// part had ended by itself before; the lines it said.
    pub fn kill(&mut self) -> Vec<String> {
        let _ = self.child.kill();
        let status = self.child.wait().expect("the part's end");
        self.ended = true;
        assert_eq!(status.signal(), Some(libc::SIGKILL), "the part ended before it was killed ({status}): {}", self.errors());
        self.said().to_vec()
    }
}

impl Drop for Part {
    fn drop(&mut self) {
        if !self.ended {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The region's server as a process of its own (the `baqsha-server` a region runs), over the
/// test's database, with the test kit's token key and a clock held at the test server's
/// time: killed with SIGKILL and started again on the same address.
pub struct ServerProcess {
    part: Part,
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Starts the server part of `test` (which calls [`serve_if_part`] first) at `listen`
    /// (port 0: any free one); its errors go to `err`.
    pub async fn start(test: &str, t: &TestServer, listen: SocketAddr, err: &Path) -> ServerProcess {
        let spec = serde_json::json!({ "database": t.url, "listen": listen.to_string(), "at": t.clock.now() }).to_string();
        let mut part = Part::start(test, SERVER_ROLE, &spec, err);
        let line = part.wait_for("LISTENING ", Duration::from_secs(60)).await;
        let addr = line.trim_start_matches("LISTENING ").parse().expect("the server part's address");
        ServerProcess { part, addr }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The process killed as by a power cut or the OOM killer: requests in flight end
    /// wherever they were; PostgreSQL rolls back what was not committed. The address, to
    /// start again at.
    pub fn kill(mut self) -> SocketAddr {
        self.part.kill();
        self.addr
    }

    pub fn errors(&self) -> String {
        self.part.errors()
    }
}

/// In the server part of a test: serves, never returns. Elsewhere: returns at once.
pub async fn serve_if_part() {
    let Some(spec) = role(SERVER_ROLE) else { return };
    let spec: serde_json::Value = serde_json::from_str(&spec).expect("the server part's spec");
    let database = spec["database"].as_str().expect("the database's URL");
    let listen: SocketAddr = spec["listen"].as_str().and_then(|a| a.parse().ok()).expect("the address to listen at");
    let at: chrono::DateTime<chrono::Utc> = serde_json::from_value(spec["at"].clone()).expect("the server's time");
    let clock = std::sync::Arc::new(crate::TestClock(std::sync::Mutex::new(at)));
    let tokens = baqsha_server::auth::Tokens::new(&[7u8; 32], chrono::Duration::minutes(15));
    let server = baqsha_server::Server::open(database, tokens, clock).await.expect("the server opens its database");
    // The address a killed server held is free again at once (SO_REUSEADDR); a few tries in
    // case the kernel is still closing it.
    let deadline = Instant::now() + Duration::from_secs(10);
    let listener = loop {
        match tokio::net::TcpListener::bind(listen).await {
            Ok(l) => break l,
            Err(e) if Instant::now() < deadline => {
                eprintln!("binding {listen}: {e}; trying again");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("binding {listen}: {e}"),
        }
    };
    say(&format!("LISTENING {}", listener.local_addr().expect("the server's address")));
    axum::serve(listener, baqsha_server::router(server)).await.expect("serving");
    unreachable!("the server part serves until it is killed");
}

/// PostgreSQL crash-restarted, as `pg_ctl restart -m immediate` does it: `pg_ctl stop -m
/// immediate` (every backend killed, nothing flushed or checkpointed: the next start
/// recovers from the WAL), then the postmaster started again with the command line it
/// recorded (`postmaster.opts`, which `pg_ctl restart` reuses) — started here, as the test kit
/// starts it, so that it still dies with the test process. Returns once it takes connections
/// again; how long it was away.
pub async fn crash_restart_postgres() -> Duration {
    let cluster = CLUSTER.get().expect("the test kit's cluster is running (region::server() starts it)");
    let data = cluster.dir.join("data");
    let who = run_as();
    let opts = std::fs::read_to_string(data.join("postmaster.opts")).expect("postmaster.opts in the cluster's data directory");
    let line = command_line(&opts);
    let (program, args) = line.split_first().expect("postmaster.opts names the postmaster");
    let started = Instant::now();

    let mut stop = Command::new(bin("pg_ctl"));
    stop.arg("stop").arg("-D").arg(&data).args(["-m", "immediate", "-w", "-t", "60"]).stdout(Stdio::null()).stderr(Stdio::piped());
    as_user(&mut stop, who, false);
    let out = tokio::task::spawn_blocking(move || stop.output()).await.expect("pg_ctl's thread").expect("pg_ctl stop runs");
    assert!(out.status.success(), "pg_ctl stop -m immediate: {}", String::from_utf8_lossy(&out.stderr));

    let log = std::env::temp_dir().join(format!("baqsha-pg-{}.log", std::process::id()));
    let log = std::fs::OpenOptions::new().create(true).append(true).open(&log).expect("the cluster's log");
    let mut pg = Command::new(program);
    pg.args(args).stdout(Stdio::null()).stderr(log);
    as_user(&mut pg, who, true);
    // As the test kit's first start: from a thread that lives as long as the process, so the
    // postmaster gets the parent-death signal only when the test process ends.
    let (spawned, started_ok) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let child = pg.spawn();
        let _ = spawned.send(child.map(drop).map_err(|e| e.to_string()));
        loop {
            std::thread::park();
        }
    });
    started_ok.recv().expect("the postmaster's thread").expect("the postmaster starts again");

    let url = format!("postgres://baqsha@127.0.0.1:{}/postgres", cluster.port);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        // Refused while it recovers ("the database system is starting up"). One attempt at a
        // time: a pool's connect would wait out its own back-off and hide when it came back.
        if let Ok(c) = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await {
            let _ = sqlx::Connection::close(c).await;
            return started.elapsed();
        }
        assert!(Instant::now() < deadline, "PostgreSQL did not come back after a crash restart; see its log");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `postmaster.opts` read back: the program, then each argument as it wrote it (in double
/// quotes).
fn command_line(opts: &str) -> Vec<String> {
    let opts = opts.trim();
    let (program, rest) = opts.split_once(' ').unwrap_or((opts, ""));
    let mut line = vec![program.to_string()];
    let mut rest = rest.trim_start();
    while let Some(quoted) = rest.strip_prefix('"') {
        let Some((arg, after)) = quoted.split_once('"') else { break };
        line.push(arg.to_string());
        rest = after.trim_start();
    }
    line
}
