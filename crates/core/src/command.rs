//! Every change of state is a command: serialisable, globally unique, with author, device
//! and time. The store applies a command's effect, its history entry and its outbox row in
//! one transaction; the checks here decide whether it may be applied at all.

use crate::calendar::DayKind;
use crate::model::*;
use crate::queue::{age_on, next_policy_date, QueueRules};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Command {
    /// UUIDv7, made by the device that issued the command (time-ordered, unique everywhere).
    pub id: Uuid,
    pub author: OperatorId,
    pub device: DeviceId,
    pub at: DateTime<Utc>,
    pub kind: CommandKind,
}

// A kindergarten's passport is the largest body; commands are built and applied one at a time
// (or streamed in a batch), so their size costs nothing worth a Box in every constructor.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CommandKind {
    SaveKindergarten {
        kindergarten: Kindergarten,
    },
    SaveGroup {
        group: Group,
    },
    PublishVacancy {
        vacancy: Vacancy,
    },
    /// `confirmation`: how the contacts were confirmed at the desk; None for an import from
    /// an earlier system (the demo region), which predates this desk.
    RegisterApplication {
        application: Box<Application>,
        #[serde(default)]
        confirmation: Option<ContactConfirmation>,
    },
    WithdrawApplication {
        application: ApplicationId,
        reason: String,
    },
    /// «Өзгерту»: what the desk may change after registration. The registration time, the
    /// child and the parent never change here.
    EditApplication {
        application: ApplicationId,
        changes: Box<ApplicationChanges>,
        /// How a changed phone or e-mail was confirmed (as in the wizard); None when no
        /// contact changed. Checked where the desk takes the edit, not when it is replayed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        confirmation: Option<ContactConfirmation>,
        /// The fields the operator changed of what the desk showed; the others are left as
        /// the application stands where the edit is applied, so that an edit made before the
        /// desk heard of another office's newer address does not write the older one back.
        /// None (edits of older desks): every field is as sent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fields: Option<Vec<EditedField>>,
    },
    ArchiveApplication {
        application: ApplicationId,
    },
    /// «Жолдама алу»: a place of a published vacancy asked for an application; where it is
    /// applied, `decide_referral` and the turn decide (a place already taken is refused), and
    /// the history keeps the decided referral beside what was asked.
    IssueReferral {
        request: ReferralRequest,
        confirmation: ContactConfirmation,
        /// The referral as decided (group, deadlines, status); absent in what is asked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        decided: Option<Box<Referral>>,
    },
    /// The once-only extension, up to 30 calendar days from issue (`referral::decide_extension`).
    ExtendReferral {
        referral: ReferralRef,
        until: NaiveDate,
    },
    /// The parent refuses the place: it returns to the bulletin; the application returns to
    /// the queue at its original time, or ends, by the settings.
    RefuseReferral {
        referral: ReferralRef,
        reason: String,
    },
    /// The deadline passed unused (run by the office itself, on start and periodically).
    ExpireReferral {
        referral: ReferralRef,
    },
    /// Kindergarten staff admit the child, with the documents they saw
    /// (`referral::ADMISSION_DOCUMENTS`): the application ends as enrolled.
    AdmitReferral {
        referral: ReferralRef,
        #[serde(default)]
        documents: Vec<crate::referral::AdmissionDocument>,
    },
    /// Benefit verification: the proofs are genuine; the claimed tier stands.
    ConfirmBenefit {
        application: ApplicationId,
    },
    /// Benefit verification: refused with a reason; the application stays in the general
    /// queue at its original registration time.
    RejectBenefit {
        application: ApplicationId,
        reason: String,
    },
    SetCalendarDay {
        date: NaiveDate,
        kind: Option<DayKind>,
    },
    /// The first day of Kurban ait of a year, as the government announces it (the regional
    /// administrator enters it in «Баптаулар»; a year without it refuses every deadline).
    SetKurbanAit {
        year: i32,
        first_day: NaiveDate,
    },
    /// An offer round's offer of a place to the next in the queue (the office's own, authored
    /// by the system): they have until `respond_by` to take it. Where it is applied the place
    /// and the applicant must still be free, a strictly better place replaces a held offer
    /// (`offer::placing`), and the history keeps the preference rank among all their choices.
    MakeOffer {
        offer: crate::offer::Offer,
        respond_by: NaiveDate,
    },
    /// An open offer ends without a referral (`offer::ending`): the turn passed, or it is void.
    EndOffer {
        application: ApplicationId,
        vacancy: VacancyId,
        ending: crate::offer::OfferEnding,
    },
    /// «Баптаулар»: what a refusal does and the summer pause of publication, for the whole
    /// office (the regional administrator's).
    SaveOfficeSettings {
        refusal: crate::referral::RefusalRules,
        publication_pause: Option<crate::referral::PublicationPause>,
    },
    /// «Пайдаланушылар»: an account created or changed (role, kindergarten, switched off or
    /// on). Its password never enters a command: the store keeps only its hash.
    SaveOperator {
        operator: crate::roles::Operator,
        active: bool,
    },
    /// A new temporary password given by the administrator; its owner sets their own at the
    /// next sign-in.
    ResetPassword {
        operator: OperatorId,
    },
}

