//! The HTTP face refuses what is not a well-formed, authorised request with a clear 4xx,
//! and applies nothing.

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use baqsha_sync::RequestError;
use common::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn send(t: &TestServer, token: Option<&str>, uri: &str, body: Option<String>) -> (StatusCode, String) {
    let mut r = Request::builder().uri(uri).method(if body.is_some() { "POST" } else { "GET" }).header("content-type", "application/json");
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    let res = baqsha_server::router(t.server.clone()).oneshot(r.body(body.map(Body::from).unwrap_or_else(Body::empty)).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn error(body: &str) -> RequestError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn bad_requests_are_clear_refusals_and_change_nothing() {
    let t = server().await;
    let desk = t.desk("operator-1", "baqsha-operator").await;
    let other = t.desk("operator-2", "baqsha-operator").await;
    let push = |protocol: u32, device: baqsha_core::DeviceId| format!("{{\"protocol\":{protocol},\"device\":\"{}\",\"commands\":[]}}", device.0);

    let (s, b) = send(&t, None, "/v1/push", Some(push(1, desk.claims.device()))).await;
    assert_eq!((s, error(&b)), (StatusCode::UNAUTHORIZED, RequestError::Unauthorized));
    let (s, b) = send(&t, Some("not-a-token"), "/v1/push", Some(push(1, desk.claims.device()))).await;
    assert_eq!((s, error(&b)), (StatusCode::UNAUTHORIZED, RequestError::Unauthorized));
    let (s, b) = send(&t, Some(&desk.token), "/v1/push", Some("{\"protocol\":1,".into())).await;
    assert!(s == StatusCode::BAD_REQUEST && matches!(error(&b), RequestError::Malformed { .. }), "{s} {b}");
    let (s, b) = send(&t, Some(&desk.token), "/v1/push", Some(push(99, desk.claims.device()))).await;
    assert_eq!((s, error(&b)), (StatusCode::BAD_REQUEST, RequestError::Protocol { spoken: vec![1] }));
    let (s, b) = send(&t, Some(&desk.token), "/v1/push", Some(push(1, other.claims.device()))).await;
    assert_eq!((s, error(&b)), (StatusCode::FORBIDDEN, RequestError::OtherDevice), "a token pushes for its own device only");
    let huge = format!("{{\"protocol\":1,\"device\":\"{}\",\"commands\":[],\"pad\":\"{}\"}}", desk.claims.device().0, "x".repeat(9 * 1024 * 1024));
    let (s, _) = send(&t, Some(&desk.token), "/v1/push", Some(huge)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let (s, _) = send(&t, Some(&desk.token), "/v1/push", Some(push(1, desk.claims.device()))).await;
    assert_eq!(s, StatusCode::OK);

    // An expired token, by the server's clock.
    t.clock.advance(chrono::Duration::minutes(16));
    let (s, _) = send(&t, Some(&desk.token), "/v1/pull?after=0&protocol=1", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_cursor_from_before_a_restore_asks_for_a_reset() {
    let t = server().await;
    let desk = t.desk("admin", "baqsha-admin").await;
    let epoch = t.server.epoch().await.unwrap();
    let (s, _) = send(&t, Some(&desk.token), &format!("/v1/pull?after=0&protocol=1&epoch={epoch}"), None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = send(&t, Some(&desk.token), &format!("/v1/pull?after=0&protocol=1&epoch={}", uuid::Uuid::nil()), None).await;
    assert_eq!((s, error(&b)), (StatusCode::CONFLICT, RequestError::ResetRequired { epoch }));
    let (s, _) = send(&t, Some(&desk.token), "/v1/pull?after=minus&protocol=1", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // A first sync over HTTP: chunks resume from a key; the checksum says what is held.
    let (s, b) = send(&t, Some(&desk.token), "/v1/snapshot?protocol=1&limit=100", None).await;
    let page: baqsha_sync::SnapshotPage = serde_json::from_str(&b).unwrap();
    assert_eq!((s, page.rows.len()), (StatusCode::OK, 100));
    let key = page.next.unwrap();
    let groups = region().groups.len();
    let (s, b) = send(&t, Some(&desk.token), &format!("/v1/snapshot?protocol=1&limit=5000&position={}&after_entity={}&after_id={}", page.position, key.entity, key.id), None).await;
    let rest: baqsha_sync::SnapshotPage = serde_json::from_str(&b).unwrap();
    assert_eq!((s, rest.rows.len(), rest.next), (StatusCode::OK, 50 + groups, None), "the other 50 kindergartens and the groups, then done");
    let (s, _) = send(&t, Some(&desk.token), "/v1/snapshot?protocol=1&after_entity=kindergarten", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, b) = send(&t, Some(&desk.token), "/v1/checksum?protocol=1", None).await;
    let sum: baqsha_sync::ScopeChecksum = serde_json::from_str(&b).unwrap();
    let count = |entity: &str| sum.entities.iter().find(|e| e.entity == entity).map(|e| e.count);
    assert_eq!((s, count("kindergarten"), count("group"), count("application")), (StatusCode::OK, Some(150), Some(groups as u64), Some(0)));
}

#[tokio::test]
async fn a_device_token_needs_its_refresh_token_and_an_account_of_its_office() {
    let t = server().await;
    let (device, refresh) = t.server.register_device("operator-1", "baqsha-operator", "Үлкен Нарын").await.unwrap().unwrap();
    assert!(t.server.register_device("operator-1", "wrong", "x").await.unwrap().is_none());
    assert!(t.server.access_token(device, "0000", "operator-1", "baqsha-operator").await.unwrap().is_none(), "a wrong refresh token");
    assert!(t.server.access_token(device, &refresh, "operator-2", "baqsha-operator").await.unwrap().is_none(), "another office's account");
    let (token, expires) = t.server.access_token(device, &refresh, "operator-1", "baqsha-operator").await.unwrap().unwrap();
    assert_eq!(expires, morning() + chrono::Duration::minutes(15));
    let claims = t.server.tokens.check(&token, morning()).unwrap();
    assert_eq!((claims.dev, claims.role.as_str()), (device.0, "department_operator"));
}

/// G5: a command this server cannot read — a kind a newer desk knows — gets an answer of its
/// own, kept like any other, and the commands after it are taken; before, the whole push was
/// refused, and so again at every retry, with everything behind it.
#[tokio::test]
async fn a_command_the_server_cannot_read_is_refused_alone_and_the_rest_go_on() {
    let t = server().await;
    let mut desk = t.desk("operator-1", "baqsha-operator").await;
    let r = region();
    let k = r.kindergartens.iter().find(|k| k.district == r.districts[0].code).unwrap().id;
    let first = desk.command(register(&application(child(100), k)), morning());
    let newer = desk.command(register(&application(child(200), k)), morning());
    let last = desk.command(register(&application(child(300), k)), morning());
    // The newer build's command: a kind this server does not know, and a field with it.
    let made = serde_json::to_string(&newer.command).unwrap().replace("\"type\":\"register_application\"", "\"type\":\"register_twins\",\"twins\":2");
    let newer = baqsha_sync::Sequenced { seq: newer.seq, command: baqsha_sync::Carried::parse(&made).unwrap() };
    assert!(matches!(&newer.command, baqsha_sync::Carried::Unread(u) if u.kind == "register_twins"));
    let body = serde_json::to_string(&desk.push(vec![first, newer, last])).unwrap();
    assert!(body.contains(&made), "the unread command travels exactly as it was made");

    let (s, answered) = send(&t, Some(&desk.token), "/v1/push", Some(body.clone())).await;
    assert_eq!(s, StatusCode::OK, "{answered}");
    let decisions = decisions(&answered);
    assert!(matches!(decisions[0], baqsha_sync::Decision::Changed { .. }), "{decisions:?}");
    assert!(matches!(&decisions[1], baqsha_sync::Decision::Rejected { reason: baqsha_sync::Rejection::Unreadable { kind, .. } } if kind == "register_twins"), "{decisions:?}");
    assert!(matches!(decisions[2], baqsha_sync::Decision::Changed { .. }), "the command after it is taken: {decisions:?}");
    let applications: i64 = sqlx::query_scalar("SELECT count(*) FROM applications").fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(applications, 2, "nothing of the unread command is applied");
    let kept: String = sqlx::query_scalar("SELECT body FROM commands WHERE seq = 2").fetch_one(&t.server.pool).await.unwrap();
    assert_eq!(kept, made, "kept exactly as sent, for the region's IT");
    // The answer was lost: the same push again is answered byte for byte.
    let (_, again) = send(&t, Some(&desk.token), "/v1/push", Some(body)).await;
    assert_eq!(again, answered);
}
