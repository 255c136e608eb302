//! «Қабылдау» decided in one place: staff of the referral's kindergarten admit the child only
//! with the guide's documents seen (the consultation's conclusion only when the application
//! claims special needs); the refusal names what is missing and changes nothing.

mod common;

use baqsha_api::*;
use baqsha_core::command::{ReferralRef, RuleError};
use baqsha_core::referral::{AdmissionDocument, ADMISSION_DOCUMENTS};
use baqsha_core::roles::Operator;
use baqsha_core::{ApplicationStatus, ReferralStatus};
use common::{desk, take_first_offer};

#[tokio::test]
async fn a_child_is_admitted_with_the_documents_the_guide_asks_for() {
    let d = desk().await;
    let (application, taken) = take_first_offer(&d).await;
    let referral = ReferralRef::of(&taken.referral.referral);
    let staff = Operator { kindergarten: Some(referral.kindergarten), ..d.staff.clone() };
    let history = d.office.store().history_len().await.unwrap();

    let three = ADMISSION_DOCUMENTS[..3].to_vec();
    let refused = d.office.referral_action(&staff, referral, ReferralAction::Admit { documents: three }).await;
    assert!(matches!(&refused, Err(ApiError::Rule { rule: RuleError::DocumentsMissing { missing } }) if missing == &vec![AdmissionDocument::HealthCertificate]), "{refused:?}");
    assert_eq!(d.office.store().history_len().await.unwrap(), history, "a refused admission writes nothing");

    let admitted = d.office.referral_action(&staff, referral, ReferralAction::Admit { documents: ADMISSION_DOCUMENTS[..4].to_vec() }).await.unwrap();
    assert_eq!(admitted.referral.status, ReferralStatus::Admitted);
    let enrolled = d.office.application(&d.operator, application.id).await.unwrap();
    assert_eq!(enrolled.application.status, ApplicationStatus::Enrolled);
}
