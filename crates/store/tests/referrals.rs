//! Places and referrals on a real SQLite file: offers in queue order, «Жолдама алу» with a
//! code, never twice (two windows racing), extension, refusal, expiry, admission.

mod common;
use baqsha_api::calls::TakeReferral;
use baqsha_core::codes::{self, Channel, Notification};
use baqsha_core::command::{Command, CommandKind, ContactConfirmation, IdDocument, ReferralRef, RuleError};
use baqsha_core::queue::QueueRules;
use baqsha_core::roles::{Operator, Role};
use baqsha_core::*;
use baqsha_store::{ApplyError, OfferNotice, Store};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::*;
use uuid::Uuid;

fn on(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// 10:00 at the desk (UTC+5) on that day.
fn at(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(5, 0, 0).unwrap())
}

/// What staff tick at admission: the four documents every child brings.
fn all_documents() -> Vec<baqsha_core::referral::AdmissionDocument> {
    baqsha_core::referral::ADMISSION_DOCUMENTS[..4].to_vec()
}

/// The office's own commands (offers), as the system at device 2.
fn source() -> baqsha_store::CommandSource<'static> {
    baqsha_store::CommandSource { author: OperatorId(Uuid::nil()), device: DeviceId(Uuid::from_u128(2)), ids: &Uuid::now_v7 }
}

fn cmd_at(kind: CommandKind, when: DateTime<Utc>) -> Command {
    Command { at: when, ..cmd(kind) }
}

fn staff(k: u128) -> Operator {
    Operator {
        id: OperatorId(Uuid::from_u128(77)),
        login: "staff".into(),
        full_name: "Бекова Сәуле".into(),
        role: Role::KindergartenStaff,
        kindergarten: Some(KindergartenId(Uuid::from_u128(k))),
    }
}

fn sms(n: &OfferNotice) -> Vec<Notification> {
    vec![Notification { channel: Channel::Sms, recipient: n.phone.clone(), subject: None, body: format!("{} {}", n.offer.number, n.kindergarten_kk), secret: false }]
}

/// Kindergarten 10 with a group of 4–5-year-olds (Kazakh, 20 places, 10 children); three
/// applications (born April 2023: 4 on the next policy date) naming it, registered one
/// minute apart, and one naming only kindergarten 11.
async fn setup() -> (tempfile::TempDir, Store, Vec<Application>) {
    let (d, s) = with_registry().await;
    let g = Group { age: AgeBand { from_years: 4, to_years: 5 }, ..group(22, 10, Language::Kk, 20, 10) };
    s.apply(&admin(), &cmd(CommandKind::SaveGroup { group: g })).await.unwrap();
    let mut apps = vec![];
    for (i, prefs) in [vec![10], vec![11, 10], vec![10], vec![11]].into_iter().enumerate() {
        let mut a = application(400 + i as u128, 101 + 10 * i as u16, prefs);
        a.registered_at += chrono::Duration::minutes(i as i64);
        a.contacts.phone = Phone::parse(&format!("8701123456{i}")).unwrap();
        s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(a.clone()), confirmation: None })).await.unwrap();
        apps.push(a);
    }
    (d, s, apps)
}

async fn publish(s: &Store, id: u128, count: u32, day: NaiveDate) -> Result<(), ApplyError> {
    publish_made(s, id, count, day, at(day)).await
}

/// Places open from `day`, published at `made` (a later day's places are published today).
async fn publish_made(s: &Store, id: u128, count: u32, day: NaiveDate, made: DateTime<Utc>) -> Result<(), ApplyError> {
    let v = Vacancy { id: VacancyId(Uuid::from_u128(id)), kindergarten: KindergartenId(Uuid::from_u128(10)), group: GroupId(Uuid::from_u128(22)), count, published_on: day };
    s.apply(&staff(10), &cmd_at(CommandKind::PublishVacancy { vacancy: v }, made)).await.map(|_| ())
}

async fn confirm_phone(s: &Store, a: &Application, when: DateTime<Utc>) {
    let (mut rec, _) = codes::issue(a.contacts.phone.as_str(), None, when, 123, "salt", &Default::default()).unwrap();
    rec.confirmed = true;
    s.save_code_record(&rec).await.unwrap();
}

