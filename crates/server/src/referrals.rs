//! A referral's life after it is issued, decided on the server: extended once, refused, let
//! expire (by the server itself, on its own clock), or the child admitted — each through the
//! core's deciders, with the place returned to the region when the child will not come.
//! Also what else changes an application's standing: benefit verification and withdrawal.

use crate::decide::{json, load, not_found, rule, write, Context};
use crate::push::Pending;
use crate::ServerError;
use baqsha_core::calendar::ReferralRules;
use baqsha_core::command::{ReferralRef, RuleError};
use baqsha_core::lifecycle::{next_application_status, ApplicationEvent};
use baqsha_core::referral::{self, AdmissionDocument, RefusalRules};
use baqsha_core::*;
use baqsha_sync::Decision;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// The referral, locked, if the office's scope reaches it and it is the one the command names.
async fn load_referral(tx: &mut PgConnection, ctx: &Context<'_>, r: &ReferralRef) -> Result<Result<Referral, Decision>, ServerError> {
    let row = sqlx::query("SELECT body::text AS body, district, kindergartens FROM referrals WHERE id = $1 FOR UPDATE").bind(r.id.0).fetch_optional(&mut *tx).await?;
    let Some(row) = row else { return Ok(Err(not_found("referral"))) };
    let district: Option<String> = row.try_get("district")?;
    let kindergartens: Vec<Uuid> = row.try_get("kindergartens")?;
    if !ctx.scope.reaches(district.as_deref(), &kindergartens) {
        return Ok(Err(not_found("referral")));
    }
    let stored: Referral = crate::decode("referral", &row.try_get::<String, _>("body")?)?;
    if stored.application != r.application || stored.kindergarten != r.kindergarten {
        return Ok(Err(rule(RuleError::ReferralMismatch)));
    }
    Ok(Ok(stored))
}

async fn save(tx: &mut PgConnection, r: &Referral, changes: &mut Vec<Pending>) -> Result<(), ServerError> {
    let body = json(r)?;
    let row = sqlx::query("UPDATE referrals SET status = $2, body = $3 WHERE id = $1 RETURNING district, kindergartens")
        .bind(r.id.0)
        .bind(r.status.code())
        .bind(&body)
        .fetch_one(&mut *tx)
        .await?;
    changes.push(Pending { entity: "referral", id: r.id.0, district: row.try_get("district")?, kindergartens: row.try_get("kindergartens")?, body: Some(body) });
    Ok(())
}

/// The place returns to the region's bulletin (its vacancy opens again; the next round
/// offers it).
async fn return_place(tx: &mut PgConnection, r: &Referral, changes: &mut Vec<Pending>) -> Result<(), ServerError> {
    sqlx::query("UPDATE vacancies SET open = open + 1 WHERE id = $1 AND open < count").bind(r.vacancy.0).execute(&mut *tx).await?;
    changes.push(crate::places::vacancy_change(tx, r.vacancy).await?);
    Ok(())
}

/// The application of a referral moved by `event` — when it is still referred (`only_referred`)
/// or whenever the move is legal; one that has already ended another way stays as it is. The
/// referral's scope reached it, so the office's own scope is not asked again.
async fn move_application(tx: &mut PgConnection, id: ApplicationId, only_referred: bool, event: ApplicationEvent, changes: &mut Vec<Pending>) -> Result<(), ServerError> {
    let row: Option<(String, Option<String>, Vec<Uuid>)> =
        sqlx::query_as("SELECT body::text, district, kindergartens FROM applications WHERE id = $1 FOR UPDATE").bind(id.0).fetch_optional(&mut *tx).await?;
    let Some((body, district, kindergartens)) = row else { return Ok(()) };
    let mut a: Application = crate::decode("application", &body)?;
    if only_referred && a.status != ApplicationStatus::Referred {
        return Ok(());
    }
    if let Ok(to) = next_application_status(a.status, event) {
        a.status = to;
        write(tx, &a, &crate::decide::SeenBy { district, kindergartens }, changes).await?;
    }
    Ok(())
}

pub(crate) async fn extend(tx: &mut PgConnection, ctx: &Context<'_>, r: &ReferralRef, until: NaiveDate, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    let stored = match load_referral(tx, ctx, r).await? {
        Ok(s) => s,
        Err(d) => return Ok(d),
    };
    let cal = crate::places::calendar(tx).await?;
    match referral::decide_extension(&stored, until, command_day(ctx), &cal, &ReferralRules::default()) {
        Ok(extended) => save(tx, &extended, changes).await.map(|_| Decision::Applied),
        Err(e) => Ok(rule(e)),
    }
}

fn command_day(ctx: &Context<'_>) -> NaiveDate {
    baqsha_core::command::desk_date(ctx.received)
}

pub(crate) async fn refuse(tx: &mut PgConnection, ctx: &Context<'_>, r: &ReferralRef, reason: &str, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    let stored = match load_referral(tx, ctx, r).await? {
        Ok(s) => s,
        Err(d) => return Ok(d),
    };
    let rules = crate::settings::load(tx).await?.refusal;
    let decided = match referral::decide_refusal(&stored, reason, &rules, command_day(ctx)) {
        Ok(d) => d,
        Err(e) => return Ok(rule(e)),
    };
    save(tx, &decided.referral, changes).await?;
    return_place(tx, &decided.referral, changes).await?;
    move_application(tx, stored.application, true, decided.event, changes).await?;
    // Offered nothing through that day (the round skips it; the queue place is kept).
    if let Some(until) = decided.stop_until {
        sqlx::query("INSERT INTO stop_list (application, until) VALUES ($1, $2) ON CONFLICT (application) DO UPDATE SET until = excluded.until")
            .bind(stored.application.0)
            .bind(until)
            .execute(&mut *tx)
            .await?;
    }
    Ok(Decision::Applied)
}

