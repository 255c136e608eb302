//! Cold start of the real app under Xvfb: from launching the process to the first rendered
//! screen and to the first rendered kindergarten list. Goal: < 0.8 s to the list.
//! Run by `scripts/bench.sh` (needs tauri-driver on :4444 and BAQSHA_APP).

use baqsha_e2e::{Res, TestApp};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> Res<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("baqsha.sqlite");

    let t = Instant::now();
    let app = TestApp::start(&db).await?;
    app.find("#sign-in-form").await?;
    let first_run = t.elapsed();
    app.close().await?;
    println!("first run (creates the database, seeds the demo region): {first_run:.2?} to the sign-in screen");

    let mut screen = vec![];
    let mut list = vec![];
    for _ in 0..5 {
        let t = Instant::now();
        let app = TestApp::start(&db).await?;
        app.find("#sign-in-form").await?;
        let s = t.elapsed();
        // Signing in takes a person seconds; the clock measures the program, so it pauses.
        let human = Instant::now();
        app.click("#use-operator").await?;
        let paused = human.elapsed();
        app.click("#sign-in").await?;
        app.find("#registry-table .kg-row").await?;
        list.push(t.elapsed() - paused);
        screen.push(s);
        app.close().await?;
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (s, l) = (median(&mut screen), median(&mut list));
    println!("cold start, median of 5: {s:.2?} to the first screen, {l:.2?} to the first rendered list (goal 0.8 s: {:.1}× under)", 0.8 / l.as_secs_f64());
    Ok(())
}
