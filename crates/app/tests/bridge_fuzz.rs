//! Every call the window can send, with random and edge arguments (empty, huge, the
//! calendar's edges, paths, SQL, control characters, ids of nothing and of another
//! kindergarten), as each role: no panic, and a refused call writes nothing.

mod common;

use baqsha_api::*;
use baqsha_core::command::{ApplicationChanges, ReferralRef};
use baqsha_core::roles::Role;
use baqsha_core::*;
use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Call {
    Search(String, u32, u32),
    Passport(Uuid),
    CheckQueue(String),
    Withdraw(Uuid, String),
    Edit(Uuid, String, String, Vec<Uuid>),
    QueuePage(i32, Option<String>, u32, u32),
    Lookup(String),
    SendCode(String),
    ConfirmCode(String, String),
    AddProof(String, String),
    ProofImage(String),
    PendingBenefits(String),
    DecideBenefit(Uuid, bool, String),
    PlaceChoices(Uuid),
    FindReferral(String),
    Extend(Uuid, Uuid, Uuid, NaiveDate),
    Refuse(Uuid, Uuid, Uuid, String),
    Bulletin(NaiveDate, Option<String>),
    GroupsOf(Uuid),
    SetKurbanAit(i32, NaiveDate),
    SaveGroup(Uuid, Uuid, String, u8, u8, u32, u32, u32),
    Publish(Uuid, Uuid, u32, NaiveDate),
    Issued(NaiveDate, NaiveDate),
    Allocated(NaiveDate, NaiveDate),
    PrintQueue(i32, Option<String>),
    PrintBulletin(NaiveDate, Option<String>),
    ApplicationPdf(String),
    ReferralPdf(String),
    CheckSeal(String, Option<String>),
    SaveAccount(Option<Uuid>, String, String, u8, bool, Option<String>),
    ResetPassword(Uuid, String),
    SaveDraft(String),
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("   ".to_string()),
        Just("../../x".to_string()),
        Just("..\\..\\Windows\\x".to_string()),
        Just("' OR 1=1 --".to_string()),
        Just("%_*\"".to_string()),
        Just("\u{0}\u{1f}\n".to_string()),
        Just("ӘҒҚҢӨҰҮҺІ әғқңөұүһі".to_string()),
        Just("я".repeat(5000)),
        Just("871008401427".to_string()),
        Just("+77011234567".to_string()),
        Just("87011234567".to_string()),
        Just("ata@example.kz".to_string()),
        Just("VKO-2026-000001".to_string()),
        Just("CON".to_string()),
        "\\PC{0,40}",
    ]
}

fn number() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), Just(1), Just(u32::MAX), Just(i32::MAX as u32), 0..100_000u32]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        (-1_000_000..4_000_000i32).prop_filter_map("a day", NaiveDate::from_num_days_from_ce_opt),
        (738_000..741_000i32).prop_filter_map("a day near now", NaiveDate::from_num_days_from_ce_opt),
    ]
}

fn call(ids: Vec<Uuid>) -> impl Strategy<Value = Call> {
    let id = move || prop_oneof![prop::sample::select(ids.clone()), any::<u128>().prop_map(Uuid::from_u128), Just(Uuid::nil())];
    let district = || prop::option::of(prop_oneof![Just("oskemen".to_string()), text()]);
    prop_oneof![
        (text(), number(), number()).prop_map(|(t, p, s)| Call::Search(t, p, s)),
        id().prop_map(Call::Passport),
        text().prop_map(Call::CheckQueue),
        (id(), text()).prop_map(|(a, r)| Call::Withdraw(a, r)),
        (id(), text(), text(), prop::collection::vec(id(), 0..6)).prop_map(|(a, p, addr, k)| Call::Edit(a, p, addr, k)),
        (any::<i32>(), district(), number(), number()).prop_map(|(c, d, p, s)| Call::QueuePage(c, d, p, s)),
        text().prop_map(Call::Lookup),
        text().prop_map(Call::SendCode),
        (text(), text()).prop_map(|(t, c)| Call::ConfirmCode(t, c)),
        (text(), text()).prop_map(|(n, d)| Call::AddProof(n, d)),
        text().prop_map(Call::ProofImage),
        text().prop_map(Call::PendingBenefits),
        (id(), any::<bool>(), text()).prop_map(|(a, c, r)| Call::DecideBenefit(a, c, r)),
        id().prop_map(Call::PlaceChoices),
        text().prop_map(Call::FindReferral),
        (id(), id(), id(), date()).prop_map(|(r, a, k, d)| Call::Extend(r, a, k, d)),
        (id(), id(), id(), text()).prop_map(|(r, a, k, t)| Call::Refuse(r, a, k, t)),
        (date(), district()).prop_map(|(d, s)| Call::Bulletin(d, s)),
        id().prop_map(Call::GroupsOf),
        (prop_oneof![Just(i32::MIN), Just(2031), any::<i32>()], date()).prop_map(|(y, d)| Call::SetKurbanAit(y, d)),
        (id(), id(), text(), any::<u8>(), any::<u8>(), number(), number(), number()).prop_map(|(g, k, n, f, t, c, e, w)| Call::SaveGroup(g, k, n, f, t, c, e, w)),
        (id(), id(), number(), date()).prop_map(|(k, g, c, d)| Call::Publish(k, g, c, d)),
        (date(), date()).prop_map(|(a, b)| Call::Issued(a, b)),
        (date(), date()).prop_map(|(a, b)| Call::Allocated(a, b)),
        (any::<i32>(), district()).prop_map(|(c, d)| Call::PrintQueue(c, d)),
        (date(), district()).prop_map(|(d, s)| Call::PrintBulletin(d, s)),
        text().prop_map(Call::ApplicationPdf),
        text().prop_map(Call::ReferralPdf),
        (text(), prop::option::of(text())).prop_map(|(t, i)| Call::CheckSeal(t, i)),
        (prop::option::of(id()), text(), text(), 0..3u8, any::<bool>(), prop::option::of(text())).prop_map(|(i, l, n, r, a, p)| Call::SaveAccount(i, l, n, r, a, p)),
        (id(), text()).prop_map(|(i, p)| Call::ResetPassword(i, p)),
        text().prop_map(Call::SaveDraft),
    ]
}

