//! Push: a device's commands in order, each in its own transaction, exactly once (SYNC.md
//! G2, G3). A command seen before answers with its stored outcome, byte for byte; a gap in
//! the sequence stops the batch and names where to resend from.

use crate::auth::Claims;
use crate::decide::{decide, Context};
use crate::{Server, ServerError};
use baqsha_sync::{Carried, Decision, Outcome, PushRequest, Rejection};
use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use uuid::Uuid;

/// Tries of a command that fails on the server before it is kept as quarantined.
pub const QUARANTINE_AFTER: i32 = 3;

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_else(|| "no message".into())
}

/// A change the command made, to be numbered in the change log when the command commits.
pub struct Pending {
    pub entity: &'static str,
    pub id: Uuid,
    pub district: Option<String>,
    pub kindergartens: Vec<Uuid>,
    pub body: Option<serde_json::Value>,
}

/// A push's answer as JSON text: each outcome exactly as stored.
pub struct Answer {
    pub outcomes: Vec<String>,
    pub resend_from: Option<u64>,
}

impl Answer {
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"outcomes\":[");
        out.push_str(&self.outcomes.join(","));
        out.push(']');
        if let Some(n) = self.resend_from {
            out.push_str(&format!(",\"resend_from\":{n}"));
        }
        out.push('}');
        out
    }
}

impl Server {
    /// Whether the batch carries a command the server has taken under another number (of
    /// this device or another), or one command under two numbers: why, if so.
    pub async fn numbered_elsewhere(&self, claims: &Claims, req: &PushRequest) -> Result<Option<String>, ServerError> {
        let mut seen = std::collections::HashMap::new();
        for s in &req.commands {
            if let Some(n) = seen.insert(s.command.id(), s.seq).filter(|n| *n != s.seq) {
                return Ok(Some(format!("command {} comes twice, as {n} and {}", s.command.id(), s.seq)));
            }
        }
        let ids: Vec<Uuid> = req.commands.iter().map(|s| s.command.id()).collect();
        let seqs: Vec<i64> = req.commands.iter().map(|s| s.seq as i64).collect();
        let taken: Option<(Uuid, i64, i64)> = sqlx::query_as(
            "SELECT c.command_id, c.seq, r.seq FROM commands c JOIN unnest($1::uuid[], $2::bigint[]) AS r(id, seq) ON c.command_id = r.id
             WHERE c.device <> $3 OR c.seq <> r.seq LIMIT 1",
        )
        .bind(&ids)
        .bind(&seqs)
        .bind(claims.dev)
        .fetch_optional(&self.pool)
        .await?;
        Ok(taken.map(|(id, was, now)| format!("command {id} was taken as number {was}; it cannot be number {now} too")))
    }

