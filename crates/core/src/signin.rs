//! How long a sign-in must wait after failed tries: per login (someone guessing one
//! account's password) and per desk (someone trying many logins). Pure: the store keeps the
//! failures, the caller gives the time.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures are counted over this window.
    pub window: Duration,
    /// A login's failures allowed before it waits; each one more doubles the wait.
    pub login_free_tries: usize,
    pub login_first_wait: Duration,
    pub login_longest_wait: Duration,
    /// All the desk's failures (any login) allowed before the whole desk waits.
    pub desk_free_tries: usize,
    pub desk_wait: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window: Duration::minutes(15),
            login_free_tries: 5,
            login_first_wait: Duration::seconds(30),
            login_longest_wait: Duration::minutes(15),
            desk_free_tries: 20,
            desk_wait: Duration::minutes(5),
        }
    }
}

/// The seconds left to wait before the next try, or None when one may try now.
/// `login` and `desk` are the failure times inside the window (any order).
pub fn wait(login: &[DateTime<Utc>], desk: &[DateTime<Utc>], now: DateTime<Utc>, p: &ThrottlePolicy) -> Option<i64> {
    let recent = |times: &[DateTime<Utc>]| -> (usize, Option<DateTime<Utc>>) {
        let inside: Vec<&DateTime<Utc>> = times.iter().filter(|t| **t > now - p.window && **t <= now).collect();
        (inside.len(), inside.into_iter().max().copied())
    };
    let mut until: Option<DateTime<Utc>> = None;
    let (n, last) = recent(login);
    if let (true, Some(last)) = (n >= p.login_free_tries, last) {
        let doublings = (n - p.login_free_tries).min(16) as u32;
        let wait = (p.login_first_wait * 2i32.pow(doublings)).min(p.login_longest_wait);
        until = Some(last + wait);
    }
    let (n, last) = recent(desk);
    if let (true, Some(last)) = (n >= p.desk_free_tries, last) {
        until = until.max(Some(last + p.desk_wait));
    }
    // Whole seconds, rounded up: «wait 1 s» rather than «wait 0 s».
    until.map(|u| ((u - now).num_milliseconds() + 999).div_euclid(1000)).filter(|s| *s > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 4, 0, 0).unwrap()
    }
    fn secs(s: i64) -> DateTime<Utc> {
        t0() + Duration::seconds(s)
    }

    #[test]
    fn five_wrong_passwords_then_the_wait_doubles_up_to_fifteen_minutes() {
        let p = ThrottlePolicy::default();
        let four: Vec<_> = (0..4).map(secs).collect();
        assert_eq!(wait(&four, &four, secs(4), &p), None, "four mistakes are a bad morning, not an attack");
        let five: Vec<_> = (0..5).map(secs).collect();
        assert_eq!(wait(&five, &five, secs(4), &p), Some(30));
        assert_eq!(wait(&five, &five, secs(34), &p), None, "after the wait, one may try again");
        let seven: Vec<_> = (0..7).map(secs).collect();
        assert_eq!(wait(&seven, &seven, secs(6), &p), Some(120));
        let many: Vec<_> = (0..15).map(secs).collect();
        assert_eq!(wait(&many, &many, secs(14), &p), Some(15 * 60));
        // Failures older than the window are forgotten.
        assert_eq!(wait(&many, &many, secs(14) + Duration::minutes(16), &p), None);
    }

    #[test]
    fn many_logins_tried_from_one_desk_stop_the_desk() {
        let p = ThrottlePolicy::default();
        let desk: Vec<_> = (0..20).map(|s| secs(s * 10)).collect();
        assert_eq!(wait(&[], &desk, secs(190), &p), Some(5 * 60), "a login never tried before waits too");
        assert_eq!(wait(&[], &desk[..19], secs(190), &p), None);
    }
}
