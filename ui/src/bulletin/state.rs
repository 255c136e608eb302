//! «Бос орын бюллетені»: the date asked of the shell, and the filters applied here (district,
//! kindergarten name as typed, age band, language) — a region's bulletin is a few hundred
//! lines at most. Pure, tested natively.

use baqsha_api::{ApiError, BulletinEntry};
use baqsha_core::{AgeBand, Language};
use chrono::NaiveDate;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub struct BulletinState {
    pub on: NaiveDate,
    /// The desk's day when the page opened: a later date has no bulletin yet.
    pub today: NaiveDate,
    pub district: Option<String>,
    pub kindergarten: String,
    pub age: Option<AgeBand>,
    pub language: Option<Language>,
    pub entries: Option<Result<Vec<BulletinEntry>, ApiError>>,
}

impl BulletinState {
    pub fn new(today: NaiveDate) -> BulletinState {
        BulletinState { on: today, today, district: None, kindergarten: String::new(), age: None, language: None, entries: None }
    }

    /// The date asked is still to come: nothing was published for it yet.
    pub fn future(&self) -> bool {
        self.on > self.today
    }

    /// The lines the filters let through, in the shell's order (district, name, age).
    pub fn visible(&self) -> Vec<&BulletinEntry> {
        let typed = baqsha_core::text::fold(self.kindergarten.trim());
        let Some(Ok(entries)) = &self.entries else { return vec![] };
        entries
            .iter()
            .filter(|e| self.district.as_ref().is_none_or(|d| &e.district == d))
            .filter(|e| typed.is_empty() || baqsha_core::text::fold(&e.kindergarten_name.kk).contains(&typed) || baqsha_core::text::fold(&e.kindergarten_name.ru).contains(&typed))
            .filter(|e| self.age.is_none_or(|a| a == e.age))
            .filter(|e| self.language.is_none_or(|l| l == e.language))
            .collect()
    }

    /// The age bands present, for the filter's list.
    pub fn bands(&self) -> Vec<AgeBand> {
        let mut bands: Vec<AgeBand> = match &self.entries {
            Some(Ok(e)) => e.iter().map(|e| e.age).collect(),
            _ => vec![],
        };
        bands.sort_by_key(|b| (b.from_years, b.to_years));
        bands.dedup();
        bands
    }
}

pub enum Action {
    On(String),
    District(String),
    Kindergarten(String),
    Age(String),
    Language(String),
    Loaded(Result<Vec<BulletinEntry>, ApiError>),
}

impl Reducible for BulletinState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            // A date half typed keeps the last whole one.
            Action::On(d) => s.on = d.parse().unwrap_or(s.on),
            Action::District(d) => s.district = (!d.is_empty()).then_some(d),
            Action::Kindergarten(k) => s.kindergarten = k,
            Action::Age(a) => {
                s.age = a.split_once('-').and_then(|(f, t)| Some(AgeBand { from_years: f.parse().ok()?, to_years: t.parse().ok()? }));
            }
            Action::Language(l) => s.language = Language::from_code(&l),
            Action::Loaded(r) => s.entries = Some(r),
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baqsha_core::{GroupId, KindergartenId, Names};
    use uuid::Uuid;

    fn entry(n: u128, name: &str, district: &str, from: u8, language: Language) -> BulletinEntry {
        BulletinEntry {
            kindergarten: KindergartenId(Uuid::from_u128(n)),
            kindergarten_name: Names::new(name, format!("Сад {n}")),
            district: district.into(),
            group: GroupId(Uuid::from_u128(100 + n)),
            group_name: "Балапан".into(),
            age: AgeBand { from_years: from, to_years: from + 1 },
            language,
            open_places: 2,
            published_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            offers: vec![],
            vacancy: None,
        }
    }

    #[test]
    fn filters_combine_and_the_name_is_matched_in_any_case() {
        let mut s = Rc::new(BulletinState::new(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()));
        s = s.reduce(Action::Loaded(Ok(vec![
            entry(1, "№ 12 «Ақбота» бөбекжайы", "oskemen", 3, Language::Kk),
            entry(2, "№ 3 «Күншуақ» балабақшасы", "oskemen", 4, Language::Ru),
            entry(3, "«Ақбота» балабақшасы", "ridder", 3, Language::Kk),
        ])));
        assert_eq!(s.visible().len(), 3);
        assert_eq!(s.bands().len(), 2);
        let s = s.reduce(Action::Kindergarten("АҚБОТА".into()));
        assert_eq!(s.visible().iter().map(|e| e.district.as_str()).collect::<Vec<_>>(), vec!["oskemen", "ridder"]);
        let s = s.reduce(Action::District("ridder".into()));
        assert_eq!(s.visible().len(), 1);
        let s = s.reduce(Action::District(String::new())).reduce(Action::Kindergarten(String::new())).reduce(Action::Age("4-5".into()));
        assert_eq!(s.visible()[0].kindergarten_name.kk, "№ 3 «Күншуақ» балабақшасы");
        let s = s.reduce(Action::Language("kk".into()));
        assert!(s.visible().is_empty());
        let s = s.reduce(Action::On("2026-1".into()));
        assert_eq!(s.on, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), "a half-typed date keeps the last");
        assert!(!s.future());
        assert!(s.reduce(Action::On("2026-12-01".into())).future(), "tomorrow has no bulletin yet");
    }
}
