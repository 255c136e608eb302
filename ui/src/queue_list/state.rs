//! The state of «Өтініштер кезегі»: the category, filters and page asked for, and what came
//! back. Answers to an older request are dropped (`seq`). Pure, tested natively.

use baqsha_api::{ApiError, QueuePage, QueueQuery, QueueSpot};
use baqsha_core::{BenefitTier, KindergartenId};
use std::rc::Rc;
use yew::Reducible;

pub const PAGE_SIZE: u32 = 25;

#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Loading,
    Loaded(QueuePage),
    Failed(ApiError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueListState {
    pub query: QueueQuery,
    pub seq: u32,
    pub load: Load,
    /// The position jumped to, marked in its page.
    pub marked: Option<u64>,
}

impl QueueListState {
    pub fn new(category: i32) -> QueueListState {
        QueueListState { query: QueueQuery { category, district: None, kindergarten: None, tier: None, page: 0, page_size: PAGE_SIZE }, seq: 0, load: Load::Loading, marked: None }
    }

    /// "26–50 / 842" as numbers: (first, last, total); None when nothing is shown.
    pub fn range(&self) -> Option<(u64, u64, u64)> {
        match &self.load {
            Load::Loaded(p) if !p.lines.is_empty() => {
                let first = u64::from(p.page) * u64::from(p.page_size) + 1;
                Some((first, first + p.lines.len() as u64 - 1, p.total))
            }
            _ => None,
        }
    }

    pub fn has_next(&self) -> bool {
        self.range().is_some_and(|(_, last, total)| last < total)
    }
}

pub enum Action {
    Category(i32),
    District(Option<String>),
    Kindergarten(Option<KindergartenId>),
    Tier(Option<BenefitTier>),
    Page(u32),
    /// A position of the whole category: its page, the filters cleared (they would move it).
    GoTo(u64),
    /// An application found by its number: its category, then its position.
    Spot(QueueSpot),
    Loaded {
        seq: u32,
        page: QueuePage,
    },
    Failed {
        seq: u32,
        error: ApiError,
    },
}

impl Reducible for QueueListState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let ask = |s: &mut QueueListState| {
            s.seq += 1;
            s.load = Load::Loading;
        };
        match action {
            Action::Category(c) => {
                s.marked = None;
                s.query.category = c;
                s.query.page = 0;
                ask(&mut s);
            }
            Action::District(d) => {
                s.marked = None;
                // A kindergarten belongs to a district: changing the district drops it.
                s.query.district = d;
                s.query.kindergarten = None;
                s.query.page = 0;
                ask(&mut s);
            }
            Action::Kindergarten(k) => {
                s.marked = None;
                s.query.kindergarten = k;
                s.query.page = 0;
                ask(&mut s);
            }
            Action::Tier(t) => {
                s.marked = None;
                s.query.tier = t;
                s.query.page = 0;
                ask(&mut s);
            }
            Action::Page(p) => {
                s.query.page = p;
                ask(&mut s);
            }
            Action::Spot(spot) => {
                s.query.category = spot.category;
                s.load = Load::Loading;
                return Rc::new(s).reduce(Action::GoTo(spot.position));
            }
            Action::GoTo(position) => {
                // Past the end of the category: its last line.
                let last = match &s.load {
                    Load::Loaded(p) => p.counts.total().max(1),
                    _ => u64::MAX,
                };
                let position = position.clamp(1, last);
                s.query = QueueQuery { district: None, kindergarten: None, tier: None, page: ((position - 1) / u64::from(PAGE_SIZE)) as u32, ..s.query.clone() };
                s.marked = Some(position);
                ask(&mut s);
            }
            Action::Loaded { seq, page } if seq == s.seq => s.load = Load::Loaded(page),
            Action::Failed { seq, error } if seq == s.seq => s.load = Load::Failed(error),
            Action::Loaded { .. } | Action::Failed { .. } => return self,
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_opens_its_page_of_the_whole_category() {
        let s = Rc::new(QueueListState::new(2023)).reduce(Action::District(Some("oskemen".into()))).reduce(Action::GoTo(826));
        assert_eq!((s.query.page, s.query.district.clone(), s.marked), (33, None, Some(826)), "page 34 holds 826–850");
        assert_eq!(s.clone().reduce(Action::GoTo(0)).query.page, 0);
        let s = s.reduce(Action::Spot(QueueSpot { category: 2021, position: 7 }));
        assert_eq!((s.query.category, s.query.page, s.marked), (2021, 0, Some(7)));
    }

    #[test]
    fn a_position_past_the_end_opens_the_last_line() {
        let s = Rc::new(QueueListState::new(2023));
        let loaded = QueuePage { counts: TierCounts { out_of_turn: 3, priority: 10, general: 40 }, ..page(25, 0, 53) };
        let s = s.clone().reduce(Action::Loaded { seq: s.seq, page: loaded }).reduce(Action::GoTo(5000));
        assert_eq!((s.query.page, s.marked), (2, Some(53)));
    }
    use baqsha_core::queue::TierCounts;

    fn page(n: usize, page: u32, total: u64) -> QueuePage {
        let lines = (0..n)
            .map(|i| baqsha_api::PublicQueueLine {
                position: i as u64 + 1,
                number: format!("N{i}"),
                registered_at: chrono::DateTime::UNIX_EPOCH,
                tier: BenefitTier::General,
                status: baqsha_core::ApplicationStatus::Queued,
                initials: "А. Б.".into(),
                iin_masked: "2301******11".into(),
            })
            .collect();
        QueuePage { lines, total, counts: TierCounts::default(), page, page_size: PAGE_SIZE }
    }

    fn run(s: QueueListState, actions: Vec<Action>) -> QueueListState {
        let mut s = Rc::new(s);
        for a in actions {
            s = s.reduce(a);
        }
        (*s).clone()
    }

    #[test]
    fn a_stale_answer_is_dropped() {
        let s = run(QueueListState::new(2023), vec![Action::Tier(Some(BenefitTier::Priority)), Action::Page(2)]);
        assert_eq!(s.seq, 2);
        let s = run(s, vec![Action::Loaded { seq: 1, page: page(25, 0, 100) }]);
        assert_eq!(s.load, Load::Loading);
        let s = run(s, vec![Action::Loaded { seq: 2, page: page(25, 2, 100) }]);
        assert_eq!(s.range(), Some((51, 75, 100)));
        assert!(s.has_next());
    }

    #[test]
    fn filters_go_back_to_the_first_page_and_a_district_drops_the_kindergarten() {
        let k = KindergartenId(uuid::Uuid::from_u128(5));
        let s = run(QueueListState::new(2023), vec![Action::Page(3), Action::Kindergarten(Some(k)), Action::Page(1), Action::District(Some("oskemen".into()))]);
        assert_eq!((s.query.page, s.query.kindergarten, s.query.district.as_deref()), (0, None, Some("oskemen")));
    }

    #[test]
    fn the_last_page_has_no_next() {
        let s = run(QueueListState::new(2023), vec![Action::Loaded { seq: 0, page: page(10, 3, 85) }]);
        assert_eq!(s.range(), Some((76, 85, 85)));
        assert!(!s.has_next());
    }
}
