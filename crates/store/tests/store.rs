//! The store on a real SQLite file.

mod common;
use baqsha_api::{RegistryQuery, RegistrySort};
use baqsha_core::command::{Command, CommandKind, RuleError};
use baqsha_core::roles::{Operator, Role};
use baqsha_core::*;
use baqsha_store::{ApplyError, ChainReport, NewOperator, OpenError, SignInError, Store};
use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use uuid::Uuid;

#[tokio::test]
async fn a_new_file_is_migrated_with_the_promised_pragmas() {
    let (_d, s) = fresh().await;
    let (journal, sync, fk) = s.pragmas().await.unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
    assert_eq!(fk, 1);
    assert!(s.device_id().await.is_ok());
}

#[tokio::test]
async fn reopening_keeps_data_and_device() {
    let (d, s) = with_registry().await;
    let dev = s.device_id().await.unwrap();
    s.close().await;
    let s = Store::open(&d.path().join("baqsha.sqlite")).await.unwrap();
    assert_eq!(s.device_id().await.unwrap(), dev);
    assert_eq!(s.kindergarten_count().await.unwrap(), 2);
}

#[tokio::test]
async fn apply_writes_effect_history_and_outbox_together() {
    let (_d, s) = with_registry().await;
    assert_eq!(s.history_len().await.unwrap(), 4);
    assert_eq!(s.outbox_unsent().await.unwrap(), 4);

    let app = application(100, 11, vec![10]);
    let c = cmd(CommandKind::RegisterApplication { application: Box::new(app.clone()), confirmation: None });
    let applied = s.apply(&admin(), &c).await.unwrap();
    assert!(applied.new);
    assert_eq!(s.application_count().await.unwrap(), 1);
    assert_eq!(s.history_len().await.unwrap(), 5);
    assert_eq!(s.outbox_unsent().await.unwrap(), 5);
    let h = s.application_history(app.id.0).await.unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].kind, "register_application");

    // The same command again (a sync replay) changes nothing.
    let again = s.apply(&admin(), &c).await.unwrap();
    assert!(!again.new);
    assert_eq!(s.history_len().await.unwrap(), 5);
}

#[tokio::test]
async fn a_refused_command_leaves_no_trace() {
    let (_d, s) = with_registry().await;
    s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(application(100, 11, vec![10])), confirmation: None })).await.unwrap();
    // The same child again: refused with the existing number.
    let dup = application(101, 11, vec![11]);
    let err = s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(dup), confirmation: None })).await.unwrap_err();
    assert!(matches!(err, ApplyError::Rule(RuleError::Duplicate { ref number }) if number == "VKO-2026-000100"), "{err:?}");
    // A preference that does not exist fails after the application row was written: the
    // transaction must take that row back too.
    let bad = application(102, 77, vec![10, 999]);
    let err = s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(bad), confirmation: None })).await.unwrap_err();
    assert!(matches!(err, ApplyError::NotFound("kindergarten")), "{err:?}");
    assert_eq!(s.application_count().await.unwrap(), 1);
    assert_eq!(s.history_len().await.unwrap(), 5);
    assert_eq!(s.outbox_unsent().await.unwrap(), 5);
}

#[tokio::test]
async fn the_outbox_numbers_commands_in_order_without_gaps() {
    let (_d, s) = with_registry().await;
    let first = cmd(CommandKind::RegisterApplication { application: Box::new(application(100, 11, vec![10])), confirmation: None });
    s.apply(&admin(), &first).await.unwrap();
    // Refused in the middle: it takes no number.
    let dup = cmd(CommandKind::RegisterApplication { application: Box::new(application(101, 11, vec![11])), confirmation: None });
    assert!(s.apply(&admin(), &dup).await.is_err());
    let last = cmd(CommandKind::RegisterApplication { application: Box::new(application(102, 12, vec![11])), confirmation: None });
    s.apply(&admin(), &last).await.unwrap();
    // A replay takes none either.
    s.apply(&admin(), &last).await.unwrap();

    let all = s.outbox_after(0, 100).await.unwrap();
    assert_eq!(all.iter().map(|(n, _)| *n).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6], "the registry's four, then the two applied");
    assert_eq!((all[4].1.id, all[5].1.id), (first.id, last.id), "each command as it was applied");
    // Paged from where the server stopped.
    assert_eq!(s.outbox_after(4, 1).await.unwrap().iter().map(|(n, c)| (*n, c.id)).collect::<Vec<_>>(), vec![(5, first.id)]);
    assert!(s.outbox_after(6, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_outbox_written_before_its_numbers_gets_them_in_write_order() {
    let (d, s) = with_registry().await;
    let path = d.path().join("baqsha.sqlite");
    s.close().await;
    // As the file was before: no numbers, and the migration not yet run.
    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let order: Vec<String> = sqlx::query_scalar("SELECT command_id FROM outbox ORDER BY rowid").fetch_all(&raw).await.unwrap();
    sqlx::query("DROP INDEX outbox_seq").execute(&raw).await.unwrap();
    sqlx::query("ALTER TABLE outbox DROP COLUMN seq").execute(&raw).await.unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE description = 'outbox order'").execute(&raw).await.unwrap();
    raw.close().await;
    let s = Store::open(&path).await.unwrap();
    let again: Vec<(u64, Uuid)> = s.outbox_after(0, 100).await.unwrap().into_iter().map(|(n, c)| (n, c.id)).collect();
    assert_eq!(again.iter().map(|(n, _)| *n).collect::<Vec<_>>(), (1..=order.len() as u64).collect::<Vec<_>>());
    assert_eq!(again.iter().map(|(_, id)| id.to_string()).collect::<Vec<_>>(), order);
}

#[tokio::test]
async fn roles_are_enforced_by_apply() {
    let (_d, s) = with_registry().await;
    let staff = Operator { role: Role::KindergartenStaff, kindergarten: Some(KindergartenId(Uuid::from_u128(11))), ..admin() };
    let err = s.apply(&staff, &cmd(CommandKind::SaveGroup { group: group(22, 10, Language::Kk, 20, 0) })).await.unwrap_err();
    assert!(matches!(err, ApplyError::Denied(_)));
    s.apply(&staff, &cmd(CommandKind::SaveGroup { group: group(22, 11, Language::Kk, 20, 0) })).await.unwrap();
}

#[tokio::test]
async fn publishing_more_places_than_free_is_refused() {
    let (_d, s) = with_registry().await;
    let v = |n: u128, count| Vacancy {
        id: VacancyId(Uuid::from_u128(n)),
        kindergarten: KindergartenId(Uuid::from_u128(10)),
        group: GroupId(Uuid::from_u128(20)),
        count,
        published_on: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    };
    s.apply(&admin(), &cmd(CommandKind::PublishVacancy { vacancy: v(30, 1) })).await.unwrap();
    let err = s.apply(&admin(), &cmd(CommandKind::PublishVacancy { vacancy: v(31, 2) })).await.unwrap_err();
    assert!(matches!(err, ApplyError::Rule(RuleError::MorePlacesThanFree { requested: 2, free: 1 })), "{err:?}");
    let p = s.passport(KindergartenId(Uuid::from_u128(10)), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()).await.unwrap();
    assert_eq!(p.free_places, 1);
    // The list's count (kept by triggers) agrees with the passport's (summed).
    let by_free = s.search_kindergartens(&RegistryQuery { sort: RegistrySort::FreePlaces, ..Default::default() }).await.unwrap();
    assert_eq!((by_free.items[0].id, by_free.items[0].free_places), (KindergartenId(Uuid::from_u128(10)), 1));
    assert_eq!(by_free.items[1].free_places, 0);
}

#[tokio::test]
async fn the_history_chain_detects_an_edited_or_deleted_entry() {
    let (d, s) = with_registry().await;
    assert_eq!(s.verify_history().await.unwrap(), ChainReport::Intact { entries: 4 });
    // Direct edits are refused by the database itself…
    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", d.path().join("baqsha.sqlite").display())).await.unwrap();
    assert!(sqlx::query("UPDATE history SET body = 'x' WHERE seq = 2").execute(&raw).await.is_err());
    assert!(sqlx::query("DELETE FROM history WHERE seq = 2").execute(&raw).await.is_err());
    // …and someone who removes the guard is still caught by the chain.
    sqlx::query("DROP TRIGGER history_is_append_only_update").execute(&raw).await.unwrap();
    sqlx::query("UPDATE history SET body = replace(body, '18', '10') WHERE seq = 3").execute(&raw).await.unwrap();
    assert_eq!(s.verify_history().await.unwrap(), ChainReport::Broken { seq: 3, reason: "content" });

    let (d2, s2) = with_registry().await;
    let raw2 = sqlx::SqlitePool::connect(&format!("sqlite://{}", d2.path().join("baqsha.sqlite").display())).await.unwrap();
    sqlx::query("DROP TRIGGER history_is_append_only_delete").execute(&raw2).await.unwrap();
    sqlx::query("DELETE FROM outbox WHERE command_id = (SELECT command_id FROM history WHERE seq = 2)").execute(&raw2).await.unwrap();
    sqlx::query("DELETE FROM history WHERE seq = 2").execute(&raw2).await.unwrap();
    assert_eq!(s2.verify_history().await.unwrap(), ChainReport::Broken { seq: 3, reason: "link to the previous entry" });
}

#[tokio::test]
async fn search_folds_kazakh_letters_and_filters() {
    let (_d, s) = with_registry().await;
    let q = |text: &str| RegistryQuery { text: text.into(), ..Default::default() };
    for typed in ["ақбота", "АҚБОТА", "Ақбота", "  ақБота  ", "бота 12", "акбота"] {
        let page = s.search_kindergartens(&q(typed)).await.unwrap();
        assert_eq!(page.total, 1, "{typed}");
        assert_eq!(page.items[0].name.kk, "№ 12 «АҚБОТА» бөбекжайы");
    }
    assert_eq!(s.search_kindergartens(&q("КҮНШУАҚ")).await.unwrap().total, 1);
    assert_eq!(s.search_kindergartens(&q("абай")).await.unwrap().total, 2);
    assert_eq!(s.search_kindergartens(&q("жоқ")).await.unwrap().total, 0);

    let ru = RegistryQuery { language: Some(Language::Ru), ..Default::default() };
    let page = s.search_kindergartens(&ru).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].languages, vec![Language::Ru]);

    let sorted = s.search_kindergartens(&RegistryQuery { sort: RegistrySort::Name, ..Default::default() }).await.unwrap();
    assert_eq!(sorted.items.len(), 2);
    let paged = s.search_kindergartens(&RegistryQuery { page_size: 1, page: 1, ..Default::default() }).await.unwrap();
    assert_eq!((paged.total, paged.items.len()), (2, 1));
    assert_eq!(paged.items[0].id, sorted.items[1].id);
}

