use super::*;
use std::collections::{HashMap, HashSet};

fn today() -> NaiveDate {
    ymd(2026, 3, 16)
}

fn demo() -> Region {
    generate(Scale::Demo, DEMO_SEED, today())
}

/// FNV-1a over the fields people see: a cheap fingerprint of a whole region.
fn fingerprint(r: &Region) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for k in &r.kindergartens {
        eat(&k.id.to_string());
        eat(&k.name_kk);
        eat(&k.address_ru);
        eat(&format!("{:.6},{:.6}", k.location.lat, k.location.lon));
    }
    for g in &r.groups {
        eat(&g.id.to_string());
        eat(&format!("{}/{}", g.capacity, g.enrolled));
    }
    for a in &r.applications {
        eat(&a.number);
        eat(a.child.iin.as_str());
        eat(&a.child.full_name());
        eat(a.parent.iin.as_str());
        eat(&a.registered_at.to_rfc3339());
    }
    h
}

fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

#[test]
fn the_same_seed_gives_the_same_region() {
    let a = demo();
    let b = demo();
    assert_eq!(a, b);
    assert_eq!(fingerprint(&a), fingerprint(&b));
    let other = generate(Scale::Demo, DEMO_SEED + 1, today());
    assert_ne!(fingerprint(&a), fingerprint(&other));
    assert_eq!(a.districts, other.districts, "the geography does not depend on the seed");
}

#[test]
fn the_demo_is_pinned() {
    // Changing any table or draw changes this: that is a new demo, so update it on purpose.
    let r = demo();
    assert_eq!(fingerprint(&r), PINNED_DEMO_FINGERPRINT, "got {:#x}", fingerprint(&r));
}

const PINNED_DEMO_FINGERPRINT: u64 = 0x1d8d_ffd6_9d96_75d0;

#[test]
fn demo_counts_and_shares() {
    let r = demo();
    assert_eq!(r.name_en, "East Kazakhstan Region");
    assert_eq!(r.districts.len(), 12);
    assert_eq!(r.kindergartens.len(), 150);
    assert_eq!(r.applications.len(), 5_000);
    assert!((30..=50).contains(&r.vacancies.len()), "{}", r.vacancies.len());

    let oskemen = r.kindergartens.iter().filter(|k| k.district == "oskemen").count();
    assert!((60..=75).contains(&oskemen), "Ust-Kamenogorsk has {oskemen}");
    let codes: HashSet<&str> = r.districts.iter().map(|d| d.code.as_str()).collect();
    assert!(r.kindergartens.iter().all(|k| codes.contains(k.district.as_str())));
    for code in &codes {
        assert!(r.kindergartens.iter().any(|k| k.district == *code && k.kind == KindergartenKind::State), "{code}");
    }

    let kinds = |kind| r.kindergartens.iter().filter(|k| k.kind == kind).count();
    assert!((90..=120).contains(&kinds(KindergartenKind::State)));
    assert!((8..=40).contains(&kinds(KindergartenKind::Private)));

    let lang = |l| r.groups.iter().filter(|g| g.language == l).count() as f64 / r.groups.len() as f64;
    assert!((0.40..0.60).contains(&lang(Language::Kk)), "kk {}", lang(Language::Kk));
    assert!((0.25..0.45).contains(&lang(Language::Ru)), "ru {}", lang(Language::Ru));
    assert!((0.08..0.22).contains(&lang(Language::Mixed)), "mixed {}", lang(Language::Mixed));

    let tiers: HashMap<_, usize> = r.applications.iter().fold(HashMap::new(), |mut m, a| {
        *m.entry(a.benefit.as_ref().map(|b| b.kind.tier())).or_default() += 1;
        m
    });
    let out_of_turn = tiers.get(&Some(baqsha_core::BenefitTier::OutOfTurn)).copied().unwrap_or(0);
    let priority = tiers.get(&Some(baqsha_core::BenefitTier::Priority)).copied().unwrap_or(0);
    assert!((50..=160).contains(&out_of_turn), "{out_of_turn}");
    assert!((450..=750).contains(&priority), "{priority}");
    let queued = r.applications.iter().filter(|a| a.status == ApplicationStatus::Queued).count();
    assert!(queued > 4_500, "{queued}");
    let emails = r.applications.iter().filter(|a| a.contacts.email.is_some()).count();
    assert!((2_700..=3_300).contains(&emails), "{emails}");
}