    /// Takes the batch for the token's device. Commands by another author than the token's
    /// account stop the batch there (that person signs in and the desk sends them).
    pub async fn push(&self, claims: &Claims, req: &PushRequest) -> Result<Answer, ServerError> {
        let mut outcomes = vec![];
        let Some(op) = claims.operator() else {
            return Ok(Answer { outcomes, resend_from: req.commands.first().map(|c| c.seq) });
        };
        if req.commands.is_empty() {
            // An empty push asks where this device stands (a desk after a reset): the server
            // expects its commands from here on.
            let last: i64 = sqlx::query_scalar("SELECT last_seq FROM devices WHERE id = $1").bind(claims.dev).fetch_one(&self.pool).await?;
            return Ok(Answer { outcomes, resend_from: Some(last as u64 + 1) });
        }
        if let Some(made) = req.made {
            self.vouch(claims, made).await?;
        }
        let mut applied = None;
        for s in &req.commands {
            let mut tx = self.pool.begin().await?;
            crate::offers::beside_rounds(&mut tx).await?;
            // The device's row, locked: its pushes are taken one at a time, in order.
            let (last, made_before, prefix): (i64, Option<DateTime<Utc>>, String) =
                sqlx::query_as("SELECT d.last_seq, d.made_at, o.prefix FROM devices d JOIN offices o ON o.id = d.office WHERE d.id = $1 FOR UPDATE OF d")
                    .bind(claims.dev)
                    .fetch_one(&mut *tx)
                    .await?;
            let seq = s.seq as i64;
            if seq <= last {
                let stored: Option<String> =
                    sqlx::query_scalar("SELECT outcome FROM commands WHERE device = $1 AND seq = $2").bind(claims.dev).bind(seq).fetch_optional(&mut *tx).await?;
                if let Some(o) = stored {
                    // Let go of the device's row now, not when the pool gets round to it: the
                    // next command of the batch locks it again.
                    tx.rollback().await?;
                    outcomes.push(o);
                    continue;
                }
            }
            if seq != last + 1 {
                return Ok(Answer { outcomes, resend_from: Some((last + 1) as u64) });
            }
            if s.command.author().0 != claims.sub {
                return Ok(Answer { outcomes, resend_from: Some(s.seq) });
            }
            let received = self.clock.now();
            // The command was made after the last time the desk showed it had not made it yet,
            // and after the device's command before it.
            let vouched: Option<DateTime<Utc>> =
                sqlx::query_scalar("SELECT max(at) FROM device_vouches WHERE device = $1 AND made < $2").bind(claims.dev).bind(seq).fetch_one(&mut *tx).await?;
            let since = vouched.max(made_before).unwrap_or(received);
            let ctx = Context { op: &op, scope: &claims.scope, office: claims.office, prefix: &prefix, received, since };
            let mut changes = vec![];
            let decision = match &s.command {
                _ if s.command.device() != claims.device() => Decision::Rejected { reason: Rejection::NotFound { what: "device".into() } },
                Carried::Unread(u) => {
                    // The detail may quote the command's values (personal data): not logged.
                    tracing::warn!("command {} ({}) of device {} cannot be read", s.seq, u.kind, claims.dev);
                    Decision::Rejected { reason: Rejection::Unreadable { kind: u.kind.clone(), detail: u.detail.clone() } }
                }
                Carried::Read(command) => {
                    // A refusal undoes whatever the decision wrote before it refused.
                    let mut inner = sqlx::Connection::begin(&mut *tx).await?;
                    let decided = match AssertUnwindSafe(decide(&mut inner, &ctx, command, &mut changes)).catch_unwind().await {
                        Ok(Ok(d)) => Ok(d),
                        // The database's trouble, not the command's: it is sent again and not
                        // counted towards quarantine.
                        Ok(Err(e)) if e.transient() => return Err(e),
                        Ok(Err(e)) => Err(e.to_string()),
                        Err(panic) => Err(format!("panicked: {}", panic_text(&panic))),
                    };
                    match decided {
                        Ok(d) => {
                            if matches!(d, Decision::Rejected { .. }) {
                                changes.clear();
                                inner.rollback().await?;
                            } else {
                                inner.commit().await?;
                            }
                            d
                        }
                        // The server failed on this command (a fault in its data or its code, not
                        // a refusal): undone, counted, and after a few tries kept as quarantined —
                        // shown at the desk, never retried forever, never skipped silently (G5).
                        Err(detail) => {
                            changes.clear();
                            inner.rollback().await?;
                            let tries: i32 = sqlx::query_scalar(
                                "INSERT INTO failures (device, seq, attempts, last_error, last_at) VALUES ($1, $2, 1, $3, $4)
                             ON CONFLICT (device, seq) DO UPDATE SET attempts = failures.attempts + 1, last_error = $3, last_at = $4 RETURNING attempts",
                            )
                            .bind(claims.dev)
                            .bind(seq)
                            .bind(&detail)
                            .bind(received)
                            .fetch_one(&mut *tx)
                            .await?;
                            tracing::error!("command {} of device {} failed on the server (try {tries}): {detail}", s.seq, claims.dev);
                            if tries < QUARANTINE_AFTER {
                                tx.commit().await?;
                                return Err(ServerError::Command { seq: s.seq, detail });
                            }
                            Decision::Rejected { reason: Rejection::Quarantined { detail } }
                        }
                    }
                }
            };
            if let (Carried::Read(command), false) = (&s.command, matches!(decision, Decision::Rejected { .. })) {
                crate::history::of_command(&mut tx, claims, command, &decision, received, &mut changes).await?;
            }
            let outcome =
                serde_json::to_string(&Outcome { seq: s.seq, command: s.command.id(), decision }).map_err(|e| ServerError::Decode { what: "outcome", detail: e.to_string() })?;
            let body = serde_json::to_string(&s.command).map_err(|e| ServerError::Decode { what: "command", detail: e.to_string() })?;
            sqlx::query("INSERT INTO commands (device, seq, command_id, author, kind, body, outcome, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(claims.dev)
                .bind(seq)
                .bind(s.command.id())
                .bind(s.command.author().0)
                .bind(match &s.command {
                    Carried::Read(c) => c.kind.code(),
                    Carried::Unread(u) => u.kind.as_str(),
                })
                .bind(&body)
                .bind(&outcome)
                .bind(received)
                .execute(&mut *tx)
                .await?;
            // An unread command without a time of its own moves nothing after it.
            let at = match &s.command {
                Carried::Read(c) => c.at,
                Carried::Unread(u) => u.at.unwrap_or(since),
            };
            let made_at = baqsha_core::command::vouched_time(at, since, received);
            sqlx::query("UPDATE devices SET last_seq = $2, last_sync = $3, made_at = $4 WHERE id = $1")
                .bind(claims.dev)
                .bind(seq)
                .bind(received)
                .bind(made_at)
                .execute(&mut *tx)
                .await?;
            crate::pull::append(&mut tx, &changes).await?;
            tx.commit().await?;
            outcomes.push(outcome);
            applied = Some(seq);
        }
        if let Some(through) = applied {
            self.forget_vouches(claims, through).await?;
        }
        Ok(Answer { outcomes, resend_from: None })
    }

    /// Keeps that the device had made no more than `made` commands at this moment: those it
    /// numbers later cannot be dated before it.
    pub async fn vouch(&self, claims: &Claims, made: u64) -> Result<(), ServerError> {
        sqlx::query(
            "INSERT INTO device_vouches (device, made, at) VALUES ($1, $2, $3)
             ON CONFLICT (device, made) DO UPDATE SET at = greatest(device_vouches.at, excluded.at)",
        )
        .bind(claims.dev)
        .bind(i64::try_from(made).unwrap_or(i64::MAX))
        .bind(self.clock.now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Once the device's commands are taken through `through`, of the points at or below it
    /// only the latest still bounds a command to come.
    async fn forget_vouches(&self, claims: &Claims, through: i64) -> Result<(), ServerError> {
        sqlx::query(
            "DELETE FROM device_vouches WHERE device = $1 AND made < $2
                AND at < (SELECT max(at) FROM device_vouches WHERE device = $1 AND made <= $2)",
        )
        .bind(claims.dev)
        .bind(through)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