#[tokio::test]
async fn the_passport_counts_the_queue() {
    let (_d, s) = with_registry().await;
    s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(application(100, 11, vec![10, 11])), confirmation: None })).await.unwrap();
    s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(application(101, 12, vec![11, 10])), confirmation: None })).await.unwrap();
    let p = s.passport(KindergartenId(Uuid::from_u128(10)), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()).await.unwrap();
    assert_eq!((p.queue_size, p.queue_first_choice), (2, 1));
    assert_eq!((p.capacity, p.enrolled), (20, 18));
    assert_eq!(p.groups.len(), 1);
    assert_eq!(p.district.name_kk, "Өскемен қаласы");
    s.apply(&admin(), &cmd(CommandKind::WithdrawApplication { application: ApplicationId(Uuid::from_u128(100)), reason: "көшті".into() })).await.unwrap();
    let p = s.passport(KindergartenId(Uuid::from_u128(10)), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()).await.unwrap();
    assert_eq!(p.queue_size, 1);
    // Withdrawn is final.
    let err = s.apply(&admin(), &cmd(CommandKind::WithdrawApplication { application: ApplicationId(Uuid::from_u128(100)), reason: "қайта".into() })).await.unwrap_err();
    assert!(matches!(err, ApplyError::Rule(RuleError::Transition(_))));
    // And a withdrawal always says why.
    let err = s.apply(&admin(), &cmd(CommandKind::WithdrawApplication { application: ApplicationId(Uuid::from_u128(101)), reason: "  ".into() })).await.unwrap_err();
    assert!(matches!(err, ApplyError::Rule(RuleError::ReasonRequired)), "{err:?}");
}

#[tokio::test]
async fn sign_in_with_argon2id() {
    let (_d, s) = with_registry().await;
    let op = s
        .create_operator(&NewOperator {
            login: "operator".into(), full_name: "Оператор".into(), role: Role::DepartmentOperator, kindergarten: None, password: "Kezek-2026".into()
        })
        .await
        .unwrap();
    assert_eq!(s.sign_in("Operator", "Kezek-2026", desk_now()).await.unwrap().id, op.id);
    assert!(s.sign_in("operator", "kezek-2026", desk_now()).await.is_err());
    assert!(s.sign_in("nobody", "Kezek-2026", desk_now()).await.is_err());
    let raw: String =
        sqlx::query_scalar("SELECT password_hash FROM operators").fetch_one(&sqlx::SqlitePool::connect(&format!("sqlite://{}", s.path().display())).await.unwrap()).await.unwrap();
    assert!(raw.starts_with("$argon2id$"));
}

#[tokio::test]
async fn an_unknown_login_takes_as_long_as_a_wrong_password() {
    let (_d, s) = with_registry().await;
    s.create_operator(&NewOperator {
        login: "operator".into(), full_name: "Оператор".into(), role: Role::DepartmentOperator, kindergarten: None, password: "Kezek-2026".into()
    })
    .await
    .unwrap();
    let median = |mut v: Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (mut unknown, mut wrong) = (vec![], vec![]);
    for _ in 0..5 {
        let t = std::time::Instant::now();
        assert!(matches!(s.sign_in("nobody", "Kezek-2026", desk_now()).await, Err(SignInError::BadCredentials)));
        unknown.push(t.elapsed());
        let t = std::time::Instant::now();
        assert!(matches!(s.sign_in("operator", "guess", desk_now()).await, Err(SignInError::BadCredentials)));
        wrong.push(t.elapsed());
    }
    let (unknown, wrong) = (median(unknown), median(wrong));
    // Without the decoy hash an unknown login answered in well under a millisecond against
    // tens of milliseconds: a list of logins could be probed by timing alone.
    assert!(unknown * 2 > wrong && wrong * 2 > unknown, "unknown login {unknown:?}, wrong password {wrong:?}");
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baqsha.sqlite");
    std::fs::write(&path, b"this is a letter, not a database").unwrap();
    assert!(matches!(Store::open(&path).await, Err(OpenError::NotADatabase { .. })));
    assert_eq!(std::fs::read(&path).unwrap(), b"this is a letter, not a database");
}