#[test]
fn kindergartens_and_groups_are_plausible() {
    let r = demo();
    let mut by_kg: HashMap<KindergartenId, Vec<&Group>> = HashMap::new();
    for g in &r.groups {
        by_kg.entry(g.kindergarten).or_default().push(g);
        assert!((15..=30).contains(&g.capacity), "{}", g.capacity);
        assert!(g.enrolled <= g.capacity);
        assert!(g.age.from_years >= 1 && g.age.to_years == g.age.from_years + 1 && g.age.to_years <= 6);
    }
    let centres: HashMap<&str, GeoPoint> = r.districts.iter().map(|d| (d.code.as_str(), d.centre)).collect();
    for k in &r.kindergartens {
        let gs = by_kg.get(&k.id).map(Vec::as_slice).unwrap_or_default();
        assert!((3..=12).contains(&gs.len()), "{} has {} groups", k.name_ru, gs.len());
        assert!((60..=320).contains(&k.design_capacity));
        let sum: u32 = gs.iter().map(|g| g.capacity).sum();
        assert!(sum.abs_diff(k.design_capacity) <= 25 || k.design_capacity == 60 || k.design_capacity == 320);
        assert!((1..=3).contains(&k.programmes.len()));
        assert!((2..=5).contains(&k.equipment.len()));
        assert!(k.hours == "07:30–19:00" || k.hours == "08:00–18:00");
        assert!(k.phone.as_deref().is_none_or(|p| p.starts_with("+7 7") && p.chars().filter(char::is_ascii_digit).count() == 11));
        let c = centres.get(k.district.as_str()).copied().unwrap_or(GeoPoint { lat: 0.0, lon: 0.0 });
        let km = ((k.location.lat - c.lat) * 111.0).hypot((k.location.lon - c.lon) * 111.32 * cos_deg(c.lat));
        let limit = if k.district == "oskemen" || k.district == "ridder" { 4.01 } else { 34.0 };
        assert!(km <= limit, "{} is {km} km from its centre", k.name_ru);
    }
    let free: u32 = r.groups.iter().map(Group::free_places).sum();
    let capacity: u32 = r.groups.iter().map(|g| g.capacity).sum();
    assert!(free > 0 && free * 10 < capacity, "free {free} of {capacity}");
}

#[test]
fn akbota_is_there() {
    let r = demo();
    let akbota: Vec<_> = r.kindergartens.iter().filter(|k| k.name_kk.contains("Ақбота")).collect();
    assert!(!akbota.is_empty());
    assert!(akbota.iter().all(|k| k.name_kk.to_uppercase().contains("АҚБОТА") && k.name_ru.contains("Ақбота")));
    assert!(akbota.iter().any(|k| k.kind.is_queued() && k.district == "oskemen"));
    let first = &r.kindergartens[0];
    assert!(first.name_kk.starts_with("№ ") && first.name_kk.contains("«Ақбота»"), "{}", first.name_kk);
    assert!(first.email.as_deref().is_none_or(|e| e.starts_with("akbota")));
}

#[test]
fn every_iin_is_valid_and_unique() {
    let r = demo();
    let mut seen = HashSet::new();
    for a in &r.applications {
        for p in [&a.child, &a.parent] {
            let parsed = Iin::parse(p.iin.as_str());
            assert_eq!(parsed.as_ref(), Ok(&p.iin));
            assert!(seen.insert(p.iin.as_str().to_string()), "duplicate IIN {}", p.iin.masked());
        }
        let child_birth = a.child.birth_date();
        let parent_birth = a.parent.birth_date();
        assert!((ymd(1975, 1, 1)..=ymd(2003, 12, 31)).contains(&parent_birth));
        assert!(age_on(parent_birth, child_birth) >= 18);
        // Sex-correct surnames: a girl of the Ивановs is an Иванова.
        if a.child.sex() == Sex::Female && a.child.surname.ends_with("ов") {
            panic!("{} is a girl", a.child.surname);
        }
        if let Some(p) = &a.child.patronymic {
            let female = a.child.sex() == Sex::Female;
            assert!(p.ends_with(if female { "қызы" } else { "ұлы" }) || p.ends_with(if female { "вна" } else { "вич" }), "{p}");
        }
    }
}

#[test]
fn children_are_under_seven_and_registered_in_the_past() {
    let r = demo();
    let mut by_age = [0usize; 7];
    for a in &r.applications {
        let birth = a.child.birth_date();
        let age = age_on(birth, today());
        assert!((0..7).contains(&age), "age {age}");
        by_age[age as usize] += 1;
        let reg = a.registered_at.naive_utc();
        assert!(reg.date() >= birth + chrono::Duration::days(30), "{} registered before a month old", a.number);
        assert!(reg.date() < today());
        let local = (reg + chrono::Duration::hours(5)).time();
        assert!(local >= NaiveTime::from_hms_opt(9, 0, 0).unwrap() && local < NaiveTime::from_hms_opt(18, 0, 0).unwrap());
    }
    // Most of the queue is one to three years old.
    assert!(by_age[1] + by_age[2] + by_age[3] > by_age.iter().sum::<usize>() / 2, "{by_age:?}");
}

