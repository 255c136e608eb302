//! The server's decisions: the core's rules on the server's data and clock. Each function
//! runs inside the command's transaction, reads what it decides on with row locks, and
//! writes the effect with its change-log rows; a refusal is an answer, not an error.

use crate::push::Pending;
use crate::ServerError;
use baqsha_core::command::{self, Command, CommandKind, RuleError};
use baqsha_core::lifecycle::{next_application_status, ApplicationEvent};
use baqsha_core::queue::QueueRules;
use baqsha_core::roles::{authorize, Operator};
use baqsha_core::{Application, ApplicationId, ApplicationStatus, Category, Kindergarten};
use baqsha_sync::{Adjustment, Decision, Rejection};
use chrono::{DateTime, Datelike, Utc};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// What the command's office may touch, from its token.
pub struct Context<'a> {
    pub op: &'a Operator,
    pub scope: &'a crate::auth::Scope,
    pub office: Uuid,
    /// The office's number series (its prefix).
    pub prefix: &'a str,
    /// When the server received the command, and the earliest time the device's clock is
    /// vouched for (its last successful sync).
    pub received: DateTime<Utc>,
    pub since: DateTime<Utc>,
}

pub(crate) fn rejected(reason: Rejection) -> Decision {
    Decision::Rejected { reason }
}

pub(crate) fn rule(e: RuleError) -> Decision {
    rejected(Rejection::Rule { rule: e })
}

pub(crate) fn not_found(what: &str) -> Decision {
    rejected(Rejection::NotFound { what: what.into() })
}

pub async fn decide(tx: &mut PgConnection, ctx: &Context<'_>, cmd: &Command, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    if let Err(denied) = authorize(ctx.op, &cmd.kind) {
        return Ok(rejected(Rejection::Denied { denied }));
    }
    match &cmd.kind {
        CommandKind::SaveKindergarten { kindergarten } => save_kindergarten(tx, kindergarten, changes).await,
        CommandKind::RegisterApplication { application, .. } => register(tx, ctx, application, changes).await,
        CommandKind::WithdrawApplication { application, reason } => {
            if let Err(e) = command::check_withdrawal(reason) {
                return Ok(rule(e));
            }
            let d = transition(tx, ctx, *application, ApplicationEvent::Withdraw, changes).await?;
            if d == Decision::Applied {
                crate::referrals::end_with_application(tx, *application, reason, command::desk_date(ctx.received), changes).await?;
            }
            Ok(d)
        }
        CommandKind::ArchiveApplication { application } => transition(tx, ctx, *application, ApplicationEvent::Archive, changes).await,
        CommandKind::SaveGroup { group } => crate::places::save_group(tx, group, changes).await,
        CommandKind::PublishVacancy { vacancy } => crate::places::publish(tx, ctx, vacancy, changes).await,
        CommandKind::IssueReferral { request, .. } => crate::places::issue_referral(tx, ctx, request, changes).await,
        CommandKind::ExtendReferral { referral, until } => crate::referrals::extend(tx, ctx, referral, *until, changes).await,
        CommandKind::RefuseReferral { referral, reason } => crate::referrals::refuse(tx, ctx, referral, reason, changes).await,
        CommandKind::ExpireReferral { referral } => crate::referrals::expire(tx, ctx, referral, changes).await,
        CommandKind::AdmitReferral { referral, documents } => crate::referrals::admit(tx, ctx, referral, documents, changes).await,
        CommandKind::ConfirmBenefit { application } => crate::referrals::decide_benefit(tx, ctx, *application, true, "", changes).await,
        CommandKind::RejectBenefit { application, reason } => crate::referrals::decide_benefit(tx, ctx, *application, false, reason, changes).await,
        CommandKind::SetCalendarDay { date, kind } => crate::places::set_calendar_day(tx, *date, *kind, changes).await,
        CommandKind::SetKurbanAit { year, first_day } => crate::places::set_kurban_ait(tx, *year, *first_day, changes).await,
        CommandKind::SaveOfficeSettings { refusal, publication_pause } => crate::settings::save(tx, refusal, publication_pause.as_ref(), changes).await,
        CommandKind::EditApplication { application, changes: edit, fields, .. } => {
            let Some((app, seen)) = load(tx, ctx, *application).await? else { return Ok(not_found("application")) };
            match command::edit_fields(&app, edit, fields.as_deref(), command::DEFAULT_MAX_PREFERENCES) {
                Ok(a) => write(tx, &a, &seen, changes).await.map(|_| Decision::Applied),
                Err(e) => Ok(rule(e)),
            }
        }
        other => Ok(rejected(Rejection::Unsupported { kind: other.code().to_string() })),
    }
}

