//! `baqsha-bench [--db PATH] [--fresh]`: builds (once) the national dataset — 12,000
//! kindergartens, 500,000 applications, every one written as a command with its history
//! entry and outbox row — then times registry queries the way the UI asks them.

use baqsha_api::{QueueQuery, RegistryQuery, RegistrySort};
use baqsha_core::codes;
use baqsha_core::command::{Command, CommandKind, ContactConfirmation};
use baqsha_core::queue::{QueueRules, TierCounts};
use baqsha_core::roles::{Operator, Role};
use baqsha_core::{ApplicationId, ApplicationStatus, BenefitTier, Category, Iin, Sex};
use baqsha_core::{DeviceId, Language, OperatorId};
use baqsha_demo::{generate, Scale, DEMO_SEED};
use baqsha_store::Store;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use uuid::Uuid;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn system() -> Operator {
    Operator { id: OperatorId(Uuid::nil()), login: "bench".into(), full_name: "bench".into(), role: Role::RegionalAdmin, kindergarten: None }
}

async fn build(path: &std::path::Path) -> Res<Store> {
    let t = Instant::now();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).ok_or("date")?;
    let region = generate(Scale::National, DEMO_SEED, today);
    println!("generated {} kindergartens, {} groups, {} applications in {:.1?}", region.kindergartens.len(), region.groups.len(), region.applications.len(), t.elapsed());
    let store = Store::open(path).await?;
    store.save_districts(&region.districts).await?;
    let device = DeviceId(store.device_id().await?);
    let cmd = |at, kind| Command { id: Uuid::now_v7(), author: system().id, device, at, kind };
    let now = chrono::Utc::now();
    let t = Instant::now();
    let mut batch = Vec::new();
    for k in &region.kindergartens {
        batch.push(cmd(now, CommandKind::SaveKindergarten { kindergarten: k.clone() }));
    }
    for g in &region.groups {
        batch.push(cmd(now, CommandKind::SaveGroup { group: g.clone() }));
    }
    store.apply_all(&system(), &batch).await?;
    println!("registry imported as {} commands in {:.1?}", batch.len(), t.elapsed());
    let t = Instant::now();
    for chunk in region.applications.chunks(20_000) {
        let batch: Vec<Command> = chunk.iter().map(|a| cmd(a.registered_at, CommandKind::RegisterApplication { application: Box::new(a.clone()), confirmation: None })).collect();
        store.apply_all(&system(), &batch).await?;
    }
    println!("{} applications imported as commands in {:.1?}", region.applications.len(), t.elapsed());
    store.set_meta("bench_complete", "1").await?;
    Ok(store)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .iter()
        .position(|a| a == "--db")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/baqsha/national.sqlite"));
    if args.iter().any(|a| a == "--fresh") {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
        }
    }
    let store = match Store::open(&path).await {
        Ok(s) if s.meta("bench_complete").await?.is_some() => s,
        Ok(s) => {
            s.close().await;
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
            }
            build(&path).await?
        }
        Err(e) => return Err(e.into()),
    };
    println!(
        "dataset: {} kindergartens, {} applications, {} history entries ({})",
        store.kindergarten_count().await?,
        store.application_count().await?,
        store.history_len().await?,
        path.display()
    );
    // `--only offers` (or another section's name) runs one section while iterating.
    if let Some(only) = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)) {
        return match only.as_str() {
            "offers" => offers(&store).await,
            "referrals" => referrals(&store).await,
            "statistics" => {
                past_referrals(&path, &store).await?;
                statistics(&store).await
            }
            "queue" => queue(&store).await,
            "registry" => registry(&store).await,
            other => Err(format!("no section `{other}`").into()),
        };
    }
    registry(&store).await?;
    queue(&store).await?;
    offers(&store).await?;
    referrals(&store).await?;
    past_referrals(&path, &store).await?;
    statistics(&store).await
}

