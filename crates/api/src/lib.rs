//! The requests and answers that cross between the Yew UI and the desktop shell.
//!
//! Plain data only: no rules (those live in the core) and no IO. The store answers with
//! these types, the shell passes them through Tauri, the UI renders them.

pub mod calls;

use baqsha_core::roles::{Operator, Role};
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
        RegistryQuery { text: String::new(), language: None, kind: None, district: None, sort: RegistrySort::Name, russian_names: false, page: 0, page_size: 20 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindergartenRow {
    pub id: KindergartenId,
    pub name: Names,
    pub kind: KindergartenKind,
    pub district: String,
    pub address: Names,
    pub languages: Vec<Language>,
    /// Places published and still open.
    pub free_places: u32,
    /// Applications in the queue (waiting or holding a referral) that name this kindergarten.
    #[serde(default)]
    pub queue_size: u64,
    pub location: GeoPoint,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryPage {
    pub items: Vec<KindergartenRow>,
    /// How many match, counted as far as this page needs (at least 1,000).
    pub total: u64,
    /// More than `total` match: the count stopped there.
    pub more: bool,
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub group: Group,
    /// Places of this group published and still open.
    pub open_places: u32,
    /// Children waiting in the queue who name this kindergarten and would fit this group: of
    /// its age band on the next policy date, asking for a language it teaches in.
    #[serde(default)]
    pub queue_fits: u64,
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
    pub name: Names,
    pub kind: KindergartenKind,
    pub location: GeoPoint,
    pub free_places: u32,
}

/// The region the database holds, for the map and the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionInfo {
    pub name: Names,
    /// True when the database was seeded with generated demo data.
    pub demo: bool,
    pub districts: Vec<District>,
    /// How many kindergartens an application may name (a setting; 3 by default).
    #[serde(default = "three")]
    pub max_preferences: usize,
}

fn three() -> usize {
    3
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub operator: Operator,
    pub region: RegionInfo,
    /// The desk's history as last checked (at start, in the background); None while it runs.
    #[serde(default)]
    pub history: Option<HistoryCheck>,
}

/// What checking the desk's history found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "history", rename_all = "snake_case")]
pub enum HistoryCheck {
    Intact {
        entries: u64,
    },
    /// Entry `seq` (or one before it) was changed, removed or rewritten outside the program.
    Broken {
        seq: i64,
    },
    /// The history could not be read to the end (the log says why).
    Unreadable,
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
    pub ui_language: Option<Lang>,
    /// The desk's clock when it answered: the window keeps its own days by it, so the screen
    /// and the desk agree on «today» even on a desk started on another clock.
    pub now: chrono::DateTime<chrono::Utc>,
    /// This desk holds no office yet: the first-run screen offers the demo or setting up a
    /// real office in one of these regions.
    #[serde(default)]
    pub setup: Option<Vec<SetupRegion>>,
}

/// An account as «Пайдаланушылар» lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub operator: Operator,
    pub active: bool,
    /// Its password was given by an administrator and waits to be changed by its owner.
    pub must_change: bool,
}

/// An account created (`id` None, with a temporary `password`) or changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountForm {
    pub id: Option<OperatorId>,
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub kindergarten: Option<KindergartenId>,
    pub active: bool,
    pub password: Option<String>,
}

/// A region an office can be set up in: its real districts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetupRegion {
    pub code: String,
    pub name: Names,
    pub districts: Vec<District>,
}

/// «Осы кеңсені баптау»: a real office and its regional administrator, with a password chosen
/// here (no demo account ever exists in its database).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeSetup {
    pub region: String,
    pub district: String,
    pub office_name: String,
    pub admin_name: String,
    pub admin_login: String,
    pub password: String,
}

/// «Бағдарлама туралы»: what a support person asks for on the phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct About {
    pub version: String,
    pub database: String,
    pub logs: String,
    pub documents: String,
    /// The installation's referral seal key, by its short name (`seal::key_id`).
    pub seal_key: String,
    /// The region's server this desk is meant to join (from the installer or settings).
    pub server: Option<String>,
    pub demo: bool,
}

/// Why the database could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartupProblem {
    /// The file is not a SQLite database.
    NotDatabase,
    /// Its integrity check failed.
    Corrupt,
    /// A newer Baqsha wrote it.
    Newer,
    Other,
}

