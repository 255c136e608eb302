//! The lists of the desk: the vacancy bulletin, issued referrals, the queue of a category.

use crate::codec::{code, date, uuid};
use crate::{Store, StoreError};
use baqsha_api::*;
use baqsha_core::queue::{self, order, QueueEntry, QueueRules};
use baqsha_core::*;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

fn time(r: &SqliteRow, col: &str) -> Result<DateTime<Utc>, StoreError> {
    let s: String = r.try_get(col)?;
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Decode { what: "time", detail: format!("{s}: {e}") })
}

fn day(r: &SqliteRow, col: &str) -> Result<NaiveDate, StoreError> {
    let s: String = r.try_get(col)?;
    s.parse().map_err(|e| StoreError::Decode { what: "date", detail: format!("{s}: {e}") })
}

/// The child of an application row (columns `child_*`).
fn child(r: &SqliteRow) -> Result<Person, StoreError> {
    let iin: String = r.try_get("child_iin")?;
    Ok(Person {
        iin: Iin::parse(&iin).map_err(|e| StoreError::Decode { what: "IIN", detail: format!("{iin}: {e:?}") })?,
        surname: r.try_get("child_surname")?,
        given_name: r.try_get("child_given_name")?,
        patronymic: r.try_get("child_patronymic")?,
        verified: r.try_get::<i64, _>("child_verified")? != 0,
    })
}

impl Store {
    /// Places open on `on`: published that day or earlier and not yet held by a referral.
    pub async fn bulletin(&self, on: NaiveDate, district: Option<&str>) -> Result<Vec<BulletinEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.kindergarten, k.name_kk, k.name_ru, k.district, v.grp, g.name, g.age_from, g.age_to,
                    g.language, sum(v.open) AS open, max(v.published_on) AS published_on
             FROM vacancies v JOIN groups g ON g.id = v.grp JOIN kindergartens k ON k.id = v.kindergarten
             WHERE v.open > 0 AND v.published_on <= ?1 AND (?2 IS NULL OR k.district = ?2)
             GROUP BY v.grp
             ORDER BY k.district, k.sort_kk, g.age_from, g.name COLLATE kazakh",
        )
        .bind(date(on))
        .bind(district)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BulletinEntry {
                    kindergarten: KindergartenId(uuid(&r.try_get::<String, _>("kindergarten")?)?),
                    kindergarten_kk: r.try_get("name_kk")?,
                    kindergarten_ru: r.try_get("name_ru")?,
                    district: r.try_get("district")?,
                    group: GroupId(uuid(&r.try_get::<String, _>("grp")?)?),
                    group_name: r.try_get("name")?,
                    age: AgeBand { from_years: r.try_get::<i64, _>("age_from")? as u8, to_years: r.try_get::<i64, _>("age_to")? as u8 },
                    language: code("language", &r.try_get::<String, _>("language")?, Language::from_code)?,
                    open_places: r.try_get::<i64, _>("open")? as u32,
                    published_on: day(r, "published_on")?,
                })
            })
            .collect()
    }

    /// Referrals issued between `from` and `to` (desk dates, inclusive), newest first.
    pub async fn issued_referrals(&self, from: NaiveDate, to: NaiveDate, district: Option<&str>) -> Result<Vec<ReferralEntry>, StoreError> {
        // Issue times are stored in UTC; the desk's day starts at 00:00 UTC+5.
        let start = command::desk_day_start(from);
        let end = command::desk_day_start(to + chrono::Duration::days(1));
        let rows = sqlx::query(
            "SELECT r.number, r.issued_at, r.valid_until, r.status, k.name_kk, k.name_ru, g.name,
                    a.child_iin, a.child_surname, a.child_given_name, a.child_patronymic, a.child_verified
             FROM referrals r JOIN applications a ON a.id = r.application
                  JOIN kindergartens k ON k.id = r.kindergarten JOIN groups g ON g.id = r.grp
             WHERE r.issued_at >= ?1 AND r.issued_at < ?2 AND (?3 IS NULL OR k.district = ?3)
             ORDER BY r.issued_at DESC, r.number",
        )
        .bind(crate::codec::ts(start))
        .bind(crate::codec::ts(end))
        .bind(district)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReferralEntry {
                    number: r.try_get("number")?,
                    issued_at: time(r, "issued_at")?,
                    valid_until: day(r, "valid_until")?,
                    status: code("referral status", &r.try_get::<String, _>("status")?, ReferralStatus::from_code)?,
                    kindergarten_kk: r.try_get("name_kk")?,
                    kindergarten_ru: r.try_get("name_ru")?,
                    group_name: r.try_get("name")?,
                    child: child(r)?,
                })
            })
            .collect()
    }

    /// The whole queue of a category in order, positions counted over the category; the
    /// district filter only hides lines (a child's place does not depend on the filter).
    pub async fn queue_of(&self, category: Category, district: Option<&str>, rules: &QueueRules) -> Result<Vec<QueueLine>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, number, tier, registered_at, status, district,
                    child_iin, child_surname, child_given_name, child_patronymic, child_verified
             FROM applications WHERE category = ? AND status IN ('queued', 'referred')",
        )
        .bind(category.0)
        .fetch_all(&self.pool)
        .await?;
        let mut lines = std::collections::HashMap::with_capacity(rows.len());
        let mut entries = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = ApplicationId(uuid(&r.try_get::<String, _>("id")?)?);
            let number: String = r.try_get("number")?;
            let tier = code("tier", &r.try_get::<String, _>("tier")?, BenefitTier::from_code)?;
            let registered_at = time(r, "registered_at")?;
            entries.push(QueueEntry { application: id, number: number.clone(), tier, registered_at });
            lines.insert(
                id,
                QueueLine {
                    position: 0,
                    number,
                    registered_at,
                    tier,
                    status: code("status", &r.try_get::<String, _>("status")?, ApplicationStatus::from_code)?,
                    district: r.try_get("district")?,
                    child: child(r)?,
                },
            );
        }
        Ok(order(entries, rules)
            .into_iter()
            .enumerate()
            .filter_map(|(i, e)| lines.remove(&e.application).map(|l| QueueLine { position: i as u64 + 1, ..l }))
            .filter(|l| district.is_none() || l.district.as_deref() == district)
            .collect())
    }
}