async fn take(s: &Store, a: &Application, vacancy: u128, when: DateTime<Utc>) -> Result<baqsha_api::ReferralView, ApplyError> {
    let req = TakeReferral { application: a.id, vacancy: VacancyId(Uuid::from_u128(vacancy)), confirmation: ContactConfirmation::Codes, lease: None };
    let notify =
        |v: &baqsha_api::ReferralView| vec![Notification { channel: Channel::Sms, recipient: v.phone.clone(), subject: None, body: v.referral.number.clone(), secret: false }];
    s.take_referral(&operator(), &req, (Uuid::now_v7(), ReferralId(Uuid::now_v7())), DeviceId(Uuid::from_u128(2)), when, "VKO", notify).await.map(|(v, _)| v)
}

fn operator() -> Operator {
    Operator { id: OperatorId(Uuid::from_u128(5)), login: "op".into(), full_name: "Оператор".into(), role: Role::DepartmentOperator, kindergarten: None }
}

#[tokio::test]
async fn places_are_offered_in_queue_order_and_a_turn_not_taken_passes_to_the_next() {
    let (_d, s, apps) = setup().await;
    let monday = on(2026, 11, 30);
    publish(&s, 40, 2, monday).await.unwrap();
    let round = s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    let offered: Vec<&str> = round.offered.iter().map(|n| n.offer.number.as_str()).collect();
    // The first two naming kindergarten 10; the fourth names only kindergarten 11.
    assert_eq!(offered, vec![apps[0].number.as_str(), apps[1].number.as_str()]);
    assert_eq!(round.offered[1].offer.preference_rank, 1, "kindergarten 10 is the second's second choice");
    assert_eq!(round.offered[0].respond_by, on(2026, 12, 2), "2 working days");
    // The SMS are queued with the offers.
    let queued = s.unsent_messages(10, desk_now()).await.unwrap();
    assert_eq!(queued.iter().map(|m| m.notification.recipient.as_str()).collect::<Vec<_>>(), vec!["+77011234560", "+77011234561"]);
    // The bulletin says to whom, and why.
    let b = s.bulletin(monday, monday, None).await.unwrap();
    assert_eq!(
        b[0].offers.iter().map(|o| (o.number.as_str(), o.position, o.ahead_not_offered)).collect::<Vec<_>>(),
        vec![(apps[0].number.as_str(), 1, 0), (apps[1].number.as_str(), 2, 0)]
    );
    // A second round offers nothing more: the two places are held.
    assert!(s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap().offered.is_empty());

    // The first takes a referral; the second lets the 2 working days pass.
    confirm_phone(&s, &apps[0], at(monday)).await;
    let taken = take(&s, &apps[0], 40, at(monday)).await.unwrap();
    // The history keeps what was asked and what was decided: the group and the deadlines
    // the certificate prints, no placeholder.
    let history = s.application_history(apps[0].id.0).await.unwrap();
    let issue = history.iter().find(|e| e.kind == "issue_referral").expect("the referral is in the history");
    let cmd: baqsha_core::command::Command = serde_json::from_str(&issue.body).unwrap();
    let CommandKind::IssueReferral { request, decided: Some(decided), .. } = cmd.kind else { panic!("{}", issue.body) };
    assert_eq!((request.vacancy, request.group, request.number.as_str()), (taken.referral.vacancy, taken.referral.group, taken.referral.number.as_str()));
    assert_eq!(*decided, taken.referral);
    assert_eq!((decided.confirm_by, decided.valid_until), (on(2026, 12, 2), on(2026, 12, 7)), "2 and 5 working days from Monday");
    let thursday = on(2026, 12, 3);
    let round = s.offer_round(&source(), at(thursday), &QueueRules::default(), sms).await.unwrap();
    assert_eq!(round.passed, 1);
    assert_eq!(round.offered.iter().map(|n| n.offer.number.as_str()).collect::<Vec<_>>(), vec![apps[2].number.as_str()]);
    assert_eq!(round.offered[0].offer.ahead_not_offered, 1, "the second passed");
    // The third changes its preferences away from the kindergarten: its offer goes to the
    // fourth... who names only kindergarten 11 — so nobody holds it until someone fits.
    let changes = baqsha_core::command::ApplicationChanges {
        contacts: apps[2].contacts.clone(),
        address: apps[2].address.clone(),
        preferences: vec![KindergartenId(Uuid::from_u128(11))],
        language: apps[2].language,
        benefit: None,
        proofs: vec![],
    };
    s.apply(&admin(), &cmd_at(CommandKind::EditApplication { application: apps[2].id, changes: Box::new(changes), confirmation: None, fields: None }, at(thursday))).await.unwrap();
    s.offer_round(&source(), at(thursday), &QueueRules::default(), sms).await.unwrap();
    assert!(s.choices(apps[2].id, thursday).await.unwrap().is_empty(), "the offer is void");
    assert!(s.bulletin(thursday, thursday, None).await.unwrap()[0].offers.is_empty());
    // The offer and its passing are the office's own commands in the second's history.
    let kinds: Vec<String> = s.history_lines(apps[1].id).await.unwrap().into_iter().map(|l| l.kind).collect();
    assert_eq!(kinds, vec!["register_application", "make_offer", "end_offer-passed"]);
    assert!(matches!(s.verify_history().await.unwrap(), baqsha_store::ChainReport::Intact { .. }), "the chain holds the system's commands too");
    // The second keeps the queue place and is not offered those places again.
    let second = s.application(apps[1].id).await.unwrap();
    assert_eq!(second.status, ApplicationStatus::Queued);
    assert_eq!(s.position(&second, &QueueRules::default()).await.unwrap().unwrap().position, 2);
    assert!(s.choices(apps[1].id, thursday).await.unwrap().is_empty(), "no turn now");
}

