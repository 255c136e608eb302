//! What `core::offer::offers` needs from the database: the places still open, and each
//! category's queue in order (positions as «Өтініштер кезегі» shows them), narrowed to the
//! applications that name a kindergarten with an open place — nobody else can be offered one.

use crate::{Store, StoreError};
use baqsha_core::offer::{Candidate, OpenPlaces};
use baqsha_core::queue::{age_for_groups, explain, QueueRules};
use baqsha_core::*;
use chrono::NaiveDate;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

impl Store {
    /// Published places still open, oldest publication first.
    pub async fn open_places(&self) -> Result<Vec<OpenPlaces>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.id, v.kindergarten, v.grp, v.open, g.age_from, g.age_to, g.language
             FROM vacancies v JOIN groups g ON g.id = v.grp WHERE v.open > 0 ORDER BY v.published_on, v.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenPlaces {
                    vacancy: VacancyId(crate::codec::uuid(&r.try_get::<String, _>("id")?)?),
                    kindergarten: KindergartenId(crate::codec::uuid(&r.try_get::<String, _>("kindergarten")?)?),
                    group: GroupId(crate::codec::uuid(&r.try_get::<String, _>("grp")?)?),
                    age: AgeBand { from_years: r.try_get::<i64, _>("age_from")? as u8, to_years: r.try_get::<i64, _>("age_to")? as u8 },
                    language: crate::codec::code("language", &r.try_get::<String, _>("language")?, Language::from_code)?,
                    open: r.try_get::<i64, _>("open")?.max(0) as u32,
                })
            })
            .collect()
    }

    /// Each category's queued applications that name one of the places' kindergartens, in
    /// queue order, with their positions and their ages on the next policy date.
    pub async fn offer_queues(&self, places: &[OpenPlaces], today: NaiveDate, rules: &QueueRules) -> Result<Vec<Vec<Candidate>>, StoreError> {
        let kindergartens: HashSet<String> = places.iter().map(|p| p.kindergarten.to_string()).collect();
        let list = serde_json::to_string(&kindergartens).map_err(|e| StoreError::Decode { what: "list", detail: e.to_string() })?;
        // Who could be offered something: queued, naming a kindergarten with a place.
        let rows = sqlx::query(
            "SELECT a.id, a.number, a.child_iin, a.language, p.rank, p.kindergarten
             FROM json_each(?1) k
             JOIN application_preferences p ON p.kindergarten = k.value
             JOIN applications a ON a.id = p.application
             WHERE a.status = 'queued'",
        )
        .bind(&list)
        .fetch_all(&self.pool)
        .await?;
        // Keyed by number: the queue index carries the number, not the id.
        let mut wanted: HashMap<String, (ApplicationId, NaiveDate, Language, Vec<(i64, KindergartenId)>)> = HashMap::new();
        for r in &rows {
            let number: String = r.try_get("number")?;
            let kg = KindergartenId(crate::codec::uuid(&r.try_get::<String, _>("kindergarten")?)?);
            let rank: i64 = r.try_get("rank")?;
            if let Some(w) = wanted.get_mut(&number) {
                w.3.push((rank, kg));
                continue;
            }
            let id = ApplicationId(crate::codec::uuid(&r.try_get::<String, _>("id")?)?);
            let iin: String = r.try_get("child_iin")?;
            let birth = Iin::parse(&iin).map_err(|e| StoreError::Decode { what: "IIN", detail: format!("{iin}: {e:?}") })?.birth_date();
            let language = crate::codec::code("language", &r.try_get::<String, _>("language")?, Language::from_code)?;
            wanted.insert(number, (id, birth, language, vec![(rank, kg)]));
        }
        let categories: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT category FROM queue_counts WHERE n > 0 ORDER BY category").fetch_all(&self.pool).await?;
        let mut queues = vec![];
        for category in categories {
            // Each tier of the category in index order (the queue index alone: no row of the
            // table is visited); a line's rank in its tier is how many came before it, and
            // its position follows from the tier counts, as «Өтініштер кезегі» computes it.
            let counts = self.tier_counts(Category(category as i32)).await?;
            let rows = sqlx::query(
                "SELECT number, tier FROM applications INDEXED BY applications_queue
                 WHERE category = ? AND status IN ('queued', 'referred')
                 ORDER BY tier, registered_at, number",
            )
            .bind(category)
            .fetch_all(&self.pool)
            .await?;
            let mut queue = vec![];
            let (mut tier_code, mut tier, mut rank) = (String::new(), BenefitTier::General, 0u64);
            for r in &rows {
                let number: String = r.try_get("number")?;
                let t: String = r.try_get("tier")?;
                if t != tier_code {
                    tier = crate::codec::code("tier", &t, BenefitTier::from_code)?;
                    tier_code = t;
                    rank = 0;
                }
                if let Some((id, birth, language, prefs)) = wanted.get(&number) {
                    let mut prefs = prefs.clone();
                    prefs.sort_unstable_by_key(|(rank, _)| *rank);
                    queue.push(Candidate {
                        application: *id,
                        number,
                        position: explain(tier, rank, counts, rules).position,
                        age: age_for_groups(*birth, today, rules),
                        preferences: prefs.into_iter().map(|(_, k)| k).collect(),
                        language: *language,
                        passed: false,
                    });
                }
                rank += 1;
            }
            queue.sort_unstable_by_key(|c| c.position);
            queues.push(queue);
        }
        Ok(queues)
    }
}
