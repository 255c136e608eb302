//! The region's truth at the desk. A desk that belongs to a region holds, in `mirror`, every
//! entity of its scope as the server last sent it (the JSON, unparsed), and writes the
//! desk's own tables from it in the same transaction — so queue positions, offers and the
//! bulletin are the region's. Nothing from the server is written while the desk has changes
//! the server has not answered: a desk always sees its own pending work (SYNC.md G7); the
//! sync client pushes first and writes what it pulled when the outbox is answered.
//!
//! A change the server rejected is undone here: the entities it touched are written back from
//! the mirror (or removed, when the server never held them), and the outcome says what was
//! undone.

use crate::apply::{save_kindergarten, write_applications};
use crate::codec::{date, ts};
use crate::{ApplyError, Store, StoreError};
use baqsha_core::command::{Command, CommandKind};
use baqsha_core::offer::Offer;
use baqsha_core::referral::{PublicationPause, RefusalRules};
use baqsha_core::*;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use uuid::Uuid;

/// One entity as the server sent it: its whole state as JSON, or None when it was removed or
/// left this desk's scope.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionRow {
    pub entity: String,
    pub id: Uuid,
    pub body: Option<String>,
}

/// What writing a pull or a snapshot chunk did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mirrored {
    /// Nothing was written: the desk has changes the server has not answered yet.
    pub deferred: bool,
    pub rows: usize,
    /// Rows kept in the mirror that the desk's tables could not hold (an entity naming one
    /// the desk does not have); the first reason, for the region's IT.
    pub unplaced: usize,
    pub first_unplaced: Option<String>,
    /// Rejected changes undone in this write.
    pub undone: usize,
}

/// A first sync under way: the position it was taken at, the last row written, and how many.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotProgress {
    /// The server's epoch the snapshot is of (None before its first chunk).
    pub epoch: Option<Uuid>,
    pub position: Option<u64>,
    pub after: Option<(String, Uuid)>,
    pub rows: u64,
}

/// What the desk undid of one rejected change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Undone {
    pub entity: String,
    pub id: Uuid,
    /// True: the server never held it, so it is gone from the desk; false: written back as the
    /// server holds it.
    pub removed: bool,
}

#[derive(Deserialize)]
struct VacancyBody {
    #[serde(flatten)]
    vacancy: Vacancy,
    open: u32,
}

#[derive(Deserialize)]
struct OfferBody {
    #[serde(flatten)]
    offer: Offer,
    offered_on: NaiveDate,
    respond_by: NaiveDate,
    status: String,
    #[serde(default)]
    ended_on: Option<NaiveDate>,
}

#[derive(Deserialize)]
struct SettingsBody {
    refusal: RefusalRules,
    publication_pause: Option<PublicationPause>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CalendarBody {
    Day { date: NaiveDate, kind: String },
    KurbanAit { year: i32, kurban_ait: NaiveDate },
}

/// `region_link`'s snapshot columns: position, last key, rows so far, and the cursor.
type ProgressRow = (Option<i64>, Option<String>, i64, Option<i64>, Option<String>);

fn decode<T: serde::de::DeserializeOwned>(what: &'static str, body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Decode { what, detail: e.to_string() })
}

fn n(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Whether the outbox holds a command the server has not answered.
async fn pending(tx: &mut SqliteConnection) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outbox WHERE seq > coalesce((SELECT pushed_through FROM region_link WHERE id = 1), 0))").fetch_one(&mut *tx).await?)
}

