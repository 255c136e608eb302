//! Who reads whose personal data, asked of the office as each demo role would at its screen:
//! a real SQLite file seeded with the demo region, the clock standing at a fixed moment.

mod common;

use baqsha_api::*;
use baqsha_core::command::{ContactConfirmation, IdDocument};
use baqsha_core::roles::Operator;
use common::{denied, desk};

#[tokio::test]
async fn staff_read_only_the_children_who_name_their_kindergarten() {
    let d = desk().await;
    let mine = d.staff.kindergarten.unwrap();
    // A child naming the staff's kindergarten and one naming none of it, from the public queue.
    let mut naming = None;
    let mut other = None;
    for (category, kindergarten) in (2020..2027).flat_map(|c| [(c, Some(mine)), (c, None)]) {
        let q = QueueQuery { category, district: None, kindergarten, tier: None, page: 0, page_size: 50 };
        for line in d.office.queue_page(&d.staff, &q).await.unwrap().lines {
            let a = d.office.store().application_by_number(&line.number).await.unwrap();
            if a.preferences.contains(&mine) {
                naming.get_or_insert(a);
            } else {
                other.get_or_insert(a);
            }
        }
    }
    let (naming, other) = (naming.expect("a child naming the staff's kindergarten"), other.expect("a child naming others"));

    for desk_role in [&d.admin, &d.operator] {
        assert_eq!(d.office.check_queue(desk_role, naming.child.iin.as_str()).await.unwrap()[0].application.id, naming.id);
        assert_eq!(d.office.check_queue(desk_role, other.child.iin.as_str()).await.unwrap()[0].application.id, other.id);
    }
    assert_eq!(d.office.check_queue(&d.staff, naming.child.iin.as_str()).await.unwrap()[0].application.id, naming.id);
    denied(d.office.check_queue(&d.staff, other.child.iin.as_str()).await, "another kindergarten's child");
    denied(d.office.application_pdf(&d.staff, &other.number, baqsha_core::Lang::Kk).await.map(|f| f.name), "another kindergarten's certificate");
    assert!(d.office.application_pdf(&d.staff, &naming.number, baqsha_core::Lang::Kk).await.is_ok());
    // A typo in an IIN is the same answer for everyone: the IIN's rule, not a refusal.
    assert!(matches!(d.office.check_queue(&d.staff, "123").await, Err(ApiError::Iin { .. })));
}

#[tokio::test]
async fn registration_benefits_and_messages_are_the_departments() {
    let d = desk().await;
    let q = QueueQuery { category: 2023, district: None, kindergarten: None, tier: None, page: 0, page_size: 1 };
    let number = d.office.queue_page(&d.operator, &q).await.unwrap().lines[0].number.clone();
    let child = d.office.store().application_by_number(&number).await.unwrap().child.iin;
    for who in [&d.admin, &d.operator] {
        assert!(d.office.pending_benefits(who, None).await.is_ok());
        assert!(d.office.sent_messages(who).await.is_ok());
        assert!(matches!(d.office.lookup_person(who, child.as_str()).await, Ok(PersonLookup::Found { .. })), "the demo's registry knows its children");
    }
    denied(d.office.pending_benefits(&d.staff, None).await, "pending benefit claims");
    denied(d.office.proof_image(&d.staff, "00").await, "a proof image");
    denied(d.office.sent_messages(&d.staff).await, "sent messages");
    denied(d.office.send_messages_now(&d.staff).await, "sending messages");
    denied(d.office.lookup_person(&d.staff, child.as_str()).await, "the person registry");
    denied(d.office.send_code(&d.staff, "+77011234567").await, "a confirmation code");
    denied(d.office.load_draft(&d.staff).await, "the wizard's draft");
}

#[tokio::test]
async fn a_referral_is_read_at_the_desk_and_at_its_own_kindergarten_only() {
    let d = desk().await;
    // The round offers today's places in queue order; the desk takes one for its applicant.
    d.office.upkeep().await;
    let today = d.office.today();
    let bulletin = d.office.bulletin(&d.operator, today, None).await.unwrap();
    let (entry, note) = bulletin.iter().find_map(|e| e.offers.first().map(|n| (e, n))).expect("an offer after the round");
    let application = d.office.store().application_by_number(&note.number).await.unwrap();
    let choices = d.office.place_choices(&d.operator, application.id).await.unwrap();
    let choice = choices.iter().find(|c| c.offered).expect("the offered place among the choices");
    assert_eq!(choice.group, entry.group);
    let confirmation = ContactConfirmation::InPerson { document: IdDocument::IdCard, number: "045123789".into() };
    let taken =
        d.office.take_referral(&d.operator, &baqsha_api::calls::TakeReferral { application: application.id, vacancy: choice.vacancy, confirmation, lease: None }).await.unwrap();
    let number = taken.referral.referral.number.clone();
    let kindergarten = taken.referral.referral.kindergarten;

    for who in [&d.admin, &d.operator] {
        assert_eq!(d.office.referral_of(who, application.id).await.unwrap().unwrap().referral.number, number);
        assert!(d.office.find_referral(who, &number).await.unwrap().is_some());
        assert_eq!(d.office.issued_referrals(who, today, today).await.unwrap().len(), 1);
    }
    let staff_here = Operator { kindergarten: Some(kindergarten), ..d.staff.clone() };
    let staff_elsewhere = if d.staff.kindergarten == Some(kindergarten) {
        Operator { kindergarten: Some(baqsha_core::KindergartenId(uuid::Uuid::from_u128(9))), ..d.staff.clone() }
    } else {
        d.staff.clone()
    };
    assert!(d.office.find_referral(&staff_here, &number).await.unwrap().is_some());
    assert_eq!(d.office.issued_referrals(&staff_here, today, today).await.unwrap().len(), 1);
    denied(d.office.find_referral(&staff_elsewhere, &number).await, "another kindergarten's referral by number");
    denied(d.office.referral_of(&staff_elsewhere, application.id).await, "another kindergarten's referral of an application");
    denied(d.office.referral_pdf(&staff_elsewhere, &number, baqsha_core::Lang::Kk).await.map(|f| f.name), "another kindergarten's referral certificate");
    assert!(d.office.issued_referrals(&staff_elsewhere, today, today).await.unwrap().is_empty(), "the list is narrowed to the staff's kindergarten");
    // The certificate prints at its own kindergarten, dated by the office's clock.
    d.clock.advance(chrono::Duration::minutes(5));
    let pdf = d.office.referral_pdf(&staff_here, &number, baqsha_core::Lang::Kk).await.unwrap();
    assert!(pdf.pdf.starts_with(b"%PDF") && pdf.name.starts_with("zholdama-"));
}

