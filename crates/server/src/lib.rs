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
    #[error("command {seq} failed on the server: {detail} (the desk sends it again; after a few tries it is kept as quarantined)")]
    Command { seq: u64, detail: String },
}

impl Server {
    /// Connects, migrates, and is ready to serve.
    pub async fn open(url: &str, tokens: auth::Tokens, clock: Arc<dyn Clock>) -> Result<Server, ServerError> {
        let options: sqlx::postgres::PgConnectOptions = url.parse()?;
        // Every statement here is short and planned in well under a millisecond; compiling
        // one (PostgreSQL's JIT) costs a tenth of a second and never pays back.
        let pool = PgPoolOptions::new().max_connections(16).connect_with(options.options([("jit", "off")])).await?;
        migrate(&pool).await?;
        Ok(Server { pool, tokens: Arc::new(tokens), clock })
    }
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