/// The registry list's queries, the map and a passport (goal < 20 ms per query).
async fn registry(store: &Store) -> Res<()> {
    let districts = store.districts().await?;
    let some_district = districts.get(districts.len() / 2).map(|d| d.code.clone());
    let queries: Vec<(&str, RegistryQuery)> = vec![
        ("first page, no filter", RegistryQuery::default()),
        ("typed «ақбота»", RegistryQuery { text: "ақбота".into(), ..Default::default() }),
        ("typed «АҚБОТА» + Russian groups", RegistryQuery { text: "АҚБОТА".into(), language: Some(Language::Ru), ..Default::default() }),
        ("typed «абай 12»", RegistryQuery { text: "абай 12".into(), ..Default::default() }),
        ("one letter «б»", RegistryQuery { text: "б".into(), ..Default::default() }),
        ("a common word «бөбекжай»", RegistryQuery { text: "бөбекжай".into(), ..Default::default() }),
        ("district filter", RegistryQuery { district: some_district.clone(), ..Default::default() }),
        ("sorted by free places, page 50", RegistryQuery { sort: RegistrySort::FreePlaces, page: 50, ..Default::default() }),
        (
            "kind + language + district",
            RegistryQuery { kind: Some(baqsha_core::KindergartenKind::State), language: Some(Language::Kk), district: some_district, ..Default::default() },
        ),
        ("no match", RegistryQuery { text: "zzzz".into(), ..Default::default() }),
    ];
    println!("\nregistry search on the national dataset (goal < 20 ms per query), 30 runs each:");
    println!("{:<36} {:>8} {:>9} {:>9}", "query", "found", "p50", "p95");
    let mut worst = Duration::ZERO;
    for (name, q) in &queries {
        let mut times = Vec::with_capacity(30);
        let mut found = String::new();
        for _ in 0..30 {
            let t = Instant::now();
            let page = store.search_kindergartens(q).await?;
            times.push(t.elapsed());
            found = format!("{}{}", page.total, if page.more { "+" } else { "" });
        }
        times.sort();
        let p95 = percentile(&times, 0.95);
        worst = worst.max(p95);
        println!("{:<36} {:>8} {:>9.2?} {:>9.2?}", name, found, percentile(&times, 0.5), p95);
    }
    let t = Instant::now();
    let points = store.map_points(&RegistryQuery::default()).await?;
    println!("map points, all {} kindergartens: {:.2?}", points.len(), t.elapsed());
    let first = store.search_kindergartens(&RegistryQuery::default()).await?;
    if let Some(k) = first.items.first() {
        let mut times = vec![];
        for _ in 0..30 {
            let t = Instant::now();
            store.passport(k.id, baqsha_core::command::desk_date(chrono::Utc::now())).await?;
            times.push(t.elapsed());
        }
        times.sort();
        println!("passport: p50 {:.2?}, p95 {:.2?}", percentile(&times, 0.5), percentile(&times, 0.95));
    }
    println!("\nworst p95 {:.2?} against the 20 ms goal: {:.1}× under", worst, 20.0 / worst.as_secs_f64() / 1000.0);
    Ok(())
}

