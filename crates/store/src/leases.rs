//! Leases at the desk: places of a vacancy the region's server has set aside for this office,
//! so that referrals can be given from them while the line is down. The server grants and
//! takes back a lease and has the last word on every referral from one (by its own clock);
//! the desk only keeps what it was granted and counts what it has given meanwhile.

use crate::codec::ts;
use crate::{ApplyError, Store, StoreError};
use baqsha_api::{LeaseView, PlaceChoice};
use baqsha_core::lease::Lease;
use baqsha_core::offer::OpenPlaces;
use baqsha_core::queue::QueueRules;
use baqsha_core::{AgeBand, ApplicationId, GroupId, KindergartenId, Language, LeaseId};
use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

/// A lease as the desk holds it: as the region last said, less the referrals given from it
/// here that the region has not heard of yet.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldLease {
    pub lease: Lease,
    /// Places still free to give from it here.
    pub left: u32,
}

/// The leases this desk asked for, each as the region has it now (the mirror) or else as
/// granted, with the places given here the region has not seen yet.
const HELD: &str = "SELECT coalesce(m.body, a.granted),
        (SELECT count(*) FROM referrals r WHERE r.lease = a.id AND r.status IN ('issued', 'confirmed', 'extended', 'admitted')
            AND NOT EXISTS (SELECT 1 FROM mirror x WHERE x.entity = 'referral' AND x.id = r.id))
     FROM leases_asked a LEFT JOIN mirror m ON m.entity = 'lease' AND m.id = a.id";

fn held(body: &str, pending: i64) -> Result<HeldLease, StoreError> {
    let lease: Lease = serde_json::from_str(body).map_err(|e| StoreError::Decode { what: "lease", detail: e.to_string() })?;
    let left = lease.places.saturating_sub(lease.used).saturating_sub(u32::try_from(pending.max(0)).unwrap_or(u32::MAX));
    Ok(HeldLease { lease, left })
}

impl Store {
    /// Keeps a lease the region just granted this desk.
    pub async fn keep_lease(&self, lease: &Lease, at: DateTime<Utc>) -> Result<(), StoreError> {
        let granted = serde_json::to_string(lease).map_err(|e| StoreError::Decode { what: "lease", detail: e.to_string() })?;
        sqlx::query("INSERT OR REPLACE INTO leases_asked (id, vacancy, granted, asked_at) VALUES (?, ?, ?, ?)")
            .bind(lease.id.0.to_string())
            .bind(lease.vacancy.to_string())
            .bind(granted)
            .bind(ts(at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The leases of this desk still current at `at` (by the desk's clock: the server decides
    /// by its own), newest first.
    pub async fn leases_held(&self, at: DateTime<Utc>) -> Result<Vec<HeldLease>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(&format!("{HELD} ORDER BY a.asked_at DESC")).fetch_all(&self.pool).await?;
        let mut out = vec![];
        for (body, pending) in rows {
            let h = held(&body, pending)?;
            if h.lease.current(at) {
                out.push(h);
            }
        }
        Ok(out)
    }
}

/// One lease of this desk as it stands, inside a write.
pub(crate) async fn held_in(tx: &mut SqliteConnection, id: LeaseId) -> Result<Option<HeldLease>, ApplyError> {
    let row: Option<(String, i64)> = sqlx::query_as(&format!("{HELD} WHERE a.id = ?")).bind(id.0.to_string()).fetch_optional(&mut *tx).await?;
    Ok(row.map(|(body, pending)| held(&body, pending)).transpose()?)
}

impl Store {
    /// Offline, the places of this desk's leases `application` may take: each lease's free
    /// places offered along the desk's copy of the region's queue, as a round would (the
    /// region's rule on the queue as this desk last pulled it). Its own turn, or nothing.
    pub async fn lease_choices(&self, application: ApplicationId, at: DateTime<Utc>) -> Result<Vec<PlaceChoice>, StoreError> {
        let today = baqsha_core::command::desk_date(at);
        let mut places = vec![];
        let mut leases = std::collections::HashMap::new();
        for h in self.leases_held(at).await?.into_iter().filter(|h| h.left > 0) {
            let Some(r) = sqlx::query(PLACE).bind(h.lease.vacancy.to_string()).fetch_optional(&self.pool).await? else { continue };
            places.push(OpenPlaces {
                vacancy: h.lease.vacancy,
                kindergarten: KindergartenId(crate::codec::uuid(r.try_get("kindergarten")?)?),
                group: GroupId(crate::codec::uuid(r.try_get("grp")?)?),
                age: AgeBand { from_years: r.try_get::<i64, _>("age_from")? as u8, to_years: r.try_get::<i64, _>("age_to")? as u8 },
                language: crate::codec::code("language", r.try_get::<&str, _>("language")?, Language::from_code)?,
                open: h.left,
            });
            leases.insert(h.lease.vacancy, (h.lease, r));
        }
        if places.is_empty() {
            return Ok(vec![]);
        }
        let queues = self.round_queues(&places, today, &QueueRules::default()).await?;
        let (offers, _) = baqsha_core::offer::offers(&places, &queues);
        let mut out = vec![];
        for o in offers.into_iter().filter(|o| o.application == application) {
            let (Some(p), Some((lease, r))) = (places.iter().find(|p| p.vacancy == o.vacancy), leases.remove(&o.vacancy)) else { continue };
            out.push(PlaceChoice {
                vacancy: p.vacancy,
                kindergarten: p.kindergarten,
                group: p.group,
                kindergarten_name: crate::codec::names(&r, "name_kk", "name_ru", None)?,
                address: crate::codec::names(&r, "address_kk", "address_ru", None)?,
                group_name: r.try_get("name")?,
                age: p.age,
                language: p.language,
                offered: true,
                respond_by: baqsha_core::command::desk_date(lease.end()),
                lease: Some(lease),
            });
        }
        Ok(out)
    }

    /// Whether this desk holds the published place (with its group and kindergarten) that a
    /// lease would be shown with.
    pub async fn holds_place(&self, vacancy: baqsha_core::VacancyId) -> Result<bool, StoreError> {
        Ok(sqlx::query(PLACE).bind(vacancy.to_string()).fetch_optional(&self.pool).await?.is_some())
    }

    /// The leases of this desk still current, with where their places are.
    pub async fn lease_views(&self, at: DateTime<Utc>) -> Result<Vec<LeaseView>, StoreError> {
        let mut out = vec![];
        for h in self.leases_held(at).await? {
            let Some(r) = sqlx::query(PLACE).bind(h.lease.vacancy.to_string()).fetch_optional(&self.pool).await? else { continue };
            out.push(LeaseView { kindergarten_name: crate::codec::names(&r, "name_kk", "name_ru", None)?, group_name: r.try_get("name")?, left: h.left, lease: h.lease });
        }
        Ok(out)
    }
}

/// A vacancy's group and kindergarten, as a place is shown.
const PLACE: &str = "SELECT v.kindergarten, v.grp, g.name, g.age_from, g.age_to, g.language, k.name_kk, k.name_ru, k.address_kk, k.address_ru
     FROM vacancies v JOIN groups g ON g.id = v.grp JOIN kindergartens k ON k.id = v.kindergarten WHERE v.id = ?";
