//! A referral after it is issued: extension, refusal, expiry, admission — and the summer
//! pause of publication. Pure decisions: the store (and later the sync server) gives the
//! referral as it stands, today's date and the settings, and writes what comes back.

use crate::calendar::{check_extension, referral_deadlines, ReferralRules, WorkCalendar};
use crate::command::RuleError;
use crate::lifecycle::{next_referral_status, ApplicationEvent, ReferralEvent};
use crate::model::{Group, Referral, ReferralStatus};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// What happens after a refusal (BRIEF.md's settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RefusalRules {
    /// A refusal ends the application instead of returning it to the queue.
    pub annuls: bool,
    /// Days after a refusal during which no place is offered to the application (0 = off).
    pub stop_list_days: u32,
}

impl RefusalRules {
    /// A stop-list longer than a year is a typo, not a policy.
    pub const MAX_STOP_LIST_DAYS: u32 = 365;

    /// From the settings `refusal_annuls` (`true`/`false`) and `stop_list_days`; anything
    /// unreadable is the default (returns to the queue, no stop-list).
    pub fn from_settings(annuls: Option<&str>, stop_list_days: Option<&str>) -> RefusalRules {
        RefusalRules {
            annuls: annuls.is_some_and(|v| v.trim() == "true"),
            stop_list_days: stop_list_days.and_then(|v| v.trim().parse().ok()).unwrap_or(0).min(Self::MAX_STOP_LIST_DAYS),
        }
    }

    pub fn check(&self) -> Result<(), RuleError> {
        if self.stop_list_days > Self::MAX_STOP_LIST_DAYS {
            return Err(RuleError::BadSetting { setting: "stop_list_days".into() });
        }
        Ok(())
    }
}

/// The once-only extension: from Confirmed only, while the referral is still valid on
/// `today`, later than now, at most `max_extension_days` calendar days from the day of issue.
pub fn decide_extension(r: &Referral, until: NaiveDate, today: NaiveDate, cal: &WorkCalendar, rules: &ReferralRules) -> Result<Referral, RuleError> {
    if r.status.is_live() && today > last_day(r) {
        return Err(RuleError::ReferralLapsed { valid_until: last_day(r) });
    }
    let already = r.status == ReferralStatus::Extended;
    let deadlines = referral_deadlines(cal, rules, crate::command::desk_date(r.issued_at)).map_err(|_| RuleError::Calendar)?;
    let valid_until = check_extension(r.valid_until, until, &deadlines, already)?;
    let status = next_referral_status(r.status, ReferralEvent::Extend)?;
    Ok(Referral { status, valid_until, ..r.clone() })
}

/// What a refusal decides.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub referral: Referral,
    /// What happens to the application.
    pub event: ApplicationEvent,
    /// Offered no place through this day (the stop-list), if the settings say so.
    pub stop_until: Option<NaiveDate>,
}

/// Refusal: a reason is required; the application returns to the queue (or ends, by the
/// settings), and a returned one may be stopped from offers for some days.
pub fn decide_refusal(r: &Referral, reason: &str, rules: &RefusalRules, today: NaiveDate) -> Result<Refusal, RuleError> {
    if reason.trim().is_empty() {
        return Err(RuleError::ReasonRequired);
    }
    let status = next_referral_status(r.status, ReferralEvent::Refuse)?;
    let event = if rules.annuls { ApplicationEvent::Withdraw } else { ApplicationEvent::ReturnToQueue };
    // An annulled application is out of the queue: a stop-list would mean nothing.
    let stop_until = (rules.stop_list_days > 0 && !rules.annuls).then(|| today + chrono::Days::new(u64::from(rules.stop_list_days)));
    Ok(Refusal { referral: Referral { status, ..r.clone() }, event, stop_until })
}

/// «Not your turn»: a place is taken only by an application that holds an open offer (its
/// turn has come), and only the offered place — or another a round has seen and left to
/// nobody (none ahead wanted it). `offered`: the place of the open offer still within its
/// days; `left_to_nobody`: the asked place was rounded and is published.
pub fn check_turn(
    status: crate::model::ApplicationStatus,
    asked: crate::model::VacancyId,
    offered: Option<crate::model::VacancyId>,
    left_to_nobody: bool,
) -> Result<(), RuleError> {
    match offered {
        Some(v) if v == asked || left_to_nobody => Ok(()),
        Some(_) => Err(RuleError::NotYourTurn),
        None => {
            // A referred or ended application is refused by its state, not by its turn.
            crate::lifecycle::next_application_status(status, ApplicationEvent::Refer)?;
            Err(RuleError::NotYourTurn)
        }
    }
}