impl Store {
    /// The state of a referral in this database, by its number; None when it is not here.
    pub async fn referral_status(&self, number: &str) -> Result<Option<ReferralStatus>, StoreError> {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM referrals WHERE number = ?")
            .bind(number)
            .fetch_optional(&self.pool)
            .await?;
        status.map(|s| code("referral status", &s, ReferralStatus::from_code)).transpose()
    }
}

/// The columns a public line needs.
const PUBLIC: &str = "id, number, tier, registered_at, status, child_iin, child_surname, child_given_name, child_patronymic, child_verified";

fn public_line(r: &SqliteRow, position: u64) -> Result<PublicQueueLine, StoreError> {
    let child = child(r)?;
    Ok(PublicQueueLine {
        position,
        number: r.try_get("number")?,
        registered_at: time(r, "registered_at")?,
        tier: code("tier", &r.try_get::<String, _>("tier")?, BenefitTier::from_code)?,
        status: code("status", &r.try_get::<String, _>("status")?, ApplicationStatus::from_code)?,
        initials: child.initials(),
        iin_masked: child.iin.masked(),
    })
}

impl Store {
    pub async fn tier_counts(&self, category: Category) -> Result<queue::TierCounts, StoreError> {
        let mut counts = queue::TierCounts::default();
        let rows = sqlx::query("SELECT tier, count(*) AS n FROM applications WHERE category = ? AND status IN ('queued', 'referred') GROUP BY tier")
            .bind(category.0)
            .fetch_all(&self.pool)
            .await?;
        for r in &rows {
            let n = r.try_get::<i64, _>("n")? as u64;
            match code("tier", &r.try_get::<String, _>("tier")?, BenefitTier::from_code)? {
                BenefitTier::OutOfTurn => counts.out_of_turn = n,
                BenefitTier::Priority => counts.priority = n,
                BenefitTier::General => counts.general = n,
            }
        }
        Ok(counts)
    }

