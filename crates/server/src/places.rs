//! Places and who gets them, decided for the whole region: groups, the vacancies
//! kindergartens publish, and «Жолдама алу». Every referral for a place takes that
//! vacancy's row lock first, so two offices — or two server processes — asking for its last
//! place at once are decided one after the other; the partial unique indexes are the last
//! word below that.

use crate::decide::{json, load, next_number, not_found, rejected, rule, write, Context};
use crate::push::Pending;
use crate::ServerError;
use baqsha_core::calendar::{DayKind, ReferralRules, WorkCalendar};
use baqsha_core::command::{self, ReferralRequest, RuleError};
use baqsha_core::lease::Lease;
use baqsha_core::offer::OpenPlaces;
use baqsha_core::queue::{age_for_groups, QueueRules};
use baqsha_core::roles::Denied;
use baqsha_core::*;
use baqsha_sync::{Adjustment, Decision, Rejection};
use chrono::Datelike;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// Reference data every office sees (no district, no kindergartens).
fn reference(entity: &'static str, id: Uuid, body: serde_json::Value) -> Pending {
    Pending { entity, id, district: None, kindergartens: vec![], body: Some(body) }
}

/// The region's working-day calendar: the code's holidays with the days the region's
/// administrator entered (the server decides deadlines on its own calendar).
pub(crate) async fn calendar(tx: &mut PgConnection) -> Result<WorkCalendar, ServerError> {
    let mut cal = WorkCalendar::kazakhstan();
    for (date, kind) in sqlx::query_as::<_, (chrono::NaiveDate, String)>("SELECT date, kind FROM calendar_days").fetch_all(&mut *tx).await? {
        if let Some(k) = DayKind::from_code(&kind) {
            cal.set_exception(date, k);
        }
    }
    for (year, first_day) in sqlx::query_as::<_, (i32, chrono::NaiveDate)>("SELECT year, first_day FROM kurban_ait").fetch_all(&mut *tx).await? {
        cal.set_kurban_ait(year, first_day);
    }
    Ok(cal)
}

/// Calendar entries have no id of their own: one derived from what they are about.
fn calendar_id(key: &str) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, key.as_bytes())
}

pub(crate) async fn set_calendar_day(tx: &mut PgConnection, date: chrono::NaiveDate, kind: Option<DayKind>, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    let id = calendar_id(&format!("day:{date}"));
    let body = match kind {
        Some(k) => {
            sqlx::query("INSERT INTO calendar_days (date, id, kind) VALUES ($1, $2, $3) ON CONFLICT (date) DO UPDATE SET kind = excluded.kind")
                .bind(date)
                .bind(id)
                .bind(k.code())
                .execute(&mut *tx)
                .await?;
            Some(serde_json::json!({ "date": date, "kind": k.code() }))
        }
        None => {
            sqlx::query("DELETE FROM calendar_days WHERE date = $1").bind(date).execute(&mut *tx).await?;
            None
        }
    };
    changes.push(Pending { entity: "calendar", id, district: None, kindergartens: vec![], body });
    Ok(Decision::Applied)
}

pub(crate) async fn set_kurban_ait(tx: &mut PgConnection, year: i32, first_day: chrono::NaiveDate, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    if let Err(e) = command::check_kurban_ait(year, first_day) {
        return Ok(rule(e));
    }
    let id = calendar_id(&format!("kurban_ait:{year}"));
    sqlx::query("INSERT INTO kurban_ait (year, id, first_day) VALUES ($1, $2, $3) ON CONFLICT (year) DO UPDATE SET first_day = excluded.first_day")
        .bind(year)
        .bind(id)
        .bind(first_day)
        .execute(&mut *tx)
        .await?;
    changes.push(reference("calendar", id, serde_json::json!({ "year": year, "kurban_ait": first_day })));
    Ok(Decision::Applied)
}