#[tokio::test]
async fn a_referral_is_taken_with_a_code_to_the_applications_phone_only() {
    let (_d, s, apps) = setup().await;
    let monday = on(2026, 11, 30);
    publish(&s, 40, 1, monday).await.unwrap();
    s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    let choices = s.choices(apps[0].id, monday).await.unwrap();
    assert_eq!((choices.len(), choices[0].offered, choices[0].kindergarten_name.kk.as_str()), (1, true, "№ 12 «АҚБОТА» бөбекжайы"));
    // No code yet; then a code confirmed for ANOTHER phone.
    let e = take(&s, &apps[0], 40, at(monday)).await.unwrap_err();
    assert!(matches!(e, ApplyError::Rule(RuleError::ContactNotConfirmed { .. })), "{e:?}");
    confirm_phone(&s, &apps[1], at(monday)).await;
    assert!(matches!(take(&s, &apps[0], 40, at(monday)).await, Err(ApplyError::Rule(RuleError::ContactNotConfirmed { .. }))));
    // Someone whose turn has not come.
    confirm_phone(&s, &apps[2], at(monday)).await;
    assert!(matches!(take(&s, &apps[2], 40, at(monday)).await, Err(ApplyError::Rule(RuleError::NotYourTurn))));
    confirm_phone(&s, &apps[0], at(monday)).await;
    let v = take(&s, &apps[0], 40, at(monday)).await.unwrap();
    assert_eq!(v.referral.number, "VKO-ZH-2026-000001");
    assert_eq!((v.referral.status, v.referral.valid_until), (ReferralStatus::Confirmed, on(2026, 12, 7)), "5 working days from Monday");
    assert_eq!(v.latest_extension, on(2026, 12, 30));
    assert_eq!(s.application(apps[0].id).await.unwrap().status, ApplicationStatus::Referred);
    assert!(s.unsent_messages(10, desk_now()).await.unwrap().iter().any(|m| m.notification.body == "VKO-ZH-2026-000001" && m.notification.recipient == "+77011234560"));
    // The used code is forgotten: a second referral would need a new one (and is refused anyway).
    assert!(s.code_record("+77011234560").await.unwrap().is_none());
    // The place is gone from the bulletin.
    assert!(s.bulletin(monday, monday, None).await.unwrap().is_empty());
    // In person, by identity document, at the desk — for the next one, when a place frees.
    let in_person = TakeReferral {
        application: apps[1].id,
        vacancy: VacancyId(Uuid::from_u128(40)),
        confirmation: ContactConfirmation::InPerson { document: IdDocument::IdCard, number: "04".into() },
        lease: None,
    };
    let e = s.take_referral(&operator(), &in_person, (Uuid::now_v7(), ReferralId(Uuid::now_v7())), DeviceId(Uuid::from_u128(2)), at(monday), "VKO", |_| vec![]).await.unwrap_err();
    assert!(matches!(e, ApplyError::Rule(RuleError::BadDocument)), "{e:?}");
}