    /// One page of «Өтініштер кезегі». Unfiltered, the page's positions are mapped to
    /// (tier, rank) with `queue::entry_at` and each tier's slice is read from the queue index
    /// — no list is built. Filtered, each matching line's rank in its tier is counted with a
    /// window over the category, turned into a position, and the page cut from those.
    pub async fn queue_page(&self, q: &QueueQuery, rules: &QueueRules) -> Result<QueuePage, StoreError> {
        let counts = self.tier_counts(Category(q.category)).await?;
        let size = q.page_size.clamp(1, 200) as u64;
        let first = u64::from(q.page) * size + 1;
        let filtered = q.district.is_some() || q.kindergarten.is_some() || q.tier.is_some();
        let (lines, total) = if filtered { self.filtered_page(q, counts, rules, first, size).await? } else { (self.plain_page(q.category, counts, rules, first, size).await?, counts.total()) };
        Ok(QueuePage { lines, total, counts, page: q.page, page_size: size as u32 })
    }

    async fn plain_page(&self, category: i32, counts: queue::TierCounts, rules: &QueueRules, first: u64, size: u64) -> Result<Vec<PublicQueueLine>, StoreError> {
        let slots: Vec<(u64, BenefitTier, u64)> =
            (first..first + size).filter_map(|p| queue::entry_at(p, counts, rules).map(|(t, r)| (p, t, r))).collect();
        let mut lines = Vec::with_capacity(slots.len());
        for tier in [BenefitTier::OutOfTurn, BenefitTier::Priority, BenefitTier::General] {
            let mine: Vec<&(u64, BenefitTier, u64)> = slots.iter().filter(|s| s.1 == tier).collect();
            let (Some(lo), Some(hi)) = (mine.iter().map(|s| s.2).min(), mine.iter().map(|s| s.2).max()) else { continue };
            let rows = sqlx::query(&format!(
                "SELECT {PUBLIC} FROM applications WHERE category = ? AND tier = ? AND status IN ('queued', 'referred')
                 ORDER BY registered_at, number LIMIT ? OFFSET ?"
            ))
            .bind(category)
            .bind(tier.code())
            .bind((hi - lo + 1) as i64)
            .bind(lo as i64)
            .fetch_all(&self.pool)
            .await?;
            for (slot, r) in mine.iter().zip(&rows) {
                lines.push(public_line(r, slot.0)?);
            }
        }
        lines.sort_by_key(|l| l.position);
        Ok(lines)
    }

    async fn filtered_page(
        &self,
        q: &QueueQuery,
        counts: queue::TierCounts,
        rules: &QueueRules,
        first: u64,
        size: u64,
    ) -> Result<(Vec<PublicQueueLine>, u64), StoreError> {
        let rows = sqlx::query(
            "SELECT id, tier, rank FROM (
                 SELECT id, tier, district,
                        row_number() OVER (PARTITION BY tier ORDER BY registered_at, number) - 1 AS rank
                 FROM applications WHERE category = ?1 AND status IN ('queued', 'referred'))
             WHERE (?2 IS NULL OR district = ?2) AND (?3 IS NULL OR tier = ?3)
               AND (?4 IS NULL OR id IN (SELECT application FROM application_preferences WHERE kindergarten = ?4))",
        )
        .bind(q.category)
        .bind(q.district.as_deref())
        .bind(q.tier.map(|t| t.code()))
        .bind(q.kindergarten.map(|k| k.to_string()))
        .fetch_all(&self.pool)
        .await?;
        let mut found = Vec::with_capacity(rows.len());
        for r in &rows {
            let tier = code("tier", &r.try_get::<String, _>("tier")?, BenefitTier::from_code)?;
            let rank = r.try_get::<i64, _>("rank")? as u64;
            found.push((queue::explain(tier, rank, counts, rules).position, r.try_get::<String, _>("id")?));
        }
        found.sort_unstable();
        let total = found.len() as u64;
        let mut lines = vec![];
        for (position, id) in found.iter().skip((first - 1) as usize).take(size as usize) {
            let r = sqlx::query(&format!("SELECT {PUBLIC} FROM applications WHERE id = ?")).bind(id).fetch_one(&self.pool).await?;
            lines.push(public_line(&r, *position)?);
        }
        Ok((lines, total))
    }
}
