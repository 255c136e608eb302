//! «Жолдама алу» in the store: the core decides, the schema makes "never twice" hold even
//! when two windows (or two processes) race for the last place.

use crate::{ApplyError, StoreError};
use baqsha_core::calendar::{DayKind, ReferralRules, WorkCalendar};
use baqsha_core::command::{self, RuleError};
use baqsha_core::offer::OpenPlaces;
use baqsha_core::queue::{age_for_groups, QueueRules};
use baqsha_core::*;
use sqlx::{Row, SqliteConnection};

/// The working-day calendar with this office's exceptions.
pub(crate) async fn calendar(tx: &mut SqliteConnection) -> Result<WorkCalendar, StoreError> {
    let mut cal = WorkCalendar::kazakhstan();
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT date, kind FROM calendar_days").fetch_all(&mut *tx).await?;
    for (date, kind) in rows {
        let d = crate::codec::day(&date)?;
        if let Some(k) = DayKind::from_code(&kind) {
            cal.set_exception(d, k);
        }
    }
    Ok(cal)
}

pub(crate) async fn issue(tx: &mut SqliteConnection, r: &Referral) -> Result<(), ApplyError> {
    let app = crate::applications::load(tx, r.application).await?.ok_or(ApplyError::NotFound("application"))?;
    let v = sqlx::query("SELECT kindergarten, grp, open FROM vacancies WHERE id = ?")
        .bind(r.vacancy.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ApplyError::NotFound("vacancy"))?;
    let group_id = GroupId(crate::codec::uuid(&v.try_get::<String, _>("grp")?)?);
    let group = crate::registry::group_in(tx, group_id).await?.ok_or(ApplyError::NotFound("group"))?;
    let place = OpenPlaces {
        vacancy: r.vacancy,
        kindergarten: group.kindergarten,
        group: group.id,
        age: group.age,
        language: group.language,
        open: v.try_get::<i64, _>("open")?.max(0) as u32,
    };
    let age = age_for_groups(app.child.birth_date(), command::desk_date(r.issued_at), &QueueRules::default());
    // The store's own calendar decides the deadlines, whatever the caller computed.
    let decided = command::decide_referral(&app, &place, age, r.id, &r.number, r.issued_at, &calendar(tx).await?, &ReferralRules::default())?;
    // The lowest slot no live or admitted referral holds (an expired one frees its slot).
    // Write transactions are IMMEDIATE, so two racers see each other; the unique index is the
    // last word all the same.
    let used: Vec<i64> = sqlx::query_scalar(
        "SELECT slot FROM referrals WHERE vacancy = ? AND status IN ('issued', 'confirmed', 'extended', 'admitted') ORDER BY slot",
    )
    .bind(r.vacancy.to_string())
    .fetch_all(&mut *tx)
    .await?;
    let slot = (0i64..).find(|s| used.binary_search(s).is_err()).unwrap_or(0);
    let taken = |e: sqlx::Error| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ApplyError::Rule(RuleError::PlaceTaken),
        other => other.into(),
    };
    sqlx::query(
        "INSERT INTO referrals (id, number, application, vacancy, kindergarten, grp, slot, issued_at, confirm_by, valid_until, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(decided.id.to_string())
    .bind(&decided.number)
    .bind(decided.application.to_string())
    .bind(decided.vacancy.to_string())
    .bind(decided.kindergarten.to_string())
    .bind(decided.group.to_string())
    .bind(slot)
    .bind(crate::codec::ts(decided.issued_at))
    .bind(crate::codec::date(decided.confirm_by))
    .bind(crate::codec::date(decided.valid_until))
    .bind(decided.status.code())
    .execute(&mut *tx)
    .await
    .map_err(taken)?;
    let left = sqlx::query("UPDATE vacancies SET open = open - 1 WHERE id = ? AND open > 0").bind(r.vacancy.to_string()).execute(&mut *tx).await?;
    if left.rows_affected() != 1 {
        return Err(RuleError::PlaceTaken.into());
    }
    sqlx::query("UPDATE applications SET status = 'referred' WHERE id = ? AND status = 'queued'").bind(r.application.to_string()).execute(&mut *tx).await?;
    Ok(())
}
