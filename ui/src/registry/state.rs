//! The registry page's state: filters, the list or the map, and what is loading. A pure
//! reducer, so it is tested natively.

use baqsha_api::*;
use baqsha_core::{KindergartenId, KindergartenKind, Language};
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    List,
    Map,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegistryState {
    pub query: RegistryQuery,
    pub view: View,
    /// Bumped by every change that needs new data; answers to older requests are dropped,
    /// so fast typing never shows a stale list.
    pub seq: u32,
    /// The request whose answer the list shows (kept while a newer one loads): the page
    /// carries it as `data-seq`, so a test or a benchmark knows which answer is on screen.
    pub shown: u32,
    pub page: Load<RegistryPage>,
    pub map: Load<Vec<MapPoint>>,
    /// The kindergarten «Картада көрсету» came from: marked on the map until a filter changes.
    pub marked: Option<KindergartenId>,
}

impl Default for RegistryState {
    fn default() -> Self {
        RegistryState { query: RegistryQuery::default(), view: View::List, seq: 1, shown: 0, page: Load::Loading, map: Load::Loading, marked: None }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Text(String),
    Language(Option<Language>),
    Kind(Option<KindergartenKind>),
    District(Option<String>),
    Sort(RegistrySort),
    Page(u32),
    Reset,
    Show(View),
    /// «Картада көрсету» from a passport: the map of its district, the kindergarten marked.
    ShowOnMap {
        id: KindergartenId,
        district: String,
    },
    Reload,
    PageLoaded {
        seq: u32,
        page: RegistryPage,
    },
    MapLoaded {
        seq: u32,
        points: Vec<MapPoint>,
    },
    Failed {
        seq: u32,
        error: ApiError,
    },
}

impl RegistryState {
    fn refetch(mut self, first_page: bool) -> Self {
        if first_page {
            self.query.page = 0;
        }
        self.seq = self.seq.wrapping_add(1);
        self.marked = None;
        match self.view {
            View::List => self.page = loading_keep(self.page),
            View::Map => self.map = loading_keep(self.map),
        }
        self
    }

    /// Number of pages of the current answer; when the count stopped short, one more than it
    /// covers, so «Келесі» goes on past it.
    pub fn pages(&self) -> u32 {
        match &self.page {
            Load::Ready(p) if p.page_size > 0 => (p.total.div_ceil(p.page_size as u64) + p.more as u64).max(1) as u32,
            _ => 1,
        }
    }

    pub fn has_filters(&self) -> bool {
        !self.query.text.trim().is_empty() || self.query.language.is_some() || self.query.kind.is_some() || self.query.district.is_some()
    }
}

/// While the next page loads, the old one stays on screen (no flicker while typing).
fn loading_keep<T>(l: Load<T>) -> Load<T> {
    match l {
        Load::Ready(v) => Load::Ready(v),
        _ => Load::Loading,
    }
}

impl Reducible for RegistryState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let s = match action {
            Action::Text(t) => {
                s.query.text = t;
                s.refetch(true)
            }
            Action::Language(l) => {
                s.query.language = l;
                s.refetch(true)
            }
            Action::Kind(k) => {
                s.query.kind = k;
                s.refetch(true)
            }
            Action::District(d) => {
                s.query.district = d;
                s.refetch(true)
            }
            Action::Sort(o) => {
                s.query.sort = o;
                s.refetch(true)
            }
            Action::Page(p) => {
                s.query.page = p.min(s.pages().saturating_sub(1));
                s.refetch(false)
            }
            Action::Reset => {
                s.query = RegistryQuery { sort: s.query.sort, ..RegistryQuery::default() };
                s.refetch(true)
            }
            Action::Show(v) => {
                s.view = v;
                s.refetch(false)
            }
            Action::ShowOnMap { id, district } => {
                // Filters that hide it would leave nothing to mark: its district alone.
                s.query = RegistryQuery { sort: s.query.sort, district: Some(district), ..RegistryQuery::default() };
                s.view = View::Map;
                let mut s = s.refetch(true);
                s.marked = Some(id);
                s
            }
            Action::Reload => {
                let marked = s.marked;
                let mut s = s.refetch(false);
                s.marked = marked;
                s
            }
            Action::PageLoaded { seq, page } if seq == s.seq => {
                s.page = Load::Ready(page);
                s.shown = seq;
                s
            }
            Action::MapLoaded { seq, points } if seq == s.seq => {
                s.map = Load::Ready(points);
                s
            }
            Action::Failed { seq, error } if seq == s.seq => {
                match s.view {
                    View::List => s.page = Load::Failed(error),
                    View::Map => s.map = Load::Failed(error),
                }
                s
            }
            // An answer to a request that was overtaken.
            Action::PageLoaded { .. } | Action::MapLoaded { .. } | Action::Failed { .. } => return self,
        };
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(total: u64, n: usize) -> RegistryPage {
        RegistryPage { items: Vec::with_capacity(n), total, more: false, page: 0, page_size: 20 }
    }