/// What every refusal must leave as it was: the history and the outbox.
async fn written(d: &common::Desk) -> (i64, i64) {
    (d.office.store().history_len().await.unwrap(), d.office.store().outbox_unsent().await.unwrap())
}

/// Sends the call as `op`; answers whether it was refused.
async fn send(d: &common::Desk, op: &baqsha_core::roles::Operator, call: Call) -> bool {
    let o = &d.office;
    let lang = Lang::Kk;
    let ok = |r: Result<(), ApiError>| r.is_ok();
    let refused = match call {
        Call::Search(t, page, size) => {
            let q = RegistryQuery { text: t, language: None, kind: None, district: None, sort: RegistrySort::Name, russian_names: false, page, page_size: size };
            !ok(o.search_kindergartens(op, &q).await.map(drop))
        }
        Call::Passport(k) => !ok(o.passport(op, KindergartenId(k)).await.map(drop)),
        Call::CheckQueue(t) => !ok(o.check_queue(op, &t).await.map(drop)),
        Call::Withdraw(a, r) => !ok(o.withdraw_application(op, ApplicationId(a), &r).await.map(drop)),
        Call::Edit(a, phone, address, prefs) => match Phone::parse(&phone) {
            Ok(phone) => {
                let changes = ApplicationChanges {
                    contacts: Contacts { phone, extra_phone: None, email: None },
                    address,
                    preferences: prefs.into_iter().map(KindergartenId).collect(),
                    language: Language::Kk,
                    benefit: None,
                    proofs: vec![],
                };
                !ok(o.edit_application(op, ApplicationId(a), changes, None).await.map(drop))
            }
            Err(_) => true,
        },
        Call::QueuePage(c, district, page, size) => {
            let q = QueueQuery { category: c, district, kindergarten: None, tier: None, page, page_size: size };
            !ok(o.queue_page(op, &q).await.map(drop))
        }
        Call::Lookup(t) => !ok(o.lookup_person(op, &t).await.map(drop)),
        Call::SendCode(t) => !ok(o.send_code(op, &t).await.map(drop)),
        Call::ConfirmCode(t, c) => !ok(o.confirm_code(op, &t, &c).await),
        Call::AddProof(n, data) => !ok(o.add_proof(op, &n, &data).await.map(drop)),
        Call::ProofImage(t) => !ok(o.proof_image(op, &t).await.map(drop)),
        Call::PendingBenefits(t) => !ok(o.pending_benefits(op, Some(&t)).await.map(drop)),
        Call::DecideBenefit(a, confirm, r) => !ok(o.decide_benefit(op, ApplicationId(a), confirm, &r).await),
        Call::PlaceChoices(a) => !ok(o.place_choices(op, ApplicationId(a)).await.map(drop)),
        Call::FindReferral(t) => !ok(o.find_referral(op, &t).await.map(drop)),
        Call::Extend(r, a, k, until) => {
            let referral = ReferralRef { id: ReferralId(r), application: ApplicationId(a), kindergarten: KindergartenId(k) };
            !ok(o.referral_action(op, referral, ReferralAction::Extend { until }).await.map(drop))
        }
        Call::Refuse(r, a, k, reason) => {
            let referral = ReferralRef { id: ReferralId(r), application: ApplicationId(a), kindergarten: KindergartenId(k) };
            !ok(o.referral_action(op, referral, ReferralAction::Refuse { reason }).await.map(drop))
        }
        Call::Bulletin(on, district) => !ok(o.bulletin(op, on, district.as_deref()).await.map(drop)),
        Call::GroupsOf(k) => !ok(o.groups_of(op, Some(KindergartenId(k))).await.map(drop)),
        Call::SetKurbanAit(y, d) => !ok(o.set_kurban_ait(op, y, d).await.map(drop)),
        Call::SaveGroup(g, k, name, from, to, capacity, enrolled, was) => {
            let group =
                Group { id: GroupId(g), kindergarten: KindergartenId(k), name, age: AgeBand { from_years: from, to_years: to }, language: Language::Ru, capacity, enrolled };
            !ok(o.save_group(op, group, was).await)
        }
        Call::Publish(k, g, count, on) => !ok(o.publish_places(op, KindergartenId(k), GroupId(g), count, on).await),
        Call::Issued(from, to) => !ok(o.issued_referrals(op, from, to).await.map(drop)),
        Call::Allocated(from, to) => !ok(o.statistics_allocated(op, from, to).await.map(drop)),
        Call::PrintQueue(category, district) => !ok(o.list_pdf(op, &PrintList::Queue { category, district, kindergarten: None, tier: None }, lang).await.map(drop)),
        Call::PrintBulletin(date, district) => !ok(o.list_pdf(op, &PrintList::Bulletin { date, district }, lang).await.map(drop)),
        Call::ApplicationPdf(n) => !ok(o.application_pdf(op, &n, lang).await.map(drop)),
        Call::ReferralPdf(n) => !ok(o.referral_pdf(op, &n, lang).await.map(drop)),
        Call::CheckSeal(t, iin) => !ok(o.check_seal(op, &t, iin.as_deref()).await.map(drop)),
        Call::SaveAccount(id, login, full_name, role, active, password) => {
            let role = [Role::DepartmentOperator, Role::KindergartenStaff, Role::RegionalAdmin][role as usize];
            let form = AccountForm { id: id.map(OperatorId), login, full_name, role, kindergarten: None, active, password };
            !ok(o.save_account(op, &form).await.map(drop))
        }
        Call::ResetPassword(id, password) => !ok(o.reset_password(op, OperatorId(id), &password).await.map(drop)),
        Call::SaveDraft(t) => !ok(o.save_draft(op, &serde_json::Value::String(t)).await),
    };
    refused
}

