use baqsha_core::command::RuleError;
use baqsha_core::roles::Denied;
use std::path::PathBuf;

/// Why a database file could not be opened. The file is left exactly as it was.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{path} is not a Baqsha database (it is not an SQLite file)")]
    NotADatabase { path: PathBuf },
    #[error("{path} is damaged: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path} was written by a newer Baqsha (database version {found}, this program knows up to {supported})")]
    Newer { path: PathBuf, found: i64, supported: i64 },
    #[error("cannot open {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot prepare {path}: {source}")]
    Sql { path: PathBuf, source: sqlx::Error },
    #[error("cannot upgrade {path}: {source}")]
    Migrate { path: PathBuf, source: sqlx::migrate::MigrateError },
}

/// A query or write failed inside the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("stored data cannot be read back ({what}): {detail}")]
    Decode { what: &'static str, detail: String },
    #[error("not found: {0}")]
    NotFound(&'static str),
}

/// Why a command was not applied. Nothing of it was written.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("not allowed: {0}")]
    Denied(#[from] Denied),
    #[error("refused by the rules: {0}")]
    Rule(#[from] RuleError),
    #[error("not found: {0}")]
    NotFound(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ApplyError {
    fn from(e: sqlx::Error) -> Self {
        ApplyError::Store(StoreError::Sql(e))
    }
}
