//! Places as a test sets them up on the server: a kindergarten of `operator-1`'s district, a
//! group published by its own staff, a referral asked for, and how the answer reads.

use crate::{decisions, region, TestServer};
use baqsha_core::command::{CommandKind, ContactConfirmation, ReferralRequest, RuleError};
use baqsha_core::*;
use baqsha_server::Clock;
use baqsha_sync::{Adjustment, Decision, Rejection};
use uuid::Uuid;

/// A kindergarten of `operator-1`'s district, and the staff login of its office.
pub fn first_district_kindergarten() -> (KindergartenId, String) {
    let r = region();
    let d = &r.districts[0].code;
    let (i, k) = r.kindergartens.iter().enumerate().find(|(_, k)| &k.district == d).expect("a kindergarten in the first district");
    (k.id, format!("balabaqsha-{}", i + 1))
}

/// A group for 3–6 year olds in Kazakh with room, and `places` of it published today, by the
/// kindergarten's own staff; the vacancy's id.
pub async fn publish(t: &TestServer, staff: &str, k: KindergartenId, places: u32) -> (Group, VacancyId) {
    let mut desk = t.desk(staff, baqsha_server::seed::STAFF_PASSWORD).await;
    let group = Group {
        id: GroupId(Uuid::now_v7()),
        kindergarten: k,
        name: "Балапан".into(),
        age: AgeBand { from_years: 3, to_years: 6 },
        language: Language::Kk,
        capacity: 25,
        enrolled: 20,
    };
    let vacancy = Vacancy { id: VacancyId(Uuid::now_v7()), kindergarten: k, group: group.id, count: places, published_on: command::desk_date(t.clock.now()) };
    let answer = t.send(&mut desk, vec![CommandKind::SaveGroup { group: group.clone() }, CommandKind::PublishVacancy { vacancy: vacancy.clone() }]).await;
    assert_eq!(decisions(&answer), vec![Decision::Applied, Decision::Applied], "{answer}");
    (group, vacancy.id)
}

/// «Жолдама алу» for `a` as a desk sends it (from a lease when offline).
pub fn ask(a: &Application, group: &Group, vacancy: VacancyId, lease: Option<LeaseId>) -> CommandKind {
    let request =
        ReferralRequest { id: ReferralId(Uuid::now_v7()), number: "ДЕСК-1".into(), application: a.id, vacancy, kindergarten: group.kindergarten, group: group.id, lease };
    CommandKind::IssueReferral { request, confirmation: ContactConfirmation::Codes, decided: None }
}

/// The referral the server decided, when it gave one.
pub fn referral(d: &Decision) -> Option<&Referral> {
    match d {
        Decision::Changed { changes } => changes.iter().find_map(|c| match c {
            Adjustment::Referral { referral } => Some(referral.as_ref()),
            _ => None,
        }),
        _ => None,
    }
}

/// The rule the server refused by, when it refused by one.
pub fn refusal(d: &Decision) -> Option<&RuleError> {
    match d {
        Decision::Rejected { reason: Rejection::Rule { rule } } => Some(rule),
        _ => None,
    }
}
