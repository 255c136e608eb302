//! A first sync and its proof: the scope's entities as they stand, in resumable chunks
//! (reference data first), and per-entity checksums a desk compares with its own rows
//! (SYNC.md G6).

use crate::auth::Claims;
use crate::{Server, ServerError};
use baqsha_sync::{Digester, ScopeChecksum, SnapshotKey, SnapshotPage, ENTITIES};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// An entity's table, its body as desks see it, and whether every office sees all of it.
pub(crate) fn source(entity: &str) -> (&'static str, &'static str, bool) {
    match entity {
        "settings" => ("region_settings", "body", true),
        "calendar" => ("calendar", "body", true),
        "history" => ("history", "body", false),
        "kindergarten" => ("kindergartens", "body", true),
        "group" => ("groups", "body", true),
        "vacancy" => ("vacancies", "body || jsonb_build_object('open', open)", true),
        "lease" => ("leases", "body || jsonb_build_object('used', used, 'ended_at', ended_at)", false),
        "offer" => ("offers", "body", false),
        "referral" => ("referrals", "body", false),
        _ => ("applications", "body", false),
    }
}

/// The rows of `entity` in the scope after `after`, by id.
async fn rows(conn: &mut PgConnection, claims: &Claims, entity: &str, after: Option<Uuid>, limit: i64) -> Result<Vec<(Uuid, String)>, ServerError> {
    let (scope, district, kindergarten) = claims.scope.params();
    let (table, body, everyone) = source(entity);
    let visible = if everyone { "TRUE" } else { "($3 = 'region' OR ($3 = 'district' AND district = $4) OR ($3 = 'kindergarten' AND $5 = ANY(kindergartens)))" };
    let sql = format!("SELECT id, ({body})::text AS body FROM {table} WHERE ($1::uuid IS NULL OR id > $1) AND {visible} ORDER BY id LIMIT $2");
    let found = sqlx::query(&sql).bind(after).bind(limit).bind(scope).bind(district).bind(kindergarten).fetch_all(&mut *conn).await?;
    found.into_iter().map(|r| Ok((r.try_get("id")?, r.try_get("body")?))).collect()
}

/// How many rows the scope holds in all, for the desk's progress bar.
async fn total(conn: &mut PgConnection, claims: &Claims) -> Result<u64, ServerError> {
    let (scope, district, kindergarten) = claims.scope.params();
    let counts: Vec<String> = ENTITIES
        .iter()
        .map(|entity| {
            let (table, _, everyone) = source(entity);
            let visible = if everyone { "TRUE" } else { "($1 = 'region' OR ($1 = 'district' AND district = $2) OR ($1 = 'kindergarten' AND $3 = ANY(kindergartens)))" };
            format!("(SELECT count(*) FROM {table} WHERE {visible})")
        })
        .collect();
    let sql = format!("SELECT {}", counts.join(" + "));
    let n: i64 = sqlx::query_scalar(&sql).bind(scope).bind(district).bind(kindergarten).fetch_one(&mut *conn).await?;
    Ok(n.max(0) as u64)
}

async fn top(conn: &mut PgConnection) -> Result<u64, ServerError> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT coalesce(max(pos), 0) FROM changes").fetch_one(&mut *conn).await?.max(0) as u64)
}

/// A snapshot chunk as the wire carries it: each row's JSON exactly as PostgreSQL gives it,
/// never parsed and written again here (a first sync is mostly this text).
pub struct RawPage {
    pub epoch: Uuid,
    pub position: u64,
    pub rows: Vec<(&'static str, Uuid, String)>,
    pub next: Option<SnapshotKey>,
    /// The scope's size, on a snapshot's first chunk.
    pub total: Option<u64>,
}

impl RawPage {
    /// The JSON of a `SnapshotPage`.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.rows.iter().map(|r| r.2.len() + 96).sum::<usize>() + 256);
        out.push_str(&format!("{{\"epoch\":\"{}\",\"position\":{},\"rows\":[", self.epoch, self.position));
        for (i, (entity, id, body)) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!("{{\"pos\":{},\"entity\":\"{entity}\",\"id\":\"{id}\",\"body\":{body}}}", self.position));
        }
        out.push_str("],\"next\":");
        match &self.next {
            Some(k) => out.push_str(&format!("{{\"entity\":\"{}\",\"id\":\"{}\"}}", k.entity, k.id)),
            None => out.push_str("null"),
        }
        if let Some(n) = self.total {
            out.push_str(&format!(",\"total\":{n}"));
        }
        out.push('}');
        out
    }

    pub fn page(&self) -> Result<SnapshotPage, ServerError> {
        crate::decode("snapshot page", &self.to_json())
    }
}

