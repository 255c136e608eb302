//! Offering published places in queue order (issue 5, the decision only).
//!
//! Each age category's queue is walked in order; an applicant is offered the first place,
//! in the order of their preferences, that is still open, in a group of their age band and
//! of a language that suits them. So nobody is offered a place that someone ahead of them
//! in the same queue wanted, could take, and did not get — the fairness property the tests
//! check. An applicant who let the turn pass keeps the queue place and is skipped for these
//! places. Pure: the store feeds the queue and the places; the sync server runs the same.

use crate::model::{AgeBand, ApplicationId, GroupId, KindergartenId, Language, VacancyId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Open places of one group, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenPlaces {
    pub vacancy: VacancyId,
    pub kindergarten: KindergartenId,
    pub group: GroupId,
    pub age: AgeBand,
    pub language: Language,
    pub open: u32,
}

/// An application waiting in its category's queue, in queue order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub application: ApplicationId,
    pub number: String,
    /// 1-based position in the category (`queue::explain`).
    pub position: u64,
    /// Age in whole years on the policy date, for the groups' age bands.
    pub age: u8,
    pub preferences: Vec<KindergartenId>,
    pub language: Language,
    /// Skipped for every place now (holds an offer already, or is on the stop-list after a
    /// refusal); the queue place is kept.
    pub passed: bool,
    /// Publications whose offer this applicant let pass: not offered again, queue place kept.
    #[serde(default)]
    pub passed_places: Vec<VacancyId>,
}

/// One place offered to one applicant, and why them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub vacancy: VacancyId,
    pub kindergarten: KindergartenId,
    pub group: GroupId,
    pub application: ApplicationId,
    pub number: String,
    pub position: u64,
    /// 0 = the applicant's first preference.
    pub preference_rank: usize,
    /// Applicants ahead in the same queue who were not offered this place: they chose other
    /// kindergartens, another language, are of another age, passed, or got a place they
    /// preferred.
    pub ahead_not_offered: u64,
}

