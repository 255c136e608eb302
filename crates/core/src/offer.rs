//! Offering published places in queue order, and the life of an offer: when its turn
//! passes or it is void, whom a pass leaves out, when a better place replaces it.
//!
//! Each age category's queue is walked in order; an applicant is offered the first place,
//! in the order of their preferences, that is still open, in a group of their age band and
//! of a language that suits them. So nobody is offered a place that someone ahead of them
//! in the same queue wanted, could take, and did not get — the fairness property the tests
//! check. An applicant who let the turn pass keeps the queue place and is skipped for these
//! places. Pure: the store feeds the queue and the places; the sync server runs the same.

use crate::calendar::{CalendarError, ReferralRules, WorkCalendar};
use crate::model::{AgeBand, ApplicationId, GroupId, KindergartenId, Language, VacancyId};
use chrono::NaiveDate;
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

/// Whether a child of `age` (on the policy date) asking for `wanted` could take a place in
/// a group of `band` teaching in `language`: the rule offers follow, and the passport counts by.
pub fn fits_group(band: AgeBand, language: Language, age: u8, wanted: Language) -> bool {
    band.contains(age) && language.suits(wanted)
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
                            p.open > 0 && fits_group(p.age, p.language, c.age, c.language) && !c.passed_places.contains(&p.vacancy)
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

/// The last day to answer an offer made on `today`: the working days a referral has to be
/// confirmed in (BRIEF.md: 2).
pub fn respond_by(cal: &WorkCalendar, rules: &ReferralRules, today: NaiveDate) -> Result<NaiveDate, CalendarError> {
    cal.add_working_days(today, rules.confirm_working_days)
}

/// An open offer and the facts that can end it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldOffer {
    pub respond_by: NaiveDate,
    /// The application is still in the queue (not withdrawn, archived or referred).
    pub queued: bool,
    /// The application still names the offered kindergarten (it may have been changed by
    /// «Өзгерту» since).
    pub names_kindergarten: bool,
}

/// How an open offer ends without a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferEnding {
    /// Its days to answer went by: the turn passes to the next; the queue place is kept.
    Passed,
    /// Its applicant left the queue or no longer wants that kindergarten: it holds nothing.
    Void,
}

impl OfferEnding {
    pub fn code(self) -> &'static str {
        match self {
            OfferEnding::Passed => "passed",
            OfferEnding::Void => "void",
        }
    }
}

/// Whether an open offer ends on `today`, and how. The whole last day is the parent's: an
/// offer to answer by Friday still stands all Friday. A lapsed turn counts as passed even if
/// the applicant left since, so the place is not offered to them again.
pub fn ending(offer: &HeldOffer, today: NaiveDate) -> Option<OfferEnding> {
    if offer.respond_by < today {
        Some(OfferEnding::Passed)
    } else if !offer.queued || !offer.names_kindergarten {
        Some(OfferEnding::Void)
    } else {
        None
    }
}

/// A stop-list entry holds through its last day.
pub fn stopped(until: NaiveDate, today: NaiveDate) -> bool {
    today <= until
}

/// The offer an applicant holds now, as a pass sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holding {
    /// The held offer's kindergarten among the applicant's preferences (0 = first).
    pub rank: usize,
    /// Every kindergarten the applicant names, with its rank.
    pub ranks: HashMap<KindergartenId, usize>,
}

/// Where an applicant stands before a pass, besides their queue position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    pub holding: Option<Holding>,
    /// On the stop-list after a refusal.
    pub stopped: bool,
    /// Publications they let pass (an offer's turn, or a referral refused or let expire):
    /// not offered to them again.
    pub let_pass: Vec<VacancyId>,
}

/// The candidate as a pass considers them: one who holds an offer is offered only a place
/// they prefer to it; one on the stop-list, or with nothing better left, is passed over and
/// keeps the queue place.
pub fn narrow(mut c: Candidate, standing: Standing) -> Candidate {
    if let Some(h) = &standing.holding {
        c.preferences.retain(|k| h.ranks.get(k).is_some_and(|r| *r < h.rank));
    }
    c.passed = standing.stopped || c.preferences.is_empty();
    c.passed_places = standing.let_pass;
    c
}

/// What writing a new offer does to the one its applicant already holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placing {
    /// They hold none: the offer is written.
    New,
    /// They hold a worse one: it is void and the better one written (its place goes to the
    /// next in a following pass).
    Replaces,
    /// They hold one as good or better (written since the pass read): nothing changes.
    Keeps,
}