#[tokio::test]
async fn a_damaged_database_is_refused_and_kept() {
    let (d, s) = with_registry().await;
    s.close().await;
    let path = d.path().join("baqsha.sqlite");
    // Fold the WAL into the file, then damage pages after the header.
    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&raw).await.unwrap();
    raw.close().await;
    let mut bytes = std::fs::read(&path).unwrap();
    let len = bytes.len();
    for b in &mut bytes[4096..len.min(4096 * 6)] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).await.unwrap_err();
    assert!(matches!(err, OpenError::Corrupt { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_refused_and_kept() {
    let (d, s) = with_registry().await;
    s.close().await;
    let path = d.path().join("baqsha.sqlite");
    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', 1, x'00', 0)").execute(&raw).await.unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&raw).await.unwrap();
    raw.close().await;
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).await.unwrap_err();
    assert!(matches!(err, OpenError::Newer { found: 9999, .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[tokio::test]
async fn a_renamed_kindergarten_is_found_by_its_new_name_only() {
    let (_d, s) = with_registry().await;
    let q = |text: &str| RegistryQuery { text: text.into(), ..Default::default() };
    let mut k = kindergarten(10, "№ 12 «Еркетай» бөбекжайы", "Ясли-сад № 12 «Еркетай»");
    k.address_kk = "Өскемен қ., Қазыбек би көшесі 5".into();
    s.apply(&admin(), &cmd(CommandKind::SaveKindergarten { kindergarten: k })).await.unwrap();
    assert_eq!(s.search_kindergartens(&q("ақбота")).await.unwrap().total, 0);
    assert_eq!(s.search_kindergartens(&q("еркетай")).await.unwrap().total, 1);
    assert_eq!(s.search_kindergartens(&q("қазыбек")).await.unwrap().total, 1);
    assert_eq!(s.kindergarten_count().await.unwrap(), 2);
}

#[tokio::test]
async fn names_sort_in_kazakh_order() {
    let (_d, s) = fresh().await;
    for (n, name) in [(1u128, "Үміт"), (2, "Ақбота"), (3, "Әсем"), (4, "Аманат"), (5, "Қарлығаш"), (6, "Күншуақ")] {
        s.apply(&admin(), &cmd(CommandKind::SaveKindergarten { kindergarten: kindergarten(n, name, name) })).await.unwrap();
    }
    let page = s.search_kindergartens(&RegistryQuery::default()).await.unwrap();
    let names: Vec<&str> = page.items.iter().map(|k| k.name.kk.as_str()).collect();
    assert_eq!(names, ["Ақбота", "Аманат", "Әсем", "Күншуақ", "Қарлығаш", "Үміт"]);
}

#[tokio::test]
async fn one_or_two_letters_find_the_start_of_a_word() {
    let (_d, s) = with_registry().await;
    let q = |text: &str| RegistryQuery { text: text.into(), ..Default::default() };
    // «ақ» starts «АҚБОТА» (and only ends «Күншуақ»).
    assert_eq!(s.search_kindergartens(&q("ақ")).await.unwrap().total, 1);
    assert_eq!(s.search_kindergartens(&q("Ә")).await.unwrap().total, 0);
    assert_eq!(s.search_kindergartens(&q("№ 3")).await.unwrap().total, 1);
    assert_eq!(s.search_kindergartens(&q("12")).await.unwrap().total, 2, "№ 12 and Абай 12");
}

#[tokio::test]
async fn a_word_matching_hundreds_pages_in_name_order() {
    let (_d, s) = fresh().await;
    let cmds: Vec<Command> =
        (1..=600u128).map(|n| cmd(CommandKind::SaveKindergarten { kindergarten: kindergarten(n, &format!("№ {n} «Балапан»"), &format!("№ {n} «Балапан»")) })).collect();
    s.apply_all(&admin(), &cmds).await.unwrap();
    let mut expected: Vec<String> = (1..=600).map(|n| format!("№ {n} «Балапан»")).collect();
    expected.sort_by(|a, b| baqsha_core::text::compare(a, b));
    for (text, page) in [("балапан", 0u32), ("б", 3), ("", 29)] {
        let got = s.search_kindergartens(&RegistryQuery { text: text.into(), page, ..Default::default() }).await.unwrap();
        assert_eq!(got.total, 600, "{text}");
        let names: Vec<String> = got.items.into_iter().map(|k| k.name.kk).collect();
        assert_eq!(names, expected[page as usize * 20..page as usize * 20 + 20], "{text} page {page}");
    }
}

#[tokio::test]
async fn the_count_stops_at_a_thousand_and_a_common_word_finds_what_a_rare_one_does() {
    let (_d, s) = fresh().await;
    // 1,050 «Бөбек» and, every hundredth, an «Алтынбөбек»: «бөбек» inside a word.
    let name = |n: u128| if n.is_multiple_of(100) { format!("№ {n} «Алтынбөбек»") } else { format!("№ {n} «Бөбек»") };
    let cmds: Vec<Command> = (1..=1050u128).map(|n| cmd(CommandKind::SaveKindergarten { kindergarten: kindergarten(n, &name(n), &name(n)) })).collect();
    s.apply_all(&admin(), &cmds).await.unwrap();
    let at = |text: &str, page: u32| RegistryQuery { text: text.into(), page, ..Default::default() };
    let first = s.search_kindergartens(&at("б", 0)).await.unwrap();
    assert_eq!((first.total, first.more, first.items.len()), (1000, true, 20));
    let later = s.search_kindergartens(&at("б", 50)).await.unwrap();
    assert_eq!((later.total, later.more, later.items.len()), (1020, true, 20), "counted as far as page 51 and one row beyond");
    let last = s.search_kindergartens(&at("б", 51)).await.unwrap();
    assert_eq!((last.total, last.more, last.items.len()), (1040, false, 20), "the last page counts them all");
    let narrow = s.search_kindergartens(&at("1050", 0)).await.unwrap();
    assert_eq!((narrow.total, narrow.more), (1, false), "a narrow search is counted exactly");

    // The same rows, in the same order, whether the list is walked (many match) or the
    // index is read (few match, a district narrows it): a long word anywhere, a short one
    // at the start of a word only.
    let names = |p: baqsha_api::RegistryPage| p.items.into_iter().map(|k| k.name.kk).collect::<Vec<_>>();
    let mut expected: Vec<String> = (1..=1050).map(name).collect();
    expected.sort_by(|a, b| baqsha_core::text::compare(a, b));
    let number = |n: &str| n.split(' ').nth(1).unwrap_or("").to_string();
    type Keep = Box<dyn Fn(&str) -> bool>;
    let cases: Vec<(&str, Keep)> = vec![
        ("бөбек", Box::new(|_| true)),
        ("бө", Box::new(|n| !n.contains("Алтын"))),
        ("алтынб", Box::new(|n| n.contains("Алтын"))),
        ("10", Box::new(move |n| number(n).starts_with("10"))),
        ("бөбек 050", Box::new(|n| n.contains("050"))),
    ];
    for (text, keep) in &cases {
        let want: Vec<String> = expected.iter().filter(|n| keep(n)).cloned().collect();
        let mut got = vec![];
        for page in 0.. {
            let p = s.search_kindergartens(&RegistryQuery { page_size: 200, ..at(text, page) }).await.unwrap();
            if p.items.is_empty() {
                break;
            }
            got.extend(names(p));
        }
        assert_eq!(got, want, "«{text}», page by page");
    }
}

#[tokio::test]
async fn the_bulletin_lists_open_places_published_by_the_date() {
    let (_d, s) = with_registry().await;
    let v = |n: u128, day: u32| Vacancy {
        id: VacancyId(Uuid::from_u128(n)),
        kindergarten: KindergartenId(Uuid::from_u128(10)),
        group: GroupId(Uuid::from_u128(20)),
        count: 1,
        published_on: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
    };
    s.apply(&admin(), &cmd(CommandKind::PublishVacancy { vacancy: v(30, 20) })).await.unwrap();
    s.apply(&admin(), &cmd(CommandKind::PublishVacancy { vacancy: v(31, 24) })).await.unwrap();
    let on = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    assert!(s.bulletin(on(19), on(19), None).await.unwrap().is_empty());
    let b = s.bulletin(on(21), on(21), None).await.unwrap();
    assert_eq!((b.len(), b[0].open_places, b[0].kindergarten_name.kk.as_str()), (1, 1, "№ 12 «АҚБОТА» бөбекжайы"));
    let b = s.bulletin(on(25), on(25), Some("oskemen")).await.unwrap();
    assert_eq!((b[0].open_places, b[0].published_on, b[0].language), (2, on(24), Language::Kk));
    assert!(s.bulletin(on(25), on(25), Some("altai")).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_queue_of_a_category_is_in_queue_order_with_positions() {
    let (_d, s) = with_registry().await;
    // Four general applicants registered one hour apart, then a priority one last.
    for i in 0..4u128 {
        let mut a = application(100 + i, 10 + i as u16 * 3, vec![10]);
        a.registered_at = Utc.with_ymd_and_hms(2026, 11, 25, 4, 0, 0).unwrap() + chrono::Duration::hours(i as i64);
        s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(a), confirmation: None })).await.unwrap();
    }
    let mut p = application(200, 40, vec![10]);
    p.registered_at = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    p.benefit = Some(BenefitClaim { kind: BenefitKind::LargeFamily, verification: Verification::Confirmed, proofs: vec![] });
    s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(p), confirmation: None })).await.unwrap();

    let q = s.queue_of(Category(2023), None, &Default::default()).await.unwrap();
    let numbers: Vec<&str> = q.iter().map(|l| l.number.as_str()).collect();
    // Priority first (1 : 3 interleave), then the general ones by time.
    assert_eq!(numbers, ["VKO-2026-000200", "VKO-2026-000100", "VKO-2026-000101", "VKO-2026-000102", "VKO-2026-000103"]);
    assert_eq!(q.iter().map(|l| l.position).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert_eq!(q[0].tier, BenefitTier::Priority);
    assert!(s.queue_of(Category(2022), None, &Default::default()).await.unwrap().is_empty());
    assert!(s.queue_of(Category(2023), Some("nowhere"), &Default::default()).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_childs_position_is_explained_and_agrees_with_the_list() {
    let (_d, s) = with_registry().await;
    for i in 0..6u128 {
        let mut a = application(100 + i, 10 + i as u16 * 3, vec![10]);
        a.registered_at = Utc.with_ymd_and_hms(2026, 11, 25, 4, 0, 0).unwrap() + chrono::Duration::minutes(i as i64);
        if i == 4 {
            a.benefit = Some(BenefitClaim { kind: BenefitKind::MilitaryServiceman, verification: Verification::Confirmed, proofs: vec![] });
        }
        s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(a), confirmation: None })).await.unwrap();
    }
    let list = s.queue_of(Category(2023), None, &Default::default()).await.unwrap();
    for line in &list {
        let a = s.application_by_number(&line.number).await.unwrap();
        let e = s.position(&a, &Default::default()).await.unwrap().unwrap();
        assert_eq!(e.position, line.position, "{}", line.number);
    }
    // The fourth general applicant: one out-of-turn, three general ones registered earlier.
    let a = s.application_by_number("VKO-2026-000103").await.unwrap();
    let view = s.application_view(a.clone(), &Default::default()).await.unwrap();
    let e = view.position.unwrap();
    assert_eq!((e.position, e.ahead_out_of_turn, e.ahead_priority, e.ahead_general, e.total), (5, 1, 0, 3, 6));
    assert_eq!(view.preferences[0].kk, "№ 12 «АҚБОТА» бөбекжайы");
    assert_eq!(view.history.len(), 1);
    assert_eq!(view.history[0].kind, "register_application");
    // Found by the child's IIN too, with everything read back as it was written.
    let by_child = s.applications_of_child(&a.child.iin).await.unwrap();
    assert_eq!(by_child, vec![a.clone()]);

    // Withdrawn: no position, and the history says why.
    s.apply(&admin(), &cmd(CommandKind::WithdrawApplication { application: a.id, reason: "Басқа қалаға көшті".into() })).await.unwrap();
    let view = s.application_view(s.application(a.id).await.unwrap(), &Default::default()).await.unwrap();
    assert_eq!(view.position, None);
    assert_eq!(view.history.last().unwrap().reason.as_deref(), Some("Басқа қалаға көшті"));
    let e = s.position(&s.application_by_number("VKO-2026-000105").await.unwrap(), &Default::default()).await.unwrap().unwrap();
    assert_eq!(e.position, 5, "the one behind moved up");
}

/// The demo region, written as the app seeds it (applications only need their registry).
async fn demo_region() -> (tempfile::TempDir, Store, baqsha_demo::Region) {
    let (dir, s) = fresh().await;
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let region = baqsha_demo::generate(baqsha_demo::Scale::Demo, baqsha_demo::DEMO_SEED, today);
    s.save_districts(&region.districts).await.unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 25, 4, 0, 0).unwrap();
    let mut cmds: Vec<Command> = vec![];
    let c = |at, kind| Command { id: Uuid::now_v7(), author: admin().id, device: DeviceId(Uuid::from_u128(2)), at, kind };
    cmds.extend(region.kindergartens.iter().map(|k| c(at, CommandKind::SaveKindergarten { kindergarten: k.clone() })));
    cmds.extend(region.groups.iter().map(|g| c(at, CommandKind::SaveGroup { group: g.clone() })));
    cmds.extend(region.applications.iter().map(|a| c(a.registered_at, CommandKind::RegisterApplication { application: Box::new(a.clone()), confirmation: None })));
    s.apply_all(&admin(), &cmds).await.unwrap();
    (dir, s, region)
}

#[tokio::test]
async fn public_queue_pages_agree_with_the_whole_list_with_and_without_filters() {
    let (_d, s, region) = demo_region().await;
    let rules = Default::default();
    let category = Category(2023);
    let all = s.queue_of(category, None, &rules).await.unwrap();
    assert!(all.len() > 300, "{}", all.len());
    // The trigger-kept counts agree with the rows, also after some leave the queue.
    assert_eq!(s.tier_counts(category).await.unwrap().total(), all.len() as u64);
    for l in all.iter().take(3) {
        let id = s.application_by_number(&l.number).await.unwrap().id;
        s.apply(&admin(), &cmd(CommandKind::WithdrawApplication { application: id, reason: "тест".into() })).await.unwrap();
    }
    let all = s.queue_of(category, None, &rules).await.unwrap();
    assert_eq!(s.tier_counts(category).await.unwrap().total(), all.len() as u64);
    // A child's counted position (day counts + same day) is its place in the list.
    for l in all.iter().step_by(37) {
        let a = s.application_by_number(&l.number).await.unwrap();
        assert_eq!(s.position(&a, &rules).await.unwrap().unwrap().position, l.position, "{}", l.number);
    }
    let query = |page, district: Option<&str>, tier, kindergarten| baqsha_api::QueueQuery {
        category: category.0,
        district: district.map(Into::into),
        kindergarten,
        tier,
        page,
        page_size: 25,
    };
    // Unfiltered: every page, concatenated, is the list.
    let mut paged = vec![];
    for page in 0.. {
        let p = s.queue_page(&query(page, None, None, None), &rules).await.unwrap();
        assert_eq!(p.total, all.len() as u64);
        if p.lines.is_empty() {
            break;
        }
        paged.extend(p.lines);
    }
    assert_eq!(paged.len(), all.len());
    for (p, l) in paged.iter().zip(&all) {
        assert_eq!((p.position, &p.number, &p.iin_masked), (l.position, &l.number, &l.child.iin.masked()));
        assert_eq!(p.initials, l.child.initials());
    }
    // A district keeps the category's positions and only hides the other lines.
    let district = region.districts[1].code.as_str();
    let want: Vec<_> = all.iter().filter(|l| l.district.as_deref() == Some(district)).collect();
    let p = s.queue_page(&query(1, Some(district), None, None), &rules).await.unwrap();
    assert_eq!(p.total, want.len() as u64);
    let got: Vec<_> = p.lines.iter().map(|l| (l.position, l.number.clone())).collect();
    let expected: Vec<_> = want.iter().skip(25).take(25).map(|l| (l.position, l.number.clone())).collect();
    assert_eq!(got, expected);
    // Every page of the district, concatenated, is the district's part of the list.
    let mut paged = vec![];
    for page in 0.. {
        let p = s.queue_page(&query(page, Some(district), None, None), &rules).await.unwrap();
        if p.lines.is_empty() {
            break;
        }
        paged.extend(p.lines.into_iter().map(|l| (l.position, l.number)));
    }
    assert_eq!(paged, want.iter().map(|l| (l.position, l.number.clone())).collect::<Vec<_>>());
    // A district and a tier together.
    let p = s.queue_page(&query(0, Some(district), Some(BenefitTier::General), None), &rules).await.unwrap();
    let want: Vec<_> = all.iter().filter(|l| l.district.as_deref() == Some(district) && l.tier == BenefitTier::General).collect();
    assert_eq!(p.total, want.len() as u64);
    assert_eq!(p.lines.iter().map(|l| l.position).collect::<Vec<_>>(), want.iter().take(25).map(|l| l.position).collect::<Vec<_>>());
    // A tier alone, and a kindergarten named among the preferences.
    let p = s.queue_page(&query(0, None, Some(BenefitTier::General), None), &rules).await.unwrap();
    assert!(p.lines.iter().all(|l| l.tier == BenefitTier::General));
    assert_eq!(p.total, all.iter().filter(|l| l.tier == BenefitTier::General).count() as u64);
    let k = region.applications.iter().find(|a| Category::of(a.child.birth_date()) == category).unwrap().preferences[0];
    let p = s.queue_page(&query(0, None, None, Some(k)), &rules).await.unwrap();
    let queued: std::collections::HashSet<&str> = all.iter().map(|l| l.number.as_str()).collect();
    let named: Vec<_> = region.applications.iter().filter(|a| queued.contains(a.number.as_str()) && a.preferences.contains(&k)).map(|a| a.number.clone()).collect();
    assert_eq!(p.total, named.len() as u64);
    assert!(p.lines.iter().all(|l| named.contains(&l.number)));
    assert!(p.lines.windows(2).all(|w| w[0].position < w[1].position));
}

#[tokio::test]
async fn codes_keep_their_tries_across_restarts_and_messages_wait_for_a_gateway() {
    use baqsha_core::codes::{check, issue, Channel, CodeError, CodePolicy, Notification};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baqsha.sqlite");
    let s = Store::open(&path).await.unwrap();
    let p = CodePolicy::default();
    let t0 = Utc.with_ymd_and_hms(2026, 11, 25, 6, 0, 0).unwrap();
    let (record, code) = issue("+77011234567", None, t0, 123_456, "salt", &p).unwrap();
    s.save_code_record(&record).await.unwrap();
    let (record, res) = check(&s.code_record("+77011234567").await.unwrap().unwrap(), "999999", t0, &p);
    assert_eq!(res, Err(CodeError::Wrong { left: 4 }));
    s.save_code_record(&record).await.unwrap();
    s.close().await;
    // Closing the app does not reset the count of wrong tries.
    let s = Store::open(&path).await.unwrap();
    let stored = s.code_record("+77011234567").await.unwrap().unwrap();
    assert_eq!(stored.tries, 1);
    assert!(!stored.hash.contains(&code));
    assert_eq!(check(&stored, &code, t0, &p).1, Ok(()));

    let sms = Notification { channel: Channel::Sms, recipient: "+77011234567".into(), subject: None, body: format!("Baqsha: растау коды {code}"), secret: true };
    let mail = Notification {
        channel: Channel::Email, recipient: "ata@example.kz".into(), subject: Some("Өтініш".into()), body: "Өтініш № VKO-2026-000001".into(), secret: false
    };
    let a = s.queue_message(&sms, t0).await.unwrap();
    let b = s.queue_message(&mail, t0).await.unwrap();
    s.mark_failed(b, "connection refused", Some(t0)).await.unwrap();
    let waiting = s.unsent_messages(10, desk_now()).await.unwrap();
    assert_eq!(waiting.len(), 2);
    assert_eq!((waiting[1].attempts, waiting[1].last_error.as_deref()), (1, Some("connection refused")));
    s.mark_sent(a, "sms-http", t0).await.unwrap();
    s.mark_sent(b, "smtp", t0).await.unwrap();
    assert!(s.unsent_messages(10, desk_now()).await.unwrap().is_empty());
    let recent = s.recent_messages(10).await.unwrap();
    let sent_sms = recent.iter().find(|m| m.id == a).unwrap();
    assert_eq!(sent_sms.notification.body, "Baqsha: растау коды ******", "a gateway has the code; our copy is masked");
    assert_eq!(recent.iter().find(|m| m.id == b).unwrap().last_error, None);
}

#[tokio::test]
async fn an_edit_changes_what_it_may_and_keeps_the_place_in_time() {
    use baqsha_core::command::ApplicationChanges;
    let (_d, s) = with_registry().await;
    for i in 0..4u128 {
        let mut a = application(100 + i, 10 + i as u16 * 3, vec![10]);
        a.registered_at = Utc.with_ymd_and_hms(2026, 11, 25, 4, 0, 0).unwrap() + chrono::Duration::minutes(i as i64);
        s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(a), confirmation: None })).await.unwrap();
    }
    let last = s.application_by_number("VKO-2026-000103").await.unwrap();
    assert_eq!(s.position(&last, &Default::default()).await.unwrap().unwrap().position, 4);
    let changes = ApplicationChanges {
        contacts: Contacts { phone: Phone::parse("+7 747 000 11 22").unwrap(), extra_phone: None, email: Some(Email::parse("ata@example.kz").unwrap()) },
        address: "Өскемен қ., Қазақстан к-сі 3".into(),
        preferences: vec![KindergartenId(Uuid::from_u128(11)), KindergartenId(Uuid::from_u128(10))],
        language: Language::Ru,
        benefit: Some(BenefitKind::LargeFamily),
        proofs: vec!["p.jpg".into()],
    };
    let edit = |changes: ApplicationChanges| cmd(CommandKind::EditApplication { application: last.id, changes: Box::new(changes), confirmation: None, fields: None });
    s.apply(&admin(), &edit(changes.clone())).await.unwrap();
    let after = s.application(last.id).await.unwrap();
    assert_eq!(after.registered_at, last.registered_at, "the registration time never changes");
    assert_eq!((after.contacts.phone.as_str(), after.language, after.preferences.len()), ("+77470001122", Language::Ru, 2));
    assert_eq!(after.benefit.as_ref().map(|b| b.verification), Some(Verification::Pending));
    // A claimed priority benefit moves it ahead (1 : 3 interleave) while it is verified.
    assert_eq!(s.position(&after, &Default::default()).await.unwrap().unwrap().position, 1);
    let view = s.application_view(after.clone(), &Default::default()).await.unwrap();
    assert_eq!(view.history.last().unwrap().kind, "edit_application");
    assert_eq!(view.preferences[0].kk, "№ 3 «Күншуақ» балабақшасы");

    // An unknown kindergarten: refused, and nothing of the edit is kept.
    let mut bad = changes.clone();
    bad.address = "басқа".into();
    bad.preferences = vec![KindergartenId(Uuid::from_u128(999))];
    assert!(matches!(s.apply(&admin(), &edit(bad)).await.unwrap_err(), ApplyError::NotFound(_)));
    assert_eq!(s.application(last.id).await.unwrap(), after);
    // An unknown second choice is refused the same way, not as an internal error.
    let mut bad = changes.clone();
    bad.preferences = vec![KindergartenId(Uuid::from_u128(10)), KindergartenId(Uuid::from_u128(998))];
    assert!(matches!(s.apply(&admin(), &edit(bad)).await.unwrap_err(), ApplyError::NotFound(_)));
    assert_eq!(s.application(last.id).await.unwrap(), after);
    // A withdrawn application is not edited.
    s.apply(&admin(), &cmd(CommandKind::WithdrawApplication { application: last.id, reason: "көшті".into() })).await.unwrap();
    assert!(matches!(s.apply(&admin(), &edit(changes)).await.unwrap_err(), ApplyError::Rule(RuleError::Transition(_))));
}

