//! Cold start of the real app under Xvfb: from launching the process to the first rendered
//! screen and to the first rendered kindergarten list. Goal: < 0.8 s to the list.
//! The moments come from the page's own timeline (the UI marks `baqsha:first-screen` and
//! `baqsha:list`; `performance.timeOrigin` is when the window began loading), so WebDriver's
//! polling does not count; the person's time at the sign-in form is left out.
//! Run by `scripts/bench.sh` (needs tauri-driver on :4444 and BAQSHA_APP).

use baqsha_e2e::{Res, TestApp};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn epoch_ms() -> Res<f64> {
    Ok(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs_f64() * 1000.0)
}

/// The first time the page marked `name`, in the page's clock (ms since its origin).
async fn mark(app: &TestApp, name: &str) -> Res<f64> {
    let js = format!("const m = performance.getEntriesByName('{name}', 'mark'); return m.length ? m[0].startTime : null;");
    for _ in 0..300 {
        if let Some(t) = app.client.execute(&js, vec![]).await?.as_f64() {
            return Ok(t);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err(format!("the page never marked {name}").into())
}

struct Run {
    /// Launch to the window beginning to load its page (process, toolkit, web engine).
    window: f64,
    /// Launch to the first screen (the sign-in form) in the document.
    screen: f64,
    /// «Кіру» pressed to the first list in the document (sign-in and the first search).
    list_after_sign_in: f64,
    /// The page's marks and bridge calls, as (what, start, duration) from launch.
    timeline: Vec<(String, f64, f64)>,
}

const TIMELINE: &str =
    "return performance.getEntries().filter(e => e.entryType == 'mark' || e.entryType == 'measure' || e.entryType == 'paint').map(e => [e.name, e.startTime, e.duration]);";

async fn run(db: &std::path::Path) -> Res<Run> {
    let launch = epoch_ms()?;
    let app = TestApp::start(db).await?;
    app.find("#sign-in-form").await?;
    let origin = app.client.execute("return performance.timeOrigin", vec![]).await?.as_f64().ok_or("no timeOrigin")?;
    let screen = mark(&app, "baqsha:first-screen").await?;
    app.click("#use-operator").await?;
    let pressed = app.client.execute("return performance.now()", vec![]).await?.as_f64().ok_or("no performance.now")?;
    app.click("#sign-in").await?;
    app.find("#registry-table .kg-row").await?;
    let list = mark(&app, "baqsha:list").await?;
    let entries = app.client.execute(TIMELINE, vec![]).await?;
    let timeline = entries
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| (e[0].as_str().unwrap_or("").to_string(), origin - launch + e[1].as_f64().unwrap_or(0.0), e[2].as_f64().unwrap_or(0.0)))
        .collect();
    app.close().await?;
    Ok(Run { window: origin - launch, screen: origin - launch + screen, list_after_sign_in: list - pressed, timeline })
}

#[tokio::main]
async fn main() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");

    let t = std::time::Instant::now();
    let app = TestApp::start(&db).await?;
    app.find("#sign-in-form").await?;
    let first_run = t.elapsed();
    app.close().await?;
    println!("first run (creates the database, seeds the demo region): {first_run:.2?} to the sign-in screen");

    let mut runs = vec![];
    for _ in 0..7 {
        runs.push(run(&db).await?);
    }
    let median = |f: fn(&Run) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let (window, screen, after) = (median(|r| r.window), median(|r| r.screen), median(|r| r.list_after_sign_in));
    let list = median(|r| r.screen + r.list_after_sign_in);
    println!("cold start, median of {}: window loading at {window:.0} ms, first screen at {screen:.0} ms, sign-in to the first list {after:.0} ms", runs.len());
    if let Some(last) = runs.last() {
        println!("the last run's timeline, from launch (the sign-in form waits for a person between):");
        for (what, at, took) in &last.timeline {
            println!("  {at:>7.0} ms  {took:>6.1} ms  {what}");
        }
    }
    println!("cold start to the first rendered list: {list:.0} ms (goal 800 ms: {:.2}× under)", 800.0 / list);
    Ok(())
}