/// The offering figures: a round of offering written (turns passed, new offers and their SMS),
/// then «Жолдама алу» at the desk for 50 of the offered — the code checked, the number,
/// the store's own decision (turn, place, calendar), referral, history, outbox, SMS, fsync.
async fn referrals(store: &Store) -> Res<()> {
    let now = chrono::Utc::now();
    let rules = QueueRules::default();
    let source = baqsha_store::CommandSource { author: system().id, device: DeviceId(store.device_id().await?), ids: &Uuid::now_v7 };
    let t = Instant::now();
    let round = store
        .offer_round(&source, now, &rules, |n| {
            vec![codes::Notification { channel: codes::Channel::Sms, recipient: n.phone.clone(), subject: None, body: n.offer.number.clone(), secret: false }]
        })
        .await?;
    println!(
        "
an offer round written: {} new offers (and their SMS), {} turns passed, in {:.2?}",
        round.offered.len(),
        round.passed,
        t.elapsed()
    );
    // The offered applications (this round's, or earlier runs' still open), as the bulletin
    // shows them.
    let mut offered = vec![];
    for entry in store.bulletin(baqsha_core::command::desk_date(now), baqsha_core::command::desk_date(now), None).await? {
        for o in entry.offers {
            offered.push(store.application_by_number(&o.number).await?.id);
        }
    }
    let operator = Operator { role: Role::DepartmentOperator, ..system() };
    let device = DeviceId(store.device_id().await?);
    let mut chosen = vec![];
    for id in offered {
        if chosen.len() == 50 {
            break;
        }
        if let Some(c) = store.choices(id, baqsha_core::command::desk_date(now)).await?.into_iter().find(|c| c.offered) {
            let a = store.application(id).await?;
            chosen.push((a, c.vacancy));
        }
    }
    if chosen.is_empty() {
        return Err("no offered application to take a referral (run with --fresh)".into());
    }
    for (a, _) in &chosen {
        let (mut rec, _) = codes::issue(a.contacts.phone.as_str(), None, now, 123_456, "bench", &Default::default())?;
        rec.confirmed = true;
        store.save_code_record(&rec).await?;
    }
    let (p50, p95) = timed(chosen.len(), |i| {
        let (a, vacancy) = &chosen[i];
        let req = baqsha_api::calls::TakeReferral { application: a.id, vacancy: *vacancy, confirmation: ContactConfirmation::Codes, lease: None };
        let operator = operator.clone();
        async move {
            let notify = |v: &baqsha_api::ReferralView| {
                vec![codes::Notification { channel: codes::Channel::Sms, recipient: v.phone.clone(), subject: None, body: v.referral.number.clone(), secret: false }]
            };
            Ok(store.take_referral(&operator, &req, (Uuid::now_v7(), baqsha_core::ReferralId(Uuid::now_v7())), device, chrono::Utc::now(), "BENCH", notify).await?)
        }
    })
    .await?;
    println!("«Жолдама алу» (code, number, decision, referral, history, outbox, SMS), {} referrals: p50 {p50:.2?}, p95 {p95:.2?} (goal < 50 ms)", chosen.len());
    // The parents refuse (this run's referrals and any an interrupted run left): the places
    // return, so the next run offers 1,000 places again.
    let today = baqsha_core::command::desk_date(chrono::Utc::now());
    let mut cleanup = vec![];
    for e in store.issued_referrals(today - chrono::Days::new(366), today, None, None).await? {
        if !e.number.starts_with("BENCH-") || !e.status.is_live() {
            continue;
        }
        if let Some(v) = store.referral_by_number(&e.number).await? {
            {
                let referral = baqsha_core::command::ReferralRef::of(&v.referral);
                cleanup.push(Command {
                    id: Uuid::now_v7(),
                    author: operator.id,
                    device,
                    at: chrono::Utc::now(),
                    kind: CommandKind::RefuseReferral { referral, reason: "bench".into() },
                });
            }
        }
    }
    store.apply_all(&operator, &cleanup).await?;
    Ok(())
}

