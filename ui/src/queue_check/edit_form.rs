//! The «Өзгерту» form's state: what the operator typed, checked by the core as it is sent;
//! a refused form keeps every field. Pure, tested natively.

use crate::contact_form::{ContactAction, ContactError, ContactForm, Which};
use baqsha_api::{ApplicationView, ProofInfo};
use baqsha_core::command::{ApplicationChanges, ContactConfirmation};
use baqsha_core::*;

#[derive(Debug, Clone, PartialEq)]
pub struct EditForm {
    pub application: ApplicationId,
    pub number: String,
    /// The contacts as saved: a phone or e-mail not among them is new, and is confirmed
    /// as in the wizard.
    pub before: Contacts,
    pub contact: ContactForm,
    pub address: String,
    pub language: String,
    /// Kindergarten ids as text, one per slot (the `max_preferences` setting, or more when
    /// the application already names more); empty = not chosen.
    pub preferences: Vec<String>,
    /// A `BenefitKind` code, or empty for none.
    pub benefit: String,
    /// The benefit as saved: another one brings its proofs and is verified again.
    pub before_benefit: String,
    pub proofs: Vec<ProofInfo>,
}

/// Which field is wrong, and why.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldError {
    Contact(ContactError),
    Address,
    Preferences,
    ProofRequired,
}

impl EditForm {
    pub fn from_view(v: &ApplicationView, max_preferences: usize) -> EditForm {
        let a = &v.application;
        let mut preferences: Vec<String> = a.preferences.iter().map(|k| k.to_string()).collect();
        preferences.resize(preferences.len().max(max_preferences), String::new());
        let benefit = a.benefit.as_ref().map(|b| b.kind.code().to_string()).unwrap_or_default();
        EditForm {
            application: a.id,
            number: a.number.clone(),
            before: a.contacts.clone(),
            contact: ContactForm::of(&a.contacts),
            address: a.address.clone(),
            language: a.language.code().to_string(),
            preferences,
            before_benefit: benefit.clone(),
            benefit,
            proofs: vec![],
        }
    }

    /// The contacts to confirm: those the application did not have.
    pub fn asked(&self) -> Vec<Which> {
        self.contact.new_since(&self.before)
    }

    /// A benefit other than the saved one is chosen: it needs its proofs («Шолу»).
    pub fn benefit_is_new(&self) -> bool {
        !self.benefit.is_empty() && self.benefit != self.before_benefit
    }

    /// The command's changes, or the first field to correct.
    pub fn changes(&self) -> Result<ApplicationChanges, FieldError> {
        let contacts = self.contact.contacts().map_err(FieldError::Contact)?;
        if self.address.trim().is_empty() {
            return Err(FieldError::Address);
        }
        let preferences = preferences_of(&self.preferences).ok_or(FieldError::Preferences)?;
        let proofs = if self.benefit_is_new() { self.proofs.iter().map(|p| p.id.clone()).collect() } else { vec![] };
        if self.benefit_is_new() && proofs.is_empty() {
            return Err(FieldError::ProofRequired);
        }
        Ok(ApplicationChanges {
            contacts,
            address: self.address.trim().to_string(),
            preferences,
            language: Language::from_code(&self.language).unwrap_or(Language::Kk),
            benefit: BenefitKind::from_code(&self.benefit),
            proofs,
        })
    }

    /// How the new contacts were confirmed; None when none is new.
    pub fn confirmation(&self) -> Result<Option<ContactConfirmation>, FieldError> {
        let asked = self.asked();
        if asked.is_empty() {
            return Ok(None);
        }
        self.contact.confirmation(&asked).map(Some).map_err(FieldError::Contact)
    }
}

