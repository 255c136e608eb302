//! What `core::offer::offers` needs from the database: the places still open, and each
//! category's queue in order (positions as «Өтініштер кезегі» shows them), narrowed to the
//! applications that name a kindergarten with an open place — nobody else can be offered one.

use crate::{ApplyError, Store, StoreError};
use baqsha_api::PlaceChoice;
use baqsha_core::codes::Notification;
use baqsha_core::command::{Command, CommandKind, RuleError};
use baqsha_core::offer::{self, Candidate, HeldOffer, Holding, Offer, OfferEnding, OpenPlaces, Placing, Standing};
use baqsha_core::queue::{self, age_for_groups, explain, QueueRules};
use baqsha_core::*;
use chrono::NaiveDate;
use sqlx::Connection;
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

    /// The queues a round offers along: `offer_queues`, each candidate narrowed by what they
    /// hold (only a place they prefer), the stop-list and the publications they let pass.
    pub(crate) async fn round_queues(&self, places: &[OpenPlaces], today: NaiveDate, rules: &QueueRules) -> Result<Vec<Vec<Candidate>>, StoreError> {
        let queues = self.offer_queues(places, today, rules).await?;
        // Who holds an offer, and the rank of its kindergarten among their preferences: they
        // are offered only a place they prefer to it.
        let mut holding: HashMap<String, Holding> = HashMap::new();
        for (application, kindergarten, rank, held_rank) in sqlx::query_as::<_, (String, String, i64, i64)>(
            "SELECT o.application, p.kindergarten, p.rank, hp.rank
             FROM offers o JOIN vacancies v ON v.id = o.vacancy
                  JOIN application_preferences hp ON hp.application = o.application AND hp.kindergarten = v.kindergarten
                  JOIN application_preferences p ON p.application = o.application
             WHERE o.status = 'open'",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let h = holding.entry(application).or_insert_with(|| Holding { rank: held_rank.max(0) as usize, ranks: HashMap::new() });
            h.ranks.insert(KindergartenId(crate::codec::uuid(&kindergarten)?), rank.max(0) as usize);
        }
        // Who is skipped: on the stop-list (what is left of it is current); and which places
        // each let pass.
        let skip: HashSet<String> = sqlx::query_scalar("SELECT application FROM stop_list").fetch_all(&self.pool).await?.into_iter().collect();
        let mut passed: HashMap<String, Vec<VacancyId>> = HashMap::new();
        let vacancies =
            serde_json::to_string(&places.iter().map(|p| p.vacancy.to_string()).collect::<Vec<_>>()).map_err(|e| StoreError::Decode { what: "list", detail: e.to_string() })?;
        // Turns let pass, and referrals let expire or refused: that publication is not offered
        // to them again (the queue place is kept; a later publication is).
        for (application, vacancy) in sqlx::query_as::<_, (String, String)>(
            "SELECT o.application, o.vacancy FROM json_each(?1) v JOIN offers o ON o.vacancy = v.value AND o.status = 'passed'
             UNION SELECT r.application, r.vacancy FROM json_each(?1) v JOIN referrals r ON r.vacancy = v.value AND r.status IN ('expired', 'refused')",
        )
        .bind(&vacancies)
        .fetch_all(&self.pool)
        .await?
        {
            passed.entry(application).or_default().push(VacancyId(crate::codec::uuid(&vacancy)?));
        }
        Ok(queues
            .into_iter()
            .map(|q| {
                q.into_iter()
                    .map(|c| {
                        let id = c.application.to_string();
                        let standing = Standing { holding: holding.remove(&id), stopped: skip.contains(&id), let_pass: passed.remove(&id).unwrap_or_default() };
                        offer::narrow(c, standing)
                    })
                    .collect()
            })
            .collect())
    }

    /// Each category's queued applications that name one of the places' kindergartens, in
    /// queue order, with their positions and their ages on the next policy date.
    pub async fn offer_queues(&self, places: &[OpenPlaces], today: NaiveDate, rules: &QueueRules) -> Result<Vec<Vec<Candidate>>, StoreError> {
        let kindergartens: HashSet<String> = places.iter().map(|p| p.kindergarten.to_string()).collect();
        let list = serde_json::to_string(&kindergartens).map_err(|e| StoreError::Decode { what: "list", detail: e.to_string() })?;
        let wanted = offer_candidates(&self.pool, &list).await?;
        let ranks = queue_ranks(&self.pool, &wanted).await?;
        let mut by_category: HashMap<i64, Vec<(u64, Candidate)>> = HashMap::new();
        let mut counts: HashMap<i64, queue::TierCounts> = HashMap::new();
        for (rowid, w) in wanted {
            // A candidate always has a rank (queued ⊂ the queue index); one missing would
            // mean the read raced a write: it waits for the next round.
            let Some(&(category, tier, rank)) = ranks.get(&rowid) else {
                continue;
            };
            let counts = match counts.get(&category) {
                Some(c) => *c,
                None => *counts.entry(category).or_insert(self.tier_counts(Category(category as i32)).await?),
            };
            let mut prefs = w.preferences;
            prefs.sort_unstable_by_key(|(rank, _)| *rank);
            let position = explain(tier, rank, counts, rules).position;
            by_category.entry(category).or_default().push((
                position,
                Candidate {
                    application: w.id,
                    number: w.number,
                    position,
                    age: age_for_groups(w.birth, today, rules),
                    preferences: prefs.into_iter().map(|(_, k)| k).collect(),
                    language: w.language,
                    passed: false,
                    passed_places: vec![],
                },
            ));
        }
        let mut categories: Vec<_> = by_category.into_iter().collect();
        categories.sort_unstable_by_key(|(c, _)| *c);
        Ok(categories
            .into_iter()
            .map(|(_, mut q)| {
                q.sort_unstable_by_key(|(p, _)| *p);
                q.into_iter().map(|(_, c)| c).collect()
            })
            .collect())
    }
}