/// Two windows (two connection pools on one file) choose the same last open place at once:
/// exactly one referral, one clear refusal; and the same application from two windows gets
/// one referral.
#[tokio::test]
async fn two_windows_racing_for_the_last_place_get_one_referral_and_one_refusal() {
    let (d, s, apps) = setup().await;
    let monday = on(2026, 11, 30);
    // Two places offered to the first two, one to the third: everyone who names
    // kindergarten 10 holds an offer. One more place then goes to nobody in its round — the
    // first two may both choose it.
    publish(&s, 40, 2, monday).await.unwrap();
    s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    publish(&s, 41, 1, monday).await.unwrap();
    s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    publish(&s, 42, 1, monday).await.unwrap();
    // Not before its round has seen it: a place just published waits for the queue.
    for a in &apps[..2] {
        confirm_phone(&s, a, at(monday)).await;
    }
    assert!(matches!(take(&s, &apps[0], 42, at(monday)).await, Err(ApplyError::Rule(RuleError::NotYourTurn))));
    assert!(s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap().offered.is_empty(), "nobody free wants it");
    assert!(s.choices(apps[0].id, monday).await.unwrap().iter().any(|c| c.vacancy == VacancyId(Uuid::from_u128(42)) && !c.offered));
    let other = Store::open(&d.path().join("baqsha.sqlite")).await.unwrap();
    let (x, y) = tokio::join!(take(&s, &apps[0], 42, at(monday)), take(&other, &apps[1], 42, at(monday)));
    let refused: Vec<_> = [&x, &y].into_iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!((x.is_ok() as u8 + y.is_ok() as u8, refused.len()), (1, 1), "{x:?} {y:?}");
    assert!(matches!(refused[0], ApplyError::Rule(RuleError::PlaceTaken)), "{:?}", refused[0]);
    // The one refused still holds its offer and takes the place offered to it.
    let loser = if x.is_ok() { &apps[1] } else { &apps[0] };
    let choices = s.choices(loser.id, monday).await.unwrap();
    assert_eq!(choices.iter().map(|c| c.vacancy).collect::<Vec<_>>(), vec![VacancyId(Uuid::from_u128(40))], "the screen shows the places still open");
    // The same application from two windows: one referral.
    confirm_phone(&s, loser, at(monday)).await;
    let (p, q) = tokio::join!(take(&s, loser, 40, at(monday)), take(&other, loser, 40, at(monday)));
    assert_eq!(p.is_ok() as u8 + q.is_ok() as u8, 1, "{p:?} {q:?}");
    let live = s.issued_referrals(monday, monday, None, None).await.unwrap().iter().filter(|r| r.status.is_live()).count();
    assert_eq!(live, 2);
}

