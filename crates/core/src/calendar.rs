//! Working days of the Republic of Kazakhstan and the deadlines of a referral.
//!
//! Weekends and the public holidays are fixed by law; the government's yearly transfers and
//! the movable date of Kurban ait are data that administrators edit, so they live in
//! [`WorkCalendar`] rather than in code.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the administrator says a particular date is, whatever the weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Working,
    DayOff,
}

impl DayKind {
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Working => "working",
            DayKind::DayOff => "day_off",
        }
    }
    pub fn from_code(s: &str) -> Option<DayKind> {
        [DayKind::Working, DayKind::DayOff].into_iter().find(|k| k.code() == s)
    }
}

/// The public holidays of Kazakhstan named in BRIEF.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    NewYear,
    /// 7 January: not moved when it falls on a weekend.
    OrthodoxChristmas,
    WomensDay,
    Nauryz,
    UnityDay,
    DefenderDay,
    VictoryDay,
    CapitalDay,
    ConstitutionDay,
    RepublicDay,
    IndependenceDay,
    KurbanAit,
}

impl Holiday {
    pub const ALL: [Holiday; 12] = [
        Holiday::NewYear,
        Holiday::OrthodoxChristmas,
        Holiday::WomensDay,
        Holiday::Nauryz,
        Holiday::UnityDay,
        Holiday::DefenderDay,
        Holiday::VictoryDay,
        Holiday::CapitalDay,
        Holiday::ConstitutionDay,
        Holiday::RepublicDay,
        Holiday::IndependenceDay,
        Holiday::KurbanAit,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Holiday::NewYear => "new_year",
            Holiday::OrthodoxChristmas => "orthodox_christmas",
            Holiday::WomensDay => "womens_day",
            Holiday::Nauryz => "nauryz",
            Holiday::UnityDay => "unity_day",
            Holiday::DefenderDay => "defender_day",
            Holiday::VictoryDay => "victory_day",
            Holiday::CapitalDay => "capital_day",
            Holiday::ConstitutionDay => "constitution_day",
            Holiday::RepublicDay => "republic_day",
            Holiday::IndependenceDay => "independence_day",
            Holiday::KurbanAit => "kurban_ait",
        }
    }
    pub fn from_code(s: &str) -> Option<Holiday> {
        Holiday::ALL.into_iter().find(|h| h.code() == s)
    }
}

/// The holidays whose date is the same every year, as (month, day); Kurban ait moves and is
/// looked up per year.
const FIXED_HOLIDAYS: [(u32, u32, Holiday); 14] = [
    (1, 1, Holiday::NewYear),
    (1, 2, Holiday::NewYear),
    (1, 7, Holiday::OrthodoxChristmas),
    (3, 8, Holiday::WomensDay),
    (3, 21, Holiday::Nauryz),
    (3, 22, Holiday::Nauryz),
    (3, 23, Holiday::Nauryz),
    (5, 1, Holiday::UnityDay),
    (5, 7, Holiday::DefenderDay),
    (5, 9, Holiday::VictoryDay),
    (7, 6, Holiday::CapitalDay),
    (8, 30, Holiday::ConstitutionDay),
    (10, 25, Holiday::RepublicDay),
    (12, 16, Holiday::IndependenceDay),
];

/// First days of Kurban ait as announced for 2020–2030.
const KURBAN_AIT: [(i32, u32, u32); 11] =
    [(2020, 7, 31), (2021, 7, 20), (2022, 7, 9), (2023, 6, 28), (2024, 6, 16), (2025, 6, 6), (2026, 5, 27), (2027, 5, 16), (2028, 5, 5), (2029, 4, 24), (2030, 4, 13)];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum CalendarError {
    /// The calendar has a gap: the movable feast is not set for a year we need, and guessing
    /// would give a parent a wrong deadline.
    #[error("the first day of Kurban ait in {year} is not in the calendar")]
    KurbanAitUnknown { year: i32 },
    #[error("the date is outside the range the calendar can count")]
    OutOfRange,
}