/// Why a document could not be written, as the operator can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaveProblem {
    /// The folder may not be written by this Windows account (or is read-only).
    Denied,
    /// The disk is full.
    DiskFull,
    /// Anything else: the system's own words are shown.
    #[default]
    Other,
}

/// An error as the UI receives it: a code it translates, and the values the message needs.
/// Internal failures carry no Rust debug text; the shell logs those.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ApiError {
    BadCredentials,
    /// The password was given by an administrator: its owner chooses a new one first.
    PasswordChange,
    /// Too many failed sign-ins (of this login or at this desk): try again after `seconds`.
    SignInWait {
        seconds: i64,
    },
    NotSignedIn,
    Denied,
    NotFound,
    Rule {
        rule: baqsha_core::command::RuleError,
    },
    InvalidInput {
        field: String,
    },
    /// The database could not be opened. The file was left as it was.
    Startup {
        problem: StartupProblem,
        path: String,
        detail: String,
    },
    /// A document could not be made or written; `path` is where it was going.
    SaveFailed {
        path: String,
        #[serde(default)]
        problem: SaveProblem,
        detail: String,
    },
    /// The user closed the "Save as" dialog: nothing to report.
    Cancelled,
    /// A confirmation code was refused (wrong, expired, too many tries, too soon).
    Code {
        error: baqsha_core::codes::CodeError,
    },
    /// A benefit proof was refused (not a JPEG, too large, too many).
    Proof {
        proof: baqsha_core::proof::ProofError,
    },
    /// A phone number where one was asked for (a code's destination), refused by the core's
    /// rule: the same words the form gives.
    Phone {
        error: baqsha_core::PhoneError,
    },
    /// An e-mail address refused by the core's rule.
    Email {
        error: baqsha_core::EmailError,
    },
    /// An IIN refused by the core's rule: which digit and why, as the forms say it.
    Iin {
        error: baqsha_core::IinError,
    },
    /// The region's server did not answer (offline, or it failed): nothing was changed.
    Offline,
    /// The region's server refused a change made here (it was undone at this desk).
    RegionRefused {
        reason: baqsha_sync::Rejection,
    },
    /// The address answers, but not as a Baqsha server.
    NotBaqshaServer,
    /// The desk has changes its region has not taken yet: joining anew would leave them
    /// behind, so they are sent first.
    ChangesWaiting {
        count: u64,
    },
    /// The server speaks other protocol versions than this desk.
    ServerVersion {
        spoken: Vec<u32>,
    },
    /// Something failed inside; the log has the details.
    Internal,
}

/// The top bar's sync line. A desk of no region has `joined` false and nothing else.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncStatus {
    pub joined: bool,
    pub server: Option<String>,
    /// None until the first round after start.
    pub online: Option<bool>,
    pub last_sync_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Changes made here the server has not answered yet.
    pub waiting: u64,
    /// Changes the server refused that nobody has acknowledged.
    pub problems: u64,
    /// Rows of a first sync written so far, while one runs, and how many it holds in all.
    pub first_sync_rows: Option<u64>,
    #[serde(default)]
    pub first_sync_total: Option<u64>,
    /// No sync for days: the desk's queue may be out of date.
    pub stale: bool,
    /// Nobody is signed in as whom the desk can send: changes wait for a sign-in.
    pub needs_sign_in: bool,
    pub last_error: Option<String>,
    /// How many minutes the computer's clock is behind the region's (negative: ahead), when
    /// it is off by more than a minute: the desk goes by the region's time meanwhile.
    #[serde(default)]
    pub clock_off_minutes: Option<i64>,
    /// The desk's time as it answered (the region's, once a sync corrected the computer's):
    /// the window keeps its «today» by it, not only by what it was told at start.
    #[serde(default)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
}

/// One change the region's server refused, as «Синхрондау мәселелері» lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncProblem {
    pub seq: u64,
    /// The command's code (`register_application`, `issue_referral`, …).
    pub kind: String,
    /// Who made it, by name.
    pub author: String,
    pub made_at: chrono::DateTime<chrono::Utc>,
    pub received_at: chrono::DateTime<chrono::Utc>,
    pub reason: baqsha_sync::Rejection,
    /// What the desk undid; None until the next pull has undone it.
    pub undone: Option<Vec<UndoneChange>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UndoneChange {
    /// `application`, `referral`, `vacancy`, …
    pub entity: String,
    /// Gone from the desk (the server never held it) rather than written back.
    pub removed: bool,
}