/// Holding an offer at a later choice does not cost a better place: it replaces the offer,
/// and the place given up goes to the next.
#[tokio::test]
async fn a_better_place_replaces_an_offer_and_the_place_given_up_goes_to_the_next() {
    let (_d, s, apps) = setup().await;
    let g = Group { age: AgeBand { from_years: 4, to_years: 5 }, ..group(23, 11, Language::Kk, 20, 10) };
    s.apply(&admin(), &cmd(CommandKind::SaveGroup { group: g })).await.unwrap();
    let monday = on(2026, 11, 30);
    publish(&s, 40, 2, monday).await.unwrap();
    s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    // The second holds kindergarten 10, its second choice; its first choice publishes.
    let v = Vacancy { id: VacancyId(Uuid::from_u128(50)), kindergarten: KindergartenId(Uuid::from_u128(11)), group: GroupId(Uuid::from_u128(23)), count: 1, published_on: monday };
    s.apply(&admin(), &cmd_at(CommandKind::PublishVacancy { vacancy: v }, at(monday))).await.unwrap();
    let round = s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    let offered: Vec<(&str, KindergartenId)> = round.offered.iter().map(|n| (n.offer.number.as_str(), n.offer.kindergarten)).collect();
    assert_eq!(offered, vec![(apps[1].number.as_str(), KindergartenId(Uuid::from_u128(11))), (apps[2].number.as_str(), KindergartenId(Uuid::from_u128(10)))]);
    assert_eq!(s.choices(apps[1].id, monday).await.unwrap().iter().filter(|c| c.offered).map(|c| c.kindergarten).collect::<Vec<_>>(), vec![KindergartenId(Uuid::from_u128(11))]);
    // A publication dated later is not offered before its day.
    publish_made(&s, 41, 1, on(2026, 12, 3), at(monday)).await.unwrap();
    assert!(s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap().offered.is_empty());
    // The group cannot shrink below its children and the places promised (10 + 2 + 1).
    let small = Group { age: AgeBand { from_years: 4, to_years: 5 }, ..group(22, 10, Language::Kk, 12, 10) };
    let e = s.apply(&admin(), &cmd_at(CommandKind::SaveGroup { group: small }, at(monday))).await.unwrap_err();
    assert!(matches!(e, ApplyError::Rule(RuleError::PlacesPromised { enrolled: 10, promised: 3, capacity: 12 })), "{e:?}");
    // The form started from 9 children; an admission made it 10 meanwhile: not overwritten.
    let typed = Group { age: AgeBand { from_years: 4, to_years: 5 }, ..group(22, 10, Language::Kk, 20, 8) };
    let e = s.save_group_from(&admin(), &cmd_at(CommandKind::SaveGroup { group: typed.clone() }, at(monday)), 9).await.unwrap_err();
    assert!(matches!(e, ApplyError::Rule(RuleError::GroupChanged { enrolled: 10 })), "{e:?}");
    s.save_group_from(&admin(), &cmd_at(CommandKind::SaveGroup { group: typed }, at(monday)), 10).await.unwrap();
}

/// A parent withdraws an application that holds a referral: the referral ends with it and
/// the place returns; the office's expiry run has nothing left to do.
#[tokio::test]
async fn withdrawing_a_referred_application_returns_its_place() {
    let (_d, s, apps) = setup().await;
    let monday = on(2026, 11, 30);
    publish(&s, 40, 1, monday).await.unwrap();
    s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    confirm_phone(&s, &apps[0], at(monday)).await;
    let v = take(&s, &apps[0], 40, at(monday)).await.unwrap();
    s.apply(&operator(), &cmd_at(CommandKind::WithdrawApplication { application: apps[0].id, reason: "басқа қалаға көшті".into() }, at(monday))).await.unwrap();
    assert_eq!(s.referral_by_number(&v.referral.number).await.unwrap().unwrap().referral.status, ReferralStatus::Refused);
    assert_eq!(s.bulletin(monday, monday, None).await.unwrap()[0].open_places, 1);
    assert!(s.referrals_due(on(2026, 12, 31)).await.unwrap().is_empty());
    // Extending a referral whose last day has passed is refused even before expiry runs.
    s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    confirm_phone(&s, &apps[1], at(monday)).await;
    let w = take(&s, &apps[1], 40, at(monday)).await.unwrap();
    let late =
        s.apply(&operator(), &cmd_at(CommandKind::ExtendReferral { referral: ReferralRef::of(&w.referral), until: on(2026, 12, 20) }, at(on(2026, 12, 8)))).await.unwrap_err();
    assert!(matches!(late, ApplyError::Rule(RuleError::ReferralLapsed { .. })), "{late:?}");
}

