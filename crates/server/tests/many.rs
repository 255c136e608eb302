//! One authority, many processes: two server instances over one database (each its own
//! pool, tokens and clock: nothing shared but PostgreSQL) agree; a push cut off half way
//! is resent and nothing is lost or doubled.

mod common;
use baqsha_core::command::{CommandKind, RuleError};
use baqsha_server::auth::Tokens;
use baqsha_server::Server;
use baqsha_sync::{Adjustment, Decision, PushResponse, Rejection};
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_offices_registering_one_child_through_two_servers_make_one_application() {
    let t = server().await;
    let second = Server::open(&t.url, Tokens::new(&[7u8; 32], chrono::Duration::minutes(15)), t.clock.clone()).await.unwrap();
    let servers = [t.server.clone(), second];
    let region = region();
    let k = region.kindergartens[0].id;
    let the_child = child(1);
    let mut tasks = vec![];
    for n in 0..50 {
        let mut desk = t.desk(&format!("operator-{}", n % 6 + 1), "baqsha-operator").await;
        // Every fifth office registers a child of its own as well: numbers must not collide.
        let mut kinds = vec![CommandKind::RegisterApplication { application: Box::new(application(the_child.clone(), k)), confirmation: None }];
        if n % 5 == 0 {
            kinds.push(CommandKind::RegisterApplication { application: Box::new(application(child(100 + n as u32), k)), confirmation: None });
        }
        let commands: Vec<_> = kinds.into_iter().map(|kind| desk.command(kind, morning())).collect();
        let req = desk.push(commands);
        let server = servers[n as usize % 2].clone();
        tasks.push(tokio::spawn(async move { server.push(&desk.claims, &req).await.unwrap().to_json() }));
    }
    let mut applied = vec![];
    let mut duplicates = 0;
    for task in tasks {
        let answer: PushResponse = serde_json::from_str(&task.await.unwrap()).unwrap();
        for o in answer.outcomes {
            match o.decision {
                Decision::Changed { changes } => applied.extend(changes.into_iter().filter_map(|c| match c {
                    Adjustment::Number { number } => Some(number),
                    _ => None,
                })),
                Decision::Rejected { reason: Rejection::Rule { rule: RuleError::Duplicate { .. } } } => duplicates += 1,
                other => panic!("{other:?}"),
            }
        }
    }
    assert_eq!((applied.len(), duplicates), (1 + 10, 49), "one application of the child, 49 duplicates naming it, 10 others");
    let mut unique = applied.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), applied.len(), "numbers never collide: {applied:?}");
    let live: i64 = sqlx::query_scalar("SELECT count(*) FROM applications WHERE child_iin = $1").bind(the_child.as_str()).fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(live, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_cut_off_half_way_is_resent_and_nothing_is_lost_or_doubled() {
    let t = server().await;
    let region = region();
    let k = region.kindergartens[0].id;
    let mut desk = t.desk("operator-1", "baqsha-operator").await;
    let commands: Vec<_> =
        (0..200).map(|n| desk.command(CommandKind::RegisterApplication { application: Box::new(application(child(n), k)), confirmation: None }, morning())).collect();
    let req = desk.push(commands);
    // The connection (or the server process) goes away while the batch is being applied.
    let (server, claims, cut) = (t.server.clone(), desk.claims.clone(), req.clone());
    let task = tokio::spawn(async move { server.push(&claims, &cut).await });
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    task.abort();
    let _ = task.await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM applications").fetch_one(&t.server.pool).await.unwrap();
    assert!(before < 200, "the cut came before the end ({before})");
    // The desk never got an answer: it sends the whole batch again.
    let answer: PushResponse = serde_json::from_str(&t.server.push(&desk.claims, &req).await.unwrap().to_json()).unwrap();
    assert_eq!((answer.outcomes.len(), answer.resend_from), (200, None));
    let seqs: Vec<u64> = answer.outcomes.iter().map(|o| o.seq).collect();
    assert_eq!(seqs, (1..=200).collect::<Vec<_>>());
    let (apps, commands): (i64, i64) = sqlx::query_as("SELECT (SELECT count(*) FROM applications), (SELECT count(*) FROM commands)").fetch_one(&t.server.pool).await.unwrap();
    assert_eq!((apps, commands), (200, 200));
}
