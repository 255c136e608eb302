//! Confirmation codes (hashes only) and the message queue behind the notifications port.

use crate::codec::{time, ts};
use crate::{Store, StoreError};
use baqsha_core::codes::{Channel, CodeRecord, Notification};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// A queued or sent message, as the "sent messages" view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredMessage {
    pub id: uuid::Uuid,
    pub notification: Notification,
    pub queued_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub via: Option<String>,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// Refused or malformed: kept with its reason, never tried again.
    pub gave_up: bool,
}

/// How long a claim on a message stands: a delivery that died mid-send (the app closed)
/// leaves its messages to the next one after this.
const CLAIM_STANDS: chrono::Duration = chrono::Duration::minutes(2);

fn message(r: &sqlx::sqlite::SqliteRow) -> Result<StoredMessage, StoreError> {
    let channel: String = r.try_get("channel")?;
    Ok(StoredMessage {
        id: crate::codec::uuid(&r.try_get::<String, _>("id")?)?,
        notification: Notification {
            channel: crate::codec::code("channel", &channel, Channel::from_code)?,
            recipient: r.try_get("recipient")?,
            subject: r.try_get("subject")?,
            body: r.try_get("body")?,
            secret: r.try_get::<i64, _>("secret")? != 0,
        },
        queued_at: time(&r.try_get::<String, _>("queued_at")?)?,
        sent_at: r.try_get::<Option<String>, _>("sent_at")?.map(|s| time(&s)).transpose()?,
        via: r.try_get("via")?,
        attempts: r.try_get::<i64, _>("attempts")? as u32,
        last_error: r.try_get("last_error")?,
        gave_up: r.try_get::<i64, _>("gave_up")? != 0,
    })
}