#[test]
fn numbers_follow_registration_order() {
    let r = demo();
    let mut numbers = HashSet::new();
    for w in r.applications.windows(2) {
        assert!(w[0].registered_at <= w[1].registered_at);
        assert!(w[0].number < w[1].number, "{} then {}", w[0].number, w[1].number);
    }
    for a in &r.applications {
        assert!(numbers.insert(a.number.clone()));
        let year = a.registered_at.year();
        assert!(a.number.starts_with(&format!("VKO-{year}-")) && a.number.len() == "VKO-2026-000001".len(), "{}", a.number);
    }
    let ids: HashSet<_> = r.applications.iter().map(|a| a.id).collect();
    assert_eq!(ids.len(), r.applications.len());
}

#[test]
fn preferences_are_queued_kindergartens_of_the_district() {
    let r = demo();
    let kgs: HashMap<KindergartenId, &Kindergarten> = r.kindergartens.iter().map(|k| (k.id, k)).collect();
    let mut language_match = 0;
    for a in &r.applications {
        assert!((1..=3).contains(&a.preferences.len()), "{}", a.number);
        let unique: HashSet<_> = a.preferences.iter().collect();
        assert_eq!(unique.len(), a.preferences.len());
        let district = kgs.get(&a.preferences[0]).map(|k| k.district.clone()).unwrap_or_default();
        for p in &a.preferences {
            let k = kgs.get(p).expect("a preference names a generated kindergarten");
            assert_ne!(k.kind, KindergartenKind::Private);
            assert_eq!(k.district, district);
        }
        let teaches = |id: &KindergartenId| r.groups.iter().any(|g| g.kindergarten == *id && g.language.suits(a.language));
        if teaches(&a.preferences[0]) {
            language_match += 1;
        }
        assert!(a.consent);
        assert!(Phone::parse(a.contacts.phone.as_str()).is_ok());
        if let Some(e) = &a.contacts.email {
            assert!(Email::parse(e.as_str()).is_ok());
        }
        if let Some(b) = &a.benefit {
            assert!(!b.proofs.is_empty() && b.proofs.iter().all(|p| p.ends_with(".jpg")));
        }
    }
    assert!(language_match > r.applications.len() * 85 / 100, "{language_match}");
    // Addresses are in the child's district, in Kazakh.
    let oskemen = r.applications.iter().filter(|a| a.address.starts_with("Өскемен қ., ")).count();
    assert!((1_900..=2_700).contains(&oskemen), "{oskemen}");
}

#[test]
fn vacancies_fit_their_groups() {
    let r = demo();
    let groups: HashMap<GroupId, &Group> = r.groups.iter().map(|g| (g.id, g)).collect();
    let kgs: HashMap<KindergartenId, &Kindergarten> = r.kindergartens.iter().map(|k| (k.id, k)).collect();
    let mut seen = HashSet::new();
    for v in &r.vacancies {
        let g = groups.get(&v.group).expect("vacancy of a generated group");
        assert_eq!(g.kindergarten, v.kindergarten);
        assert!(v.count >= 1 && v.count <= g.free_places());
        assert!(kgs.get(&v.kindergarten).is_some_and(|k| k.kind.is_queued()));
        assert!(v.published_on <= today() && v.published_on > today() - chrono::Duration::days(30));
        assert!(seen.insert(v.group), "one vacancy per group");
    }
    // In August the bulletin is paused: everything was published in July.
    let august = generate(Scale::Demo, DEMO_SEED, ymd(2026, 8, 20));
    assert!(august.vacancies.iter().all(|v| v.published_on.month() == 7));
}

#[test]
fn national_geography_at_a_small_size() {
    let r = generate(Scale::Custom { kindergartens: 1_200, applications: 20_000 }, 9, today());
    assert_eq!(r.kindergartens.len(), 1_200);
    assert_eq!(r.applications.len(), 20_000);
    assert_eq!(r.name_en, "Republic of Kazakhstan");
    let codes: HashSet<&str> = r.districts.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes.len(), r.districts.len(), "district codes are unique nationally");
    assert!(codes.contains("vko-oskemen") && codes.contains("ast-esil"));
    let prefixes: HashSet<&str> = r.applications.iter().filter_map(|a| a.number.split('-').next()).collect();
    assert_eq!(prefixes.len(), 20, "{prefixes:?}");
    let numbers: HashSet<&str> = r.applications.iter().map(|a| a.number.as_str()).collect();
    assert_eq!(numbers.len(), r.applications.len());
    let iins: HashSet<&str> = r.applications.iter().flat_map(|a| [a.child.iin.as_str(), a.parent.iin.as_str()]).collect();
    assert_eq!(iins.len(), 2 * r.applications.len());
    assert!(r.applications.iter().all(|a| !a.preferences.is_empty()));
}

