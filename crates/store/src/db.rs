use crate::{OpenError, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Row};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The local database. Cheap to clone: it is a handle to one connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: SqlitePool,
    /// One writer at a time inside this process: two windows racing for the same place
    /// queue here instead of failing on SQLite's lock upgrade.
    pub(crate) writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// One sign-in at a time: parallel guesses are each counted before the next is let in.
    pub(crate) signing_in: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Told after every commit that added to the outbox: the sync sends it at once.
    pub(crate) outbox: std::sync::Arc<tokio::sync::Notify>,
    path: PathBuf,
}

/// Readers at once: the screen's searches, a print and the upkeep side by side.
const POOL: u32 = 4;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .foreign_keys(true)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(5))
        // Kazakh alphabetical order for names (Ә after А, Ғ after Г, …).
        .collation("kazakh", |a: &str, b: &str| baqsha_core::text::compare(a, b))
}

impl Store {
    /// Opens (or creates) the database at `path` and brings it to this program's version.
    pub async fn open(path: &Path) -> Result<Store, OpenError> {
        let exists = path.exists();
        let mut version = None;
        if exists {
            version = check_existing(path).await?;
        } else if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| OpenError::Io { path: path.to_path_buf(), source })?;
        }
        let opts = options(path).create_if_missing(true).journal_mode(SqliteJournalMode::Wal);
        // Once opened, a connection stays for the desk's whole run: it keeps its page cache and
        // prepared statements, so a search after a coffee break is not a cold one. They are
        // opened as needed, not all at once: each new one prepares its statements anew.
        let pool = SqlitePoolOptions::new()
            .max_connections(POOL)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(opts)
            .await
            .map_err(|source| OpenError::Sql { path: path.to_path_buf(), source })?;
        // A file of an older version is copied as it stands before its migrations run: should
        // one fail, or this program misread what the older one wrote, the desk's work (its
        // outbox with it) is still there as it was.
        if let Some(found) = version.filter(|v| *v < latest()) {
            backup_before_migrating(&pool, path, found).await?;
        }
        MIGRATOR.run(&pool).await.map_err(|source| OpenError::Migrate { path: path.to_path_buf(), source })?;
        let store = Store { pool, writer: Default::default(), signing_in: Default::default(), outbox: Default::default(), path: path.to_path_buf() };
        store.ensure_device_id().await.map_err(|e| OpenError::Corrupt { path: path.to_path_buf(), detail: e.to_string() })?;
        store.refresh_sort_keys().await.map_err(|e| OpenError::Corrupt { path: path.to_path_buf(), detail: e.to_string() })?;
        Ok(store)
    }

    /// Kindergartens' sort keys made by an older rule are made again (in one transaction):
    /// the list's order follows `text::sort_key` as this program has it.
    async fn refresh_sort_keys(&self) -> Result<(), StoreError> {
        let version = baqsha_core::text::SORT_KEY_VERSION.to_string();
        if self.meta("sort_key_version").await?.as_deref() == Some(version.as_str()) {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        let names: Vec<(String, String, String)> = sqlx::query_as("SELECT id, name_kk, name_ru FROM kindergartens").fetch_all(&mut *tx).await?;
        for (id, kk, ru) in names {
            sqlx::query("UPDATE kindergartens SET sort_kk = ?, sort_ru = ? WHERE id = ?")
                .bind(baqsha_core::text::sort_key(&kk))
                .bind(baqsha_core::text::sort_key(&ru))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO meta (key, value) VALUES ('sort_key_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").bind(&version).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Wakes when a command was written to the outbox (one waiter: the sync loop; a wake
    /// while nobody waits is kept for the next wait).
    pub async fn outbox_written(&self) {
        self.outbox.notified().await
    }

    pub(crate) fn wrote_outbox(&self) {
        self.outbox.notify_one();
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// This installation's device id, made once when the database is created.
    pub async fn device_id(&self) -> Result<uuid::Uuid, StoreError> {
        let v = self.meta("device_id").await?.ok_or(StoreError::NotFound("device id"))?;
        crate::codec::uuid(&v)
    }

    async fn ensure_device_id(&self) -> Result<(), StoreError> {
        sqlx::query("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?)").bind(uuid::Uuid::now_v7().to_string()).execute(&self.pool).await?;
        Ok(())
    }

    /// Facts about this database (device id, region, demo flag).
    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.get_kv("meta", key).await
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.set_kv("meta", key, value).await
    }

    /// A user preference (UI language, …): not a domain change, so not a command.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.get_kv("settings", key).await
    }

    /// How many kindergartens an application may name (the `max_preferences` setting, 1–5).
    pub async fn max_preferences(&self) -> Result<usize, StoreError> {
        Ok(baqsha_core::command::max_preferences(self.setting("max_preferences").await?.as_deref()))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.set_kv("settings", key, value).await
    }

    async fn get_kv(&self, table: &'static str, key: &str) -> Result<Option<String>, StoreError> {
        let sql = format!("SELECT value FROM {table} WHERE key = ?");
        Ok(sqlx::query_scalar(&sql).bind(key).fetch_optional(&self.pool).await?)
    }

    async fn set_kv(&self, table: &'static str, key: &str, value: &str) -> Result<(), StoreError> {
        let sql = format!("INSERT INTO {table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        sqlx::query(&sql).bind(key).bind(value).execute(&self.pool).await?;
        Ok(())
    }

    /// The pragmas this store relies on, as the database reports them.
    pub async fn pragmas(&self) -> Result<(String, i64, i64), StoreError> {
        let mut c = self.pool.acquire().await?;
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *c).await?;
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *c).await?;
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *c).await?;
        Ok((journal, sync, fk))
    }
}