// ---------------------------------------------------------------------------------------------
// The desk's wizard: submit, codes, proofs, drafts; benefit verification.

fn operator() -> Operator {
    Operator {
        id: OperatorId(Uuid::from_u128(77)), login: "operator".into(), full_name: "Жұмабеков Ерлан".into(), role: Role::DepartmentOperator, kindergarten: None
    }
}

fn submission(n: u128, child_serial: u16, confirmation: command::ContactConfirmation) -> Command {
    let mut a = application(n, child_serial, vec![10]);
    a.number = String::new();
    a.contacts.email = Some(Email::parse("ata@example.kz").unwrap());
    Command { author: operator().id, ..cmd(CommandKind::RegisterApplication { application: Box::new(a), confirmation: Some(confirmation) }) }
}

fn sms(number: &str) -> Vec<codes::Notification> {
    vec![codes::Notification { channel: codes::Channel::Sms, recipient: "+77011234567".into(), subject: None, body: format!("№ {number}"), secret: false }]
}

async fn confirm(s: &Store, target: &str, at: chrono::DateTime<Utc>) {
    let (mut rec, _) = codes::issue(target, None, at, 123, "salt", &Default::default()).unwrap();
    rec.confirmed = true;
    s.save_code_record(&rec).await.unwrap();
}

