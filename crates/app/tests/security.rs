//! What a hostile or careless caller at the bridge tries, asked of the office directly: each
//! answer a clear refusal, nothing written, nothing of another kindergarten told.

mod common;

use baqsha_api::*;
use baqsha_core::KindergartenId;
use chrono::NaiveDate;
use common::{denied, desk};

fn refused_date<T: std::fmt::Debug>(r: Result<T, ApiError>, what: &str) {
    assert!(matches!(&r, Err(ApiError::InvalidInput { field }) if field == "date"), "{what}: expected the date refused, got {r:?}");
}

#[tokio::test]
async fn dates_at_the_calendars_edges_are_refused_not_a_crash() {
    let d = desk().await;
    let today = d.office.today();
    let before = d.office.store().history_len().await.unwrap();
    let k = d.staff.kindergarten.unwrap();
    let group = d.office.groups_of(&d.staff, None).await.unwrap().groups[0].group.id;
    for edge in [NaiveDate::MIN, NaiveDate::MAX, NaiveDate::from_ymd_opt(20260, 1, 1).unwrap()] {
        refused_date(d.office.bulletin(&d.operator, edge, None).await, "the bulletin");
        refused_date(d.office.issued_referrals(&d.operator, edge, today).await, "referrals from");
        refused_date(d.office.issued_referrals(&d.operator, today, edge).await, "referrals to");
        refused_date(d.office.statistics_allocated(&d.operator, edge, edge).await, "statistics");
        refused_date(d.office.publish_places(&d.staff, k, group, 1, edge).await, "a publication");
        for list in [
            PrintList::Bulletin { date: edge, district: None },
            PrintList::Referrals { from: today, to: edge, district: None },
            PrintList::StatisticsAllocated { from: edge, to: today },
        ] {
            refused_date(d.office.list_pdf(&d.operator, &list, baqsha_core::Lang::Kk).await.map(|f| f.name), "a printed list");
        }
    }
    assert_eq!(d.office.store().history_len().await.unwrap(), before, "a refused date writes nothing");
    // The same calls on a real date still answer.
    assert!(d.office.bulletin(&d.operator, today, None).await.is_ok());
    assert!(d.office.statistics_allocated(&d.operator, today, today).await.is_ok());
}

#[tokio::test]
async fn another_kindergartens_group_is_refused_without_a_trace_or_its_counts() {
    let d = desk().await;
    let mine = d.staff.kindergarten.unwrap();
    let q = RegistryQuery { text: String::new(), language: None, kind: None, district: None, sort: RegistrySort::Name, russian_names: false, page: 0, page_size: 50 };
    let other: KindergartenId = d.office.search_kindergartens(&d.admin, &q).await.unwrap().items.iter().map(|i| i.id).find(|id| *id != mine).unwrap();
    let theirs = d.office.groups_of(&d.admin, Some(other)).await.unwrap().groups[0].group.clone();
    let before = d.office.store().history_len().await.unwrap();

    // Publishing their group's places under my kindergarten's name.
    denied(d.office.publish_places(&d.staff, mine, theirs.id, 1, d.office.today()).await, "places of another kindergarten's group");
    // Saving their group as if it were mine: a wrong children count would otherwise tell theirs.
    let mut forged = theirs.clone();
    forged.kindergarten = mine;
    forged.capacity = 1;
    for was_enrolled in [theirs.enrolled, theirs.enrolled + 7] {
        denied(d.office.save_group(&d.staff, forged.clone(), was_enrolled).await, "another kindergarten's group saved as mine");
    }
    assert_eq!(d.office.store().history_len().await.unwrap(), before, "nothing is written");
    assert_eq!(d.office.groups_of(&d.admin, Some(other)).await.unwrap().groups[0].group, theirs, "their group is as it was");
}

fn person(iin: baqsha_core::Iin, surname: &str, given: &str, verified: bool) -> baqsha_core::Person {
    baqsha_core::Person { iin, surname: surname.into(), given_name: given.into(), patronymic: None, verified }
}

