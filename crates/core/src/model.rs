//! The nouns of the domain: kindergartens, groups, places, applications, referrals.

use crate::iin::{Iin, Sex};
use crate::phone::{Email, Phone};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($name:ident),*) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { self.0.fmt(f) }
        }
    )*};
}
id_type!(KindergartenId, GroupId, VacancyId, ApplicationId, ReferralId, OperatorId, DeviceId, LeaseId);

/// Language of instruction of a group, or the one an applicant asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Kk,
    Ru,
    Mixed,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::Kk, Language::Ru, Language::Mixed];
    pub fn code(self) -> &'static str {
        match self {
            Language::Kk => "kk",
            Language::Ru => "ru",
            Language::Mixed => "mixed",
        }
    }
    pub fn from_code(s: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == s)
    }
    /// A mixed group teaches in both languages, so it suits either wish.
    pub fn suits(self, wanted: Language) -> bool {
        self == wanted || self == Language::Mixed || wanted == Language::Mixed
    }
}

/// The language a person reads screens and documents in (not a group's language of
/// instruction: that is [`Language`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
    pub fn from_code(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == s)
    }
    /// The short label of the language switch.
    pub fn label(self) -> &'static str {
        match self {
            Lang::Kk => "ҚАЗ",
            Lang::Ru => "РУС",
            Lang::En => "ENG",
        }
    }
    /// The language a document is printed in for a reader of this one: Kazakh or Russian;
    /// an English screen prints Russian, the region's second official language.
    pub fn of_documents(self) -> Lang {
        match self {
            Lang::Kk => Lang::Kk,
            Lang::Ru | Lang::En => Lang::Ru,
        }
    }
}

/// A name or an address as the registry keeps it: in Kazakh and Russian, and for the
/// region and its districts also in English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Names {
    pub kk: String,
    pub ru: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Names {
    pub fn new(kk: impl Into<String>, ru: impl Into<String>) -> Names {
        Names { kk: kk.into(), ru: ru.into(), en: None }
    }
    /// The form a reader of `lang` sees: English readers get the English form where there
    /// is one and the Russian one otherwise.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => self.en.as_deref().unwrap_or(&self.ru),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindergartenKind {
    State,
    /// Private, taking children on a state order: queued like a state one.
    PrivateStateOrder,
    Private,
}