/// Places of the group already promised: published and open, set aside in a running lease
/// and not used, or held by a live referral (children coming, not yet enrolled).
async fn promised(tx: &mut PgConnection, group: GroupId) -> Result<u32, ServerError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT coalesce(sum(open), 0) FROM vacancies WHERE grp = $1)
              + (SELECT coalesce(sum(l.places - l.used), 0) FROM leases l JOIN vacancies v ON v.id = l.vacancy WHERE v.grp = $1 AND l.ended_at IS NULL)
              + (SELECT count(*) FROM referrals r JOIN vacancies v ON v.id = r.vacancy WHERE v.grp = $1 AND r.status IN ('issued', 'confirmed', 'extended'))",
    )
    .bind(group.0)
    .fetch_one(&mut *tx)
    .await?;
    Ok(n.max(0) as u32)
}

/// The group, locked for this transaction (its places are decided one writer at a time).
async fn group(tx: &mut PgConnection, id: GroupId) -> Result<Option<Group>, ServerError> {
    let body: Option<String> = sqlx::query_scalar("SELECT body::text FROM groups WHERE id = $1 FOR UPDATE").bind(id.0).fetch_optional(&mut *tx).await?;
    body.map(|b| crate::decode("group", &b)).transpose()
}

pub(crate) async fn save_group(tx: &mut PgConnection, g: &Group, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    if let Err(e) = command::check_group(g) {
        return Ok(rule(e));
    }
    let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM kindergartens WHERE id = $1)").bind(g.kindergarten.0).fetch_one(&mut *tx).await?;
    if !known {
        return Ok(not_found("kindergarten"));
    }
    if group(tx, g.id).await?.is_some_and(|before| before.kindergarten != g.kindergarten) {
        return Ok(rejected(Rejection::Denied { denied: Denied::OtherKindergarten }));
    }
    if let Err(e) = command::check_group_room(g, promised(tx, g.id).await?) {
        return Ok(rule(e));
    }
    let body = json(g)?;
    sqlx::query(
        "INSERT INTO groups (id, kindergarten, capacity, enrolled, body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET capacity = excluded.capacity, enrolled = excluded.enrolled, body = excluded.body",
    )
    .bind(g.id.0)
    .bind(g.kindergarten.0)
    .bind(g.capacity as i32)
    .bind(g.enrolled as i32)
    .bind(&body)
    .execute(&mut *tx)
    .await?;
    changes.push(reference("group", g.id.0, body));
    Ok(Decision::Applied)
}

pub(crate) async fn publish(tx: &mut PgConnection, ctx: &Context<'_>, v: &Vacancy, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    // Neither published during the summer pause nor dated into it (the date is when the
    // places free up; they are offered from that day).
    let pause = crate::settings::load(tx).await?.publication_pause;
    for day in [command::desk_date(ctx.received), v.published_on] {
        if let Err(e) = baqsha_core::referral::check_publication(day, pause.as_ref()) {
            return Ok(rule(e));
        }
    }
    let Some(g) = group(tx, v.group).await? else { return Ok(not_found("group")) };
    if g.kindergarten != v.kindergarten {
        return Ok(rejected(Rejection::Denied { denied: Denied::OtherKindergarten }));
    }
    if let Err(e) = command::check_vacancy(v, &g, promised(tx, v.group).await?) {
        return Ok(rule(e));
    }
    let district: String = sqlx::query_scalar("SELECT district FROM kindergartens WHERE id = $1").bind(v.kindergarten.0).fetch_one(&mut *tx).await?;
    let body = json(v)?;
    let inserted =
        sqlx::query("INSERT INTO vacancies (id, kindergarten, grp, district, count, open, published_on, body) VALUES ($1, $2, $3, $4, $5, $5, $6, $7) ON CONFLICT (id) DO NOTHING")
            .bind(v.id.0)
            .bind(v.kindergarten.0)
            .bind(v.group.0)
            .bind(&district)
            .bind(v.count as i32)
            .bind(v.published_on)
            .bind(&body)
            .execute(&mut *tx)
            .await?;
    if inserted.rows_affected() == 0 {
        return Ok(not_found("vacancy"));
    }
    changes.push(vacancy_change(tx, v.id).await?);
    Ok(Decision::Applied)
}