#[test]
fn national_scale_counts() {
    let start = std::time::Instant::now();
    let r = generate(Scale::National, DEMO_SEED, today());
    eprintln!("national scale generated in {:?}", start.elapsed());
    assert_eq!(r.kindergartens.len(), 12_000);
    assert_eq!(r.applications.len(), 500_000);
    assert_eq!(r.districts.len(), data::REGIONS.iter().map(|x| x.districts.len()).sum::<usize>());
    assert!(r.groups.len() > 12_000 * 3);
    // Unique IINs, checked as sorted numbers (cheaper than a million-entry hash set in debug).
    let mut iins: Vec<u64> = r.applications.iter().flat_map(|a| [a.child.iin.as_str(), a.parent.iin.as_str()]).map(|s| s.parse::<u64>().unwrap_or_default()).collect();
    iins.sort_unstable();
    iins.dedup();
    assert_eq!(iins.len(), 1_000_000);
}

#[test]
fn apportion_adds_up() {
    assert_eq!(apportion(10, &[1, 1, 1]), vec![4, 3, 3]);
    assert_eq!(apportion(150, &[45, 9, 9]).iter().sum::<u64>(), 150);
    assert_eq!(apportion(5, &[0, 0]), vec![0, 0]);
    assert!((cos_deg(60.0) - 0.5).abs() < 1e-9);
}

#[test]
fn odd_sizes_and_dates_do_not_panic() {
    for scale in [
        Scale::Custom { kindergartens: 0, applications: 0 },
        Scale::Custom { kindergartens: 0, applications: 10 },
        Scale::Custom { kindergartens: 1, applications: 50 },
        Scale::Custom { kindergartens: 25, applications: 0 },
    ] {
        let r = generate(scale, 1, today());
        assert_eq!(r.kindergartens.len() as u32, scale.kindergartens());
        if scale.kindergartens() > 0 {
            assert_eq!(r.applications.len() as u32, scale.applications());
        }
    }
    // Another century's "today": every IIN is still valid and every child under seven.
    let old = generate(Scale::Demo, 3, ymd(2001, 6, 1));
    for a in &old.applications {
        assert!(Iin::parse(a.child.iin.as_str()).is_ok() && Iin::parse(a.parent.iin.as_str()).is_ok());
        assert!(age_on(a.child.birth_date(), ymd(2001, 6, 1)) < 7);
        assert!(age_on(a.parent.birth_date(), a.child.birth_date()) >= 18);
    }
}

#[test]
fn every_demo_application_passes_the_rules_at_its_registration() {
    use baqsha_core::command::{check_registration, desk_date};
    use baqsha_core::queue::QueueRules;
    let r = demo();
    let rules = QueueRules::default();
    for a in &r.applications {
        let at = desk_date(a.registered_at);
        assert_eq!(check_registration(a, None, at, &rules, 3), Ok(()), "{}", a.number);
    }
}

#[test]
fn the_demo_registry_knows_every_applicant_and_some_unqueued_siblings() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let region = generate(Scale::Demo, DEMO_SEED, today);
    let people = registry_people(&region, today);
    let a = &region.applications[0];
    assert!(people.iter().any(|p| p.iin == a.child.iin && p.surname == a.child.surname && p.verified));
    assert!(people.iter().any(|p| p.iin == a.parent.iin));
    let new = unqueued_children(&region, today);
    assert!(new.len() > 300, "{} unqueued children", new.len());
    assert!(new.iter().all(|(c, p)| c.birth_date() < today && !c.surname.is_empty() && !c.given_name.is_empty() && people.iter().any(|q| q.iin == p.iin)));
    assert!(new.iter().all(|(c, _)| people.iter().any(|q| q.iin == c.iin)));
    assert!(new.iter().all(|(c, _)| region.applications.iter().all(|a| a.child.iin != c.iin)), "not queued");
    let mut iins: Vec<_> = people.iter().map(|p| p.iin.as_str()).collect();
    iins.sort_unstable();
    iins.dedup();
    assert_eq!(iins.len(), people.len(), "each person once");
    assert_eq!(registry_people(&region, today), people, "deterministic");
}
