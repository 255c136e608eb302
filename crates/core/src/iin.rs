//! The individual identification number (ИИН / ЖСН).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A 12-digit IIN that has passed every rule: digits, century, date, check digit.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

/// Which rule a typed IIN broke; the UI names the rule from this.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IinError {
    #[error("an IIN has 12 digits, {found} were given")]
    Length { found: usize },
    #[error("an IIN has only digits")]
    NonDigit,
    #[error("the 7th digit (century and sex) must be 1–6, found {found}")]
    CenturyDigit { found: u8 },
    #[error("the first six digits are not a real date of birth")]
    ImpossibleDate,
    #[error("the check digit should be {expected}, found {found}")]
    CheckDigit { expected: u8, found: u8 },
    #[error("no IIN with these eleven digits is ever issued")]
    NeverIssued,
}

const W2: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of the first eleven digits, or None when both sums give 10.
pub fn check_digit(d: &[u8; 11]) -> Option<u8> {
    let s1: u32 = d.iter().enumerate().map(|(i, &x)| x as u32 * (i as u32 + 1)).sum::<u32>() % 11;
    if s1 != 10 {
        return Some(s1 as u8);
    }
    let s2: u32 = d.iter().zip(W2).map(|(&x, w)| x as u32 * w).sum::<u32>() % 11;
    (s2 != 10).then_some(s2 as u8)
}

impl Iin {
    /// Parses what a person typed. Spaces and dashes between digits are ignored.
    pub fn parse(input: &str) -> Result<Iin, IinError> {
        let cleaned: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if cleaned.chars().any(|c| !c.is_ascii_digit()) {
            return Err(IinError::NonDigit);
        }
        if cleaned.len() != 12 {
            return Err(IinError::Length { found: cleaned.len() });
        }
        let d: Vec<u8> = cleaned.bytes().map(|b| b - b'0').collect();
        let century = d[6];
        if !(1..=6).contains(&century) {
            return Err(IinError::CenturyDigit { found: century });
        }
        if date_of(&d).is_none() {
            return Err(IinError::ImpossibleDate);
        }
        let mut first = [0u8; 11];
        first.copy_from_slice(&d[..11]);
        match check_digit(&first) {
            None => Err(IinError::NeverIssued),
            Some(c) if c != d[11] => Err(IinError::CheckDigit { expected: c, found: d[11] }),
            Some(_) => Ok(Iin(cleaned)),
        }
    }

    /// What is wrong with an IIN being typed, as soon as it can be said: a letter at once,
    /// the rest when the twelfth digit is in (fewer digits are not yet an error).
    pub fn typing_error(input: &str) -> Option<IinError> {
        let digits = input.chars().filter(char::is_ascii_digit).count();
        match Iin::parse(input) {
            Err(IinError::Length { .. }) if digits < 12 => None,
            Err(e) => Some(e),
            Ok(_) => None,
        }
    }