use baqsha_core::{codes, command};

#[tokio::test]
async fn an_edit_at_the_desk_confirms_a_new_phone_like_a_new_application() {
    use baqsha_core::command::{ApplicationChanges, ContactConfirmation, IdDocument};
    let (_d, s) = with_registry().await;
    let op = operator();
    let a = application(400, 41, vec![10]);
    s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(a.clone()), confirmation: None })).await.unwrap();
    let mut changes = ApplicationChanges {
        contacts: Contacts { phone: Phone::parse("+7 747 000 11 22").unwrap(), extra_phone: Some(a.contacts.phone.clone()), email: None },
        address: a.address.clone(),
        preferences: a.preferences.clone(),
        language: a.language,
        benefit: None,
        proofs: vec![],
    };
    let edit = |changes: &ApplicationChanges, confirmation| cmd(CommandKind::EditApplication { application: a.id, changes: Box::new(changes.clone()), confirmation, fields: None });
    let new_phone = RuleError::ContactNotConfirmed { target: "+77470001122".into() };
    let refused = |r: Result<baqsha_store::Applied, ApplyError>| match r {
        Err(ApplyError::Rule(e)) => e,
        other => panic!("{other:?}"),
    };
    // Unconfirmed, or confirmed by a code sent to the old number: refused, nothing changed.
    assert_eq!(refused(s.edit(&op, &edit(&changes, None)).await), new_phone);
    confirm(&s, a.contacts.phone.as_str(), cmd(CommandKind::ArchiveApplication { application: a.id }).at).await;
    assert_eq!(refused(s.edit(&op, &edit(&changes, Some(ContactConfirmation::Codes))).await), new_phone);
    assert_eq!(s.application(a.id).await.unwrap(), a);
    // Its own code confirms it, once: the code is used up with the edit.
    confirm(&s, "+77470001122", edit(&changes, None).at).await;
    s.edit(&op, &edit(&changes, Some(ContactConfirmation::Codes))).await.unwrap();
    assert_eq!(s.application(a.id).await.unwrap().contacts.phone.as_str(), "+77470001122");
    assert!(s.code_record("+77470001122").await.unwrap().is_none(), "a code confirms once");
    // A new e-mail, confirmed by the parent's passport at the desk.
    changes.contacts.email = Some(Email::parse("jana@example.kz").unwrap());
    let passport = ContactConfirmation::InPerson { document: IdDocument::Passport, number: "N1234567".into() };
    s.edit(&op, &edit(&changes, Some(passport))).await.unwrap();
    // A new benefit: its proof must be one this desk kept.
    changes.benefit = Some(BenefitKind::LargeFamily);
    assert_eq!(refused(s.edit(&op, &edit(&changes, None)).await), RuleError::ProofRequired);
    changes.proofs = vec!["0".repeat(64)];
    assert!(matches!(s.edit(&op, &edit(&changes, None)).await, Err(ApplyError::NotFound("proof"))));
    let proof = s.save_proof("анықтама.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 9], Utc::now()).await.unwrap();
    changes.proofs = vec![proof.id.clone()];
    s.edit(&op, &edit(&changes, None)).await.unwrap();
    let claim = s.application(a.id).await.unwrap().benefit.unwrap();
    assert_eq!((claim.verification, claim.proofs), (Verification::Pending, vec![proof.id]));
    assert_eq!(s.pending_benefits(Some(&a.number), 10).await.unwrap().len(), 1, "it goes to «Жеңілдіктерді тексеру»");
    // The history tells each edit by what it changed.
    use baqsha_core::command::EditedField as F;
    let edits: Vec<Vec<F>> = s.history_lines(a.id).await.unwrap().into_iter().filter(|l| l.kind == "edit_application").map(|l| l.changed).collect();
    assert_eq!(edits, vec![vec![F::Phone, F::ExtraPhone], vec![F::Email], vec![F::Benefit]]);
}

