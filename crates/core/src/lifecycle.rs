//! The state machines of an application and of a referral.
//!
//! Every change of status goes through these two functions, so the desk, the store and the
//! sync server refuse the same illegal moves (an expired referral admitted, a withdrawn
//! application referred, a second extension).

use crate::model::{ApplicationStatus, ReferralStatus};
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationEvent {
    /// A referral was issued.
    Refer,
    /// The referral expired or was refused: back in the queue at the original time.
    ReturnToQueue,
    /// The child was admitted with the referral.
    Enroll,
    /// The parent withdrew, or the department annulled, the application.
    Withdraw,
    /// The child reached school age on the policy date.
    Archive,
}

impl ApplicationEvent {
    pub const ALL: [ApplicationEvent; 5] =
        [ApplicationEvent::Refer, ApplicationEvent::ReturnToQueue, ApplicationEvent::Enroll, ApplicationEvent::Withdraw, ApplicationEvent::Archive];
    pub fn code(self) -> &'static str {
        match self {
            ApplicationEvent::Refer => "refer",
            ApplicationEvent::ReturnToQueue => "return_to_queue",
            ApplicationEvent::Enroll => "enroll",
            ApplicationEvent::Withdraw => "withdraw",
            ApplicationEvent::Archive => "archive",
        }
    }
    pub fn from_code(s: &str) -> Option<ApplicationEvent> {
        ApplicationEvent::ALL.into_iter().find(|e| e.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralEvent {
    Confirm,
    /// The once-only extension.
    Extend,
    Admit,
    Expire,
    Refuse,
}

impl ReferralEvent {
    pub const ALL: [ReferralEvent; 5] = [ReferralEvent::Confirm, ReferralEvent::Extend, ReferralEvent::Admit, ReferralEvent::Expire, ReferralEvent::Refuse];
    pub fn code(self) -> &'static str {
        match self {
            ReferralEvent::Confirm => "confirm",
            ReferralEvent::Extend => "extend",
            ReferralEvent::Admit => "admit",
            ReferralEvent::Expire => "expire",
            ReferralEvent::Refuse => "refuse",
        }
    }
    pub fn from_code(s: &str) -> Option<ReferralEvent> {
        ReferralEvent::ALL.into_iter().find(|e| e.code() == s)
    }
}

/// A move the state machine does not allow. Holds the codes of the status and the event so
/// the UI can name both in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("cannot {event} from {from}")]
pub struct IllegalTransition {
    /// The status `code()`.
    pub from: &'static str,
    /// The event `code()`.
    pub event: &'static str,
}

/// Events the rules name besides the two machines' own: an edit of an application, the
/// verification of its benefit (`command::edit_application`, `command::decide_benefit`).
pub const EDIT: &str = "edit";
pub const VERIFY_BENEFIT: &str = "verify_benefit";
const OTHER_EVENTS: [&str; 2] = [EDIT, VERIFY_BENEFIT];

/// Maps a code read back from the wire to the static code it names, so the error keeps
/// `&'static str` fields and still deserialises from owned data.
fn static_code(s: &str, known: impl IntoIterator<Item = &'static str>) -> Option<&'static str> {
    known.into_iter().find(|c| *c == s)
}

impl<'de> Deserialize<'de> for IllegalTransition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            from: String,
            event: String,
        }
        let wire = Wire::deserialize(deserializer)?;
        let statuses = ApplicationStatus::ALL.into_iter().map(ApplicationStatus::code).chain(ReferralStatus::ALL.into_iter().map(ReferralStatus::code));
        let events = ApplicationEvent::ALL.into_iter().map(ApplicationEvent::code).chain(ReferralEvent::ALL.into_iter().map(ReferralEvent::code)).chain(OTHER_EVENTS);
        let from = static_code(&wire.from, statuses).ok_or_else(|| serde::de::Error::custom(format!("unknown status `{}`", wire.from)))?;
        let event = static_code(&wire.event, events).ok_or_else(|| serde::de::Error::custom(format!("unknown event `{}`", wire.event)))?;
        Ok(IllegalTransition { from, event })
    }
}

pub fn next_application_status(from: ApplicationStatus, ev: ApplicationEvent) -> Result<ApplicationStatus, IllegalTransition> {
    use ApplicationEvent as E;
    use ApplicationStatus as S;
    match (from, ev) {
        (S::Queued, E::Refer) => Ok(S::Referred),
        (S::Referred, E::ReturnToQueue) => Ok(S::Queued),
        (S::Referred, E::Enroll) => Ok(S::Enrolled),
        (S::Queued | S::Referred, E::Withdraw) => Ok(S::Withdrawn),
        // Only a waiting child is archived; one holding a referral is decided by the referral.
        (S::Queued, E::Archive) => Ok(S::Archived),
        _ => Err(IllegalTransition { from: from.code(), event: ev.code() }),
    }
}

pub fn next_referral_status(from: ReferralStatus, ev: ReferralEvent) -> Result<ReferralStatus, IllegalTransition> {
    use ReferralEvent as E;
    use ReferralStatus as S;
    match (from, ev) {
        (S::Issued, E::Confirm) => Ok(S::Confirmed),
        // Extended cannot extend again: the extension is once only.
        (S::Confirmed, E::Extend) => Ok(S::Extended),
        // An unconfirmed referral cannot be used for admission.
        (S::Confirmed | S::Extended, E::Admit) => Ok(S::Admitted),
        (S::Issued | S::Confirmed | S::Extended, E::Expire) => Ok(S::Expired),
        (S::Issued | S::Confirmed | S::Extended, E::Refuse) => Ok(S::Refused),
        _ => Err(IllegalTransition { from: from.code(), event: ev.code() }),
    }
}

