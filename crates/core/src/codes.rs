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
}

impl Default for CodePolicy {
    fn default() -> Self {
        CodePolicy { digits: 6, valid_for: Duration::minutes(5), max_tries: 5, resend_after: Duration::seconds(60), confirmation_lasts: Duration::hours(2) }
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
    pub tries: u32,
    pub confirmed: bool,
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
    #[error("too many wrong tries: send a new code")]
    TooManyTries,
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

/// A new code for `target`, unless the last one was sent less than `resend_after` ago.
/// Returns the record to keep and the code to send.
pub fn issue(target: &str, last: Option<&CodeRecord>, now: DateTime<Utc>, random: u32, salt: &str, policy: &CodePolicy) -> Result<(CodeRecord, String), CodeError> {
    if let Some(l) = last {
        let wait = l.issued_at + policy.resend_after - now;
        if wait > Duration::zero() && !l.confirmed {
            return Err(CodeError::TooSoon { seconds: wait.num_seconds().max(1) });
        }
    }
    let code = code_text(random, policy);
    let record = CodeRecord { target: target.to_string(), salt: salt.to_string(), hash: hash(salt, &code), issued_at: now, tries: 0, confirmed: false };
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
        assert_eq!((again.tries, code.as_str()), (0, "000001"));
        // The old code does not confirm the new record.
        assert!(check(&again, &sent().1, t0() + Duration::seconds(61), &p).1.is_err());
    }
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