/// Who could be offered something: queued, naming a kindergarten with a place; keyed by
/// rowid, which the queue index carries.
async fn offer_candidates(pool: &sqlx::SqlitePool, list: &str) -> Result<HashMap<i64, Wanted>, StoreError> {
    // As one text of lines `rowid id number iin language rank kindergarten` (none of these
    // holds a space or a newline): 61k rows nationally cost sqlx ~0.3 s as rows.
    let text: Option<String> = sqlx::query_scalar(
        "SELECT group_concat(a.rowid || ' ' || a.id || ' ' || a.number || ' ' || a.child_iin || ' ' || a.language || ' ' || p.rank || ' ' || p.kindergarten, char(10))
         FROM json_each(?1) k
         JOIN application_preferences p ON p.kindergarten = k.value
         JOIN applications a INDEXED BY applications_offer ON a.id = p.application
         WHERE a.status = 'queued'",
    )
    .bind(list)
    .fetch_one(pool)
    .await?;
    let text = text.unwrap_or_default();
    let bad = |line: &str| StoreError::Decode { what: "offer candidate", detail: line.to_string() };
    let mut wanted: HashMap<i64, Wanted> = HashMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let [row, id, number, iin, language, rank, kindergarten] = f[..] else {
            return Err(bad(line));
        };
        let row: i64 = row.parse().map_err(|_| bad(line))?;
        let rank: i64 = rank.parse().map_err(|_| bad(line))?;
        let kg = KindergartenId(crate::codec::uuid(kindergarten)?);
        if let Some(w) = wanted.get_mut(&row) {
            w.preferences.push((rank, kg));
            continue;
        }
        let birth = Iin::parse(iin).map_err(|e| StoreError::Decode { what: "IIN", detail: format!("{iin}: {e:?}") })?.birth_date();
        wanted.insert(
            row,
            Wanted {
                id: ApplicationId(crate::codec::uuid(id)?),
                number: number.to_string(),
                birth,
                language: crate::codec::code("language", language, Language::from_code)?,
                preferences: vec![(rank, kg)],
            },
        );
    }
    Ok(wanted)
}