#[tokio::test]
async fn an_unused_referral_expires_after_its_fifth_working_day_and_the_place_returns() {
    let (_d, s, apps) = setup().await;
    // Friday 11 December: 5 working days are 14, 15, 17, 18, 21 December (16th a holiday,
    // 12–13 and 19–20 weekends).
    let friday = on(2026, 12, 11);
    publish(&s, 40, 1, friday).await.unwrap();
    s.offer_round(&source(), at(friday), &QueueRules::default(), sms).await.unwrap();
    confirm_phone(&s, &apps[0], at(friday)).await;
    let v = take(&s, &apps[0], 40, at(friday)).await.unwrap();
    assert_eq!(v.referral.valid_until, on(2026, 12, 21));
    assert!(s.referrals_due(on(2026, 12, 21)).await.unwrap().is_empty(), "good all of its last day");
    let due = s.referrals_due(on(2026, 12, 22)).await.unwrap();
    assert_eq!(due.len(), 1);
    let r = ReferralRef::of(&due[0]);
    // Not before its time.
    let early = s.apply(&admin(), &cmd_at(CommandKind::ExpireReferral { referral: r }, at(on(2026, 12, 21)))).await.unwrap_err();
    assert!(matches!(early, ApplyError::Rule(RuleError::NotExpired { .. })), "{early:?}");
    s.apply(&admin(), &cmd_at(CommandKind::ExpireReferral { referral: r }, at(on(2026, 12, 22)))).await.unwrap();
    let b = s.bulletin(on(2026, 12, 22), on(2026, 12, 22), None).await.unwrap();
    assert_eq!(b[0].open_places, 1, "the place is back in the bulletin");
    let a = s.application(apps[0].id).await.unwrap();
    assert_eq!((a.status, a.registered_at), (ApplicationStatus::Queued, apps[0].registered_at));
    assert_eq!(s.position(&a, &QueueRules::default()).await.unwrap().unwrap().position, 1, "back at its original place");
    assert_eq!(s.referral_by_number(&v.referral.number).await.unwrap().unwrap().referral.status, ReferralStatus::Expired);
    // The place goes to the next who fits, not back to the one who let it expire.
    let round = s.offer_round(&source(), at(on(2026, 12, 22)), &QueueRules::default(), sms).await.unwrap();
    assert_eq!(round.offered.iter().map(|n| n.offer.number.as_str()).collect::<Vec<_>>(), vec![apps[1].number.as_str()]);
    // Expired is final: not admitted, not extended.
    let admit = s.apply(&staff(10), &cmd_at(CommandKind::AdmitReferral { referral: r, documents: all_documents() }, at(on(2026, 12, 22)))).await.unwrap_err();
    assert!(matches!(admit, ApplyError::Rule(RuleError::Transition(_))), "{admit:?}");
}

