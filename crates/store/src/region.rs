//! The desk's link to its region's server and what the server answered about each command of
//! the outbox. The store keeps the answers as the sync client hands them over (a verdict and
//! the server's own text); it does not speak the sync protocol itself.

use crate::codec::{time, ts};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};

/// Which server this desk belongs to, as which device, and how far its outbox is answered.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionLink {
    pub server: String,
    pub device: uuid::Uuid,
    pub joined_at: DateTime<Utc>,
    /// The outbox's last number when the desk joined: the server's number of a command is
    /// its outbox number less this.
    pub seq_base: u64,
    /// The highest outbox number the server has answered.
    pub pushed_through: u64,
    pub last_push_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// What the server made of a command: taken as sent, taken with changes of its own, or not
/// taken (the desk undoes it and shows why).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Applied,
    Adjusted,
    Rejected,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Applied => "applied",
            Verdict::Adjusted => "adjusted",
            Verdict::Rejected => "rejected",
        }
    }
}

/// One answer to keep: the command's number in the outbox, its id, the verdict and the
/// server's decision as it was sent (kept byte for byte: a retry gets the same).
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub seq: u64,
    pub command: uuid::Uuid,
    pub verdict: Verdict,
    pub decision: String,
}

/// A change the server would not take, until someone acknowledges it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub seq: u64,
    pub command: uuid::Uuid,
    pub kind: String,
    /// Who made it: their name as this desk knows them (else their id).
    pub author: String,
    pub made_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub decision: String,
    /// What the desk undid (JSON list of `Undone`), once it has.
    pub undone: Option<Vec<crate::Undone>>,
}

/// `region_link` as read: server, device, joined, base, answered through, last push, error.
/// A rejected change as read: seq, command, kind, author, made, received, decision, undone.
type RejectedRow = (i64, String, String, String, String, String, String, Option<String>);

type LinkRow = (String, String, String, i64, i64, Option<String>, Option<String>);

