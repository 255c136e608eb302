//! The state of «Кезекті тексеру»: the IIN typed (checked as it is typed, by the core), the
//! applications found, and the withdrawal being confirmed. Pure, tested natively.

use baqsha_api::{ApiError, ApplicationView, Printed};
use baqsha_core::{ApplicationId, Iin, IinError, Lang};
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Nothing,
    Searching,
    Results(Vec<ApplicationView>),
    Failed(ApiError),
}

/// A withdrawal waiting for the operator's confirmation; the reason stays while it is open.
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawal {
    pub application: ApplicationId,
    pub number: String,
    pub reason: String,
    pub busy: bool,
    pub error: Option<ApiError>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueCheckState {
    pub iin: String,
    /// Shown once the operator tries to search; None while the IIN is fine or being typed.
    pub iin_error: Option<IinError>,
    pub found: Found,
    pub withdrawal: Option<Withdrawal>,
    /// The application whose «Өзгерту» form is open.
    pub editing: Option<ApplicationId>,
    pub print_lang: Lang,
    pub printed: Option<Result<Printed, ApiError>>,
}

impl QueueCheckState {
    pub fn new(screen: Lang) -> QueueCheckState {
        QueueCheckState { iin: String::new(), iin_error: None, found: Found::Nothing, withdrawal: None, editing: None, print_lang: screen.of_documents(), printed: None }
    }
}

// An action is dispatched and dropped at once; the card it may carry is not worth a Box.
#[allow(clippy::large_enum_variant)]
pub enum Action {
    Iin(String),
    /// Search pressed: the IIN is parsed; a bad one is explained and nothing is asked.
    Search,
    Found(Vec<ApplicationView>),
    Failed(ApiError),
    AskWithdraw(ApplicationId, String),
    Reason(String),
    CancelWithdraw,
    Withdrawing,
    /// A withdrawal or an edit went through: the card shows the application as it is now.
    Updated(ApplicationView),
    AskEdit(ApplicationId),
    CancelEdit,
    WithdrawFailed(ApiError),
    PrintLang(String),
    Printed(Result<Printed, ApiError>),
}

impl QueueCheckState {
    /// The IIN to search for, if it is valid.
    pub fn valid_iin(&self) -> Option<Iin> {
        Iin::parse(&self.iin).ok()
    }
}

impl Reducible for QueueCheckState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Iin(v) => {
                // Explained as the twelfth digit is typed, as the wizard does.
                s.iin_error = Iin::typing_error(&v);
                s.iin = v;
            }
            Action::Search => match Iin::parse(&s.iin) {
                Ok(_) => {
                    s.found = Found::Searching;
                    s.printed = None;
                }
                Err(e) => s.iin_error = Some(e),
            },
            Action::Found(v) => s.found = Found::Results(v),
            Action::Failed(e) => s.found = Found::Failed(e),
            Action::AskWithdraw(application, number) => s.withdrawal = Some(Withdrawal { application, number, reason: String::new(), busy: false, error: None }),
            Action::Reason(r) => {
                if let Some(w) = &mut s.withdrawal {
                    w.reason = r;
                    w.error = None;
                }
            }
            Action::CancelWithdraw => s.withdrawal = None,
            Action::Withdrawing => {
                if let Some(w) = &mut s.withdrawal {
                    w.busy = true;
                }
            }
            Action::AskEdit(id) => s.editing = Some(id),
            Action::CancelEdit => s.editing = None,
            Action::Updated(view) => {
                s.withdrawal = None;
                s.editing = None;
                // A certificate printed before the edit no longer says what the card says.
                s.printed = None;
                if let Found::Results(list) = &mut s.found {
                    for v in list.iter_mut().filter(|v| v.application.id == view.application.id) {
                        *v = view.clone();
                    }
                }
            }
            // The dialog stays open with the reason typed, and says why.
            Action::WithdrawFailed(e) => {
                if let Some(w) = &mut s.withdrawal {
                    w.busy = false;
                    w.error = Some(e);
                }
            }
            Action::PrintLang(l) => s.print_lang = Lang::from_code(&l).map(Lang::of_documents).unwrap_or(s.print_lang),
            Action::Printed(r) => s.printed = Some(r),
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baqsha_core::command::RuleError;

    fn valid() -> String {
        let birth = chrono::NaiveDate::from_ymd_opt(2023, 3, 14).unwrap();
        (1..).find_map(|n| Iin::from_parts(birth, baqsha_core::Sex::Female, n)).unwrap().as_str().to_string()
    }

    /// The valid IIN with another last digit: a wrong check digit.
    fn mistyped() -> String {
        let v = valid();
        let last = v.as_bytes()[11] - b'0';
        format!("{}{}", &v[..11], (last + 1) % 10)
    }

    fn run(actions: Vec<Action>) -> QueueCheckState {
        let mut s = Rc::new(QueueCheckState::new(Lang::Kk));
        for a in actions {
            s = s.reduce(a);
        }
        (*s).clone()
    }

    #[test]
    fn a_wrong_check_digit_is_explained_and_the_iin_kept() {
        let s = run(vec![Action::Iin(mistyped()), Action::Search]);
        assert!(matches!(s.iin_error, Some(IinError::CheckDigit { .. })), "{:?}", s.iin_error);
        assert_eq!(s.iin, mistyped());
        assert_eq!(s.found, Found::Nothing, "nothing was asked of the shell");
        // Explained at once, as the twelfth digit is typed; a digit taken away clears it.
        let s = run(vec![Action::Iin(mistyped())]);
        assert!(matches!(s.iin_error, Some(IinError::CheckDigit { .. })), "{:?}", s.iin_error);
        let s = run(vec![Action::Iin(mistyped()), Action::Search, Action::Iin(valid()[..11].to_string())]);
        assert_eq!(s.iin_error, None);
    }

    #[test]
    fn a_valid_iin_searches() {
        let spaced = format!("{} {}", &valid()[..6], &valid()[6..]);
        let s = run(vec![Action::Iin(spaced), Action::Search]);
        assert_eq!((s.iin_error.is_none(), &s.found), (true, &Found::Searching));
        assert!(s.valid_iin().is_some());
    }

    #[test]
    fn a_refused_withdrawal_keeps_the_dialog_and_the_reason() {
        let id = ApplicationId(uuid::Uuid::from_u128(1));
        let s = run(vec![
            Action::AskWithdraw(id, "VKO-1".into()),
            Action::Reason("Басқа қалаға көшті".into()),
            Action::Withdrawing,
            Action::WithdrawFailed(ApiError::Rule { rule: RuleError::ReasonRequired }),
        ]);
        let w = s.withdrawal.unwrap();
        assert_eq!((w.reason.as_str(), w.busy), ("Басқа қалаға көшті", false));
        assert!(w.error.is_some());
        assert_eq!(run(vec![Action::AskWithdraw(id, "VKO-1".into()), Action::CancelWithdraw]).withdrawal, None);
    }
}