/// A code in a message body, masked once a gateway has it: `123456` → `******`.
fn mask_digits(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut run = String::new();
    for c in body.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        if run.len() >= 4 && run.len() <= 8 {
            out.extend(std::iter::repeat_n('*', run.len()));
        } else {
            out.push_str(&run);
        }
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// Queues a message inside the caller's transaction (a submit queues its SMS and e-mail
/// with the application, or not at all).
pub(crate) async fn insert_message(conn: &mut sqlx::SqliteConnection, n: &Notification, at: DateTime<Utc>) -> Result<uuid::Uuid, StoreError> {
    let id = uuid::Uuid::now_v7();
    sqlx::query("INSERT INTO messages (id, channel, recipient, subject, body, secret, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(id.to_string())
        .bind(n.channel.code())
        .bind(&n.recipient)
        .bind(&n.subject)
        .bind(&n.body)
        .bind(n.secret)
        .bind(ts(at))
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// The last code sent to `target`, inside the caller's transaction.
async fn save_code_in(conn: &mut sqlx::SqliteConnection, c: &CodeRecord) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO confirmation_codes (target, salt, hash, issued_at, tries, confirmed, window_from, sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (target) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, issued_at = excluded.issued_at,
             tries = excluded.tries, confirmed = excluded.confirmed, window_from = excluded.window_from, sent = excluded.sent",
    )
    .bind(&c.target)
    .bind(&c.salt)
    .bind(&c.hash)
    .bind(ts(c.issued_at))
    .bind(c.tries as i64)
    .bind(c.confirmed)
    .bind(ts(c.window_from))
    .bind(c.sent as i64)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn code_record_in(conn: &mut sqlx::SqliteConnection, target: &str) -> Result<Option<CodeRecord>, StoreError> {
    let r = sqlx::query("SELECT * FROM confirmation_codes WHERE target = ?").bind(target).fetch_optional(&mut *conn).await?;
    r.map(|r| {
        Ok(CodeRecord {
            target: r.try_get("target")?,
            salt: r.try_get("salt")?,
            hash: r.try_get("hash")?,
            issued_at: time(&r.try_get::<String, _>("issued_at")?)?,
            tries: r.try_get::<i64, _>("tries")? as u32,
            confirmed: r.try_get::<i64, _>("confirmed")? != 0,
            window_from: match r.try_get::<Option<String>, _>("window_from")? {
                Some(t) => time(&t)?,
                None => time(&r.try_get::<String, _>("issued_at")?)?,
            },
            sent: r.try_get::<i64, _>("sent")?.max(0) as u32,
        })
    })
    .transpose()
}

impl Store {
    pub async fn code_record(&self, target: &str) -> Result<Option<CodeRecord>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        code_record_in(&mut conn, target).await
    }

    pub async fn save_code_record(&self, c: &CodeRecord) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        save_code_in(&mut conn, c).await
    }

    /// Reads a contact's code record, lets `decide` say what it becomes, and keeps that — all
    /// under the writer lock in one transaction, so parallel guesses are counted one by one
    /// and parallel resends cannot each start from the same count.
    pub async fn with_code<T>(&self, target: &str, decide: impl FnOnce(Option<&CodeRecord>) -> (Option<CodeRecord>, T)) -> Result<T, StoreError> {
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let record = code_record_in(&mut tx, target).await?;
        let (keep, answer) = decide(record.as_ref());
        if let Some(keep) = keep {
            save_code_in(&mut tx, &keep).await?;
        }
        tx.commit().await?;
        Ok(answer)
    }

    /// Queues a message; it is kept until a gateway (or local delivery) takes it.
    pub async fn queue_message(&self, n: &Notification, at: DateTime<Utc>) -> Result<uuid::Uuid, StoreError> {
        let mut conn = self.pool.acquire().await?;
        insert_message(&mut conn, n, at).await
    }

    /// Messages due for a try at `now`, oldest first: not sent, not given up, past their
    /// back-off, and not claimed by a delivery running now.
    pub async fn unsent_messages(&self, limit: u32, now: DateTime<Utc>) -> Result<Vec<StoredMessage>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM messages INDEXED BY messages_waiting WHERE sent_at IS NULL AND gave_up = 0
               AND (next_try_at IS NULL OR next_try_at <= ?1) AND (claimed_at IS NULL OR claimed_at <= ?2)
             ORDER BY queued_at LIMIT ?3",
        )
        .bind(ts(now))
        .bind(ts(now - CLAIM_STANDS))
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message).collect()
    }

    pub async fn message(&self, id: uuid::Uuid) -> Result<StoredMessage, StoreError> {
        let r = sqlx::query("SELECT * FROM messages WHERE id = ?").bind(id.to_string()).fetch_optional(&self.pool).await?;
        message(&r.ok_or(StoreError::NotFound("message"))?)
    }

    /// Claims a message for one delivery: true only for the one that gets it, so two
    /// deliveries running side by side never send it twice.
    pub async fn claim_message(&self, id: uuid::Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let claimed = sqlx::query("UPDATE messages SET claimed_at = ?1 WHERE id = ?3 AND sent_at IS NULL AND gave_up = 0 AND (claimed_at IS NULL OR claimed_at <= ?2)")
            .bind(ts(now))
            .bind(ts(now - CLAIM_STANDS))
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(claimed.rows_affected() == 1)
    }

    /// «Қазір жіберу»: waiting messages are due now, whatever their back-off.
    pub async fn retry_messages_now(&self) -> Result<(), StoreError> {
        sqlx::query("UPDATE messages SET next_try_at = NULL WHERE sent_at IS NULL AND gave_up = 0").execute(&self.pool).await?;
        Ok(())
    }

    /// The newest messages, sent or not, for the "sent messages" view.
    pub async fn recent_messages(&self, limit: u32) -> Result<Vec<StoredMessage>, StoreError> {
        let rows = sqlx::query("SELECT * FROM messages ORDER BY queued_at DESC LIMIT ?").bind(limit as i64).fetch_all(&self.pool).await?;
        rows.iter().map(message).collect()
    }

    /// A gateway took the message. A code sent through a real gateway is masked in our copy;
    /// local delivery keeps it, since this copy IS the delivery.
    pub async fn mark_sent(&self, id: uuid::Uuid, via: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let body: Option<(String, i64)> = sqlx::query_as("SELECT body, secret FROM messages WHERE id = ?").bind(id.to_string()).fetch_optional(&self.pool).await?;
        let (body, secret) = body.ok_or(StoreError::NotFound("message"))?;
        let kept = if secret != 0 && via != "local" { mask_digits(&body) } else { body };
        sqlx::query("UPDATE messages SET sent_at = ?, via = ?, body = ?, attempts = attempts + 1, last_error = NULL, claimed_at = NULL WHERE id = ?")
            .bind(ts(at))
            .bind(via)
            .bind(kept)
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A try failed: the reason is kept; `retry_at` None gives the message up (refused or
    /// malformed), else it waits until then.
    pub async fn mark_failed(&self, id: uuid::Uuid, error: &str, retry_at: Option<DateTime<Utc>>) -> Result<(), StoreError> {
        sqlx::query("UPDATE messages SET attempts = attempts + 1, last_error = ?, next_try_at = ?, gave_up = ?, claimed_at = NULL WHERE id = ?")
            .bind(error)
            .bind(retry_at.map(ts))
            .bind(retry_at.is_none())
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_masked_and_other_numbers_kept() {
        assert_eq!(super::mask_digits("Растау коды: 042917. Өтініш № 12"), "Растау коды: ******. Өтініш № 12");
        assert_eq!(super::mask_digits("+77011234567 123456"), "+77011234567 ******");
    }
}
