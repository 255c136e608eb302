//! The window's clock: the desk's, not the browser's. The shell says what time it is when the
//! window starts (`StartInfo::now`); the window keeps the difference and runs on the
//! browser's clock from there, so a desk started on another clock shows its own «today».
//! It also keeps the page's performance timeline (marks and measures), which the
//! benchmarks read.

use std::cell::Cell;

thread_local! {
    /// Desk time minus browser time, in milliseconds.
    static OFFSET: Cell<i64> = const { Cell::new(0) };
}

/// Takes the desk's time as the shell gave it.
pub fn set_desk_now(desk: chrono::DateTime<chrono::Utc>) {
    OFFSET.with(|o| o.set(desk.timestamp_millis() - js_sys::Date::now() as i64));
}

pub fn now() -> chrono::DateTime<chrono::Utc> {
    let ms = js_sys::Date::now() as i64 + OFFSET.with(Cell::get);
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// The desk's date (Kazakhstan's), by the core's one rule.
pub fn today() -> chrono::NaiveDate {
    baqsha_core::command::desk_date(now())
}

/// The first day of `day`'s year: where a period of referrals or admissions starts by default
/// (a year shows what was given, a day or a month most often nothing).
pub fn year_start(day: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    day.with_ordinal(1).unwrap_or(day)
}

/// Marks a moment on the page's performance timeline (`performance.mark`), where the start-up
/// and keystroke benchmarks read it: the window's own time, not a poll's.
pub fn mark(name: &str) {
    on_timeline(|p| {
        let _ = p.mark(name);
    });
}

/// Records the time from the mark `start` to now as `name` (`performance.measure`, shown on the
/// web inspector's timeline) and drops the start mark.
pub fn measure(name: &str, start: &str) {
    on_timeline(|p| {
        let _ = p.measure_with_start_mark(name, start);
        p.clear_marks_with_mark_name(start);
    });
}

thread_local! {
    static ENTRIES: Cell<u32> = const { Cell::new(0) };
}

/// A desk open all day would grow the timeline without end (a mark per list, a measure per
/// call): every thousand entries it starts afresh.
fn on_timeline(f: impl FnOnce(&web_sys::Performance)) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        f(&p);
        if ENTRIES.with(|n| n.replace(n.get().wrapping_add(1))) % 1000 == 999 {
            p.clear_marks();
            p.clear_measures();
        }
    }
}