    /// Builds a valid IIN for a birth date, sex and 4-digit serial (for demo data and tests).
    /// None when the date is outside 1800–2099 or the number would never be issued.
    pub fn from_parts(birth: NaiveDate, sex: Sex, serial: u16) -> Option<Iin> {
        use chrono::Datelike;
        let year = birth.year();
        let century_base = match year {
            1800..=1899 => 1,
            1900..=1999 => 3,
            2000..=2099 => 5,
            _ => return None,
        };
        let c = century_base + u32::from(sex == Sex::Female);
        let s = format!("{:02}{:02}{:02}{}{:04}", year % 100, birth.month(), birth.day(), c, serial % 10_000);
        let mut first = [0u8; 11];
        for (i, b) in s.bytes().enumerate() {
            first[i] = b - b'0';
        }
        let check = check_digit(&first)?;
        Some(Iin(format!("{s}{check}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        let d: Vec<u8> = self.0.bytes().map(|b| b - b'0').collect();
        // Parsing proved the date exists.
        date_of(&d).unwrap_or_default()
    }

    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[6] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The form public lists show: the birth date's first four digits and the check digit
    /// stay, the rest is hidden (`8710******27`).
    pub fn masked(&self) -> String {
        format!("{}******{}", &self.0[..4], &self.0[10..])
    }
}

fn date_of(d: &[u8]) -> Option<NaiveDate> {
    let yy = (d[0] * 10 + d[1]) as i32;
    let month = (d[2] * 10 + d[3]) as u32;
    let day = (d[4] * 10 + d[5]) as u32;
    let century = match d[6] {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(century + yy, month, day)
}

impl TryFrom<String> for Iin {
    type Error = IinError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Iin::parse(&s)
    }
}

impl From<Iin> for String {
    fn from(i: Iin) -> String {
        i.0
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Debug output ends up in logs: never the whole number.
        write!(f, "Iin({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn brief_examples_are_valid() {
        let a = Iin::parse("871008401427").unwrap();
        assert_eq!(a.birth_date(), ymd(1987, 10, 8));
        assert_eq!(a.sex(), Sex::Female);
        let b = Iin::parse("760212350620").unwrap();
        assert_eq!(b.birth_date(), ymd(1976, 2, 12));
        assert_eq!(b.sex(), Sex::Male);
        let c = Iin::parse("061211600012").unwrap();
        assert_eq!(c.birth_date(), ymd(2006, 12, 11));
        assert_eq!(c.sex(), Sex::Female);
    }

    #[test]
    fn each_rule_is_named() {
        assert_eq!(Iin::parse("871008401428"), Err(IinError::CheckDigit { expected: 7, found: 8 }));
        assert_eq!(Iin::parse("821214240092"), Err(IinError::NeverIssued));
        assert_eq!(Iin::parse("87100840142"), Err(IinError::Length { found: 11 }));
        assert_eq!(Iin::parse("8710084014a7"), Err(IinError::NonDigit));
        assert_eq!(Iin::parse("871008701427"), Err(IinError::CenturyDigit { found: 7 }));
        assert_eq!(Iin::parse("871308401427"), Err(IinError::ImpossibleDate));
        assert_eq!(Iin::parse("230229500000"), Err(IinError::ImpossibleDate));
        assert_eq!(Iin::parse(""), Err(IinError::Length { found: 0 }));
        // While typing: nothing until the twelfth digit, a letter at once, a thirteenth too.
        assert_eq!(Iin::typing_error("87100840142"), None);
        assert_eq!(Iin::typing_error("8710 084"), None);
        assert_eq!(Iin::typing_error("87100840142а"), Some(IinError::NonDigit));
        assert_eq!(Iin::typing_error("871008401428"), Some(IinError::CheckDigit { expected: 7, found: 8 }));
        assert_eq!(Iin::typing_error("871008401427"), None);
        assert_eq!(Iin::typing_error("8710084014270"), Some(IinError::Length { found: 13 }));
    }

    #[test]
    fn typed_spaces_are_forgiven() {
        assert_eq!(Iin::parse(" 871008 401427 ").unwrap().as_str(), "871008401427");
    }

    #[test]
    fn masking_hides_the_middle() {
        let a = Iin::parse("871008401427").unwrap();
        assert_eq!(a.masked(), "8710******27");
        assert!(!format!("{a:?}").contains("871008401427"));
    }

    proptest! {
        #[test]
        fn generated_numbers_round_trip(days in 0i64..(200 * 366), female: bool, serial in 0u16..10_000) {
            let birth = ymd(1850, 1, 1) + chrono::Duration::days(days);
            let sex = if female { Sex::Female } else { Sex::Male };
            if let Some(iin) = Iin::from_parts(birth, sex, serial) {
                let back = Iin::parse(iin.as_str()).unwrap();
                prop_assert_eq!(back.birth_date(), birth);
                prop_assert_eq!(back.sex(), sex);
            }
        }

        #[test]
        fn a_changed_check_digit_is_caught(days in 0i64..(50 * 366), serial in 0u16..10_000, delta in 1u8..10) {
            let birth = ymd(1980, 1, 1) + chrono::Duration::days(days);
            if let Some(iin) = Iin::from_parts(birth, Sex::Male, serial) {
                let mut bytes = iin.as_str().as_bytes().to_vec();
                bytes[11] = b'0' + (bytes[11] - b'0' + delta) % 10;
                let changed = String::from_utf8(bytes).unwrap();
                prop_assert!(Iin::parse(&changed).is_err());
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = Iin::parse(&s);
        }
    }
}