impl CommandKind {
    pub fn code(&self) -> &'static str {
        match self {
            CommandKind::SaveKindergarten { .. } => "save_kindergarten",
            CommandKind::SaveGroup { .. } => "save_group",
            CommandKind::PublishVacancy { .. } => "publish_vacancy",
            CommandKind::RegisterApplication { .. } => "register_application",
            CommandKind::WithdrawApplication { .. } => "withdraw_application",
            CommandKind::EditApplication { .. } => "edit_application",
            CommandKind::ArchiveApplication { .. } => "archive_application",
            CommandKind::IssueReferral { .. } => "issue_referral",
            CommandKind::ExtendReferral { .. } => "extend_referral",
            CommandKind::RefuseReferral { .. } => "refuse_referral",
            CommandKind::ExpireReferral { .. } => "expire_referral",
            CommandKind::AdmitReferral { .. } => "admit_referral",
            CommandKind::ConfirmBenefit { .. } => "confirm_benefit",
            CommandKind::RejectBenefit { .. } => "reject_benefit",
            CommandKind::SetCalendarDay { .. } => "set_calendar_day",
            CommandKind::SetKurbanAit { .. } => "set_kurban_ait",
            CommandKind::SaveOfficeSettings { .. } => "save_office_settings",
            CommandKind::MakeOffer { .. } => "make_offer",
            CommandKind::EndOffer { .. } => "end_offer",
            CommandKind::SaveOperator { .. } => "save_operator",
            CommandKind::ResetPassword { .. } => "reset_password",
        }
    }

    /// The application whose history this command belongs to, if any.
    pub fn application(&self) -> Option<ApplicationId> {
        match self {
            CommandKind::RegisterApplication { application, .. } => Some(application.id),
            CommandKind::IssueReferral { request, .. } => Some(request.application),
            CommandKind::MakeOffer { offer, .. } => Some(offer.application),
            CommandKind::EndOffer { application, .. } => Some(*application),
            CommandKind::ExtendReferral { referral, .. }
            | CommandKind::RefuseReferral { referral, .. }
            | CommandKind::ExpireReferral { referral }
            | CommandKind::AdmitReferral { referral, .. } => Some(referral.application),
            CommandKind::WithdrawApplication { application, .. }
            | CommandKind::EditApplication { application, .. }
            | CommandKind::ArchiveApplication { application }
            | CommandKind::ConfirmBenefit { application }
            | CommandKind::RejectBenefit { application, .. } => Some(*application),
            _ => None,
        }
    }

    /// The kindergarten a command changes, for kindergarten staff's authorisation.
    pub fn kindergarten(&self) -> Option<KindergartenId> {
        match self {
            CommandKind::SaveKindergarten { kindergarten } => Some(kindergarten.id),
            CommandKind::SaveGroup { group } => Some(group.kindergarten),
            CommandKind::PublishVacancy { vacancy } => Some(vacancy.kindergarten),
            CommandKind::IssueReferral { request, .. } => Some(request.kindergarten),
            CommandKind::MakeOffer { offer, .. } => Some(offer.kindergarten),
            CommandKind::ExtendReferral { referral, .. }
            | CommandKind::RefuseReferral { referral, .. }
            | CommandKind::ExpireReferral { referral }
            | CommandKind::AdmitReferral { referral, .. } => Some(referral.kindergarten),
            _ => None,
        }
    }
}

/// Why the rules refuse a command. Each variant is translated for the person at the desk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RuleError {
    #[error("a group needs a capacity above zero")]
    ZeroCapacity,
    #[error("a group cannot have more children ({enrolled}) than places ({capacity})")]
    OverEnrolled { enrolled: u32, capacity: u32 },
    #[error("the age band {from}–{to} is not a band of preschool ages")]
    BadAgeBand { from: u8, to: u8 },
    #[error("at least one place must be published")]
    NoPlaces,
    #[error("the group has {free} free places; {requested} cannot be published")]
    MorePlacesThanFree { requested: u32, free: u32 },
    #[error("the vacancy names a group of another kindergarten")]
    GroupOfAnotherKindergarten,
    #[error("the child reaches school age by {policy_date}")]
    SchoolAge { policy_date: NaiveDate },
    #[error("the child is not born yet by this IIN")]
    NotBornYet,
    #[error("the child already has an active application, {number}")]
    Duplicate { number: String },
    #[error("the parent's consent is missing")]
    NoConsent,
    #[error("at most {max} preferred kindergartens")]
    TooManyPreferences { max: usize },
    #[error("at least one preferred kindergarten")]
    NoPreferences,
    #[error("a parent born on {birth} is not plausible for this child")]
    ImplausibleParent { birth: NaiveDate },
    #[error("{0}")]
    Transition(#[from] crate::lifecycle::IllegalTransition),
    #[error("a name is required")]
    EmptyName,
    #[error("the address is required")]
    NoAddress,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the identity document's number is not valid")]
    BadDocument,
    #[error("{target} is not confirmed by a code")]
    ContactNotConfirmed { target: String },
    #[error("a benefit needs at least one proof")]
    ProofRequired,
    #[error("at most {max} proofs")]
    TooManyProofs { max: usize },
    #[error("the application has no benefit waiting for verification")]
    NoPendingBenefit,
    #[error("the place has just been taken")]
    PlaceTaken,
    #[error("the place does not fit the application (age, language or kindergarten)")]
    PlaceDoesNotFit,
    #[error("the working-day calendar cannot count this deadline")]
    Calendar,
    #[error("the first day of Kurban ait of {year} must be a date in {year}")]
    KurbanAitOutsideYear { year: i32 },
    /// An administrator may not switch off or demote their own account (nobody would be
    /// left to undo it).
    #[error("your own account cannot be switched off or given another role")]
    OwnAccount,
    /// A login must be 3–32 letters, digits, dots, dashes or underscores, and new.
    #[error("the login is not valid or is taken")]
    BadLogin,
    /// Kindergarten staff work for one kindergarten; the other roles for none.
    #[error("kindergarten staff need their kindergarten, and only they have one")]
    StaffKindergarten,
    /// The desk's clock is behind the newest command it already wrote.
    #[error("the desk's clock is behind its newest entry ({newest})")]
    ClockBehind { newest: DateTime<Utc> },
    #[error("places are not published from {from} to {to}: groups move up")]
    PublicationPaused { from: NaiveDate, to: NaiveDate },
    #[error("no place is offered to this application now")]
    NotYourTurn,
    #[error("{0}")]
    Extension(#[from] crate::calendar::ExtensionError),
    #[error("the referral is valid until {valid_until}; it has not expired")]
    NotExpired { valid_until: NaiveDate },
    #[error("the referral is not valid any more (since {valid_until})")]
    ReferralLapsed { valid_until: NaiveDate },
    #[error("the command names another application or kindergarten than the referral")]
    ReferralMismatch,
    #[error("the setting {setting} is not valid")]
    BadSetting { setting: String },
    #[error("{enrolled} children and {promised} places published or held by referrals do not fit in {capacity} places")]
    PlacesPromised { enrolled: u32, promised: u32, capacity: u32 },
    #[error("the group's children changed to {enrolled} meanwhile (an admission?)")]
    GroupChanged { enrolled: u32 },
    #[error("admission needs the documents the guide lists; missing: {missing:?}")]
    DocumentsMissing { missing: Vec<crate::referral::AdmissionDocument> },
    #[error("the office's lease of these places ended at {ended}; the places went back to the region")]
    LeaseNotCurrent { ended: DateTime<Utc> },
    #[error("every place of the office's lease is already used")]
    LeaseSpent,
    #[error("the lease is another office's or of another place")]
    LeaseMismatch,
}

/// What «Жолдама алу» asks: this application, this published place (its kindergarten and
/// group as the desk saw them), under this number of the desk's series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRequest {
    pub id: ReferralId,
    pub number: String,
    pub application: ApplicationId,
    pub vacancy: VacancyId,
    pub kindergarten: KindergartenId,
    pub group: GroupId,
    /// Offline, a place of the office's lease (the region's server has set it aside for this
    /// office until the lease expires); None online, where the region's turn decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease: Option<crate::model::LeaseId>,
}

