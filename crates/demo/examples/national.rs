//! Times the national-scale generator: `cargo run --release -p baqsha-demo --example national`.
use baqsha_demo::{generate, Scale, DEMO_SEED};

fn main() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 16).unwrap_or_default();
    let start = std::time::Instant::now();
    let r = generate(Scale::National, DEMO_SEED, today);
    println!(
        "{} districts, {} kindergartens, {} groups, {} vacancies, {} applications in {:?}",
        r.districts.len(),
        r.kindergartens.len(),
        r.groups.len(),
        r.vacancies.len(),
        r.applications.len(),
        start.elapsed()
    );
}