impl Store {
    /// Writes a pull's changes and moves the cursor to `cursor`, in one transaction; first
    /// undoes what the server rejected. Deferred (nothing written) while changes wait.
    pub async fn apply_region_changes(&self, rows: &[RegionRow], epoch: Uuid, cursor: u64, at: DateTime<Utc>) -> Result<Mirrored, StoreError> {
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if pending(&mut tx).await? {
            return Ok(Mirrored { deferred: true, ..Mirrored::default() });
        }
        let mut done = Mirrored { undone: undo_rejected(&mut tx, at).await?, ..Mirrored::default() };
        for r in rows {
            put(&mut tx, r, at, &mut done).await?;
        }
        sqlx::query("UPDATE region_link SET epoch = ?, cursor = max(coalesce(cursor, 0), ?), last_pull_at = ? WHERE id = 1")
            .bind(epoch.to_string())
            .bind(n(cursor))
            .bind(ts(at))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Writes one chunk of a first sync (or of a reset). The first chunk empties what the
    /// desk held of the region's entities (its scope is now the region's); the last removes
    /// what the region does not hold and sets the cursor at the snapshot's position, from
    /// where pulls bring what changed meanwhile. Deferred while changes wait.
    pub async fn apply_snapshot_chunk(&self, rows: &[RegionRow], epoch: Uuid, position: u64, after: Option<(&str, Uuid)>, at: DateTime<Utc>) -> Result<Mirrored, StoreError> {
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if pending(&mut tx).await? {
            return Ok(Mirrored { deferred: true, ..Mirrored::default() });
        }
        let started: Option<i64> = sqlx::query_scalar("SELECT snapshot_position FROM region_link WHERE id = 1").fetch_optional(&mut *tx).await?.flatten();
        if started.is_none() {
            clear_region(&mut tx).await?;
            sqlx::query("UPDATE region_link SET snapshot_position = ?, snapshot_rows = 0, epoch = ?, cursor = NULL WHERE id = 1")
                .bind(n(position))
                .bind(epoch.to_string())
                .execute(&mut *tx)
                .await?;
        }
        let mut done = Mirrored { rows: rows.len(), ..Mirrored::default() };
        sqlx::query("SAVEPOINT chunk").execute(&mut *tx).await?;
        let fast = put_chunk(&mut tx, rows, at).await;
        if let Err(e) = fast {
            // One row the desk cannot hold: the chunk again, row by row, that row set aside.
            tracing::warn!("a snapshot chunk is written row by row: {e}");
            sqlx::query("ROLLBACK TO chunk").execute(&mut *tx).await?;
            done = Mirrored::default();
            for r in rows {
                put(&mut tx, r, at, &mut done).await?;
            }
        }
        sqlx::query("RELEASE chunk").execute(&mut *tx).await?;
        let after_json = after.map(|(e, id)| serde_json::json!({ "entity": e, "id": id }).to_string());
        sqlx::query("UPDATE region_link SET snapshot_after = ?, snapshot_rows = snapshot_rows + ? WHERE id = 1")
            .bind(&after_json)
            .bind(rows.len() as i64)
            .execute(&mut *tx)
            .await?;
        if after.is_none() {
            sweep(&mut tx).await?;
            sqlx::query("UPDATE region_link SET cursor = snapshot_position, snapshot_position = NULL, snapshot_after = NULL, last_pull_at = ? WHERE id = 1")
                .bind(ts(at))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Forgets the region's truth so the next sync takes a whole snapshot (a server restored
    /// from a backup, a checksum that does not match). The outbox and its answers stay.
    pub async fn reset_region_mirror(&self) -> Result<(), StoreError> {
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM mirror").execute(&mut *tx).await?;
        sqlx::query("UPDATE region_link SET cursor = NULL, epoch = NULL, snapshot_position = NULL, snapshot_after = NULL, snapshot_rows = 0 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The first sync under way, or None when there is none (never started, or complete).
    pub async fn snapshot_progress(&self) -> Result<Option<SnapshotProgress>, StoreError> {
        let row: Option<ProgressRow> =
            sqlx::query_as("SELECT snapshot_position, snapshot_after, snapshot_rows, cursor, epoch FROM region_link WHERE id = 1").fetch_optional(&self.pool).await?;
        let Some((position, after, rows, cursor, epoch)) = row else { return Ok(None) };
        if cursor.is_some() && position.is_none() {
            return Ok(None);
        }
        let after = match after {
            Some(a) => {
                let v: serde_json::Value = decode("snapshot key", &a)?;
                let entity = v["entity"].as_str().unwrap_or_default().to_string();
                let id = v["id"].as_str().and_then(|s| s.parse().ok()).ok_or(StoreError::Decode { what: "snapshot key", detail: a.clone() })?;
                Some((entity, id))
            }
            None => None,
        };
        let epoch = if position.is_some() { epoch.as_deref().map(crate::codec::uuid).transpose()? } else { None };
        Ok(Some(SnapshotProgress { epoch, position: position.map(|p| p.max(0) as u64), after, rows: rows.max(0) as u64 }))
    }

    /// The change-log position and epoch this desk has pulled to; None before a first sync
    /// completed.
    pub async fn pull_cursor(&self) -> Result<Option<(Uuid, u64)>, StoreError> {
        let row: Option<(Option<String>, Option<i64>)> = sqlx::query_as("SELECT epoch, cursor FROM region_link WHERE id = 1").fetch_optional(&self.pool).await?;
        match row {
            Some((Some(e), Some(c))) => Ok(Some((crate::codec::uuid(&e)?, c.max(0) as u64))),
            _ => Ok(None),
        }
    }

    /// When the desk last brought the region's changes.
    pub async fn last_pull_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let at: Option<Option<String>> = sqlx::query_scalar("SELECT last_pull_at FROM region_link WHERE id = 1").fetch_optional(&self.pool).await?;
        at.flatten().as_deref().map(crate::codec::time).transpose()
    }

    /// The mirror's rows of `entity` after `after` by id, at most `limit`: what the desk
    /// computes its checksums over.
    pub async fn mirror_rows(&self, entity: &str, after: Option<Uuid>, limit: u32) -> Result<Vec<(Uuid, String)>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, body FROM mirror WHERE entity = ? AND id > ? ORDER BY id LIMIT ?")
            .bind(entity)
            .bind(after.map(|a| a.to_string()).unwrap_or_default())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(|(id, body)| Ok((crate::codec::uuid(&id)?, body))).collect()
    }
}

/// Writes one row to the mirror and the desk's tables. A row the desk's tables cannot hold
/// stays in the mirror and is counted, so one odd row does not stop the desk's sync.
async fn put(tx: &mut SqliteConnection, r: &RegionRow, at: DateTime<Utc>, done: &mut Mirrored) -> Result<(), StoreError> {
    let id = r.id.to_string();
    let before: Option<String> = match &r.body {
        None => sqlx::query_scalar("SELECT body FROM mirror WHERE entity = ? AND id = ?").bind(&r.entity).bind(&id).fetch_optional(&mut *tx).await?,
        Some(_) => None,
    };
    match &r.body {
        Some(b) => sqlx::query("INSERT OR REPLACE INTO mirror (entity, id, body) VALUES (?, ?, ?)").bind(&r.entity).bind(&id).bind(b).execute(&mut *tx).await?,
        None => sqlx::query("DELETE FROM mirror WHERE entity = ? AND id = ?").bind(&r.entity).bind(&id).execute(&mut *tx).await?,
    };
    sqlx::query("SAVEPOINT region_row").execute(&mut *tx).await?;
    let written = match &r.body {
        Some(b) => write(tx, &r.entity, r.id, b, at).await,
        None => remove(tx, &r.entity, r.id, before.as_deref()).await,
    };
    match written {
        Ok(()) => {
            sqlx::query("RELEASE region_row").execute(&mut *tx).await?;
        }
        Err(e) => {
            sqlx::query("ROLLBACK TO region_row").execute(&mut *tx).await?;
            sqlx::query("RELEASE region_row").execute(&mut *tx).await?;
            tracing::warn!(entity = %r.entity, id = %r.id, error = %e, "a row of the region the desk's tables cannot hold");
            done.unplaced += 1;
            done.first_unplaced.get_or_insert_with(|| format!("{} {}: {e}", r.entity, r.id));
        }
    }
    done.rows += 1;
    Ok(())
}

/// The region's copy of an application replaces the desk's whole.
const APPLICATION_UPSERT: &str = "ON CONFLICT(id) DO UPDATE SET number = excluded.number, child_iin = excluded.child_iin, child_surname = excluded.child_surname,
    child_given_name = excluded.child_given_name, child_patronymic = excluded.child_patronymic, child_verified = excluded.child_verified,
    category = excluded.category, parent_iin = excluded.parent_iin, parent_surname = excluded.parent_surname,
    parent_given_name = excluded.parent_given_name, parent_patronymic = excluded.parent_patronymic,
    parent_verified = excluded.parent_verified, phone = excluded.phone, extra_phone = excluded.extra_phone, email = excluded.email,
    address = excluded.address, language = excluded.language, benefit_kind = excluded.benefit_kind,
    benefit_verification = excluded.benefit_verification, benefit_proofs = excluded.benefit_proofs, tier = excluded.tier,
    consent = excluded.consent, registered_at = excluded.registered_at, status = excluded.status, district = excluded.district";

/// Entities the desk keeps in the mirror alone.
fn mirror_only(entity: &str) -> bool {
    matches!(entity, "lease" | "history")
}

/// A snapshot chunk the fast way: the mirror in one statement, the applications (most of a
/// scope) in a few, the rest one by one. Any row that fails fails the lot; the caller then
/// writes the chunk row by row.
async fn put_chunk(tx: &mut SqliteConnection, rows: &[RegionRow], at: DateTime<Utc>) -> Result<(), ApplyError> {
    let mirror: Vec<serde_json::Value> = rows.iter().filter_map(|r| r.body.as_ref().map(|b| serde_json::json!([r.entity, r.id.to_string(), b]))).collect();
    if mirror.len() != rows.len() {
        return Err(ApplyError::NotFound("a snapshot row without its body"));
    }
    sqlx::query("INSERT OR REPLACE INTO mirror (entity, id, body) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)")
        .bind(serde_json::Value::Array(mirror).to_string())
        .execute(&mut *tx)
        .await?;
    let mut applications = vec![];
    for r in rows {
        let body = r.body.as_deref().unwrap_or_default();
        if r.entity == "application" {
            applications.push(decode::<Application>("application", body)?);
            continue;
        }
        // A snapshot is in entity order: what the applications name came before them.
        if !applications.is_empty() {
            write_applications(tx, &applications.iter().collect::<Vec<_>>(), APPLICATION_UPSERT).await?;
            applications.clear();
        }
        if !mirror_only(&r.entity) {
            write(tx, &r.entity, r.id, body, at).await?;
        }
    }
    write_applications(tx, &applications.iter().collect::<Vec<_>>(), APPLICATION_UPSERT).await
}

/// Writes an entity, as the region holds it, to the desk's tables.
async fn write(tx: &mut SqliteConnection, entity: &str, id: Uuid, body: &str, at: DateTime<Utc>) -> Result<(), ApplyError> {
    match entity {
        "kindergarten" => {
            let k: Kindergarten = decode("kindergarten", body)?;
            // A district the desk has not heard of yet: named by its code until its
            // department's list arrives.
            sqlx::query("INSERT OR IGNORE INTO districts (code, name_kk, name_ru, name_en, lat, lon) VALUES (?, ?, ?, ?, ?, ?)")
                .bind(&k.district)
                .bind(&k.district)
                .bind(&k.district)
                .bind(&k.district)
                .bind(k.location.lat)
                .bind(k.location.lon)
                .execute(&mut *tx)
                .await?;
            save_kindergarten(tx, &k).await
        }
        "group" => {
            let g: Group = decode("group", body)?;
            sqlx::query(
                "INSERT INTO groups (id, kindergarten, name, age_from, age_to, language, capacity, enrolled) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT(id) DO UPDATE SET kindergarten = excluded.kindergarten, name = excluded.name, age_from = excluded.age_from,
                    age_to = excluded.age_to, language = excluded.language, capacity = excluded.capacity, enrolled = excluded.enrolled",
            )
            .bind(g.id.to_string())
            .bind(g.kindergarten.to_string())
            .bind(&g.name)
            .bind(g.age.from_years as i64)
            .bind(g.age.to_years as i64)
            .bind(g.language.code())
            .bind(g.capacity as i64)
            .bind(g.enrolled as i64)
            .execute(&mut *tx)
            .await?;
            Ok(())
        }
        "vacancy" => {
            let VacancyBody { vacancy: v, open } = decode("vacancy", body)?;
            sqlx::query(
                "INSERT INTO vacancies (id, kindergarten, grp, count, open, published_on) VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT(id) DO UPDATE SET count = excluded.count, open = excluded.open, published_on = excluded.published_on",
            )
            .bind(v.id.to_string())
            .bind(v.kindergarten.to_string())
            .bind(v.group.to_string())
            .bind(v.count as i64)
            .bind(open.min(v.count) as i64)
            .bind(date(v.published_on))
            .execute(&mut *tx)
            .await?;
            Ok(())
        }
        "application" => {
            let a: Application = decode("application", body)?;
            write_applications(tx, &[&a], APPLICATION_UPSERT).await
        }
        "offer" => {
            let o: OfferBody = decode("offer", body)?;
            // The id the region gave is the key; the desk's own rowid stays internal.
            let region_id = id.to_string();
            sqlx::query(
                "INSERT INTO offers (vacancy, application, number, position, preference_rank, ahead_not_offered, offered_on, respond_by, status, ended_on, region_id)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT(region_id) WHERE region_id IS NOT NULL DO UPDATE SET status = excluded.status, respond_by = excluded.respond_by,
                    ended_on = coalesce(excluded.ended_on, offers.ended_on, CASE WHEN excluded.status <> 'open' THEN excluded.offered_on END)",
            )
            .bind(o.offer.vacancy.to_string())
            .bind(o.offer.application.to_string())
            .bind(&o.offer.number)
            .bind(n(o.offer.position))
            .bind(o.offer.preference_rank as i64)
            .bind(n(o.offer.ahead_not_offered))
            .bind(date(o.offered_on))
            .bind(date(o.respond_by))
            .bind(&o.status)
            .bind(o.ended_on.map(date))
            .bind(region_id)
            .execute(&mut *tx)
            .await?;
            Ok(())
        }
        "referral" => {
            let r: Referral = decode("referral", body)?;
            let id = r.id.to_string();
            // Which of the vacancy's places: the one it already holds here, or a new number.
            let slot: i64 = sqlx::query_scalar("SELECT coalesce((SELECT slot FROM referrals WHERE id = ?), (SELECT coalesce(max(slot), -1) + 1 FROM referrals WHERE vacancy = ?))")
                .bind(&id)
                .bind(r.vacancy.to_string())
                .fetch_one(&mut *tx)
                .await?;
            let ended = (!r.status.is_live()).then(|| date(baqsha_core::command::desk_date(at)));
            sqlx::query(
                "INSERT INTO referrals (id, number, application, vacancy, kindergarten, grp, slot, issued_at, confirm_by, valid_until, status, ended_on)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT(id) DO UPDATE SET number = excluded.number, confirm_by = excluded.confirm_by, valid_until = excluded.valid_until,
                    status = excluded.status, ended_on = CASE WHEN excluded.status IN ('issued', 'confirmed', 'extended') THEN NULL
                                                             ELSE coalesce(referrals.ended_on, excluded.ended_on) END",
            )
            .bind(&id)
            .bind(&r.number)
            .bind(r.application.to_string())
            .bind(r.vacancy.to_string())
            .bind(r.kindergarten.to_string())
            .bind(r.group.to_string())
            .bind(slot)
            .bind(ts(r.issued_at))
            .bind(date(r.confirm_by))
            .bind(date(r.valid_until))
            .bind(r.status.code())
            .bind(ended)
            .execute(&mut *tx)
            .await?;
            Ok(())
        }
        "settings" => {
            let s: SettingsBody = decode("settings", body)?;
            crate::referrals::save_office_rules(tx, &s.refusal, s.publication_pause.as_ref()).await
        }
        "calendar" => {
            match decode::<CalendarBody>("calendar", body)? {
                CalendarBody::Day { date: d, kind } => {
                    let kind = if kind == "working" { "working" } else { "day_off" };
                    sqlx::query("INSERT INTO calendar_days (date, kind) VALUES (?, ?) ON CONFLICT(date) DO UPDATE SET kind = excluded.kind")
                        .bind(date(d))
                        .bind(kind)
                        .execute(&mut *tx)
                        .await?;
                }
                CalendarBody::KurbanAit { year, kurban_ait } => {
                    sqlx::query("INSERT INTO kurban_ait (year, first_day) VALUES (?, ?) ON CONFLICT(year) DO UPDATE SET first_day = excluded.first_day")
                        .bind(year)
                        .bind(date(kurban_ait))
                        .execute(&mut *tx)
                        .await?;
                }
            }
            Ok(())
        }
        // Leases and the region's history are kept in the mirror alone (`mirror_only`): the
        // desk reads them from there.
        _ => Ok(()),
    }
}

/// Removes an entity the region no longer holds in this desk's scope, with what hangs on it.
async fn remove(tx: &mut SqliteConnection, entity: &str, id: Uuid, before: Option<&str>) -> Result<(), ApplyError> {
    let id = id.to_string();
    match entity {
        "application" => remove_application(tx, &id).await?,
        "referral" => {
            sqlx::query("DELETE FROM referrals WHERE id = ?").bind(&id).execute(&mut *tx).await?;
        }
        "offer" => {
            sqlx::query("DELETE FROM offers WHERE region_id = ?").bind(&id).execute(&mut *tx).await?;
        }
        "vacancy" => {
            sqlx::query("DELETE FROM offers WHERE vacancy = ?").bind(&id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM referrals WHERE vacancy = ?").bind(&id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM vacancies WHERE id = ?").bind(&id).execute(&mut *tx).await?;
        }
        "calendar" => match before.map(|b| decode::<CalendarBody>("calendar", b)).transpose()? {
            Some(CalendarBody::Day { date: d, .. }) => {
                sqlx::query("DELETE FROM calendar_days WHERE date = ?").bind(date(d)).execute(&mut *tx).await?;
            }
            Some(CalendarBody::KurbanAit { year, .. }) => {
                sqlx::query("DELETE FROM kurban_ait WHERE year = ?").bind(year).execute(&mut *tx).await?;
            }
            None => {}
        },
        // Reference data stays: applications and referrals of other offices may name it.
        _ => {}
    }
    Ok(())
}

async fn remove_application(tx: &mut SqliteConnection, id: &str) -> Result<(), ApplyError> {
    for sql in [
        "DELETE FROM referrals WHERE application = ?",
        "DELETE FROM offers WHERE application = ?",
        "DELETE FROM stop_list WHERE application = ?",
        "DELETE FROM application_preferences WHERE application = ?",
        "DELETE FROM applications WHERE id = ?",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *tx).await?;
    }
    Ok(())
}

/// Empties the region's entities at the start of a first sync (kindergartens stay: the
/// snapshot writes them over, and the desk's registry is not blank meanwhile).
async fn clear_region(tx: &mut SqliteConnection) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM mirror",
        "DELETE FROM referrals",
        "DELETE FROM offers",
        "DELETE FROM stop_list",
        "DELETE FROM application_preferences",
        "DELETE FROM applications",
        "DELETE FROM vacancies",
        "DELETE FROM groups",
    ] {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    Ok(())
}

/// At the end of a first sync: what the region does not hold leaves the desk's tables.
async fn sweep(tx: &mut SqliteConnection) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM referrals WHERE id NOT IN (SELECT id FROM mirror WHERE entity = 'referral')",
        "DELETE FROM offers WHERE region_id IS NULL OR region_id NOT IN (SELECT id FROM mirror WHERE entity = 'offer')",
        "DELETE FROM stop_list WHERE application NOT IN (SELECT id FROM mirror WHERE entity = 'application')",
        "DELETE FROM application_preferences WHERE application NOT IN (SELECT id FROM mirror WHERE entity = 'application')",
        "DELETE FROM applications WHERE id NOT IN (SELECT id FROM mirror WHERE entity = 'application')",
    ] {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    Ok(())
}

