//! The append-only, hash-chained history of every command applied here.

use crate::{Store, StoreError};
use baqsha_core::command::{chain_hash, GENESIS_HASH};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub seq: i64,
    pub command_id: String,
    pub at: String,
    pub author: String,
    pub device: String,
    pub kind: String,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// What walking the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ChainReport {
    /// Every entry is as written; `entries` were checked.
    Intact { entries: u64 },
    /// The first entry whose hash or link does not match: it or one before it was changed
    /// or removed.
    Broken { seq: i64, reason: &'static str },
}

/// What an entry's hash covers.
pub(crate) fn payload(command_id: &str, at: &str, author: &str, device: &str, kind: &str, body: &str) -> String {
    format!("{command_id}\u{1f}{at}\u{1f}{author}\u{1f}{device}\u{1f}{kind}\u{1f}{body}")
}

impl Store {
    /// Walks the whole chain from the first entry and recomputes every hash.
    pub async fn verify_history(&self) -> Result<ChainReport, StoreError> {
        use futures_util::TryStreamExt;
        let mut rows = sqlx::query("SELECT seq, command_id, at, author, device, kind, body, prev_hash, hash FROM history ORDER BY seq").fetch(&self.pool);
        let mut prev = GENESIS_HASH.to_string();
        let mut count = 0u64;
        while let Some(r) = rows.try_next().await? {
            let seq: i64 = r.try_get("seq")?;
            let prev_hash: String = r.try_get("prev_hash")?;
            if prev_hash != prev {
                return Ok(ChainReport::Broken { seq, reason: "link to the previous entry" });
            }
            let p = payload(
                &r.try_get::<String, _>("command_id")?,
                &r.try_get::<String, _>("at")?,
                &r.try_get::<String, _>("author")?,
                &r.try_get::<String, _>("device")?,
                &r.try_get::<String, _>("kind")?,
                &r.try_get::<String, _>("body")?,
            );
            let hash: String = r.try_get("hash")?;
            if chain_hash(&prev, &p) != hash {
                return Ok(ChainReport::Broken { seq, reason: "content" });
            }
            prev = hash;
            count += 1;
        }
        Ok(ChainReport::Intact { entries: count })
    }

    /// The history of one application, oldest first.
    pub async fn application_history(&self, application: uuid::Uuid) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query("SELECT seq, command_id, at, author, device, kind, body, prev_hash, hash FROM history WHERE application = ? ORDER BY seq")
            .bind(application.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(entry).collect()
    }

    /// The chain's newest entry: its number and hash.
    pub async fn history_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        Ok(sqlx::query_as("SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1").fetch_optional(&self.pool).await?)
    }

    /// The hash of entry `seq`, if it exists.
    pub async fn history_hash_at(&self, seq: i64) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT hash FROM history WHERE seq = ?").bind(seq).fetch_optional(&self.pool).await?)
    }

    pub async fn history_len(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM history").fetch_one(&self.pool).await?)
    }

    /// When the newest command in the history was made (by its own time, not by when it was
    /// written): a desk whose clock runs behind it is wrong, or was set back.
    pub async fn newest_command_at(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        let at: Option<String> = sqlx::query_scalar("SELECT max(at) FROM history").fetch_one(&self.pool).await?;
        at.as_deref().map(crate::codec::time).transpose()
    }

    /// Up to `limit` commands of the outbox after `seq`, in its order, each as the history
    /// keeps it with its number in this desk's order.
    pub async fn outbox_after(&self, seq: u64, limit: u32) -> Result<Vec<(u64, baqsha_core::command::Command)>, StoreError> {
        self.outbox_entries(seq, limit)
            .await?
            .into_iter()
            .map(|e| {
                let command = serde_json::from_str(&e.body).map_err(|err| StoreError::Decode { what: "outbox command", detail: err.to_string() })?;
                Ok((e.seq, command))
            })
            .collect()
    }

    /// The same as the history's rows, not yet read: what a push sends. A body this build
    /// cannot read still has its id, author and device in the row beside it.
    pub async fn outbox_entries(&self, seq: u64, limit: u32) -> Result<Vec<OutboxEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT o.seq, h.command_id, h.author, h.device, h.kind, h.at, h.body FROM outbox o JOIN history h ON h.command_id = o.command_id
             WHERE o.seq > ? ORDER BY o.seq LIMIT ?",
        )
        .bind(i64::try_from(seq).unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxEntry {
                    seq: r.try_get::<i64, _>("seq")?.max(0) as u64,
                    command_id: crate::codec::uuid(&r.try_get::<String, _>("command_id")?)?,
                    author: crate::codec::uuid(&r.try_get::<String, _>("author")?)?,
                    device: crate::codec::uuid(&r.try_get::<String, _>("device")?)?,
                    kind: r.try_get("kind")?,
                    at: crate::codec::time(&r.try_get::<String, _>("at")?)?,
                    body: r.try_get("body")?,
                })
            })
            .collect()
    }

    pub async fn outbox_unsent(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetch_one(&self.pool).await?)
    }
}

/// A command of the outbox as the history holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub seq: u64,
    pub command_id: uuid::Uuid,
    pub author: uuid::Uuid,
    pub device: uuid::Uuid,
    pub kind: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The command's JSON.
    pub body: String,
}

fn entry(r: &sqlx::sqlite::SqliteRow) -> Result<HistoryEntry, StoreError> {
    Ok(HistoryEntry {
        seq: r.try_get("seq")?,
        command_id: r.try_get("command_id")?,
        at: r.try_get("at")?,
        author: r.try_get("author")?,
        device: r.try_get("device")?,
        kind: r.try_get("kind")?,
        body: r.try_get("body")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}
