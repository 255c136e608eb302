//! `baqsha-server`: the region's server. Configured by environment (a systemd unit sets it):
//!
//! - `BAQSHA_DATABASE_URL` — `postgres://user@host:port/db`
//! - `BAQSHA_LISTEN` — address to listen on (default `127.0.0.1:8740`; TLS is the reverse
//!   proxy's)
//! - `BAQSHA_TOKEN_KEY_FILE` — a file of at least 32 random bytes that signs access tokens
//! - `BAQSHA_SEED_DEMO=1` — seed East Kazakhstan's demo offices into an empty database
//! - `BAQSHA_ROUND_EVERY` — seconds between the region's offer rounds (default 60)
//! - `BAQSHA_SMS_URL`, `BAQSHA_SMS_LOGIN`, `BAQSHA_SMS_PASSWORD_FILE`, `BAQSHA_SMS_SENDER` —
//!   the SMS gateway parents are told through (unset: messages stay queued in the database)

use baqsha_server::{auth::Tokens, router, Server, SystemClock};
use std::sync::Arc;

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("baqsha-server: {e}");
        std::process::exit(1);
    }
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

async fn run() -> Result<(), String> {
    let url = env("BAQSHA_DATABASE_URL")?;
    let listen = std::env::var("BAQSHA_LISTEN").unwrap_or_else(|_| "127.0.0.1:8740".into());
    let key_file = env("BAQSHA_TOKEN_KEY_FILE")?;
    let key = std::fs::read(&key_file).map_err(|e| format!("reading the token key {key_file}: {e}"))?;
    if key.len() < 32 {
        return Err(format!("the token key {key_file} has {} bytes; it needs at least 32 random bytes", key.len()));
    }
    let tokens = Tokens::new(&key, chrono::Duration::minutes(15));
    let server = Server::open(&url, tokens, Arc::new(SystemClock)).await.map_err(|e| format!("opening the database: {e}"))?;
    if std::env::var("BAQSHA_SEED_DEMO").as_deref() == Ok("1") {
        let today = baqsha_core::command::desk_date(chrono::Utc::now());
        match server.seed_demo(today).await.map_err(|e| format!("seeding the demo: {e}"))? {
            Some(s) => println!("seeded the demo region: {} offices, {} accounts, {} kindergartens, {} groups", s.offices, s.accounts, s.kindergartens, s.groups),
            None => println!("the database already has offices; nothing seeded"),
        }
    }
    tokio::spawn(background(server.clone(), sms()?));
    let listener = tokio::net::TcpListener::bind(&listen).await.map_err(|e| format!("listening on {listen}: {e}"))?;
    println!("baqsha-server listening on http://{listen}");
    axum::serve(listener, router(server)).with_graceful_shutdown(stopped()).await.map_err(|e| format!("serving: {e}"))
}

fn sms() -> Result<Option<baqsha_notify::Router>, String> {
    let Ok(url) = std::env::var("BAQSHA_SMS_URL") else { return Ok(None) };
    let password_file = env("BAQSHA_SMS_PASSWORD_FILE")?;
    let password = std::fs::read_to_string(&password_file).map_err(|e| format!("reading the SMS password {password_file}: {e}"))?;
    let sms = baqsha_notify::SmsConfig { url, login: env("BAQSHA_SMS_LOGIN")?, password: password.trim().to_string(), sender: std::env::var("BAQSHA_SMS_SENDER").ok() };
    Ok(Some(baqsha_notify::Router { smtp: None, sms: Some(sms) }))
}

/// The region's offer round every `BAQSHA_ROUND_EVERY` seconds, a minute unless set (every
/// process runs it; they take turns on a database lock), and the parents' messages sent when
/// a gateway is configured.
async fn background(server: Server, sms: Option<baqsha_notify::Router>) {
    let every = std::env::var("BAQSHA_ROUND_EVERY").ok().and_then(|s| s.parse::<u64>().ok()).filter(|s| *s > 0).unwrap_or(60);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(every));
    loop {
        tick.tick().await;
        match server.offer_round(chrono::Utc::now()).await {
            Ok(r) if !r.offered.is_empty() || r.passed > 0 => println!("offer round: {} offered, {} passed, {} leases ended", r.offered.len(), r.passed, r.leases_ended),
            Ok(_) => {}
            Err(e) => eprintln!("offer round failed (tried again at the next round): {e}"),
        }
        if let Some(router) = &sms {
            if let Err(e) = server.send_notifications(router, 200).await {
                eprintln!("sending messages failed (tried again at the next round): {e}");
            }
        }
    }
}

/// Ctrl+C, or systemd's SIGTERM: requests in flight finish (each command is its own
/// transaction, so one cut short is simply not applied and the desk sends it again).
async fn stopped() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}
