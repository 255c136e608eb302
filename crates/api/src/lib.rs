//! The requests and answers that cross between the Yew UI and the desktop shell.
//!
//! Plain data only: no rules (those live in the core) and no IO. The store answers with
//! these types, the shell passes them through Tauri, the UI renders them.

use baqsha_core::roles::Operator;
use baqsha_core::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrySort {
    #[default]
    Name,
    District,
    FreePlaces,
}

/// What the registry list asks for. `text` is matched case-insensitively in names and
/// addresses (Kazakh letters included); every word typed must appear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryQuery {
    pub text: String,
    pub language: Option<Language>,
    pub kind: Option<KindergartenKind>,
    pub district: Option<String>,
    pub sort: RegistrySort,
    /// Sort by the Russian names (a Russian or English screen shows those) instead of the
    /// Kazakh ones.
    #[serde(default)]
    pub russian_names: bool,
    /// 0-based.
    pub page: u32,
    pub page_size: u32,
}

impl Default for RegistryQuery {
    fn default() -> Self {
        RegistryQuery {
            text: String::new(),
            language: None,
            kind: None,
            district: None,
            sort: RegistrySort::Name,
            russian_names: false,
            page: 0,
            page_size: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindergartenRow {
    pub id: KindergartenId,
    pub name_kk: String,
    pub name_ru: String,
    pub kind: KindergartenKind,
    pub district: String,
    pub address_kk: String,
    pub address_ru: String,
    pub languages: Vec<Language>,
    /// Places published and still open.
    pub free_places: u32,
    pub location: GeoPoint,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryPage {
    pub items: Vec<KindergartenRow>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub group: Group,
    /// Places of this group published and still open.
    pub open_places: u32,
}

/// «Балабақша паспорты».
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passport {
    pub kindergarten: Kindergarten,
    pub district: District,
    pub groups: Vec<GroupRow>,
    pub free_places: u32,
    /// Active applications that name this kindergarten among their preferences.
    pub queue_size: u64,
    /// Of those, the ones that name it first.
    pub queue_first_choice: u64,
    pub enrolled: u32,
    pub capacity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapPoint {
    pub id: KindergartenId,
    pub name_kk: String,
    pub name_ru: String,
    pub kind: KindergartenKind,
    pub location: GeoPoint,
    pub free_places: u32,
}

/// The region the database holds, for the map and the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionInfo {
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    /// True when the database was seeded with generated demo data.
    pub demo: bool,
    pub districts: Vec<District>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub operator: Operator,
    pub region: RegionInfo,
}

/// A demo account shown on the sign-in screen of a demo database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub login: String,
    pub password: String,
    pub role: baqsha_core::roles::Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartInfo {
    pub region: RegionInfo,
    pub demo_accounts: Vec<DemoAccount>,
    pub ui_language: Option<String>,
}

/// An error as the UI receives it: a code it translates, and the values the message needs.
/// Internal failures carry no Rust debug text; the shell logs those.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ApiError {
    BadCredentials,
    NotSignedIn,
    Denied,
    NotFound,
    Rule { rule: baqsha_core::command::RuleError },
    InvalidInput { field: String },
    /// The database could not be opened; `problem` is `not_database`, `corrupt`, `newer`
    /// or `other`. The file was left as it was.
    Startup { problem: String, path: String, detail: String },
    /// Something failed inside; the log has the details.
    Internal,
}
