//! «Баптаулар» as the office lives with them: only the regional administrator changes them,
//! a bad value changes nothing, a change is a command in the history and the outbox, and
//! what it says is what the rules then do — a refusal puts the child on the stop-list, and
//! without a summer pause places are published in August.

mod common;

use baqsha_api::*;
use baqsha_core::command::{ReferralRef, RuleError};
use baqsha_core::referral::{PublicationPause, RefusalRules};
use baqsha_core::ApplicationStatus;
use chrono::{NaiveDate, TimeZone, Utc};
use common::{denied, desk, take_first_offer};

fn settings(annuls: bool, stop_list_days: u32, publication_pause: Option<PublicationPause>) -> OfficeSettings {
    let kurban_ait = baqsha_core::calendar::WorkCalendar::kazakhstan().kurban_ait_days().map(|(year, first_day)| KurbanAitDay { year, first_day }).collect();
    OfficeSettings { refusal: RefusalRules { annuls, stop_list_days }, publication_pause, kurban_ait }
}

#[tokio::test]
async fn a_year_without_kurban_ait_is_mended_from_the_settings() {
    // A desk in 2031: the code knows Kurban ait up to 2030, so no deadline can be counted.
    let d = common::desk_at(Utc.with_ymd_and_hms(2031, 2, 4, 4, 0, 0).unwrap()).await;
    d.office.upkeep().await;
    let bulletin = d.office.bulletin(&d.operator, d.office.today(), None).await.unwrap();
    let note = bulletin.iter().find_map(|e| e.offers.first());
    assert!(note.is_none(), "no offer can be made without a deadline");
    // Only the administrator enters it, and only as a date of that year.
    denied(d.office.set_kurban_ait(&d.operator, 2031, NaiveDate::from_ymd_opt(2031, 4, 2).unwrap()).await, "an operator entering Kurban ait");
    let outside = d.office.set_kurban_ait(&d.admin, 2031, NaiveDate::from_ymd_opt(2030, 4, 13).unwrap()).await;
    assert!(matches!(outside, Err(ApiError::Rule { rule: RuleError::KurbanAitOutsideYear { year: 2031 } })), "{outside:?}");
    let s = d.office.set_kurban_ait(&d.admin, 2031, NaiveDate::from_ymd_opt(2031, 4, 2).unwrap()).await.unwrap();
    assert_eq!(s.kurban_ait.last(), Some(&KurbanAitDay { year: 2031, first_day: NaiveDate::from_ymd_opt(2031, 4, 2).unwrap() }));
    // Now the round offers places with their deadlines, and the referral is taken.
    let (_, taken) = take_first_offer(&d).await;
    assert!(taken.referral.referral.valid_until > NaiveDate::from_ymd_opt(2031, 2, 4).unwrap());
}

#[tokio::test]
async fn the_settings_are_the_administrators_and_each_change_is_a_command() {
    let d = desk().await;
    let store = d.office.store();
    let defaults = settings(false, 0, Some(PublicationPause::default()));
    assert_eq!(d.office.office_settings(&d.operator).await.unwrap(), defaults);
    let (history, outbox) = (store.history_len().await.unwrap(), store.outbox_unsent().await.unwrap());

    denied(d.office.save_office_settings(&d.operator, &settings(true, 0, None)).await, "an operator changing the settings");
    denied(d.office.save_office_settings(&d.staff, &settings(true, 0, None)).await, "kindergarten staff changing the settings");
    let too_long = d.office.save_office_settings(&d.admin, &settings(false, 400, None)).await;
    assert!(matches!(too_long, Err(ApiError::Rule { rule: RuleError::BadSetting { .. } })), "{too_long:?}");
    let backwards = d.office.save_office_settings(&d.admin, &settings(false, 0, Some(PublicationPause { from: (8, 31), to: (8, 1) }))).await;
    assert!(matches!(backwards, Err(ApiError::Rule { rule: RuleError::BadSetting { .. } })), "{backwards:?}");
    assert_eq!(d.office.office_settings(&d.admin).await.unwrap(), defaults, "a refused form saves nothing");
    assert_eq!((store.history_len().await.unwrap(), store.outbox_unsent().await.unwrap()), (history, outbox));

    let chosen = settings(false, 30, None);
    assert_eq!(d.office.save_office_settings(&d.admin, &chosen).await.unwrap(), chosen);
    assert_eq!(d.office.office_settings(&d.operator).await.unwrap(), chosen);
    assert_eq!((store.history_len().await.unwrap(), store.outbox_unsent().await.unwrap()), (history + 1, outbox + 1), "one command, one history row, one outbox row");
}

#[tokio::test]
async fn a_refusal_under_a_stop_list_keeps_the_queue_place_but_offers_nothing_for_its_days() {
    let d = desk().await;
    d.office.save_office_settings(&d.admin, &settings(false, 30, Some(PublicationPause::default()))).await.unwrap();
    let (application, taken) = take_first_offer(&d).await;
    let referral = ReferralRef::of(&taken.referral.referral);
    d.office.referral_action(&d.operator, referral, ReferralAction::Refuse { reason: "үйден алыс".into() }).await.unwrap();
    d.office.upkeep().await;
    let after = d.office.store().application(application.id).await.unwrap();
    assert_eq!(after.status, ApplicationStatus::Queued, "back in the queue at its own time");
    assert!(d.office.place_choices(&d.operator, application.id).await.unwrap().is_empty(), "on the stop-list: no turn");
    // The place went back to the bulletin and to the next in the queue, not to them.
    let bulletin = d.office.bulletin(&d.operator, d.office.today(), None).await.unwrap();
    assert!(bulletin.iter().flat_map(|e| &e.offers).all(|o| o.number != application.number));
    let history = d.office.store().history_lines(application.id).await.unwrap();
    assert_eq!(history.iter().map(|l| l.kind.as_str()).collect::<Vec<_>>(), ["register_application", "make_offer", "issue_referral", "refuse_referral"]);
}

#[tokio::test]
async fn without_a_summer_pause_august_publications_go_through() {
    let d = desk().await;
    // A group with room not yet published, anywhere in the region.
    let query = RegistryQuery { text: String::new(), language: None, kind: None, district: None, sort: RegistrySort::Name, russian_names: false, page: 0, page_size: 100 };
    let mut group = None;
    for k in d.office.search_kindergartens(&d.admin, &query).await.unwrap().items {
        let passport = d.office.passport(&d.admin, k.id).await.unwrap();
        if let Some(row) = passport.groups.into_iter().find(|r| r.group.free_places() > r.open_places) {
            group = Some(row.group);
            break;
        }
    }
    let group = group.expect("a group with room");
    let august = NaiveDate::from_ymd_opt(2027, 8, 10).unwrap();
    d.clock.set(Utc.with_ymd_and_hms(2027, 8, 10, 4, 0, 0).unwrap());
    let paused = d.office.publish_places(&d.admin, group.kindergarten, group.id, 1, august).await;
    assert!(matches!(paused, Err(ApiError::Rule { rule: RuleError::PublicationPaused { .. } })), "{paused:?}");
    d.office.save_office_settings(&d.admin, &settings(false, 0, None)).await.unwrap();
    d.office.publish_places(&d.admin, group.kindergarten, group.id, 1, august).await.unwrap();
}
