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
    crate::codec::time(&r.try_get::<String, _>(col)?)
}

fn day(r: &SqliteRow, col: &str) -> Result<NaiveDate, StoreError> {
    let s: String = r.try_get(col)?;
    s.parse().map_err(|e| StoreError::Decode { what: "date", detail: format!("{s}: {e}") })
}

fn child(r: &SqliteRow) -> Result<Person, StoreError> {
    crate::codec::person(r, "child")
}

impl Store {
    /// Places open on `on`: published that day or earlier and not held by a referral at the
    /// end of that day, with to whom they were offered then. Today's from the places as they
    /// stand; a past day's from the referrals (each holds its place from the day it was issued
    /// until the day it expired or was refused) and the offers (open from the day made until
    /// the day ended). A day after `today` has nothing yet.
    pub async fn bulletin(&self, on: NaiveDate, today: NaiveDate, district: Option<&str>) -> Result<Vec<BulletinEntry>, StoreError> {
        if on > today {
            return Ok(vec![]);
        }
        let past = on < today;
        // Issue times are stored in UTC; the desk's day ends at 24:00 UTC+5.
        let day_end = crate::codec::ts(command::desk_day_start(on + chrono::Duration::days(1)));
        let rows = sqlx::query(
            "WITH held AS (
                 SELECT v.id, v.kindergarten, v.grp, v.published_on,
                        CASE WHEN ?3 THEN v.count - (SELECT count(*) FROM referrals r
                                                     WHERE r.vacancy = v.id AND r.issued_at < ?4
                                                       AND NOT (r.status IN ('expired', 'refused') AND r.ended_on <= ?1))
                             ELSE v.open END AS open
                 FROM vacancies v WHERE v.published_on <= ?1 AND (?3 OR v.open > 0))
             SELECT v.kindergarten, k.name_kk, k.name_ru, k.district, v.grp, g.name, g.age_from, g.age_to,
                    g.language, sum(v.open) AS open, max(v.published_on) AS published_on,
                    CASE WHEN NOT ?3 THEN (SELECT x.id FROM held x WHERE x.grp = v.grp AND x.open > 0 ORDER BY x.published_on DESC, x.id LIMIT 1) END AS vacancy
             FROM held v JOIN groups g ON g.id = v.grp JOIN kindergartens k ON k.id = v.kindergarten
             WHERE v.open > 0 AND (?2 IS NULL OR k.district = ?2)
             GROUP BY v.grp
             ORDER BY k.district, k.sort_kk, g.age_from, g.name COLLATE kazakh",
        )
        .bind(date(on))
        .bind(district)
        .bind(past)
        .bind(&day_end)
        .fetch_all(&self.pool)
        .await?;
        // To whom each group's places were offered at the end of the day, in queue order.
        let mut offers: std::collections::HashMap<String, Vec<OfferNote>> = std::collections::HashMap::new();
        for o in sqlx::query(
            "SELECT v.grp, o.number, o.position, o.preference_rank, o.ahead_not_offered, o.respond_by
             FROM offers o JOIN vacancies v ON v.id = o.vacancy
             WHERE CASE WHEN ?2 THEN o.offered_on <= ?1 AND (o.ended_on IS NULL OR o.ended_on > ?1) ELSE o.status = 'open' END
             ORDER BY o.position",
        )
        .bind(date(on))
        .bind(past)
        .fetch_all(&self.pool)
        .await?
        {
            offers.entry(o.try_get("grp")?).or_default().push(OfferNote {
                number: o.try_get("number")?,
                position: o.try_get::<i64, _>("position")? as u64,
                preference_rank: o.try_get::<i64, _>("preference_rank")? as u32,
                ahead_not_offered: o.try_get::<i64, _>("ahead_not_offered")? as u64,
                respond_by: day(&o, "respond_by")?,
            });
        }
        rows.iter()
            .map(|r| {
                Ok(BulletinEntry {
                    offers: offers.remove(&r.try_get::<String, _>("grp")?).unwrap_or_default(),
                    kindergarten: KindergartenId(uuid(&r.try_get::<String, _>("kindergarten")?)?),
                    kindergarten_name: crate::codec::names(r, "name_kk", "name_ru", None)?,
                    district: r.try_get("district")?,
                    group: GroupId(uuid(&r.try_get::<String, _>("grp")?)?),
                    group_name: r.try_get("name")?,
                    age: AgeBand { from_years: r.try_get::<i64, _>("age_from")? as u8, to_years: r.try_get::<i64, _>("age_to")? as u8 },
                    language: code("language", &r.try_get::<String, _>("language")?, Language::from_code)?,
                    open_places: r.try_get::<i64, _>("open")? as u32,
                    published_on: day(r, "published_on")?,
                    vacancy: r.try_get::<Option<String>, _>("vacancy")?.map(|v| uuid(&v).map(VacancyId)).transpose()?,
                })
            })
            .collect()
    }

    /// Referrals issued between `from` and `to` (desk dates, inclusive), newest first; of one
    /// district or one kindergarten when given.
    pub async fn issued_referrals(&self, from: NaiveDate, to: NaiveDate, district: Option<&str>, kindergarten: Option<KindergartenId>) -> Result<Vec<ReferralEntry>, StoreError> {
        // Issue times are stored in UTC; the desk's day starts at 00:00 UTC+5.
        let start = command::desk_day_start(from);
        let end = command::desk_day_start(to + chrono::Duration::days(1));
        let rows = sqlx::query(
            "SELECT r.number, r.issued_at, r.valid_until, r.status, k.name_kk, k.name_ru, g.name,
                    a.child_iin, a.child_surname, a.child_given_name, a.child_patronymic, a.child_verified
             FROM referrals r JOIN applications a ON a.id = r.application
                  JOIN kindergartens k ON k.id = r.kindergarten JOIN groups g ON g.id = r.grp
             WHERE r.issued_at >= ?1 AND r.issued_at < ?2 AND (?3 IS NULL OR k.district = ?3) AND (?4 IS NULL OR r.kindergarten = ?4)
             ORDER BY r.issued_at DESC, r.number",
        )
        .bind(crate::codec::ts(start))
        .bind(crate::codec::ts(end))
        .bind(district)
        .bind(kindergarten.map(|k| k.to_string()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReferralEntry {
                    number: r.try_get("number")?,
                    issued_at: time(r, "issued_at")?,
                    valid_until: day(r, "valid_until")?,
                    status: code("referral status", &r.try_get::<String, _>("status")?, ReferralStatus::from_code)?,
                    kindergarten_name: crate::codec::names(r, "name_kk", "name_ru", None)?,
                    group_name: r.try_get("name")?,
                    child: child(r)?,
                })
            })
            .collect()
    }

    /// The whole queue of a category in order, positions counted over the category; the
    /// district filter only hides lines (a child's place does not depend on the filter).
    /// A category's queue narrowed as «Өтініштер кезегі» narrows it on screen: by district,
    /// by a kindergarten named among the preferences, by tier.
    pub async fn queue_filtered(&self, q: &QueueQuery, rules: &QueueRules) -> Result<Vec<QueueLine>, StoreError> {
        let named: Option<std::collections::HashSet<String>> = match q.kindergarten {
            Some(k) => Some(
                sqlx::query_scalar("SELECT application FROM application_preferences WHERE kindergarten = ?").bind(k.to_string()).fetch_all(&self.pool).await?.into_iter().collect(),
            ),
            None => None,
        };
        let mut lines = self.queue_lines(Category(q.category), q.district.as_deref(), rules).await?;
        lines.retain(|(id, l)| q.tier.is_none_or(|t| t == l.tier) && named.as_ref().is_none_or(|n| n.contains(&id.to_string())));
        Ok(lines.into_iter().map(|(_, l)| l).collect())
    }

    pub async fn queue_of(&self, category: Category, district: Option<&str>, rules: &QueueRules) -> Result<Vec<QueueLine>, StoreError> {
        Ok(self.queue_lines(category, district, rules).await?.into_iter().map(|(_, l)| l).collect())
    }

    async fn queue_lines(&self, category: Category, district: Option<&str>, rules: &QueueRules) -> Result<Vec<(ApplicationId, QueueLine)>, StoreError> {
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
            .filter_map(|(i, e)| lines.remove(&e.application).map(|l| (e.application, QueueLine { position: i as u64 + 1, ..l })))
            .filter(|(_, l)| district.is_none() || l.district.as_deref() == district)
            .collect())
    }
}

