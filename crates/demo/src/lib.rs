//! A deterministic generator of a realistic region: districts, kindergartens, groups, vacancies
//! and queued applications.
//!
//! The same `(scale, seed, today)` gives the same region, byte for byte, on every machine and
//! forever: the random numbers come from a SplitMix64 written in this crate, ids are drawn from
//! it, and no platform-dependent float function (sin, cos, …) is used.
//!
//! * [`Scale::Demo`]: East Kazakhstan — 12 real districts and cities, 150 kindergartens
//!   (about 45% in Ust-Kamenogorsk), 5,000 applications. The app's default data.
//! * [`Scale::National`]: the 17 regions and 3 cities of Kazakhstan, 12,000 kindergartens and
//!   500,000 applications: the sizing target of the brief.
//! * [`Scale::Custom`]: the national geography at any size, for tests and benchmarks.

mod data;
mod names;
mod registry;
mod rng;

pub use registry::{registry_people, unqueued_children};

use baqsha_core::{
    AgeBand, Application, ApplicationId, ApplicationStatus, BenefitClaim, BenefitKind, Contacts, District, Email, GeoPoint, Group, GroupId, Iin, Kindergarten, KindergartenId,
    KindergartenKind, Language, Person, Phone, Sex, Vacancy, VacancyId, Verification,
};
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use data::{DistrictDef, Place, PlaceKind, RegionDef};
use rng::Rng;
use serde::{Deserialize, Serialize};

/// The seed of the data the app ships with.
pub const DEMO_SEED: u64 = 2026;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scale {
    /// East Kazakhstan: 150 kindergartens, 5,000 applications.
    Demo,
    /// All of Kazakhstan: 12,000 kindergartens, 500,000 applications.
    National,
    /// The national geography with the given counts.
    Custom { kindergartens: u32, applications: u32 },
}

impl Scale {
    pub fn kindergartens(self) -> u32 {
        match self {
            Scale::Demo => 150,
            Scale::National => 12_000,
            Scale::Custom { kindergartens, .. } => kindergartens,
        }
    }
    pub fn applications(self) -> u32 {
        match self {
            Scale::Demo => 5_000,
            Scale::National => 500_000,
            Scale::Custom { applications, .. } => applications,
        }
    }
}

/// A generated region (or the whole country at national scale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub districts: Vec<District>,
    pub kindergartens: Vec<Kindergarten>,
    pub groups: Vec<Group>,
    pub vacancies: Vec<Vacancy>,
    /// In registration order; numbers rise with it.
    pub applications: Vec<Application>,
}

/// A region of Kazakhstan as an office sets itself up in it: its real name, its number
/// prefix and its districts (real names and centres; nothing generated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionGeography {
    pub code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub districts: Vec<District>,
}

/// The 17 regions and 3 cities of republican significance, East Kazakhstan first.
pub fn geography() -> Vec<RegionGeography> {
    std::iter::once(&data::VKO)
        .chain(data::REGIONS.iter().copied().filter(|r| r.code != data::VKO.code))
        .map(|r| RegionGeography {
            code: r.code.into(),
            name_kk: r.kk.into(),
            name_ru: r.ru.into(),
            name_en: r.en.into(),
            districts: r
                .districts
                .iter()
                .map(|d| District { code: d.code.into(), name_kk: d.kk.into(), name_ru: d.ru.into(), name_en: d.en.into(), centre: GeoPoint { lat: d.lat, lon: d.lon } })
                .collect(),
        })
        .collect()
}

/// Builds a region. `today` anchors every date: children's ages, registration times (all
/// before `today`), vacancy dates (the 30 days up to `today`).
pub fn generate(scale: Scale, seed: u64, today: NaiveDate) -> Region {
    let (regions, prefixed): (Vec<&'static RegionDef>, bool) = match scale {
        Scale::Demo => (vec![&data::VKO], false),
        Scale::National | Scale::Custom { .. } => (data::REGIONS.to_vec(), true),
    };
    let mut geo = build_geography(&regions, prefixed, scale.kindergartens(), seed);
    let (kindergartens, groups, queued) = build_kindergartens(&mut geo, seed);
    let vacancies = build_vacancies(&kindergartens, &groups, &queued, seed, today);
    let applications = build_applications(&geo, &kindergartens, scale.applications(), seed, today);

    let (name_kk, name_ru, name_en) = match scale {
        Scale::Demo => (data::VKO.kk, data::VKO.ru, data::VKO.en),
        _ => ("Қазақстан Республикасы", "Республика Казахстан", "Republic of Kazakhstan"),
    };
    Region {
        name_kk: name_kk.into(),
        name_ru: name_ru.into(),
        name_en: name_en.into(),
        districts: geo
            .iter()
            .map(|d| District {
                code: d.code.clone(),
                name_kk: d.def.kk.into(),
                name_ru: d.def.ru.into(),
                name_en: d.def.en.into(),
                centre: GeoPoint { lat: d.def.lat, lon: d.def.lon },
            })
            .collect(),
        kindergartens,
        groups,
        vacancies,
        applications,
    }
}

// Independent random streams per part (see `Rng::stream`).
const GEO: u64 = 1;
const KINDERGARTENS: u64 = 2;
const VACANCIES: u64 = 3;
const PLANS: u64 = 4;
const PEOPLE: u64 = 5;
const PAST: u64 = 6;

