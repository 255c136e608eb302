//! The demo's person registry: everyone in the demo region's applications, and the younger
//! brothers and sisters of one child in ten, born in the last two years and not yet queued,
//! so «ТАӘ толтыру» and a new application work in the demo without a network.

use crate::names;
use crate::rng::Rng;
use crate::Region;
use baqsha_core::{Iin, Person, Sex};
use chrono::{Days, NaiveDate};
use std::collections::HashSet;

const SIBLINGS: u64 = 6;

/// People the demo registry knows, each once. `today` must be the region's own.
pub fn registry_people(region: &Region, today: NaiveDate) -> Vec<Person> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(region.applications.len() * 2 + region.applications.len() / 10);
    for a in &region.applications {
        for p in [&a.child, &a.parent] {
            if seen.insert(p.iin.as_str().to_string()) {
                out.push(Person { verified: true, ..p.clone() });
            }
        }
    }
    for (child, _) in unqueued_children(region, today) {
        if seen.insert(child.iin.as_str().to_string()) {
            out.push(child);
        }
    }
    out
}

/// The younger brothers and sisters, not yet queued, each with the parent of the queued
/// child (for the demo's walkthrough and the end-to-end tests).
pub fn unqueued_children(region: &Region, today: NaiveDate) -> Vec<(Person, Person)> {
    let mut seen: HashSet<String> = region.applications.iter().flat_map(|a| [a.child.iin.as_str().to_string(), a.parent.iin.as_str().to_string()]).collect();
    let mut out = vec![];
    let mut rng = Rng::stream(crate::DEMO_SEED, SIBLINGS);
    for (n, a) in region.applications.iter().enumerate().filter(|(n, _)| n % 10 == 3) {
        let female = rng.chance(0.5);
        let Some(birth) = today.checked_sub_days(Days::new(60 + rng.below(640))) else { continue };
        let sex = if female { Sex::Female } else { Sex::Male };
        // Serials far from the generator's own, so no sibling takes a queued child's IIN.
        let Some(iin) = (0..50).find_map(|k| Iin::from_parts(birth, sex, 7000 + ((n as u16).wrapping_mul(7) + k) % 2900)) else { continue };
        if !seen.insert(iin.as_str().to_string()) {
            continue;
        }
        let kazakh =
            a.child.surname.chars().any(|c| "әғқңөұүһі".contains(c.to_lowercase().next().unwrap_or(c))) || names::KK_SURNAMES.iter().any(|s| a.child.surname.starts_with(s));
        let given = if kazakh {
            rng.pick(if female { names::KK_CHILD_FEMALE } else { names::KK_CHILD_MALE })
        } else {
            rng.pick(if female { names::RU_CHILD_FEMALE } else { names::RU_CHILD_MALE })
        };
        let family = names::KK_SURNAMES.iter().chain(names::RU_SURNAMES).find(|s| a.child.surname == **s || a.child.surname == names::feminine(s)).copied();
        let surname = match family {
            Some(f) if female => names::feminine(f),
            Some(f) => f.to_string(),
            None => a.child.surname.clone(),
        };
        // The same father: a sister of a brother keeps the patronymic only when it fits her.
        let patronymic = if a.child.sex() == sex { a.child.patronymic.clone() } else { None };
        let child = Person { iin, surname, given_name: given.to_string(), patronymic, verified: true };
        out.push((child, Person { verified: true, ..a.parent.clone() }));
    }
    out
}