#[tokio::test]
async fn a_name_is_verified_only_when_this_desks_registry_lookup_gave_it() {
    use baqsha_core::{Iin, Sex};
    let born = NaiveDate::from_ymd_opt(2023, 4, 5).unwrap();
    let children: Vec<Iin> = (9001..9100).filter_map(|s| Iin::from_parts(born, Sex::Male, s)).take(3).collect();
    let parent = Iin::parse("871008401427").unwrap();
    let names = |surname: &str, given: &str| baqsha_persons::Names { surname: surname.into(), given_name: given.into(), patronymic: None };
    let registry = baqsha_persons::Memory::new(children.iter().map(|c| (c.clone(), names("Серікұлы", "Әлихан"))).chain([(parent.clone(), names("Нұрланова", "Айгүл"))]));
    let d = common::desk_with(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 2, 4, 0, 0).unwrap(), Some(std::sync::Arc::new(registry))).await;
    let q = RegistryQuery { text: String::new(), language: None, kind: None, district: None, sort: RegistrySort::Name, russian_names: false, page: 0, page_size: 1 };
    let kindergarten = d.office.search_kindergartens(&d.operator, &q).await.unwrap().items[0].id;
    let submit = |child: Iin, surname: &'static str| {
        let d = &d;
        let parent = parent.clone();
        async move {
            let a = NewApplication {
                // The screen claims both names came from the registry.
                child: person(child, surname, "Әлихан", true),
                parent: person(parent, "Нұрланова", "Айгүл", true),
                contacts: baqsha_core::Contacts { phone: baqsha_core::Phone::parse("87011234567").unwrap(), extra_phone: None, email: None },
                address: "Өскемен қ., Абай даңғылы 1".into(),
                preferences: vec![kindergarten],
                language: baqsha_core::Language::Kk,
                benefit: None,
                consent: true,
                confirmation: common::in_person(),
            };
            let number = d.office.submit_application(&d.operator, &a).await.unwrap().number;
            let stored = d.office.store().application_by_number(&number).await.unwrap();
            (stored.child.verified, stored.parent.verified)
        }
    };
    assert_eq!(submit(children[0].clone(), "Серікұлы").await, (false, false), "nothing was looked up: typed by hand, whatever the screen says");
    for iin in [&children[1], &children[2], &parent] {
        assert!(matches!(d.office.lookup_person(&d.operator, iin.as_str()).await, Ok(PersonLookup::Found { .. })));
    }
    assert_eq!(submit(children[1].clone(), "Серікұлы").await, (true, true), "the registry's own names");
    assert_eq!(submit(children[2].clone(), "Серіков").await, (false, true), "a surname changed after the lookup is typed, not verified");
}

#[tokio::test]
async fn a_printed_lists_name_never_leaves_the_documents_folder() {
    let d = desk().await;
    let folder = std::path::Path::new("Documents").join("Baqsha");
    for district in ["../../x", "..\\..\\Windows\\x", "/etc/cron.d/x", "CON"] {
        let list = PrintList::Queue { category: 2022, district: Some(district.into()), kindergarten: None, tier: None };
        let name = d.office.list_pdf(&d.operator, &list, baqsha_core::Lang::Kk).await.unwrap().name;
        let path = baqsha_app::files::inside(&folder, &name).unwrap_or_else(|| panic!("«{district}» named the file «{name}»"));
        assert_eq!(path.parent(), Some(folder.as_path()));
    }
}

/// The code last sent to `target`, as the parent's phone would show it.
async fn code_sent_to(d: &common::Desk, target: &str) -> String {
    let list = d.office.store().recent_messages(20).await.unwrap();
    let m = list.iter().find(|m| m.notification.recipient == target && m.notification.secret).expect("a code was queued");
    m.notification.body.chars().filter(char::is_ascii_digit).take(6).collect()
}

#[tokio::test]
async fn four_hundred_parallel_guesses_count_five_tries_and_a_resend_gives_no_more() {
    use baqsha_core::codes::CodeError;
    let d = desk().await;
    let phone = "+77015550177";
    d.office.send_code(&d.operator, phone).await.unwrap();
    let code = code_sent_to(&d, phone).await;
    let guesses: Vec<String> = (0..400).map(|n| format!("{n:06}")).filter(|g| *g != code).take(400).collect();
    let answers = futures_like_join(guesses.iter().map(|g| {
        let office = d.office.clone();
        let op = d.operator.clone();
        let g = g.clone();
        tokio::spawn(async move { office.confirm_code(&op, phone, &g).await })
    }))
    .await;
    let wrong = answers.iter().filter(|a| matches!(a, Err(ApiError::Code { error: CodeError::Wrong { .. } }))).count();
    let locked = answers.iter().filter(|a| matches!(a, Err(ApiError::Code { error: CodeError::TooManyTries }))).count();
    assert_eq!((wrong, locked, answers.len()), (4, answers.len() - 4, answers.len()), "four «tries left», then refusals");
    assert_eq!(d.office.store().code_record(phone).await.unwrap().unwrap().tries, 5, "five tries counted, not one");
    // The right code is refused now, and a new code is refused for the hour, not granted five more tries.
    assert!(matches!(d.office.confirm_code(&d.operator, phone, &code).await, Err(ApiError::Code { error: CodeError::TooManyTries })));
    d.clock.advance(chrono::Duration::minutes(2));
    assert!(matches!(d.office.send_code(&d.operator, phone).await, Err(ApiError::Code { error: CodeError::Locked { minutes: 58 } })));
}