/// Working days: weekends, public holidays, Kurban ait per year and the administrators'
/// exceptions (transferred days).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WorkCalendar {
    exceptions: BTreeMap<NaiveDate, DayKind>,
    /// First day of Kurban ait per year.
    kurban_ait: BTreeMap<i32, NaiveDate>,
}

impl WorkCalendar {
    /// The law's holidays and the known Kurban ait dates. A holiday on a weekend moves to the
    /// next working day by law (`moved_holiday`); the government's other yearly transfers are
    /// the administrators' exceptions.
    pub fn kazakhstan() -> WorkCalendar {
        let kurban_ait = KURBAN_AIT.iter().filter_map(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).map(|date| (y, date))).collect();
        WorkCalendar { exceptions: BTreeMap::new(), kurban_ait }
    }

    /// Records a transferred day: a Saturday made working, a Monday made off.
    pub fn set_exception(&mut self, date: NaiveDate, kind: DayKind) {
        self.exceptions.insert(date, kind);
    }

    pub fn remove_exception(&mut self, date: NaiveDate) {
        self.exceptions.remove(&date);
    }

    /// The exceptions in date order.
    pub fn exceptions(&self) -> impl Iterator<Item = (NaiveDate, DayKind)> + '_ {
        self.exceptions.iter().map(|(d, k)| (*d, *k))
    }

    pub fn exception(&self, date: NaiveDate) -> Option<DayKind> {
        self.exceptions.get(&date).copied()
    }

    /// Sets the first day of Kurban ait for `year` (checked by `command::check_kurban_ait`
    /// where an administrator enters it).
    pub fn set_kurban_ait(&mut self, year: i32, first_day: NaiveDate) {
        self.kurban_ait.insert(year, first_day);
    }

    pub fn kurban_ait(&self, year: i32) -> Option<NaiveDate> {
        self.kurban_ait.get(&year).copied()
    }

    /// The known Kurban ait dates in year order.
    pub fn kurban_ait_days(&self) -> impl Iterator<Item = (i32, NaiveDate)> + '_ {
        self.kurban_ait.iter().map(|(y, d)| (*y, *d))
    }

    /// The public holiday on `date`, if any. Exceptions do not change what the day is called.
    pub fn holiday(&self, date: NaiveDate) -> Option<Holiday> {
        let fixed = FIXED_HOLIDAYS.iter().find(|(m, d, _)| date.month() == *m && date.day() == *d).map(|(_, _, h)| *h);
        fixed.or_else(|| (self.kurban_ait(date.year()) == Some(date)).then_some(Holiday::KurbanAit))
    }

    /// Whether `date` is a working day. An administrator's exception wins; otherwise weekends
    /// and holidays are off. A year without its Kurban ait is refused as a whole, so a gap in
    /// the calendar shows up at once instead of giving some answers and not others.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        if let Some(kind) = self.exception(date) {
            return Ok(kind == DayKind::Working);
        }
        if !self.kurban_ait.contains_key(&date.year()) {
            return Err(CalendarError::KurbanAitUnknown { year: date.year() });
        }
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        Ok(!weekend && self.holiday(date).is_none() && self.moved_holiday(date).is_none())
    }

    /// The holiday whose day off `date` is because it fell on a weekend. 7 January and Kurban
    /// ait are not moved; the others move to the next weekday that is neither a holiday nor
    /// already another holiday's moved day (Nauryz on Saturday–Monday: Tuesday and Wednesday).
    pub fn moved_holiday(&self, date: NaiveDate) -> Option<Holiday> {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) || self.holiday(date).is_some() {
            return None;
        }
        // Only the holidays of the fortnight before can reach `date`.
        let mut taken: Vec<(NaiveDate, Holiday)> = vec![];
        let mut day = date.checked_sub_days(Days::new(14))?;
        while day < date {
            let h = self.holiday(day).filter(|h| !matches!(h, Holiday::OrthodoxChristmas | Holiday::KurbanAit));
            if let (Some(h), Weekday::Sat | Weekday::Sun) = (h, day.weekday()) {
                let mut to = day.succ_opt()?;
                while matches!(to.weekday(), Weekday::Sat | Weekday::Sun) || self.holiday(to).is_some() || taken.iter().any(|(d, _)| *d == to) {
                    to = to.succ_opt()?;
                }
                taken.push((to, h));
            }
            day = day.succ_opt()?;
        }
        taken.into_iter().find(|(d, _)| *d == date).map(|(_, h)| h)
    }

    /// The `n`-th working day after `from` (`from` itself is not counted; `n = 0` gives `from`).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().ok_or(CalendarError::OutOfRange)?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// How many working days lie in `(from, to]`; 0 when `to <= from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        let mut count = 0u32;
        let mut day = from;
        while day < to {
            day = day.succ_opt().ok_or(CalendarError::OutOfRange)?;
            if self.is_working_day(day)? {
                count = count.saturating_add(1);
            }
        }
        Ok(count)
    }
}