#[tokio::test]
async fn a_submit_needs_every_contact_confirmed_and_numbers_follow_each_other() {
    let (_d, s) = with_registry().await;
    let op = operator();
    let c = submission(300, 31, command::ContactConfirmation::Codes);
    s.save_draft(op.id, "{\"step\":5}", c.at).await.unwrap();
    let err = s.submit(&op, c.clone(), "VKO", sms).await.unwrap_err();
    assert!(matches!(err, ApplyError::Rule(RuleError::ContactNotConfirmed { ref target }) if target == "+77011234567"), "{err:?}");
    confirm(&s, "+77011234567", c.at - chrono::Duration::minutes(3)).await;
    let err = s.submit(&op, c.clone(), "VKO", sms).await.unwrap_err();
    assert!(matches!(err, ApplyError::Rule(RuleError::ContactNotConfirmed { ref target }) if target == "ata@example.kz"), "{err:?}");
    // A code confirmed long ago does not count.
    confirm(&s, "ata@example.kz", c.at - chrono::Duration::hours(3)).await;
    assert!(s.submit(&op, c.clone(), "VKO", sms).await.is_err());
    assert!(s.recent_messages(10).await.unwrap().is_empty(), "a refused submit queues nothing");

    confirm(&s, "ata@example.kz", c.at - chrono::Duration::minutes(1)).await;
    let done = s.submit(&op, c.clone(), "VKO", sms).await.unwrap();
    assert_eq!(done.number, "VKO-2026-000001");
    assert_eq!(done.messages.len(), 1);
    assert_eq!(s.recent_messages(10).await.unwrap()[0].notification.body, "№ VKO-2026-000001");
    assert!(s.code_record("+77011234567").await.unwrap().is_none(), "used codes are forgotten");
    assert!(s.draft(op.id).await.unwrap().is_none(), "the draft is gone with the submit");
    let a = s.application_by_number("VKO-2026-000001").await.unwrap();
    assert_eq!(a.registered_at, c.at, "registered at the desk's time of submit");
    let history = s.history_lines(a.id).await.unwrap();
    assert_eq!(history[0].confirmation, Some(command::ContactConfirmation::Codes));

    // The same child again: refused with the existing number; nothing queued, no number used.
    let again = submission(301, 31, command::ContactConfirmation::InPerson { document: command::IdDocument::IdCard, number: "012345678".into() });
    let err = s.submit(&op, again, "VKO", sms).await.unwrap_err();
    assert!(matches!(err, ApplyError::Rule(RuleError::Duplicate { ref number }) if number == "VKO-2026-000001"), "{err:?}");
    let other = submission(302, 41, command::ContactConfirmation::InPerson { document: command::IdDocument::IdCard, number: "012345678".into() });
    assert_eq!(s.submit(&op, other, "VKO", sms).await.unwrap().number, "VKO-2026-000002");
    assert_eq!(s.recent_messages(10).await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_number_of_preferences_is_a_setting() {
    let (_d, s) = with_registry().await;
    assert_eq!(s.max_preferences().await.unwrap(), 3);
    s.set_setting("max_preferences", "1").await.unwrap();
    assert_eq!(s.max_preferences().await.unwrap(), 1);
    let two = application(330, 91, vec![10, 11]);
    let err = s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(two), confirmation: None })).await.unwrap_err();
    assert!(matches!(err, ApplyError::Rule(RuleError::TooManyPreferences { max: 1 })), "{err:?}");
    s.set_setting("max_preferences", "nonsense").await.unwrap();
    assert_eq!(s.max_preferences().await.unwrap(), 3, "a bad value falls back to the default");
}