#[tokio::test]
async fn extension_refusal_and_admission_follow_the_rules() {
    let (_d, s, apps) = setup().await;
    let monday = on(2026, 11, 30);
    publish(&s, 40, 2, monday).await.unwrap();
    s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    for a in &apps[..2] {
        confirm_phone(&s, a, at(monday)).await;
    }
    let first = take(&s, &apps[0], 40, at(monday)).await.unwrap();
    let second = take(&s, &apps[1], 40, at(monday)).await.unwrap();
    let (r1, r2) = (ReferralRef::of(&first.referral), ReferralRef::of(&second.referral));
    // More places than the group has free: 20 − 10 enrolled − 2 coming = 8.
    let e = publish(&s, 41, 9, monday).await.unwrap_err();
    assert!(matches!(e, ApplyError::Rule(RuleError::MorePlacesThanFree { requested: 9, free: 8 })), "{e:?}");
    // August: publication pauses.
    let e = publish(&s, 41, 1, on(2027, 8, 10)).await.unwrap_err();
    assert!(matches!(e, ApplyError::Rule(RuleError::PublicationPaused { .. })), "{e:?}");

    // The extension: once, up to 30 days from issue.
    let too_far = s.apply(&operator(), &cmd_at(CommandKind::ExtendReferral { referral: r1, until: on(2027, 1, 5) }, at(monday))).await.unwrap_err();
    assert!(matches!(too_far, ApplyError::Rule(RuleError::Extension(_))), "{too_far:?}");
    s.apply(&operator(), &cmd_at(CommandKind::ExtendReferral { referral: r1, until: on(2026, 12, 20) }, at(monday))).await.unwrap();
    let again = s.apply(&operator(), &cmd_at(CommandKind::ExtendReferral { referral: r1, until: on(2026, 12, 22) }, at(monday))).await.unwrap_err();
    assert!(matches!(again, ApplyError::Rule(RuleError::Extension(_))), "{again:?}");

    // Refusal: a reason; the place returns; the application is back in the queue.
    let no_reason = s.apply(&operator(), &cmd_at(CommandKind::RefuseReferral { referral: r2, reason: "  ".into() }, at(monday))).await.unwrap_err();
    assert!(matches!(no_reason, ApplyError::Rule(RuleError::ReasonRequired)));
    s.set_setting("stop_list_days", "30").await.unwrap();
    s.apply(&operator(), &cmd_at(CommandKind::RefuseReferral { referral: r2, reason: "үйден алыс".into() }, at(monday))).await.unwrap();
    assert_eq!(s.application(apps[1].id).await.unwrap().status, ApplicationStatus::Queued);
    assert_eq!(s.bulletin(monday, monday, None).await.unwrap()[0].open_places, 1);
    // On the stop-list for 30 days: the freed place goes to the third.
    let round = s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    assert_eq!(round.offered.iter().map(|n| n.offer.number.as_str()).collect::<Vec<_>>(), vec![apps[2].number.as_str()]);

    // Admission: staff of another kindergarten may not; the group's count follows.
    let denied = s.apply(&staff(11), &cmd_at(CommandKind::AdmitReferral { referral: r1, documents: all_documents() }, at(on(2026, 12, 15)))).await.unwrap_err();
    assert!(matches!(denied, ApplyError::Denied(_)), "{denied:?}");
    s.apply(&staff(10), &cmd_at(CommandKind::AdmitReferral { referral: r1, documents: all_documents() }, at(on(2026, 12, 15)))).await.unwrap();
    let a = s.application(apps[0].id).await.unwrap();
    assert_eq!(a.status, ApplicationStatus::Enrolled);
    assert!(s.position(&a, &QueueRules::default()).await.unwrap().is_none(), "left the queue");
    let g = s.passport(KindergartenId(Uuid::from_u128(10)), on(2026, 12, 15)).await.unwrap().groups.into_iter().find(|g| g.group.id == GroupId(Uuid::from_u128(22))).unwrap();
    assert_eq!(g.group.enrolled, 11);
    // Used: a second admission is refused.
    let used = s.apply(&staff(10), &cmd_at(CommandKind::AdmitReferral { referral: r1, documents: all_documents() }, at(on(2026, 12, 15)))).await.unwrap_err();
    assert!(matches!(used, ApplyError::Rule(RuleError::Transition(_))), "{used:?}");
    // The statistics: two referrals issued this period, one child admitted; none before.
    let stats = s.allocation_stats(monday, on(2026, 12, 31)).await.unwrap();
    assert_eq!(stats.iter().map(|r| (r.kindergarten, r.issued, r.admitted)).collect::<Vec<_>>(), vec![(KindergartenId(Uuid::from_u128(10)), 2, 1)]);
    assert!(s.allocation_stats(on(2026, 11, 1), on(2026, 11, 29)).await.unwrap().is_empty());
    let admitted_only = s.allocation_stats(on(2026, 12, 15), on(2026, 12, 15)).await.unwrap();
    assert_eq!(admitted_only.iter().map(|r| (r.issued, r.admitted)).collect::<Vec<_>>(), vec![(0, 1)], "admitted in the period, issued before it");
    let districts = s.district_stats().await.unwrap();
    assert_eq!(districts.iter().map(|d| (d.district.as_str(), d.state_kindergartens, d.state_places, d.private_kindergartens)).collect::<Vec<_>>(), vec![("oskemen", 2, 280, 0)]);
    // The history says who did what.
    let kinds: Vec<String> = s.history_lines(apps[0].id).await.unwrap().into_iter().map(|l| l.kind).collect();
    assert_eq!(kinds, vec!["register_application", "make_offer", "issue_referral", "extend_referral", "admit_referral"]);
}