/// The last day a referral may still be used: an unconfirmed one lapses at its confirmation
/// deadline.
pub fn last_day(r: &Referral) -> NaiveDate {
    if r.status == ReferralStatus::Issued {
        r.confirm_by.min(r.valid_until)
    } else {
        r.valid_until
    }
}

/// Expiry: only once the last day has passed (the whole of it: a referral valid until
/// Friday is good all Friday).
pub fn decide_expiry(r: &Referral, today: NaiveDate) -> Result<Referral, RuleError> {
    let last = last_day(r);
    if today <= last {
        return Err(RuleError::NotExpired { valid_until: last });
    }
    let status = next_referral_status(r.status, ReferralEvent::Expire)?;
    Ok(Referral { status, ..r.clone() })
}

/// Admission at the kindergarten: a confirmed (or extended) referral still valid today, and a
/// group that has room; returns the referral admitted and the group with one more child.
/// The documents «Қабылдау» asks for, in the guide's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdmissionDocument {
    /// An identity document of a parent or legal representative.
    ParentIdentity,
    /// The child's birth certificate.
    BirthCertificate,
    /// The child's health passport (form 026/у-3).
    HealthPassport,
    /// A certificate of the child's state of health.
    HealthCertificate,
    /// The psychological-medical-pedagogical consultation's conclusion.
    SpecialNeedsConclusion,
}

impl AdmissionDocument {
    /// The consultation's conclusion only for a child with special educational needs
    /// (`needs_conclusion`); the rest always.
    pub fn required(self, special_needs: bool) -> bool {
        self != AdmissionDocument::SpecialNeedsConclusion || special_needs
    }
}

/// Whether the child's application calls for the psychological-medical-pedagogical
/// consultation's conclusion at admission: it claims the special-needs benefit, and the claim
/// was not refused.
pub fn needs_conclusion(benefit: Option<&crate::model::BenefitClaim>) -> bool {
    benefit.is_some_and(|b| b.kind == crate::model::BenefitKind::SpecialNeeds && b.verification != crate::model::Verification::Rejected)
}

pub const ADMISSION_DOCUMENTS: [AdmissionDocument; 5] = [
    AdmissionDocument::ParentIdentity,
    AdmissionDocument::BirthCertificate,
    AdmissionDocument::HealthPassport,
    AdmissionDocument::HealthCertificate,
    AdmissionDocument::SpecialNeedsConclusion,
];

/// The required documents not among those `seen`.
pub fn missing_documents(seen: &[AdmissionDocument], special_needs: bool) -> Vec<AdmissionDocument> {
    ADMISSION_DOCUMENTS.into_iter().filter(|d| d.required(special_needs) && !seen.contains(d)).collect()
}

/// Whether a referral can be used for admission on `today`: confirmed or extended, and its
/// last day not passed. The screen asks this before it shows the documents.
pub fn check_admissible(r: &Referral, today: NaiveDate) -> Result<(), RuleError> {
    next_referral_status(r.status, ReferralEvent::Admit)?;
    if today > last_day(r) {
        return Err(RuleError::ReferralLapsed { valid_until: last_day(r) });
    }
    Ok(())
}

/// Admission: an admissible referral, the required documents seen, the child's group and
/// room in it.
pub fn decide_admission(r: &Referral, group: &Group, today: NaiveDate, seen: &[AdmissionDocument], special_needs: bool) -> Result<(Referral, Group), RuleError> {
    check_admissible(r, today)?;
    let status = next_referral_status(r.status, ReferralEvent::Admit)?;
    let missing = missing_documents(seen, special_needs);
    if !missing.is_empty() {
        return Err(RuleError::DocumentsMissing { missing });
    }
    if group.id != r.group {
        return Err(RuleError::ReferralMismatch);
    }
    let enrolled = group.enrolled + 1;
    if enrolled > group.capacity {
        return Err(RuleError::OverEnrolled { enrolled, capacity: group.capacity });
    }
    Ok((Referral { status, ..r.clone() }, Group { enrolled, ..group.clone() }))
}

