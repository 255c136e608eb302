//! The window's clock: the desk's, not the browser's. The shell says what time it is when the
//! window starts (`StartInfo::now`); the window keeps the difference and runs on the
//! browser's clock from there, so a desk started on another clock shows its own «today».

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

/// Marks a moment on the page's performance timeline (`performance.mark`), where the start-up
/// and keystroke benchmarks read it: the window's own time, not a poll's.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}