/// A referral as its lifecycle commands name it: the application and kindergarten travel
/// with the id so that history, authorisation and sync need no lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRef {
    pub id: ReferralId,
    pub application: ApplicationId,
    pub kindergarten: KindergartenId,
}

impl ReferralRef {
    pub fn of(r: &Referral) -> ReferralRef {
        ReferralRef { id: r.id, application: r.application, kindergarten: r.kindergarten }
    }
}

/// The decision of «Жолдама алу»: the application is queued, the place open, of a
/// kindergarten it names, for its age and language; the referral's deadlines come from the
/// working-day calendar. The caller gives the id, number and time (the core makes none).
#[allow(clippy::too_many_arguments)]
pub fn decide_referral(
    app: &Application,
    place: &crate::offer::OpenPlaces,
    age_on_policy_date: u8,
    id: ReferralId,
    number: &str,
    at: DateTime<Utc>,
    calendar: &crate::calendar::WorkCalendar,
    rules: &crate::calendar::ReferralRules,
) -> Result<Referral, RuleError> {
    crate::lifecycle::next_application_status(app.status, crate::lifecycle::ApplicationEvent::Refer)?;
    if place.open == 0 {
        return Err(RuleError::PlaceTaken);
    }
    if !app.preferences.contains(&place.kindergarten) || !place.age.contains(age_on_policy_date) || !place.language.suits(app.language) {
        return Err(RuleError::PlaceDoesNotFit);
    }
    let d = crate::calendar::referral_deadlines(calendar, rules, desk_date(at)).map_err(|_| RuleError::Calendar)?;
    Ok(Referral {
        id,
        number: number.to_string(),
        application: app.id,
        vacancy: place.vacancy,
        kindergarten: place.kindergarten,
        group: place.group,
        issued_at: at,
        confirm_by: d.confirm_by,
        valid_until: d.valid_until,
        // Taken with a code or at the desk by identity document: the choice is confirmed in
        // the same act (the seed's «ТАҢДАУДЫ РАСТАУ»).
        status: crate::lifecycle::next_referral_status(ReferralStatus::Issued, crate::lifecycle::ReferralEvent::Confirm)?,
    })
}

/// How the parent's phone(s) and e-mail were confirmed when the application was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum ContactConfirmation {
    /// Each phone and the e-mail by a code sent to it (the seed's way).
    Codes,
    /// At the desk, the parent present with an identity document (an operator's permission).
    InPerson { document: IdDocument, number: String },
}

/// Identity documents a parent shows at the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdDocument {
    IdCard,
    Passport,
    ResidencePermit,
    StatelessCertificate,
}

impl IdDocument {
    pub const ALL: [IdDocument; 4] = [IdDocument::IdCard, IdDocument::Passport, IdDocument::ResidencePermit, IdDocument::StatelessCertificate];
    pub fn code(self) -> &'static str {
        match self {
            IdDocument::IdCard => "id_card",
            IdDocument::Passport => "passport",
            IdDocument::ResidencePermit => "residence_permit",
            IdDocument::StatelessCertificate => "stateless_certificate",
        }
    }
    pub fn from_code(s: &str) -> Option<IdDocument> {
        IdDocument::ALL.into_iter().find(|d| d.code() == s)
    }
}

/// A document number as printed: an ID card's 9 digits, a passport's `N12345678`; other
/// documents vary, so 5–20 letters and digits.
pub fn check_document_number(number: &str) -> Result<String, RuleError> {
    let n: String = number.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if (5..=20).contains(&n.chars().count()) && n.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(n)
    } else {
        Err(RuleError::BadDocument)
    }
}

/// What the desk's wizard adds to the rules of registration: a confirmed contact (or an
/// identity document), and proofs for a claimed benefit (1 to `max_proofs`).
pub fn check_submission(app: &Application, confirmation: &ContactConfirmation, max_proofs: usize) -> Result<(), RuleError> {
    if let ContactConfirmation::InPerson { number, .. } = confirmation {
        check_document_number(number)?;
    }
    if let Some(b) = &app.benefit {
        if b.proofs.is_empty() {
            return Err(RuleError::ProofRequired);
        }
        if b.proofs.len() > max_proofs {
            return Err(RuleError::TooManyProofs { max: max_proofs });
        }
    }
    Ok(())
}

/// What the desk adds to the rules of «Өзгерту», as the wizard does for a new application: a
/// phone or e-mail that was not the application's before is confirmed (by codes, or by the
/// parent's identity document at the desk), and a new or changed benefit brings its proofs.
/// Gives the contacts whose codes must have confirmed them (none when confirmed in person).
pub fn check_edit(before: &Application, changes: &ApplicationChanges, confirmation: Option<&ContactConfirmation>, max_proofs: usize) -> Result<Vec<String>, RuleError> {
    let new = changed_contacts(&before.contacts, &changes.contacts);
    let to_confirm = match confirmation {
        None => match new.first() {
            Some(t) => return Err(RuleError::ContactNotConfirmed { target: t.clone() }),
            None => vec![],
        },
        Some(ContactConfirmation::InPerson { number, .. }) => {
            check_document_number(number)?;
            vec![]
        }
        Some(ContactConfirmation::Codes) => new,
    };
    let changed_benefit = changes.benefit.is_some_and(|k| before.benefit.as_ref().map(|b| b.kind) != Some(k));
    if changed_benefit {
        if changes.proofs.is_empty() {
            return Err(RuleError::ProofRequired);
        }
        if changes.proofs.len() > max_proofs {
            return Err(RuleError::TooManyProofs { max: max_proofs });
        }
    }
    Ok(to_confirm)
}

