//! The region's history of each application: every decision that changed it, when the
//! server took it, who asked (or that the server itself decided: offers, expiries); seen by
//! whoever sees the application, sent to desks last in a snapshot.

use crate::auth::Claims;
use crate::push::Pending;
use crate::ServerError;
use baqsha_sync::Decision;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A line of the application's history in the region: what was decided, when the server took
/// it, who asked and from which device; seen by whoever sees the application.
pub(crate) async fn of_command(
    tx: &mut sqlx::PgConnection,
    claims: &Claims,
    cmd: &baqsha_core::command::Command,
    decision: &Decision,
    at: DateTime<Utc>,
    changes: &mut Vec<Pending>,
) -> Result<(), ServerError> {
    let Some(application) = cmd.kind.application() else { return Ok(()) };
    let seen: Option<(Option<String>, Vec<Uuid>)> =
        sqlx::query_as("SELECT district, kindergartens FROM applications WHERE id = $1").bind(application.0).fetch_optional(&mut *tx).await?;
    let Some((district, kindergartens)) = seen else { return Ok(()) };
    let id = Uuid::now_v7();
    let body = serde_json::json!({
        "application": application,
        "at": at,
        "desk_at": cmd.at,
        "author": cmd.author,
        "author_name": claims.name,
        "device": cmd.device,
        "command": cmd.id,
        "kind": cmd.kind.code(),
        "decision": decision,
    });
    sqlx::query("INSERT INTO history (id, application, district, kindergartens, at, body) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(application.0)
        .bind(&district)
        .bind(&kindergartens)
        .bind(at)
        .bind(&body)
        .execute(&mut *tx)
        .await?;
    changes.push(Pending { entity: "history", id, district, kindergartens, body: Some(body) });
    Ok(())
}

/// Lines the server writes by itself (a round's offers, a referral expired): `(application,
/// what, detail)`, one statement for the lot.
pub(crate) async fn of_server(tx: &mut sqlx::PgConnection, lines: &[(Uuid, &str, serde_json::Value)], at: DateTime<Utc>, changes: &mut Vec<Pending>) -> Result<(), ServerError> {
    if lines.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = lines.iter().map(|_| Uuid::now_v7()).collect();
    let applications: Vec<Uuid> = lines.iter().map(|l| l.0).collect();
    let bodies: Vec<serde_json::Value> =
        lines.iter().map(|(a, kind, detail)| serde_json::json!({ "application": a, "at": at, "author_name": "server", "kind": kind, "detail": detail })).collect();
    let rows: Vec<(Uuid, Option<String>, Vec<Uuid>, serde_json::Value)> = sqlx::query_as(
        "INSERT INTO history (id, application, district, kindergartens, at, body)
         SELECT t.i, t.a, ap.district, ap.kindergartens, $4, t.b FROM unnest($1::uuid[], $2::uuid[], $3::jsonb[]) AS t(i, a, b) JOIN applications ap ON ap.id = t.a
         RETURNING id, district, kindergartens, body",
    )
    .bind(&ids)
    .bind(&applications)
    .bind(&bodies)
    .bind(at)
    .fetch_all(&mut *tx)
    .await?;
    for (id, district, kindergartens, body) in rows {
        changes.push(Pending { entity: "history", id, district, kindergartens, body: Some(body) });
    }
    Ok(())
}

/// A line the server writes by itself for an application whose scope the caller holds.
pub(crate) struct ScopedLine<'a> {
    pub application: Uuid,
    pub district: &'a Option<String>,
    pub kindergartens: &'a [Uuid],
    pub kind: &'static str,
    pub detail: serde_json::Value,
}

/// As `of_server`, for lines whose applications' scopes the caller read when it locked them
/// (a round's offers: thousands at once, so neither read again nor sent back).
pub(crate) async fn of_server_scoped(tx: &mut sqlx::PgConnection, lines: &[ScopedLine<'_>], at: DateTime<Utc>, changes: &mut Vec<Pending>) -> Result<(), ServerError> {
    if lines.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = lines.iter().map(|_| Uuid::now_v7()).collect();
    let applications: Vec<Uuid> = lines.iter().map(|l| l.application).collect();
    let districts: Vec<Option<String>> = lines.iter().map(|l| l.district.clone()).collect();
    // Arrays of arrays must be rectangular in PostgreSQL: each list travels as its text form.
    let named: Vec<String> = lines.iter().map(|l| format!("{{{}}}", l.kindergartens.iter().map(Uuid::to_string).collect::<Vec<_>>().join(","))).collect();
    let bodies: Vec<serde_json::Value> =
        lines.iter().map(|l| serde_json::json!({ "application": l.application, "at": at, "author_name": "server", "kind": l.kind, "detail": l.detail })).collect();
    sqlx::query(
        "INSERT INTO history (id, application, district, kindergartens, at, body)
         SELECT i, a, d, k::uuid[], $5, b FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $6::jsonb[]) AS t(i, a, d, k, b)",
    )
    .bind(&ids)
    .bind(&applications)
    .bind(&districts)
    .bind(&named)
    .bind(at)
    .bind(&bodies)
    .execute(&mut *tx)
    .await?;
    for ((id, (l, district)), body) in ids.into_iter().zip(lines.iter().zip(districts)).zip(bodies) {
        changes.push(Pending { entity: "history", id, district, kindergartens: l.kindergartens.to_vec(), body: Some(body) });
    }
    Ok(())
}

/// The application's history follows it when it moves to another district or names other
/// kindergartens: offices that no longer see it are told to remove the lines (G8), and those
/// that now see it receive them.
pub(crate) async fn follow(
    tx: &mut sqlx::PgConnection,
    application: baqsha_core::ApplicationId,
    district: &Option<String>,
    kindergartens: &[Uuid],
    left_district: Option<&String>,
    left_kindergartens: &[Uuid],
    changes: &mut Vec<Pending>,
) -> Result<(), ServerError> {
    let moved: Vec<(Uuid, serde_json::Value)> = sqlx::query_as("UPDATE history SET district = $2, kindergartens = $3 WHERE application = $1 RETURNING id, body")
        .bind(application.0)
        .bind(district)
        .bind(kindergartens)
        .fetch_all(&mut *tx)
        .await?;
    for (id, body) in moved {
        if left_district.is_some() || !left_kindergartens.is_empty() {
            changes.push(Pending { entity: "history", id, district: left_district.cloned(), kindergartens: left_kindergartens.to_vec(), body: None });
        }
        changes.push(Pending { entity: "history", id, district: district.clone(), kindergartens: kindergartens.to_vec(), body: Some(body) });
    }
    Ok(())
}