#[tokio::test]
async fn a_contact_gets_five_codes_an_hour() {
    use baqsha_core::codes::CodeError;
    let d = desk().await;
    let phone = "+77015550178";
    for _ in 0..5 {
        d.office.send_code(&d.operator, phone).await.unwrap();
        d.clock.advance(chrono::Duration::seconds(61));
    }
    assert!(matches!(d.office.send_code(&d.operator, phone).await, Err(ApiError::Code { error: CodeError::Locked { .. } })));
    d.clock.advance(chrono::Duration::minutes(55));
    let code = {
        d.office.send_code(&d.operator, phone).await.unwrap();
        code_sent_to(&d, phone).await
    };
    assert!(d.office.confirm_code(&d.operator, phone, &code).await.is_ok(), "an hour after the first code, a fresh start");
}

#[tokio::test]
async fn a_phone_changed_in_edit_is_confirmed_by_a_code_sent_to_the_new_number() {
    use baqsha_core::command::{ApplicationChanges, ContactConfirmation, RuleError};
    let d = desk().await;
    let page = d.office.queue_page(&d.operator, &QueueQuery { category: 2023, district: None, kindergarten: None, tier: None, page: 0, page_size: 1 }).await.unwrap();
    let a = d.office.store().application_by_number(&page.lines[0].number).await.unwrap();
    let new_phone = "+77475550190";
    let changes = ApplicationChanges {
        contacts: baqsha_core::Contacts { phone: baqsha_core::Phone::parse(new_phone).unwrap(), ..a.contacts.clone() },
        address: a.address.clone(),
        preferences: a.preferences.clone(),
        language: a.language,
        benefit: a.benefit.as_ref().map(|b| b.kind),
        proofs: vec![],
    };
    let not_confirmed = |r: Result<ApplicationView, ApiError>| {
        assert!(matches!(&r, Err(ApiError::Rule { rule: RuleError::ContactNotConfirmed { target } }) if target == new_phone), "{r:?}");
    };
    not_confirmed(d.office.edit_application(&d.operator, a.id, changes.clone(), None).await);
    // A code sent to the old number and typed confirms the old number, not the new one.
    let old = a.contacts.phone.as_str();
    d.office.send_code(&d.operator, old).await.unwrap();
    d.office.confirm_code(&d.operator, old, &code_sent_to(&d, old).await).await.unwrap();
    not_confirmed(d.office.edit_application(&d.operator, a.id, changes.clone(), Some(ContactConfirmation::Codes)).await);
    assert_eq!(d.office.store().application(a.id).await.unwrap(), a, "nothing of a refused edit is kept");
    d.office.send_code(&d.operator, new_phone).await.unwrap();
    d.office.confirm_code(&d.operator, new_phone, &code_sent_to(&d, new_phone).await).await.unwrap();
    let view = d.office.edit_application(&d.operator, a.id, changes, Some(ContactConfirmation::Codes)).await.unwrap();
    assert_eq!(view.application.contacts.phone.as_str(), new_phone);
}

async fn futures_like_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let handles: Vec<_> = handles.collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn sent_messages_never_show_a_code_outside_the_demo() {
    let d = desk().await;
    let phone = "+77015550112";
    d.office.send_code(&d.operator, phone).await.unwrap();
    let code = code_sent_to(&d, phone).await;
    let shown = |list: &[SentMessage]| list.iter().find(|m| m.secret).cloned().expect("the code's message is listed");
    // The demo has no parent's phone: its codes are read on this screen.
    assert!(shown(&d.office.sent_messages(&d.operator).await.unwrap()).body.contains(&code));
    // A real office: that the code went, and where, by its ends only.
    d.office.store().set_meta("demo", "0").await.unwrap();
    let list = d.office.sent_messages(&d.operator).await.unwrap();
    let m = shown(&list);
    assert_eq!((m.body.as_str(), m.recipient.as_str(), m.subject), ("", "+7 7•• ••• •• 12", None));
    let codes: Vec<&SentMessage> = list.iter().filter(|m| m.secret).collect();
    let everything = format!("{codes:?}");
    assert!(!everything.contains(&code) && !everything.contains("5550112"), "neither a code nor its number leaves the office");
}