/// «ТАӘ толтыру»: what the person registry said of an IIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "found", rename_all = "snake_case")]
pub enum PersonLookup {
    Found {
        surname: String,
        given_name: String,
        patronymic: Option<String>,
    },
    /// The registry answered and does not know this IIN.
    NotFound,
    /// No answer (offline, not configured): type the names by hand.
    Unavailable,
}

/// A code went out (or waits in the queue): a new one may be asked for after `resend_after`
/// seconds; `delivered` is false when the gateway did not take it yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    pub resend_after: u32,
    pub delivered: bool,
}

/// What the wizard submits. The desk gives the number, the id and the registration time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewApplication {
    pub child: Person,
    pub parent: Person,
    pub contacts: Contacts,
    pub address: String,
    pub preferences: Vec<KindergartenId>,
    pub language: Language,
    /// The claimed benefit and its proofs' ids.
    pub benefit: Option<(BenefitKind, Vec<String>)>,
    pub consent: bool,
    pub confirmation: baqsha_core::command::ContactConfirmation,
}

/// The wizard's success: the number, and how its SMS and e-mail went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmitOutcome {
    pub number: String,
    pub messages: Vec<SentMessage>,
}

/// The wizard's saved draft and when it was saved. The shell keeps `body` as opaque JSON
/// (`T = serde_json::Value`); the UI reads it as its own state (no JSON parser in the wasm).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft<T> {
    pub body: T,
    pub saved_at: chrono::DateTime<chrono::Utc>,
}

/// A line of «Бос орын бюллетені»: open places of one group, published on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulletinEntry {
    pub kindergarten: KindergartenId,
    pub kindergarten_name: Names,
    pub district: String,
    pub group: GroupId,
    pub group_name: String,
    pub age: AgeBand,
    pub language: Language,
    pub open_places: u32,
    pub published_on: chrono::NaiveDate,
    /// To whom these places are offered now, and why them.
    #[serde(default)]
    pub offers: Vec<OfferNote>,
    /// Today's bulletin: the group's newest publication with open places (what a lease for
    /// the office sets aside).
    #[serde(default)]
    pub vacancy: Option<VacancyId>,
}

/// A place offered to an application: the public number, its position when offered, which
/// of its preferences this is, and how many ahead were not offered it (they chose other
/// kindergartens, another language, are of another age, passed, or got a place they preferred).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferNote {
    pub number: String,
    pub position: u64,
    pub preference_rank: u32,
    pub ahead_not_offered: u64,
    pub respond_by: chrono::NaiveDate,
}

/// «Жолдама алу»: a place this application may take now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceChoice {
    pub vacancy: VacancyId,
    pub kindergarten: KindergartenId,
    pub group: GroupId,
    pub kindergarten_name: Names,
    pub address: Names,
    pub group_name: String,
    pub age: AgeBand,
    pub language: Language,
    /// The place the queue offered to this application (others are open places nobody holds).
    pub offered: bool,
    /// The turn passes to the next after this day.
    pub respond_by: chrono::NaiveDate,
    /// Offline: the office's lease the place comes from (the region checks it again).
    #[serde(default)]
    pub lease: Option<baqsha_core::lease::Lease>,
}

/// A lease of this desk: places of a vacancy the region set aside for the office, how many
/// are still free to give here, and where they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaseView {
    pub lease: baqsha_core::lease::Lease,
    pub left: u32,
    pub kindergarten_name: Names,
    pub group_name: String,
}

/// A referral with what the desk and the kindergarten show of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralView {
    pub referral: Referral,
    pub application_number: String,
    pub kindergarten_name: Names,
    pub address: Names,
    pub group_name: String,
    pub age: AgeBand,
    pub group_language: Language,
    pub child: Person,
    pub parent: Person,
    pub phone: String,
    /// The application's language of groups: the parent's messages follow it.
    pub language: Language,
    pub benefit: Option<BenefitClaim>,
    /// The latest day the once-only extension may reach.
    pub latest_extension: chrono::NaiveDate,
    pub ended_on: Option<chrono::NaiveDate>,
}

/// What a person does to a referral after it is issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ReferralAction {
    /// «Мерзімін ұзарту»: once, to a day no later than `latest_extension`.
    Extend { until: chrono::NaiveDate },
    /// «Бас тарту», with the reason.
    Refuse { reason: String },
    /// «Қабылдау» at the kindergarten, with the documents staff saw.
    Admit {
        #[serde(default)]
        documents: Vec<baqsha_core::referral::AdmissionDocument>,
    },
}

