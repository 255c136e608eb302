//! Kazakhstan mobile numbers and e-mail addresses as people type them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Kazakhstan mobile number, kept as `+7XXXXXXXXXX`.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PhoneError {
    #[error("the number is empty")]
    Empty,
    #[error("a phone number has only digits, spaces, brackets, dashes and a leading +")]
    InvalidCharacters,
    #[error("a mobile number has 11 digits with the leading 8 or 7, {digits} were given")]
    WrongLength { digits: usize },
    #[error("the number is not a Kazakhstan number (+7 or 8)")]
    WrongCountry,
    #[error("{prefix} is not a Kazakhstan mobile operator's code")]
    NotMobile { prefix: String },
}

/// Operator codes of Kazakhstan mobile networks (Beeline, Kcell/Activ, Tele2/Altel).
const MOBILE_CODES: &[&str] =
    &["700", "701", "702", "703", "704", "705", "706", "707", "708", "709", "747", "750", "751", "760", "761", "762", "763", "764", "771", "775", "776", "777", "778"];

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let t = input.trim();
        if t.is_empty() {
            return Err(PhoneError::Empty);
        }
        let mut digits = String::new();
        for (i, c) in t.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '(' | ')' | '.' | '\u{a0}' => {}
                _ => return Err(PhoneError::InvalidCharacters),
            }
        }
        let national = match digits.len() {
            11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
            11 => return Err(PhoneError::WrongCountry),
            10 if digits.starts_with('7') => &digits[..],
            n => return Err(PhoneError::WrongLength { digits: n }),
        };
        let code = &national[..3];
        if !MOBILE_CODES.contains(&code) {
            return Err(PhoneError::NotMobile { prefix: code.to_string() });
        }
        Ok(Phone(format!("+7{national}")))
    }

    /// `+77011234567`
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with the middle hidden, for messages shown on screen: `+7 701 *** ** 67`.
    pub fn masked(&self) -> String {
        format!("+7 {} *** ** {}", &self.0[2..5], &self.0[10..])
    }
}

impl fmt::Display for Phone {
    /// `+7 701 123 45 67`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = &self.0[2..];
        write!(f, "+7 {} {} {} {}", &n[..3], &n[3..6], &n[6..8], &n[8..])
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// An e-mail address: one `@`, a sensible local part, a domain with a dot and no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum EmailError {
    #[error("the address is empty")]
    Empty,
    #[error("an address has exactly one @")]
    At,
    #[error("the part before @ is empty or has characters an address cannot have")]
    Local,
    #[error("the part after @ is not a domain such as mail.kz")]
    Domain,
    #[error("the address is longer than 254 characters")]
    TooLong,
}

impl Email {
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let t = input.trim();
        if t.is_empty() {
            return Err(EmailError::Empty);
        }
        if t.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let mut parts = t.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(EmailError::At);
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(c));
        if !local_ok {
            return Err(EmailError::Local);
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
            && labels.last().is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
        if !domain_ok {
            return Err(EmailError::Domain);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Email::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_ways_people_write_a_number() {
        for s in ["8 701 123 45 67", "+7 (701) 123-45-67", "77011234567", "87011234567", "7011234567", "+7 701 123 45 67"] {
            assert_eq!(Phone::parse(s).unwrap().as_str(), "+77011234567", "{s}");
        }
        assert_eq!(Phone::parse("8 701 123 45 67").unwrap().to_string(), "+7 701 123 45 67");
    }

    #[test]
    fn reasons_for_refusal() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("8 701 123 45"), Err(PhoneError::WrongLength { digits: 9 }));
        assert_eq!(Phone::parse("8 701 123 45 67 8"), Err(PhoneError::WrongLength { digits: 12 }));
        assert_eq!(Phone::parse("8 7232 12 34 56"), Err(PhoneError::NotMobile { prefix: "723".into() }));
        assert_eq!(Phone::parse("+1 701 123 45 67"), Err(PhoneError::WrongCountry));
        assert_eq!(Phone::parse("8 701 abc 45 67"), Err(PhoneError::InvalidCharacters));
    }

    #[test]
    fn emails() {
        assert_eq!(Email::parse(" Aigul.N@Mail.KZ ").unwrap().as_str(), "Aigul.N@mail.kz");
        assert!(Email::parse("a@b.kz").is_ok());
        assert!(Email::parse("мектеп@білім.қаз").is_err());
        assert_eq!(Email::parse("aigul@mail"), Err(EmailError::Domain));
        assert_eq!(Email::parse("aigul.mail.kz"), Err(EmailError::At));
        assert_eq!(Email::parse("a@@mail.kz"), Err(EmailError::At));
        assert_eq!(Email::parse(".a@mail.kz"), Err(EmailError::Local));
        assert_eq!(Email::parse("a b@mail.kz"), Err(EmailError::Local));
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
    }

    proptest! {
        #[test]
        fn every_mobile_number_normalises_the_same(code in 0usize..MOBILE_CODES.len(), rest in 0u32..10_000_000) {
            let national = format!("{}{:07}", MOBILE_CODES[code], rest);
            let a = Phone::parse(&format!("8{national}")).unwrap();
            let b = Phone::parse(&format!("+7 ({}) {}-{}-{}", &national[..3], &national[3..6], &national[6..8], &national[8..])).unwrap();
            prop_assert_eq!(a, b);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,24}") {
            let _ = Phone::parse(&s);
            let _ = Email::parse(&s);
        }
    }
}