fn scope_text(scope: &crate::auth::Scope) -> Result<String, ServerError> {
    serde_json::to_string(scope).map_err(|e| ServerError::Decode { what: "scope", detail: e.to_string() })
}

impl Server {
    /// Whether the token's scope is not the one the device's desk took its snapshot in (its
    /// operator and the desk moved to another office): its cursor then belongs to another
    /// scope's changes, and it must take the new scope anew — the old scope's rows leave it
    /// (G8). A device that never said (a snapshot taken before this was kept) is taken to
    /// hold the scope it now asks with.
    pub async fn scope_moved(&self, claims: &Claims) -> Result<bool, ServerError> {
        let scope = scope_text(&claims.scope)?;
        let held: Option<Option<String>> = sqlx::query_scalar("SELECT scope FROM devices WHERE id = $1").bind(claims.dev).fetch_optional(&self.pool).await?;
        match held {
            Some(Some(held)) => Ok(held != scope),
            Some(None) => {
                sqlx::query("UPDATE devices SET scope = $2 WHERE id = $1 AND scope IS NULL").bind(claims.dev).bind(&scope).execute(&self.pool).await?;
                Ok(false)
            }
            None => Ok(false),
        }
    }

    /// One chunk of the scope's snapshot after `after` (None: from the start). `position`:
    /// the one the first chunk gave (a resumed snapshot keeps it; pulling from it afterwards
    /// brings what changed while the chunks were taken).
    pub async fn snapshot(&self, claims: &Claims, position: Option<u64>, after: Option<&SnapshotKey>, limit: u32) -> Result<RawPage, ServerError> {
        let limit = limit.clamp(1, 5000) as i64;
        let mut conn = self.pool.acquire().await?;
        // Read before the rows: every change up to it is then in what is read.
        let (position, total) = match position {
            Some(p) => (p, None),
            None => {
                // A new snapshot: the device's desk holds this scope from now on.
                sqlx::query("UPDATE devices SET scope = $2 WHERE id = $1").bind(claims.dev).bind(scope_text(&claims.scope)?).execute(&mut *conn).await?;
                let position = top(&mut conn).await?;
                (position, Some(total(&mut conn, claims).await?))
            }
        };
        let start = after.and_then(|k| ENTITIES.iter().position(|e| *e == k.entity)).unwrap_or(0);
        let mut out = vec![];
        for (i, entity) in ENTITIES.iter().enumerate().skip(start) {
            let from = after.filter(|_| i == start).map(|k| k.id);
            let left = limit - out.len() as i64;
            let found = rows(&mut conn, claims, entity, from, left + 1).await?;
            let more = found.len() as i64 > left;
            out.extend(found.into_iter().take(left as usize).map(|(id, body)| (*entity, id, body)));
            if more || out.len() as i64 == limit {
                let next = out.last().map(|(entity, id, _)| SnapshotKey { entity: entity.to_string(), id: *id });
                // A chunk that ends exactly at an entity's last row says so next time (empty).
                return Ok(RawPage { epoch: self.epoch().await?, position, rows: out, next, total });
            }
        }
        Ok(RawPage { epoch: self.epoch().await?, position, rows: out, next: None, total })
    }

    /// The scope's checksums, read in one repeatable-read transaction with the change-log
    /// position they stand at.
    pub async fn checksum(&self, claims: &Claims) -> Result<ScopeChecksum, ServerError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute(&mut *tx).await?;
        let position = top(&mut tx).await?;
        let mut entities = vec![];
        for entity in ENTITIES {
            let mut d = Digester::default();
            let mut after = None;
            loop {
                let found = rows(&mut tx, claims, entity, after, 5000).await?;
                let Some((last, _)) = found.last() else { break };
                after = Some(*last);
                for (id, body) in &found {
                    d.add(entity, *id, &crate::decode("snapshot row", body)?);
                }
            }
            entities.push(d.finish(entity));
        }
        tx.commit().await?;
        Ok(ScopeChecksum { position, entities })
    }
}