/// The offers for `places` over queues given in order (each `Vec` one category's queue,
/// ascending position). Places nobody can take stay open (returned with what is left).
pub fn offers(places: &[OpenPlaces], queues: &[Vec<Candidate>]) -> (Vec<Offer>, Vec<OpenPlaces>) {
    let mut left: Vec<OpenPlaces> = places.to_vec();
    let mut by_kindergarten: HashMap<KindergartenId, Vec<usize>> = HashMap::new();
    for (i, p) in left.iter().enumerate() {
        by_kindergarten.entry(p.kindergarten).or_default().push(i);
    }
    let mut out = vec![];
    let mut remaining: u64 = left.iter().map(|p| u64::from(p.open)).sum();
    for queue in queues {
        let mut ahead = 0u64;
        for c in queue {
            // Every place taken: the rest of the queue waits for the next bulletin.
            if remaining == 0 {
                break;
            }
            let chosen = if c.passed {
                None
            } else {
                c.preferences.iter().enumerate().find_map(|(rank, k)| {
                    by_kindergarten
                        .get(k)?
                        .iter()
                        .copied()
                        .find(|&i| {
                            let p = &left[i];
                            p.open > 0 && p.age.contains(c.age) && p.language.suits(c.language) && !c.passed_places.contains(&p.vacancy)
                        })
                        .map(|i| (rank, i))
                })
            };
            match chosen {
                Some((rank, i)) => {
                    let p = &mut left[i];
                    p.open -= 1;
                    remaining -= 1;
                    out.push(Offer {
                        vacancy: p.vacancy,
                        kindergarten: p.kindergarten,
                        group: p.group,
                        application: c.application,
                        number: c.number.clone(),
                        position: c.position,
                        preference_rank: rank,
                        ahead_not_offered: ahead,
                    });
                }
                None => ahead += 1,
            }
        }
    }
    (out, left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn k(n: u128) -> KindergartenId {
        KindergartenId(Uuid::from_u128(n))
    }

    fn place(n: u128, kg: u128, language: Language, open: u32) -> OpenPlaces {
        OpenPlaces { vacancy: VacancyId(Uuid::from_u128(n)), kindergarten: k(kg), group: GroupId(Uuid::from_u128(n)), age: AgeBand { from_years: 3, to_years: 4 }, language, open }
    }

    fn cand(pos: u64, prefs: &[u128], language: Language) -> Candidate {
        Candidate {
            application: ApplicationId(Uuid::from_u128(1000 + pos as u128)),
            number: format!("VKO-2026-{pos:06}"),
            position: pos,
            age: 3,
            preferences: prefs.iter().map(|&n| k(n)).collect(),
            language,
            passed: false,
            passed_places: vec![],
        }
    }

    #[test]
    fn the_first_in_the_queue_gets_their_first_choice_and_the_next_their_next() {
        let places = [place(1, 10, Language::Kk, 1), place(2, 11, Language::Kk, 1)];
        let q = vec![cand(1, &[10, 11], Language::Kk), cand(2, &[10, 11], Language::Kk), cand(3, &[10], Language::Kk)];
        let (o, left) = offers(&places, &[q]);
        assert_eq!(o.iter().map(|o| (o.position, o.kindergarten, o.preference_rank)).collect::<Vec<_>>(), vec![(1, k(10), 0), (2, k(11), 1)]);
        assert!(left.iter().all(|p| p.open == 0));
    }

    #[test]
    fn a_turn_let_pass_skips_that_publication_only() {
        let mut c = cand(1, &[10, 11], Language::Kk);
        c.passed_places = vec![VacancyId(Uuid::from_u128(1))];
        let places = vec![place(1, 10, Language::Kk, 1), place(2, 11, Language::Kk, 1)];
        let (o, _) = offers(&places, &[vec![c, cand(2, &[10], Language::Kk)]]);
        assert_eq!(o.iter().map(|o| (o.number.as_str(), o.kindergarten)).collect::<Vec<_>>(), vec![("VKO-2026-000001", k(11)), ("VKO-2026-000002", k(10))]);
    }

    #[test]
    fn language_age_and_a_passed_turn_are_skipped_and_counted() {
        let places = [place(1, 10, Language::Ru, 1)];
        let mut older = cand(2, &[10], Language::Ru);
        older.age = 5;
        let mut passed = cand(3, &[10], Language::Ru);
        passed.passed = true;
        let q = vec![cand(1, &[10], Language::Kk), older, passed, cand(4, &[10], Language::Mixed)];
        let (o, _) = offers(&places, &[q]);
        assert_eq!(o.len(), 1);
        assert_eq!((o[0].position, o[0].ahead_not_offered), (4, 3));
    }

    #[test]
    fn a_place_nobody_wants_stays_open() {
        let places = [place(1, 10, Language::Kk, 2), place(2, 12, Language::Kk, 1)];
        let (o, left) = offers(&places, &[vec![cand(1, &[10], Language::Kk)]]);
        assert_eq!(o.len(), 1);
        assert_eq!(left.iter().map(|p| p.open).collect::<Vec<_>>(), vec![1, 1]);
    }

    proptest! {
        /// No place is offered more often than it is open, nobody gets two, and nobody
        /// ahead in the queue who could take an offered place went without a place they
        /// liked at least as much.
        #[test]
        fn offers_are_fair_in_queue_order(
            opens in prop::collection::vec((0u128..6, 0usize..3, 0u32..3), 1..8),
            wants in prop::collection::vec((prop::collection::vec(0u128..6, 1..4), 0usize..3, any::<bool>()), 0..40),
        ) {
            let langs = [Language::Kk, Language::Ru, Language::Mixed];
            let places: Vec<OpenPlaces> = opens.iter().enumerate().map(|(i, (kg, l, n))| place(i as u128 + 1, *kg, langs[*l], *n)).collect();
            let q: Vec<Candidate> = wants.iter().enumerate().map(|(i, (prefs, l, passed))| {
                let mut c = cand(i as u64 + 1, prefs, langs[*l]);
                c.passed = *passed;
                c
            }).collect();
            let (o, left) = offers(&places, std::slice::from_ref(&q));
            for (p, l) in places.iter().zip(&left) {
                let given = o.iter().filter(|o| o.vacancy == p.vacancy).count() as u32;
                prop_assert_eq!(given + l.open, p.open);
            }
            let mut apps: Vec<_> = o.iter().map(|o| o.application).collect();
            apps.sort();
            apps.dedup();
            prop_assert_eq!(apps.len(), o.len());
            for offer in &o {
                let p = places.iter().find(|p| p.vacancy == offer.vacancy).unwrap();
                for c in q.iter().filter(|c| c.position < offer.position && !c.passed) {
                    let Some(rank) = c.preferences.iter().position(|x| *x == p.kindergarten) else { continue };
                    if !p.language.suits(c.language) { continue }
                    let theirs = o.iter().find(|x| x.application == c.application);
                    prop_assert!(theirs.is_some_and(|t| t.preference_rank <= rank), "{} wanted {:?} and was ahead of {}", c.number, p.kindergarten, offer.number);
                }
            }
        }
    }
}