/// The contacts of `after` that `before` did not have (a phone moved from main to
/// additional is not new: the parent already confirmed it).
pub fn changed_contacts(before: &Contacts, after: &Contacts) -> Vec<String> {
    let known = contact_targets(before);
    contact_targets(after).into_iter().filter(|t| !known.contains(t)).collect()
}

/// The phones and address a code must have confirmed: main and additional phone, e-mail.
pub fn contact_targets(c: &Contacts) -> Vec<String> {
    let mut out = vec![c.phone.as_str().to_string()];
    out.extend(c.extra_phone.as_ref().map(|p| p.as_str().to_string()));
    out.extend(c.email.as_ref().map(|e| e.as_str().to_string()));
    out
}

/// Benefit verification: only a pending claim of a queued application is decided; a
/// rejection needs a reason. The registration time never changes, so a rejected claim
/// leaves the child in the general queue where their time puts them.
pub fn decide_benefit(app: &Application, confirm: bool, reason: &str) -> Result<Application, RuleError> {
    if app.status != ApplicationStatus::Queued {
        return Err(RuleError::Transition(crate::lifecycle::IllegalTransition { from: app.status.code(), event: crate::lifecycle::VERIFY_BENEFIT }));
    }
    let Some(claim) = app.benefit.as_ref().filter(|b| b.verification == Verification::Pending) else {
        return Err(RuleError::NoPendingBenefit);
    };
    if !confirm {
        check_withdrawal(reason)?;
    }
    let verification = if confirm { Verification::Confirmed } else { Verification::Rejected };
    Ok(Application { benefit: Some(BenefitClaim { verification, ..claim.clone() }), ..app.clone() })
}

/// Most preferred kindergartens an application may name unless the region's setting says
/// otherwise (BRIEF.md's default).
pub const DEFAULT_MAX_PREFERENCES: usize = 3;

/// The most kindergartens the region's setting may allow an application to name.
pub const MOST_PREFERENCES: usize = 5;

/// The `max_preferences` setting as stored (text): 1–5, anything else is the default.
pub fn max_preferences(setting: Option<&str>) -> usize {
    setting.and_then(|v| v.trim().parse::<usize>().ok()).filter(|n| (1..=MOST_PREFERENCES).contains(n)).unwrap_or(DEFAULT_MAX_PREFERENCES)
}

/// The editable part of an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationChanges {
    pub contacts: Contacts,
    pub address: String,
    pub preferences: Vec<KindergartenId>,
    pub language: Language,
    /// The benefit claimed now; None: no benefit (general queue).
    pub benefit: Option<BenefitKind>,
    /// The proofs of a new or changed benefit (as `AddProof` kept them); an unchanged
    /// benefit keeps its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proofs: Vec<String>,
}

/// Applies `changes` to `app` by the rules: only a queued application changes; a different
/// benefit goes back to verification (its proofs are asked for again); the registration time
/// stays, so the place in the queue is kept.
pub fn edit_application(app: &Application, changes: &ApplicationChanges, max_preferences: usize) -> Result<Application, RuleError> {
    if app.status != ApplicationStatus::Queued {
        return Err(RuleError::Transition(crate::lifecycle::IllegalTransition { from: app.status.code(), event: crate::lifecycle::EDIT }));
    }
    if changes.preferences.is_empty() {
        return Err(RuleError::NoPreferences);
    }
    if changes.preferences.len() > max_preferences {
        return Err(RuleError::TooManyPreferences { max: max_preferences });
    }
    if changes.address.trim().is_empty() {
        return Err(RuleError::NoAddress);
    }
    let benefit = match (changes.benefit, &app.benefit) {
        (None, _) => None,
        (Some(kind), Some(old)) if old.kind == kind => Some(old.clone()),
        (Some(kind), _) => Some(BenefitClaim { kind, verification: Verification::Pending, proofs: changes.proofs.clone() }),
    };
    Ok(Application {
        contacts: changes.contacts.clone(),
        address: changes.address.trim().to_string(),
        preferences: changes.preferences.clone(),
        language: changes.language,
        benefit,
        ..app.clone()
    })
}

/// `changes` as they apply to `app` when only `fields` were changed: each other field as
/// `app` holds it (None: every field as sent).
pub fn changes_of(app: &Application, changes: &ApplicationChanges, fields: Option<&[EditedField]>) -> ApplicationChanges {
    let Some(fields) = fields else { return changes.clone() };
    let has = |f| fields.contains(&f);
    let (ours, theirs) = (&app.contacts, &changes.contacts);
    let benefit = has(EditedField::Benefit);
    ApplicationChanges {
        contacts: Contacts {
            phone: if has(EditedField::Phone) { theirs.phone.clone() } else { ours.phone.clone() },
            extra_phone: if has(EditedField::ExtraPhone) { theirs.extra_phone.clone() } else { ours.extra_phone.clone() },
            email: if has(EditedField::Email) { theirs.email.clone() } else { ours.email.clone() },
        },
        address: if has(EditedField::Address) { changes.address.clone() } else { app.address.clone() },
        preferences: if has(EditedField::Preferences) { changes.preferences.clone() } else { app.preferences.clone() },
        language: if has(EditedField::Language) { changes.language } else { app.language },
        benefit: if benefit { changes.benefit } else { app.benefit.as_ref().map(|b| b.kind) },
        proofs: if benefit { changes.proofs.clone() } else { vec![] },
    }
}

/// «Өзгерту» of only `fields` (see `changes_of`), by the rules of `edit_application`.
pub fn edit_fields(app: &Application, changes: &ApplicationChanges, fields: Option<&[EditedField]>, max_preferences: usize) -> Result<Application, RuleError> {
    edit_application(app, &changes_of(app, changes, fields), max_preferences)
}

/// What «Өзгерту» can change, named for the history («Өтініш өзгертілді: телефон, мекенжай»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditedField {
    Phone,
    ExtraPhone,
    Email,
    Address,
    Preferences,
    Language,
    Benefit,
}

impl EditedField {
    pub fn code(self) -> &'static str {
        match self {
            EditedField::Phone => "phone",
            EditedField::ExtraPhone => "extra_phone",
            EditedField::Email => "email",
            EditedField::Address => "address",
            EditedField::Preferences => "preferences",
            EditedField::Language => "language",
            EditedField::Benefit => "benefit",
        }
    }
}