/// A typo where a phone, an address or an IIN was asked for is answered with the rule it
/// broke (the words the forms give), never with the program's name of the field.
#[tokio::test]
async fn a_mistyped_contact_or_iin_is_refused_by_its_rule() {
    use baqsha_core::{IinError, PhoneError};
    let d = desk().await;
    let short = d.office.send_code(&d.operator, "8 701 555").await;
    assert!(matches!(short, Err(ApiError::Phone { error: PhoneError::WrongLength { digits: 7 } })), "{short:?}");
    let mail = d.office.send_code(&d.operator, "ata@").await;
    assert!(matches!(mail, Err(ApiError::Email { .. })), "{mail:?}");
    let iin = d.office.check_queue(&d.operator, "12345").await;
    assert!(matches!(iin, Err(ApiError::Iin { error: IinError::Length { found: 5 } })), "{iin:?}");
    let t = baqsha_i18n::Translator::new(baqsha_core::Lang::Kk);
    let Err(ApiError::Phone { error }) = short else { unreachable!() };
    assert!(t.phone_error(&error).contains("11 цифр"), "{}", t.phone_error(&error));
}

/// «Өтініштер кезегі» printed with a kindergarten chosen holds the lines the screen shows, at
/// the same positions, not the whole category.
#[tokio::test]
async fn the_printed_queue_is_the_queue_on_screen() {
    let d = desk().await;
    let k = d.office.search_kindergartens(&d.operator, &RegistryQuery::default()).await.unwrap().items[0].id;
    let q = QueueQuery { category: 2023, district: None, kindergarten: Some(k), tier: None, page: 0, page_size: 200 };
    let shown = d.office.queue_page(&d.operator, &q).await.unwrap();
    assert!(shown.total > 0 && shown.total < shown.counts.total(), "a narrowed list: {} of {}", shown.total, shown.counts.total());
    let list = PrintList::Queue { category: 2023, district: None, kindergarten: Some(k), tier: None };
    let printed = d.office.list_pdf(&d.operator, &list, baqsha_core::Lang::Kk).await.unwrap();
    assert_eq!(printed.rows, shown.total);
    let whole = d.office.list_pdf(&d.operator, &PrintList::Queue { category: 2023, district: None, kindergarten: None, tier: None }, baqsha_core::Lang::Kk).await.unwrap();
    assert_eq!(whole.rows, shown.counts.total());
    // A tier chosen too: still the screen's count.
    let tier = PrintList::Queue { category: 2023, district: None, kindergarten: Some(k), tier: Some(baqsha_core::BenefitTier::General) };
    let general = d.office.list_pdf(&d.operator, &tier, baqsha_core::Lang::Kk).await.unwrap();
    let on_screen = d.office.queue_page(&d.operator, &QueueQuery { tier: Some(baqsha_core::BenefitTier::General), ..q }).await.unwrap();
    assert_eq!(general.rows, on_screen.total);
}

#[tokio::test]
async fn an_application_number_finds_its_place_in_the_public_queue() {
    let d = desk().await;
    let q = QueueQuery { category: 2022, district: None, kindergarten: None, tier: None, page: 3, page_size: 25 };
    let line = d.office.queue_page(&d.staff, &q).await.unwrap().lines.pop().expect("a page 4 of 2022");
    // As printed, or typed in small letters with spaces around: the same place.
    for typed in [line.number.clone(), format!("  {} ", line.number.to_lowercase())] {
        let spot = d.office.find_in_queue(&d.staff, &typed).await.unwrap();
        assert_eq!(spot, Some(QueueSpot { category: 2022, position: line.position }), "{typed}");
    }
    assert_eq!(line.position, 100, "the last line of page 4");
    assert_eq!(d.office.find_in_queue(&d.operator, "VKO-1999-000001").await.unwrap(), None);
}