#[tokio::test]
async fn in_person_confirmation_needs_a_document_and_the_role() {
    let (_d, s) = with_registry().await;
    let bad = submission(310, 51, command::ContactConfirmation::InPerson { document: command::IdDocument::Passport, number: "N1".into() });
    assert!(matches!(s.submit(&operator(), bad, "VKO", sms).await, Err(ApplyError::Rule(RuleError::BadDocument))));
    let staff = Operator { role: Role::KindergartenStaff, kindergarten: Some(KindergartenId(Uuid::from_u128(10))), ..operator() };
    let ok = submission(311, 51, command::ContactConfirmation::InPerson { document: command::IdDocument::Passport, number: "N12345678".into() });
    assert!(matches!(s.submit(&staff, ok, "VKO", sms).await, Err(ApplyError::Denied(_))));
}

#[tokio::test]
async fn a_rejected_benefit_goes_to_the_general_queue_at_its_original_time() {
    let (_d, s) = with_registry().await;
    let op = operator();
    // Two general applications registered before, one with a benefit after.
    for (n, serial, hour) in [(320u128, 61u16, 1u32), (321, 71, 2)] {
        let mut a = application(n, serial, vec![10]);
        a.registered_at = Utc.with_ymd_and_hms(2026, 11, 25, hour, 0, 0).unwrap();
        s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(a), confirmation: None })).await.unwrap();
    }
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4];
    let proof = s.save_proof("көп балалы.jpg", &jpeg, Utc::now()).await.unwrap();
    assert_eq!(s.save_proof("again.jpg", &jpeg, Utc::now()).await.unwrap().id, proof.id, "one copy per content");
    let mut c = submission(322, 81, command::ContactConfirmation::InPerson { document: command::IdDocument::IdCard, number: "012345678".into() });
    if let CommandKind::RegisterApplication { application, .. } = &mut c.kind {
        application.benefit = Some(BenefitClaim { kind: BenefitKind::LargeFamily, verification: Verification::Pending, proofs: vec!["0".repeat(64)] });
    }
    assert!(matches!(s.submit(&op, c.clone(), "VKO", sms).await, Err(ApplyError::NotFound("proof"))));
    if let CommandKind::RegisterApplication { application, .. } = &mut c.kind {
        application.benefit.as_mut().unwrap().proofs = vec![proof.id.clone()];
    }
    let number = s.submit(&op, c.clone(), "VKO", sms).await.unwrap().number;
    let a = s.application_by_number(&number).await.unwrap();
    let rules = Default::default();
    assert_eq!(s.position(&a, &rules).await.unwrap().unwrap().position, 1, "a pending priority claim counts until decided");
    let pending = s.pending_benefits(None, 10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].proofs[0].name.as_str(), pending[0].proofs[0].size), ("көп балалы.jpg", 8));
    assert_eq!(s.proof(&proof.id).await.unwrap(), jpeg);
    assert_eq!(s.pending_benefits(Some(&number), 10).await.unwrap().len(), 1);
    assert_eq!(s.pending_benefits(Some(a.child.iin.as_str()), 10).await.unwrap().len(), 1);
    assert!(s.pending_benefits(Some("VKO-2026-999999"), 10).await.unwrap().is_empty());

    let reject = |reason: &str| Command { author: op.id, ..cmd(CommandKind::RejectBenefit { application: a.id, reason: reason.into() }) };
    assert!(matches!(s.apply(&op, &reject(" ")).await, Err(ApplyError::Rule(RuleError::ReasonRequired))));
    s.apply(&op, &reject("анықтаманың мерзімі өткен")).await.unwrap();
    let after = s.application(a.id).await.unwrap();
    assert_eq!((after.tier(), after.registered_at), (BenefitTier::General, a.registered_at));
    assert_eq!(s.position(&after, &rules).await.unwrap().unwrap().position, 3, "behind the two registered earlier");
    assert!(s.pending_benefits(None, 10).await.unwrap().is_empty());
    let last = s.history_lines(a.id).await.unwrap().pop().unwrap();
    assert_eq!((last.kind.as_str(), last.author.as_str(), last.reason.as_deref()), ("reject_benefit", "Baqsha", Some("анықтаманың мерзімі өткен")));
    assert!(matches!(s.apply(&op, &Command { author: op.id, ..cmd(CommandKind::ConfirmBenefit { application: a.id }) }).await, Err(ApplyError::Rule(RuleError::NoPendingBenefit))));
}

