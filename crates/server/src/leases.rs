//! Leases granted and taken back. A lease takes its places out of the vacancy's open count
//! (no round offers them meanwhile); when it lapses or is given back, what it did not use
//! goes back to the region, and referrals from it are refused from then on.

use crate::auth::{Claims, Scope};
use crate::places::{lease_change, lock_lease, vacancy_change};
use crate::push::Pending;
use crate::{Server, ServerError};
use baqsha_core::lease::{self, Lease};
use baqsha_core::roles::{may, Denied};
use baqsha_core::{LeaseId, VacancyId};
use baqsha_sync::{LeaseAnswer, LeaseRequest, Rejection};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

fn refused(reason: Rejection) -> LeaseAnswer {
    LeaseAnswer::Refused { reason }
}

impl Server {
    /// Sets aside places of a vacancy for the token's office: only a role that may issue
    /// referrals, only of a vacancy in its scope, only of places no offer holds.
    pub async fn grant_lease(&self, claims: &Claims, req: &LeaseRequest) -> Result<LeaseAnswer, ServerError> {
        let Some(op) = claims.operator() else { return Ok(refused(Rejection::Denied { denied: Denied::Role })) };
        if !may(op.role, "issue_referral") {
            return Ok(refused(Rejection::Denied { denied: Denied::Role }));
        }
        let now = self.clock.now();
        let mut tx = self.pool.begin().await?;
        let found: Option<(String, i32, i64)> =
            sqlx::query_as("SELECT district, open, (SELECT count(*) FROM offers o WHERE o.vacancy = v.id AND o.status = 'open') FROM vacancies v WHERE id = $1 FOR UPDATE")
                .bind(req.vacancy.0)
                .fetch_optional(&mut *tx)
                .await?;
        // A vacancy is its district's: a kindergarten's office reaches none of them here.
        let Some((_, open, held)) = found.filter(|(d, ..)| claims.scope.reaches(Some(d), &[])) else {
            return Ok(refused(Rejection::NotFound { what: "vacancy".into() }));
        };
        let free = (i64::from(open) - held).max(0) as u32;
        if let Err(e) = lease::check_grant(req.places, free) {
            return Ok(refused(Rejection::Rule { rule: e }));
        }
        let l = Lease {
            id: LeaseId(Uuid::now_v7()),
            vacancy: req.vacancy,
            places: req.places,
            used: 0,
            granted_at: now,
            expires_at: now + chrono::Duration::days(lease::DEFAULT_DAYS),
            ended_at: None,
        };
        let office_district: Option<String> = match &claims.scope {
            Scope::District { district } => Some(district.clone()),
            _ => None,
        };
        sqlx::query("INSERT INTO leases (id, office, vacancy, district, places, granted_at, expires_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(l.id.0)
            .bind(claims.office)
            .bind(l.vacancy.0)
            .bind(&office_district)
            .bind(l.places as i32)
            .bind(l.granted_at)
            .bind(l.expires_at)
            .bind(crate::decide::json(&l)?)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE vacancies SET open = open - $2 WHERE id = $1").bind(l.vacancy.0).bind(l.places as i32).execute(&mut *tx).await?;
        let changes = vec![lease_change(&mut tx, l.id).await?, vacancy_change(&mut tx, l.vacancy).await?];
        crate::pull::append(&mut tx, &changes).await?;
        tx.commit().await?;
        Ok(LeaseAnswer::Granted { lease: l })
    }

    /// The office gives its lease back before it lapses (back online, the region decides).
    pub async fn return_lease(&self, claims: &Claims, id: LeaseId) -> Result<LeaseAnswer, ServerError> {
        let now = self.clock.now();
        let mut tx = self.pool.begin().await?;
        let Some((l, _)) = lock_lease(&mut tx, id).await?.filter(|(_, office)| *office == claims.office) else {
            return Ok(refused(Rejection::NotFound { what: "lease".into() }));
        };
        let mut changes = vec![];
        let l = match l.ended_at {
            Some(_) => l,
            None => {
                let ended = end(&mut tx, &l, now.min(l.expires_at), &mut changes).await?;
                Lease { ended_at: Some(ended), ..l }
            }
        };
        crate::pull::append(&mut tx, &changes).await?;
        tx.commit().await?;
        Ok(LeaseAnswer::Granted { lease: l })
    }
}

/// Ends the lease at `at`: its unused places go back to the vacancy. Returns the end as
/// stored (to the microsecond, as every later read of it says).
async fn end(tx: &mut PgConnection, l: &Lease, at: DateTime<Utc>, changes: &mut Vec<Pending>) -> Result<DateTime<Utc>, ServerError> {
    let ended: DateTime<Utc> = sqlx::query_scalar("UPDATE leases SET ended_at = $2 WHERE id = $1 RETURNING ended_at").bind(l.id.0).bind(at).fetch_one(&mut *tx).await?;
    sqlx::query("UPDATE vacancies SET open = open + $2 WHERE id = $1").bind(l.vacancy.0).bind((l.places - l.used) as i32).execute(&mut *tx).await?;
    changes.push(lease_change(tx, l.id).await?);
    changes.push(vacancy_change(tx, VacancyId(l.vacancy.0)).await?);
    Ok(ended)
}

/// Every lease whose time is up ends (at its expiry); returns how many.
pub(crate) async fn end_lapsed(tx: &mut PgConnection, now: DateTime<Utc>, changes: &mut Vec<Pending>) -> Result<usize, ServerError> {
    let ids: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM leases WHERE ended_at IS NULL AND expires_at <= $1 ORDER BY id").bind(now).fetch_all(&mut *tx).await?;
    for id in &ids {
        if let Some((l, _)) = lock_lease(tx, LeaseId(*id)).await? {
            end(tx, &l, l.expires_at, changes).await?;
        }
    }
    Ok(ids.len())
}
