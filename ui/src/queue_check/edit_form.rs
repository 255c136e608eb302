//! The «Өзгерту» form's state: what the operator typed, checked by the core as it is sent;
//! a refused form keeps every field. Pure, tested natively.

use baqsha_api::ApplicationView;
use baqsha_core::command::ApplicationChanges;
use baqsha_core::*;

#[derive(Debug, Clone, PartialEq)]
pub struct EditForm {
    pub application: ApplicationId,
    pub number: String,
    pub phone: String,
    pub extra_phone: String,
    pub email: String,
    pub address: String,
    pub language: String,
    /// Kindergarten ids as text, one per slot (the `max_preferences` setting, or more when
    /// the application already names more); empty = not chosen.
    pub preferences: Vec<String>,
    /// A `BenefitKind` code, or empty for none.
    pub benefit: String,
}

/// Which field is wrong, and why.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldError {
    Phone(PhoneError),
    ExtraPhone(PhoneError),
    Email(EmailError),
    Address,
    Preferences,
}

impl EditForm {
    pub fn from_view(v: &ApplicationView, max_preferences: usize) -> EditForm {
        let a = &v.application;
        let mut preferences: Vec<String> = a.preferences.iter().map(|k| k.to_string()).collect();
        preferences.resize(preferences.len().max(max_preferences), String::new());
        EditForm {
            application: a.id,
            number: a.number.clone(),
            phone: a.contacts.phone.as_str().to_string(),
            extra_phone: a.contacts.extra_phone.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default(),
            email: a.contacts.email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default(),
            address: a.address.clone(),
            language: a.language.code().to_string(),
            preferences,
            benefit: a.benefit.as_ref().map(|b| b.kind.code().to_string()).unwrap_or_default(),
        }
    }

    /// The command's changes, or the first field to correct.
    pub fn changes(&self) -> Result<ApplicationChanges, FieldError> {
        let phone = Phone::parse(&self.phone).map_err(FieldError::Phone)?;
        let extra_phone = match self.extra_phone.trim() {
            "" => None,
            p => Some(Phone::parse(p).map_err(FieldError::ExtraPhone)?),
        };
        let email = match self.email.trim() {
            "" => None,
            e => Some(Email::parse(e).map_err(FieldError::Email)?),
        };
        if self.address.trim().is_empty() {
            return Err(FieldError::Address);
        }
        let preferences = preferences_of(&self.preferences).ok_or(FieldError::Preferences)?;
        Ok(ApplicationChanges {
            contacts: Contacts { phone, extra_phone, email },
            address: self.address.trim().to_string(),
            preferences,
            language: Language::from_code(&self.language).unwrap_or(Language::Kk),
            benefit: BenefitKind::from_code(&self.benefit),
        })
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
    Phone(String),
    ExtraPhone(String),
    Email(String),
    Address(String),
    Language(String),
    Preference(usize, String),
    Benefit(String),
}

impl yew::Reducible for EditForm {
    type Action = Field;
    fn reduce(self: std::rc::Rc<Self>, field: Field) -> std::rc::Rc<Self> {
        let mut f = (*self).clone();
        match field {
            Field::Phone(v) => f.phone = v,
            Field::ExtraPhone(v) => f.extra_phone = v,
            Field::Email(v) => f.email = v,
            Field::Address(v) => f.address = v,
            Field::Language(v) => f.language = v,
            Field::Preference(i, v) => {
                if let Some(p) = f.preferences.get_mut(i) {
                    *p = v;
                }
            }
            Field::Benefit(v) => f.benefit = v,
        }
        std::rc::Rc::new(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> EditForm {
        EditForm {
            application: ApplicationId(uuid::Uuid::from_u128(1)),
            number: "VKO-1".into(),
            phone: "8 701 123 45 67".into(),
            extra_phone: String::new(),
            email: String::new(),
            address: "Өскемен".into(),
            language: "kk".into(),
            preferences: vec![uuid::Uuid::from_u128(5).to_string(), String::new(), uuid::Uuid::from_u128(5).to_string()],
            benefit: String::new(),
        }
    }

    #[test]
    fn a_good_form_becomes_changes_with_duplicates_dropped() {
        let c = form().changes().unwrap();
        assert_eq!(c.contacts.phone.as_str(), "+77011234567");
        assert_eq!(c.preferences.len(), 1);
        assert_eq!(c.benefit, None);
    }

    #[test]
    fn fields_apply_to_the_newest_form() {
        use yew::Reducible;
        let f = std::rc::Rc::new(form()).reduce(Field::Address("A".into())).reduce(Field::Phone("B".into())).reduce(Field::Preference(1, "x".into()));
        assert_eq!((f.address.as_str(), f.phone.as_str(), f.preferences[1].as_str()), ("A", "B", "x"));
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut f = form();
        f.phone = "8 701 123".into();
        assert!(matches!(f.changes(), Err(FieldError::Phone(_))));
        let mut f = form();
        f.email = "ata@".into();
        assert!(matches!(f.changes(), Err(FieldError::Email(_))));
        let mut f = form();
        f.preferences = vec![String::new(); 3];
        assert_eq!(f.changes().unwrap_err(), FieldError::Preferences);
        let mut f = form();
        f.address = "  ".into();
        assert_eq!(f.changes().unwrap_err(), FieldError::Address);
    }
}
