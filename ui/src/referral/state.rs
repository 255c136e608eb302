//! «Жолдама алу» inside «Кезекті тексеру»: the places this application may take, the choice,
//! «ТАҢДАУДЫ РАСТАУ» (a code to the application's phone, or the parent's identity document at
//! the desk), the referral given; and for a referred application, its extension or refusal.
//! Pure, tested natively; what was typed survives a refused step.

use baqsha_api::{ApiError, CodeSent, PlaceChoice, ReferralTaken, ReferralView};
use baqsha_core::command::{ContactConfirmation, IdDocument, RuleError};
use baqsha_core::VacancyId;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// The button only.
    Closed,
    Choose,
    Confirm,
    Done(Box<ReferralTaken>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReferralState {
    pub step: Step,
    /// None until the shell answered.
    pub choices: Option<Vec<PlaceChoice>>,
    pub selected: Option<VacancyId>,
    pub code: String,
    pub code_sent: Option<CodeSent>,
    pub in_person: bool,
    pub document: IdDocument,
    pub document_number: String,
    pub busy: bool,
    pub error: Option<ApiError>,
    /// The application's referral, once it has one.
    pub referral: Option<ReferralView>,
    pub extend_until: String,
    pub refuse_reason: String,
    /// A message after an extension or refusal (an i18n id and a date argument).
    pub notice: Option<(&'static str, String)>,
    /// The desk belongs to a region: «Жолдама алу» waits for the server's decision.
    pub joined: bool,
    /// The region's server was away at the last round: only the office's leased places.
    pub offline: bool,
}

impl Default for ReferralState {
    fn default() -> Self {
        ReferralState {
            step: Step::Closed,
            choices: None,
            selected: None,
            code: String::new(),
            code_sent: None,
            in_person: false,
            document: IdDocument::IdCard,
            document_number: String::new(),
            busy: false,
            error: None,
            referral: None,
            extend_until: String::new(),
            refuse_reason: String::new(),
            notice: None,
            joined: false,
            offline: false,
        }
    }
}

impl ReferralState {
    pub fn chosen(&self) -> Option<&PlaceChoice> {
        let v = self.selected?;
        self.choices.as_ref()?.iter().find(|c| c.vacancy == v)
    }

    /// How the choice is confirmed, when enough was typed to ask the shell.
    pub fn confirmation(&self) -> Option<ContactConfirmation> {
        if self.in_person {
            let number = self.document_number.trim();
            (!number.is_empty()).then(|| ContactConfirmation::InPerson { document: self.document, number: number.to_string() })
        } else {
            (self.code.trim().len() == 6).then_some(ContactConfirmation::Codes)
        }
    }
}

pub enum Action {
    Choices(Result<Vec<PlaceChoice>, ApiError>),
    Open,
    Select(VacancyId),
    Next,
    Back,
    Code(String),
    CodeSent(Result<CodeSent, ApiError>),
    InPerson(bool),
    Document(IdDocument),
    DocumentNumber(String),
    Busy,
    /// The code was refused, or the referral: the step stays with what was typed.
    Refused(ApiError),
    Taken(ReferralTaken),
    Referral(Option<ReferralView>),
    ExtendUntil(String),
    RefuseReason(String),
    /// An extension or refusal went through; the referral as it is now.
    Changed(ReferralView, &'static str, String),
    /// The desk's sync line (asked once the panel opens).
    Line(baqsha_api::SyncStatus),
}

impl Reducible for ReferralState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Choices(Ok(list)) => {
                // The place the queue offered comes first and is chosen unless the operator
                // chose another that is still open.
                if s.selected.is_none_or(|v| !list.iter().any(|c| c.vacancy == v)) {
                    s.selected = list.iter().find(|c| c.offered).or(list.first()).map(|c| c.vacancy);
                }
                s.choices = Some(list);
                s.busy = false;
            }
            Action::Choices(Err(e)) => {
                s.error = Some(e);
                s.busy = false;
            }
            Action::Open => {
                s.step = Step::Choose;
                s.error = None;
            }
            Action::Select(v) => s.selected = Some(v),
            Action::Next => {
                if s.chosen().is_some() {
                    s.step = Step::Confirm;
                    s.error = None;
                }
            }
            Action::Back => {
                s.step = Step::Choose;
                s.error = None;
            }
            Action::Code(c) => s.code = c.chars().filter(char::is_ascii_digit).take(6).collect(),
            Action::CodeSent(Ok(sent)) => {
                s.code_sent = Some(sent);
                s.error = None;
                s.busy = false;
            }
            Action::CodeSent(Err(e)) | Action::Refused(e) => {
                // A place taken while choosing: back to the list, which the page reloads.
                if matches!(e, ApiError::Rule { rule: RuleError::PlaceTaken }) {
                    s.step = Step::Choose;
                    s.selected = None;
                }
                s.error = Some(e);
                s.busy = false;
            }
            Action::InPerson(on) => s.in_person = on,
            Action::Document(d) => s.document = d,
            Action::DocumentNumber(n) => s.document_number = n,
            Action::Busy => {
                s.busy = true;
                s.error = None;
            }
            Action::Taken(t) => {
                s.referral = Some(t.referral.clone());
                s.step = Step::Done(Box::new(t));
                s.busy = false;
                s.code.clear();
            }
            Action::Referral(r) => s.referral = r,
            Action::Line(line) => {
                s.joined = line.joined;
                s.offline = line.joined && line.online == Some(false);
            }
            Action::ExtendUntil(d) => s.extend_until = d,
            Action::RefuseReason(r) => s.refuse_reason = r,
            Action::Changed(view, notice, arg) => {
                // A referral refused ends here: the card goes back to what a queued
                // application shows (its turn may come again).
                if !view.referral.status.is_live() {
                    s.step = Step::Closed;
                    s.choices = None;
                }
                s.referral = Some(view);
                s.notice = Some((notice, arg));
                s.refuse_reason.clear();
                s.busy = false;
                s.error = None;
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baqsha_core::*;
    use uuid::Uuid;

    fn choice(n: u128, offered: bool) -> PlaceChoice {
        PlaceChoice {
            vacancy: VacancyId(Uuid::from_u128(n)),
            kindergarten: KindergartenId(Uuid::from_u128(100 + n)),
            group: GroupId(Uuid::from_u128(200 + n)),
            kindergarten_name: Names::new(format!("№ {n} балабақша"), format!("Детский сад № {n}")),
            address: Names::new("Өскемен", "Усть-Каменогорск"),
            group_name: "Балапан".into(),
            age: AgeBand { from_years: 3, to_years: 4 },
            language: Language::Kk,
            offered,
            respond_by: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            lease: None,
        }
    }

    fn run(actions: Vec<Action>) -> ReferralState {
        let mut s = Rc::new(ReferralState::default());
        for a in actions {
            s = s.reduce(a);
        }
        (*s).clone()
    }

    #[test]
    fn the_offered_place_is_chosen_first_and_confirming_needs_a_whole_code_or_a_document() {
        let s = run(vec![Action::Choices(Ok(vec![choice(1, false), choice(2, true)])), Action::Open, Action::Next, Action::Code("12a34".into())]);
        assert_eq!(s.selected, Some(VacancyId(Uuid::from_u128(2))));
        assert_eq!(s.step, Step::Confirm);
        assert_eq!((s.code.as_str(), s.confirmation()), ("1234", None));
        let s = run(vec![Action::Choices(Ok(vec![choice(2, true)])), Action::Open, Action::Next, Action::Code("123456".into())]);
        assert_eq!(s.confirmation(), Some(ContactConfirmation::Codes));
        let s = run(vec![Action::InPerson(true), Action::DocumentNumber(" 012345678 ".into())]);
        assert_eq!(s.confirmation(), Some(ContactConfirmation::InPerson { document: IdDocument::IdCard, number: "012345678".into() }));
    }

    #[test]
    fn a_wrong_code_keeps_the_step_and_a_place_taken_returns_to_the_list() {
        let base = vec![
            Action::Choices(Ok(vec![choice(2, true), choice(3, false)])),
            Action::Open,
            Action::Select(VacancyId(Uuid::from_u128(3))),
            Action::Next,
            Action::Code("999999".into()),
            Action::Busy,
        ];
        let mut wrong = base;
        wrong.push(Action::Refused(ApiError::Code { error: baqsha_core::codes::CodeError::Wrong { left: 4 } }));
        let s = run(wrong);
        assert_eq!((s.step.clone(), s.code.as_str(), s.busy), (Step::Confirm, "999999", false));
        let s = run(vec![
            Action::Choices(Ok(vec![choice(2, true), choice(3, false)])),
            Action::Open,
            Action::Select(VacancyId(Uuid::from_u128(3))),
            Action::Next,
            Action::Refused(ApiError::Rule { rule: RuleError::PlaceTaken }),
            // The page reloads the places still open: the one taken is gone.
            Action::Choices(Ok(vec![choice(2, true)])),
        ]);
        assert_eq!(s.step, Step::Choose);
        assert_eq!(s.selected, Some(VacancyId(Uuid::from_u128(2))));
        assert!(matches!(s.error, Some(ApiError::Rule { rule: RuleError::PlaceTaken })));
    }
}
