//! Pull: the changes a device may see, after its cursor, in commit order (SYNC.md G7, G8).
//!
//! Positions are given at the end of each writing transaction from one counter row
//! (`UPDATE counters … RETURNING`): the row stays locked until that transaction commits, so
//! a position is never visible before every lower one is — a pull can move its cursor past
//! what it read and never skip a change that commits late.

use crate::auth::Claims;
use crate::push::Pending;
use crate::{Server, ServerError};
use baqsha_sync::{Change, PullResponse};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// Numbers `changes` and writes them to the change log; call last, just before commit, so the
/// counter row is held as briefly as possible.
pub(crate) async fn append(tx: &mut PgConnection, changes: &[Pending]) -> Result<(), ServerError> {
    append_rows(tx, &rows(changes)).await
}

/// Changes made ready for the log: the bodies as text, the scopes as array literals. Plain
/// work with no database, which a round does on a thread of its own while it writes.
pub(crate) struct ChangeRows {
    entities: Vec<&'static str>,
    ids: Vec<Uuid>,
    districts: Vec<Option<String>>,
    kindergartens: Vec<String>,
    bodies: Vec<Option<String>>,
}

pub(crate) fn rows(changes: &[Pending]) -> ChangeRows {
    ChangeRows {
        entities: changes.iter().map(|c| c.entity).collect(),
        ids: changes.iter().map(|c| c.id).collect(),
        districts: changes.iter().map(|c| c.district.clone()).collect(),
        // Arrays of arrays must be rectangular in PostgreSQL: each list travels as its text form.
        kindergartens: changes.iter().map(|c| format!("{{{}}}", c.kindergartens.iter().map(Uuid::to_string).collect::<Vec<_>>().join(","))).collect(),
        bodies: changes.iter().map(|c| c.body.as_ref().map(|b| b.to_string())).collect(),
    }
}

/// Numbers the rows and writes them, as `append`.
pub(crate) async fn append_rows(tx: &mut PgConnection, rows: &ChangeRows) -> Result<(), ServerError> {
    if rows.ids.is_empty() {
        return Ok(());
    }
    let n = rows.ids.len() as i64;
    let last: i64 = sqlx::query_scalar("UPDATE counters SET value = value + $1 WHERE area = 'changes' RETURNING value").bind(n).fetch_one(&mut *tx).await?;
    // One statement for the lot: a round writes thousands.
    let positions: Vec<i64> = (last - n + 1..=last).collect();
    sqlx::query(
        "INSERT INTO changes (pos, entity, id, district, kindergartens, body)
         SELECT p, e, i, d, k::uuid[], b FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[]) AS t(p, e, i, d, k, b)",
    )
    .bind(&positions)
    .bind(&rows.entities)
    .bind(&rows.ids)
    .bind(&rows.districts)
    .bind(&rows.kindergartens)
    .bind(&rows.bodies)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl Server {
    /// Whether this is the demo region (seeded by `seed_demo`): a desk joining it stays a demo.
    pub async fn is_demo(&self) -> Result<bool, ServerError> {
        let v: Option<String> = sqlx::query_scalar("SELECT value FROM server_meta WHERE key = 'demo'").fetch_optional(&self.pool).await?;
        Ok(v.as_deref() == Some("1"))
    }

    pub async fn epoch(&self) -> Result<Uuid, ServerError> {
        let e: String = sqlx::query_scalar("SELECT value FROM server_meta WHERE key = 'epoch'").fetch_one(&self.pool).await?;
        e.parse().map_err(|_| ServerError::Decode { what: "epoch", detail: e })
    }

    /// Up to `limit` changes after `after` that the token's scope reaches. Kindergartens, groups
    /// and vacancies are reference data every office sees; an application is seen by the region, by its
    /// district's department and by the kindergartens it names.
    pub async fn pull(&self, claims: &Claims, after: u64, limit: u32) -> Result<PullResponse, ServerError> {
        let limit = limit.clamp(1, 5000) as i64;
        let (scope, district, kindergarten) = claims.scope.params();
        // Every position up to the newest committed one is committed (see above): read that
        // first, then only below it, and the cursor may move to it without skipping anything.
        let top: i64 = sqlx::query_scalar("SELECT coalesce(max(pos), 0) FROM changes").fetch_one(&self.pool).await?;
        let rows = sqlx::query(
            "SELECT pos, entity, id, body FROM changes
             WHERE pos > $1 AND pos <= $6 AND (
                 entity IN ('settings', 'calendar', 'kindergarten', 'group', 'vacancy')
                 OR $2 = 'region'
                 OR ($2 = 'district' AND district = $3)
                 OR ($2 = 'kindergarten' AND $4 = ANY(kindergartens)))
             ORDER BY pos LIMIT $5",
        )
        .bind(after as i64)
        .bind(scope)
        .bind(district)
        .bind(kindergarten)
        .bind(limit + 1)
        .bind(top)
        .fetch_all(&self.pool)
        .await?;
        let more = rows.len() as i64 > limit;
        let mut changes = Vec::with_capacity(rows.len());
        for r in rows.into_iter().take(limit as usize) {
            let body: Option<String> = r.try_get("body")?;
            changes.push(Change {
                pos: r.try_get::<i64, _>("pos")? as u64,
                entity: r.try_get("entity")?,
                id: r.try_get("id")?,
                body: body.map(|b| crate::decode("change", &b)).transpose()?,
            });
        }
        // With nothing more in scope, the cursor moves to the newest committed position, so
        // the next pull does not read again what others' scopes wrote.
        let cursor = match (changes.last(), more) {
            (Some(c), true) => c.pos,
            _ => (top as u64).max(after),
        };
        Ok(PullResponse { epoch: self.epoch().await?, changes, cursor, more, now: Some(self.clock.now()) })
    }
}