// ---------------------------------------------------------------------------------------------
// Geography

struct DistrictInfo {
    def: &'static DistrictDef,
    region: &'static RegionDef,
    region_index: usize,
    code: String,
    /// Settlements with their positions, the centre first.
    places: Vec<(Place, GeoPoint)>,
    place_weights: Vec<u32>,
    /// Per place, the start of its addresses in Kazakh and Russian (see `address_prefix`).
    prefixes: Vec<(String, String)>,
    streets: &'static [(&'static str, &'static str)],
    kindergarten_count: u32,
    /// Queued (non-private) kindergartens, as indexes into the kindergarten list, by the
    /// language they can teach in: [Kk, Ru, any].
    queued_by_language: [Vec<u32>; 3],
}

fn build_geography(regions: &[&'static RegionDef], prefixed: bool, kindergartens: u32, seed: u64) -> Vec<DistrictInfo> {
    let mut rng = Rng::stream(seed, GEO);
    let region_counts = apportion(u64::from(kindergartens), &regions.iter().map(|r| u64::from(r.weight)).collect::<Vec<_>>());
    let mut out = Vec::new();
    for (ri, (region, &count)) in regions.iter().zip(&region_counts).enumerate() {
        let counts = apportion(count, &region.districts.iter().map(|d| u64::from(d.weight)).collect::<Vec<_>>());
        for (def, &n) in region.districts.iter().zip(&counts) {
            let centre = GeoPoint { lat: def.lat, lon: def.lon };
            let mut places: Vec<(Place, GeoPoint)> = vec![(def.places.first().copied().unwrap_or(Place { kk: def.kk, ru: def.ru, kind: PlaceKind::City }), centre)];
            let mut extra: Vec<Place> = def.places.iter().skip(1).copied().collect();
            if !def.urban && extra.is_empty() {
                // The national tables name only district centres: give them villages too.
                let start = rng.below_usize(data::GENERIC_VILLAGES.len());
                for k in 0..3 {
                    if let Some(p) = data::GENERIC_VILLAGES.get((start + k * 4) % data::GENERIC_VILLAGES.len()) {
                        extra.push(*p);
                    }
                }
            }
            for p in extra {
                places.push((p, village_position(&mut rng, centre)));
            }
            // The centre holds about half of a rural district's people.
            let place_weights = places.iter().enumerate().map(|(i, _)| if i == 0 { 3 } else { 1 }).collect();
            let prefixes = places.iter().map(|(p, _)| address_prefix(def, p)).collect();
            out.push(DistrictInfo {
                def,
                region,
                region_index: ri,
                code: if prefixed { format!("{}-{}", region.code.to_lowercase(), def.code) } else { def.code.to_string() },
                places,
                place_weights,
                prefixes,
                streets: if def.code == "oskemen" { data::OSKEMEN_STREETS } else { data::GENERIC_STREETS },
                kindergarten_count: n as u32,
                queued_by_language: [Vec::new(), Vec::new(), Vec::new()],
            });
        }
    }
    out
}

/// Splits `total` in proportion to `weights` (largest remainder; ties to the earlier entry), so
/// the parts add up exactly.
fn apportion(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    let mut rest: Vec<(u64, usize)> = weights.iter().enumerate().map(|(i, w)| (total * w % sum, i)).collect();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let missing = total - parts.iter().sum::<u64>();
    for &(_, i) in rest.iter().take(missing as usize) {
        if let Some(p) = parts.get_mut(i) {
            *p += 1;
        }
    }
    parts
}

/// cos of an angle in degrees by its Taylor series: `f64::cos` may differ in the last bit
/// between platforms' maths libraries, and the output must not.
fn cos_deg(deg: f64) -> f64 {
    let x = deg * std::f64::consts::PI / 180.0;
    let x2 = x * x;
    1.0 - x2 / 2.0 * (1.0 - x2 / 12.0 * (1.0 - x2 / 30.0 * (1.0 - x2 / 56.0 * (1.0 - x2 / 90.0 * (1.0 - x2 / 132.0)))))
}

/// A point in the unit disk, by rejection (no trigonometry).
fn unit_disk(rng: &mut Rng, min_radius: f64) -> (f64, f64) {
    for _ in 0..64 {
        let x = rng.unit() * 2.0 - 1.0;
        let y = rng.unit() * 2.0 - 1.0;
        let d2 = x * x + y * y;
        if d2 <= 1.0 && d2 >= min_radius * min_radius {
            return (x, y);
        }
    }
    (min_radius, 0.0)
}

fn offset_km(p: GeoPoint, east_km: f64, north_km: f64) -> GeoPoint {
    let round6 = |v: f64| (v * 1e6).round() / 1e6;
    GeoPoint { lat: round6(p.lat + north_km / 111.0), lon: round6(p.lon + east_km / (111.32 * cos_deg(p.lat))) }
}

fn jitter(rng: &mut Rng, p: GeoPoint, radius_km: f64) -> GeoPoint {
    let (x, y) = unit_disk(rng, 0.0);
    offset_km(p, x * radius_km, y * radius_km)
}

/// Villages lie 8–30 km from their district centre.
fn village_position(rng: &mut Rng, centre: GeoPoint) -> GeoPoint {
    let (x, y) = unit_disk(rng, 8.0 / 30.0);
    offset_km(centre, x * 30.0, y * 30.0)
}

// ---------------------------------------------------------------------------------------------
// Kindergartens and groups

const AGE_ORDER: [(u8, u8); 5] = [(2, 3), (3, 4), (4, 5), (5, 6), (1, 2)];

fn build_kindergartens(geo: &mut [DistrictInfo], seed: u64) -> (Vec<Kindergarten>, Vec<Group>, Vec<bool>) {
    let mut rng = Rng::stream(seed, KINDERGARTENS);
    let mut kindergartens = Vec::new();
    let mut groups = Vec::new();
    let mut queued = Vec::new();
    for d in geo.iter_mut() {
        // State kindergartens are numbered per settlement, with the odd gap of a closed one.
        let mut numbers = vec![0u32; d.places.len()];
        for k in 0..d.kindergarten_count {
            // Every district keeps at least one state kindergarten so its children have a
            // queued preference; the very first one is «Ақбота», which tests and docs search for.
            let kind = if k == 0 {
                KindergartenKind::State
            } else {
                [KindergartenKind::State, KindergartenKind::PrivateStateOrder, KindergartenKind::Private][rng.weighted(&[70, 15, 15])]
            };
            let force_akbota = kindergartens.is_empty();
            let index = kindergartens.len() as u32;
            let (kg, mut gs) = kindergarten(&mut rng, d, kind, &mut numbers, force_akbota);
            if kind.is_queued() {
                let mut langs = [false; 3];
                for g in &gs {
                    for (i, l) in [Language::Kk, Language::Ru].into_iter().enumerate() {
                        if g.language.suits(l) {
                            langs[i] = true;
                        }
                    }
                }
                langs[2] = true;
                for (i, ok) in langs.into_iter().enumerate() {
                    if ok {
                        if let Some(list) = d.queued_by_language.get_mut(i) {
                            list.push(index);
                        }
                    }
                }
            }
            queued.push(kind.is_queued());
            kindergartens.push(kg);
            groups.append(&mut gs);
        }
    }
    (kindergartens, groups, queued)
}

fn kindergarten(rng: &mut Rng, d: &DistrictInfo, kind: KindergartenKind, numbers: &mut [u32], force_akbota: bool) -> (Kindergarten, Vec<Group>) {
    let id = KindergartenId(rng.uuid());
    let pi = if d.def.urban { 0 } else { rng.weighted(&d.place_weights) };
    let (place, at) = d.places.get(pi).copied().unwrap_or((Place { kk: d.def.kk, ru: d.def.ru, kind: PlaceKind::City }, GeoPoint { lat: d.def.lat, lon: d.def.lon }));
    let village = place.kind == PlaceKind::Village;
    // Kazakh-named kindergartens, and Kazakh groups in them, are commoner in villages and in
    // the south; the regions' family shares drive both.
    let kk_pct = (i64::from(d.region.kk_share) - 20 + if village { 15 } else { 0 }).clamp(5, 95) as f64 / 100.0;
    let kazakh = force_akbota || rng.chance(kk_pct);
    let name = if force_akbota {
        "Ақбота"
    } else if kazakh {
        rng.pick(data::KINDERGARTEN_NAMES_KK)
    } else {
        rng.pick(data::KINDERGARTEN_NAMES_RU)
    };
    let region_mail = d.region.code.to_lowercase();
    let place_latin = names::latin(place.kk);
    let (name_kk, name_ru, email) = match kind {
        KindergartenKind::State if village => (
            format!("{} ауылының «{name}» бөбекжайы", place.kk),
            format!("Ясли-сад «{name}» с. {}", place.ru),
            format!("{}.{place_latin}@edu.{region_mail}.kz", names::latin(name)),
        ),
        KindergartenKind::State => {
            let n = numbers.get_mut(pi).map_or(1, |n| {
                *n += if rng.chance(0.15) { 2 } else { 1 };
                *n
            });
            let (kk, ru) = if rng.chance(0.7) {
                (format!("№ {n} «{name}» бөбекжайы"), format!("Ясли-сад № {n} «{name}»"))
            } else {
                (format!("№ {n} «{name}» балабақшасы"), format!("Детский сад № {n} «{name}»"))
            };
            let mail = if d.def.urban && pi == 0 {
                format!("{}{n}@edu.{region_mail}.kz", names::latin(name))
            } else {
                format!("{}{n}.{place_latin}@edu.{region_mail}.kz", names::latin(name))
            };
            (kk, ru, mail)
        }
        KindergartenKind::PrivateStateOrder | KindergartenKind::Private => {
            let (kk_form, ru_form) = if rng.chance(0.8) { ("ЖШС", "ТОО") } else { ("ЖК", "ИП") };
            let domain = rng.pick(&["mail.kz", "mail.ru", "gmail.com"]);
            (format!("{kk_form} «{name}» балабақшасы"), format!("{ru_form} Детский сад «{name}»"), format!("{}.{}{}@{domain}", names::latin(name), place_latin, rng.range(1, 99)))
        }
    };

    let location = jitter(
        rng,
        at,
        if d.def.urban {
            4.0
        } else if pi == 0 {
            3.0
        } else {
            1.0
        },
    );
    let (street_kk, street_ru) = rng.pick(d.streets);
    let house = house_number(rng, !village);
    let (prefix_kk, prefix_ru) = d.prefixes.get(pi).cloned().unwrap_or_else(|| address_prefix(d.def, &place));
    let address_kk = format!("{prefix_kk}{street_kk}, {house}");
    let address_ru = format!("{prefix_ru}{street_ru}, {house}");

    let head_female = rng.chance(0.9);
    let head_kazakh = kazakh || rng.chance(0.3);
    let head = adult_full_name(rng, head_kazakh, head_female);

    let phone = if rng.chance(0.95) { Some(landline(rng, d.def.area)) } else { None };
    let email = if rng.chance(0.9) { Some(email) } else { None };
    let hours = if kind == KindergartenKind::State && rng.chance(0.7) { "07:30–19:00" } else { "08:00–18:00" };

    let programme_count = rng.range(1, 3) as usize;
    let mut programme_idx = Vec::new();
    if rng.chance(if kind == KindergartenKind::Private { 0.5 } else { 0.85 }) {
        programme_idx.push(0);
    }
    while programme_idx.len() < programme_count {
        let i = 1 + rng.below_usize(data::PROGRAMMES.len() - 1);
        if !programme_idx.contains(&i) {
            programme_idx.push(i);
        }
    }
    programme_idx.sort_unstable();
    let programmes = programme_idx.iter().filter_map(|&i| data::PROGRAMMES.get(i)).map(|s| s.to_string()).collect();
    let equipment_count = rng.range(2, 5) as usize;
    let mut equipment_idx: Vec<usize> = Vec::new();
    while equipment_idx.len() < equipment_count {
        let i = rng.below_usize(data::EQUIPMENT.len());
        if !equipment_idx.contains(&i) {
            equipment_idx.push(i);
        }
    }
    equipment_idx.sort_unstable();
    let equipment = equipment_idx.iter().filter_map(|&i| data::EQUIPMENT.get(i)).map(|s| s.to_string()).collect();

    // Groups: village kindergartens are small; town ones 3–12 groups, most around 7–8.
    let n = if village { 3 + rng.below(4) } else { 3 + (rng.below(10) + rng.below(10)).div_ceil(2) } as usize;
    let mut kk_name = rng.below_usize(data::GROUP_NAMES_KK.len());
    let mut ru_name = rng.below_usize(data::GROUP_NAMES_RU.len());
    let mut groups = Vec::with_capacity(n);
    for i in 0..n {
        let (from, to) = AGE_ORDER[i % AGE_ORDER.len()];
        let language = if kazakh {
            [Language::Kk, Language::Ru, Language::Mixed][rng.weighted(&[75, 10, 15])]
        } else {
            [Language::Kk, Language::Ru, Language::Mixed][rng.weighted(&[20, 65, 15])]
        };
        let name = if language == Language::Ru {
            ru_name += 1;
            format!("группа «{}»", data::GROUP_NAMES_RU.get(ru_name % data::GROUP_NAMES_RU.len()).copied().unwrap_or("Звёздочка"))
        } else {
            kk_name += 1;
            format!("{} тобы", data::GROUP_NAMES_KK.get(kk_name % data::GROUP_NAMES_KK.len()).copied().unwrap_or("Балапан"))
        };
        let capacity = if from == 1 { rng.range(15, 20) } else { rng.range(20, 30) };
        // Groups are full but for the odd place: that is the shortage the queue exists for.
        let enrolled = if rng.chance(0.7) { capacity } else { capacity - rng.range(1, 3) };
        groups.push(Group { id: GroupId(rng.uuid()), kindergarten: id, name, age: AgeBand { from_years: from, to_years: to }, language, capacity, enrolled });
    }
    groups.sort_by_key(|g| (g.age.from_years, g.language.code()));
    let total: u32 = groups.iter().map(|g| g.capacity).sum();
    let design_capacity = ((total + rng.range(0, 20)).saturating_sub(5) / 5 * 5).clamp(60, 320);

    let kg = Kindergarten {
        id,
        name_kk,
        name_ru,
        kind,
        district: d.code.clone(),
        address_kk,
        address_ru,
        location,
        head,
        phone,
        email,
        hours: hours.to_string(),
        programmes,
        equipment,
        design_capacity,
    };
    (kg, groups)
}

/// The part of an address before the street: "Өскемен қ., ", "Астана қ., Есіл ауданы, ",
/// "Ұлан ауданы, Таврия ауылы, ".
fn address_prefix(d: &DistrictDef, place: &Place) -> (String, String) {
    if d.city_district {
        (format!("{}, {}, ", place.label_kk(), d.kk), format!("{}, {}, ", place.label_ru(), d.ru))
    } else if d.urban {
        (format!("{}, ", place.label_kk()), format!("{}, ", place.label_ru()))
    } else {
        (format!("{}, {}, ", d.kk, place.label_kk()), format!("{}, {}, ", d.ru, place.label_ru()))
    }
}

fn house_number(rng: &mut Rng, town: bool) -> String {
    let n = if town { rng.range(1, 150) } else { rng.range(1, 60) };
    if rng.chance(0.08) {
        format!("{n}/{}", rng.range(1, 3))
    } else {
        n.to_string()
    }
}

/// A landline as printed on a kindergarten's sign: `+7 7232 25 14 08`.
fn landline(rng: &mut Rng, area: &str) -> String {
    let local_len = 10usize.saturating_sub(area.len()).max(5);
    let mut digits = String::with_capacity(local_len);
    digits.push(char::from(b'2' + rng.below(8) as u8));
    for _ in 1..local_len {
        digits.push(char::from(b'0' + rng.below(10) as u8));
    }
    let split = local_len - 4;
    format!("+7 {area} {} {} {}", &digits[..split], &digits[split..split + 2], &digits[split + 2..])
}

fn adult_full_name(rng: &mut Rng, kazakh: bool, female: bool) -> String {
    let n = adult_name(rng, kazakh, female, None);
    match n.patronymic {
        Some(p) => format!("{} {} {}", n.surname, n.given, p),
        None => format!("{} {}", n.surname, n.given),
    }
}

struct Name {
    surname: String,
    given: &'static str,
    patronymic: Option<String>,
}

/// A grown-up's name; `surname_base` is the family's (man's) surname when it is known.
fn adult_name(rng: &mut Rng, kazakh: bool, female: bool, surname_base: Option<&str>) -> Name {
    let base = surname_base.unwrap_or_else(|| rng.pick(if kazakh { names::KK_SURNAMES } else { names::RU_SURNAMES }));
    let surname = if female { names::feminine(base) } else { base.to_string() };
    if kazakh {
        let given = rng.pick(if female { names::KK_ADULT_FEMALE } else { names::KK_ADULT_MALE });
        // Their fathers' names: people born before 2000 often have the Russian-style form.
        let father = rng.pick(names::KK_ADULT_MALE);
        let patronymic = match rng.weighted(&[55, 40, 5]) {
            0 => Some(names::kazakh_patronymic(father, female)),
            1 => Some(names::russian_style_patronymic(father, female).unwrap_or_else(|| names::kazakh_patronymic(father, female))),
            _ => None,
        };
        Name { surname, given, patronymic }
    } else {
        let given = if female { rng.pick(names::RU_ADULT_FEMALE) } else { rng.pick(names::RU_ADULT_MALE).0 };
        let (_, son, daughter) = rng.pick(names::RU_ADULT_MALE);
        Name { surname, given, patronymic: Some(if female { daughter } else { son }.to_string()) }
    }
}

// ---------------------------------------------------------------------------------------------
// The year before

/// A year of places before the current bulletin: one place each, published on a weekday one
/// to eleven months ago (none in August, when publication pauses), in groups of queued
/// kindergartens that have children now — the children these places brought. The seeding
/// offers, refers and admits them in order, so a fresh demo's «Алынған жолдамалар» and
/// statistics have a year in them.
pub fn past_places(region: &Region, seed: u64, today: NaiveDate) -> Vec<Vacancy> {
    let mut rng = Rng::stream(seed, PAST);
    let queued: std::collections::HashSet<KindergartenId> = region.kindergartens.iter().filter(|k| k.kind.is_queued()).map(|k| k.id).collect();
    let mut candidates: Vec<&Group> = region.groups.iter().filter(|g| g.enrolled > 0 && queued.contains(&g.kindergarten)).collect();
    let target = candidates.len().min(24);
    for i in 0..target {
        let j = i + rng.below_usize(candidates.len() - i);
        candidates.swap(i, j);
    }
    let mut out: Vec<Vacancy> = candidates
        .into_iter()
        .take(target)
        .filter_map(|g| {
            let mut date = today.checked_sub_days(Days::new(31 + rng.below(300)))?;
            while date.month() == 8 || date.weekday().number_from_monday() > 5 {
                date = date.checked_sub_days(Days::new(1))?;
            }
            Some(Vacancy { id: VacancyId(rng.uuid()), kindergarten: g.kindergarten, group: g.id, count: 1, published_on: date })
        })
        .collect();
    out.sort_by_key(|v| v.published_on);
    out
}

// ---------------------------------------------------------------------------------------------
// Vacancies

fn build_vacancies(kindergartens: &[Kindergarten], groups: &[Group], queued: &[bool], seed: u64, today: NaiveDate) -> Vec<Vacancy> {
    let mut rng = Rng::stream(seed, VACANCIES);
    let queued_ids: std::collections::HashSet<KindergartenId> = kindergartens.iter().zip(queued).filter(|(_, &q)| q).map(|(k, _)| k.id).collect();
    // Only queued kindergartens publish to the bulletin; 40 for the demo's 150.
    let mut candidates: Vec<usize> = groups.iter().enumerate().filter(|(_, g)| g.free_places() > 0 && queued_ids.contains(&g.kindergarten)).map(|(i, _)| i).collect();
    let target = ((kindergartens.len() * 4 + 7) / 15).min(candidates.len());
    // Partial Fisher–Yates: the first `target` entries become a uniform sample.
    for i in 0..target {
        let j = i + rng.below_usize(candidates.len() - i);
        candidates.swap(i, j);
    }
    let mut chosen: Vec<(NaiveDate, usize)> = candidates
        .iter()
        .take(target)
        .map(|&gi| {
            let mut date = today.checked_sub_days(Days::new(rng.below(30))).unwrap_or(today);
            if date.month() == 8 {
                // Publication pauses in August while groups move up.
                date = NaiveDate::from_ymd_opt(date.year(), 7, 31).and_then(|d| d.checked_sub_days(Days::new(rng.below(10)))).unwrap_or(date);
            }
            (date, gi)
        })
        .collect();
    chosen.sort_unstable();
    chosen
        .into_iter()
        .filter_map(|(published_on, gi)| {
            let g = groups.get(gi)?;
            Some(Vacancy { id: VacancyId(rng.uuid()), kindergarten: g.kindergarten, group: g.id, count: rng.range(1, g.free_places()), published_on })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Applications

/// What is drawn first, cheaply, so that applications can be numbered in registration order
/// before the heavy part (names, IINs, strings) is made.
struct Plan {
    at: NaiveDateTime,
    seq: u32,
    birth: NaiveDate,
    district: u32,
    female: bool,
}

/// Hands out IIN serials: per birth date and sex, a counter mapped onto 0..10000 by a
/// bijection (×7919, coprime to 10000), so serials look scattered yet never repeat.
struct SerialBook {
    base: NaiveDate,
    next: Vec<u16>,
}

impl SerialBook {
    fn new(base: NaiveDate, until: NaiveDate) -> SerialBook {
        let days = until.signed_duration_since(base).num_days().max(0) as usize + 2;
        SerialBook { base, next: vec![0; days * 2] }
    }

    fn issue(&mut self, birth: NaiveDate, sex: Sex) -> Option<Iin> {
        let day = birth.signed_duration_since(self.base).num_days();
        let idx = usize::try_from(day).ok()? * 2 + usize::from(sex == Sex::Female);
        let counter = self.next.get_mut(idx)?;
        let offset = (day as u64).wrapping_mul(2_654_435_761) % 10_000;
        while *counter < 10_000 {
            let serial = ((u64::from(*counter) * 7919 + offset) % 10_000) as u16;
            *counter += 1;
            // About one number in eleven would never be issued (both check sums give 10).
            if let Some(iin) = Iin::from_parts(birth, sex, serial) {
                return Some(iin);
            }
        }
        None
    }

    /// An IIN for this date or, when its serials have run out, a nearby earlier one.
    fn issue_near(&mut self, birth: NaiveDate, sex: Sex, earliest: NaiveDate) -> Option<Iin> {
        for back in 0..60 {
            let date = birth.checked_sub_days(Days::new(back))?;
            if date < earliest {
                return None;
            }
            if let Some(iin) = self.issue(date, sex) {
                return Some(iin);
            }
        }
        None
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn build_applications(geo: &[DistrictInfo], kindergartens: &[Kindergarten], count: u32, seed: u64, today: NaiveDate) -> Vec<Application> {
    let mut plans = plan_applications(geo, count, seed, today);
    plans.sort_unstable_by_key(|p| (p.at, p.seq));

    let mut rng = Rng::stream(seed, PEOPLE);
    let mut book = SerialBook::new(ymd(1900, 1, 1), today);
    // The oldest a queued child can be: still under school age on the next policy date.
    let oldest_birth = school_age_cutoff(today).checked_add_days(Days::new(1)).unwrap_or(today);
    // Per region: the year being numbered and the last number in it.
    let region_count = geo.iter().map(|d| d.region_index + 1).max().unwrap_or(0);
    let mut counters: Vec<(i32, u32)> = vec![(0, 0); region_count];
    // Fallback preference lists per region, for a district that has no queued kindergarten.
    let mut region_queued: Vec<Vec<u32>> = vec![Vec::new(); region_count];
    for d in geo {
        if let (Some(list), Some(all)) = (region_queued.get_mut(d.region_index), d.queued_by_language.get(2)) {
            list.extend_from_slice(all);
        }
    }

    let mut out = Vec::with_capacity(plans.len());
    for plan in plans {
        let Some(d) = geo.get(plan.district as usize) else { continue };
        let child_sex = if plan.female { Sex::Female } else { Sex::Male };
        let Some(child_iin) = book.issue_near(plan.birth, child_sex, oldest_birth) else { continue };
        let child_birth = child_iin.birth_date();

        let kazakh = rng.below(100) < u64::from(d.region.kk_share);
        let family = rng.pick(if kazakh { names::KK_SURNAMES } else { names::RU_SURNAMES });
        let (father_given, father_son, father_daughter) = if kazakh {
            let f = rng.pick(names::KK_ADULT_MALE);
            (f, None, None)
        } else {
            let (f, s, dd) = rng.pick(names::RU_ADULT_MALE);
            (f, Some(s), Some(dd))
        };
        let parent_is_mother = rng.chance(0.82);

        // Parent: 20–42 at the child's birth (18 at least), born 1975–2003.
        let age = 20 + rng.below(12) + rng.below(12);
        let parent_birth = child_birth.checked_sub_months(Months::new(age as u32 * 12)).and_then(|d| d.checked_sub_days(Days::new(rng.below(365)))).unwrap_or(child_birth);
        let latest = child_birth.checked_sub_months(Months::new(18 * 12)).unwrap_or(child_birth).min(ymd(2003, 12, 31));
        let earliest = ymd(1975, 1, 1).min(latest);
        let parent_birth = parent_birth.clamp(earliest, latest);
        let parent_sex = if parent_is_mother { Sex::Female } else { Sex::Male };
        let Some(parent_iin) = book.issue_near(parent_birth, parent_sex, ymd(1901, 1, 1)) else { continue };

        let parent_name = if parent_is_mother {
            // Most mothers carry the family's surname; some kept their own.
            let own = if rng.chance(0.8) { Some(family) } else { None };
            adult_name(&mut rng, kazakh, true, own)
        } else {
            let mut n = adult_name(&mut rng, kazakh, false, Some(family));
            n.given = father_given;
            n
        };

        let child_given = if kazakh {
            rng.pick(if plan.female { names::KK_CHILD_FEMALE } else { names::KK_CHILD_MALE })
        } else {
            rng.pick(if plan.female { names::RU_CHILD_FEMALE } else { names::RU_CHILD_MALE })
        };
        let child_patronymic = if kazakh {
            match rng.weighted(&[80, 12, 8]) {
                0 => Some(names::kazakh_patronymic(father_given, plan.female)),
                1 => Some(names::russian_style_patronymic(father_given, plan.female).unwrap_or_else(|| names::kazakh_patronymic(father_given, plan.female))),
                _ => None,
            }
        } else {
            (if plan.female { father_daughter } else { father_son }).map(str::to_string)
        };
        let child = Person {
            iin: child_iin,
            surname: if plan.female { names::feminine(family) } else { family.to_string() },
            given_name: child_given.to_string(),
            patronymic: child_patronymic,
            verified: rng.chance(0.95),
        };
        let parent_verified = rng.chance(0.93);
        let email = if rng.chance(0.6) { parent_email(&mut rng, &parent_name, parent_iin.birth_date()) } else { None };
        let parent =
            Person { iin: parent_iin, surname: parent_name.surname, given_name: parent_name.given.to_string(), patronymic: parent_name.patronymic, verified: parent_verified };
        let Some(phone) = mobile(&mut rng) else { continue };
        let extra_phone = if rng.chance(0.25) { mobile(&mut rng) } else { None };

        let pi = if d.def.urban { 0 } else { rng.weighted(&d.place_weights) };
        let address = match (d.places.get(pi), d.prefixes.get(pi)) {
            (Some((place, _)), Some((prefix, _))) => {
                use std::fmt::Write;
                let (street, _) = rng.pick(d.streets);
                let house = house_number(&mut rng, place.kind != PlaceKind::Village);
                let mut a = String::with_capacity(prefix.len() + street.len() + 24);
                a.push_str(prefix);
                a.push_str(street);
                a.push(' ');
                a.push_str(&house);
                if place.kind == PlaceKind::City && rng.chance(0.75) {
                    let _ = write!(a, ", {} пәтер", rng.range(1, 180));
                }
                a
            }
            _ => d.def.kk.to_string(),
        };

        let language = if kazakh {
            [Language::Kk, Language::Ru, Language::Mixed][rng.weighted(&[80, 12, 8])]
        } else {
            [Language::Kk, Language::Ru, Language::Mixed][rng.weighted(&[5, 85, 10])]
        };
        let preferences = preferences(&mut rng, d, language, region_queued.get(d.region_index), kindergartens);

        let benefit = benefit(&mut rng);
        let status = [ApplicationStatus::Queued, ApplicationStatus::Enrolled, ApplicationStatus::Withdrawn][rng.weighted(&[93, 4, 3])];

        let year = plan.at.year();
        let number = match counters.get_mut(d.region_index) {
            Some(c) => {
                if c.0 != year {
                    *c = (year, 0);
                }
                c.1 += 1;
                format!("{}-{year}-{:06}", d.region.code, c.1)
            }
            None => format!("{}-{year}-{:06}", d.region.code, plan.seq + 1),
        };

        out.push(Application {
            id: ApplicationId(rng.uuid()),
            number,
            child,
            parent,
            contacts: Contacts { phone, extra_phone, email },
            address,
            preferences,
            language,
            benefit,
            consent: true,
            registered_at: DateTime::<Utc>::from_naive_utc_and_offset(plan.at, Utc),
            status,
        });
    }
    out
}

/// Children born on or before this date reach school age by the next policy date (30 June)
/// and have left the queue, so the generator never makes them.
fn school_age_cutoff(today: NaiveDate) -> NaiveDate {
    use baqsha_core::queue::{next_policy_date, QueueRules};
    let rules = QueueRules::default();
    next_policy_date(today, &rules)
        .and_then(|d| d.checked_sub_months(Months::new(12 * rules.school_age_years)))
        .unwrap_or_else(|| today.checked_sub_months(Months::new(72)).unwrap_or(today))
}

fn plan_applications(geo: &[DistrictInfo], count: u32, seed: u64, today: NaiveDate) -> Vec<Plan> {
    let mut rng = Rng::stream(seed, PLANS);
    // Children follow the kindergartens: a district's share of applications is its share of
    // kindergartens.
    let mut cumulative = Vec::with_capacity(geo.len());
    let mut total = 0u64;
    for d in geo {
        total += u64::from(d.kindergarten_count);
        cumulative.push(total);
    }
    let oldest = school_age_cutoff(today);
    let youngest = today.checked_sub_days(Days::new(35)).unwrap_or(today);
    let last_day = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let mut plans = Vec::with_capacity(count as usize);
    if total == 0 {
        return plans;
    }
    for seq in 0..count {
        let x = rng.below(total);
        let district = cumulative.partition_point(|&c| c <= x) as u32;
        let female = rng.chance(0.49);
        // Most of the queue is one to three years old.
        let age_years = rng.weighted(&[12, 22, 24, 18, 12, 8, 4]) as u64;
        let days_old = if age_years == 0 { 35 + rng.below(330) } else { age_years * 365 + rng.below(365) };
        let mut birth = today.checked_sub_days(Days::new(days_old)).unwrap_or(youngest);
        if birth <= oldest {
            birth = oldest.checked_add_days(Days::new(1 + rng.below(30))).unwrap_or(youngest);
        }
        let birth = birth.min(youngest);
        // Registered a month after birth at the earliest; most parents come early.
        let first_day = birth.checked_add_days(Days::new(30)).unwrap_or(birth);
        let span = last_day.signed_duration_since(first_day).num_days().max(0);
        let u = rng.unit();
        let mut day = first_day.checked_add_days(Days::new((span as f64 * u * u) as u64)).unwrap_or(first_day);
        // Desks work on weekdays: a weekend day moves to the Friday before (or Monday after).
        let back = match day.weekday() {
            Weekday::Sat => 1,
            Weekday::Sun => 2,
            _ => 0,
        };
        if back > 0 {
            let friday = day.checked_sub_days(Days::new(back)).unwrap_or(day);
            let monday = day.checked_add_days(Days::new(3 - back)).unwrap_or(day);
            if friday >= first_day {
                day = friday;
            } else if monday <= last_day {
                day = monday;
            }
        }
        // 09:00–18:00 in Kazakhstan (UTC+5), kept in UTC.
        let local = 9 * 3600 + rng.below(9 * 3600) as u32;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(local - 5 * 3600, 0).unwrap_or_default();
        plans.push(Plan { at: day.and_time(time), seq, birth, district, female });
    }
    plans
}

fn mobile(rng: &mut Rng) -> Option<Phone> {
    let code = rng.pick(data::MOBILE_CODES);
    Phone::parse(&format!("+7{code}{:07}", rng.below(10_000_000))).ok()
}

fn parent_email(rng: &mut Rng, name: &Name, birth: NaiveDate) -> Option<Email> {
    let given = names::latin(name.given);
    let surname = names::latin(&name.surname);
    let yy = birth.year() % 100;
    let domain = rng.pick(data::MAIL_DOMAINS);
    let local = match rng.below(4) {
        0 => format!("{given}.{surname}"),
        1 => format!("{surname}{yy:02}"),
        2 => format!("{given}_{surname}{}", rng.range(1, 99)),
        _ => format!("{}{surname}{yy:02}", given.chars().next().unwrap_or('a')),
    };
    Email::parse(&format!("{local}@{domain}")).ok()
}

fn preferences(rng: &mut Rng, d: &DistrictInfo, language: Language, region_fallback: Option<&Vec<u32>>, kindergartens: &[Kindergarten]) -> Vec<KindergartenId> {
    let [kk, ru, any] = &d.queued_by_language;
    let matching = match language {
        Language::Kk => kk,
        Language::Ru => ru,
        Language::Mixed => any,
    };
    // Most parents ask only where their language is taught.
    let mut pool: &Vec<u32> = if !matching.is_empty() && rng.chance(0.9) { matching } else { any };
    if pool.is_empty() {
        pool = match region_fallback {
            Some(r) => r,
            None => return Vec::new(),
        };
    }
    let want = (rng.weighted(&[30, 35, 35]) + 1).min(pool.len());
    let mut chosen: Vec<u32> = Vec::with_capacity(want);
    let mut tries = 0;
    while chosen.len() < want && tries < 50 {
        tries += 1;
        let k = rng.pick(pool);
        if !chosen.contains(&k) {
            chosen.push(k);
        }
    }
    chosen.iter().filter_map(|&k| kindergartens.get(k as usize)).map(|k| k.id).collect()
}

fn benefit(rng: &mut Rng) -> Option<BenefitClaim> {
    use BenefitKind::*;
    let r = rng.below(1000);
    let kind = if r < 20 {
        [MilitaryServiceman, SpecialStateBody, DiedOrMissingInService][rng.weighted(&[60, 30, 10])]
    } else if r < 140 {
        [Orphan, LargeFamily, SpecialNeeds, ParentDisabled, TeacherChild][rng.weighted(&[8, 50, 12, 10, 20])]
    } else {
        return None;
    };
    let verification = [Verification::Confirmed, Verification::Pending, Verification::Rejected][rng.weighted(&[80, 15, 5])];
    let proofs = (1..=rng.range(1, 3)).map(|i| format!("proof-{i}.jpg")).collect();
    Some(BenefitClaim { kind, verification, proofs })
}

#[cfg(test)]
mod tests;