impl Store {
    /// The state of a referral in this database, by its number; None when it is not here.
    pub async fn referral_status(&self, number: &str) -> Result<Option<ReferralStatus>, StoreError> {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM referrals WHERE number = ?").bind(number).fetch_optional(&self.pool).await?;
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
    /// Active applications of a category by tier (kept by triggers, see migration 0002).
    pub async fn tier_counts(&self, category: Category) -> Result<queue::TierCounts, StoreError> {
        let mut counts = queue::TierCounts::default();
        let rows = sqlx::query("SELECT tier, n FROM queue_counts WHERE category = ?").bind(category.0).fetch_all(&self.pool).await?;
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
    /// — no list is built. Filtered, see `filtered_page`.
    pub async fn queue_page(&self, q: &QueueQuery, rules: &QueueRules) -> Result<QueuePage, StoreError> {
        let counts = self.tier_counts(Category(q.category)).await?;
        let size = q.page_size.clamp(1, 200) as u64;
        let first = u64::from(q.page) * size + 1;
        let (lines, total) = match (&q.district, q.kindergarten, q.tier) {
            (None, None, None) => (self.plain_page(q.category, counts, rules, first, size).await?, counts.total()),
            (None, None, Some(tier)) => (self.tier_page(q.category, tier, counts, rules, first, size).await?, counts.of(tier)),
            _ => self.filtered_page(q, counts, rules, first, size).await?,
        };
        Ok(QueuePage { lines, total, counts, page: q.page, page_size: size as u32 })
    }

    /// Rows `offset..offset + limit` of one tier in queue order, read from the queue index.
    async fn tier_slice(&self, category: i32, tier: BenefitTier, offset: u64, limit: u64) -> Result<Vec<SqliteRow>, StoreError> {
        Ok(sqlx::query(&format!(
            "SELECT {PUBLIC} FROM applications INDEXED BY applications_queue
             WHERE category = ? AND tier = ? AND status IN ('queued', 'referred')
             ORDER BY registered_at, number LIMIT ? OFFSET ?"
        ))
        .bind(category)
        .bind(tier.code())
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&self.pool)
        .await?)
    }

    /// One tier alone: its ranks are consecutive, so the page is one slice of the index.
    async fn tier_page(&self, category: i32, tier: BenefitTier, counts: queue::TierCounts, rules: &QueueRules, first: u64, size: u64) -> Result<Vec<PublicQueueLine>, StoreError> {
        let rows = self.tier_slice(category, tier, first - 1, size).await?;
        rows.iter().enumerate().map(|(i, r)| public_line(r, queue::explain(tier, first - 1 + i as u64, counts, rules).position)).collect()
    }

    async fn plain_page(&self, category: i32, counts: queue::TierCounts, rules: &QueueRules, first: u64, size: u64) -> Result<Vec<PublicQueueLine>, StoreError> {
        let slots: Vec<(u64, BenefitTier, u64)> = (first..first + size).filter_map(|p| queue::entry_at(p, counts, rules).map(|(t, r)| (p, t, r))).collect();
        let mut lines = Vec::with_capacity(slots.len());
        for tier in [BenefitTier::OutOfTurn, BenefitTier::Priority, BenefitTier::General] {
            let mine: Vec<&(u64, BenefitTier, u64)> = slots.iter().filter(|s| s.1 == tier).collect();
            let (Some(lo), Some(hi)) = (mine.iter().map(|s| s.2).min(), mine.iter().map(|s| s.2).max()) else { continue };
            let rows = self.tier_slice(category, tier, lo, hi - lo + 1).await?;
            for (slot, r) in mine.iter().zip(&rows) {
                lines.push(public_line(r, slot.0)?);
            }
        }
        lines.sort_by_key(|l| l.position);
        Ok(lines)
    }

    /// The first `need` applications of a district in one tier, in queue order, with their
    /// rank in the whole tier: the days before from the day counts (summed here once), the
    /// same day counted in the queue index. Reads `need` lines and a few per line.
    async fn district_ranks(&self, category: i32, tier: BenefitTier, district: &str, need: usize) -> Result<Vec<(u64, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.number, c.registered_at,
                    (SELECT count(*) FROM applications b INDEXED BY applications_queue
                     WHERE b.category = ?1 AND b.tier = ?2 AND b.status IN ('queued', 'referred')
                       AND b.registered_at >= substr(c.registered_at, 1, 10) AND b.registered_at <= c.registered_at
                       AND (b.registered_at < c.registered_at OR (b.registered_at = c.registered_at AND b.number < c.number))) AS same_day
             FROM (SELECT number, registered_at FROM applications INDEXED BY applications_district_queue
                   WHERE category = ?1 AND tier = ?2 AND district = ?3 AND status IN ('queued', 'referred')
                   ORDER BY registered_at, number LIMIT ?4) c
             ORDER BY c.registered_at, c.number",
        )
        .bind(category)
        .bind(tier.code())
        .bind(district)
        .bind(need as i64)
        .fetch_all(&self.pool)
        .await?;
        let Some(last) = rows.last() else { return Ok(vec![]) };
        let last_day: String = last.try_get::<String, _>("registered_at")?.chars().take(10).collect();
        // Applications of the tier per day up to the last line's day, as a running sum.
        let days: Vec<(String, i64)> = sqlx::query_as("SELECT day, n FROM queue_day_counts WHERE category = ? AND tier = ? AND day < ? ORDER BY day")
            .bind(category)
            .bind(tier.code())
            .bind(&last_day)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        let (mut d, mut before) = (0, 0i64);
        for r in &rows {
            let registered: String = r.try_get("registered_at")?;
            let day = &registered[..10.min(registered.len())];
            while d < days.len() && days[d].0.as_str() < day {
                before += days[d].1;
                d += 1;
            }
            out.push(((before + r.try_get::<i64, _>("same_day")?) as u64, r.try_get("number")?));
        }
        Ok(out)
    }