/// The wanted lines' (category, tier, rank in the tier), by rowid: each tier read in order
/// from the queue index alone (rowids only, no table row), the rank being how many came before.
async fn queue_ranks(pool: &sqlx::SqlitePool, wanted: &HashMap<i64, Wanted>) -> Result<HashMap<i64, (i64, BenefitTier, u64)>, StoreError> {
    let tiers: Vec<(i64, String)> = sqlx::query_as("SELECT category, tier FROM queue_counts WHERE n > 0 ORDER BY category, tier").fetch_all(pool).await?;
    let mut ranks = HashMap::with_capacity(wanted.len());
    for (category, tier_code) in tiers {
        let tier = crate::codec::code("tier", &tier_code, BenefitTier::from_code)?;
        // One text of the tier's rowids in order: sqlx's cost per row is several times
        // SQLite's own (465k lines nationally: ~0.4 s as rows, ~0.14 s as texts).
        let list: Option<String> = sqlx::query_scalar(
            "SELECT group_concat(r, ',') FROM (SELECT rowid AS r FROM applications INDEXED BY applications_queue
                 WHERE category = ? AND tier = ? AND status IN ('queued', 'referred') ORDER BY registered_at, number)",
        )
        .bind(category)
        .bind(&tier_code)
        .fetch_one(pool)
        .await?;
        for (rank, row) in list.unwrap_or_default().split(',').filter(|r| !r.is_empty()).enumerate() {
            let row: i64 = row.parse().map_err(|_| StoreError::Decode { what: "rowid", detail: row.to_string() })?;
            if wanted.contains_key(&row) {
                ranks.insert(row, (category, tier, rank as u64));
            }
        }
    }
    Ok(ranks)
}

/// Records the open places each publication had when a round considered it (see
/// `vacancies.rounded_open`).
async fn mark_rounded_in(tx: &mut sqlx::SqliteConnection, places: &[OpenPlaces]) -> Result<(), StoreError> {
    for p in places {
        sqlx::query("UPDATE vacancies SET rounded_open = ? WHERE id = ?").bind(i64::from(p.open)).bind(p.vacancy.to_string()).execute(&mut *tx).await?;
    }
    Ok(())
}

struct Wanted {
    id: ApplicationId,
    number: String,
    birth: NaiveDate,
    language: Language,
    preferences: Vec<(i64, KindergartenId)>,
}

/// The author, device and id source of the commands the office writes by itself: offers
/// and their endings.
pub struct CommandSource<'a> {
    pub author: OperatorId,
    pub device: DeviceId,
    pub ids: &'a (dyn Fn() -> uuid::Uuid + Send + Sync),
}

impl CommandSource<'_> {
    fn command(&self, at: chrono::DateTime<chrono::Utc>, kind: CommandKind) -> Command {
        Command { id: (self.ids)(), author: self.author, device: self.device, at, kind }
    }
}

/// A round's offer where it is applied: the applicant still queued and the place still open
/// beyond the offers holding it, the kindergarten among their choices (its rank among all of
/// them is what the history keeps), and a held offer replaced only by a better place. Every
/// check comes before the first write.
pub(crate) async fn make(tx: &mut sqlx::SqliteConnection, offer: &Offer, respond_by: NaiveDate, today: NaiveDate) -> Result<Offer, ApplyError> {
    let free: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM applications a, vacancies v WHERE a.id = ?1 AND a.status = 'queued' AND v.id = ?2 AND v.kindergarten = ?3
                          AND v.published_on <= ?4 AND v.open > (SELECT count(*) FROM offers WHERE vacancy = ?2 AND status = 'open'))",
    )
    .bind(offer.application.to_string())
    .bind(offer.vacancy.to_string())
    .bind(offer.kindergarten.to_string())
    .bind(crate::codec::date(today))
    .fetch_one(&mut *tx)
    .await?;
    if !free {
        return Err(RuleError::PlaceTaken.into());
    }
    let rank: Option<i64> = sqlx::query_scalar("SELECT rank FROM application_preferences WHERE application = ? AND kindergarten = ?")
        .bind(offer.application.to_string())
        .bind(offer.kindergarten.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    let Some(rank) = rank.map(|r| r.max(0) as usize) else {
        return Err(RuleError::PlaceDoesNotFit.into());
    };
    let held: Option<(i64, i64)> = sqlx::query_as(
        "SELECT o.id, p.rank FROM offers o JOIN vacancies v ON v.id = o.vacancy
         JOIN application_preferences p ON p.application = o.application AND p.kindergarten = v.kindergarten
         WHERE o.application = ? AND o.status = 'open'",
    )
    .bind(offer.application.to_string())
    .fetch_optional(&mut *tx)
    .await?;
    match offer::placing(rank, held.map(|(_, r)| r.max(0) as usize)) {
        // As good or better held now (written since the round read): nothing to offer.
        Placing::Keeps => return Err(RuleError::PlaceDoesNotFit.into()),
        Placing::New => {}
        Placing::Replaces => {
            sqlx::query("UPDATE offers SET status = ?, ended_on = ? WHERE id = ?")
                .bind(OfferEnding::Void.code())
                .bind(crate::codec::date(today))
                .bind(held.map(|(id, _)| id))
                .execute(&mut *tx)
                .await?;
        }
    }
    let offer = Offer { preference_rank: rank, ..offer.clone() };
    sqlx::query(
        "INSERT INTO offers (vacancy, application, number, position, preference_rank, ahead_not_offered, offered_on, respond_by, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')",
    )
    .bind(offer.vacancy.to_string())
    .bind(offer.application.to_string())
    .bind(&offer.number)
    .bind(offer.position as i64)
    .bind(offer.preference_rank as i64)
    .bind(offer.ahead_not_offered as i64)
    .bind(crate::codec::date(today))
    .bind(crate::codec::date(respond_by))
    .execute(&mut *tx)
    .await?;
    Ok(offer)
}

