//! `baqsha-bench [--db PATH] [--fresh]`: builds (once) the national dataset — 12,000
//! kindergartens, 500,000 applications, every one written as a command with its history
//! entry and outbox row — then times registry queries the way the UI asks them.

use baqsha_api::{RegistryQuery, RegistrySort};
use baqsha_core::command::{Command, CommandKind};
use baqsha_core::roles::{Operator, Role};
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

async fn build(path: &PathBuf) -> Res<Store> {
    let t = Instant::now();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).ok_or("date")?;
    let region = generate(Scale::National, DEMO_SEED, today);
    println!("generated {} kindergartens, {} groups, {} applications in {:.1?}",
        region.kindergartens.len(), region.groups.len(), region.applications.len(), t.elapsed());
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
        let batch: Vec<Command> = chunk
            .iter()
            .map(|a| cmd(a.registered_at, CommandKind::RegisterApplication { application: Box::new(a.clone()) }))
            .collect();
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
    println!("dataset: {} kindergartens, {} applications, {} history entries ({})",
        store.kindergarten_count().await?, store.application_count().await?, store.history_len().await?, path.display());

    let districts = store.districts().await?;
    let some_district = districts.get(districts.len() / 2).map(|d| d.code.clone());
    let queries: Vec<(&str, RegistryQuery)> = vec![
        ("first page, no filter", RegistryQuery::default()),
        ("typed «ақбота»", RegistryQuery { text: "ақбота".into(), ..Default::default() }),
        ("typed «АҚБОТА» + Russian groups", RegistryQuery { text: "АҚБОТА".into(), language: Some(Language::Ru), ..Default::default() }),
        ("typed «абай 12»", RegistryQuery { text: "абай 12".into(), ..Default::default() }),
        ("one letter «б»", RegistryQuery { text: "б".into(), ..Default::default() }),
        ("district filter", RegistryQuery { district: some_district.clone(), ..Default::default() }),
        ("sorted by free places, page 50", RegistryQuery { sort: RegistrySort::FreePlaces, page: 50, ..Default::default() }),
        ("kind + language + district", RegistryQuery { kind: Some(baqsha_core::KindergartenKind::State), language: Some(Language::Kk), district: some_district, ..Default::default() }),
        ("no match", RegistryQuery { text: "zzzz".into(), ..Default::default() }),
    ];
    println!("\nregistry search on the national dataset (goal < 20 ms per query), 30 runs each:");
    println!("{:<36} {:>8} {:>9} {:>9}", "query", "found", "p50", "p95");
    let mut worst = Duration::ZERO;
    for (name, q) in &queries {
        let mut times = Vec::with_capacity(30);
        let mut found = 0;
        for _ in 0..30 {
            let t = Instant::now();
            let page = store.search_kindergartens(q).await?;
            times.push(t.elapsed());
            found = page.total;
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
            store.passport(k.id).await?;
            times.push(t.elapsed());
        }
        times.sort();
        println!("passport: p50 {:.2?}, p95 {:.2?}", percentile(&times, 0.5), percentile(&times, 0.95));
    }
    println!("\nworst p95 {:.2?} against the 20 ms goal: {:.1}× under", worst, 20.0 / worst.as_secs_f64() / 1000.0);
    Ok(())
}
