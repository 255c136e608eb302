//! How domain values are written as SQLite text, and read back.

use crate::StoreError;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use uuid::Uuid;

/// Fixed-width UTC text, so that text order is time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn day(s: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| StoreError::Decode { what: "date", detail: format!("{s}: {e}") })
}

pub fn uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Decode { what: "id", detail: format!("{s}: {e}") })
}

pub fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub fn parse_json_list(s: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Decode { what: "list", detail: e.to_string() })
}

pub fn code<T>(what: &'static str, s: &str, f: impl Fn(&str) -> Option<T>) -> Result<T, StoreError> {
    f(s).ok_or_else(|| StoreError::Decode { what, detail: s.to_string() })
}

/// A stored UTC time read back.
pub fn time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).map_err(|e| StoreError::Decode { what: "time", detail: format!("{s}: {e}") })
}

/// The person in columns `<who>_iin`, `<who>_surname`, … of an applications row.
pub fn person(r: &sqlx::sqlite::SqliteRow, who: &str) -> Result<baqsha_core::Person, StoreError> {
    use sqlx::Row;
    let iin: String = r.try_get(format!("{who}_iin").as_str())?;
    Ok(baqsha_core::Person {
        iin: baqsha_core::Iin::parse(&iin).map_err(|e| StoreError::Decode { what: "IIN", detail: format!("{iin}: {e:?}") })?,
        surname: r.try_get(format!("{who}_surname").as_str())?,
        given_name: r.try_get(format!("{who}_given_name").as_str())?,
        patronymic: r.try_get(format!("{who}_patronymic").as_str())?,
        verified: r.try_get::<i64, _>(format!("{who}_verified").as_str())? != 0,
    })
}

/// A name kept in two columns (`<prefix>_kk`, `<prefix>_ru`), and a third for English when
/// `en` is given.
pub fn names(r: &sqlx::sqlite::SqliteRow, kk: &str, ru: &str, en: Option<&str>) -> Result<baqsha_core::Names, sqlx::Error> {
    use sqlx::Row;
    Ok(baqsha_core::Names {
        kk: r.try_get(kk)?,
        ru: r.try_get(ru)?,
        en: match en {
            Some(col) => Some(r.try_get(col)?),
            None => None,
        },
    })
}