/// An open offer ended as the core decided.
pub(crate) async fn end(tx: &mut sqlx::SqliteConnection, application: ApplicationId, vacancy: VacancyId, ending: OfferEnding, today: NaiveDate) -> Result<(), ApplyError> {
    let ended = sqlx::query("UPDATE offers SET status = ?, ended_on = ? WHERE application = ? AND vacancy = ? AND status = 'open'")
        .bind(ending.code())
        .bind(crate::codec::date(today))
        .bind(application.to_string())
        .bind(vacancy.to_string())
        .execute(&mut *tx)
        .await?;
    if ended.rows_affected() == 0 {
        return Err(ApplyError::NotFound("offer"));
    }
    Ok(())
}

/// A new offer made by a round, for the notification the shell writes.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferNotice {
    pub offer: Offer,
    pub phone: String,
    pub kindergarten_kk: String,
    pub kindergarten_ru: String,
    pub respond_by: NaiveDate,
    /// The application's language of groups, for the parent's message.
    pub language: Language,
}

/// What a round did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Round {
    /// Offers whose 2 working days passed unused (the turn went to the next).
    pub passed: usize,
    pub offered: Vec<OfferNotice>,
}

impl Store {
    /// Offering: turns not taken in time pass; the places no offer holds are offered,
    /// strictly in queue order (`core::offer::offers`), to applicants who hold none — or who
    /// hold a worse-ranked one, which the better place replaces (its place then goes to the
    /// next in a following pass); each new offer's SMS is queued with it. Run on start,
    /// periodically, and after anything that frees or publishes a place. The heavy read
    /// happens outside the write transaction; each offer is written only if its place and its
    /// applicant are still free.
    pub async fn offer_round(
        &self,
        source: &CommandSource<'_>,
        now: chrono::DateTime<chrono::Utc>,
        rules: &QueueRules,
        notify: impl Fn(&OfferNotice) -> Vec<Notification>,
    ) -> Result<Round, StoreError> {
        let mut round = Round::default();
        // A replaced offer frees a place; a few passes settle it (each pass is in order).
        for _ in 0..3 {
            let replaced = self.offer_pass(source, now, rules, &notify, &mut round).await?;
            if replaced == 0 {
                break;
            }
        }
        Ok(round)
    }