/// «Бос орын бюллетені» of a past day shows what was open and offered at that day's end,
/// exactly as it was shown then; a day to come shows nothing yet.
#[tokio::test]
async fn a_past_days_bulletin_is_that_days() {
    let (_d, s, apps) = setup().await;
    let (monday, tuesday, thursday, friday) = (on(2026, 11, 30), on(2026, 12, 1), on(2026, 12, 3), on(2026, 12, 4));
    publish(&s, 40, 2, monday).await.unwrap();
    s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    let seen_monday = s.bulletin(monday, monday, None).await.unwrap();
    assert_eq!((seen_monday[0].open_places, seen_monday[0].offers.len()), (2, 2));
    confirm_phone(&s, &apps[0], at(tuesday)).await;
    take(&s, &apps[0], 40, at(tuesday)).await.unwrap();
    let seen_tuesday = s.bulletin(tuesday, tuesday, None).await.unwrap();
    assert_eq!((seen_tuesday[0].open_places, seen_tuesday[0].offers.len()), (1, 1));
    s.apply(&operator(), &cmd_at(CommandKind::WithdrawApplication { application: apps[0].id, reason: "басқа қалаға көшті".into() }, at(thursday))).await.unwrap();

    // On Friday, each past day reads as it was shown that day (today's names the newest
    // publication, what a lease for the office would set aside; a past day's names none).
    assert_eq!(seen_monday[0].vacancy, Some(VacancyId(Uuid::from_u128(40))));
    let as_past = |seen: Vec<baqsha_api::BulletinEntry>| seen.into_iter().map(|e| baqsha_api::BulletinEntry { vacancy: None, ..e }).collect::<Vec<_>>();
    assert_eq!(s.bulletin(monday, friday, None).await.unwrap(), as_past(seen_monday));
    assert_eq!(s.bulletin(tuesday, friday, None).await.unwrap(), as_past(seen_tuesday));
    assert_eq!(s.bulletin(on(2026, 12, 2), friday, None).await.unwrap()[0].open_places, 1, "still held on Wednesday");
    assert_eq!(s.bulletin(thursday, friday, None).await.unwrap()[0].open_places, 2, "back on the day it was refused");
    assert_eq!(s.bulletin(friday, friday, None).await.unwrap()[0].open_places, 2);
    // Before its publication the group is not in the bulletin; after today nothing is yet.
    assert!(s.bulletin(on(2026, 11, 29), friday, None).await.unwrap().is_empty());
    assert!(s.bulletin(on(2026, 12, 5), friday, None).await.unwrap().is_empty());
}

/// The registry list shows each kindergarten's queue; the passport, per group, how many of
/// those waiting would fit it (age band on the policy date, language), by the offers' rule.
#[tokio::test]
async fn the_queue_beside_the_places_in_the_list_and_per_group() {
    let (_d, s, apps) = setup().await;
    let monday = on(2026, 11, 30);
    // A Russian group of the same age at kindergarten 10: nobody here asks for Russian.
    let ru = Group { age: AgeBand { from_years: 4, to_years: 5 }, ..group(23, 10, Language::Ru, 20, 5) };
    s.apply(&admin(), &cmd(CommandKind::SaveGroup { group: ru })).await.unwrap();
    let fits = |p: &baqsha_api::Passport, g: u128| p.groups.iter().find(|x| x.group.id == GroupId(Uuid::from_u128(g))).map(|x| x.queue_fits);
    let p = s.passport(KindergartenId(Uuid::from_u128(10)), monday).await.unwrap();
    assert_eq!((fits(&p, 22), fits(&p, 23), fits(&p, 20)), (Some(3), Some(0), Some(0)), "three aged 4 asking for Kazakh; none aged 3");
    let list = s.search_kindergartens(&baqsha_api::RegistryQuery::default()).await.unwrap();
    let queue = |k: u128| list.items.iter().find(|r| r.id == KindergartenId(Uuid::from_u128(k))).map(|r| r.queue_size);
    assert_eq!((queue(10), queue(11)), (Some(3), Some(2)));
    // Holding a referral, a child is still in the list's queue but no longer waits for a group.
    publish(&s, 40, 1, monday).await.unwrap();
    s.offer_round(&source(), at(monday), &QueueRules::default(), sms).await.unwrap();
    confirm_phone(&s, &apps[0], at(monday)).await;
    take(&s, &apps[0], 40, at(monday)).await.unwrap();
    let p = s.passport(KindergartenId(Uuid::from_u128(10)), monday).await.unwrap();
    assert_eq!((p.queue_size, fits(&p, 22)), (3, Some(2)));
}