/// The referral's time limits; settings, because the rules have changed before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRules {
    /// Working days the parent has to confirm the referral.
    pub confirm_working_days: u32,
    /// Working days the referral stays valid, counted from the day it is issued like every
    /// deadline here (weekends, holidays and the administrators' days off do not count).
    pub valid_working_days: u32,
    /// Calendar days from issue that the once-only extension may reach.
    pub max_extension_days: u32,
}

impl Default for ReferralRules {
    fn default() -> Self {
        ReferralRules { confirm_working_days: 2, valid_working_days: 5, max_extension_days: 30 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralDeadlines {
    pub confirm_by: NaiveDate,
    pub valid_until: NaiveDate,
    /// The latest date the once-only extension may move `valid_until` to.
    pub latest_extension: NaiveDate,
}

/// The deadlines of a referral issued on `issued_on`, all counted from the day of issue.
pub fn referral_deadlines(cal: &WorkCalendar, rules: &ReferralRules, issued_on: NaiveDate) -> Result<ReferralDeadlines, CalendarError> {
    let confirm_by = cal.add_working_days(issued_on, rules.confirm_working_days)?;
    let valid_until = cal.add_working_days(issued_on, rules.valid_working_days)?;
    let limit = issued_on.checked_add_days(Days::new(u64::from(rules.max_extension_days))).ok_or(CalendarError::OutOfRange)?;
    // An extension never shortens a referral, even under odd settings.
    let latest_extension = limit.max(valid_until);
    Ok(ReferralDeadlines { confirm_by, valid_until, latest_extension })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ExtensionError {
    #[error("the referral has already been extended once")]
    AlreadyExtended,
    #[error("the new date must be later than the current one")]
    NotLater,
    #[error("a referral can be extended up to {latest} at most")]
    BeyondLimit { latest: NaiveDate },
}

/// Checks a request to extend a referral to `requested`; returns the new `valid_until`.
pub fn check_extension(current_valid_until: NaiveDate, requested: NaiveDate, deadlines: &ReferralDeadlines, already_extended: bool) -> Result<NaiveDate, ExtensionError> {
    if already_extended {
        return Err(ExtensionError::AlreadyExtended);
    }
    if requested <= current_valid_until {
        return Err(ExtensionError::NotLater);
    }
    if requested > deadlines.latest_extension {
        return Err(ExtensionError::BeyondLimit { latest: deadlines.latest_extension });
    }
    Ok(requested)
}

/// The first and last dates an office works with. Anything outside is a typo (a year 20260)
/// or a crafted value, and the calendar's own edges (`NaiveDate::MIN`/`MAX`) overflow the
/// day arithmetic of every period: refused before they reach it.
pub const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
pub const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// Whether a date given by a person (a bulletin's day, a period's ends, a publication) is
/// one the office can work with.
pub fn in_reach(d: NaiveDate) -> bool {
    (FIRST_DAY..=LAST_DAY).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn deadlines(issued: NaiveDate) -> ReferralDeadlines {
        referral_deadlines(&WorkCalendar::kazakhstan(), &ReferralRules::default(), issued).unwrap()
    }

    #[test]
    fn fixed_holidays_and_kurban_ait_are_named() {
        let cal = WorkCalendar::kazakhstan();
        assert_eq!(cal.holiday(d(2026, 1, 2)), Some(Holiday::NewYear));
        assert_eq!(cal.holiday(d(2026, 3, 22)), Some(Holiday::Nauryz));
        assert_eq!(cal.holiday(d(2026, 12, 16)), Some(Holiday::IndependenceDay));
        assert_eq!(cal.holiday(d(2026, 5, 27)), Some(Holiday::KurbanAit));
        assert_eq!(cal.holiday(d(2026, 5, 28)), None);
        assert_eq!(cal.holiday(d(2026, 1, 7)), Some(Holiday::OrthodoxChristmas));
        assert_eq!(cal.holiday(d(2026, 1, 8)), None, "nothing beyond the brief's list");
        for h in Holiday::ALL {
            assert_eq!(Holiday::from_code(h.code()), Some(h));
        }
        // Every year 2020..=2030 has its Kurban ait and nothing else.
        let years: Vec<i32> = cal.kurban_ait_days().map(|(y, _)| y).collect();
        assert_eq!(years, (2020..=2030).collect::<Vec<_>>());
        for (y, day) in cal.kurban_ait_days() {
            assert_eq!(day.year(), y);
        }
        assert_eq!(cal.exceptions().count(), 0);
    }

    #[test]
    fn referral_issued_before_new_year_skips_the_holidays_and_the_weekend() {
        let issued = d(2026, 12, 30);
        assert_eq!(issued.weekday(), Weekday::Wed);
        assert_eq!(d(2027, 1, 1).weekday(), Weekday::Fri);
        let dl = deadlines(issued);
        // 31 Dec (1); 1 Jan holiday; 2 Jan a holiday on Saturday, so Monday 4 Jan is off;
        // 3 Jan Sunday; 5 Jan (2).
        assert_eq!(dl.confirm_by, d(2027, 1, 5));
        assert_eq!(dl.confirm_by.weekday(), Weekday::Tue);
        // 6 Jan (3); 7 Jan Orthodox Christmas; 8 Jan (4); weekend; 11 Jan (5).
        assert_eq!(dl.valid_until, d(2027, 1, 11));
        assert_eq!(dl.latest_extension, d(2027, 1, 29));
    }

    #[test]
    fn orthodox_christmas_is_off_and_not_moved_from_a_weekend() {
        let cal = WorkCalendar::kazakhstan();
        assert_eq!(cal.holiday(d(2027, 1, 7)), Some(Holiday::OrthodoxChristmas));
        assert_eq!(cal.is_working_day(d(2027, 1, 7)), Ok(false), "a Thursday");
        // 7 January 2029 is a Sunday: the Monday after stays a working day.
        assert_eq!(d(2029, 1, 7).weekday(), Weekday::Sun);
        assert_eq!(cal.is_working_day(d(2029, 1, 8)), Ok(true));
    }

    #[test]
    fn a_holiday_on_a_weekend_moves_to_the_next_working_day() {
        let cal = WorkCalendar::kazakhstan();
        // 16 December 2029 is a Sunday: Monday the 17th is off.
        assert_eq!(d(2029, 12, 16).weekday(), Weekday::Sun);
        assert_eq!(cal.moved_holiday(d(2029, 12, 17)), Some(Holiday::IndependenceDay));
        assert_eq!(cal.is_working_day(d(2029, 12, 17)), Ok(false));
        assert_eq!(cal.is_working_day(d(2029, 12, 18)), Ok(true));
        // 1–2 January 2028 are Saturday and Sunday: Monday 3 and Tuesday 4 are off.
        assert_eq!((cal.is_working_day(d(2028, 1, 3)), cal.is_working_day(d(2028, 1, 4)), cal.is_working_day(d(2028, 1, 5))), (Ok(false), Ok(false), Ok(true)));
        // Nauryz 2027: 21 Sunday, 22–23 Monday–Tuesday; the Sunday moves to Wednesday the 24th.
        assert_eq!(cal.moved_holiday(d(2027, 3, 24)), Some(Holiday::Nauryz));
        assert_eq!(cal.is_working_day(d(2027, 3, 25)), Ok(true));
        // An administrator's exception still wins (a decree that moves it elsewhere).
        let mut moved = cal.clone();
        moved.set_exception(d(2029, 12, 17), DayKind::Working);
        assert_eq!(moved.is_working_day(d(2029, 12, 17)), Ok(true));
    }

    #[test]
    fn nauryz_is_three_days_off() {
        let issued = d(2028, 3, 20);
        assert_eq!(issued.weekday(), Weekday::Mon);
        assert_eq!(d(2028, 3, 21).weekday(), Weekday::Tue);
        let cal = WorkCalendar::kazakhstan();
        for day in 21..=23 {
            assert_eq!(cal.is_working_day(d(2028, 3, day)), Ok(false));
        }
        let dl = deadlines(issued);
        // 24 Mar Fri (1), 25–26 weekend, 27 Mon (2).
        assert_eq!(dl.confirm_by, d(2028, 3, 27));
        // 28, 29, 30 (3, 4, 5).
        assert_eq!(dl.valid_until, d(2028, 3, 30));
    }

    #[test]
    fn a_plain_weekend_is_skipped() {
        let issued = d(2026, 2, 6);
        assert_eq!(issued.weekday(), Weekday::Fri);
        let dl = deadlines(issued);
        assert_eq!(dl.confirm_by, d(2026, 2, 10));
        assert_eq!(dl.confirm_by.weekday(), Weekday::Tue);
        assert_eq!(dl.valid_until, d(2026, 2, 13));
        assert_eq!(dl.valid_until.weekday(), Weekday::Fri);
    }

    #[test]
    fn kurban_ait_is_a_day_off() {
        let cal = WorkCalendar::kazakhstan();
        let feast = d(2026, 5, 27);
        assert_eq!(feast.weekday(), Weekday::Wed);
        assert_eq!(cal.is_working_day(feast), Ok(false));
        assert_eq!(cal.add_working_days(d(2026, 5, 26), 1), Ok(d(2026, 5, 28)));
    }

    #[test]
    fn administrator_exceptions_win() {
        let mut cal = WorkCalendar::kazakhstan();
        let saturday = d(2026, 2, 7);
        let monday = d(2026, 2, 9);
        assert_eq!(saturday.weekday(), Weekday::Sat);
        assert_eq!(monday.weekday(), Weekday::Mon);
        cal.set_exception(saturday, DayKind::Working);
        cal.set_exception(monday, DayKind::DayOff);
        assert_eq!(cal.is_working_day(saturday), Ok(true));
        assert_eq!(cal.is_working_day(monday), Ok(false));
        assert_eq!(cal.add_working_days(d(2026, 2, 6), 1), Ok(saturday));
        assert_eq!(cal.add_working_days(d(2026, 2, 6), 2), Ok(d(2026, 2, 10)));
        assert_eq!(cal.exceptions().collect::<Vec<_>>(), vec![(saturday, DayKind::Working), (monday, DayKind::DayOff)]);
        // A holiday made working (a transfer can do that too).
        cal.set_exception(d(2026, 3, 8), DayKind::Working);
        assert_eq!(cal.is_working_day(d(2026, 3, 8)), Ok(true));
        cal.remove_exception(saturday);
        assert_eq!(cal.is_working_day(saturday), Ok(false));
    }

    #[test]
    fn a_year_without_kurban_ait_is_a_gap() {
        let mut cal = WorkCalendar::kazakhstan();
        assert_eq!(cal.is_working_day(d(2031, 1, 6)), Err(CalendarError::KurbanAitUnknown { year: 2031 }));
        assert_eq!(cal.add_working_days(d(2030, 12, 30), 3), Err(CalendarError::KurbanAitUnknown { year: 2031 }));
        assert_eq!(referral_deadlines(&cal, &ReferralRules::default(), d(2030, 12, 30)), Err(CalendarError::KurbanAitUnknown { year: 2031 }));
        // 2030-12-31 is Tuesday: one working day still fits in the known year.
        assert_eq!(cal.add_working_days(d(2030, 12, 30), 1), Ok(d(2030, 12, 31)));
        // An explicit exception is known even in an unknown year.
        cal.set_exception(d(2031, 1, 4), DayKind::Working);
        assert_eq!(cal.is_working_day(d(2031, 1, 4)), Ok(true));
        cal.set_kurban_ait(2031, d(2031, 4, 2));
        assert_eq!(cal.is_working_day(d(2031, 4, 2)), Ok(false));
        assert_eq!(cal.is_working_day(d(2031, 1, 6)), Ok(true));
    }

    #[test]
    fn extension_rules() {
        let dl = deadlines(d(2026, 2, 6));
        let now = dl.valid_until;
        assert_eq!(dl.latest_extension, d(2026, 3, 8));
        assert_eq!(check_extension(now, d(2026, 3, 1), &dl, false), Ok(d(2026, 3, 1)));
        assert_eq!(check_extension(now, dl.latest_extension, &dl, false), Ok(dl.latest_extension));
        assert_eq!(check_extension(now, d(2026, 3, 1), &dl, true), Err(ExtensionError::AlreadyExtended));
        assert_eq!(check_extension(now, now, &dl, false), Err(ExtensionError::NotLater));
        assert_eq!(check_extension(now, d(2026, 2, 10), &dl, false), Err(ExtensionError::NotLater));
        assert_eq!(check_extension(now, d(2026, 3, 9), &dl, false), Err(ExtensionError::BeyondLimit { latest: d(2026, 3, 8) }));
    }

    #[test]
    fn calendar_round_trips_through_json() {
        let mut cal = WorkCalendar::kazakhstan();
        cal.set_exception(d(2026, 2, 7), DayKind::Working);
        let json = serde_json::to_string(&cal).unwrap();
        let back: WorkCalendar = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cal);
        for k in [DayKind::Working, DayKind::DayOff] {
            assert_eq!(DayKind::from_code(k.code()), Some(k));
        }
    }

    fn known_date() -> impl Strategy<Value = NaiveDate> {
        // 2020-01-01 .. about 2030-06: leaves room to count forward inside the known years.
        (0u64..3800).prop_map(|n| d(2020, 1, 1) + Days::new(n))
    }

    proptest! {
        #[test]
        fn add_working_days_counts_exactly_n(from in known_date(), n in 0u32..40) {
            let cal = WorkCalendar::kazakhstan();
            let to = cal.add_working_days(from, n).unwrap();
            prop_assert_eq!(cal.working_days_between(from, to).unwrap(), n);
            if n > 0 {
                prop_assert!(to > from);
                prop_assert!(cal.is_working_day(to).unwrap());
                prop_assert!(!matches!(to.weekday(), Weekday::Sat | Weekday::Sun));
                prop_assert!(cal.holiday(to).is_none());
            } else {
                prop_assert_eq!(to, from);
            }
            // One more working day lands strictly later.
            prop_assert!(cal.add_working_days(from, n + 1).unwrap() > to);
        }

        #[test]
        fn deadlines_are_ordered(issued in known_date()) {
            let dl = deadlines(issued);
            prop_assert!(issued < dl.confirm_by);
            prop_assert!(dl.confirm_by < dl.valid_until);
            prop_assert!(dl.valid_until <= dl.latest_extension);
            prop_assert_eq!(
                check_extension(dl.valid_until, dl.latest_extension, &dl, false).is_ok(),
                dl.latest_extension > dl.valid_until
            );
        }

        #[test]
        fn exceptions_always_win(day in known_date(), working in any::<bool>()) {
            let mut cal = WorkCalendar::kazakhstan();
            let kind = if working { DayKind::Working } else { DayKind::DayOff };
            cal.set_exception(day, kind);
            prop_assert_eq!(cal.is_working_day(day).unwrap(), working);
        }
    }

    #[test]
    fn the_calendars_edges_are_out_of_reach_and_a_century_either_side_is_in() {
        assert!(!in_reach(NaiveDate::MIN) && !in_reach(NaiveDate::MAX));
        assert!(in_reach(d(1900, 1, 1)) && in_reach(d(2199, 12, 31)) && in_reach(d(2026, 12, 3)));
        assert!(!in_reach(d(1899, 12, 31)) && !in_reach(d(2200, 1, 1)));
        // Every period the desk computes from a date in reach stays inside chrono's range.
        for day in [FIRST_DAY, LAST_DAY] {
            let _ = crate::command::desk_day_start(day + Days::new(1));
            let _ = crate::command::desk_day_start(day);
        }
    }
}