/// What an edit changed of the application as it stood: the fields whose value differs
/// after `edit_application`.
pub fn edited_fields(before: &Application, after: &Application) -> Vec<EditedField> {
    let mut out = vec![];
    let c = (&before.contacts, &after.contacts);
    if c.0.phone != c.1.phone {
        out.push(EditedField::Phone);
    }
    if c.0.extra_phone != c.1.extra_phone {
        out.push(EditedField::ExtraPhone);
    }
    if c.0.email != c.1.email {
        out.push(EditedField::Email);
    }
    if before.address.trim() != after.address.trim() {
        out.push(EditedField::Address);
    }
    if before.preferences != after.preferences {
        out.push(EditedField::Preferences);
    }
    if before.language != after.language {
        out.push(EditedField::Language);
    }
    if before.benefit.as_ref().map(|b| b.kind) != after.benefit.as_ref().map(|b| b.kind) {
        out.push(EditedField::Benefit);
    }
    out
}

/// The registration time the region keeps for what a desk says it registered at `claimed`.
/// A desk's clock can be wrong (a flat battery, a hand set back), so the time is clamped
/// into what the sync protocol can vouch for: not before the device's last successful sync
/// (`since`), not after the server received it. A clock a year off moves nobody ahead, and
/// a good registration is never refused for it.
pub fn vouched_time(claimed: DateTime<Utc>, since: DateTime<Utc>, received: DateTime<Utc>) -> DateTime<Utc> {
    claimed.clamp(since.min(received), received)
}

/// An administrator's first day of Kurban ait falls in the year it is for.
pub fn check_kurban_ait(year: i32, first_day: NaiveDate) -> Result<(), RuleError> {
    use chrono::Datelike;
    if first_day.year() != year {
        return Err(RuleError::KurbanAitOutsideYear { year });
    }
    Ok(())
}

/// A withdrawal says why: the history must explain every application that left the queue.
pub fn check_withdrawal(reason: &str) -> Result<(), RuleError> {
    if reason.trim().is_empty() {
        return Err(RuleError::ReasonRequired);
    }
    Ok(())
}

pub fn check_group(group: &Group) -> Result<(), RuleError> {
    if group.capacity == 0 {
        return Err(RuleError::ZeroCapacity);
    }
    if group.enrolled > group.capacity {
        return Err(RuleError::OverEnrolled { enrolled: group.enrolled, capacity: group.capacity });
    }
    if group.age.from_years >= group.age.to_years || group.age.to_years > 7 {
        return Err(RuleError::BadAgeBand { from: group.age.from_years, to: group.age.to_years });
    }
    if group.name.trim().is_empty() {
        return Err(RuleError::EmptyName);
    }
    Ok(())
}

pub fn check_kindergarten(k: &Kindergarten) -> Result<(), RuleError> {
    if k.name_kk.trim().is_empty() || k.name_ru.trim().is_empty() {
        return Err(RuleError::EmptyName);
    }
    Ok(())
}

/// A group's places must hold its children and the places already promised: published and
/// open, or held by a live referral.
pub fn check_group_room(group: &Group, promised: u32) -> Result<(), RuleError> {
    if group.enrolled.saturating_add(promised) > group.capacity {
        return Err(RuleError::PlacesPromised { enrolled: group.enrolled, promised, capacity: group.capacity });
    }
    Ok(())
}

/// `already_open`: places of this group published and not yet taken, and places held by
/// live referrals (children coming, not yet enrolled).
pub fn check_vacancy(v: &Vacancy, group: &Group, already_open: u32) -> Result<(), RuleError> {
    if v.count == 0 {
        return Err(RuleError::NoPlaces);
    }
    if group.kindergarten != v.kindergarten || group.id != v.group {
        return Err(RuleError::GroupOfAnotherKindergarten);
    }
    let free = group.free_places().saturating_sub(already_open);
    if v.count > free {
        return Err(RuleError::MorePlacesThanFree { requested: v.count, free });
    }
    Ok(())
}

/// The rules at submit: a child under school age by the policy date, one active application
/// per child, consent, preferences, a plausible parent.
pub fn check_registration(app: &Application, existing_active: Option<&str>, today: NaiveDate, rules: &QueueRules, max_preferences: usize) -> Result<(), RuleError> {
    if let Some(number) = existing_active {
        return Err(RuleError::Duplicate { number: number.to_string() });
    }
    check_child(&app.child.iin, today, rules)?;
    check_parent(&app.parent.iin, &app.child.iin, today)?;
    if !app.consent {
        return Err(RuleError::NoConsent);
    }
    if app.preferences.is_empty() {
        return Err(RuleError::NoPreferences);
    }
    if app.preferences.len() > max_preferences {
        return Err(RuleError::TooManyPreferences { max: max_preferences });
    }
    // The child's and the parent's names, and where they live: the certificate and the
    // kindergarten need all three.
    for p in [&app.child, &app.parent] {
        if p.surname.trim().is_empty() || p.given_name.trim().is_empty() {
            return Err(RuleError::EmptyName);
        }
    }
    if app.address.trim().is_empty() {
        return Err(RuleError::NoAddress);
    }
    Ok(())
}

/// A child the queue takes: born, and under school age on the next policy date. The wizard
/// asks this as soon as the IIN is typed (an adult's IIN fails here).
pub fn check_child(child: &crate::Iin, today: NaiveDate, rules: &QueueRules) -> Result<(), RuleError> {
    let birth = child.birth_date();
    if birth > today {
        return Err(RuleError::NotBornYet);
    }
    if let Some(p) = next_policy_date(today, rules) {
        if age_on(birth, p) >= rules.school_age_years {
            return Err(RuleError::SchoolAge { policy_date: p });
        }
    }
    Ok(())
}

/// A parent at least 14 at the child's birth and at most 80 today.
pub fn check_parent(parent: &crate::Iin, child: &crate::Iin, today: NaiveDate) -> Result<(), RuleError> {
    let parent_birth = parent.birth_date();
    if age_on(parent_birth, child.birth_date()) < 14 || age_on(parent_birth, today) > 80 {
        return Err(RuleError::ImplausibleParent { birth: parent_birth });
    }
    Ok(())
}