/// A vacancy as desks see it: as published, with the places still open now.
pub(crate) async fn vacancy_change(tx: &mut PgConnection, id: VacancyId) -> Result<Pending, ServerError> {
    let sql = format!("SELECT {} FROM vacancies WHERE id = $1", crate::snapshot::source("vacancy").1);
    let body: serde_json::Value = sqlx::query_scalar(&sql).bind(id.0).fetch_one(&mut *tx).await?;
    Ok(reference("vacancy", id.0, body))
}

/// The vacancy's row, locked: every referral and lease of this place waits here for the one
/// before it (across server processes too).
struct Locked {
    kindergarten: KindergartenId,
    group: GroupId,
    open: u32,
    left_to_nobody: bool,
}

async fn lock_vacancy(tx: &mut PgConnection, id: VacancyId, today: chrono::NaiveDate) -> Result<Option<Locked>, ServerError> {
    let row = sqlx::query("SELECT kindergarten, grp, open, (open <= coalesce(rounded_open, -1) AND published_on <= $2) AS left_to_nobody FROM vacancies WHERE id = $1 FOR UPDATE")
        .bind(id.0)
        .bind(today)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(Locked {
        kindergarten: KindergartenId(r.try_get("kindergarten")?),
        group: GroupId(r.try_get("grp")?),
        open: r.try_get::<i32, _>("open")?.max(0) as u32,
        left_to_nobody: r.try_get("left_to_nobody")?,
    }))
}

/// A lease, locked.
pub(crate) async fn lock_lease(tx: &mut PgConnection, id: LeaseId) -> Result<Option<(Lease, Uuid)>, ServerError> {
    let row = sqlx::query("SELECT body::text AS body, office, used, ended_at FROM leases WHERE id = $1 FOR UPDATE").bind(id.0).fetch_optional(&mut *tx).await?;
    let Some(r) = row else { return Ok(None) };
    let mut lease: Lease = crate::decode("lease", &r.try_get::<String, _>("body")?)?;
    lease.used = r.try_get::<i32, _>("used")?.max(0) as u32;
    lease.ended_at = r.try_get("ended_at")?;
    Ok(Some((lease, r.try_get("office")?)))
}

pub(crate) async fn lease_change(tx: &mut PgConnection, id: LeaseId) -> Result<Pending, ServerError> {
    let sql = format!("SELECT {} AS body, district FROM leases WHERE id = $1", crate::snapshot::source("lease").1);
    let row = sqlx::query(&sql).bind(id.0).fetch_one(&mut *tx).await?;
    Ok(Pending { entity: "lease", id: id.0, district: row.try_get("district")?, kindergartens: vec![], body: Some(row.try_get("body")?) })
}