/// Writes outside `apply` (a draft saved as the operator types, a message marked sent by the
/// delivery loop) must not make a command fail: a transaction that read first and wrote
/// later would be refused by SQLite ("database is locked") after such a write.
#[tokio::test]
async fn commands_survive_other_writers() {
    let (_d, s) = with_registry().await;
    let writer = {
        let s = s.clone();
        tokio::spawn(async move {
            for i in 0..400 {
                s.save_draft(OperatorId(Uuid::from_u128(5)), &format!("{{\"n\":{i}}}"), Utc::now()).await.unwrap();
                tokio::task::yield_now().await;
            }
        })
    };
    for n in 0..60u16 {
        let mut a = application(1000 + n as u128, 2000 + n * 3, vec![10]);
        a.number = format!("VKO-2026-{:06}", 1000 + n);
        s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(a), confirmation: None })).await.unwrap();
    }
    writer.await.unwrap();
}

/// The store's queues for offering are the reference queues (built from «Өтініштер кезегі»'s
/// whole list) narrowed to those who name a kindergarten with a place; the offers agree.
#[tokio::test]
async fn offers_over_the_stored_queues_match_the_reference() {
    let (_d, s, region) = demo_region().await;
    let at = Utc.with_ymd_and_hms(2026, 11, 25, 4, 0, 0).unwrap();
    let publish: Vec<Command> = region
        .vacancies
        .iter()
        .map(|v| Command { id: Uuid::now_v7(), author: admin().id, device: DeviceId(Uuid::from_u128(2)), at, kind: CommandKind::PublishVacancy { vacancy: v.clone() } })
        .collect();
    s.apply_all(&admin(), &publish).await.unwrap();
    let rules = baqsha_core::queue::QueueRules::default();
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let places = s.open_places().await.unwrap();
    assert!(places.iter().map(|p| p.open).sum::<u32>() > 20);
    let loaded = s.offer_queues(&places, today, &rules).await.unwrap();

    let with_places: std::collections::HashSet<KindergartenId> = places.iter().map(|p| p.kindergarten).collect();
    let by_number: std::collections::HashMap<&str, &Application> = region.applications.iter().map(|a| (a.number.as_str(), a)).collect();
    let policy = baqsha_core::queue::next_policy_date(today, &rules).unwrap();
    let mut reference = vec![];
    for year in 2019..=2026 {
        let list = s.queue_of(Category(year), None, &rules).await.unwrap();
        if list.is_empty() {
            continue;
        }
        reference.push(
            list.iter()
                .filter_map(|l| {
                    let a = by_number.get(l.number.as_str())?;
                    let prefs: Vec<_> = a.preferences.iter().copied().filter(|k| with_places.contains(k)).collect();
                    (!prefs.is_empty()).then(|| baqsha_core::offer::Candidate {
                        application: a.id,
                        number: a.number.clone(),
                        position: l.position,
                        age: baqsha_core::queue::age_on(a.child.birth_date(), policy) as u8,
                        preferences: prefs,
                        language: a.language,
                        passed: false,
                        passed_places: vec![],
                    })
                })
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(loaded, reference);
    let (offers, _) = baqsha_core::offer::offers(&places, &loaded);
    assert!(!offers.is_empty());
    assert_eq!(offers, baqsha_core::offer::offers(&places, &reference).0);
}

#[tokio::test]
async fn proofs_nobody_names_are_swept_after_a_month() {
    let (_d, s) = with_registry().await;
    let old = Utc::now() - chrono::Duration::days(40);
    let jpeg = |n: u8| vec![0xFF, 0xD8, 0xFF, 0xE0, n];
    let named = s.save_proof("named.jpg", &jpeg(1), old).await.unwrap();
    let drafted = s.save_proof("draft.jpg", &jpeg(2), old).await.unwrap();
    let orphan = s.save_proof("orphan.jpg", &jpeg(3), old).await.unwrap();
    let fresh = s.save_proof("fresh.jpg", &jpeg(4), Utc::now()).await.unwrap();
    let mut a = application(340, 131, vec![10]);
    a.benefit = Some(BenefitClaim { kind: BenefitKind::Orphan, verification: Verification::Pending, proofs: vec![named.id.clone()] });
    s.apply(&admin(), &cmd(CommandKind::RegisterApplication { application: Box::new(a), confirmation: None })).await.unwrap();
    s.save_draft(OperatorId(Uuid::from_u128(5)), &format!("{{\"proofs\":[{{\"id\":\"{}\"}}]}}", drafted.id), Utc::now()).await.unwrap();
    assert_eq!(s.sweep_proofs(Utc::now() - chrono::Duration::days(30)).await.unwrap(), 1);
    assert!(s.proof(&orphan.id).await.is_err());
    for kept in [&named, &drafted, &fresh] {
        assert!(s.proof(&kept.id).await.is_ok(), "{}", kept.name);
    }
}

#[tokio::test]
async fn failed_sign_ins_make_the_login_and_then_the_desk_wait() {
    let (_d, s) = with_registry().await;
    s.create_operator(&NewOperator {
        login: "operator".into(), full_name: "Оператор".into(), role: Role::DepartmentOperator, kindergarten: None, password: "Kezek-2026".into()
    })
    .await
    .unwrap();
    let at = |secs: i64| desk_now() + chrono::Duration::seconds(secs);
    for n in 0..5 {
        assert!(matches!(s.sign_in("operator", "guess", at(n)).await, Err(SignInError::BadCredentials)));
    }
    // The right password is not even checked while the login waits; other logins may go on.
    assert!(matches!(s.sign_in("Operator", "Kezek-2026", at(5)).await, Err(SignInError::Wait { seconds: 29 })));
    assert!(matches!(s.sign_in("nobody", "x", at(5)).await, Err(SignInError::BadCredentials)));
    assert_eq!(s.sign_in("operator", "Kezek-2026", at(35)).await.unwrap().login, "operator", "after the wait the right password works");
    // Parallel guesses are counted one by one: twenty at once stop the whole desk.
    let tries: Vec<_> = (0..20)
        .map(|n| {
            let s = s.clone();
            tokio::spawn(async move { s.sign_in(&format!("guess{n}"), "x", at(40)).await })
        })
        .collect();
    for t in tries {
        let _ = t.await.unwrap();
    }
    assert!(matches!(s.sign_in("operator", "Kezek-2026", at(41)).await, Err(SignInError::Wait { .. })), "the desk waits after many logins tried");
    assert!(s.sign_in("operator", "Kezek-2026", at(41 + 5 * 60)).await.is_ok());
}

/// A database whose sort keys an older rule made («№ 11» before «№ 2») gets them made again
/// when this program opens it, once.
#[tokio::test]
async fn sort_keys_of_an_older_rule_are_made_again_on_open() {
    let (d, s) = with_registry().await;
    let path = d.path().join("baqsha.sqlite");
    sqlx::query("UPDATE kindergartens SET sort_kk = 'old'").execute(&raw_pool(&path).await).await.unwrap();
    sqlx::query("DELETE FROM meta WHERE key = 'sort_key_version'").execute(&raw_pool(&path).await).await.unwrap();
    s.close().await;
    let s = Store::open(&path).await.unwrap();
    let keys: Vec<(String, String)> = sqlx::query_as("SELECT name_kk, sort_kk FROM kindergartens").fetch_all(&raw_pool(&path).await).await.unwrap();
    assert!(!keys.is_empty());
    for (name, key) in keys {
        assert_eq!(key, baqsha_core::text::sort_key(&name), "{name}");
    }
    assert_eq!(s.meta("sort_key_version").await.unwrap(), Some(baqsha_core::text::SORT_KEY_VERSION.to_string()));
}

async fn raw_pool(path: &std::path::Path) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap()
}
