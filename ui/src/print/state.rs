//! The state of «Тізімдерді басып шығару»: what to print, in which language, and how the
//! last attempt went. Pure, tested natively.

use baqsha_api::{ApiError, PrintList, Printed};
use baqsha_core::Lang;
use chrono::NaiveDate;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bulletin,
    Referrals,
    Queue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Idle,
    Working(Kind),
    Done(Printed),
    Failed(ApiError),
    /// The dates of the period are the wrong way round: nothing was asked of the shell.
    BadDates,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrintState {
    pub lang: Lang,
    pub district: Option<String>,
    pub bulletin_date: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub category: i32,
    pub outcome: Outcome,
}

impl PrintState {
    /// Today's bulletin, this month's referrals, the youngest full category.
    pub fn new(today: NaiveDate, screen: Lang) -> PrintState {
        use chrono::Datelike;
        PrintState {
            lang: screen.of_documents(),
            district: None,
            bulletin_date: today,
            from: crate::clock::year_start(today),
            to: today,
            category: today.year() - 1,
            outcome: Outcome::Idle,
        }
    }

    /// Categories a queue can hold: born in the last six years.
    pub fn categories(today: NaiveDate) -> Vec<i32> {
        use chrono::Datelike;
        (today.year() - 6..=today.year()).rev().collect()
    }

    /// The request for `kind`, or None when the form cannot be sent as it is.
    pub fn list(&self, kind: Kind) -> Option<PrintList> {
        let district = self.district.clone();
        match kind {
            Kind::Bulletin => Some(PrintList::Bulletin { date: self.bulletin_date, district }),
            Kind::Referrals if self.from > self.to => None,
            Kind::Referrals => Some(PrintList::Referrals { from: self.from, to: self.to, district }),
            Kind::Queue => Some(PrintList::Queue { category: self.category, district, kindergarten: None, tier: None }),
        }
    }
}

pub enum Action {
    Lang(String),
    District(String),
    BulletinDate(String),
    From(String),
    To(String),
    Category(String),
    Start(Kind),
    Done(Printed),
    Failed(ApiError),
}

fn date(s: &str, old: NaiveDate) -> NaiveDate {
    // A half-typed date keeps the last good one rather than losing it.
    s.parse().unwrap_or(old)
}

impl Reducible for PrintState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Lang(l) => s.lang = Lang::from_code(&l).map(Lang::of_documents).unwrap_or(s.lang),
            Action::District(d) => s.district = if d.is_empty() { None } else { Some(d) },
            Action::BulletinDate(d) => s.bulletin_date = date(&d, s.bulletin_date),
            Action::From(d) => s.from = date(&d, s.from),
            Action::To(d) => s.to = date(&d, s.to),
            Action::Category(c) => s.category = c.parse().unwrap_or(s.category),
            Action::Start(kind) => s.outcome = if s.list(kind).is_some() { Outcome::Working(kind) } else { Outcome::BadDates },
            Action::Done(p) => s.outcome = Outcome::Done(p),
            Action::Failed(ApiError::Cancelled) => s.outcome = Outcome::Idle,
            Action::Failed(e) => s.outcome = Outcome::Failed(e),
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn run(s: PrintState, actions: Vec<Action>) -> PrintState {
        let mut s = Rc::new(s);
        for a in actions {
            s = s.reduce(a);
        }
        (*s).clone()
    }

    #[test]
    fn defaults_follow_the_ui_language_and_today() {
        let s = PrintState::new(day(11, 25), Lang::En);
        assert_eq!((s.lang, s.from, s.to, s.category), (Lang::Ru, day(1, 1), day(11, 25), 2025), "a period of this year by default");
        assert_eq!(PrintState::new(day(11, 25), Lang::Kk).lang, Lang::Kk);
        assert_eq!(PrintState::categories(day(11, 25)), vec![2026, 2025, 2024, 2023, 2022, 2021, 2020]);
    }

    #[test]
    fn a_period_the_wrong_way_round_is_not_sent() {
        let s = run(PrintState::new(day(11, 25), Lang::Kk), vec![Action::From("2026-11-30".into()), Action::Start(Kind::Referrals)]);
        assert_eq!(s.outcome, Outcome::BadDates);
        assert_eq!(s.list(Kind::Referrals), None);
        // The bulletin does not depend on the period.
        assert!(s.list(Kind::Bulletin).is_some());
    }

    #[test]
    fn a_half_typed_date_keeps_the_last_good_one_and_filters_carry_over() {
        let s = run(PrintState::new(day(11, 25), Lang::Kk), vec![Action::BulletinDate("2026-1".into()), Action::District("oskemen".into()), Action::Category("2023".into())]);
        assert_eq!(s.bulletin_date, day(11, 25));
        assert_eq!(s.list(Kind::Queue), Some(PrintList::Queue { category: 2023, district: Some("oskemen".into()), kindergarten: None, tier: None }));
        let s = run(s, vec![Action::District(String::new())]);
        assert_eq!(s.list(Kind::Bulletin), Some(PrintList::Bulletin { date: day(11, 25), district: None }));
    }

    #[test]
    fn a_cancelled_save_as_is_not_an_error() {
        let s = run(PrintState::new(day(11, 25), Lang::Kk), vec![Action::Start(Kind::Queue), Action::Failed(ApiError::Cancelled)]);
        assert_eq!(s.outcome, Outcome::Idle);
        let s = run(s, vec![Action::Start(Kind::Queue), Action::Failed(ApiError::Internal)]);
        assert_eq!(s.outcome, Outcome::Failed(ApiError::Internal));
    }
}