/// The yearly pause of publication while groups move up (default 1–31 August).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationPause {
    /// (month, day), inclusive.
    pub from: (u32, u32),
    pub to: (u32, u32),
}

impl Default for PublicationPause {
    fn default() -> Self {
        PublicationPause { from: (8, 1), to: (8, 31) }
    }
}

impl PublicationPause {
    /// The setting's text: `08-01..08-31`; `off` for none. None when unreadable.
    pub fn parse(s: &str) -> Option<Option<PublicationPause>> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("off") || s.is_empty() {
            return Some(None);
        }
        let (a, b) = s.split_once("..")?;
        let md = |t: &str| -> Option<(u32, u32)> {
            let (m, d) = t.trim().split_once('-')?;
            let (m, d) = (m.parse().ok()?, d.parse().ok()?);
            // 2024 is a leap year: 29 February is a valid bound.
            NaiveDate::from_ymd_opt(2024, m, d)?;
            Some((m, d))
        };
        Some(Some(PublicationPause { from: md(a)?, to: md(b)? }))
    }

    /// The setting `publication_pause`: unset or unreadable is the default pause (a typo must
    /// not open August); `off` is none.
    pub fn from_setting(text: Option<&str>) -> Option<PublicationPause> {
        match text {
            Some(t) => PublicationPause::parse(t).unwrap_or(Some(PublicationPause::default())),
            None => Some(PublicationPause::default()),
        }
    }

    /// The setting's text for `pause`.
    pub fn to_setting(pause: Option<&PublicationPause>) -> String {
        match pause {
            Some(p) => format!("{:02}-{:02}..{:02}-{:02}", p.from.0, p.from.1, p.to.0, p.to.1),
            None => "off".into(),
        }
    }

    /// A pause that ends before it starts (or names no real day) is refused.
    pub fn check(&self) -> Result<(), RuleError> {
        let real = |(m, d): (u32, u32)| NaiveDate::from_ymd_opt(2024, m, d).is_some();
        if !real(self.from) || !real(self.to) || self.to < self.from {
            return Err(RuleError::BadSetting { setting: "publication_pause".into() });
        }
        Ok(())
    }

    /// The pause as dates of `date`'s year, when `date` falls in it.
    pub fn covering(&self, date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let md = (date.month(), date.day());
        if md < self.from || md > self.to {
            return None;
        }
        let day = |(m, d): (u32, u32)| NaiveDate::from_ymd_opt(date.year(), m, d).or_else(|| NaiveDate::from_ymd_opt(date.year(), m, d - 1));
        Some((day(self.from)?, day(self.to)?))
    }
}

