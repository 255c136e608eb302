//! Every command the UI sends to the shell, declared once: its name, what it carries and
//! what it answers. The UI sends a value of one of these types (`bridge::call`); the shell's
//! command of the same name takes it as its `request` and answers [`Reply`]. A field added
//! here reaches both sides or neither compiles.

use baqsha_core::command::{ApplicationChanges, ContactConfirmation, ReferralRef};
use baqsha_core::{ApplicationId, Group, GroupId, KindergartenId, Lang, OperatorId, VacancyId};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;

/// A request the UI sends: the shell command that answers it and the answer's type.
pub trait Call: Serialize + DeserializeOwned {
    /// The command's name, as the shell registers it.
    const NAME: &'static str;
    type Answer: Serialize + DeserializeOwned;
}

/// What the shell answers to a call.
pub type Reply<C> = Result<<C as Call>::Answer, super::ApiError>;

macro_rules! calls {
    ($( $(#[$doc:meta])* $name:ident => $cmd:ident { $($field:ident : $ty:ty),* $(,)? } -> $answer:ty; )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            pub struct $name { $(pub $field: $ty,)* }
            impl Call for $name {
                const NAME: &'static str = stringify!($cmd);
                type Answer = $answer;
            }
        )*
        /// Every command's name (the two draft calls, generic over the draft, included).
        pub const NAMES: &[&str] = &[$(stringify!($cmd),)* SaveDraft::<()>::NAME, LoadDraft::<()>::NAME];
    };
}

calls! {
    /// The region and, on a demo database, its accounts: before anyone signs in.
    StartInfo => start_info {} -> super::StartInfo;
    /// The first-run screen's «Демо нұсқасын көру»: fills this empty desk with the demo region.
    StartDemo => start_demo {} -> super::StartInfo;
    /// The first-run screen's «Осы кеңсені баптау»: a real office; its administrator is signed in.
    SetUpOffice => set_up_office { setup: super::OfficeSetup } -> super::Session;
    /// «Бағдарлама туралы».
    About => about {} -> super::About;
    /// Opens the log folder in the file manager; answers its path.
    OpenLogFolder => open_log_folder {} -> String;
    SignIn => sign_in { login: String, password: String } -> super::Session;
    /// The top bar's sync line: online, the last sync, changes waiting, problems.
    SyncStatus => sync_status {} -> super::SyncStatus;
    /// «Синхрондау мәселелері»: the changes the region's server refused, until acknowledged.
    SyncProblems => sync_problems {} -> Vec<super::SyncProblem>;
    AcknowledgeSyncProblem => acknowledge_sync_problem { seq: u64 } -> ();
    /// The places the region has set aside for this office (leases), for giving referrals
    /// with the line down.
    Leases => leases {} -> Vec<super::LeaseView>;
    /// Asks the region to set `places` of a published vacancy aside for this office.
    AskLease => ask_lease { vacancy: VacancyId, places: u32 } -> super::LeaseView;
    /// «Аймақ серверіне қосылу»: this desk becomes a device of the region's server.
    JoinRegion => join_region { address: String, login: String, password: String } -> super::SyncStatus;
    SignOut => sign_out {} -> ();
    /// The operator still signed in (after a reload), if any.
    Session => session {} -> Option<super::Session>;
    /// The screens' language, kept for the next start.
    SetLanguage => set_language { lang: Lang } -> ();
    /// «Балабақшалар тізілімі»: one page of the list.
    SearchKindergartens => search_kindergartens { query: super::RegistryQuery } -> super::RegistryPage;
    /// The map's markers for the same filters.
    MapPoints => map_points { query: super::RegistryQuery } -> Vec<super::MapPoint>;
    /// «Балабақша паспорты».
    Passport => passport { id: KindergartenId } -> super::Passport;
    /// Prints a list into the documents folder (or "Save as") and opens it.
    PrintList => print_list { list: super::PrintList, lang: Lang, save_as: bool } -> super::Printed;
    /// «Жолдаманы тексеру» from the seal's text (a scanner types it).
    CheckReferral => check_referral { text: String, child_iin: Option<String> } -> super::ReferralCheck;
    /// «Жолдаманы тексеру» from a photo or scan of the printed referral.
    CheckReferralImage => check_referral_image { image: Vec<u8>, child_iin: Option<String> } -> super::ReferralCheck;
    /// «Кезекті тексеру»: the applications of a child's IIN.
    CheckQueue => check_queue { iin: String } -> Vec<super::ApplicationView>;
    /// «Өтінішті қайтарып алу».
    WithdrawApplication => withdraw_application { id: ApplicationId, reason: String } -> super::ApplicationView;
    /// «Өзгерту»: contacts, address, preferences, language, benefit; a new phone or e-mail
    /// with how it was confirmed.
    EditApplication => edit_application { id: ApplicationId, changes: ApplicationChanges, confirmation: Option<ContactConfirmation> } -> super::ApplicationView;
    /// The application's certificate (its place and history), printed.
    PrintApplication => print_application { number: String, lang: Lang, save_as: bool } -> super::Printed;
    /// «Өтініштер кезегі»: one page of a category.
    QueuePage => queue_page { query: super::QueueQuery } -> super::QueuePage;
    /// «Өтініштер кезегі»: where the application with this number stands, to open its page.
    FindInQueue => find_in_queue { number: String } -> Option<super::QueueSpot>;
    /// «Жіберілген хабарламалар».
    SentMessages => sent_messages {} -> Vec<super::SentMessage>;
    /// Tries the waiting messages now instead of at the next round.
    SendMessagesNow => send_messages_now {} -> ();
    /// «ТАӘ толтыру»: the person registry's names for an IIN.
    LookupPerson => lookup_person { iin: String } -> super::PersonLookup;
    /// «Растау кодын жіберу» to a phone or an e-mail address.
    SendCode => send_code { target: String } -> super::CodeSent;
    ConfirmCode => confirm_code { target: String, code: String } -> ();
    /// A benefit proof (a JPEG, base64) attached in the wizard; `count` is how many it has.
    AddProof => add_proof { name: String, data: String } -> super::ProofInfo;
    /// A proof's image as a data URL.
    ProofImage => proof_image { id: String } -> String;
    DiscardDraft => discard_draft {} -> ();
    /// «Кезекке қою»: the wizard's last step.
    SubmitApplication => submit_application { application: super::NewApplication } -> super::SubmitOutcome;
    /// Benefit claims waiting for verification; `find` narrows by number or IIN.
    PendingBenefits => pending_benefits { find: Option<String> } -> Vec<super::BenefitCase>;
    /// Confirms or rejects (with its reason) an application's benefit.
    DecideBenefit => decide_benefit { id: ApplicationId, confirm: bool, reason: String } -> ();
    /// «Жолдама алу»: the places this application may take now.
    PlaceChoices => place_choices { application: ApplicationId } -> Vec<super::PlaceChoice>;
    /// «ТАҢДАУДЫ РАСТАУ» → «Жолдама алу».
    TakeReferral => take_referral { application: ApplicationId, vacancy: VacancyId, confirmation: ContactConfirmation, lease: Option<baqsha_core::LeaseId> } -> super::ReferralTaken;
    /// The application's referral, if it has one.
    ReferralOf => referral_of { application: ApplicationId } -> Option<super::ReferralView>;
    /// A referral by its number or the child's IIN.
    FindReferral => find_referral { text: String } -> Option<super::ReferralView>;
    /// Extends, refuses or admits a referral.
    ReferralAction => referral_action { referral: ReferralRef, action: super::ReferralAction } -> super::ReferralView;
    /// The referral's certificate with its seal, printed.
    PrintReferral => print_referral { number: String, lang: Lang, save_as: bool } -> super::Printed;
    /// «Бос орын бюллетені» of a date.
    Bulletin => bulletin { on: NaiveDate, district: Option<String> } -> Vec<super::BulletinEntry>;
    /// A kindergarten's groups (the operator's own for kindergarten staff).
    GroupsOf => groups_of { kindergarten: Option<KindergartenId> } -> super::Passport;
    /// A group's places and enrolment; `was_enrolled` is what the form was opened with.
    SaveGroup => save_group { group: Group, was_enrolled: u32 } -> ();
    /// «Орындарды жариялау»: `count` places of a group, open from `on`.
    PublishPlaces => publish_places { kindergarten: KindergartenId, group: GroupId, count: u32, on: NaiveDate } -> ();
    /// «Алынған жолдамалар» of a period.
    IssuedReferrals => issued_referrals { from: NaiveDate, to: NaiveDate } -> Vec<super::ReferralLine>;
    /// Kindergartens and places by district.
    StatisticsPlaces => statistics_places {} -> Vec<super::DistrictStats>;
    /// Places allocated by kindergarten in a period.
    StatisticsAllocated => statistics_allocated { from: NaiveDate, to: NaiveDate } -> Vec<super::AllocationStats>;
    OfficeSettings => office_settings {} -> super::OfficeSettings;
    /// «Пайдаланушылар»: the accounts (the regional administrator's).
    Accounts => accounts {} -> Vec<super::Account>;
    SaveAccount => save_account { account: super::AccountForm } -> Vec<super::Account>;
    ResetPassword => reset_password { id: OperatorId, password: String } -> Vec<super::Account>;
    /// A password given by an administrator replaced by its owner's: signs in.
    ChangePassword => change_password { login: String, old: String, new: String } -> super::Session;
    SaveOfficeSettings => save_office_settings { settings: super::OfficeSettings } -> super::OfficeSettings;
    /// «Құрбан айт»: the first day of a year's Kurban ait (the regional administrator).
    SetKurbanAit => set_kurban_ait { year: i32, first_day: NaiveDate } -> super::OfficeSettings;
}

/// Keeps the wizard's draft. The UI sends its own state; the shell keeps it as opaque JSON
/// (`T = serde_json::Value`), so the wasm carries no JSON parser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveDraft<T> {
    pub body: T,
}

impl<T: Serialize + DeserializeOwned> Call for SaveDraft<T> {
    const NAME: &'static str = "save_draft";
    type Answer = ();
}

/// The wizard's saved draft, if any, read as `T`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct LoadDraft<T> {
    #[serde(skip)]
    pub body: PhantomData<T>,
}

impl<T> Default for LoadDraft<T> {
    fn default() -> Self {
        LoadDraft { body: PhantomData }
    }
}

impl<T: Serialize + DeserializeOwned> Call for LoadDraft<T> {
    const NAME: &'static str = "load_draft";
    type Answer = Option<super::Draft<T>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_one_name() {
        let mut names = NAMES.to_vec();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "two calls share a command name");
        assert!(names.iter().all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_')), "{names:?}");
    }

    #[test]
    fn a_call_crosses_as_its_fields() {
        let call = SetLanguage { lang: Lang::Ru };
        assert_eq!(serde_json::to_string(&call).ok().as_deref(), Some(r#"{"lang":"ru"}"#));
        let empty: LoadDraft<serde_json::Value> = LoadDraft::default();
        assert_eq!(serde_json::to_string(&empty).ok().as_deref(), Some("{}"));
    }
}