impl KindergartenKind {
    pub const ALL: [KindergartenKind; 3] = [KindergartenKind::State, KindergartenKind::PrivateStateOrder, KindergartenKind::Private];
    pub fn code(self) -> &'static str {
        match self {
            KindergartenKind::State => "state",
            KindergartenKind::PrivateStateOrder => "private_state_order",
            KindergartenKind::Private => "private",
        }
    }
    pub fn from_code(s: &str) -> Option<KindergartenKind> {
        KindergartenKind::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Whether the electronic queue places children here.
    pub fn is_queued(self) -> bool {
        !matches!(self, KindergartenKind::Private)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// A district or city of the region, named in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct District {
    pub code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub centre: GeoPoint,
}

impl District {
    pub fn names(&self) -> Names {
        Names { kk: self.name_kk.clone(), ru: self.name_ru.clone(), en: Some(self.name_en.clone()) }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kindergarten {
    pub id: KindergartenId,
    pub name_kk: String,
    pub name_ru: String,
    pub kind: KindergartenKind,
    pub district: String,
    pub address_kk: String,
    pub address_ru: String,
    pub location: GeoPoint,
    pub head: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Opening hours as shown to parents, e.g. "07:30–19:00".
    pub hours: String,
    pub programmes: Vec<String>,
    pub equipment: Vec<String>,
    pub design_capacity: u32,
}

impl Kindergarten {
    pub fn names(&self) -> Names {
        Names::new(&self.name_kk, &self.name_ru)
    }
    pub fn address(&self) -> Names {
        Names::new(&self.address_kk, &self.address_ru)
    }
}

/// Ages in whole years on the policy date: a group "2–3" takes children aged 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AgeBand {
    pub from_years: u8,
    pub to_years: u8,
}

impl AgeBand {
    pub fn contains(self, age_years: u8) -> bool {
        age_years >= self.from_years && age_years < self.to_years
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: GroupId,
    pub kindergarten: KindergartenId,
    pub name: String,
    pub age: AgeBand,
    pub language: Language,
    pub capacity: u32,
    pub enrolled: u32,
}

impl Group {
    pub fn free_places(&self) -> u32 {
        self.capacity.saturating_sub(self.enrolled)
    }
}

/// Places a kindergarten has published as free in one group on one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vacancy {
    pub id: VacancyId,
    pub kindergarten: KindergartenId,
    pub group: GroupId,
    pub count: u32,
    pub published_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub iin: Iin,
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    /// True when the names came from the state person registry, false when typed by hand.
    pub verified: bool,
}

impl Person {
    pub fn birth_date(&self) -> NaiveDate {
        self.iin.birth_date()
    }
    pub fn sex(&self) -> Sex {
        self.iin.sex()
    }
    pub fn full_name(&self) -> String {
        match &self.patronymic {
            Some(p) if !p.is_empty() => format!("{} {} {}", self.surname, self.given_name, p),
            _ => format!("{} {}", self.surname, self.given_name),
        }
    }
    /// Initials as public lists show them: `Н. А.`
    pub fn initials(&self) -> String {
        let first = |s: &str| s.chars().next().map(|c| format!("{c}.")).unwrap_or_default();
        let mut out = first(&self.surname);
        let g = first(&self.given_name);
        if !g.is_empty() {
            out.push(' ');
            out.push_str(&g);
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contacts {
    pub phone: Phone,
    pub extra_phone: Option<Phone>,
    pub email: Option<Email>,
}

/// The benefits of BRIEF.md; each belongs to one tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenefitKind {
    // out of turn
    MilitaryServiceman,
    SpecialStateBody,
    DiedOrMissingInService,
    // priority
    Orphan,
    LargeFamily,
    SpecialNeeds,
    ParentDisabled,
    TeacherChild,
}

impl BenefitKind {
    pub const ALL: [BenefitKind; 8] = [
        BenefitKind::MilitaryServiceman,
        BenefitKind::SpecialStateBody,
        BenefitKind::DiedOrMissingInService,
        BenefitKind::Orphan,
        BenefitKind::LargeFamily,
        BenefitKind::SpecialNeeds,
        BenefitKind::ParentDisabled,
        BenefitKind::TeacherChild,
    ];
    pub fn tier(self) -> BenefitTier {
        use BenefitKind::*;
        match self {
            MilitaryServiceman | SpecialStateBody | DiedOrMissingInService => BenefitTier::OutOfTurn,
            Orphan | LargeFamily | SpecialNeeds | ParentDisabled | TeacherChild => BenefitTier::Priority,
        }
    }
    pub fn code(self) -> &'static str {
        use BenefitKind::*;
        match self {
            MilitaryServiceman => "military_serviceman",
            SpecialStateBody => "special_state_body",
            DiedOrMissingInService => "died_or_missing_in_service",
            Orphan => "orphan",
            LargeFamily => "large_family",
            SpecialNeeds => "special_needs",
            ParentDisabled => "parent_disabled",
            TeacherChild => "teacher_child",
        }
    }
    pub fn from_code(s: &str) -> Option<BenefitKind> {
        BenefitKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Where an application stands inside its category. Order of the variants is queue order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenefitTier {
    OutOfTurn,
    Priority,
    General,
}

impl BenefitTier {
    pub fn code(self) -> &'static str {
        match self {
            BenefitTier::OutOfTurn => "out_of_turn",
            BenefitTier::Priority => "priority",
            BenefitTier::General => "general",
        }
    }
    pub fn from_code(s: &str) -> Option<BenefitTier> {
        [BenefitTier::OutOfTurn, BenefitTier::Priority, BenefitTier::General].into_iter().find(|t| t.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    Pending,
    Confirmed,
    Rejected,
}

impl Verification {
    pub fn code(self) -> &'static str {
        match self {
            Verification::Pending => "pending",
            Verification::Confirmed => "confirmed",
            Verification::Rejected => "rejected",
        }
    }
    pub fn from_code(s: &str) -> Option<Verification> {
        [Verification::Pending, Verification::Confirmed, Verification::Rejected].into_iter().find(|v| v.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitClaim {
    pub kind: BenefitKind,
    pub verification: Verification,
    /// Names of the JPEG proofs kept beside the application.
    pub proofs: Vec<String>,
}

impl BenefitClaim {
    /// The tier this claim gives now. A rejected claim gives the general queue, at the
    /// original registration time; a pending one counts until it is decided.
    pub fn effective_tier(&self) -> BenefitTier {
        match self.verification {
            Verification::Rejected => BenefitTier::General,
            Verification::Pending | Verification::Confirmed => self.kind.tier(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Waiting in the queue.
    Queued,
    /// Holds a live referral.
    Referred,
    /// Admitted to a kindergarten: left the queue for good.
    Enrolled,
    /// Withdrawn by the parent or annulled by the department.
    Withdrawn,
    /// Reached school age before a place was found: kept, not deleted.
    Archived,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 5] =
        [ApplicationStatus::Queued, ApplicationStatus::Referred, ApplicationStatus::Enrolled, ApplicationStatus::Withdrawn, ApplicationStatus::Archived];
    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Queued => "queued",
            ApplicationStatus::Referred => "referred",
            ApplicationStatus::Enrolled => "enrolled",
            ApplicationStatus::Withdrawn => "withdrawn",
            ApplicationStatus::Archived => "archived",
        }
    }
    pub fn from_code(s: &str) -> Option<ApplicationStatus> {
        ApplicationStatus::ALL.into_iter().find(|x| x.code() == s)
    }
    /// Active applications count for "one per child" and stand in the queue.
    pub fn is_active(self) -> bool {
        matches!(self, ApplicationStatus::Queued | ApplicationStatus::Referred)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub id: ApplicationId,
    /// The number people see and say, e.g. `VKO-2026-004217`.
    pub number: String,
    pub child: Person,
    pub parent: Person,
    pub contacts: Contacts,
    pub address: String,
    /// Preferred kindergartens, most wanted first.
    pub preferences: Vec<KindergartenId>,
    pub language: Language,
    pub benefit: Option<BenefitClaim>,
    pub consent: bool,
    /// When the application was made at the desk, even offline: the queue's clock.
    pub registered_at: DateTime<Utc>,
    pub status: ApplicationStatus,
}

impl Application {
    pub fn tier(&self) -> BenefitTier {
        self.benefit.as_ref().map_or(BenefitTier::General, BenefitClaim::effective_tier)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Issued; the parent must confirm it within the confirmation deadline.
    Issued,
    /// Confirmed; valid until its deadline.
    Confirmed,
    /// Extended once; valid until the extended deadline.
    Extended,
    /// The child was admitted: the referral is spent.
    Admitted,
    /// The deadline passed: the place returns to the bulletin.
    Expired,
    /// The parent refused the place.
    Refused,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 6] =
        [ReferralStatus::Issued, ReferralStatus::Confirmed, ReferralStatus::Extended, ReferralStatus::Admitted, ReferralStatus::Expired, ReferralStatus::Refused];
    pub fn code(self) -> &'static str {
        match self {
            ReferralStatus::Issued => "issued",
            ReferralStatus::Confirmed => "confirmed",
            ReferralStatus::Extended => "extended",
            ReferralStatus::Admitted => "admitted",
            ReferralStatus::Expired => "expired",
            ReferralStatus::Refused => "refused",
        }
    }
    pub fn from_code(s: &str) -> Option<ReferralStatus> {
        ReferralStatus::ALL.into_iter().find(|x| x.code() == s)
    }
    /// A live referral holds its place.
    pub fn is_live(self) -> bool {
        matches!(self, ReferralStatus::Issued | ReferralStatus::Confirmed | ReferralStatus::Extended)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub id: ReferralId,
    pub number: String,
    pub application: ApplicationId,
    pub vacancy: VacancyId,
    pub kindergarten: KindergartenId,
    pub group: GroupId,
    pub issued_at: DateTime<Utc>,
    pub confirm_by: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: ReferralStatus,
}

/// The birth-year category of the queue (the seed's "age category").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Category(pub i32);

impl Category {
    pub fn of(child_birth: NaiveDate) -> Category {
        use chrono::Datelike;
        Category(child_birth.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_and_names() {
        let p = Person { iin: Iin::parse("871008401427").unwrap(), surname: "Нұрланова".into(), given_name: "Әйгерім".into(), patronymic: None, verified: false };
        assert_eq!(p.initials(), "Н. Ә.");
        assert_eq!(p.full_name(), "Нұрланова Әйгерім");
    }

    #[test]
    fn a_rejected_benefit_returns_to_the_general_queue() {
        let mut c = BenefitClaim { kind: BenefitKind::Orphan, verification: Verification::Pending, proofs: vec![] };
        assert_eq!(c.effective_tier(), BenefitTier::Priority);
        c.verification = Verification::Rejected;
        assert_eq!(c.effective_tier(), BenefitTier::General);
        assert_eq!(BenefitKind::MilitaryServiceman.tier(), BenefitTier::OutOfTurn);
    }

    #[test]
    fn codes_round_trip() {
        for k in BenefitKind::ALL {
            assert_eq!(BenefitKind::from_code(k.code()), Some(k));
        }
        for s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::from_code(s.code()), Some(s));
        }
        for s in ReferralStatus::ALL {
            assert_eq!(ReferralStatus::from_code(s.code()), Some(s));
        }
        for l in Language::ALL {
            assert_eq!(Language::from_code(l.code()), Some(l));
        }
        for k in KindergartenKind::ALL {
            assert_eq!(KindergartenKind::from_code(k.code()), Some(k));
        }
    }
}