/// Statuses no event leaves.
pub fn is_final_application_status(s: ApplicationStatus) -> bool {
    matches!(s, ApplicationStatus::Enrolled | ApplicationStatus::Withdrawn | ApplicationStatus::Archived)
}

/// Statuses no event leaves.
pub fn is_final_referral_status(s: ReferralStatus) -> bool {
    !s.is_live()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ApplicationEvent as AE;
    use ApplicationStatus as AS;
    use ReferralEvent as RE;
    use ReferralStatus as RS;

    const APPLICATION_TABLE: [(AS, AE, AS); 6] = [
        (AS::Queued, AE::Refer, AS::Referred),
        (AS::Referred, AE::ReturnToQueue, AS::Queued),
        (AS::Referred, AE::Enroll, AS::Enrolled),
        (AS::Queued, AE::Withdraw, AS::Withdrawn),
        (AS::Referred, AE::Withdraw, AS::Withdrawn),
        (AS::Queued, AE::Archive, AS::Archived),
    ];

    const REFERRAL_TABLE: [(RS, RE, RS); 10] = [
        (RS::Issued, RE::Confirm, RS::Confirmed),
        (RS::Confirmed, RE::Extend, RS::Extended),
        (RS::Confirmed, RE::Admit, RS::Admitted),
        (RS::Extended, RE::Admit, RS::Admitted),
        (RS::Issued, RE::Expire, RS::Expired),
        (RS::Confirmed, RE::Expire, RS::Expired),
        (RS::Extended, RE::Expire, RS::Expired),
        (RS::Issued, RE::Refuse, RS::Refused),
        (RS::Confirmed, RE::Refuse, RS::Refused),
        (RS::Extended, RE::Refuse, RS::Refused),
    ];

    #[test]
    fn every_application_pair() {
        for from in AS::ALL {
            for ev in AE::ALL {
                let legal = APPLICATION_TABLE.iter().find(|(f, e, _)| *f == from && *e == ev).map(|(_, _, to)| *to);
                match legal {
                    Some(to) => assert_eq!(next_application_status(from, ev), Ok(to)),
                    None => assert_eq!(next_application_status(from, ev), Err(IllegalTransition { from: from.code(), event: ev.code() })),
                }
            }
        }
    }

    #[test]
    fn every_referral_pair() {
        for from in RS::ALL {
            for ev in RE::ALL {
                let legal = REFERRAL_TABLE.iter().find(|(f, e, _)| *f == from && *e == ev).map(|(_, _, to)| *to);
                match legal {
                    Some(to) => assert_eq!(next_referral_status(from, ev), Ok(to)),
                    None => assert_eq!(next_referral_status(from, ev), Err(IllegalTransition { from: from.code(), event: ev.code() })),
                }
            }
        }
    }

    #[test]
    fn extension_is_once_only() {
        assert_eq!(next_referral_status(RS::Extended, RE::Extend), Err(IllegalTransition { from: "extended", event: "extend" }));
        assert_eq!(next_referral_status(RS::Issued, RE::Extend).map_err(|e| e.to_string()), Err("cannot extend from issued".to_string()));
    }

    #[test]
    fn codes_and_errors_round_trip() {
        for e in AE::ALL {
            assert_eq!(AE::from_code(e.code()), Some(e));
        }
        for e in RE::ALL {
            assert_eq!(RE::from_code(e.code()), Some(e));
        }
        let err = IllegalTransition { from: "archived", event: "return_to_queue" };
        let json = serde_json::to_string(&err).unwrap();
        assert_eq!(json, r#"{"from":"archived","event":"return_to_queue"}"#);
        assert_eq!(serde_json::from_str::<IllegalTransition>(&json).unwrap(), err);
        assert!(serde_json::from_str::<IllegalTransition>(r#"{"from":"nowhere","event":"refer"}"#).is_err());
        assert_eq!(serde_json::to_string(&AE::ReturnToQueue).unwrap(), r#""return_to_queue""#);
    }

    fn application_status() -> impl Strategy<Value = AS> {
        prop::sample::select(AS::ALL.to_vec())
    }
    fn referral_status() -> impl Strategy<Value = RS> {
        prop::sample::select(RS::ALL.to_vec())
    }
    fn application_event() -> impl Strategy<Value = AE> {
        prop::sample::select(AE::ALL.to_vec())
    }
    fn referral_event() -> impl Strategy<Value = RE> {
        prop::sample::select(RE::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn final_application_states_refuse_everything(from in application_status(), ev in application_event()) {
            if is_final_application_status(from) {
                prop_assert!(next_application_status(from, ev).is_err());
            }
            // Any run of events keeps an application out of the queue once it is final.
            if let Ok(to) = next_application_status(from, ev) {
                prop_assert!(!is_final_application_status(from));
                prop_assert_ne!(to, from);
            }
        }

        #[test]
        fn final_referral_states_refuse_everything(from in referral_status(), ev in referral_event()) {
            if is_final_referral_status(from) {
                prop_assert!(next_referral_status(from, ev).is_err());
            }
            if let Ok(to) = next_referral_status(from, ev) {
                prop_assert!(from.is_live());
                prop_assert_ne!(to, from);
            }
        }

        #[test]
        fn a_referral_extends_at_most_once(events in prop::collection::vec(referral_event(), 0..20)) {
            let mut status = RS::Issued;
            let mut extensions = 0;
            for ev in events {
                if let Ok(next) = next_referral_status(status, ev) {
                    if ev == RE::Extend {
                        extensions += 1;
                    }
                    status = next;
                }
            }
            prop_assert!(extensions <= 1);
        }
    }
}