/// `rank`: the new offer's kindergarten among the applicant's preferences; `held`: the
/// held one's, if any.
pub fn placing(rank: usize, held: Option<usize>) -> Placing {
    match held {
        None => Placing::New,
        Some(h) if rank < h => Placing::Replaces,
        Some(_) => Placing::Keeps,
    }
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

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn an_offer_stands_through_its_last_day_and_then_passes() {
        let live = HeldOffer { respond_by: d(12, 4), queued: true, names_kindergarten: true };
        assert_eq!(ending(&live, d(12, 4)), None);
        assert_eq!(ending(&live, d(12, 5)), Some(OfferEnding::Passed));
        // Gone and lapsed: passed, so that publication is not offered to them again.
        assert_eq!(ending(&HeldOffer { queued: false, ..live }, d(12, 5)), Some(OfferEnding::Passed));
        assert_eq!(ending(&HeldOffer { queued: false, ..live }, d(12, 3)), Some(OfferEnding::Void));
        assert_eq!(ending(&HeldOffer { names_kindergarten: false, ..live }, d(12, 3)), Some(OfferEnding::Void));
    }

    #[test]
    fn an_offer_made_on_friday_is_answered_by_tuesday() {
        // 2026-12-04 is a Friday; two working days on is Tuesday the 8th.
        let cal = WorkCalendar::kazakhstan();
        assert_eq!(respond_by(&cal, &ReferralRules::default(), d(12, 4)), Ok(d(12, 8)));
    }

    #[test]
    fn the_stop_list_holds_through_its_last_day() {
        assert!(stopped(d(12, 10), d(12, 10)));
        assert!(!stopped(d(12, 10), d(12, 11)));
    }

    #[test]
    fn one_holding_an_offer_is_offered_only_what_they_prefer() {
        let mut c = cand(1, &[10, 11, 12], Language::Kk);
        c.preferences = vec![k(10), k(12)];
        let holding = Holding { rank: 1, ranks: [(k(10), 0), (k(11), 1), (k(12), 2)].into() };
        let n = narrow(c.clone(), Standing { holding: Some(holding.clone()), ..Default::default() });
        assert_eq!((n.preferences.clone(), n.passed), (vec![k(10)], false));
        // Holding their first choice: nothing better is left; they are passed over.
        let n = narrow(c.clone(), Standing { holding: Some(Holding { rank: 0, ..holding }), ..Default::default() });
        assert!(n.passed && n.preferences.is_empty());
        let v = VacancyId(Uuid::from_u128(7));
        let n = narrow(c, Standing { stopped: true, let_pass: vec![v], holding: None });
        assert!(n.passed);
        assert_eq!(n.passed_places, vec![v]);
    }

    #[test]
    fn only_a_better_place_replaces_an_offer() {
        assert_eq!(placing(2, None), Placing::New);
        assert_eq!(placing(0, Some(1)), Placing::Replaces);
        assert_eq!(placing(1, Some(1)), Placing::Keeps);
        assert_eq!(placing(2, Some(1)), Placing::Keeps);
    }

    proptest! {
        /// An offer never ends while its applicant is queued, names its kindergarten and is
        /// within their days; it always ends once the days are over.
        #[test]
        fn offers_end_only_for_a_reason(respond in 0i64..60, today in 0i64..60, queued: bool, named: bool) {
            let base = d(1, 1);
            let offer = HeldOffer { respond_by: base + chrono::Days::new(respond as u64), queued, names_kindergarten: named };
            let today = base + chrono::Days::new(today as u64);
            let e = ending(&offer, today);
            prop_assert_eq!(e == Some(OfferEnding::Passed), offer.respond_by < today);
            prop_assert_eq!(e.is_none(), offer.respond_by >= today && queued && named);
        }

        /// Narrowing keeps only preferences better than the held one, never adds any, and a
        /// candidate left with none (or stopped) is passed over.
        #[test]
        fn narrowing_only_takes_away(prefs in prop::collection::vec(0u128..8, 0..6), held in prop::option::of(0usize..6), stopped: bool) {
            let mut c = cand(1, &[], Language::Kk);
            c.preferences = prefs.iter().map(|&n| k(n)).collect();
            let ranks: HashMap<KindergartenId, usize> = (0u128..8).map(|n| (k(n), n as usize)).collect();
            let holding = held.map(|rank| Holding { rank, ranks: ranks.clone() });
            let n = narrow(c.clone(), Standing { holding, stopped, let_pass: vec![] });
            prop_assert!(n.preferences.iter().all(|p| c.preferences.contains(p)));
            if let Some(h) = held {
                prop_assert!(n.preferences.iter().all(|p| ranks[p] < h));
            } else {
                prop_assert_eq!(&n.preferences, &c.preferences);
            }
            prop_assert_eq!(n.passed, stopped || n.preferences.is_empty());
        }

        /// Whatever an applicant holds, placing a new offer never leaves them worse off, and
        /// never with two.
        #[test]
        fn placing_only_improves(rank in 0usize..6, held in prop::option::of(0usize..6)) {
            match placing(rank, held) {
                Placing::New => prop_assert!(held.is_none()),
                Placing::Replaces => prop_assert!(held.is_some_and(|h| rank < h)),
                Placing::Keeps => prop_assert!(held.is_some_and(|h| rank >= h)),
            }
        }

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