/// A year of referrals for the allocation statistics: 100,000 ended referrals (admitted,
/// expired, refused) spread over the year and the published places, written once into the
/// benchmark's database. Synthetic history: the figure reads referrals only, so they are not
/// matched to their applications' statuses.
async fn past_referrals(path: &std::path::Path, store: &Store) -> Res<()> {
    use sqlx::Connection;
    if store.meta("bench_referrals").await?.is_some() {
        return Ok(());
    }
    let t = Instant::now();
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
    let vacancies: Vec<(String, String, String)> = sqlx::query_as("SELECT id, kindergarten, grp FROM vacancies").fetch_all(&mut c).await?;
    let apps: Vec<String> = sqlx::query_scalar("SELECT id FROM applications LIMIT 100000").fetch_all(&mut c).await?;
    let today = baqsha_core::command::desk_date(chrono::Utc::now());
    let mut tx = c.begin().await?;
    for (i, app) in apps.iter().enumerate() {
        let (v, k, g) = &vacancies[(i * 7919) % vacancies.len()];
        let issued = today - chrono::Days::new((i % 365) as u64);
        let status = ["admitted", "admitted", "admitted", "admitted", "admitted", "admitted", "admitted", "expired", "expired", "refused"][i % 10];
        sqlx::query(
            "INSERT INTO referrals (id, number, application, vacancy, kindergarten, grp, slot, issued_at, confirm_by, valid_until, status, ended_on)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(format!("PAST-{i:07}"))
        .bind(app)
        .bind(v)
        .bind(k)
        .bind(g)
        .bind(i as i64)
        .bind(format!("{issued}T04:00:00.000000Z"))
        .bind(issued.to_string())
        .bind(issued.to_string())
        .bind(status)
        .bind((issued + chrono::Days::new(3)).to_string())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    c.close().await?;
    store.set_meta("bench_referrals", &apps.len().to_string()).await?;
    println!(
        "
{} past referrals written for the statistics in {:.1?}",
        apps.len(),
        t.elapsed()
    );
    Ok(())
}

/// The statistics figures: each statistics view over the national registry and its referrals.
async fn statistics(store: &Store) -> Res<()> {
    let (p50, p95) = timed(20, |_| async { Ok(store.district_stats().await?) }).await?;
    let rows = store.district_stats().await?;
    println!(
        "
statistics «Мем./жеке меншік балабақшалар саны…», {} districts, {} kindergartens: p50 {p50:.2?}, p95 {p95:.2?} (goal < 200 ms)",
        rows.len(),
        rows.iter().map(|r| r.state_kindergartens + r.private_kindergartens).sum::<u32>()
    );
    let to = baqsha_core::command::desk_date(chrono::Utc::now());
    let from = to - chrono::Days::new(365);
    let (p50, p95) = timed(20, |_| async { Ok(store.allocation_stats(from, to).await?) }).await?;
    let rows = store.allocation_stats(from, to).await?;
    println!("statistics «Балабақшаларға нақты бөлінген орын саны», a year, {} kindergartens with referrals: p50 {p50:.2?}, p95 {p95:.2?} (goal < 200 ms)", rows.len());
    Ok(())
}

/// The offering figure: the offers for a bulletin of 1,000 places against the national queue —
/// the open places and the queues read from the database, then `core::offer::offers`.
async fn offers(store: &Store) -> Res<()> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).ok_or("date")?;
    if store.meta("bench_places").await?.is_none() {
        // The national region's own vacancies, published as commands, until 1,000 places.
        let region = generate(Scale::National, DEMO_SEED, today);
        let device = DeviceId(store.device_id().await?);
        let mut total = 0;
        let mut cmds = vec![];
        for v in &region.vacancies {
            if total >= 1000 {
                break;
            }
            let mut v = v.clone();
            v.count = v.count.min(1000 - total);
            total += v.count;
            let at = chrono::Utc::now();
            cmds.push(Command { id: Uuid::now_v7(), author: system().id, device, at, kind: CommandKind::PublishVacancy { vacancy: v } });
        }
        store.apply_all(&system(), &cmds).await?;
        store.set_meta("bench_places", &total.to_string()).await?;
    }
    let rules = QueueRules::default();
    let (p50, p95) = timed(5, |_| async {
        let places = store.open_places().await?;
        let queues = store.offer_queues(&places, today, &rules).await?;
        Ok(baqsha_core::offer::offers(&places, &queues))
    })
    .await?;
    let places = store.open_places().await?;
    let queues = store.offer_queues(&places, today, &rules).await?;
    let (offered, _) = baqsha_core::offer::offers(&places, &queues);
    println!(
        "\noffers for a bulletin of {} places over 500,000 applications ({} candidates name those kindergartens, {} offered): p50 {p50:.2?}, p95 {p95:.2?} (goal < 1 s)",
        places.iter().map(|p| p.open).sum::<u32>(),
        queues.iter().map(Vec::len).sum::<usize>(),
        offered.len()
    );
    Ok(())
}

/// Times `f` `runs` times; returns (p50, p95).
async fn timed<F, Fut, T>(runs: usize, mut f: F) -> Res<(Duration, Duration)>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Res<T>>,
{
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i).await?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok((percentile(&times, 0.5), percentile(&times, 0.95)))
}