/// The kindergartens chosen in the slots, in order, each once; None when none is chosen
/// (or a slot holds something that is not an id). Shared by «Өзгерту» and the wizard.
pub fn preferences_of(slots: &[String]) -> Option<Vec<KindergartenId>> {
    let mut out = vec![];
    for p in slots.iter().filter(|p| !p.is_empty()) {
        let id = KindergartenId(p.parse().ok()?);
        if !out.contains(&id) {
            out.push(id);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A field typed or chosen. Applied by the reducer to the newest form, so fast typing (or a
/// scanner) never works on a stale copy.
pub enum Field {
    Contact(ContactAction),
    Address(String),
    Language(String),
    Preference(usize, String),
    Benefit(String),
    ProofAdded(ProofInfo),
    ProofRemoved(String),
}

impl yew::Reducible for EditForm {
    type Action = Field;
    fn reduce(self: std::rc::Rc<Self>, field: Field) -> std::rc::Rc<Self> {
        let mut f = (*self).clone();
        match field {
            Field::Contact(a) => f.contact.apply(a),
            Field::Address(v) => f.address = v,
            Field::Language(v) => f.language = v,
            Field::Preference(i, v) => {
                if let Some(p) = f.preferences.get_mut(i) {
                    *p = v;
                }
            }
            Field::Benefit(v) => f.benefit = v,
            Field::ProofAdded(p) => {
                if !f.proofs.iter().any(|q| q.id == p.id) {
                    f.proofs.push(p);
                }
            }
            Field::ProofRemoved(id) => f.proofs.retain(|p| p.id != id),
        }
        std::rc::Rc::new(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yew::Reducible;

    fn form() -> EditForm {
        let before = Contacts { phone: Phone::parse("8 701 123 45 67").unwrap(), extra_phone: None, email: None };
        EditForm {
            application: ApplicationId(uuid::Uuid::from_u128(1)),
            number: "VKO-1".into(),
            contact: ContactForm::of(&before),
            before,
            address: "Өскемен".into(),
            language: "kk".into(),
            preferences: vec![uuid::Uuid::from_u128(5).to_string(), String::new(), uuid::Uuid::from_u128(5).to_string()],
            benefit: String::new(),
            before_benefit: String::new(),
            proofs: vec![],
        }
    }

    fn typed(f: EditForm, w: Which, v: &str) -> EditForm {
        (*std::rc::Rc::new(f).reduce(Field::Contact(ContactAction::Value(w, v.into())))).clone()
    }

    #[test]
    fn a_good_form_becomes_changes_with_duplicates_dropped() {
        let c = form().changes().unwrap();
        assert_eq!(c.contacts.phone.as_str(), "+77011234567");
        assert_eq!(c.preferences.len(), 1);
        assert_eq!(c.benefit, None);
        assert_eq!(form().confirmation(), Ok(None), "nothing new: nothing to confirm");
    }

    #[test]
    fn fields_apply_to_the_newest_form() {
        let f = std::rc::Rc::new(form())
            .reduce(Field::Address("A".into()))
            .reduce(Field::Contact(ContactAction::Value(Which::Phone, "B".into())))
            .reduce(Field::Preference(1, "x".into()));
        assert_eq!((f.address.as_str(), f.contact.phone.value.as_str(), f.preferences[1].as_str()), ("A", "B", "x"));
    }

    #[test]
    fn each_bad_field_is_named() {
        let f = typed(form(), Which::Phone, "8 701 123");
        assert!(matches!(f.changes(), Err(FieldError::Contact(ContactError::Phone(Which::Phone, _)))));
        let f = typed(form(), Which::Email, "ata@");
        assert!(matches!(f.changes(), Err(FieldError::Contact(ContactError::Email(_)))));
        let mut f = form();
        f.preferences = vec![String::new(); 3];
        assert_eq!(f.changes().unwrap_err(), FieldError::Preferences);
        let mut f = form();
        f.address = "  ".into();
        assert_eq!(f.changes().unwrap_err(), FieldError::Address);
    }

    #[test]
    fn a_new_phone_is_confirmed_and_a_new_benefit_proved() {
        let f = typed(form(), Which::Phone, "+7 747 000 11 22");
        assert_eq!(f.asked(), vec![Which::Phone]);
        assert_eq!(f.confirmation(), Err(FieldError::Contact(ContactError::NotConfirmed(Which::Phone))));
        let f = std::rc::Rc::new(f).reduce(Field::Contact(ContactAction::Confirmed(Which::Phone)));
        assert_eq!(f.confirmation(), Ok(Some(ContactConfirmation::Codes)));
        let f = f.reduce(Field::Benefit("large_family".into()));
        assert_eq!(f.changes().unwrap_err(), FieldError::ProofRequired);
        let f = f.reduce(Field::ProofAdded(ProofInfo { id: "ab".into(), name: "a.jpg".into(), size: 9 }));
        assert_eq!(f.changes().unwrap().proofs, vec!["ab".to_string()]);
        // Back to the saved benefit (none): no proofs are sent.
        assert_eq!(f.reduce(Field::Benefit(String::new())).changes().unwrap().proofs, Vec::<String>::new());
    }
}