/// Writes an entity back as the mirror holds it, or removes it when the region never held
/// it. Returns whether it was removed.
async fn restore(tx: &mut SqliteConnection, entity: &str, id: Uuid, at: DateTime<Utc>) -> Result<bool, ApplyError> {
    let body: Option<String> = sqlx::query_scalar("SELECT body FROM mirror WHERE entity = ? AND id = ?").bind(entity).bind(id.to_string()).fetch_optional(&mut *tx).await?;
    match body {
        Some(b) => write(tx, entity, id, &b, at).await.map(|()| false),
        None => remove(tx, entity, id, None).await.map(|()| true),
    }
}

/// Ids of the desk's rows of `table` for `application`, and of the mirror's `entity` rows
/// naming it.
async fn around_application(tx: &mut SqliteConnection, application: &str) -> Result<(Vec<Uuid>, Vec<Uuid>), StoreError> {
    let referrals: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM referrals WHERE application = ?1
         UNION SELECT id FROM mirror WHERE entity = 'referral' AND json_extract(body, '$.application') = ?1",
    )
    .bind(application)
    .fetch_all(&mut *tx)
    .await?;
    let offers: Vec<String> =
        sqlx::query_scalar("SELECT id FROM mirror WHERE entity = 'offer' AND json_extract(body, '$.application') = ?1").bind(application).fetch_all(&mut *tx).await?;
    let parse = |v: Vec<String>| v.iter().map(|s| crate::codec::uuid(s)).collect::<Result<Vec<_>, _>>();
    Ok((parse(referrals)?, parse(offers)?))
}