/// The newest migration this program has.
fn latest() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Where the copy of a file of `version` is kept before a newer program migrates it:
/// `baqsha.sqlite.v19.bak` beside `baqsha.sqlite`.
fn backup_path(path: &Path, version: i64) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".v{version}.bak"));
    path.with_file_name(name)
}

/// Copies the database as it stands, with what its WAL still holds (`VACUUM INTO`: a
/// consistent copy, not the main file's bytes), to `backup_path`. Written under a temporary
/// name, synced and renamed, so a crash midway leaves no half copy under the real name. A copy
/// already there is of this same version (a start whose upgrade failed) and is kept.
async fn backup_before_migrating(pool: &SqlitePool, path: &Path, version: i64) -> Result<(), OpenError> {
    let target = backup_path(path, version);
    if target.exists() {
        return Ok(());
    }
    let mut partial = target.clone().into_os_string();
    partial.push("-partial");
    let partial = PathBuf::from(partial);
    let io = |source: std::io::Error| OpenError::Io { path: target.clone(), source };
    match std::fs::remove_file(&partial) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
        _ => {}
    }
    let into = partial.to_str().ok_or_else(|| io(std::io::Error::other("the backup's path is not valid UTF-8")))?;
    sqlx::query("VACUUM INTO ?").bind(into).execute(pool).await.map_err(|source| OpenError::Sql { path: target.clone(), source })?;
    std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(io)?;
    std::fs::rename(&partial, &target).map_err(io)?;
    #[cfg(unix)]
    if let Some(dir) = target.parent() {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
    }
    tracing::info!("{} backed up to {} before its upgrade from version {version}", path.display(), target.display());
    Ok(())
}

/// Looks at an existing file read-only before anything may write to it; its version (None:
/// an empty file).
async fn check_existing(path: &Path) -> Result<Option<i64>, OpenError> {
    let p = || path.to_path_buf();
    let mut head = [0u8; 16];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(|source| OpenError::Io { path: p(), source })?;
        let n = f.read(&mut head).map_err(|source| OpenError::Io { path: p(), source })?;
        if n == 0 {
            // An empty file (e.g. a crash before the first write) holds nothing to lose.
            return Ok(None);
        }
        if n < 16 || &head != SQLITE_MAGIC {
            return Err(OpenError::NotADatabase { path: p() });
        }
    }
    let corrupt = |e: sqlx::Error| OpenError::Corrupt { path: p(), detail: e.to_string() };
    let mut conn = options(path).read_only(true).connect().await.map_err(corrupt)?;
    let check: String = sqlx::query_scalar("PRAGMA quick_check").fetch_one(&mut conn).await.map_err(corrupt)?;
    if check != "ok" {
        return Err(OpenError::Corrupt { path: p(), detail: check });
    }
    let has_migrations: bool =
        sqlx::query_scalar("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'").fetch_one(&mut conn).await.map_err(corrupt)?;
    let mut version = None;
    if has_migrations {
        let row = sqlx::query("SELECT max(version) AS v FROM _sqlx_migrations").fetch_one(&mut conn).await.map_err(corrupt)?;
        let found: Option<i64> = row.try_get("v").map_err(corrupt)?;
        let supported = latest();
        if let Some(found) = found {
            if found > supported {
                return Err(OpenError::Newer { path: p(), found, supported });
            }
        }
        version = found;
    } else {
        let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_master").fetch_one(&mut conn).await.map_err(corrupt)?;
        if tables > 0 {
            // Some other program's database: not ours to change.
            return Err(OpenError::NotADatabase { path: p() });
        }
    }
    conn.close().await.map_err(corrupt)?;
    Ok(version)
}