async fn save_kindergarten(tx: &mut PgConnection, k: &Kindergarten, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    if let Err(e) = command::check_kindergarten(k) {
        return Ok(rule(e));
    }
    let body = serde_json::to_value(k).map_err(|e| ServerError::Decode { what: "kindergarten", detail: e.to_string() })?;
    sqlx::query("INSERT INTO kindergartens (id, district, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET district = excluded.district, body = excluded.body")
        .bind(k.id.0)
        .bind(&k.district)
        .bind(&body)
        .execute(&mut *tx)
        .await?;
    changes.push(Pending { entity: "kindergarten", id: k.id.0, district: None, kindergartens: vec![], body: Some(body) });
    Ok(Decision::Applied)
}

/// A new application in the region's one queue: the same child queued anywhere in the region
/// is a duplicate naming the first; the number comes from the office's own series; the
/// registration time is clamped into what the device's clock is vouched for.
async fn register(tx: &mut PgConnection, ctx: &Context<'_>, a: &Application, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    let today = command::desk_date(ctx.received);
    // The child's live application, locked against a second office registering it now; the
    // unique index decides a race between two new ones.
    let existing: Option<String> = sqlx::query_scalar("SELECT number FROM applications WHERE child_iin = $1 AND status IN ('queued', 'referred') FOR UPDATE")
        .bind(a.child.iin.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    if let Err(e) = command::check_registration(a, existing.as_deref(), today, &QueueRules::default(), command::DEFAULT_MAX_PREFERENCES) {
        return Ok(rule(e));
    }
    let Some(district) = first_district(tx, a).await? else { return Ok(not_found("kindergarten")) };
    let registered_at = command::vouched_time(a.registered_at, ctx.since, ctx.received);
    let number = next_number(tx, ctx.prefix, today.year()).await?;
    let mut kept = Application { number: number.clone(), registered_at, status: ApplicationStatus::Queued, ..a.clone() };
    kept.status = ApplicationStatus::Queued;
    let inserted = sqlx::query(
        "INSERT INTO applications (id, number, child_iin, status, registered_at, district, kindergartens, body, category, tier, language)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
    )
    .bind(kept.id.0)
    .bind(&kept.number)
    .bind(kept.child.iin.as_str())
    .bind(kept.status.code())
    .bind(kept.registered_at)
    .bind(&district)
    .bind(kept.preferences.iter().map(|k| k.0).collect::<Vec<Uuid>>())
    .bind(json(&kept)?)
    .bind(Category::of(kept.child.birth_date()).0)
    .bind(kept.tier().code())
    .bind(kept.language.code())
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        // Another office's registration of the same child committed first.
        let first: Option<String> = sqlx::query_scalar("SELECT number FROM applications WHERE child_iin = $1 AND status IN ('queued', 'referred')")
            .bind(kept.child.iin.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        return Ok(match first {
            Some(number) => rule(RuleError::Duplicate { number }),
            None => not_found("application"),
        });
    }
    choices(tx, &kept).await?;
    // Registered into another district's queue, it leaves the scope of the desk that made it
    // (G8): that desk is told so, before those who see it are told of it (a desk of the whole
    // region reads both, in this order).
    if let ("district", Some(own), _) = ctx.scope.params() {
        if own != district {
            changes.push(Pending { entity: "application", id: kept.id.0, district: Some(own), kindergartens: vec![], body: None });
        }
    }
    changes.push(pending(&kept, Some(district))?);
    let mut adjusted = vec![Adjustment::Number { number }];
    if registered_at != a.registered_at {
        adjusted.push(Adjustment::RegisteredAt { at: registered_at });
    }
    Ok(Decision::Changed { changes: adjusted })
}

async fn transition(tx: &mut PgConnection, ctx: &Context<'_>, id: ApplicationId, ev: ApplicationEvent, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    let Some((mut a, seen)) = load(tx, ctx, id).await? else { return Ok(not_found("application")) };
    match next_application_status(a.status, ev) {
        Ok(to) => {
            a.status = to;
            write(tx, &a, &seen, changes).await.map(|_| Decision::Applied)
        }
        Err(e) => Ok(rule(RuleError::from(e))),
    }
}

/// Who could see an application before a change: its district and the kindergartens it named.
pub(crate) struct SeenBy {
    pub district: Option<String>,
    pub kindergartens: Vec<Uuid>,
}

/// The application, locked for this transaction, if the office's scope reaches it (one it
/// may not see is "not found", never "denied": its existence is not told).
pub(crate) async fn load(tx: &mut PgConnection, ctx: &Context<'_>, id: ApplicationId) -> Result<Option<(Application, SeenBy)>, ServerError> {
    let row = sqlx::query("SELECT body::text AS body, district, kindergartens FROM applications WHERE id = $1 FOR UPDATE").bind(id.0).fetch_optional(&mut *tx).await?;
    let Some(row) = row else { return Ok(None) };
    let district: Option<String> = row.try_get("district")?;
    let kindergartens: Vec<Uuid> = row.try_get("kindergartens")?;
    if !ctx.scope.reaches(district.as_deref(), &kindergartens) {
        return Ok(None);
    }
    let a = crate::decode("application", &row.try_get::<String, _>("body")?)?;
    Ok(Some((a, SeenBy { district, kindergartens })))
}

/// Writes the application's new state. When it moves out of some office's scope (another
/// district, a kindergarten no longer named), those offices are first told it left: their
/// desks remove it at the next pull (SYNC.md G8).
pub(crate) async fn write(tx: &mut PgConnection, a: &Application, seen: &SeenBy, changes: &mut Vec<Pending>) -> Result<(), ServerError> {
    let district = first_district(tx, a).await?;
    let named: Vec<Uuid> = a.preferences.iter().map(|k| k.0).collect();
    let left: Vec<Uuid> = seen.kindergartens.iter().copied().filter(|k| !named.contains(k)).collect();
    let other_district = seen.district.as_ref().filter(|d| Some(*d) != district.as_ref()).cloned();
    if other_district.is_some() || !left.is_empty() {
        changes.push(Pending { entity: "application", id: a.id.0, district: other_district.clone(), kindergartens: left.clone(), body: None });
    }
    sqlx::query("UPDATE applications SET status = $2, district = $3, kindergartens = $4, body = $5, tier = $6, language = $7 WHERE id = $1")
        .bind(a.id.0)
        .bind(a.status.code())
        .bind(&district)
        .bind(a.preferences.iter().map(|k| k.0).collect::<Vec<Uuid>>())
        .bind(json(a)?)
        .bind(a.tier().code())
        .bind(a.language.code())
        .execute(&mut *tx)
        .await?;
    if named != seen.kindergartens {
        choices(tx, a).await?;
    }
    if named != seen.kindergartens || district != seen.district {
        crate::history::follow(tx, a.id, &district, &named, other_district.as_ref(), &left, changes).await?;
    }
    changes.push(pending(a, district)?);
    Ok(())
}

/// The application's kindergartens as rows of `application_choices`.
async fn choices(tx: &mut PgConnection, a: &Application) -> Result<(), ServerError> {
    sqlx::query("DELETE FROM application_choices WHERE application = $1").bind(a.id.0).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO application_choices (kindergarten, application) SELECT DISTINCT unnest($2::uuid[]), $1")
        .bind(a.id.0)
        .bind(a.preferences.iter().map(|k| k.0).collect::<Vec<Uuid>>())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, ServerError> {
    serde_json::to_value(v).map_err(|e| ServerError::Decode { what: "entity", detail: e.to_string() })
}

pub(crate) fn pending(a: &Application, district: Option<String>) -> Result<Pending, ServerError> {
    Ok(Pending { entity: "application", id: a.id.0, district, kindergartens: a.preferences.iter().map(|k| k.0).collect(), body: Some(json(a)?) })
}

/// The district of the application's first choice (where its department decides).
async fn first_district(tx: &mut PgConnection, a: &Application) -> Result<Option<String>, ServerError> {
    let Some(first) = a.preferences.first() else { return Ok(None) };
    Ok(sqlx::query_scalar("SELECT district FROM kindergartens WHERE id = $1").bind(first.0).fetch_optional(&mut *tx).await?)
}

/// The next number of the office's series for the year, e.g. `VKO-OSK-2026-000123`. The
/// series row is locked until the command commits: numbers never collide, across offices,
/// devices and server processes.
pub(crate) async fn next_number(tx: &mut PgConnection, prefix: &str, year: i32) -> Result<String, ServerError> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO number_series (prefix, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (prefix, year) DO UPDATE SET last = number_series.last + 1 RETURNING last",
    )
    .bind(prefix)
    .bind(year)
    .fetch_one(&mut *tx)
    .await?;
    Ok(format!("{prefix}-{year}-{n:06}"))
}