/// Writes an application back with its referrals and offers, and the places they hold.
async fn restore_application(tx: &mut SqliteConnection, application: ApplicationId, at: DateTime<Utc>, undone: &mut Vec<Undone>) -> Result<(), ApplyError> {
    let app = application.to_string();
    let (referrals, offers) = around_application(tx, &app).await?;
    let places: Vec<(String, String)> = sqlx::query_as(
        "SELECT vacancy, grp FROM referrals WHERE application = ?1
         UNION SELECT json_extract(body, '$.vacancy'), json_extract(body, '$.group') FROM mirror WHERE entity = 'referral' AND json_extract(body, '$.application') = ?1",
    )
    .bind(&app)
    .fetch_all(&mut *tx)
    .await?;
    // What hangs on the application goes first, so removing it leaves nothing dangling.
    sqlx::query("DELETE FROM referrals WHERE application = ?").bind(&app).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM offers WHERE application = ? AND (region_id IS NULL OR region_id NOT IN (SELECT id FROM mirror WHERE entity = 'offer'))")
        .bind(&app)
        .execute(&mut *tx)
        .await?;
    let removed = restore(tx, "application", application.0, at).await?;
    undone.push(Undone { entity: "application".into(), id: application.0, removed });
    for r in referrals {
        let removed = restore(tx, "referral", r, at).await?;
        undone.push(Undone { entity: "referral".into(), id: r, removed });
    }
    for o in offers {
        restore(tx, "offer", o, at).await?;
    }
    for (vacancy, group) in places {
        for (entity, id) in [("vacancy", vacancy), ("group", group)] {
            restore(tx, entity, crate::codec::uuid(&id)?, at).await?;
        }
    }
    Ok(())
}

