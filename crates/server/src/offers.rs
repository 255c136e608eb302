//! Offer rounds over the whole region's queue: the core's `offer::offers` fed from the
//! server's data. One round runs at a time in the region (a transaction-scoped advisory lock,
//! so two server processes take turns); each offer is written only if its place and its
//! applicant are still free when it is written (a referral may have come in between).

use crate::push::Pending;
use crate::{Server, ServerError};
use baqsha_core::offer::{self, Candidate, HeldOffer, Holding, Offer, OfferEnding, OpenPlaces, Placing, Standing};
use baqsha_core::queue::{age_for_groups, explain, QueueRules, TierCounts};
use baqsha_core::*;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool, Postgres, Row};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The advisory lock key of the region's offer round. A round's transactions take it alone;
/// each pushed command's transaction takes it shared before anything else (`beside_rounds`),
/// so no decision interleaves with a pass: the queue a pass read is the queue its offers are
/// written against, without locking thousands of applications.
const ROUND_LOCK: i64 = 0x0062_6171_7368_6101;

/// Waits for a running pass of the round; called first in a command's transaction.
pub(crate) async fn beside_rounds(tx: &mut PgConnection) -> Result<(), ServerError> {
    sqlx::query("SELECT pg_advisory_xact_lock_shared($1)").bind(ROUND_LOCK).execute(&mut *tx).await?;
    Ok(())
}

/// The connections a pass reads the queue on besides its own transaction, taken before the
/// round locks anything: commands waiting for a pass hold pool connections, and a pass must
/// never wait for one of theirs.
struct Readers {
    standing: PoolConnection<Postgres>,
    /// Each walks half the queue's categories in a task of its own, and comes back.
    halves: Vec<PoolConnection<Postgres>>,
}

impl Readers {
    async fn take(pool: &PgPool) -> Result<Readers, ServerError> {
        Ok(Readers { standing: pool.acquire().await?, halves: vec![pool.acquire().await?, pool.acquire().await?] })
    }
}

/// What a round did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Round {
    /// Turns not taken in time: passed to the next.
    pub passed: usize,
    /// Offers ended because their applicant left the queue or no longer names the place.
    pub void: usize,
    pub offered: Vec<Offer>,
    /// Leases that lapsed, their unused places back in the region.
    pub leases_ended: usize,
    /// Referrals not used by their last day: the places back in the region.
    pub referrals_expired: usize,
}