fn seq_param(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

impl Store {
    /// Makes this desk a device of the region's `server`. What it did before, working alone
    /// (the demo, a trial), stays its own: the outbox is sent from the first command made
    /// after joining, under the region's accounts.
    pub async fn link_region(&self, server: &str, device: uuid::Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // From now on the desk's commands come from the device the region registered.
        sqlx::query("INSERT OR REPLACE INTO meta (key, value) VALUES ('device_id', ?)").bind(device.to_string()).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO region_link (id, server, device, joined_at, seq_base, pushed_through)
             SELECT 1, ?, ?, ?, n, n FROM (SELECT coalesce(max(seq), 0) AS n FROM outbox) WHERE true
             ON CONFLICT (id) DO UPDATE SET server = excluded.server, device = excluded.device, joined_at = excluded.joined_at,
                 seq_base = excluded.seq_base, pushed_through = excluded.pushed_through, last_error = NULL",
        )
        .bind(server)
        .bind(device.to_string())
        .bind(ts(at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The region this desk belongs to; None for a desk working alone.
    pub async fn region_link(&self) -> Result<Option<RegionLink>, StoreError> {
        let row: Option<LinkRow> =
            sqlx::query_as("SELECT server, device, joined_at, seq_base, pushed_through, last_push_at, last_error FROM region_link WHERE id = 1").fetch_optional(&self.pool).await?;
        let Some((server, device, joined_at, seq_base, pushed_through, last_push_at, last_error)) = row else { return Ok(None) };
        Ok(Some(RegionLink {
            server,
            device: crate::codec::uuid(&device)?,
            joined_at: time(&joined_at)?,
            seq_base: seq_base.max(0) as u64,
            pushed_through: pushed_through.max(0) as u64,
            last_push_at: last_push_at.as_deref().map(time).transpose()?,
            last_error,
        }))
    }

    /// Keeps the server's answers and moves the outbox on past them, in one transaction. An
    /// answer for a number the outbox holds under another command is refused whole: the
    /// server and this desk disagree about the desk's own order.
    pub async fn keep_answers(&self, answers: &[Answered], at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut through = None;
        for a in answers {
            let held: Option<String> = sqlx::query_scalar("SELECT command_id FROM outbox WHERE seq = ?").bind(seq_param(a.seq)).fetch_optional(&mut *tx).await?;
            if held.as_deref() != Some(a.command.to_string().as_str()) {
                return Err(StoreError::Decode { what: "server answer", detail: format!("number {} of the outbox is not command {}", a.seq, a.command) });
            }
            // The same answer again (a retry) keeps the first; another one (a server restored
            // from a backup decided the command anew) replaces it, to be undone and shown.
            sqlx::query(
                "INSERT INTO outcomes (seq, command_id, verdict, decision, received_at) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (seq) DO UPDATE SET verdict = excluded.verdict, decision = excluded.decision, received_at = excluded.received_at,
                    undone = NULL, undone_at = NULL, acknowledged_at = NULL, acknowledged_by = NULL
                 WHERE outcomes.decision <> excluded.decision",
            )
            .bind(seq_param(a.seq))
            .bind(a.command.to_string())
            .bind(a.verdict.code())
            .bind(&a.decision)
            .bind(ts(at))
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE outbox SET sent_at = coalesce(sent_at, ?), last_error = NULL WHERE seq = ?").bind(ts(at)).bind(seq_param(a.seq)).execute(&mut *tx).await?;
            through = through.max(Some(a.seq));
        }
        sqlx::query("UPDATE region_link SET pushed_through = max(pushed_through, ?), last_push_at = ?, last_error = NULL WHERE id = 1")
            .bind(seq_param(through.unwrap_or(0)))
            .bind(ts(at))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The server has not applied the outbox from `seq` on (it was restored from a backup, or
    /// refused a gap): the next push sends from there again, never from before the desk
    /// joined. Answers already kept stay.
    pub async fn resend_from(&self, seq: u64) -> Result<(), StoreError> {
        sqlx::query("UPDATE region_link SET pushed_through = max(seq_base, ?) WHERE id = 1").bind(seq_param(seq.saturating_sub(1))).execute(&self.pool).await?;
        Ok(())
    }

    /// Why the last attempt to reach the server failed, for the top bar.
    pub async fn push_failed(&self, why: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE region_link SET last_error = ? WHERE id = 1").bind(why).execute(&self.pool).await?;
        Ok(())
    }

    /// The server's number of the newest command this desk has made since it joined (0 for
    /// none): what it numbers later is made later, which the server vouches times by.
    pub async fn made_since_joining(&self) -> Result<Option<u64>, StoreError> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT coalesce((SELECT max(seq) FROM outbox), 0), seq_base FROM region_link WHERE id = 1").fetch_optional(&self.pool).await?;
        Ok(row.map(|(newest, base)| newest.saturating_sub(base).max(0) as u64))
    }

    /// Commands of the outbox the server has not answered yet.
    pub async fn changes_waiting(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE seq > coalesce((SELECT pushed_through FROM region_link WHERE id = 1), 0)").fetch_one(&self.pool).await?;
        Ok(n.max(0) as u64)
    }

    /// The changes the server would not take and nobody has acknowledged, oldest first.
    pub async fn rejected_changes(&self) -> Result<Vec<Rejected>, StoreError> {
        let rows: Vec<RejectedRow> = sqlx::query_as(
            "SELECT o.seq, o.command_id, h.kind, coalesce(op.full_name, h.author), h.at, o.received_at, o.decision, o.undone
             FROM outcomes o JOIN history h ON h.command_id = o.command_id LEFT JOIN operators op ON op.id = h.author
             WHERE o.verdict = 'rejected' AND o.acknowledged_at IS NULL ORDER BY o.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(seq, command, kind, author, made_at, received_at, decision, undone)| {
                let undone = undone.map(|u| serde_json::from_str(&u).map_err(|e| StoreError::Decode { what: "undone", detail: e.to_string() })).transpose()?;
                Ok(Rejected {
                    seq: seq.max(0) as u64,
                    command: crate::codec::uuid(&command)?,
                    kind,
                    author,
                    made_at: time(&made_at)?,
                    received_at: time(&received_at)?,
                    decision,
                    undone,
                })
            })
            .collect()
    }

    /// The server's answer to a command of this desk, once it came: the verdict, the decision
    /// as the server sent it, and whether the desk has undone it yet (a refused change only).
    pub async fn answer_to(&self, command: uuid::Uuid) -> Result<Option<(Verdict, String, bool)>, StoreError> {
        let row: Option<(String, String, bool)> =
            sqlx::query_as("SELECT verdict, decision, undone IS NOT NULL FROM outcomes WHERE command_id = ?").bind(command.to_string()).fetch_optional(&self.pool).await?;
        let Some((verdict, decision, undone)) = row else { return Ok(None) };
        let verdict = match verdict.as_str() {
            "applied" => Verdict::Applied,
            "adjusted" => Verdict::Adjusted,
            "rejected" => Verdict::Rejected,
            other => return Err(StoreError::Decode { what: "verdict", detail: other.to_string() }),
        };
        Ok(Some((verdict, decision, undone)))
    }

    /// Someone has read a rejected change and done what it asks: it leaves the list.
    pub async fn acknowledge_rejection(&self, seq: u64, by: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE outcomes SET acknowledged_at = ?, acknowledged_by = ? WHERE seq = ? AND verdict = 'rejected' AND acknowledged_at IS NULL")
            .bind(ts(at))
            .bind(by)
            .bind(seq_param(seq))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
