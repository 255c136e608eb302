//! Push and pull against a real PostgreSQL: exactly once, in order, decided by the core on
//! the server's data, and seen only by the offices whose scope it concerns.

mod common;
use baqsha_core::command::RuleError;
use baqsha_core::roles::Denied;
use baqsha_core::*;
use baqsha_server::Clock as _;
use baqsha_sync::{Adjustment, Decision, Rejection};
use chrono::Duration;
use common::*;
use uuid::Uuid;

/// The first kindergarten of the district the account `operator-1` works in.
fn kindergarten_of_first_district() -> (String, KindergartenId) {
    let r = region();
    let d = r.districts[0].code.clone();
    let k = r.kindergartens.iter().find(|k| k.district == d).unwrap().id;
    (d, k)
}

async fn count(t: &TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&t.server.pool).await.unwrap()
}

#[tokio::test]
async fn a_batch_sent_twice_is_applied_once_and_answered_byte_for_byte() {
    let t = server().await;
    let mut desk = t.desk("operator-1", "baqsha-operator").await;
    let (_, k) = kindergarten_of_first_district();
    let batch = vec![desk.command(register(&application(child(100), k)), morning()), desk.command(register(&application(child(200), k)), morning())];
    let first = t.server.push(&desk.claims, &desk.push(batch.clone())).await.unwrap().to_json();
    let changes = count(&t, "SELECT count(*) FROM changes").await;
    // The response was lost: the desk sends the same batch again.
    let again = t.server.push(&desk.claims, &desk.push(batch)).await.unwrap().to_json();
    assert_eq!(again, first, "the stored outcomes, byte for byte");
    assert_eq!(count(&t, "SELECT count(*) FROM applications").await, 2);
    assert_eq!(count(&t, "SELECT count(*) FROM changes").await, changes, "nothing written twice");
    let numbers: Vec<String> = decisions(&first)
        .into_iter()
        .map(|d| match d {
            Decision::Changed { changes } => match &changes[0] {
                Adjustment::Number { number } => number.clone(),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(numbers.len(), 2);
    assert!(numbers[0].starts_with("VKO-") && numbers[0].ends_with("-2026-000001") && numbers[1].ends_with("-2026-000002"), "{numbers:?}");
}

#[tokio::test]
async fn a_gap_is_refused_and_names_where_to_resend() {
    let t = server().await;
    let mut desk = t.desk("operator-1", "baqsha-operator").await;
    let (_, k) = kindergarten_of_first_district();
    let one = desk.command(register(&application(child(100), k)), morning());
    let _lost = desk.command(register(&application(child(200), k)), morning());
    let three = desk.command(register(&application(child(300), k)), morning());
    let a = answer(&t.server.push(&desk.claims, &desk.push(vec![one, three])).await.unwrap().to_json());
    assert_eq!((a.outcomes.len(), a.resend_from), (1, Some(2)), "number 3 is not taken before 2");
    assert_eq!(count(&t, "SELECT count(*) FROM applications").await, 1);
}

#[tokio::test]
async fn a_command_the_role_may_not_do_is_an_answer_kept_with_the_others() {
    let t = server().await;
    let mut staff = t.desk("balabaqsha-1", "baqsha-staff").await;
    let k = region().kindergartens[0].id;
    let c = staff.command(register(&application(child(100), k)), morning());
    let d = decisions(&t.server.push(&staff.claims, &staff.push(vec![c])).await.unwrap().to_json());
    assert_eq!(d, vec![Decision::Rejected { reason: Rejection::Denied { denied: Denied::Role } }]);
    assert_eq!(count(&t, "SELECT count(*) FROM applications").await, 0);
    assert_eq!(count(&t, "SELECT count(*) FROM commands").await, 1, "the refusal is kept and answered again on a retry");
}

#[tokio::test]
async fn the_same_child_at_two_offices_is_one_application_and_a_duplicate_naming_it() {
    let t = server().await;
    let mut a = t.desk("operator-1", "baqsha-operator").await;
    let mut b = t.desk("operator-2", "baqsha-operator").await;
    let (_, k) = kindergarten_of_first_district();
    let first = application(child(100), k);
    let mut again = application(child(100), k);
    again.id = ApplicationId(Uuid::now_v7());
    let first = decisions(&t.send(&mut a, vec![register(&first)]).await);
    let Decision::Changed { changes } = &first[0] else { panic!("{first:?}") };
    let Adjustment::Number { number } = &changes[0] else { panic!() };
    let second = decisions(&t.send(&mut b, vec![register(&again)]).await);
    assert_eq!(second, vec![Decision::Rejected { reason: Rejection::Rule { rule: RuleError::Duplicate { number: number.clone() } } }]);
    assert_eq!(count(&t, "SELECT count(*) FROM applications").await, 1);
}

#[tokio::test]
async fn a_desk_clock_a_year_ahead_does_not_move_a_child_ahead() {
    let t = server().await;
    let mut desk = t.desk("operator-1", "baqsha-operator").await;
    let (_, k) = kindergarten_of_first_district();
    let mut early = application(child(100), k);
    early.registered_at = morning() - Duration::days(365);
    let mut late = application(child(200), k);
    late.registered_at = morning() + Duration::days(365);
    let d = decisions(&t.send(&mut desk, vec![register(&early), register(&late)]).await);
    for (d, want) in d.iter().zip([morning(), morning()]) {
        let Decision::Changed { changes } = d else { panic!("{d:?}") };
        assert!(changes.contains(&Adjustment::RegisteredAt { at: want }), "clamped into [last sync, received]: {changes:?}");
    }
}

/// When the server holds an application as registered.
async fn registered_at(t: &TestServer, a: &Application) -> chrono::DateTime<chrono::Utc> {
    sqlx::query_scalar("SELECT registered_at FROM applications WHERE child_iin = $1").bind(a.child.iin.as_str()).fetch_one(&t.server.pool).await.unwrap()
}

/// SYNC.md 14, time and order: a village office offline for a day sends its registrations in
/// one batch and each keeps the time it was made (they stand in the region's queue by it);
/// after that sync its clock jumps a year back, and the child it registers then is vouched
/// for from that sync — behind the others, not a year ahead of the whole region.
#[tokio::test]
async fn an_offline_batch_keeps_each_registrations_time_and_a_clock_set_back_moves_nobody_ahead() {
    let t = server().await;
    let mut desk = t.desk("operator-1", "baqsha-operator").await;
    let (_, k) = kindergarten_of_first_district();
    let offline: Vec<Application> = (0..3).map(|i| Application { registered_at: morning() + Duration::hours(2 + i as i64), ..application(child(300 + i), k) }).collect();
    let batch: Vec<_> = offline.iter().map(|a| desk.command(register(a), a.registered_at)).collect();
    // The line comes back the next day.
    t.clock.advance(Duration::days(1));
    let d = decisions(&t.server.push(&desk.claims, &desk.push(batch)).await.unwrap().to_json());
    for (a, d) in offline.iter().zip(&d) {
        assert!(!matches!(d, Decision::Changed { changes } if changes.iter().any(|c| matches!(c, Adjustment::RegisteredAt { .. }))), "{d:?}");
        assert_eq!(registered_at(&t, a).await, a.registered_at, "registered when it was made, offline");
    }
    // The desk pulls, showing it has made three commands; then its clock is set a year back.
    t.server.vouch(&desk.claims, 3).await.unwrap();
    let synced = t.clock.now();
    t.clock.advance(Duration::hours(1));
    let mut late = application(child(400), k);
    late.registered_at = synced - Duration::days(365);
    let d = decisions(&t.send(&mut desk, vec![register(&late)]).await);
    assert!(matches!(&d[0], Decision::Changed { changes } if changes.contains(&Adjustment::RegisteredAt { at: synced })), "{d:?}");
    let order: Vec<String> = sqlx::query_scalar("SELECT child_iin FROM applications ORDER BY registered_at, number").fetch_all(&t.server.pool).await.unwrap();
    let mut want: Vec<String> = offline.iter().map(|a| a.child.iin.as_str().to_string()).collect();
    want.push(late.child.iin.as_str().to_string());
    assert_eq!(order.iter().filter(|i| want.contains(i)).cloned().collect::<Vec<_>>(), want, "the late child stands behind the three");
}

/// G8: a district's desk registers a child whose first choice is in another district: the
/// application is that district's, and the desk that made it is told it left its scope; the
/// other district's desk and the region's see it.
#[tokio::test]
async fn a_child_registered_into_another_districts_queue_leaves_the_desk_that_registered_it() {
    let t = server().await;
    let r = region();
    let elsewhere = r.kindergartens.iter().find(|k| k.district == r.districts[1].code).unwrap().id;
    let mut desk = t.desk("operator-1", "baqsha-operator").await;
    let a = application(child(500), elsewhere);
    let d = decisions(&t.send(&mut desk, vec![register(&a)]).await);
    assert!(matches!(d[0], Decision::Changed { .. }), "{d:?}");
    let last_seen = |pulled: baqsha_sync::PullResponse| pulled.changes.into_iter().rfind(|c| c.entity == "application" && c.id == a.id.0).map(|c| c.body.is_some());
    assert_eq!(last_seen(t.server.pull(&desk.claims, 0, 5000).await.unwrap()), Some(false), "removed from the desk that made it");
    let other = t.desk("operator-2", "baqsha-operator").await;
    assert_eq!(last_seen(t.server.pull(&other.claims, 0, 5000).await.unwrap()), Some(true), "the other district's desk holds it");
    let admin = t.desk("admin", "baqsha-admin").await;
    assert_eq!(last_seen(t.server.pull(&admin.claims, 0, 5000).await.unwrap()), Some(true), "the region's desk holds it");
}

#[tokio::test]
async fn a_kindergarten_device_receives_only_its_own_childrens_applications() {
    let t = server().await;
    let mut op = t.desk("operator-1", "baqsha-operator").await;
    let r = region();
    let mine = r.kindergartens[0].id;
    let other = r.kindergartens.iter().find(|k| k.district == r.kindergartens[0].district && k.id != mine).unwrap().id;
    let batch = vec![op.command(register(&application(child(100), mine)), morning()), op.command(register(&application(child(200), other)), morning())];
    t.server.push(&op.claims, &op.push(batch)).await.unwrap();
    let staff = t.desk("balabaqsha-1", "baqsha-staff").await;
    let pulled = t.server.pull(&staff.claims, 0, 5000).await.unwrap();
    let apps: Vec<_> = pulled.changes.iter().filter(|c| c.entity == "application").collect();
    assert_eq!(apps.len(), 1, "only the child naming this kindergarten");
    let a: Application = serde_json::from_value(apps[0].body.clone().unwrap()).unwrap();
    assert_eq!(a.preferences, vec![mine]);
    assert_eq!(pulled.changes.iter().filter(|c| c.entity == "kindergarten").count(), r.kindergartens.len(), "the registry is everyone's");
    // The region's office sees both.
    let admin = t.desk("admin", "baqsha-admin").await;
    assert_eq!(t.server.pull(&admin.claims, 0, 5000).await.unwrap().changes.iter().filter(|c| c.entity == "application").count(), 2);
}

#[tokio::test]
async fn the_cursor_never_skips_a_change_that_commits_late() {
    let t = server().await;
    let admin = t.desk("admin", "baqsha-admin").await;
    let mut op = t.desk("operator-1", "baqsha-operator").await;
    let (_, k) = kindergarten_of_first_district();
    let start = t.server.pull(&admin.claims, 0, 5000).await.unwrap().cursor;
    // A long transaction takes its position and does not commit yet.
    let mut long = t.server.pool.begin().await.unwrap();
    let pos: i64 = sqlx::query_scalar("UPDATE counters SET value = value + 1 WHERE area = 'changes' RETURNING value").fetch_one(&mut *long).await.unwrap();
    let late = Uuid::now_v7();
    sqlx::query("INSERT INTO changes (pos, entity, id, body) VALUES ($1, 'application', $2, NULL)").bind(pos).bind(late).execute(&mut *long).await.unwrap();
    // A short one (a push) waits behind it; a pull meanwhile does not move past what it cannot see.
    let server = t.server.clone();
    let claims = op.claims.clone();
    let commands = vec![op.command(register(&application(child(100), k)), morning())];
    let req = op.push(commands);
    let short = tokio::spawn(async move { server.push(&claims, &req).await.unwrap() });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let during = t.server.pull(&admin.claims, start, 5000).await.unwrap();
    assert!(during.changes.is_empty() && during.cursor == start, "{during:?}");
    long.commit().await.unwrap();
    short.await.unwrap();
    let after = t.server.pull(&admin.claims, during.cursor, 5000).await.unwrap();
    let ids: Vec<Uuid> = after.changes.iter().map(|c| c.id).collect();
    let entities: Vec<&str> = after.changes.iter().map(|c| c.entity.as_str()).collect();
    assert_eq!(entities, ["application", "application", "history"], "the late change, then the push's application and its history, each once: {ids:?}");
    assert_eq!(ids[0], late);
    assert!(t.server.pull(&admin.claims, after.cursor, 5000).await.unwrap().changes.is_empty());
}

#[tokio::test]
async fn a_command_the_server_fails_on_is_quarantined_after_a_few_tries_and_the_queue_moves_on() {
    let t = server().await;
    let (_, k) = kindergarten_of_first_district();
    let mut desk = t.desk("operator-1", "baqsha-operator").await;
    let a = application(child(7), k);
    t.send(&mut desk, vec![register(&a)]).await;
    // A stored row the server cannot read (a fault of the server's data, not a refusal).
    sqlx::query("UPDATE applications SET body = '{\"broken\": true}' WHERE id = $1").bind(a.id.0).execute(&t.server.pool).await.unwrap();
    let withdraw = desk.command(baqsha_core::command::CommandKind::WithdrawApplication { application: a.id, reason: "көшті".into() }, morning());
    let next = desk.command(register(&application(child(8), k)), morning());
    let batch = desk.push(vec![withdraw, next]);
    for _ in 1..baqsha_server::push::QUARANTINE_AFTER {
        let failed = t.server.push(&desk.claims, &batch).await;
        assert!(matches!(failed, Err(baqsha_server::ServerError::Command { seq: 2, .. })), "{:?}", failed.map(|a| a.to_json()));
    }
    let answer = t.server.push(&desk.claims, &batch).await.unwrap().to_json();
    let d = decisions(&answer);
    assert!(matches!(&d[0], Decision::Rejected { reason: Rejection::Quarantined { detail } } if detail.contains("application")), "{answer}");
    assert!(matches!(&d[1], Decision::Changed { .. }), "the next command is taken: {answer}");
    assert_eq!(t.server.push(&desk.claims, &batch).await.unwrap().to_json(), answer, "kept: the same answer again");
    assert_eq!(count(&t, "SELECT attempts::bigint FROM failures").await, i64::from(baqsha_server::push::QUARANTINE_AFTER));
}