/// The desk's calendar date of an instant: Kazakhstan keeps one time zone, UTC+5, since 2024.
pub fn desk_date(at: DateTime<Utc>) -> NaiveDate {
    desk_time(at).date()
}

/// The desk's wall-clock time of an instant (UTC+5), for what people read.
pub fn desk_time(at: DateTime<Utc>) -> chrono::NaiveDateTime {
    (at + chrono::Duration::hours(5)).naive_utc()
}

/// The instant a desk day begins (00:00 UTC+5), for "issued on these days" queries.
pub fn desk_day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc() - chrono::Duration::hours(5)
}

/// The shortest password a person may choose or be given.
pub const MIN_PASSWORD: usize = 10;

/// Whether `password` may be set for `login`: long enough and not the login itself.
pub fn password_acceptable(login: &str, password: &str) -> bool {
    password.chars().count() >= MIN_PASSWORD && !password.trim().eq_ignore_ascii_case(login.trim())
}

/// Whether `login` is one: 3–32 ASCII letters, digits, `.`, `-`, `_`.
pub fn login_acceptable(login: &str) -> bool {
    (3..=32).contains(&login.chars().count()) && login.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
}

/// An administrator's change to an account: never their own role or switch.
pub fn check_operator_change(author: &crate::roles::Operator, target: &crate::roles::Operator, active: bool) -> Result<(), RuleError> {
    if !login_acceptable(&target.login) || target.full_name.trim().is_empty() {
        return Err(if target.full_name.trim().is_empty() { RuleError::EmptyName } else { RuleError::BadLogin });
    }
    if (target.role == crate::roles::Role::KindergartenStaff) != target.kindergarten.is_some() {
        return Err(RuleError::StaffKindergarten);
    }
    if author.id == target.id && (!active || target.role != author.role) {
        return Err(RuleError::OwnAccount);
    }
    Ok(())
}

/// How far a command may be dated before the newest one already written: clocks of one
/// desk's windows, or a correction of a few minutes, are not tampering.
pub const CLOCK_TOLERANCE: chrono::Duration = chrono::Duration::minutes(5);

/// A command dated before the newest command written (by more than the tolerance) is
/// refused: the clock was set back.
pub fn check_not_before(at: DateTime<Utc>, newest: DateTime<Utc>) -> Result<(), RuleError> {
    if at + CLOCK_TOLERANCE < newest {
        return Err(RuleError::ClockBehind { newest });
    }
    Ok(())
}

