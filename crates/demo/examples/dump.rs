//! Prints a sample of the demo region: `cargo run -p baqsha-demo --example dump`.
use baqsha_demo::{generate, Scale, DEMO_SEED};

fn main() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 16).unwrap_or_default();
    let r = generate(Scale::Demo, DEMO_SEED, today);
    for d in &r.districts {
        let n = r.kindergartens.iter().filter(|k| k.district == d.code).count();
        println!("{:14} {:24} {:26} {:>3}", d.code, d.name_kk, d.name_ru, n);
    }
    for k in r.kindergartens.iter().step_by(9) {
        println!(
            "\n{:?} | {} | {}\n  {} | {}\n  {} | {:?} | {:?} | {} | cap {} | {:?}\n  {:?}\n  {:?}",
            k.kind, k.name_kk, k.name_ru, k.address_kk, k.address_ru, k.head, k.phone, k.email, k.hours, k.design_capacity, k.location, k.programmes, k.equipment
        );
        for g in r.groups.iter().filter(|g| g.kindergarten == k.id) {
            println!("    {} {}-{} {:?} {}/{}", g.name, g.age.from_years, g.age.to_years, g.language, g.enrolled, g.capacity);
        }
    }
    for v in r.vacancies.iter().take(5) {
        println!("{v:?}");
    }
    for a in r.applications.iter().step_by(250) {
        println!(
            "\n{} {} {:?} | {} {} ({}) | {} {} | {} | {:?} {:?} | {} | {:?} {:?}",
            a.number,
            a.registered_at,
            a.status,
            a.child.full_name(),
            a.child.iin,
            a.child.birth_date(),
            a.parent.full_name(),
            a.parent.iin,
            a.contacts.phone,
            a.contacts.email,
            a.contacts.extra_phone,
            a.address,
            a.language,
            a.benefit
        );
    }
}