#[test]
fn every_bridge_call_survives_hostile_arguments_and_a_refusal_writes_nothing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let d = rt.block_on(common::desk());
    // Ids that exist: kindergartens (the staff's own and others), their groups, applications.
    let ids: Vec<Uuid> = rt.block_on(async {
        let q = RegistryQuery { text: String::new(), language: None, kind: None, district: None, sort: RegistrySort::Name, russian_names: false, page: 0, page_size: 20 };
        let mut ids: Vec<Uuid> = d.office.search_kindergartens(&d.admin, &q).await.unwrap().items.iter().map(|k| k.id.0).collect();
        ids.push(d.staff.kindergarten.unwrap().0);
        for k in ids.clone().into_iter().take(5) {
            ids.extend(d.office.groups_of(&d.admin, Some(KindergartenId(k))).await.unwrap().groups.iter().map(|g| g.group.id.0));
        }
        let page = d.office.queue_page(&d.admin, &QueueQuery { category: 2023, district: None, kindergarten: None, tier: None, page: 0, page_size: 10 }).await.unwrap();
        for line in page.lines {
            ids.push(d.office.store().application_by_number(&line.number).await.unwrap().id.0);
        }
        ids.extend([d.admin.id.0, d.operator.id.0, d.staff.id.0]);
        ids
    });
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() });
    let roles = [d.admin.clone(), d.operator.clone(), d.staff.clone()];
    runner
        .run(&(call(ids), 0..3usize), |(call, who)| {
            rt.block_on(async {
                let before = written(&d).await;
                let shown = format!("{call:?}");
                let refused = send(&d, &roles[who], call).await;
                if refused {
                    assert_eq!(written(&d).await, before, "a refused call wrote: {} as {:?}", shown.chars().take(300).collect::<String>(), roles[who].role);
                }
            });
            Ok(())
        })
        .unwrap();
}