/// The hash that chains history entries: each covers the one before, so an edited or
/// deleted entry breaks every hash after it.
pub fn chain_hash(prev: &str, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update([0x1f]);
    h.update(payload.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash before the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iin::{Iin, Sex};
    use crate::phone::Phone;
    use chrono::TimeZone;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn person(birth: NaiveDate, sex: Sex) -> Person {
        Person {
            iin: Iin::from_parts(birth, sex, 1234).or_else(|| Iin::from_parts(birth, sex, 1235)).unwrap(),
            surname: "Серікова".into(),
            given_name: "Аружан".into(),
            patronymic: None,
            verified: false,
        }
    }

    fn app(child_birth: NaiveDate) -> Application {
        Application {
            id: ApplicationId(Uuid::from_u128(1)),
            number: "VKO-2026-000001".into(),
            child: person(child_birth, Sex::Female),
            parent: person(ymd(1992, 3, 4), Sex::Female),
            contacts: Contacts { phone: Phone::parse("87011234567").unwrap(), extra_phone: None, email: None },
            address: "Өскемен, Абай к-сі 1".into(),
            preferences: vec![KindergartenId(Uuid::from_u128(9))],
            language: Language::Kk,
            benefit: None,
            consent: true,
            registered_at: Utc.with_ymd_and_hms(2026, 11, 25, 5, 0, 0).unwrap(),
            status: ApplicationStatus::Queued,
        }
    }

    #[test]
    fn registration_rules() {
        let r = QueueRules::default();
        let today = ymd(2026, 11, 25);
        assert_eq!(check_registration(&app(ymd(2023, 5, 1)), None, today, &r, 3), Ok(()));
        assert_eq!(check_registration(&app(ymd(2023, 5, 1)), Some("VKO-2025-000007"), today, &r, 3), Err(RuleError::Duplicate { number: "VKO-2025-000007".into() }));
        // Six by 30 June 2027: school age.
        assert_eq!(check_registration(&app(ymd(2021, 6, 1)), None, today, &r, 3), Err(RuleError::SchoolAge { policy_date: ymd(2027, 6, 30) }));
        // Turns six on 1 July 2027: still queued.
        assert_eq!(check_registration(&app(ymd(2021, 7, 1)), None, today, &r, 3), Ok(()));
        let mut a = app(ymd(2023, 5, 1));
        a.consent = false;
        assert_eq!(check_registration(&a, None, today, &r, 3), Err(RuleError::NoConsent));
        let mut a = app(ymd(2023, 5, 1));
        a.parent = person(ymd(2015, 1, 1), Sex::Male);
        assert!(matches!(check_registration(&a, None, today, &r, 3), Err(RuleError::ImplausibleParent { .. })));
        assert_eq!(check_registration(&app(ymd(2027, 1, 1)), None, today, &r, 3), Err(RuleError::NotBornYet));
        let mut a = app(ymd(2023, 5, 1));
        a.parent.given_name = " ".into();
        assert_eq!(check_registration(&a, None, today, &r, 3), Err(RuleError::EmptyName), "the parent's names too");
        let mut a = app(ymd(2023, 5, 1));
        a.address = "  ".into();
        assert_eq!(check_registration(&a, None, today, &r, 3), Err(RuleError::NoAddress));
    }

    #[test]
    fn group_and_vacancy_rules() {
        let k = KindergartenId(Uuid::from_u128(1));
        let g = Group {
            id: GroupId(Uuid::from_u128(2)),
            kindergarten: k,
            name: "Балапан".into(),
            age: AgeBand { from_years: 2, to_years: 3 },
            language: Language::Kk,
            capacity: 20,
            enrolled: 18,
        };
        assert_eq!(check_group(&g), Ok(()));
        let v = Vacancy { id: VacancyId(Uuid::from_u128(3)), kindergarten: k, group: g.id, count: 2, published_on: ymd(2026, 11, 25) };
        assert_eq!(check_vacancy(&v, &g, 0), Ok(()));
        assert_eq!(check_vacancy(&v, &g, 1), Err(RuleError::MorePlacesThanFree { requested: 2, free: 1 }));
        let over = Group { enrolled: 21, ..g.clone() };
        assert_eq!(check_group(&over), Err(RuleError::OverEnrolled { enrolled: 21, capacity: 20 }));
    }

    #[test]
    fn the_chain_depends_on_every_byte() {
        let a = chain_hash(GENESIS_HASH, "x");
        assert_ne!(a, chain_hash(GENESIS_HASH, "y"));
        assert_ne!(chain_hash(&a, "z"), chain_hash(GENESIS_HASH, "z"));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn commands_serialise_and_come_back() {
        let c = Command {
            id: Uuid::from_u128(7),
            author: OperatorId(Uuid::from_u128(8)),
            device: DeviceId(Uuid::from_u128(9)),
            at: Utc.with_ymd_and_hms(2026, 11, 25, 5, 0, 0).unwrap(),
            kind: CommandKind::RegisterApplication { application: Box::new(app(ymd(2023, 5, 1))), confirmation: Some(ContactConfirmation::Codes) },
        };
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("\"type\":\"register_application\""));
        let back: Command = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn an_edit_keeps_the_registration_time_and_sends_a_new_benefit_to_verification() {
        let mut a = app(ymd(2023, 5, 1));
        a.benefit = Some(BenefitClaim { kind: BenefitKind::LargeFamily, verification: Verification::Confirmed, proofs: vec!["a.jpg".into()] });
        let changes = |benefit| ApplicationChanges {
            contacts: a.contacts.clone(),
            address: "  Өскемен, Абай 5 ".into(),
            preferences: vec![KindergartenId(Uuid::from_u128(9))],
            language: Language::Ru,
            benefit,
            proofs: vec!["new.jpg".into()],
        };
        let same = edit_application(&a, &changes(Some(BenefitKind::LargeFamily)), 3).unwrap();
        assert_eq!(same.benefit, a.benefit, "an unchanged benefit keeps its verification");
        assert_eq!((same.registered_at, same.address.as_str(), same.language), (a.registered_at, "Өскемен, Абай 5", Language::Ru));
        let other = edit_application(&a, &changes(Some(BenefitKind::Orphan)), 3).unwrap();
        assert_eq!(other.benefit.as_ref().map(|b| (b.kind, b.verification, b.proofs.clone())), Some((BenefitKind::Orphan, Verification::Pending, vec!["new.jpg".to_string()])));
        assert_eq!(edit_application(&a, &changes(None), 3).unwrap().tier(), BenefitTier::General);
        let mut none = changes(None);
        none.preferences.clear();
        assert_eq!(edit_application(&a, &none, 3), Err(RuleError::NoPreferences));
        a.status = ApplicationStatus::Withdrawn;
        assert!(matches!(edit_application(&a, &changes(None), 3), Err(RuleError::Transition(_))));
    }

    #[test]
    fn an_edit_of_some_fields_leaves_the_others_as_the_application_stands_where_it_is_applied() {
        let shown = app(ymd(2023, 5, 1));
        // Elsewhere the address moved and a benefit was claimed before this desk heard of it.
        let mut region = shown.clone();
        region.address = "Өскемен, Қазақстан 2".into();
        region.benefit = Some(BenefitClaim { kind: BenefitKind::Orphan, verification: Verification::Confirmed, proofs: vec!["o.jpg".into()] });
        let mut changes = ApplicationChanges {
            contacts: shown.contacts.clone(),
            address: shown.address.clone(),
            preferences: shown.preferences.clone(),
            language: shown.language,
            benefit: None,
            proofs: vec![],
        };
        changes.contacts.phone = Phone::parse("+7 701 777 00 00").unwrap();
        let after = edit_application(&shown, &changes, 3).unwrap();
        let fields = edited_fields(&shown, &after);
        assert_eq!(fields, vec![EditedField::Phone]);
        let applied = edit_fields(&region, &changes, Some(&fields), 3).unwrap();
        assert_eq!((applied.contacts.phone.as_str(), applied.address.as_str()), ("+77017770000", "Өскемен, Қазақстан 2"));
        assert_eq!(applied.benefit, region.benefit, "a benefit the edit did not touch stays with its verification");
        // An older desk's edit names no fields: every field as sent.
        let whole = edit_fields(&region, &changes, None, 3).unwrap();
        assert_eq!((whole.address.as_str(), whole.benefit.is_none()), (shown.address.as_str(), true));
    }

    #[test]
    fn a_kurban_ait_date_falls_in_its_year() {
        assert_eq!(check_kurban_ait(2031, ymd(2031, 4, 2)), Ok(()));
        assert_eq!(check_kurban_ait(2031, ymd(2030, 4, 13)), Err(RuleError::KurbanAitOutsideYear { year: 2031 }));
    }

    #[test]
    fn a_registration_time_is_kept_only_inside_what_the_sync_vouches_for() {
        let t = |h: u32| Utc.with_ymd_and_hms(2026, 12, 2, h, 0, 0).unwrap();
        assert_eq!(vouched_time(t(5), t(3), t(7)), t(5), "between the last sync and receipt: kept");
        assert_eq!(vouched_time(t(1), t(3), t(7)), t(3), "before the last sync: its time");
        assert_eq!(vouched_time(t(9), t(3), t(7)), t(7), "after receipt (a clock ahead): receipt");
        assert_eq!(vouched_time(t(9), t(8), t(7)), t(7), "a last sync after receipt cannot widen the window");
    }

    #[test]
    fn an_edit_confirms_a_new_contact_and_proves_a_new_benefit() {
        let mut a = app(ymd(2023, 5, 1));
        a.benefit = Some(BenefitClaim { kind: BenefitKind::LargeFamily, verification: Verification::Confirmed, proofs: vec!["a.jpg".into()] });
        let same = ApplicationChanges {
            contacts: a.contacts.clone(),
            address: a.address.clone(),
            preferences: a.preferences.clone(),
            language: a.language,
            benefit: Some(BenefitKind::LargeFamily),
            proofs: vec![],
        };
        assert_eq!(check_edit(&a, &same, None, 5), Ok(vec![]), "nothing new: nothing to confirm");
        // A new main phone and a new e-mail: each confirmed, by codes or in person.
        let mut moved = same.clone();
        moved.contacts.phone = Phone::parse("+7 747 000 11 22").unwrap();
        moved.contacts.extra_phone = Some(a.contacts.phone.clone());
        moved.contacts.email = Some(crate::Email::parse("jana@example.kz").unwrap());
        assert_eq!(check_edit(&a, &moved, None, 5), Err(RuleError::ContactNotConfirmed { target: "+77470001122".into() }));
        assert_eq!(
            check_edit(&a, &moved, Some(&ContactConfirmation::Codes), 5),
            Ok(vec!["+77470001122".to_string(), "jana@example.kz".to_string()]),
            "the old phone, now additional, is not new"
        );
        let doc = |n: &str| ContactConfirmation::InPerson { document: IdDocument::Passport, number: n.into() };
        assert_eq!(check_edit(&a, &moved, Some(&doc("N1234567")), 5), Ok(vec![]));
        assert_eq!(check_edit(&a, &moved, Some(&doc("?")), 5), Err(RuleError::BadDocument));
        // Another benefit brings its proofs (1 to max); dropping the benefit needs none.
        let mut other = same.clone();
        other.benefit = Some(BenefitKind::Orphan);
        assert_eq!(check_edit(&a, &other, None, 5), Err(RuleError::ProofRequired));
        other.proofs = (0..6).map(|i| format!("{i}.jpg")).collect();
        assert_eq!(check_edit(&a, &other, None, 5), Err(RuleError::TooManyProofs { max: 5 }));
        other.proofs.truncate(1);
        assert_eq!(check_edit(&a, &other, None, 5), Ok(vec![]));
        assert_eq!(check_edit(&a, &ApplicationChanges { benefit: None, ..same }, None, 5), Ok(vec![]));
    }

    #[test]
    fn a_benefit_is_decided_once_and_a_rejection_says_why() {
        let mut a = app(ymd(2023, 5, 1));
        assert_eq!(decide_benefit(&a, true, ""), Err(RuleError::NoPendingBenefit));
        a.benefit = Some(BenefitClaim { kind: BenefitKind::LargeFamily, verification: Verification::Pending, proofs: vec!["p.jpg".into()] });
        assert_eq!(a.tier(), BenefitTier::Priority);
        let ok = decide_benefit(&a, true, "").unwrap();
        assert_eq!((ok.tier(), ok.benefit.as_ref().unwrap().verification), (BenefitTier::Priority, Verification::Confirmed));
        assert_eq!(decide_benefit(&ok, false, "late"), Err(RuleError::NoPendingBenefit), "decided once");
        assert_eq!(decide_benefit(&a, false, "  "), Err(RuleError::ReasonRequired));
        let no = decide_benefit(&a, false, "the certificate is expired").unwrap();
        assert_eq!((no.tier(), no.registered_at), (BenefitTier::General, a.registered_at));
        a.status = ApplicationStatus::Withdrawn;
        assert!(matches!(decide_benefit(&a, true, ""), Err(RuleError::Transition(_))));
    }

    #[test]
    fn a_submission_needs_proofs_for_a_benefit_and_a_real_document_number() {
        let mut a = app(ymd(2023, 5, 1));
        let doc = |n: &str| ContactConfirmation::InPerson { document: IdDocument::IdCard, number: n.into() };
        assert_eq!(check_submission(&a, &ContactConfirmation::Codes, 5), Ok(()));
        assert_eq!(check_submission(&a, &doc("0123 45678"), 5), Ok(()));
        assert_eq!(check_submission(&a, &doc("12"), 5), Err(RuleError::BadDocument));
        assert_eq!(check_submission(&a, &doc("№ 123456"), 5), Err(RuleError::BadDocument));
        a.benefit = Some(BenefitClaim { kind: BenefitKind::Orphan, verification: Verification::Pending, proofs: vec![] });
        assert_eq!(check_submission(&a, &ContactConfirmation::Codes, 5), Err(RuleError::ProofRequired));
        a.benefit.as_mut().unwrap().proofs = (0..6).map(|i| format!("{i}.jpg")).collect();
        assert_eq!(check_submission(&a, &ContactConfirmation::Codes, 5), Err(RuleError::TooManyProofs { max: 5 }));
        assert_eq!(check_document_number(" n 1234 5678 "), Ok("N12345678".into()));
    }

    #[test]
    fn a_referral_is_decided_for_a_fitting_open_place_with_working_day_deadlines() {
        use crate::calendar::{ReferralRules, WorkCalendar};
        use crate::offer::OpenPlaces;
        let a = app(ymd(2023, 5, 1));
        let place = |open, kg: u128, from| OpenPlaces {
            vacancy: VacancyId(Uuid::from_u128(40)),
            kindergarten: KindergartenId(Uuid::from_u128(kg)),
            group: GroupId(Uuid::from_u128(22)),
            age: AgeBand { from_years: from, to_years: from + 1 },
            language: Language::Kk,
            open,
        };
        // Friday 27 November 2026, 10:00 desk time: five working days end on Friday 4 December.
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 5, 0, 0).unwrap();
        let (cal, rules) = (WorkCalendar::kazakhstan(), ReferralRules::default());
        let r = decide_referral(&a, &place(1, 9, 4), 4, ReferralId(Uuid::from_u128(1)), "ZH-1", at, &cal, &rules).unwrap();
        assert_eq!((r.status, r.valid_until, r.confirm_by), (ReferralStatus::Confirmed, ymd(2026, 12, 4), ymd(2026, 12, 1)));
        assert_eq!(decide_referral(&a, &place(0, 9, 4), 4, ReferralId(Uuid::from_u128(1)), "ZH-1", at, &cal, &rules), Err(RuleError::PlaceTaken));
        assert_eq!(decide_referral(&a, &place(1, 8, 4), 4, ReferralId(Uuid::from_u128(1)), "ZH-1", at, &cal, &rules), Err(RuleError::PlaceDoesNotFit));
        assert_eq!(decide_referral(&a, &place(1, 9, 2), 4, ReferralId(Uuid::from_u128(1)), "ZH-1", at, &cal, &rules), Err(RuleError::PlaceDoesNotFit));
    }
}