/// What a taken referral gave: its view and the SMS with its number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralTaken {
    pub referral: ReferralView,
    pub messages: Vec<SentMessage>,
    /// What the region's server said, at a desk of a region.
    #[serde(default)]
    pub region: RegionAnswer,
}

/// The region's word on a referral taken at the desk: online the server decides it while the
/// screen waits; offline (or when it is slow) the referral waits at the desk to be sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionAnswer {
    /// A desk of no region decides alone.
    #[default]
    Alone,
    /// The region's server gave the place; the number and deadlines are the server's.
    Confirmed,
    /// The server did not answer in time: the referral is kept at the desk and sent when the
    /// line allows; should the server refuse it, «Синхрондау мәселелері» says so.
    Waiting,
}

/// The office's referral settings (BRIEF.md): what a refusal does, and the summer pause
/// (None: publication never pauses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeSettings {
    pub refusal: baqsha_core::referral::RefusalRules,
    pub publication_pause: Option<baqsha_core::referral::PublicationPause>,
    /// The first day of Kurban ait of each year the calendar knows (shown; entered one by one
    /// with `SetKurbanAit`, never by saving the rest).
    #[serde(default)]
    pub kurban_ait: Vec<KurbanAitDay>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KurbanAitDay {
    pub year: i32,
    pub first_day: chrono::NaiveDate,
}

/// A line of «Мем./жеке меншік балабақшалар саны және оның ішіндегі жалпы орын саны».
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictStats {
    pub district: String,
    pub name: Names,
    pub state_kindergartens: u32,
    pub state_places: u32,
    pub private_kindergartens: u32,
    pub private_places: u32,
}

/// A line of «Балабақшаларға нақты бөлінген орын саны» for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllocationStats {
    pub kindergarten: KindergartenId,
    pub name: Names,
    pub district: String,
    /// Referrals issued in the period.
    pub issued: u32,
    /// Children admitted in the period.
    pub admitted: u32,
}

/// A line of «Алынған жолдамалар» for the printed list (which masks it itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralEntry {
    pub number: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    pub valid_until: chrono::NaiveDate,
    pub status: ReferralStatus,
    pub kindergarten_name: Names,
    pub group_name: String,
    pub child: Person,
}

/// A line of «Алынған жолдамалар» as the screen shows it: the child by initials and a
/// masked IIN, masked here so the full name and IIN never cross the bridge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralLine {
    pub number: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    pub valid_until: chrono::NaiveDate,
    pub status: ReferralStatus,
    pub kindergarten_name: Names,
    pub group_name: String,
    pub initials: String,
    pub iin_masked: String,
}

impl From<ReferralEntry> for ReferralLine {
    fn from(e: ReferralEntry) -> ReferralLine {
        ReferralLine {
            initials: e.child.initials(),
            iin_masked: e.child.iin.masked(),
            number: e.number,
            issued_at: e.issued_at,
            valid_until: e.valid_until,
            status: e.status,
            kindergarten_name: e.kindergarten_name,
            group_name: e.group_name,
        }
    }
}

/// A line of «Өтініштер кезегі»: an active application at its position in its category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueLine {
    pub position: u64,
    pub number: String,
    pub registered_at: chrono::DateTime<chrono::Utc>,
    pub tier: BenefitTier,
    pub status: ApplicationStatus,
    pub district: Option<String>,
    pub child: Person,
}

/// Which printed list to make.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "list", rename_all = "snake_case")]
pub enum PrintList {
    /// Places open on `date` (published that day or earlier); all open places when None.
    Bulletin {
        date: chrono::NaiveDate,
        district: Option<String>,
    },
    Referrals {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        district: Option<String>,
    },
    /// «Өтініштер кезегі» with the filters the screen shows it with (positions stay those of
    /// the whole category).
    Queue {
        category: i32,
        district: Option<String>,
        #[serde(default)]
        kindergarten: Option<KindergartenId>,
        #[serde(default)]
        tier: Option<BenefitTier>,
    },
    /// The first statistics section: kindergartens and their places by district.
    StatisticsPlaces {},
    /// The second statistics section: places allocated in the period.
    StatisticsAllocated {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
}

/// Where a printed document went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Printed {
    pub path: String,
    /// False when the system viewer could not be started: the file is still there.
    pub opened: bool,
    pub rows: u64,
}