    /// One pass of `offer_round`; returns how many offers a better place replaced.
    async fn offer_pass(
        &self,
        source: &CommandSource<'_>,
        now: chrono::DateTime<chrono::Utc>,
        rules: &QueueRules,
        notify: &impl Fn(&OfferNotice) -> Vec<Notification>,
        round: &mut Round,
    ) -> Result<usize, StoreError> {
        let today = baqsha_core::command::desk_date(now);
        {
            let _writer = self.writer.lock().await;
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            // Each open offer with the facts that can end it; the core says which end.
            let open: Vec<(String, String, String, bool, bool)> = sqlx::query_as(
                "SELECT o.application, o.vacancy, o.respond_by,
                        EXISTS (SELECT 1 FROM applications a WHERE a.id = o.application AND a.status = 'queued'),
                        EXISTS (SELECT 1 FROM vacancies v JOIN application_preferences p ON p.kindergarten = v.kindergarten
                                WHERE v.id = o.vacancy AND p.application = o.application)
                 FROM offers o WHERE o.status = 'open'",
            )
            .fetch_all(&mut *tx)
            .await?;
            for (application, vacancy, respond_by, queued, names_kindergarten) in open {
                let held = HeldOffer { respond_by: crate::codec::day(&respond_by)?, queued, names_kindergarten };
                let Some(ending) = offer::ending(&held, today) else { continue };
                if ending == OfferEnding::Passed {
                    round.passed += 1;
                }
                let (application, vacancy) = (ApplicationId(crate::codec::uuid(&application)?), VacancyId(crate::codec::uuid(&vacancy)?));
                let cmd = source.command(now, CommandKind::EndOffer { application, vacancy, ending });
                crate::apply::apply_in(&mut tx, &cmd, &mut None).await.map_err(|e| match e {
                    ApplyError::Store(e) => e,
                    other => StoreError::Decode { what: "offer ending", detail: other.to_string() },
                })?;
            }
            // A stop-list entry past its last day is forgotten.
            let stops: Vec<(String, String)> = sqlx::query_as("SELECT application, until FROM stop_list").fetch_all(&mut *tx).await?;
            for (application, until) in stops {
                if !offer::stopped(crate::codec::day(&until)?, today) {
                    sqlx::query("DELETE FROM stop_list WHERE application = ?").bind(application).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            self.wrote_outbox();
        }
        // Places not held by an open offer.
        let held: HashMap<String, i64> =
            sqlx::query_as::<_, (String, i64)>("SELECT vacancy, count(*) FROM offers WHERE status = 'open' GROUP BY vacancy").fetch_all(&self.pool).await?.into_iter().collect();
        // Publications dated later wait for their day.
        let published: HashSet<String> =
            sqlx::query_scalar("SELECT id FROM vacancies WHERE open > 0 AND published_on <= ?").bind(crate::codec::date(today)).fetch_all(&self.pool).await?.into_iter().collect();
        let all_open: Vec<OpenPlaces> = self.open_places().await?.into_iter().filter(|p| published.contains(&p.vacancy.to_string())).collect();
        let places: Vec<OpenPlaces> = all_open
            .iter()
            .map(|p| {
                let h = held.get(&p.vacancy.to_string()).copied().unwrap_or(0);
                OpenPlaces { open: (i64::from(p.open) - h).max(0) as u32, ..p.clone() }
            })
            .filter(|p| p.open > 0)
            .collect();
        if places.is_empty() {
            self.mark_rounded(&all_open).await?;
            return Ok(0);
        }
        let queues = self.round_queues(&places, today, rules).await?;
        let (offers, _) = baqsha_core::offer::offers(&places, &queues);
        if offers.is_empty() {
            self.mark_rounded(&all_open).await?;
            return Ok(0);
        }
        let mut replaced = 0;
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let respond_by = offer::respond_by(&crate::referrals::calendar(&mut tx).await?, &baqsha_core::calendar::ReferralRules::default(), today)
            .map_err(|e| StoreError::Decode { what: "calendar", detail: e.to_string() })?;
        // The chain's head is carried along the round (a refused offer leaves it as it was).
        let mut head = None;
        for offer in offers {
            let application = offer.application;
            let held_before: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM offers WHERE application = ? AND status = 'open')").bind(application.to_string()).fetch_one(&mut *tx).await?;
            // Each offer is its own command, checked again as it is written (a referral or
            // another round may have come between): one no longer free is left out.
            let cmd = source.command(now, CommandKind::MakeOffer { offer, respond_by });
            let mut one = (*tx).begin().await?;
            match crate::apply::apply_in(&mut one, &cmd, &mut head).await {
                Ok(_) => one.commit().await?,
                Err(ApplyError::Rule(_)) => {
                    one.rollback().await?;
                    continue;
                }
                Err(ApplyError::Store(e)) => return Err(e),
                Err(e) => return Err(StoreError::Decode { what: "offer", detail: e.to_string() }),
            }
            if held_before {
                replaced += 1;
            }
            let (rank, phone, kindergarten_kk, kindergarten_ru, language): (i64, String, String, String, String) = sqlx::query_as(
                "SELECT o.preference_rank, a.phone, k.name_kk, k.name_ru, a.language
                 FROM offers o JOIN applications a ON a.id = o.application JOIN vacancies v ON v.id = o.vacancy JOIN kindergartens k ON k.id = v.kindergarten
                 WHERE o.application = ? AND o.status = 'open'",
            )
            .bind(application.to_string())
            .fetch_one(&mut *tx)
            .await?;
            let CommandKind::MakeOffer { offer, .. } = cmd.kind else { continue };
            let offer = Offer { preference_rank: rank.max(0) as usize, ..offer };
            let language = crate::codec::code("language", &language, Language::from_code)?;
            let notice = OfferNotice { offer, phone, kindergarten_kk, kindergarten_ru, respond_by, language };
            for n in notify(&notice) {
                crate::messages::insert_message(&mut tx, &n, now).await?;
            }
            round.offered.push(notice);
        }
        mark_rounded_in(&mut tx, &all_open).await?;
        tx.commit().await?;
        self.wrote_outbox();
        Ok(replaced)
    }

    async fn mark_rounded(&self, places: &[OpenPlaces]) -> Result<(), StoreError> {
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        mark_rounded_in(&mut tx, places).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What this application may take now: the place offered to it, and other open places of
    /// its kindergartens that fit it and no one else holds. Empty when its turn has not come.
    pub async fn choices(&self, application: ApplicationId, today: NaiveDate) -> Result<Vec<PlaceChoice>, StoreError> {
        let Some((offered, respond_by)) = sqlx::query_as::<_, (String, String)>("SELECT vacancy, respond_by FROM offers WHERE application = ? AND status = 'open'")
            .bind(application.to_string())
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(vec![]);
        };
        let app = self.application(application).await?;
        let age = age_for_groups(app.child.birth_date(), today, &QueueRules::default());
        let rows = sqlx::query(
            "SELECT v.id, v.kindergarten, v.grp, v.published_on, g.name, g.age_from, g.age_to, g.language, k.name_kk, k.name_ru, k.address_kk, k.address_ru,
                    v.open - (SELECT count(*) FROM offers o WHERE o.vacancy = v.id AND o.status = 'open' AND o.application <> ?1) AS free,
                    v.open <= coalesce(v.rounded_open, -1) AS rounded
             FROM application_preferences p JOIN vacancies v ON v.kindergarten = p.kindergarten AND v.open > 0 AND v.published_on <= ?2
                  JOIN groups g ON g.id = v.grp JOIN kindergartens k ON k.id = v.kindergarten
             WHERE p.application = ?1 ORDER BY p.rank, v.published_on, v.id",
        )
        .bind(application.to_string())
        .bind(crate::codec::date(today))
        .fetch_all(&self.pool)
        .await?;
        let mut out = vec![];
        for r in &rows {
            let vacancy: String = r.try_get("id")?;
            let age_band = AgeBand { from_years: r.try_get::<i64, _>("age_from")? as u8, to_years: r.try_get::<i64, _>("age_to")? as u8 };
            let language = crate::codec::code("language", r.try_get::<&str, _>("language")?, Language::from_code)?;
            let is_offered = vacancy == offered;
            // Another open place: only once a round has seen it and left it to nobody.
            if !is_offered && r.try_get::<i64, _>("rounded")? == 0 {
                continue;
            }
            if r.try_get::<i64, _>("free")? <= 0 || !age_band.contains(age) || !language.suits(app.language) {
                continue;
            }
            out.push(PlaceChoice {
                vacancy: VacancyId(crate::codec::uuid(&vacancy)?),
                kindergarten: KindergartenId(crate::codec::uuid(r.try_get("kindergarten")?)?),
                group: GroupId(crate::codec::uuid(r.try_get("grp")?)?),
                kindergarten_name: crate::codec::names(r, "name_kk", "name_ru", None)?,
                address: crate::codec::names(r, "address_kk", "address_ru", None)?,
                group_name: r.try_get("name")?,
                age: age_band,
                language,
                offered: is_offered,
                respond_by: crate::codec::day(&respond_by)?,
                lease: None,
            });
        }
        Ok(out)
    }
}