pub(crate) async fn offer_change(tx: &mut PgConnection, id: Uuid) -> Result<Pending, ServerError> {
    let r = sqlx::query("SELECT body, district, kindergartens FROM offers WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    Ok(Pending { entity: "offer", id, district: r.try_get("district")?, kindergartens: r.try_get("kindergartens")?, body: Some(r.try_get("body")?) })
}

impl Server {
    /// One region-wide round at `now`: lapsed leases end, turns not taken in time pass, and
    /// the places no offer holds are offered strictly in queue order. A better place replaces
    /// a worse one held (its place goes to the next in a following pass).
    pub async fn offer_round(&self, now: DateTime<Utc>) -> Result<Round, ServerError> {
        let today = baqsha_core::command::desk_date(now);
        let rules = QueueRules::default();
        let mut readers = Readers::take(&self.pool).await?;
        // What ends comes first, committed, so the offering reads see it.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(ROUND_LOCK).execute(&mut *tx).await?;
        let mut changes = vec![];
        let mut round = Round { leases_ended: crate::leases::end_lapsed(&mut tx, now, &mut changes).await?, ..Round::default() };
        round.referrals_expired = crate::referrals::expire_lapsed(&mut tx, now, &mut changes).await?;
        end_offers(&mut tx, today, &mut round, &mut changes).await?;
        // A stop-list entry holds through its last day (`offer::stopped`).
        let stops: Vec<(Uuid, NaiveDate)> = sqlx::query_as("SELECT application, until FROM stop_list").fetch_all(&mut *tx).await?;
        let over: Vec<Uuid> = stops.into_iter().filter(|(_, until)| !offer::stopped(*until, today)).map(|(a, _)| a).collect();
        sqlx::query("DELETE FROM stop_list WHERE application = ANY($1)").bind(&over).execute(&mut *tx).await?;
        crate::pull::append(&mut tx, &changes).await?;
        tx.commit().await?;
        // A replaced offer frees a place; a few passes settle it (each pass is in order).
        for _ in 0..3 {
            let mut tx = self.pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(ROUND_LOCK).execute(&mut *tx).await?;
            // A pass writes its thousands of rows each from one array parameter, which
            // PostgreSQL holds in memory while it reads it (on disk past the default 4 MB).
            sqlx::query("SET LOCAL work_mem = '64MB'").execute(&mut *tx).await?;
            let mut changes = vec![];
            let replaced = pass(&mut readers, &mut tx, now, today, &rules, &mut round, &mut changes).await?;
            crate::pull::append(&mut tx, &changes).await?;
            tx.commit().await?;
            if replaced == 0 {
                break;
            }
        }
        Ok(round)
    }
}

/// Open offers whose turn passed or whose applicant no longer wants or waits for them.
async fn end_offers(tx: &mut PgConnection, today: NaiveDate, round: &mut Round, changes: &mut Vec<Pending>) -> Result<(), ServerError> {
    let open = sqlx::query(
        "SELECT o.id, o.respond_by, a.status = 'queued' AS queued, v.kindergarten = ANY(a.kindergartens) AS names
         FROM offers o JOIN applications a ON a.id = o.application JOIN vacancies v ON v.id = o.vacancy WHERE o.status = 'open'",
    )
    .fetch_all(&mut *tx)
    .await?;
    for r in open {
        let held = HeldOffer { respond_by: r.try_get("respond_by")?, queued: r.try_get("queued")?, names_kindergarten: r.try_get("names")? };
        let Some(ending) = offer::ending(&held, today) else { continue };
        match ending {
            OfferEnding::Passed => round.passed += 1,
            OfferEnding::Void => round.void += 1,
        }
        let id: Uuid = r.try_get("id")?;
        end(tx, id, ending, today).await?;
        changes.push(offer_change(tx, id).await?);
    }
    Ok(())
}

async fn end(tx: &mut PgConnection, id: Uuid, ending: OfferEnding, today: NaiveDate) -> Result<(), ServerError> {
    sqlx::query("UPDATE offers SET status = $2, ended_on = $3, body = body || jsonb_build_object('status', $2::text) WHERE id = $1")
        .bind(id)
        .bind(ending.code())
        .bind(today)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// One pass; returns how many held offers a better place replaced. A pass that offered
/// writes its changes to the log itself (made ready beside its last writes).
async fn pass(
    readers: &mut Readers,
    tx: &mut PgConnection,
    now: DateTime<Utc>,
    today: NaiveDate,
    rules: &QueueRules,
    round: &mut Round,
    changes: &mut Vec<Pending>,
) -> Result<usize, ServerError> {
    // Published places not held by an open offer (publications dated later wait for their
    // day), locked for the round: a referral for one of them waits until the offers are
    // written, and then sees them. Each place's group is looked up by its key (a join let
    // PostgreSQL read every group of the region).
    let rows = sqlx::query(
        "SELECT v.id, v.kindergarten, v.grp, v.open, g.age, g.language, coalesce(h.n, 0) AS held
         FROM (SELECT id, kindergarten, grp, open, published_on FROM vacancies WHERE open > 0 AND published_on <= $1 FOR UPDATE) v
              CROSS JOIN LATERAL (SELECT body->'age' AS age, body->>'language' AS language FROM groups WHERE id = v.grp) g
              LEFT JOIN (SELECT vacancy, count(*) AS n FROM offers WHERE status = 'open' GROUP BY vacancy) h ON h.vacancy = v.id
         ORDER BY v.published_on, v.id",
    )
    .bind(today)
    .fetch_all(&mut *tx)
    .await?;
    let mut considered = vec![];
    let mut places = vec![];
    for r in &rows {
        let open = r.try_get::<i32, _>("open")?.max(0) as u32;
        let held = r.try_get::<i64, _>("held")?.max(0) as u32;
        let language: String = r.try_get("language")?;
        let p = OpenPlaces {
            vacancy: VacancyId(r.try_get("id")?),
            kindergarten: KindergartenId(r.try_get("kindergarten")?),
            group: GroupId(r.try_get("grp")?),
            age: serde_json::from_value(r.try_get("age")?).map_err(|e| ServerError::Decode { what: "age band", detail: e.to_string() })?,
            language: Language::from_code(&language).ok_or(ServerError::Decode { what: "language", detail: language })?,
            open: open.saturating_sub(held),
        };
        considered.push(p.vacancy.0);
        if p.open > 0 {
            places.push(p);
        }
    }
    let mut replaced = 0;
    let mut logged = None;
    if !places.is_empty() {
        let queues = queues(readers, &places, today, rules).await?;
        let (offers, _) = offer::offers(&places, &queues);
        let respond_by = offer::respond_by(&crate::places::calendar(tx).await?, &baqsha_core::calendar::ReferralRules::default(), today)
            .map_err(|e| ServerError::Decode { what: "calendar", detail: e.to_string() })?;
        let (kept, replacing) = write(tx, offers, today, respond_by, changes).await?;
        replaced = replacing;
        // The parents' messages are made on a thread of their own while the history is written.
        let sms: Vec<crate::notices::OfferSms> = kept.iter().map(|k| crate::notices::OfferSms::of(k, respond_by)).collect();
        let names = crate::notices::kindergarten_names(tx, &sms).await?;
        let texts = tokio::task::spawn_blocking(move || crate::notices::offer_texts(sms, &names, respond_by));
        let lines: Vec<crate::history::ScopedLine> = kept
            .iter()
            .map(|k| crate::history::ScopedLine {
                application: k.offer.application.0,
                district: &k.district,
                kindergartens: &k.kindergartens,
                kind: "make_offer",
                // The offer itself travels as its own change: the line names it and what the
                // parent is told.
                detail: serde_json::json!({
                    "offer": k.id,
                    "kindergarten": k.offer.kindergarten,
                    "position": k.offer.position,
                    "respond_by": respond_by,
                }),
            })
            .collect();
        crate::history::of_server_scoped(tx, &lines, now, changes).await?;
        // Nothing of this pass changes after its history: the change log's rows are made
        // ready on a thread of their own while the messages are queued, and written last.
        let taken = std::mem::take(changes);
        logged = Some(tokio::task::spawn_blocking(move || crate::pull::rows(&taken)));
        let texts = texts.await.map_err(|e| ServerError::Stopped(format!("the offers' messages: {e}")))?;
        crate::notices::queue_offers(tx, &texts, now).await?;
        round.offered.extend(kept.into_iter().map(|k| k.offer));
    }
    sqlx::query("UPDATE vacancies SET rounded_open = open WHERE id = ANY($1)").bind(&considered).execute(&mut *tx).await?;
    if let Some(rows) = logged {
        let rows = rows.await.map_err(|e| ServerError::Stopped(format!("the round's change log: {e}")))?;
        crate::pull::append_rows(tx, &rows).await?;
    }
    Ok(replaced)
}

/// Each category's queue (queued applications naming a kindergarten with a place), in
/// queue order with the positions «Өтініштер кезегі» shows, narrowed by what each holds and
/// has let pass.
async fn queues(readers: &mut Readers, places: &[OpenPlaces], today: NaiveDate, rules: &QueueRules) -> Result<Vec<Vec<Candidate>>, ServerError> {
    let kindergartens: Vec<Uuid> = places.iter().map(|p| p.kindergarten.0).collect::<HashSet<_>>().into_iter().collect();
    let vacancies: Vec<Uuid> = places.iter().map(|p| p.vacancy.0).collect();
    // Three reads at once on their own connections (the round's transaction holds only the
    // places' locks): the region's queue in order, ranked in its tiers (everyone active before
    // counts, referred ones too, as on the desk's queue) and kept to those naming a
    // kindergarten with a place; the tiers' sizes; what each holds or has let pass. The queue
    // is one index read, built into candidates as its rows arrive.
    // The queue is walked in two halves of its categories at once: each is its own ranks and
    // tiers, and PostgreSQL walks each on a core of its own.
    let (first, last): (Option<i32>, Option<i32>) =
        sqlx::query_as("SELECT min(category), max(category) FROM applications WHERE status IN ('queued', 'referred')").fetch_one(&mut *readers.standing).await?;
    let (first, last) = (first.unwrap_or(0), last.unwrap_or(0));
    let middle = first + (last - first) / 2;
    let (Some(other), Some(one)) = (readers.halves.pop(), readers.halves.pop()) else {
        return Err(ServerError::Stopped("the round's queue readers were lost".into()));
    };
    let standing = standings(&mut readers.standing, &vacancies);
    let half = |mut c: PoolConnection<Postgres>, categories| {
        let (kindergartens, rules) = (kindergartens.clone(), *rules);
        async move {
            tokio::spawn(async move { wanted(&mut c, &kindergartens, categories, today, &rules).await.map(|walked| (c, walked)) })
                .await
                .map_err(|e| ServerError::Stopped(e.to_string()))?
        }
    };
    let (mut standing, (one, (mut rows, mut counts)), (other, (more_rows, more_counts))) = tokio::try_join!(standing, half(one, (first, middle)), half(other, (middle + 1, last)))?;
    readers.halves = vec![one, other];
    rows.extend(more_rows);
    counts.extend(more_counts);
    let mut by_category: HashMap<i32, Vec<Candidate>> = HashMap::new();
    for (category, tier, rank, c) in rows {
        let position = explain(tier, rank, counts.get(&category).copied().unwrap_or_default(), rules).position;
        let s = standing.remove(&c.application.0).unwrap_or_default();
        by_category.entry(category).or_default().push(offer::narrow(Candidate { position, ..c }, s));
    }
    let mut categories: Vec<_> = by_category.into_iter().collect();
    categories.sort_unstable_by_key(|(c, _)| *c);
    Ok(categories
        .into_iter()
        .map(|(_, mut q)| {
            q.sort_unstable_by_key(|c| c.position);
            q
        })
        .collect())
}

/// The region's active queue (queued and referred) in order, from one index, each row
/// saying whether it is wanted — queued and naming one of the kindergartens in `$1` — and
/// carrying a candidate's columns only then. The ranks in each tier and the tiers' sizes are
/// counted as the rows go by (a window function over half a million rows cost more than the
/// walk). Each preference is looked up in the list on its own (a hash lookup) rather than the
/// list joined with the choices table; a list longer than any setting allows is still tested
/// whole. The ORDER BY keeps the subquery whole, so the test runs once per row.
fn wanted_query() -> String {
    let most = baqsha_core::command::MOST_PREFERENCES;
    let named: Vec<String> = (1..=most).map(|i| format!("kindergartens[{i}] = ANY($1)")).collect();
    format!(
        "SELECT category, tier, CASE WHEN w THEN id END, CASE WHEN w THEN child_iin END, CASE WHEN w THEN kindergartens END, CASE WHEN w THEN language END
         FROM (SELECT category, tier, id, child_iin, kindergartens, language,
                      status = 'queued' AND ({} OR (cardinality(kindergartens) > {most} AND kindergartens && $1)) AS w
               FROM applications WHERE status IN ('queued', 'referred') AND category BETWEEN $2 AND $3
               ORDER BY category, tier, registered_at, number) r",
        named.join(" OR "),
    )
}

/// The queued of the categories from `categories.0` to `categories.1` who name one of
/// `kindergartens`, each with its category, tier and rank in the tier, and each category's
/// tier sizes. Streamed: a row becomes a candidate while the next are read.
#[allow(clippy::type_complexity)]
async fn wanted(
    c: &mut PgConnection,
    kindergartens: &[Uuid],
    categories: (i32, i32),
    today: NaiveDate,
    rules: &QueueRules,
) -> Result<(Vec<(i32, BenefitTier, u64, Candidate)>, HashMap<i32, TierCounts>), ServerError> {
    use futures_util::TryStreamExt;
    // The naming test is a hash lookup per preference only while the list is a constant of
    // the plan: a generic plan would compare each preference with the whole list.
    sqlx::query("SET plan_cache_mode = force_custom_plan").execute(&mut *c).await?;
    let mut out = Vec::new();
    let mut counts: HashMap<i32, TierCounts> = HashMap::new();
    let read = async {
        let query = wanted_query();
        let mut rows = sqlx::query(&query).bind(kindergartens).bind(categories.0).bind(categories.1).fetch(&mut *c);
        // The tier being walked, and how many of it went by.
        let mut at: Option<(i32, String)> = None;
        let mut rank = 0u64;
        let mut tier = BenefitTier::General;
        while let Some(r) = rows.try_next().await? {
            let category: i32 = r.try_get(0)?;
            let tier_code: &str = r.try_get(1)?;
            if at.as_ref().is_none_or(|(c, t)| *c != category || t != tier_code) {
                if let Some((c, _)) = at.take() {
                    set(counts.entry(c).or_default(), tier, rank);
                }
                tier = BenefitTier::from_code(tier_code).ok_or_else(|| ServerError::Decode { what: "tier", detail: tier_code.to_string() })?;
                at = Some((category, tier_code.to_string()));
                rank = 0;
            }
            let ranked = rank;
            rank += 1;
            let Some(id) = r.try_get::<Option<Uuid>, _>(2)? else { continue };
            let iin: &str = r.try_get(3)?;
            let birth = Iin::parse(iin).map_err(|e| ServerError::Decode { what: "IIN", detail: format!("{iin}: {e:?}") })?.birth_date();
            let language: &str = r.try_get(5)?;
            let candidate = Candidate {
                application: ApplicationId(id),
                // Read for the few offered, when their offers are written.
                number: String::new(),
                // Placed by the caller, once the tiers' sizes are known.
                position: 0,
                age: age_for_groups(birth, today, rules),
                preferences: r.try_get::<Vec<Uuid>, _>(4)?.into_iter().map(KindergartenId).collect(),
                language: Language::from_code(language).ok_or_else(|| ServerError::Decode { what: "language", detail: language.to_string() })?,
                passed: false,
                passed_places: vec![],
            };
            out.push((category, tier, ranked, candidate));
        }
        if let Some((c, _)) = at {
            set(counts.entry(c).or_default(), tier, rank);
        }
        Ok::<_, ServerError>(())
    };
    let read = read.await;
    sqlx::query("RESET plan_cache_mode").execute(&mut *c).await?;
    read?;
    Ok((out, counts))
}

fn set(counts: &mut TierCounts, tier: BenefitTier, n: u64) {
    match tier {
        BenefitTier::OutOfTurn => counts.out_of_turn = n,
        BenefitTier::Priority => counts.priority = n,
        BenefitTier::General => counts.general = n,
    }
}

/// Who holds an offer (offered only a place they prefer to it) and which of these places
/// each let pass (a turn not taken, a referral refused or let expire).
async fn standings(tx: &mut PgConnection, vacancies: &[Uuid]) -> Result<HashMap<Uuid, Standing>, ServerError> {
    let mut out: HashMap<Uuid, Standing> = HashMap::new();
    for r in sqlx::query(
        "SELECT o.application, array_position(a.kindergartens, v.kindergarten) AS rank, a.kindergartens
         FROM offers o JOIN applications a ON a.id = o.application JOIN vacancies v ON v.id = o.vacancy WHERE o.status = 'open'",
    )
    .fetch_all(&mut *tx)
    .await?
    {
        let kindergartens: Vec<Uuid> = r.try_get("kindergartens")?;
        // array_position is 1-based; a held place no longer named ranks last.
        let rank = r.try_get::<Option<i32>, _>("rank")?.map_or(kindergartens.len(), |p| (p - 1).max(0) as usize);
        let ranks = kindergartens.iter().enumerate().map(|(i, k)| (KindergartenId(*k), i)).collect();
        out.entry(r.try_get("application")?).or_default().holding = Some(Holding { rank, ranks });
    }
    for r in sqlx::query(
        "SELECT application, vacancy FROM offers WHERE vacancy = ANY($1) AND status = 'passed'
         UNION SELECT application, vacancy FROM referrals WHERE vacancy = ANY($1) AND status IN ('expired', 'refused')",
    )
    .bind(vacancies)
    .fetch_all(&mut *tx)
    .await?
    {
        out.entry(r.try_get("application")?).or_default().let_pass.push(VacancyId(r.try_get("vacancy")?));
    }
    // On the stop-list after a refusal (entries past their last day are forgotten by the
    // round's first transaction).
    for application in sqlx::query_scalar::<_, Uuid>("SELECT application FROM stop_list").fetch_all(&mut *tx).await? {
        out.entry(application).or_default().stopped = true;
    }
    Ok(out)
}

/// An offer as written, with what the parent's message needs.
pub(crate) struct Kept {
    pub id: Uuid,
    pub offer: Offer,
    pub phone: String,
    pub language: Language,
    /// Who sees the application (as the round read it).
    pub district: Option<String>,
    pub kindergartens: Vec<Uuid>,
}

/// An applicant of the round as the offer's writing needs them (no command changes them
/// while a pass runs: see `ROUND_LOCK`).
struct Applicant {
    status: String,
    kindergartens: Vec<Uuid>,
    district: Option<String>,
    language: String,
    phone: String,
    number: String,
}

/// An offer about to be written, with who may see it.
struct NewOffer {
    id: Uuid,
    offer: Offer,
    district: Option<String>,
    kindergartens: Vec<Uuid>,
    body: serde_json::Value,
}

/// Writes the round's offers whose applicants are queued and name the kindergarten (no
/// command runs during a pass, so the walk saw the same; checked again all the same), and
/// any offer they hold a worse one (it is void; its place goes to the next in a following
/// pass). A handful of statements for the whole round.
/// Returns the offers kept and how many replaced one.
async fn write(tx: &mut PgConnection, offers: Vec<Offer>, today: NaiveDate, respond_by: NaiveDate, changes: &mut Vec<Pending>) -> Result<(Vec<Kept>, usize), ServerError> {
    let ids: Vec<Uuid> = offers.iter().map(|o| o.application.0).collect();
    let mut applicants: HashMap<Uuid, Applicant> = HashMap::new();
    for r in sqlx::query("SELECT id, status, kindergartens, district, language, body->'contacts'->>'phone' AS phone, number FROM applications WHERE id = ANY($1)")
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await?
    {
        applicants.insert(
            r.try_get("id")?,
            Applicant {
                status: r.try_get("status")?,
                kindergartens: r.try_get("kindergartens")?,
                district: r.try_get("district")?,
                language: r.try_get("language")?,
                phone: r.try_get("phone")?,
                number: r.try_get("number")?,
            },
        );
    }
    let held: HashMap<Uuid, (Uuid, Uuid)> = sqlx::query_as::<_, (Uuid, Uuid, Uuid)>(
        "SELECT o.application, o.id, v.kindergarten FROM offers o JOIN vacancies v ON v.id = o.vacancy WHERE o.application = ANY($1) AND o.status = 'open'",
    )
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|(a, o, k)| (a, (o, k)))
    .collect();
    let mut kept = vec![];
    let mut void = vec![];
    let mut rows: Vec<NewOffer> = Vec::with_capacity(offers.len());
    for o in offers {
        let Some(Applicant { status, kindergartens, district, language, phone, number }) = applicants.get(&o.application.0) else { continue };
        let Some(rank) = kindergartens.iter().position(|k| *k == o.kindergarten.0) else { continue };
        if status != ApplicationStatus::Queued.code() {
            continue;
        }
        let held_here = held.get(&o.application.0);
        let held_rank = held_here.map(|(_, k)| kindergartens.iter().position(|x| x == k).unwrap_or(kindergartens.len()));
        match offer::placing(rank, held_rank) {
            Placing::Keeps => continue,
            Placing::New => {}
            Placing::Replaces => void.extend(held_here.map(|(id, _)| *id)),
        }
        let offer = Offer { preference_rank: rank, number: number.clone(), ..o };
        let mut body = crate::decide::json(&offer)?;
        if let Some(m) = body.as_object_mut() {
            m.insert("offered_on".into(), serde_json::json!(today));
            m.insert("respond_by".into(), serde_json::json!(respond_by));
            m.insert("status".into(), serde_json::json!("open"));
        }
        let language = Language::from_code(language).ok_or(ServerError::Decode { what: "language", detail: language.clone() })?;
        let id = Uuid::now_v7();
        kept.push(Kept { id, offer: offer.clone(), phone: phone.clone(), language, district: district.clone(), kindergartens: kindergartens.clone() });
        rows.push(NewOffer { id, offer, district: district.clone(), kindergartens: kindergartens.clone(), body });
    }
    for r in sqlx::query("UPDATE offers SET status = 'void', ended_on = $2, body = body || '{\"status\":\"void\"}' WHERE id = ANY($1) RETURNING id, body, district, kindergartens")
        .bind(&void)
        .bind(today)
        .fetch_all(&mut *tx)
        .await?
    {
        changes.push(Pending {
            entity: "offer",
            id: r.try_get("id")?,
            district: r.try_get("district")?,
            kindergartens: r.try_get("kindergartens")?,
            body: Some(r.try_get("body")?),
        });
    }
    let id: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let application: Vec<Uuid> = rows.iter().map(|r| r.offer.application.0).collect();
    let vacancy: Vec<Uuid> = rows.iter().map(|r| r.offer.vacancy.0).collect();
    let district: Vec<Option<String>> = rows.iter().map(|r| r.district.clone()).collect();
    let named: Vec<String> = rows.iter().map(|r| format!("{{{}}}", r.kindergartens.iter().map(Uuid::to_string).collect::<Vec<_>>().join(","))).collect();
    // Each body is moved to the insert and then to the change log, never copied.
    let body: Vec<serde_json::Value> = rows.iter_mut().map(|r| std::mem::take(&mut r.body)).collect();
    sqlx::query(
        "INSERT INTO offers (id, application, vacancy, district, kindergartens, status, offered_on, respond_by, body)
         SELECT i, a, v, d, k::uuid[], 'open', $6, $7, b FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $8::jsonb[]) AS t(i, a, v, d, k, b)",
    )
    .bind(&id)
    .bind(&application)
    .bind(&vacancy)
    .bind(&district)
    .bind(&named)
    .bind(today)
    .bind(respond_by)
    .bind(&body)
    .execute(&mut *tx)
    .await?;
    for (r, body) in rows.into_iter().zip(body) {
        changes.push(Pending { entity: "offer", id: r.id, district: r.district, kindergartens: r.kindergartens, body: Some(body) });
    }
    Ok((kept, void.len()))
}