/// Undoes, from the mirror, each rejected change not undone yet, and records what was undone.
async fn undo_rejected(tx: &mut SqliteConnection, at: DateTime<Utc>) -> Result<usize, StoreError> {
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT o.seq, h.body, h.application, h.kindergarten FROM outcomes o JOIN history h ON h.command_id = o.command_id
         WHERE o.verdict = 'rejected' AND o.undone_at IS NULL ORDER BY o.seq DESC",
    )
    .fetch_all(&mut *tx)
    .await?;
    // Newest first: a later change is undone before the one it built on.
    for (seq, body, application, kindergarten) in &rows {
        // A change this build cannot read (a newer build made it): what it touched is what its
        // history row names beside the body.
        let touched = match decode::<Command>("command", body) {
            Ok(cmd) => touched(&cmd.kind),
            Err(e) => {
                tracing::warn!(seq, error = %e, "a rejected change this build cannot read: undone by what its history row names");
                match (application, kindergarten) {
                    (Some(a), _) => Touched::Application(ApplicationId(crate::codec::uuid(a)?)),
                    (None, Some(k)) => Touched::Entity("kindergarten", crate::codec::uuid(k)?),
                    (None, None) => Touched::Nothing,
                }
            }
        };
        let mut undone = vec![];
        sqlx::query("SAVEPOINT undo").execute(&mut *tx).await?;
        let undo = match touched {
            Touched::Application(a) => match restore_application(tx, a, at, &mut undone).await {
                // The region's copy does not fit beside what the desk holds now (another live
                // application of the child): the desk's copy goes, the region's stays in the
                // mirror until it fits — the sync goes on rather than failing every round.
                Err(e) => {
                    tracing::warn!(application = %a, error = %e, "a rejected change undone by removing the desk's copy");
                    sqlx::query("ROLLBACK TO undo").execute(&mut *tx).await?;
                    undone.clear();
                    remove_application(tx, &a.to_string()).await.map(|()| undone.push(Undone { entity: "application".into(), id: a.0, removed: true }))
                }
                ok => ok,
            },
            Touched::Entity(entity, id) => restore(tx, entity, id, at).await.map(|removed| undone.push(Undone { entity: entity.into(), id, removed })),
            Touched::Nothing => Ok(()),
        };
        sqlx::query("RELEASE undo").execute(&mut *tx).await?;
        undo.map_err(|e| match e {
            ApplyError::Store(s) => s,
            other => StoreError::Decode { what: "undo of a rejected change", detail: other.to_string() },
        })?;
        let text = serde_json::to_string(&undone).map_err(|e| StoreError::Decode { what: "undone", detail: e.to_string() })?;
        sqlx::query("UPDATE outcomes SET undone = ?, undone_at = ? WHERE seq = ?").bind(text).bind(ts(at)).bind(seq).execute(&mut *tx).await?;
    }
    Ok(rows.len())
}

/// What a command wrote at the desk, to be written back when the server rejects it.
enum Touched {
    /// The application with its referrals and offers and the places they hold.
    Application(ApplicationId),
    Entity(&'static str, Uuid),
    /// Settings, the calendar and accounts: the next pull writes the region's over them.
    Nothing,
}

fn touched(kind: &CommandKind) -> Touched {
    match kind {
        CommandKind::SaveKindergarten { kindergarten } => Touched::Entity("kindergarten", kindergarten.id.0),
        CommandKind::SaveGroup { group } => Touched::Entity("group", group.id.0),
        CommandKind::PublishVacancy { vacancy } => Touched::Entity("vacancy", vacancy.id.0),
        CommandKind::MakeOffer { offer, .. } => Touched::Application(offer.application),
        CommandKind::EndOffer { application, .. } => Touched::Application(*application),
        other => match other.application() {
            Some(a) => Touched::Application(a),
            None => Touched::Nothing,
        },
    }
}
