//! Confirmation codes (SMS and e-mail, and «Жолдама алу» later): 6 digits, valid 5 minutes,
//! at most 5 tries, a new one not sooner than 60 seconds after the last. Only a salted hash is
//! kept. Pure: the caller passes the time, the random digits and the salt.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodePolicy {
    pub digits: u32,
    pub valid_for: Duration,
    pub max_tries: u32,
    pub resend_after: Duration,
    /// How long a confirmed code stands for its contact at submit (the parent is at the desk).
    pub confirmation_lasts: Duration,
    /// Codes one contact may be sent in `window`; its wrong tries count across all of them.
    pub sends_per_window: u32,
    pub window: Duration,
}

impl Default for CodePolicy {
    fn default() -> Self {
        CodePolicy {
            digits: 6,
            valid_for: Duration::minutes(5),
            max_tries: 5,
            resend_after: Duration::seconds(60),
            confirmation_lasts: Duration::hours(2),
            sends_per_window: 5,
            window: Duration::hours(1),
        }
    }
}

/// A code sent to one phone or address, as stored: never the code itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRecord {
    /// `+77011234567` or `name@example.kz`.
    pub target: String,
    pub salt: String,
    pub hash: String,
    pub issued_at: DateTime<Utc>,
    /// Wrong tries since `window_from`, whichever code they were typed against: a resend
    /// never gives a guesser five more.
    pub tries: u32,
    pub confirmed: bool,
    /// When this contact's first code of the current window was sent, and how many since.
    pub window_from: DateTime<Utc>,
    pub sent: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CodeError {
    #[error("a new code can be sent in {seconds} s")]
    TooSoon { seconds: i64 },
    #[error("the code is wrong; {left} tries left")]
    Wrong { left: u32 },
    #[error("the code has expired")]
    Expired,
    #[error("too many wrong tries")]
    TooManyTries,
    /// Codes or tries for this contact are used up for the hour.
    #[error("no more codes for this contact for {minutes} min")]
    Locked { minutes: i64 },
    #[error("no code was sent to this number")]
    NotSent,
}