/// The queue figures: a child's position with its explanation, a page of the public queue,
/// and a submitted application (durable, with history and outbox).
async fn queue(store: &Store) -> Res<()> {
    let rules = QueueRules::default();
    // The largest category: the worst case for counting and paging.
    let mut category = Category(0);
    let mut counts = TierCounts::default();
    for year in 2019..=2026 {
        let c = store.tier_counts(Category(year)).await?;
        if c.total() > counts.total() {
            (category, counts) = (Category(year), c);
        }
    }
    println!(
        "\nqueue of {} (the largest category): {} applications ({} out of turn, {} priority, {} general)",
        category.0,
        counts.total(),
        counts.out_of_turn,
        counts.priority,
        counts.general
    );
    let q = |page: u32, district: Option<String>, tier: Option<BenefitTier>| QueueQuery { category: category.0, district, kindergarten: None, tier, page, page_size: 20 };
    let last = (counts.total().saturating_sub(1) / 20) as u32;
    // 50 applications spread over the whole queue.
    let mut numbers = vec![];
    for i in 0..50u32 {
        let page = store.queue_page(&q(last * i / 49, None, None), &rules).await?;
        numbers.extend(page.lines.first().map(|l| l.number.clone()));
    }
    let apps = {
        let mut v = vec![];
        for n in &numbers {
            v.push(store.application_by_number(n).await?);
        }
        v
    };
    let (p50, p95) = timed(apps.len(), |i| {
        let a = &apps[i];
        async move { Ok(store.position(a, &rules).await?) }
    })
    .await?;
    println!("position with its explanation, 50 children across the queue: p50 {p50:.2?}, p95 {p95:.2?} (goal < 10 ms)");
    let (p50, p95) = timed(apps.len(), |i| {
        let a = apps[i].clone();
        async move { Ok(store.application_view(a, &rules).await?) }
    })
    .await?;
    println!("the whole «Кезекті тексеру» view (position, preferences, history): p50 {p50:.2?}, p95 {p95:.2?}");

    let districts = store.districts().await?;
    let district = districts.get(districts.len() / 2).map(|d| d.code.clone());
    let pages: Vec<(&str, QueueQuery)> = vec![
        ("first page", q(0, None, None)),
        ("middle page", q(last / 2, None, None)),
        ("last page", q(last, None, None)),
        ("district, first page", q(0, district.clone(), None)),
        ("district, page 10", q(10, district, None)),
        ("priority tier, page 5", q(5, None, Some(BenefitTier::Priority))),
    ];
    let mut worst = Duration::ZERO;
    for (name, query) in &pages {
        let (p50, p95) = timed(20, |_| async { Ok(store.queue_page(query, &rules).await?) }).await?;
        worst = worst.max(p95);
        println!("public queue, {name:<24} p50 {p50:>9.2?}, p95 {p95:>9.2?}");
    }
    println!("public queue worst p95 {worst:.2?} (goal < 30 ms)");

    // Submitting: new children registered through `apply`, then withdrawn so reruns stay
    // clean (one active application per child).
    let template = apps.first().ok_or("no applications")?.clone();
    let device = DeviceId(store.device_id().await?);
    let birth = chrono::NaiveDate::from_ymd_opt(2025, 2, 3).ok_or("date")?;
    // Children without an active application (the national data may hold some of these).
    let mut children: Vec<Iin> = vec![];
    for s in 1..9999u16 {
        if children.len() == 100 {
            break;
        }
        if let Some(iin) = Iin::from_parts(birth, Sex::Male, s) {
            if !store.applications_of_child(&iin).await?.iter().any(|a| a.status.is_active()) {
                children.push(iin);
            }
        }
    }
    // Through the desk's submit: the codes checked, a number given under the writer lock,
    // the application, history, outbox, SMS and e-mail queued, used codes forgotten; each run
    // also writes its confirmed code first (one more fsync: the figure is pessimistic).
    let operator = Operator { role: Role::DepartmentOperator, ..system() };
    let mut submitted = vec![];
    let (p50, p95) = timed(children.len(), |i| {
        let mut a = template.clone();
        a.id = ApplicationId(Uuid::now_v7());
        a.number = String::new();
        a.child.iin = children[i].clone();
        a.contacts.email = None;
        a.benefit = None;
        a.status = ApplicationStatus::Queued;
        a.registered_at = chrono::Utc::now();
        submitted.push(a.id);
        let phone = a.contacts.phone.as_str().to_string();
        let cmd = Command {
            id: Uuid::now_v7(),
            author: operator.id,
            device,
            at: a.registered_at,
            kind: CommandKind::RegisterApplication { application: Box::new(a), confirmation: Some(ContactConfirmation::Codes) },
        };
        let operator = operator.clone();
        async move {
            let (mut code, _) = codes::issue(&phone, None, chrono::Utc::now(), 7, "bench", &Default::default()).map_err(|e| e.to_string())?;
            code.confirmed = true;
            store.save_code_record(&code).await?;
            let sms = |n: &str| vec![codes::Notification { channel: codes::Channel::Sms, recipient: phone.clone(), subject: None, body: format!("№ {n}"), secret: false }];
            Ok(store.submit(&operator, cmd, "BENCH", sms).await?)
        }
    })
    .await?;
    println!("submit at the desk (codes checked, number, insert, history, outbox, SMS queued, fsync), 100 runs: p50 {p50:.2?}, p95 {p95:.2?} (goal < 50 ms)");
    for id in submitted {
        let cmd = Command {
            id: Uuid::now_v7(),
            author: system().id,
            device,
            at: chrono::Utc::now(),
            kind: CommandKind::WithdrawApplication { application: id, reason: "benchmark".into() },
        };
        store.apply(&system(), &cmd).await?;
    }
    Ok(())
}