pub(crate) async fn expire(tx: &mut PgConnection, ctx: &Context<'_>, r: &ReferralRef, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    let stored = match load_referral(tx, ctx, r).await? {
        Ok(s) => s,
        Err(d) => return Ok(d),
    };
    match referral::decide_expiry(&stored, command_day(ctx)) {
        Ok(expired) => {
            save(tx, &expired, changes).await?;
            return_place(tx, &expired, changes).await?;
            move_application(tx, expired.application, true, ApplicationEvent::ReturnToQueue, changes).await?;
            Ok(Decision::Applied)
        }
        Err(e) => Ok(rule(e)),
    }
}

pub(crate) async fn admit(tx: &mut PgConnection, ctx: &Context<'_>, r: &ReferralRef, documents: &[AdmissionDocument], changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    let stored = match load_referral(tx, ctx, r).await? {
        Ok(s) => s,
        Err(d) => return Ok(d),
    };
    let body: Option<String> = sqlx::query_scalar("SELECT body::text FROM groups WHERE id = $1 FOR UPDATE").bind(stored.group.0).fetch_optional(&mut *tx).await?;
    let Some(group) = body.map(|b| crate::decode::<Group>("group", &b)).transpose()? else { return Ok(not_found("group")) };
    let body: Option<String> = sqlx::query_scalar("SELECT body::text FROM applications WHERE id = $1").bind(stored.application.0).fetch_optional(&mut *tx).await?;
    let app: Option<Application> = body.map(|b| crate::decode("application", &b)).transpose()?;
    let needs = referral::needs_conclusion(app.as_ref().and_then(|a| a.benefit.as_ref()));
    let (admitted, group) = match referral::decide_admission(&stored, &group, command_day(ctx), documents, needs) {
        Ok(d) => d,
        Err(e) => return Ok(rule(e)),
    };
    save(tx, &admitted, changes).await?;
    // The CHECK (enrolled <= capacity) stands behind the core's check.
    let group_body = json(&group)?;
    sqlx::query("UPDATE groups SET enrolled = $2, body = $3 WHERE id = $1").bind(group.id.0).bind(group.enrolled as i32).bind(&group_body).execute(&mut *tx).await?;
    changes.push(Pending { entity: "group", id: group.id.0, district: None, kindergartens: vec![], body: Some(group_body) });
    // The child is enrolled: the application ends.
    move_application(tx, admitted.application, false, ApplicationEvent::Enroll, changes).await?;
    Ok(Decision::Applied)
}

/// A referred application withdrawn: its live referral is refused in the same transaction
/// and the place returns to the region (nobody will come with it).
pub(crate) async fn end_with_application(tx: &mut PgConnection, application: ApplicationId, reason: &str, today: NaiveDate, changes: &mut Vec<Pending>) -> Result<(), ServerError> {
    let body: Option<String> = sqlx::query_scalar("SELECT body::text FROM referrals WHERE application = $1 AND status IN ('issued', 'confirmed', 'extended') FOR UPDATE")
        .bind(application.0)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(live) = body.map(|b| crate::decode::<Referral>("referral", &b)).transpose()? else { return Ok(()) };
    let refused = referral::decide_refusal(&live, reason, &RefusalRules::default(), today).map_err(|e| ServerError::Decode { what: "refusal", detail: e.to_string() })?.referral;
    save(tx, &refused, changes).await?;
    return_place(tx, &refused, changes).await
}

/// Benefit verification by the department: the claimed tier stands, or the application stays
/// in the general queue at its time.
pub(crate) async fn decide_benefit(
    tx: &mut PgConnection,
    ctx: &Context<'_>,
    id: ApplicationId,
    confirm: bool,
    reason: &str,
    changes: &mut Vec<Pending>,
) -> Result<Decision, ServerError> {
    let Some((a, seen)) = load(tx, ctx, id).await? else { return Ok(not_found("application")) };
    match baqsha_core::command::decide_benefit(&a, confirm, reason) {
        Ok(decided) => write(tx, &decided, &seen, changes).await.map(|_| Decision::Applied),
        Err(e) => Ok(rule(e)),
    }
}

/// Live referrals whose last day has passed, expired by the server (as each desk does for
/// its own when alone); returns how many.
pub(crate) async fn expire_lapsed(tx: &mut PgConnection, now: DateTime<Utc>, changes: &mut Vec<Pending>) -> Result<usize, ServerError> {
    let today = baqsha_core::command::desk_date(now);
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT body::text FROM referrals WHERE status IN ('issued', 'confirmed', 'extended') ORDER BY id FOR UPDATE").fetch_all(&mut *tx).await?;
    let mut n = 0;
    for body in rows {
        let r: Referral = crate::decode("referral", &body)?;
        let Ok(expired) = referral::decide_expiry(&r, today) else { continue };
        save(tx, &expired, changes).await?;
        return_place(tx, &expired, changes).await?;
        move_application(tx, r.application, true, ApplicationEvent::ReturnToQueue, changes).await?;
        crate::history::of_server(tx, &[(r.application.0, "expire_referral", serde_json::json!({ "referral": expired }))], now, changes).await?;
        crate::notices::expired(tx, &r, now).await?;
        n += 1;
    }
    Ok(n)
}
