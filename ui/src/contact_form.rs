//! The parent's phones and e-mail as typed, each confirmed by a code sent to it, or all at
//! once by the parent's identity document at the desk. The wizard's step 2 and «Өзгерту»
//! share it, so a changed contact is confirmed exactly as a new one. Pure, tested natively.

use baqsha_api::{ApiError, CodeSent};
use baqsha_core::command::{check_document_number, contact_targets, ContactConfirmation, IdDocument};
use baqsha_core::*;
use serde::{Deserialize, Serialize};

/// A phone or the e-mail, with its code.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub value: String,
    pub code: String,
    /// The value a code confirmed; typing another value un-confirms it.
    pub confirmed: Option<String>,
    #[serde(skip)]
    pub note: Option<ContactNote>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ContactNote {
    Sent(CodeSent),
    Failed(ApiError),
}

impl Contact {
    pub fn is_confirmed(&self) -> bool {
        !self.value.trim().is_empty() && self.confirmed.as_deref() == Some(self.value.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Which {
    Phone,
    ExtraPhone,
    Email,
}

impl Which {
    pub const ALL: [Which; 3] = [Which::Phone, Which::ExtraPhone, Which::Email];
}

/// What is wrong with the contacts.
#[derive(Debug, Clone, PartialEq)]
pub enum ContactError {
    Phone(Which, PhoneError),
    Email(EmailError),
    NotConfirmed(Which),
    Document,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactForm {
    pub phone: Contact,
    pub extra_phone: Contact,
    pub email: Contact,
    pub in_person: bool,
    /// An `IdDocument` code.
    pub document: String,
    pub document_number: String,
}

impl Default for ContactForm {
    fn default() -> Self {
        ContactForm {
            phone: Contact::default(),
            extra_phone: Contact::default(),
            email: Contact::default(),
            in_person: false,
            document: IdDocument::IdCard.code().into(),
            document_number: String::new(),
        }
    }
}

/// A keystroke or an answer of the desk.
#[derive(Debug, Clone, PartialEq)]
pub enum ContactAction {
    Value(Which, String),
    Code(Which, String),
    Sent(Which, Result<CodeSent, ApiError>),
    Confirmed(Which),
    InPerson(bool),
    Document(String),
    DocumentNumber(String),
}

impl ContactForm {
    /// The contacts an application has, as the form starts from them.
    pub fn of(c: &Contacts) -> ContactForm {
        let typed = |v: &str| Contact { value: v.to_string(), ..Default::default() };
        ContactForm {
            phone: typed(c.phone.as_str()),
            extra_phone: typed(c.extra_phone.as_ref().map(|p| p.as_str()).unwrap_or_default()),
            email: typed(c.email.as_ref().map(|e| e.as_str()).unwrap_or_default()),
            ..Default::default()
        }
    }

    pub fn contact(&self, w: Which) -> &Contact {
        match w {
            Which::Phone => &self.phone,
            Which::ExtraPhone => &self.extra_phone,
            Which::Email => &self.email,
        }
    }

    fn contact_mut(&mut self, w: Which) -> &mut Contact {
        match w {
            Which::Phone => &mut self.phone,
            Which::ExtraPhone => &mut self.extra_phone,
            Which::Email => &mut self.email,
        }
    }

    pub fn apply(&mut self, action: ContactAction) {
        match action {
            ContactAction::Value(w, v) => self.contact_mut(w).value = v,
            ContactAction::Code(w, v) => self.contact_mut(w).code = v,
            ContactAction::Sent(w, r) => {
                self.contact_mut(w).note = Some(match r {
                    Ok(sent) => ContactNote::Sent(sent),
                    Err(e) => ContactNote::Failed(e),
                })
            }
            ContactAction::Confirmed(w) => {
                let c = self.contact_mut(w);
                c.confirmed = Some(c.value.trim().to_string());
                c.note = None;
            }
            ContactAction::InPerson(b) => self.in_person = b,
            ContactAction::Document(v) => self.document = v,
            ContactAction::DocumentNumber(v) => self.document_number = v,
        }
    }

    /// The contacts as typed, each parsed (the main phone is required).
    pub fn contacts(&self) -> Result<Contacts, ContactError> {
        let phone = Phone::parse(&self.phone.value).map_err(|e| ContactError::Phone(Which::Phone, e))?;
        let extra_phone = match self.extra_phone.value.trim() {
            "" => None,
            p => Some(Phone::parse(p).map_err(|e| ContactError::Phone(Which::ExtraPhone, e))?),
        };
        let email = match self.email.value.trim() {
            "" => None,
            e => Some(Email::parse(e).map_err(ContactError::Email)?),
        };
        Ok(Contacts { phone, extra_phone, email })
    }

    /// The typed contacts that `asked` names (those that need confirming), which are not empty.
    fn typed<'a>(&'a self, asked: &'a [Which]) -> impl Iterator<Item = Which> + 'a {
        asked.iter().copied().filter(|w| !self.contact(*w).value.trim().is_empty())
    }

    /// How the contacts in `asked` are confirmed: by the parent's document at the desk, or
    /// each by the code sent to it.
    pub fn confirmation(&self, asked: &[Which]) -> Result<ContactConfirmation, ContactError> {
        if self.in_person {
            let number = check_document_number(&self.document_number).map_err(|_| ContactError::Document)?;
            let document = IdDocument::from_code(&self.document).unwrap_or(IdDocument::IdCard);
            return Ok(ContactConfirmation::InPerson { document, number });
        }
        match self.typed(asked).find(|w| !self.contact(*w).is_confirmed()) {
            Some(w) => Err(ContactError::NotConfirmed(w)),
            None => Ok(ContactConfirmation::Codes),
        }
    }

    /// Contacts of `asked` with a typed code still to check with the desk.
    pub fn codes_to_confirm(&self, asked: &[Which]) -> Vec<(Which, String, String)> {
        if self.in_person {
            return vec![];
        }
        self.typed(asked)
            .filter_map(|w| {
                let c = self.contact(w);
                (!c.is_confirmed() && !c.code.trim().is_empty()).then(|| (w, c.value.trim().to_string(), c.code.clone()))
            })
            .collect()
    }

    /// The contacts typed now that `before` did not have: these are confirmed in «Өзгерту».
    /// One that does not parse counts as new (its error is named when it is saved).
    pub fn new_since(&self, before: &Contacts) -> Vec<Which> {
        let known = contact_targets(before);
        let target = |w: Which, v: &str| match w {
            Which::Email => Email::parse(v).ok().map(|e| e.as_str().to_string()),
            _ => Phone::parse(v).ok().map(|p| p.as_str().to_string()),
        };
        Which::ALL
            .into_iter()
            .filter(|w| {
                let v = self.contact(*w).value.trim();
                !v.is_empty() && target(*w, v).is_none_or(|t| !known.contains(&t))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> Contacts {
        Contacts { phone: Phone::parse("87011234567").unwrap(), extra_phone: None, email: Some(Email::parse("ata@example.kz").unwrap()) }
    }

    #[test]
    fn only_a_contact_the_application_did_not_have_is_new() {
        let mut f = ContactForm::of(&saved());
        assert_eq!(f.new_since(&saved()), vec![]);
        assert_eq!(f.confirmation(&f.new_since(&saved())), Ok(ContactConfirmation::Codes));
        // The same phone typed another way, and the old main phone moved to additional: not new.
        f.apply(ContactAction::Value(Which::Phone, "+7 (747) 000-11-22".into()));
        f.apply(ContactAction::Value(Which::ExtraPhone, "8 701 123 45 67".into()));
        assert_eq!(f.new_since(&saved()), vec![Which::Phone]);
        f.apply(ContactAction::Value(Which::Email, "жаңа@".into()));
        assert_eq!(f.new_since(&saved()), vec![Which::Phone, Which::Email], "a malformed e-mail is new");
    }

    #[test]
    fn a_new_contact_needs_its_code_or_the_parents_document() {
        let mut f = ContactForm::of(&saved());
        f.apply(ContactAction::Value(Which::Phone, "+77470001122".into()));
        let asked = f.new_since(&saved());
        assert_eq!(f.confirmation(&asked), Err(ContactError::NotConfirmed(Which::Phone)));
        f.apply(ContactAction::Code(Which::Phone, "123 456".into()));
        assert_eq!(f.codes_to_confirm(&asked), vec![(Which::Phone, "+77470001122".into(), "123 456".into())]);
        f.apply(ContactAction::Confirmed(Which::Phone));
        assert_eq!((f.confirmation(&asked), f.codes_to_confirm(&asked)), (Ok(ContactConfirmation::Codes), vec![]));
        // Typing another number un-confirms it.
        f.apply(ContactAction::Value(Which::Phone, "+77470001123".into()));
        assert_eq!(f.confirmation(&f.new_since(&saved())), Err(ContactError::NotConfirmed(Which::Phone)));
        f.apply(ContactAction::InPerson(true));
        assert_eq!(f.confirmation(&asked), Err(ContactError::Document));
        f.apply(ContactAction::DocumentNumber("N 1234567".into()));
        assert!(matches!(f.confirmation(&asked), Ok(ContactConfirmation::InPerson { number, .. }) if number == "N1234567"));
    }
}