    /// Filtered: each tier is walked in queue order (the index alone) counting ranks, and
    /// stops once it has as many matches as the page needs — the page's lines are among each
    /// tier's first matches, since positions grow with rank. The cost grows with how deep the
    /// page is, not with the size of the category. Totals are counted by their own indexes.
    async fn filtered_page(&self, q: &QueueQuery, counts: queue::TierCounts, rules: &QueueRules, first: u64, size: u64) -> Result<(Vec<PublicQueueLine>, u64), StoreError> {
        let need = (first - 1 + size) as usize;
        let tier_code = q.tier.map(|t| t.code());
        // Applications naming the kindergarten, already narrowed by district and tier.
        let named: Option<std::collections::HashSet<String>> = match q.kindergarten {
            Some(k) => Some(
                sqlx::query_scalar(
                    "SELECT a.number FROM application_preferences p JOIN applications a ON a.id = p.application
                     WHERE p.kindergarten = ?1 AND a.category = ?2 AND a.status IN ('queued', 'referred')
                       AND (?3 IS NULL OR a.district = ?3) AND (?4 IS NULL OR a.tier = ?4)",
                )
                .bind(k.to_string())
                .bind(q.category)
                .bind(q.district.as_deref())
                .bind(tier_code)
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .collect(),
            ),
            None => None,
        };
        let total = match (&named, &q.district, q.tier) {
            (Some(n), _, _) => n.len() as u64,
            (None, Some(d), tier) => {
                sqlx::query_scalar::<_, i64>(
                    "SELECT count(*) FROM applications
                 WHERE category = ? AND district = ? AND (?3 IS NULL OR tier = ?3) AND status IN ('queued', 'referred')",
                )
                .bind(q.category)
                .bind(d)
                .bind(tier.map(|t| t.code()))
                .fetch_one(&self.pool)
                .await? as u64
            }
            (None, None, Some(t)) => counts.of(t),
            (None, None, None) => counts.total(),
        };
        let mut found: Vec<(u64, String)> = vec![];
        for tier in [BenefitTier::OutOfTurn, BenefitTier::Priority, BenefitTier::General] {
            if q.tier.is_some_and(|t| t != tier) || named.as_ref().is_some_and(|n| n.is_empty()) {
                continue;
            }
            if let (None, Some(district)) = (&named, &q.district) {
                for (rank, number) in self.district_ranks(q.category, tier, district, need).await? {
                    found.push((queue::explain(tier, rank, counts, rules).position, number));
                }
                continue;
            }
            // A window in index order, cut by the outer LIMIT. INDEXED BY: the district index
            // also matches and would sort the whole tier first.
            let rows = sqlx::query(
                "SELECT number, rank FROM (
                     SELECT number, district, row_number() OVER (ORDER BY registered_at, number) - 1 AS rank
                     FROM applications INDEXED BY applications_queue
                     WHERE category = ?1 AND tier = ?2 AND status IN ('queued', 'referred'))
                 WHERE (?3 IS NULL OR district = ?3)
                 LIMIT ?4",
            )
            .bind(q.category)
            .bind(tier.code())
            .bind(q.district.as_deref())
            .bind(if named.is_some() { -1 } else { need as i64 })
            .fetch_all(&self.pool)
            .await?;
            let mut kept = 0;
            for r in &rows {
                let number: String = r.try_get("number")?;
                if kept == need || named.as_ref().is_some_and(|n| !n.contains(&number)) {
                    continue;
                }
                found.push((queue::explain(tier, r.try_get::<i64, _>("rank")? as u64, counts, rules).position, number));
                kept += 1;
            }
        }
        found.sort_unstable();
        let mut lines = vec![];
        for (position, number) in found.iter().skip((first - 1) as usize).take(size as usize) {
            let r = sqlx::query(&format!("SELECT {PUBLIC} FROM applications WHERE number = ?")).bind(number).fetch_one(&self.pool).await?;
            lines.push(public_line(&r, *position)?);
        }
        Ok((lines, total))
    }
}
