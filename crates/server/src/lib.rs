//! The region's server: one queue across many offices. Desks push their commands; the server
//! re-decides each on its own data and its own clock with the same `baqsha-core` functions
//! the desk uses, keeps the outcome, and offers every change back in commit order to the
//! devices whose scope it concerns (SYNC.md).
//!
//! It keeps nothing in memory that a second process over the same database would contradict:
//! every decision takes its locks in PostgreSQL.

pub mod auth;
mod decide;
mod history;
mod http;
mod leases;
pub mod notices;
pub mod offers;
mod places;
pub mod pull;
pub mod push;
mod referrals;
pub mod seed;
pub mod settings;
pub mod snapshot;

pub use http::router;

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgPool, PgPoolOptions};
use std::sync::Arc;

/// The server's time: taken from one place so that tests can hold it still.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

#[derive(Clone)]
pub struct Server {
    pub pool: PgPool,
    pub tokens: Arc<auth::Tokens>,
    pub clock: Arc<dyn Clock>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored {what} does not decode: {detail}")]
    Decode { what: &'static str, detail: String },
    #[error("password hashing: {0}")]
    Hash(String),
    #[error("the server's work stopped: {0}")]
    Stopped(String),
    #[error("command {seq} failed on the server: {detail} (the desk sends it again; after a few tries it is kept as quarantined)")]
    Command { seq: u64, detail: String },
}

impl ServerError {
    /// A failure of the database or the connection to it (a deadlock, a serialization
    /// conflict, a restart, a lost connection) that a retry of the same work may not meet:
    /// nothing about the command itself.
    pub fn transient(&self) -> bool {
        match self {
            ServerError::Db(sqlx::Error::Database(e)) => {
                // 40001 serialization_failure, 40P01 deadlock_detected, class 08 connection
                // exceptions, class 57 operator intervention (shutdown, crash, cancel).
                e.code().is_some_and(|c| c == "40001" || c == "40P01" || c.starts_with("08") || c.starts_with("57"))
            }
            ServerError::Db(sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed | sqlx::Error::Protocol(_)) => true,
            _ => false,
        }
    }
}

impl Server {
    /// Connects, migrates, and is ready to serve.
    pub async fn open(url: &str, tokens: auth::Tokens, clock: Arc<dyn Clock>) -> Result<Server, ServerError> {
        let options: sqlx::postgres::PgConnectOptions = url.parse()?;
        // Every statement here is short and planned in well under a millisecond; compiling
        // one (PostgreSQL's JIT) costs a tenth of a second and never pays back.
        // A connection left mid-transaction (its work dropped between statements) would hold
        // its locks until reused; PostgreSQL ends such a session after a while instead.
        let settings = [("jit", "off"), ("idle_in_transaction_session_timeout", "15s")];
        let pool = PgPoolOptions::new().max_connections(16).connect_with(options.options(settings)).await?;
        migrate(&pool).await?;
        stamp_epoch(&pool).await?;
        Ok(Server { pool, tokens: Arc::new(tokens), clock })
    }
}

/// A database restored from a backup holds the epoch it was saved with, so the epoch alone
/// cannot tell the desks. The server compares the database it opens with the one its epoch
/// was stamped in — the cluster's system identifier, the database's oid and the WAL timeline:
/// a dump restored into a new database or cluster changes the first two, a point-in-time
/// recovery or a failover the third — and starts a new epoch when they differ, so every
/// desk's cursor from before asks for a reset and its outbox is sent again (SYNC.md).
async fn stamp_epoch(pool: &PgPool) -> Result<(), ServerError> {
    let here: Result<String, sqlx::Error> = sqlx::query_scalar(
        "SELECT s.system_identifier::text || '/' || d.oid::text || '/' || c.timeline_id::text
         FROM pg_control_system() s, pg_control_checkpoint() c, pg_database d WHERE d.datname = current_database()",
    )
    .fetch_one(pool)
    .await;
    let here = match here {
        Ok(h) => h,
        // A host that hides the control data: a restore must then be told by hand
        // (`UPDATE server_meta SET value = gen_random_uuid()::text WHERE key = 'epoch'`).
        Err(e) => {
            tracing::warn!("the database's identity cannot be read ({e}): a restore from a backup will not be noticed by itself");
            return Ok(());
        }
    };
    let mut tx = pool.begin().await?;
    // Processes starting together: one stamps, the others find its stamp.
    sqlx::query("LOCK TABLE server_meta IN SHARE ROW EXCLUSIVE MODE").execute(&mut *tx).await?;
    let stamped: Option<String> = sqlx::query_scalar("SELECT value FROM server_meta WHERE key = 'database'").fetch_optional(&mut *tx).await?;
    match stamped {
        Some(s) if s == here => {}
        Some(s) => {
            sqlx::query("UPDATE server_meta SET value = gen_random_uuid()::text WHERE key = 'epoch'").execute(&mut *tx).await?;
            sqlx::query("UPDATE server_meta SET value = $1 WHERE key = 'database'").bind(&here).execute(&mut *tx).await?;
            tracing::warn!("the database is not the one the epoch was stamped in ({s}, now {here}): restored or moved; a new epoch, every desk takes the region anew and sends its outbox again");
        }
        None => {
            sqlx::query("INSERT INTO server_meta (key, value) VALUES ('database', $1)").bind(&here).execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub async fn migrate(pool: &PgPool) -> Result<(), ServerError> {
    sqlx::migrate!("./migrations").run(pool).await?;
    fill_queue_columns(pool).await
}

/// Applications written before the server kept the queue's category and tier in columns get
/// them from their bodies, by the core's own rules.
async fn fill_queue_columns(pool: &PgPool) -> Result<(), ServerError> {
    let rows: Vec<(uuid::Uuid, String)> = sqlx::query_as("SELECT id, body::text FROM applications WHERE category IS NULL OR tier IS NULL").fetch_all(pool).await?;
    for (id, body) in rows {
        let a: baqsha_core::Application = decode("application", &body)?;
        sqlx::query("UPDATE applications SET category = $2, tier = $3 WHERE id = $1")
            .bind(id)
            .bind(baqsha_core::Category::of(a.child.birth_date()).0)
            .bind(a.tier().code())
            .execute(pool)
            .await?;
    }
    Ok(())
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(what: &'static str, text: &str) -> Result<T, ServerError> {
    serde_json::from_str(text).map_err(|e| ServerError::Decode { what, detail: e.to_string() })
}