/// «Жолдама алу» on the server. Online the region's turn decides (the application holds the
/// offer of this place, or of another one when this was left to nobody); from a lease, the
/// lease must be this office's, of this place, and current by the server's clock. The
/// referral's number and deadlines are the server's.
pub(crate) async fn issue_referral(tx: &mut PgConnection, ctx: &Context<'_>, r: &ReferralRequest, changes: &mut Vec<Pending>) -> Result<Decision, ServerError> {
    let today = command::desk_date(ctx.received);
    let Some(v) = lock_vacancy(tx, r.vacancy, today).await? else { return Ok(not_found("vacancy")) };
    if v.kindergarten != r.kindergarten || v.group != r.group {
        return Ok(rule(RuleError::PlaceDoesNotFit));
    }
    let Some((app, seen)) = load(tx, ctx, r.application).await? else { return Ok(not_found("application")) };
    let Some(g) = group(tx, v.group).await? else { return Ok(not_found("group")) };
    let open = match r.lease {
        Some(id) => {
            let Some((lease, office)) = lock_lease(tx, id).await? else { return Ok(not_found("lease")) };
            if office != ctx.office {
                return Ok(rule(RuleError::LeaseMismatch));
            }
            if let Err(e) = baqsha_core::lease::check_use(&lease, r.vacancy, ctx.received) {
                return Ok(rule(e));
            }
            lease.places - lease.used
        }
        None => {
            let offered: Option<Uuid> = sqlx::query_scalar("SELECT vacancy FROM offers WHERE application = $1 AND status = 'open' AND respond_by >= $2")
                .bind(app.id.0)
                .bind(today)
                .fetch_optional(&mut *tx)
                .await?;
            if let Err(e) = baqsha_core::referral::check_turn(app.status, r.vacancy, offered.map(VacancyId), v.left_to_nobody) {
                return Ok(rule(e));
            }
            let held: i64 = sqlx::query_scalar("SELECT count(*) FROM offers WHERE vacancy = $1 AND status = 'open' AND application <> $2")
                .bind(r.vacancy.0)
                .bind(app.id.0)
                .fetch_one(&mut *tx)
                .await?;
            (i64::from(v.open) - held).max(0) as u32
        }
    };
    let place = OpenPlaces { vacancy: r.vacancy, kindergarten: g.kindergarten, group: g.id, age: g.age, language: g.language, open };
    let age = age_for_groups(app.child.birth_date(), today, &QueueRules::default());
    let number = next_number(tx, &format!("{}-ZH", ctx.prefix), today.year()).await?;
    let decided = match command::decide_referral(&app, &place, age, r.id, &number, ctx.received, &calendar(tx).await?, &ReferralRules::default()) {
        Ok(d) => d,
        Err(e) => return Ok(rule(e)),
    };
    // The lowest slot no live or admitted referral holds (an expired one frees its slot).
    let used: Vec<i32> = sqlx::query_scalar("SELECT slot FROM referrals WHERE vacancy = $1 AND status IN ('issued', 'confirmed', 'extended', 'admitted') ORDER BY slot")
        .bind(r.vacancy.0)
        .fetch_all(&mut *tx)
        .await?;
    let slot = (0i32..).find(|s| used.binary_search(s).is_err()).unwrap_or(0);
    let inserted = sqlx::query(
        "INSERT INTO referrals (id, number, application, vacancy, lease, district, kindergartens, slot, status, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(decided.id.0)
    .bind(&decided.number)
    .bind(app.id.0)
    .bind(r.vacancy.0)
    .bind(r.lease.map(|l| l.0))
    .bind(&seen.district)
    .bind(vec![decided.kindergarten.0])
    .bind(slot)
    .bind(decided.status.code())
    .bind(json(&decided)?)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        // Below the row lock, the indexes: a place or an application referred twice.
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => return Ok(rule(RuleError::PlaceTaken)),
        Err(e) => return Err(e.into()),
    }
    match r.lease {
        Some(id) => {
            sqlx::query("UPDATE leases SET used = used + 1 WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
            changes.push(lease_change(tx, id).await?);
        }
        None => {
            let left = sqlx::query("UPDATE vacancies SET open = open - 1 WHERE id = $1 AND open > 0").bind(r.vacancy.0).execute(&mut *tx).await?;
            if left.rows_affected() != 1 {
                return Ok(rule(RuleError::PlaceTaken));
            }
            changes.push(vacancy_change(tx, r.vacancy).await?);
        }
    }
    // The turn is used; if another place was chosen, the offered one goes to the next.
    let taken: Vec<Uuid> =
        sqlx::query_scalar("UPDATE offers SET status = 'taken', ended_on = $2, body = body || '{\"status\":\"taken\"}' WHERE application = $1 AND status = 'open' RETURNING id")
            .bind(app.id.0)
            .bind(today)
            .fetch_all(&mut *tx)
            .await?;
    for id in taken {
        changes.push(crate::offers::offer_change(tx, id).await?);
    }
    let referred = Application { status: ApplicationStatus::Referred, ..app };
    write(tx, &referred, &seen, changes).await?;
    changes.push(Pending { entity: "referral", id: decided.id.0, district: seen.district.clone(), kindergartens: vec![decided.kindergarten.0], body: Some(json(&decided)?) });
    crate::notices::referral(tx, &referred, &decided, ctx.received).await?;
    Ok(Decision::Changed { changes: vec![Adjustment::Referral { referral: Box::new(decided) }] })
}