    fn run(s: Rc<RegistryState>, a: Action) -> Rc<RegistryState> {
        s.reduce(a)
    }

    #[test]
    fn typing_returns_to_the_first_page_and_drops_stale_answers() {
        let s = Rc::new(RegistryState::default());
        let first = s.seq;
        let s = run(s, Action::PageLoaded { seq: first, page: page(150, 20) });
        assert_eq!(s.pages(), 8);
        let s = run(s, Action::Page(3));
        assert_eq!(s.query.page, 3);
        let s = run(s, Action::Text("ақ".into()));
        assert_eq!(s.query.page, 0);
        let typed_a = s.seq;
        let s = run(s, Action::Text("ақб".into()));
        // The answer for "ақ" arrives late: ignored; the list still shows the first answer.
        let s = run(s, Action::PageLoaded { seq: typed_a, page: page(40, 20) });
        assert!(matches!(&s.page, Load::Ready(p) if p.total == 150));
        assert_eq!(s.shown, first);
        let s = run(s.clone(), Action::PageLoaded { seq: s.seq, page: page(1, 1) });
        assert!(matches!(&s.page, Load::Ready(p) if p.total == 1));
        assert_eq!(s.shown, s.seq, "the answer to what is typed now is on screen");
    }

    #[test]
    fn a_count_that_stopped_short_lets_the_pages_go_on() {
        let s = Rc::new(RegistryState::default());
        let more = RegistryPage { more: true, ..page(1000, 20) };
        let s = run(s.clone(), Action::PageLoaded { seq: s.seq, page: more });
        assert_eq!(s.pages(), 51);
        let s = run(s, Action::Page(50));
        assert_eq!(s.query.page, 50, "the page after the counted ones can be asked for");
        let s = run(s, Action::Page(70));
        assert_eq!(s.query.page, 50, "but not beyond it until it is counted");
    }

    #[test]
    fn pages_are_clamped_and_filters_reset() {
        let s = Rc::new(RegistryState::default());
        let s = run(s.clone(), Action::PageLoaded { seq: s.seq, page: page(45, 20) });
        let s = run(s, Action::Page(99));
        assert_eq!(s.query.page, 2);
        let s = run(s, Action::Language(Some(Language::Kk)));
        let s = run(s, Action::Sort(RegistrySort::FreePlaces));
        assert!(s.has_filters());
        let s = run(s, Action::Reset);
        assert!(!s.has_filters());
        assert_eq!(s.query.sort, RegistrySort::FreePlaces);
    }

    #[test]
    fn a_failure_shows_on_the_current_view_only() {
        let s = Rc::new(RegistryState::default());
        let s = run(s, Action::Show(View::Map));
        let s = run(s.clone(), Action::Failed { seq: s.seq, error: ApiError::Internal });
        assert_eq!(s.map, Load::Failed(ApiError::Internal));
        assert_eq!(s.page, Load::Loading);
    }

    #[test]
    fn show_on_map_marks_the_kindergarten_in_its_district_until_a_filter_changes() {
        let id = KindergartenId(uuid::Uuid::from_u128(41));
        let s = run(Rc::new(RegistryState::default()), Action::Language(Some(Language::Ru)));
        let s = run(s, Action::ShowOnMap { id, district: "altai".into() });
        assert_eq!((s.view, s.marked, s.query.district.as_deref(), s.query.language), (View::Map, Some(id), Some("altai"), None));
        assert_eq!(run(s.clone(), Action::Reload).marked, Some(id), "a reload keeps the mark");
        assert_eq!(run(s, Action::Text("ақ".into())).marked, None);
    }
}