/// Publication on `date` is refused inside the pause, with its dates.
pub fn check_publication(date: NaiveDate, pause: Option<&PublicationPause>) -> Result<(), RuleError> {
    match pause.and_then(|p| p.covering(date)) {
        Some((from, to)) => Err(RuleError::PublicationPaused { from, to }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn referral(status: ReferralStatus) -> Referral {
        // Issued on Friday 27 November 2026 at the desk (09:00 Almaty).
        let cal = WorkCalendar::kazakhstan();
        let dl = referral_deadlines(&cal, &ReferralRules::default(), d(2026, 11, 27)).unwrap();
        Referral {
            id: ReferralId(Uuid::from_u128(1)),
            number: "VKO-J-2026-000001".into(),
            application: ApplicationId(Uuid::from_u128(2)),
            vacancy: VacancyId(Uuid::from_u128(3)),
            kindergarten: KindergartenId(Uuid::from_u128(4)),
            group: GroupId(Uuid::from_u128(5)),
            issued_at: Utc.with_ymd_and_hms(2026, 11, 27, 4, 0, 0).unwrap(),
            confirm_by: dl.confirm_by,
            valid_until: dl.valid_until,
            status,
        }
    }

    fn group(capacity: u32, enrolled: u32) -> Group {
        Group {
            id: GroupId(Uuid::from_u128(5)),
            kindergarten: KindergartenId(Uuid::from_u128(4)),
            name: "Ортаңғы топ".into(),
            age: AgeBand { from_years: 3, to_years: 4 },
            language: Language::Kk,
            capacity,
            enrolled,
        }
    }

    #[test]
    fn five_working_days_cross_the_weekend_and_independence_day() {
        // Fri 27 Nov + 5 working days: Mon 30, Tue 1, Wed 2, Thu 3, Fri 4 December.
        let r = referral(ReferralStatus::Confirmed);
        assert_eq!(r.valid_until, d(2026, 12, 4));
        assert_eq!(decide_expiry(&r, d(2026, 12, 4)), Err(RuleError::NotExpired { valid_until: d(2026, 12, 4) }));
        assert_eq!(decide_expiry(&r, d(2026, 12, 5)).unwrap().status, ReferralStatus::Expired);
        // Issued Mon 14 Dec: 15, (16 a holiday), 17, 18, (19–20 a weekend), 21, 22 December.
        let cal = WorkCalendar::kazakhstan();
        assert_eq!(referral_deadlines(&cal, &ReferralRules::default(), d(2026, 12, 14)).unwrap().valid_until, d(2026, 12, 22));
    }

    #[test]
    fn extension_is_once_and_within_thirty_days() {
        let cal = WorkCalendar::kazakhstan();
        let rules = ReferralRules::default();
        let r = referral(ReferralStatus::Confirmed);
        let e = decide_extension(&r, d(2026, 12, 20), d(2026, 12, 1), &cal, &rules).unwrap();
        assert_eq!((e.status, e.valid_until), (ReferralStatus::Extended, d(2026, 12, 20)));
        assert!(matches!(decide_extension(&e, d(2026, 12, 22), d(2026, 12, 1), &cal, &rules), Err(RuleError::Extension(crate::calendar::ExtensionError::AlreadyExtended))));
        assert!(matches!(decide_extension(&r, d(2026, 12, 28), d(2026, 12, 1), &cal, &rules), Err(RuleError::Extension(crate::calendar::ExtensionError::BeyondLimit { .. }))));
        assert!(matches!(decide_extension(&r, d(2026, 12, 3), d(2026, 12, 1), &cal, &rules), Err(RuleError::Extension(crate::calendar::ExtensionError::NotLater))));
        // Not once its last day has passed, even before the office's expiry run.
        assert_eq!(decide_extension(&r, d(2026, 12, 20), d(2026, 12, 5), &cal, &rules), Err(RuleError::ReferralLapsed { valid_until: d(2026, 12, 4) }));
        // An expired referral is not extended.
        let x = referral(ReferralStatus::Expired);
        assert!(decide_extension(&x, d(2026, 12, 20), d(2026, 12, 1), &cal, &rules).is_err());
    }

    #[test]
    fn refusal_needs_a_reason_and_follows_the_settings() {
        let r = referral(ReferralStatus::Confirmed);
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(decide_refusal(&r, " ", &RefusalRules::default(), today), Err(RuleError::ReasonRequired));
        let Refusal { referral: x, event: ev, stop_until } = decide_refusal(&r, "алыс", &RefusalRules::default(), today).unwrap();
        assert_eq!(stop_until, None);
        assert_eq!((x.status, ev), (ReferralStatus::Refused, ApplicationEvent::ReturnToQueue));
        let annuls = decide_refusal(&r, "алыс", &RefusalRules { annuls: true, stop_list_days: 30 }, today).unwrap();
        assert_eq!((annuls.event, annuls.stop_until), (ApplicationEvent::Withdraw, None));
        let stopped = decide_refusal(&r, "алыс", &RefusalRules { annuls: false, stop_list_days: 30 }, today).unwrap();
        assert_eq!(stopped.stop_until, NaiveDate::from_ymd_opt(2027, 1, 1));
        assert!(decide_refusal(&referral(ReferralStatus::Admitted), "алыс", &RefusalRules::default(), today).is_err());
    }

    #[test]
    fn a_place_is_taken_only_in_turn() {
        use crate::model::{ApplicationStatus, VacancyId};
        let (a, b) = (VacancyId(uuid::Uuid::from_u128(1)), VacancyId(uuid::Uuid::from_u128(2)));
        let queued = ApplicationStatus::Queued;
        assert_eq!(check_turn(queued, a, Some(a), false), Ok(()));
        assert_eq!(check_turn(queued, b, Some(a), true), Ok(()));
        assert_eq!(check_turn(queued, b, Some(a), false), Err(RuleError::NotYourTurn));
        assert_eq!(check_turn(queued, a, None, true), Err(RuleError::NotYourTurn));
        assert!(matches!(check_turn(ApplicationStatus::Referred, a, None, true), Err(RuleError::Transition(_))));
    }

    proptest::proptest! {
        /// Nobody takes a place without a turn; a stop-list follows a refusal only when the
        /// application stays in the queue, for exactly the days set.
        #[test]
        fn no_place_without_a_turn_and_the_stop_list_as_set(asked in 0u128..3, offered in proptest::option::of(0u128..3), left: bool, annuls: bool, days in 0u32..400) {
            use crate::model::{ApplicationStatus, VacancyId};
            let v = |n: u128| VacancyId(uuid::Uuid::from_u128(n));
            let ok = check_turn(ApplicationStatus::Queued, v(asked), offered.map(v), left).is_ok();
            proptest::prop_assert_eq!(ok, offered.is_some_and(|o| o == asked || left));
            let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
            let rules = RefusalRules::from_settings(Some(&annuls.to_string()), Some(&days.to_string()));
            let r = decide_refusal(&referral(ReferralStatus::Confirmed), "алыс", &rules, today).unwrap();
            match r.stop_until {
                Some(until) => proptest::prop_assert!(!annuls && (until - today).num_days() == i64::from(rules.stop_list_days) && rules.stop_list_days > 0),
                None => proptest::prop_assert!(annuls || rules.stop_list_days == 0),
            }
        }
    }

    #[test]
    fn the_conclusion_is_asked_for_a_child_whose_application_claims_special_needs() {
        use crate::model::{BenefitClaim, BenefitKind, Verification};
        let claim = |kind, verification| BenefitClaim { kind, verification, proofs: vec![] };
        assert!(needs_conclusion(Some(&claim(BenefitKind::SpecialNeeds, Verification::Pending))));
        assert!(needs_conclusion(Some(&claim(BenefitKind::SpecialNeeds, Verification::Confirmed))));
        assert!(!needs_conclusion(Some(&claim(BenefitKind::SpecialNeeds, Verification::Rejected))), "a refused claim asks nothing");
        assert!(!needs_conclusion(Some(&claim(BenefitKind::LargeFamily, Verification::Confirmed))));
        assert!(!needs_conclusion(None));
    }

    #[test]
    fn admission_needs_a_valid_referral_the_documents_and_room() {
        let r = referral(ReferralStatus::Confirmed);
        let docs = &ADMISSION_DOCUMENTS[..4];
        let (a, g) = decide_admission(&r, &group(20, 19), d(2026, 12, 1), docs, false).unwrap();
        assert_eq!((a.status, g.enrolled), (ReferralStatus::Admitted, 20));
        assert_eq!(decide_admission(&r, &group(20, 20), d(2026, 12, 1), docs, false), Err(RuleError::OverEnrolled { enrolled: 21, capacity: 20 }));
        assert_eq!(decide_admission(&r, &group(20, 1), d(2026, 12, 5), docs, false), Err(RuleError::ReferralLapsed { valid_until: d(2026, 12, 4) }));
        // The special-needs conclusion is not required; the health certificate is.
        let without = [AdmissionDocument::ParentIdentity, AdmissionDocument::BirthCertificate, AdmissionDocument::HealthPassport, AdmissionDocument::SpecialNeedsConclusion];
        assert_eq!(decide_admission(&r, &group(20, 1), d(2026, 12, 1), &without, false), Err(RuleError::DocumentsMissing { missing: vec![AdmissionDocument::HealthCertificate] }));
        assert_eq!(missing_documents(&[], false).len(), 4);
        // A child with special educational needs brings the consultation's conclusion too.
        assert_eq!(decide_admission(&r, &group(20, 1), d(2026, 12, 1), docs, true), Err(RuleError::DocumentsMissing { missing: vec![AdmissionDocument::SpecialNeedsConclusion] }));
        assert!(decide_admission(&r, &group(20, 1), d(2026, 12, 1), &ADMISSION_DOCUMENTS, true).is_ok());
        // Used, expired, refused, or never confirmed: refused by the state machine.
        for s in [ReferralStatus::Admitted, ReferralStatus::Expired, ReferralStatus::Refused, ReferralStatus::Issued] {
            assert!(matches!(decide_admission(&referral(s), &group(20, 1), d(2026, 12, 1), docs, false), Err(RuleError::Transition(_))), "{s:?}");
            assert!(check_admissible(&referral(s), d(2026, 12, 1)).is_err());
        }
        assert_eq!(check_admissible(&r, d(2026, 12, 4)), Ok(()), "the last day is good all day");
    }

    #[test]
    fn a_calendar_gap_refuses_a_deadline_instead_of_guessing_it() {
        // No Kurban ait known for 2031: no deadline can be counted in that year.
        let cal = WorkCalendar::kazakhstan();
        let mut r = referral(ReferralStatus::Confirmed);
        r.issued_at = Utc.with_ymd_and_hms(2031, 3, 3, 4, 0, 0).unwrap();
        (r.confirm_by, r.valid_until) = (d(2031, 3, 5), d(2031, 3, 10));
        assert_eq!(decide_extension(&r, d(2031, 3, 20), d(2031, 3, 3), &cal, &ReferralRules::default()), Err(RuleError::Calendar));
        let place = crate::offer::OpenPlaces {
            vacancy: r.vacancy,
            kindergarten: r.kindergarten,
            group: r.group,
            age: AgeBand { from_years: 3, to_years: 4 },
            language: Language::Kk,
            open: 1,
        };
        let app = Application {
            id: r.application,
            number: "VKO-2031-000001".into(),
            child: Person { iin: crate::Iin::parse("871008401427").unwrap(), surname: "Ә".into(), given_name: "Ұ".into(), patronymic: None, verified: true },
            parent: Person { iin: crate::Iin::parse("871008401427").unwrap(), surname: "Ә".into(), given_name: "Ұ".into(), patronymic: None, verified: true },
            contacts: Contacts { phone: crate::Phone::parse("87011234567").unwrap(), extra_phone: None, email: None },
            address: "Өскемен".into(),
            preferences: vec![r.kindergarten],
            language: Language::Kk,
            benefit: None,
            consent: true,
            registered_at: r.issued_at,
            status: ApplicationStatus::Queued,
        };
        let decided = crate::command::decide_referral(&app, &place, 3, r.id, "X", r.issued_at, &cal, &ReferralRules::default());
        assert_eq!(decided, Err(RuleError::Calendar));
    }

    #[test]
    fn publication_pauses_in_august() {
        let p = PublicationPause::default();
        assert_eq!(check_publication(d(2026, 8, 1), Some(&p)), Err(RuleError::PublicationPaused { from: d(2026, 8, 1), to: d(2026, 8, 31) }));
        assert!(check_publication(d(2026, 7, 31), Some(&p)).is_ok());
        assert!(check_publication(d(2026, 9, 1), Some(&p)).is_ok());
        assert!(check_publication(d(2026, 8, 15), None).is_ok());
        assert_eq!(PublicationPause::parse("06-15..07-01"), Some(Some(PublicationPause { from: (6, 15), to: (7, 1) })));
        assert_eq!(PublicationPause::parse("off"), Some(None));
        assert_eq!(PublicationPause::parse("13-01..13-05"), None);
        // Unset or unreadable keeps the pause; only `off` lifts it.
        assert_eq!(PublicationPause::from_setting(None), Some(p));
        assert_eq!(PublicationPause::from_setting(Some("авг")), Some(p));
        assert_eq!(PublicationPause::from_setting(Some("off")), None);
        assert_eq!(PublicationPause::to_setting(Some(&p)), "08-01..08-31");
        assert_eq!(PublicationPause::parse(&PublicationPause::to_setting(None)), Some(None));
        assert!(PublicationPause { from: (8, 31), to: (8, 1) }.check().is_err());
        assert_eq!(RefusalRules::from_settings(Some("true"), Some("9999")), RefusalRules { annuls: true, stop_list_days: 365 });
        assert_eq!(RefusalRules::from_settings(Some("yes"), Some("x")), RefusalRules::default());
    }
}
