//! «Кезекке қою»: the five-step wizard's state. Everything typed lives here and is saved as a
//! draft, so going back, a refused step and a closed app all keep it. Each step is checked by
//! the core before the next opens; the desk (shell) checks again at submit. Pure, tested
//! natively.

use baqsha_api::{ApiError, MapPoint, NewApplication, PersonLookup, ProofInfo, SubmitOutcome};
use baqsha_core::command::{check_child, check_parent, ContactConfirmation, RuleError};
use baqsha_core::queue::QueueRules;
use baqsha_core::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

pub use crate::contact_form::{Contact, ContactAction, Which};
use crate::contact_form::{ContactError, ContactForm};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonForm {
    pub iin: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    /// The IIN whose names came from the registry; names typed for another IIN are not.
    pub verified_for: Option<String>,
    #[serde(skip)]
    pub lookup: Option<PersonLookup>,
}

impl PersonForm {
    pub fn person(&self, iin: Iin) -> Person {
        let verified = self.verified_for.as_deref() == Some(iin.as_str());
        let p = self.patronymic.trim();
        Person { surname: self.surname.trim().to_string(), given_name: self.given_name.trim().to_string(), patronymic: (!p.is_empty()).then(|| p.to_string()), verified, iin }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Who {
    Parent,
    Child,
}

impl From<ContactError> for StepError {
    fn from(e: ContactError) -> Self {
        match e {
            ContactError::Phone(w, p) => StepError::Phone(w, p),
            ContactError::Email(e) => StepError::Email(e),
            ContactError::NotConfirmed(w) => StepError::NotConfirmed(w),
            ContactError::Document => StepError::Document,
        }
    }
}

/// What is wrong with a step, for the message and the field to mark.
#[derive(Debug, Clone, PartialEq)]
pub enum StepError {
    Phone(Which, PhoneError),
    Email(EmailError),
    NotConfirmed(Which),
    Document,
    Iin(Who, IinError),
    Names(Who),
    Rule(RuleError),
    Address,
    Preferences,
    Api(ApiError),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wizard {
    /// 1–5 the seed's steps; 6 done.
    pub step: u8,
    /// Step 2 (flattened: a draft keeps the fields it always had).
    #[serde(flatten)]
    pub contact: ContactForm,
    pub parent: PersonForm,
    pub child: PersonForm,
    pub address: String,
    pub district: String,
    /// Kindergarten ids as text, in order; as many slots as the `max_preferences` setting.
    pub preferences: Vec<String>,
    pub language: String,
    /// A `BenefitKind` code, or empty.
    pub benefit: String,
    pub proofs: Vec<ProofInfo>,
    pub consent: bool,
    #[serde(skip)]
    pub error: Option<StepError>,
    #[serde(skip)]
    pub busy: bool,
    #[serde(skip)]
    pub outcome: Option<SubmitOutcome>,
    /// When the draft this came from was saved (shown once, with «Жаңадан бастау»).
    #[serde(skip)]
    pub restored: Option<chrono::DateTime<chrono::Utc>>,
}

impl Default for Wizard {
    fn default() -> Self {
        Wizard {
            step: 1,
            contact: ContactForm::default(),
            parent: PersonForm::default(),
            child: PersonForm::default(),
            address: String::new(),
            district: String::new(),
            preferences: vec![],
            language: "kk".into(),
            benefit: String::new(),
            proofs: vec![],
            consent: false,
            error: None,
            busy: false,
            outcome: None,
            restored: None,
        }
    }
}

pub enum Action {
    Start,
    Back,
    /// Checks the step (with today's date for the age rules) and moves on if it is right.
    Next(NaiveDate),
    /// A refusal from the desk (a wrong code on «Әрі қарай», a refused submit).
    Refused(StepError),
    Busy(bool),
    /// Step 2: a contact typed, a code sent or confirmed, the parent's document.
    Contact(ContactAction),
    Iin(Who, String),
    Surname(Who, String),
    GivenName(Who, String),
    Patronymic(Who, String),
    LookedUp(Who, String, PersonLookup),
    Address(String),
    District(String),
    Preference(usize, String),
    Language(String),
    Benefit(String),
    ProofAdded(ProofInfo),
    ProofRemoved(String),
    Consent(bool),
    Submitted(SubmitOutcome),
    Restore(Box<Wizard>, chrono::DateTime<chrono::Utc>),
    Reset,
}

impl Wizard {
    fn person_mut(&mut self, w: Who) -> &mut PersonForm {
        match w {
            Who::Parent => &mut self.parent,
            Who::Child => &mut self.child,
        }
    }

    /// Step 2: the contacts, each confirmed by a code unless the parent is here with an
    /// identity document.
    pub fn contacts(&self) -> Result<(Contacts, ContactConfirmation), StepError> {
        let contacts = self.contact.contacts()?;
        Ok((contacts, self.contact.confirmation(&Which::ALL)?))
    }

    /// Contacts with a typed code still to check on «Әрі қарай».
    pub fn codes_to_confirm(&self) -> Vec<(Which, String, String)> {
        self.contact.codes_to_confirm(&Which::ALL)
    }

    fn iin(&self, who: Who) -> Result<Iin, StepError> {
        let p = match who {
            Who::Parent => &self.parent,
            Who::Child => &self.child,
        };
        Iin::parse(&p.iin).map_err(|e| StepError::Iin(who, e))
    }

    /// Step 3: parent and child (IINs valid, a child of queue age, a plausible parent, names),
    /// address, preferences.
    pub fn people(&self, today: NaiveDate) -> Result<(Person, Person, Vec<KindergartenId>), StepError> {
        let parent_iin = self.iin(Who::Parent)?;
        let child_iin = self.iin(Who::Child)?;
        check_child(&child_iin, today, &QueueRules::default()).map_err(StepError::Rule)?;
        check_parent(&parent_iin, &child_iin, today).map_err(StepError::Rule)?;
        for (who, p) in [(Who::Parent, &self.parent), (Who::Child, &self.child)] {
            if p.surname.trim().is_empty() || p.given_name.trim().is_empty() {
                return Err(StepError::Names(who));
            }
        }
        if self.address.trim().is_empty() {
            return Err(StepError::Address);
        }
        let prefs = crate::queue_check::edit_form::preferences_of(&self.preferences).ok_or(StepError::Preferences)?;
        Ok((self.parent.person(parent_iin), self.child.person(child_iin), prefs))
    }

    /// Step 4: a claimed benefit needs its proofs.
    pub fn benefit_claim(&self) -> Result<Option<(BenefitKind, Vec<String>)>, StepError> {
        match BenefitKind::from_code(&self.benefit) {
            None => Ok(None),
            Some(_) if self.proofs.is_empty() => Err(StepError::Rule(RuleError::ProofRequired)),
            Some(k) => Ok(Some((k, self.proofs.iter().map(|p| p.id.clone()).collect()))),
        }
    }

    /// Step 5: everything, as the desk receives it.
    pub fn application(&self, today: NaiveDate) -> Result<NewApplication, StepError> {
        let (contacts, confirmation) = self.contacts()?;
        let (parent, child, preferences) = self.people(today)?;
        let benefit = self.benefit_claim()?;
        if !self.consent {
            return Err(StepError::Rule(RuleError::NoConsent));
        }
        Ok(NewApplication {
            child,
            parent,
            contacts,
            address: self.address.trim().to_string(),
            preferences,
            language: Language::from_code(&self.language).unwrap_or(Language::Kk),
            benefit,
            consent: self.consent,
            confirmation,
        })
    }

    fn check_step(&self, today: NaiveDate) -> Result<(), StepError> {
        match self.step {
            2 => self.contacts().map(drop),
            3 => self.people(today).map(drop),
            4 => self.benefit_claim().map(drop),
            5 => self.application(today).map(drop),
            _ => Ok(()),
        }
    }

    /// Whether the draft is worth keeping (something was typed).
    pub fn worth_saving(&self) -> bool {
        (2..=5).contains(&self.step)
    }
}

impl yew::Reducible for Wizard {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut w = (*self).clone();
        // A new keystroke or choice clears the last refusal; outcomes set their own.
        w.error = None;
        match action {
            Action::Start => w.step = 2,
            Action::Back => w.step = w.step.saturating_sub(1).max(1),
            Action::Next(today) => match w.check_step(today) {
                Ok(()) if w.step < 5 => w.step += 1,
                Ok(()) => {}
                Err(e) => w.error = Some(e),
            },
            Action::Refused(e) => {
                w.busy = false;
                w.error = Some(e);
            }
            Action::Busy(b) => w.busy = b,
            Action::Contact(a) => w.contact.apply(a),
            Action::Iin(who, v) => {
                let p = w.person_mut(who);
                p.iin = v;
                p.lookup = None;
            }
            Action::Surname(who, v) => w.person_mut(who).surname = v,
            Action::GivenName(who, v) => w.person_mut(who).given_name = v,
            Action::Patronymic(who, v) => w.person_mut(who).patronymic = v,
            Action::LookedUp(who, iin, found) => {
                let p = w.person_mut(who);
                // An answer for an IIN no longer in the field is stale.
                if Iin::parse(&p.iin).map(|i| i.as_str() == iin).unwrap_or(false) {
                    if let PersonLookup::Found { surname, given_name, patronymic } = &found {
                        p.surname = surname.clone();
                        p.given_name = given_name.clone();
                        p.patronymic = patronymic.clone().unwrap_or_default();
                        p.verified_for = Some(iin);
                    }
                    p.lookup = Some(found);
                }
            }
            Action::Address(v) => w.address = v,
            Action::District(v) => {
                if v != w.district {
                    w.preferences.clear();
                }
                w.district = v;
            }
            Action::Preference(i, v) => {
                if w.preferences.len() <= i {
                    w.preferences.resize(i + 1, String::new());
                }
                w.preferences[i] = v;
            }
            Action::Language(v) => w.language = v,
            Action::Benefit(v) => w.benefit = v,
            Action::ProofAdded(p) => {
                w.busy = false;
                if !w.proofs.iter().any(|q| q.id == p.id) {
                    w.proofs.push(p);
                }
            }
            Action::ProofRemoved(id) => w.proofs.retain(|p| p.id != id),
            Action::Consent(b) => w.consent = b,
            Action::Submitted(outcome) => {
                w.busy = false;
                w.outcome = Some(outcome);
                w.step = 6;
            }
            Action::Restore(saved, at) => {
                let mut r = *saved;
                r.restored = Some(at);
                r.step = r.step.clamp(1, 5);
                return Rc::new(r);
            }
            Action::Reset => return Rc::new(Wizard::default()),
        }
        // A draft restored is announced on the step it came back at; moving to another step
        // ends the notice.
        if w.step != self.step {
            w.restored = None;
        }
        Rc::new(w)
    }
}

/// The kindergartens a family may name (those that take children from the queue), in the
/// order a reader of `russian` or Kazakh names expects («№ 2» before «№ 11»): the wizard and
/// «Өзгерту» offer the same list.
pub fn preference_choices(mut points: Vec<MapPoint>, russian: bool) -> Vec<MapPoint> {
    points.retain(|p| p.kind.is_queued());
    points.sort_by_cached_key(|p| baqsha_core::text::sort_key(if russian { &p.name.ru } else { &p.name.kk }));
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preference_choices_sort_numbers_by_value_and_leave_out_those_without_a_queue() {
        let point = |n: u128, kk: &str, kind: KindergartenKind| MapPoint {
            id: KindergartenId(uuid::Uuid::from_u128(n)),
            name: Names::new(kk, kk.replace("бөбекжайы", "ясли-сад")),
            kind,
            location: GeoPoint { lat: 50.0, lon: 82.0 },
            free_places: 0,
        };
        let private = KindergartenKind::ALL.into_iter().find(|k| !k.is_queued());
        let mut points = vec![point(1, "№ 11 «Ақбота» бөбекжайы", KindergartenKind::State), point(2, "№ 2 «Бота» бөбекжайы", KindergartenKind::State)];
        if let Some(kind) = private {
            points.push(point(3, "№ 1 «Жеке» бөбекжайы", kind));
        }
        let names: Vec<String> = preference_choices(points, false).into_iter().map(|p| p.name.kk).collect();
        assert_eq!(names, vec!["№ 2 «Бота» бөбекжайы", "№ 11 «Ақбота» бөбекжайы"]);
    }
    use yew::Reducible;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn iin(y: i32, m: u32, d: u32, sex: Sex) -> String {
        let birth = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        (100..200).find_map(|s| Iin::from_parts(birth, sex, s)).unwrap().as_str().to_string()
    }

    fn run(w: Wizard, actions: Vec<Action>) -> Rc<Wizard> {
        actions.into_iter().fold(Rc::new(w), |w, a| w.reduce(a))
    }

    fn filled() -> Rc<Wizard> {
        run(
            Wizard::default(),
            vec![
                Action::Start,
                Action::Contact(ContactAction::Value(Which::Phone, "8 701 123 45 67".into())),
                Action::Contact(ContactAction::Confirmed(Which::Phone)),
                Action::Next(today()),
                Action::Iin(Who::Parent, iin(1992, 3, 4, Sex::Female)),
                Action::Surname(Who::Parent, "Серікова".into()),
                Action::GivenName(Who::Parent, "Аружан".into()),
                Action::Iin(Who::Child, iin(2023, 5, 1, Sex::Male)),
                Action::Surname(Who::Child, "Серіков".into()),
                Action::GivenName(Who::Child, "Әлихан".into()),
                Action::Address("Өскемен, Абай к-сі 1".into()),
                Action::Preference(2, uuid::Uuid::from_u128(8).to_string()),
                Action::Preference(0, uuid::Uuid::from_u128(9).to_string()),
                Action::Next(today()),
            ],
        )
    }

    #[test]
    fn the_whole_way_to_an_application() {
        let w = filled();
        assert_eq!(w.step, 4, "{:?}", w.error);
        let w = run((*w).clone(), vec![Action::Next(today()), Action::Next(today())]);
        assert_eq!(w.error, Some(StepError::Rule(RuleError::NoConsent)), "consent not ticked");
        let w = w.reduce(Action::Consent(true)).reduce(Action::Next(today()));
        assert_eq!(w.error, None);
        let a = w.application(today()).unwrap();
        assert_eq!(a.preferences, vec![KindergartenId(uuid::Uuid::from_u128(9)), KindergartenId(uuid::Uuid::from_u128(8))], "in the slots' order, gaps skipped");
        assert_eq!((a.contacts.phone.as_str(), a.child.given_name.as_str(), a.child.verified), ("+77011234567", "Әлихан", false));
        assert_eq!(a.confirmation, ContactConfirmation::Codes);
    }

    #[test]
    fn a_changed_phone_is_no_longer_confirmed_and_a_refused_step_keeps_everything() {
        let w = run(
            Wizard::default(),
            vec![
                Action::Start,
                Action::Contact(ContactAction::Value(Which::Phone, "87011234567".into())),
                Action::Contact(ContactAction::Confirmed(Which::Phone)),
                Action::Contact(ContactAction::Value(Which::Phone, "87011234568".into())),
                Action::Contact(ContactAction::Value(Which::Email, "ata@example.kz".into())),
                Action::Next(today()),
            ],
        );
        assert_eq!(w.step, 2);
        assert_eq!(w.error, Some(StepError::NotConfirmed(Which::Phone)));
        assert_eq!((w.contact.phone.value.as_str(), w.contact.email.value.as_str()), ("87011234568", "ata@example.kz"));
        assert_eq!(w.codes_to_confirm(), vec![]);
        let w = w.reduce(Action::Contact(ContactAction::Code(Which::Email, "123456".into())));
        assert_eq!(w.codes_to_confirm(), vec![(Which::Email, "ata@example.kz".into(), "123456".into())]);
    }

    #[test]
    fn in_person_needs_a_document_number_instead_of_codes() {
        let w = run(
            Wizard::default(),
            vec![Action::Start, Action::Contact(ContactAction::Value(Which::Phone, "87011234567".into())), Action::Contact(ContactAction::InPerson(true)), Action::Next(today())],
        );
        assert_eq!(w.error, Some(StepError::Document));
        let w = w.reduce(Action::Contact(ContactAction::DocumentNumber("0123 45678".into()))).reduce(Action::Next(today()));
        assert_eq!(w.step, 3);
        assert!(matches!(w.contacts().unwrap().1, ContactConfirmation::InPerson { ref number, .. } if number == "012345678"));
    }

    #[test]
    fn bad_iins_and_an_adult_child_are_refused_at_step_three() {
        let base = filled();
        let mut bad = iin(2023, 5, 1, Sex::Male);
        let last = bad.pop().unwrap();
        bad.push(if last == '0' { '1' } else { '0' });
        let w = run((*base).clone(), vec![Action::Back, Action::Iin(Who::Child, bad.clone()), Action::Next(today())]);
        assert!(matches!(w.error, Some(StepError::Iin(Who::Child, IinError::CheckDigit { .. } | IinError::NeverIssued))), "{:?}", w.error);
        assert_eq!(w.child.iin, bad, "what was typed stays");
        let w = run((*w).clone(), vec![Action::Iin(Who::Child, iin(1990, 1, 1, Sex::Male)), Action::Next(today())]);
        assert!(matches!(w.error, Some(StepError::Rule(RuleError::SchoolAge { .. }))), "{:?}", w.error);
        let w = run((*w).clone(), vec![Action::Iin(Who::Child, iin(2023, 5, 1, Sex::Male)), Action::Iin(Who::Parent, iin(2015, 1, 1, Sex::Female)), Action::Next(today())]);
        assert!(matches!(w.error, Some(StepError::Rule(RuleError::ImplausibleParent { .. }))));
    }

    #[test]
    fn names_from_the_registry_are_verified_only_for_their_iin() {
        let child = iin(2023, 5, 1, Sex::Male);
        let found = PersonLookup::Found { surname: "Омаров".into(), given_name: "Нұрсұлтан".into(), patronymic: Some("Ерланұлы".into()) };
        let w = run((*filled()).clone(), vec![Action::Back, Action::LookedUp(Who::Child, child.clone(), found.clone())]);
        assert_eq!(w.child.surname, "Омаров");
        assert!(w.people(today()).unwrap().1.verified);
        let w = w.reduce(Action::Iin(Who::Child, iin(2024, 2, 2, Sex::Male)));
        assert!(!w.people(today()).unwrap().1.verified, "another IIN: typed names are not verified");
        // A late answer for the old IIN changes nothing.
        let w = w.reduce(Action::LookedUp(Who::Child, child, found));
        assert_eq!(w.child.lookup, None);
    }

    #[test]
    fn a_benefit_needs_a_proof_and_a_draft_round_trips() {
        let w = run((*filled()).clone(), vec![Action::Benefit("large_family".into()), Action::Next(today())]);
        assert_eq!(w.error, Some(StepError::Rule(RuleError::ProofRequired)));
        let w = w.reduce(Action::ProofAdded(ProofInfo { id: "ab".into(), name: "a.jpg".into(), size: 10 })).reduce(Action::Next(today()));
        assert_eq!(w.step, 5);
        let json = serde_json::to_string(&*w).unwrap();
        let back: Wizard = serde_json::from_str(&json).unwrap();
        let at = chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap();
        let r = Rc::new(Wizard::default()).reduce(Action::Restore(Box::new(back), at));
        assert_eq!((r.step, r.proofs.len(), r.child.given_name.as_str(), r.restored), (5, 1, "Әлихан", Some(at)));
        // The notice stays while the step is worked on, and goes with a step back or forward.
        let typed = r.clone().reduce(Action::Address("Өскемен қ.".into()));
        assert_eq!(typed.restored, Some(at));
        assert_eq!(typed.reduce(Action::Back).restored, None);
    }
}
