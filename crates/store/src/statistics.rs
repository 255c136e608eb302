//! The two statistics sections of the portal, read straight from the registry and the
//! referrals (no cache to go stale: both are small aggregates over indexed tables).

use crate::{Store, StoreError};
use baqsha_api::{AllocationStats, DistrictStats};
use baqsha_core::KindergartenId;
use chrono::NaiveDate;
use sqlx::Row;

impl Store {
    /// «Мем./жеке меншік балабақшалар саны және оның ішіндегі жалпы орын саны»: per district,
    /// state kindergartens and their places, private ones (with or without a state order)
    /// and theirs. Places are the kindergartens' design capacity.
    pub async fn district_stats(&self) -> Result<Vec<DistrictStats>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.code, d.name_kk, d.name_ru, d.name_en,
                    count(k.id) FILTER (WHERE k.kind = 'state') AS state_n,
                    coalesce(sum(k.design_capacity) FILTER (WHERE k.kind = 'state'), 0) AS state_places,
                    count(k.id) FILTER (WHERE k.kind <> 'state') AS private_n,
                    coalesce(sum(k.design_capacity) FILTER (WHERE k.kind <> 'state'), 0) AS private_places
             FROM districts d LEFT JOIN kindergartens k ON k.district = d.code
             GROUP BY d.code ORDER BY d.rowid",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DistrictStats {
                    district: r.try_get("code")?,
                    name: crate::codec::names(r, "name_kk", "name_ru", Some("name_en"))?,
                    state_kindergartens: r.try_get::<i64, _>("state_n")? as u32,
                    state_places: r.try_get::<i64, _>("state_places")? as u32,
                    private_kindergartens: r.try_get::<i64, _>("private_n")? as u32,
                    private_places: r.try_get::<i64, _>("private_places")? as u32,
                })
            })
            .collect()
    }

    /// «Балабақшаларға нақты бөлінген орын саны» between two desk dates (inclusive): per
    /// kindergarten, referrals issued and children admitted in the period; kindergartens with
    /// neither are left out. Most allocated first.
    pub async fn allocation_stats(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AllocationStats>, StoreError> {
        let start = crate::codec::ts(baqsha_core::command::desk_day_start(from));
        let end = crate::codec::ts(baqsha_core::command::desk_day_start(to + chrono::Days::new(1)));
        let rows = sqlx::query(
            "WITH issued AS (SELECT kindergarten, count(*) AS n FROM referrals INDEXED BY referrals_issued
                             WHERE issued_at >= ?1 AND issued_at < ?2 GROUP BY kindergarten),
                  admitted AS (SELECT kindergarten, count(*) AS n FROM referrals INDEXED BY referrals_admitted
                             WHERE status = 'admitted' AND ended_on >= ?3 AND ended_on <= ?4 GROUP BY kindergarten),
                  ks AS (SELECT kindergarten FROM issued UNION SELECT kindergarten FROM admitted)
             SELECT k.id, k.name_kk, k.name_ru, k.district, coalesce(i.n, 0) AS issued, coalesce(a.n, 0) AS admitted
             FROM ks JOIN kindergartens k ON k.id = ks.kindergarten
                  LEFT JOIN issued i ON i.kindergarten = ks.kindergarten LEFT JOIN admitted a ON a.kindergarten = ks.kindergarten
             ORDER BY issued DESC, admitted DESC, k.sort_kk",
        )
        .bind(start)
        .bind(end)
        .bind(crate::codec::date(from))
        .bind(crate::codec::date(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AllocationStats {
                    kindergarten: KindergartenId(crate::codec::uuid(r.try_get("id")?)?),
                    name: crate::codec::names(r, "name_kk", "name_ru", None)?,
                    district: r.try_get("district")?,
                    issued: r.try_get::<i64, _>("issued")? as u32,
                    admitted: r.try_get::<i64, _>("admitted")? as u32,
                })
            })
            .collect()
    }
}