/// What "check a referral" found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReferralCheck {
    Valid {
        number: String,
        issuer: String,
        /// Names from this database; None when the kindergarten is not in it.
        kindergarten_name: Option<Names>,
        group: Option<String>,
        issued_on: chrono::NaiveDate,
        valid_until: chrono::NaiveDate,
        /// Past its last valid day (desk date).
        expired: bool,
        /// The referral's state in this database, when it is one of ours.
        status: Option<ReferralStatus>,
        /// Whether the IIN given with the check is the referral's child.
        child_matches: Option<bool>,
    },
    Tampered,
    UnknownIssuer {
        key_id: String,
    },
    NotASeal,
    /// Printed from demo data (its seal made with the public demo key): issued by no office.
    Demo {
        number: String,
    },
    /// The image was read but holds no QR code.
    NoCode,
    /// The file is not a PNG or JPEG image we can read.
    BadImage,
}

/// One movement of an application, as «Кезекті тексеру» and its certificate show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: chrono::DateTime<chrono::Utc>,
    /// The command's code (`register_application`, `withdraw_application`, …); an offer's
    /// end adds how it ended (`end_offer-passed`, `end_offer-void`).
    pub kind: String,
    /// Who did it: the operator's full name, or "Baqsha" for imports.
    pub author: String,
    /// A withdrawal's reason, a rejection's reason.
    pub reason: Option<String>,
    /// For the registration: how the contacts were confirmed (None: imported).
    #[serde(default)]
    pub confirmation: Option<baqsha_core::command::ContactConfirmation>,
    /// For «Өзгерту»: what it changed (empty when the application's first state is not here,
    /// e.g. an imported one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<baqsha_core::command::EditedField>,
}

/// A benefit proof as lists show it; the bytes are fetched by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofInfo {
    /// SHA-256 of the bytes, hex.
    pub id: String,
    pub name: String,
    pub size: u64,
}

/// A benefit claim waiting for verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitCase {
    pub application: Application,
    pub proofs: Vec<ProofInfo>,
}

/// An application as «Кезекті тексеру» shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub application: Application,
    /// Where it stands today and why; None once it has left the queue.
    pub position: Option<baqsha_core::queue::Explanation>,
    /// The preferred kindergartens' names, in the application's order.
    pub preferences: Vec<Names>,
    pub history: Vec<HistoryLine>,
    /// The district of the first preference (the edit form offers its kindergartens).
    pub district: Option<String>,
}

/// «Өтініштер кезегі»: one category, optionally narrowed; positions stay those of the whole
/// category (a filter hides lines, it does not move anyone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueQuery {
    pub category: i32,
    pub district: Option<String>,
    /// Applications naming this kindergarten among their preferences.
    pub kindergarten: Option<KindergartenId>,
    pub tier: Option<BenefitTier>,
    /// 0-based.
    pub page: u32,
    pub page_size: u32,
}

/// A line of the public queue: no names, no full IIN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicQueueLine {
    pub position: u64,
    pub number: String,
    pub registered_at: chrono::DateTime<chrono::Utc>,
    pub tier: BenefitTier,
    pub status: ApplicationStatus,
    /// `Н. А.`
    pub initials: String,
    /// `2303******13`
    pub iin_masked: String,
}

/// An application's place in the public queue: its category and its position there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueSpot {
    pub category: i32,
    pub position: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub lines: Vec<PublicQueueLine>,
    /// Lines matching the filters.
    pub total: u64,
    /// The whole category, by tier.
    pub counts: baqsha_core::queue::TierCounts,
    pub page: u32,
    pub page_size: u32,
}

/// A queued or sent SMS / e-mail, as «Жіберілген хабарламалар» shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentMessage {
    pub id: uuid::Uuid,
    pub channel: baqsha_core::codes::Channel,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub queued_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    /// `local`, `smtp`, `sms-http`
    pub via: Option<String>,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// Refused or malformed: not tried again (`last_error` says why).
    #[serde(default)]
    pub gave_up: bool,
    /// A confirmation code: outside the demo its text is not shown (`body` is empty) and the
    /// recipient is masked — the code is the parent's, not the operator's.
    #[serde(default)]
    pub secret: bool,
}