#[tokio::test]
async fn a_session_ends_after_its_idle_time_and_activity_keeps_it() {
    let d = desk().await;
    let minutes = chrono::Duration::minutes;
    let mut s = d.office.open_session(d.operator.clone()).await.unwrap();
    assert_eq!(s.idle_limit(), minutes(baqsha_app::IDLE_MINUTES));
    d.clock.advance(minutes(29));
    assert!(s.stands(d.office.computer_now(), true), "used after 29 minutes");
    // The first sync finds the computer's clock ten hours behind the region's: the desk's time
    // jumps, the operator has not been away.
    d.office.correct_clock(chrono::Duration::hours(10)).await.unwrap();
    assert_eq!(d.office.now() - d.office.computer_now(), chrono::Duration::hours(10));
    assert!(s.stands(d.office.computer_now(), true), "a corrected clock is not idle time");
    d.clock.advance(minutes(29));
    assert!(s.stands(d.office.computer_now(), false), "29 minutes after the last use: looked at, not used");
    d.clock.advance(minutes(2));
    assert!(!s.stands(d.office.computer_now(), true), "31 minutes idle: over");
    // The office's own idle time; a setting that is not a number of minutes keeps 30.
    for (setting, limit) in [("5", 5), ("abc", 30), ("0", 30), ("100000", 30)] {
        d.office.store().set_setting("session_idle_minutes", setting).await.unwrap();
        assert_eq!(d.office.open_session(d.operator.clone()).await.unwrap().idle_limit(), minutes(limit), "{setting}");
    }
}

#[tokio::test]
async fn five_wrong_passwords_make_the_login_wait_with_a_clear_answer() {
    let d = desk().await;
    for _ in 0..5 {
        assert!(matches!(d.office.sign_in("operator", "wrong").await, Err(ApiError::BadCredentials)));
    }
    assert!(matches!(d.office.sign_in("operator", "baqsha-operator").await, Err(ApiError::SignInWait { seconds: 30 })));
    d.clock.advance(chrono::Duration::seconds(31));
    assert!(d.office.sign_in("operator", "baqsha-operator").await.is_ok());
}

#[tokio::test]
async fn a_clock_set_back_writes_nothing_dated_before_what_was_written() {
    let d = desk().await;
    let group = d.office.groups_of(&d.staff, None).await.unwrap().groups[0].group.clone();
    let before = d.office.store().history_len().await.unwrap();
    // Set back an hour (to reopen a deadline): refused with the newest entry's time.
    d.clock.advance(chrono::Duration::hours(-1));
    let r = d.office.save_group(&d.staff, group.clone(), group.enrolled).await;
    assert!(matches!(r, Err(ApiError::Rule { rule: baqsha_core::command::RuleError::ClockBehind { .. } })), "{r:?}");
    assert_eq!(d.office.store().history_len().await.unwrap(), before);
    // Two minutes behind (another window's clock, a correction) is not tampering.
    d.clock.advance(chrono::Duration::minutes(58));
    let r = d.office.save_group(&d.staff, group.clone(), group.enrolled).await;
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(d.office.store().history_len().await.unwrap(), before + 1);
}

#[tokio::test]
async fn a_history_rewritten_with_fresh_hashes_no_longer_verifies() {
    use sqlx::{Connection, Row};
    let d = desk().await;
    assert!(matches!(d.office.check_history().await, HistoryCheck::Intact { .. }));
    let path = d.office.store().path().to_path_buf();
    // Someone with the file edits an entry and recomputes every hash after it, as the
    // program would: the chain alone is consistent again.
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::query("DROP TRIGGER history_is_append_only_update").execute(&mut db).await.unwrap();
    let rows = sqlx::query("SELECT seq, command_id, at, author, device, kind, body FROM history ORDER BY seq").fetch_all(&mut db).await.unwrap();
    let mut prev = baqsha_core::command::GENESIS_HASH.to_string();
    for (i, r) in rows.iter().enumerate() {
        let mut body: String = r.get("body");
        if i == rows.len() / 2 {
            body.push(' ');
        }
        let fields: Vec<String> = ["command_id", "at", "author", "device", "kind"].iter().map(|c| r.get::<String, _>(*c)).chain([body.clone()]).collect();
        let hash = baqsha_core::command::chain_hash(&prev, &fields.join("\u{1f}"));
        sqlx::query("UPDATE history SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?")
            .bind(&body)
            .bind(&prev)
            .bind(&hash)
            .bind(r.get::<i64, _>("seq"))
            .execute(&mut db)
            .await
            .unwrap();
        prev = hash;
    }
    db.close().await.unwrap();
    assert!(matches!(d.office.store().verify_history().await.unwrap(), baqsha_store::ChainReport::Intact { .. }), "the chain alone is fooled");
    assert!(matches!(d.office.check_history().await, HistoryCheck::Broken { .. }), "the signed head is not");
    // And it says so to whoever signs in.
    assert!(matches!(d.office.sign_in("operator", "baqsha-operator").await.unwrap().history, Some(HistoryCheck::Broken { .. })));
}