fn hash(salt: &str, code: &str) -> String {
    Sha256::new().chain_update(salt.as_bytes()).chain_update(code.as_bytes()).finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The code's text from random bits: `random % 10^digits`, zero-padded.
pub fn code_text(random: u32, policy: &CodePolicy) -> String {
    let modulus = 10u32.pow(policy.digits);
    format!("{:0width$}", random % modulus, width = policy.digits as usize)
}

/// A new code for `target`, unless the last one was sent less than `resend_after` ago or
/// this contact's codes or wrong tries are used up for the window (an hour from its first
/// code). Tries carry over to the new code; a confirmed contact starts its tries again.
pub fn issue(target: &str, last: Option<&CodeRecord>, now: DateTime<Utc>, random: u32, salt: &str, policy: &CodePolicy) -> Result<(CodeRecord, String), CodeError> {
    let (window_from, sent, tries) = match last {
        Some(l) if now < l.window_from + policy.window => (l.window_from, l.sent, if l.confirmed { 0 } else { l.tries }),
        _ => (now, 0, 0),
    };
    if let Some(l) = last {
        let wait = l.issued_at + policy.resend_after - now;
        if wait > Duration::zero() && !l.confirmed {
            return Err(CodeError::TooSoon { seconds: wait.num_seconds().max(1) });
        }
    }
    if sent >= policy.sends_per_window || tries >= policy.max_tries {
        let left = window_from + policy.window - now;
        return Err(CodeError::Locked { minutes: (left.num_seconds() + 59).div_euclid(60).max(1) });
    }
    let code = code_text(random, policy);
    let record = CodeRecord { target: target.to_string(), salt: salt.to_string(), hash: hash(salt, &code), issued_at: now, tries, confirmed: false, window_from, sent: sent + 1 };
    Ok((record, code))
}

/// Whether `record` still confirms its contact at `now` (for a submit).
pub fn confirms(record: &CodeRecord, now: DateTime<Utc>, policy: &CodePolicy) -> bool {
    record.confirmed && record.issued_at + policy.confirmation_lasts >= now
}

/// Checks a typed code. The record comes back changed either way (a try counted, or
/// confirmed) and must be kept.
pub fn check(record: &CodeRecord, typed: &str, now: DateTime<Utc>, policy: &CodePolicy) -> (CodeRecord, Result<(), CodeError>) {
    let mut r = record.clone();
    if r.confirmed {
        return (r, Ok(()));
    }
    if r.tries >= policy.max_tries {
        return (r, Err(CodeError::TooManyTries));
    }
    if now > r.issued_at + policy.valid_for {
        return (r, Err(CodeError::Expired));
    }
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    r.tries += 1;
    if hash(&r.salt, &typed) == r.hash {
        r.confirmed = true;
        return (r, Ok(()));
    }
    let left = policy.max_tries - r.tries;
    (r, Err(if left == 0 { CodeError::TooManyTries } else { CodeError::Wrong { left } }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 6, 0, 0).unwrap()
    }

    fn sent() -> (CodeRecord, String) {
        issue("+77011234567", None, t0(), 4_213_007, "salt-1", &CodePolicy::default()).unwrap()
    }

    #[test]
    fn a_code_has_six_digits_and_only_its_hash_is_kept() {
        let (r, code) = sent();
        assert_eq!(code, "213007");
        assert_eq!(code_text(7, &CodePolicy::default()), "000007");
        assert!(!r.hash.contains(&code) && r.hash.len() == 64);
    }

    #[test]
    fn a_confirmation_stands_two_hours() {
        let (mut r, _) = sent();
        let p = CodePolicy::default();
        assert!(!confirms(&r, t0(), &p), "not confirmed yet");
        r.confirmed = true;
        assert!(confirms(&r, t0() + Duration::hours(2), &p));
        assert!(!confirms(&r, t0() + Duration::hours(2) + Duration::seconds(1), &p));
    }

    #[test]
    fn the_right_code_confirms_spaces_allowed() {
        let (r, code) = sent();
        let (r, ok) = check(&r, &format!(" {} {} ", &code[..3], &code[3..]), t0() + Duration::minutes(4), &CodePolicy::default());
        assert_eq!(ok, Ok(()));
        assert!(r.confirmed);
    }

    #[test]
    fn wrong_tries_count_down_then_lock() {
        let p = CodePolicy::default();
        let (mut r, code) = sent();
        for left in (1..5).rev() {
            let (next, res) = check(&r, "000000", t0(), &p);
            assert_eq!(res, Err(CodeError::Wrong { left }));
            r = next;
        }
        let (r, res) = check(&r, "000000", t0(), &p);
        assert_eq!(res, Err(CodeError::TooManyTries));
        // Even the right code no longer works.
        assert_eq!(check(&r, &code, t0(), &p).1, Err(CodeError::TooManyTries));
    }

    #[test]
    fn a_code_expires_after_five_minutes() {
        let (r, code) = sent();
        assert_eq!(check(&r, &code, t0() + Duration::minutes(5) + Duration::seconds(1), &CodePolicy::default()).1, Err(CodeError::Expired));
    }

    #[test]
    fn a_new_code_waits_sixty_seconds() {
        let p = CodePolicy::default();
        let (r, _) = sent();
        assert_eq!(issue("+77011234567", Some(&r), t0() + Duration::seconds(15), 1, "s2", &p).unwrap_err(), CodeError::TooSoon { seconds: 45 });
        let (again, code) = issue("+77011234567", Some(&r), t0() + Duration::seconds(60), 1, "s2", &p).unwrap();
        assert_eq!((again.tries, again.sent, code.as_str()), (0, 2, "000001"));
        // The old code does not confirm the new record.
        assert!(check(&again, &sent().1, t0() + Duration::seconds(61), &p).1.is_err());
    }

    #[test]
    fn a_failing_message_waits_longer_each_time_up_to_an_hour() {
        let waits: Vec<i64> = (1..=10).map(|n| retry_after(n).num_seconds()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        assert_eq!(retry_after(u32::MAX), Duration::hours(1));
    }

    #[test]
    fn a_recipient_is_shown_by_its_ends() {
        assert_eq!(masked_recipient(Channel::Sms, "+77015550112"), "+7 7•• ••• •• 12");
        assert_eq!(masked_recipient(Channel::Email, "ata.ana@example.kz"), "a•••@example.kz");
        assert_eq!(masked_recipient(Channel::Email, "broken"), "•••");
    }

    #[test]
    fn a_resend_keeps_the_wrong_tries_and_five_codes_an_hour_is_all() {
        let p = CodePolicy::default();
        let (mut r, _) = sent();
        for _ in 0..3 {
            r = check(&r, "000000", t0(), &p).0;
        }
        let at = t0() + Duration::minutes(2);
        let (again, _) = issue("+77011234567", Some(&r), at, 9, "s2", &p).unwrap();
        assert_eq!(again.tries, 3, "the tries carry over");
        assert_eq!(check(&again, "000000", at, &p).1, Err(CodeError::Wrong { left: 1 }));
        // Tries used up: no new code until the hour from the first one is over.
        let (mut spent, _) = issue("+77011234567", Some(&r), at, 9, "s2", &p).unwrap();
        spent.tries = p.max_tries;
        assert_eq!(issue("+77011234567", Some(&spent), at + Duration::minutes(2), 9, "s3", &p).unwrap_err(), CodeError::Locked { minutes: 56 });
        // Five codes without a wrong try, then locked; an hour after the first, a fresh start.
        let (mut r, _) = sent();
        for n in 1..5 {
            r = issue("+77011234567", Some(&r), t0() + Duration::minutes(n), n as u32, "s", &p).unwrap().0;
        }
        assert_eq!(r.sent, 5);
        assert_eq!(issue("+77011234567", Some(&r), t0() + Duration::minutes(10), 1, "s", &p).unwrap_err(), CodeError::Locked { minutes: 50 });
        let (fresh, _) = issue("+77011234567", Some(&r), t0() + Duration::hours(1), 1, "s", &p).unwrap();
        assert_eq!((fresh.sent, fresh.tries, fresh.window_from), (1, 0, t0() + Duration::hours(1)));
    }
}

/// Where a code went, as a list may show it: `+7 7•• ••• •• 12`, `a•••@mail.kz` — enough to
/// tell the parent's contact apart, not to read it.
pub fn masked_recipient(channel: Channel, recipient: &str) -> String {
    match channel {
        Channel::Sms => {
            let digits: Vec<char> = recipient.chars().filter(char::is_ascii_digit).collect();
            let last: String = digits.iter().rev().take(2).rev().collect();
            format!("+7 7•• ••• •• {last}")
        }
        Channel::Email => match recipient.split_once('@') {
            Some((name, domain)) => format!("{}•••@{domain}", name.chars().next().unwrap_or('•')),
            None => "•••".into(),
        },
    }
}

/// How long a message waits after its `attempts`-th temporary failure before the next try:
/// 30 s, doubling, at most an hour — a gateway down for a day is not hammered, and one back
/// in a minute is used within a minute.
pub fn retry_after(attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(12);
    (Duration::seconds(30) * 2i32.pow(doublings)).min(Duration::hours(1))
}

/// How a message reaches a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
    pub fn from_code(s: &str) -> Option<Channel> {
        [Channel::Sms, Channel::Email].into_iter().find(|c| c.code() == s)
    }
}

/// A message to send (a code, an application number, a referral).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub channel: Channel,
    /// `+77011234567` or an e-mail address.
    pub recipient: String,
    /// E-mail only.
    pub subject: Option<String>,
    pub body: String,
    /// Carries a confirmation code: once a gateway has taken it, the stored copy is masked.
    pub secret: bool,
}
