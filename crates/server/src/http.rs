//! The HTTP face: JSON over HTTP/1.1 behind the region's TLS proxy. Business refusals are
//! answers (200); a malformed, oversized or unauthorised request is a 4xx whose body says why.

use crate::auth::Claims;
use crate::{Server, ServerError};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use baqsha_sync::*;
use serde::Deserialize;

/// A push of `MAX_BATCH` commands with large passports fits well inside this.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

pub fn router(server: Server) -> Router {
    Router::new()
        .route("/v1/health", get(|| async { "ok" }))
        .route("/v1/devices", post(register_device))
        .route("/v1/token", post(token))
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        .route("/v1/snapshot", get(snapshot))
        .route("/v1/checksum", get(checksum))
        .route("/v1/leases", post(grant_lease))
        .route("/v1/leases/{id}/return", post(return_lease))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(server)
}

/// A 4xx whose body says why.
pub struct Refusal(StatusCode, RequestError);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, Json(self.1)).into_response()
    }
}

/// What a handler gives back: an answer, a refusal, or the server's own failure.
type Reply = Result<Response, Refusal>;

fn failed(e: ServerError) -> Response {
    tracing::error!("request failed: {e}");
    (StatusCode::INTERNAL_SERVER_ERROR, "the server could not finish this request; it is safe to retry").into_response()
}

fn answer<T: serde::Serialize>(r: Result<T, ServerError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => failed(e),
    }
}

/// A body the server would not read (past `MAX_BODY`, or cut off) as the protocol says it.
type Body = Result<Bytes, axum::extract::rejection::BytesRejection>;

fn body(b: Body) -> Result<Bytes, Refusal> {
    b.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Refusal(StatusCode::PAYLOAD_TOO_LARGE, RequestError::TooLarge { max: MAX_BODY }),
        _ => Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail: e.body_text() }),
    })
}

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|e| Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail: e.to_string() }))
}

fn claims(server: &Server, headers: &HeaderMap) -> Result<Claims, Refusal> {
    let token = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    token.and_then(|t| server.tokens.check(t, server.clock.now())).ok_or(Refusal(StatusCode::UNAUTHORIZED, RequestError::Unauthorized))
}

fn spoken(protocol: u32) -> Result<(), Refusal> {
    if SPOKEN.contains(&protocol) {
        Ok(())
    } else {
        Err(Refusal(StatusCode::BAD_REQUEST, RequestError::Protocol { spoken: SPOKEN.to_vec() }))
    }
}

const WRONG_ACCOUNT: Refusal = Refusal(StatusCode::UNAUTHORIZED, RequestError::Unauthorized);

async fn register_device(State(server): State<Server>, b: Body) -> Reply {
    let req: RegisterDevice = parse(&body(b)?)?;
    let s = server.clone();
    let registered = whole(async move {
        let Some(device) = s.register_device(&req.login, &req.password, &req.name).await? else { return Ok(None) };
        Ok(Some((device, s.is_demo().await?)))
    })
    .await;
    match registered {
        Ok(None) => Err(WRONG_ACCOUNT),
        r => Ok(answer(r.map(|d| d.map(|((device, refresh_token), demo)| DeviceRegistered { device, refresh_token, demo })))),
    }
}

async fn token(State(server): State<Server>, b: Body) -> Reply {
    let req: TokenRequest = parse(&body(b)?)?;
    match server.access_token(req.device, &req.refresh_token, &req.login, &req.password).await {
        Ok(None) => Err(WRONG_ACCOUNT),
        r => Ok(answer(r.map(|t| {
            t.map(|(token, expires_at)| {
                let operator = server.tokens.check(&token, server.clock.now()).and_then(|c| c.operator());
                AccessToken { token, expires_at, operator }
            })
        }))),
    }
}

async fn push(State(server): State<Server>, headers: HeaderMap, b: Body) -> Reply {
    let claims = claims(&server, &headers)?;
    let req: PushRequest = parse(&body(b)?)?;
    spoken(req.protocol)?;
    if req.commands.len() > MAX_BATCH {
        return Err(Refusal(StatusCode::PAYLOAD_TOO_LARGE, RequestError::TooLarge { max: MAX_BATCH }));
    }
    if req.device != claims.device() {
        return Err(Refusal(StatusCode::FORBIDDEN, RequestError::OtherDevice));
    }
    // PostgreSQL's text cannot hold U+0000: a command carrying it could never be kept.
    // A command that cannot even be looked through (a number out of range in an unread one)
    // is refused the same way: it could never be kept either.
    for s in &req.commands {
        match serde_json::to_value(&s.command) {
            Ok(v) if !holds_nul(&v) => {}
            Ok(_) => return Err(Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail: format!("command {} holds the character U+0000", s.seq) })),
            Err(e) => return Err(Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail: format!("command {}: {e}", s.seq) })),
        }
    }
    // A command the server has taken under another number (or twice in this batch under two):
    // the desk's numbering and the server's disagree; nothing of the batch is taken.
    match server.numbered_elsewhere(&claims, &req).await {
        Ok(Some(detail)) => return Err(Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail })),
        Ok(None) => {}
        Err(e) => return Ok(failed(e)),
    }
    Ok(match whole(async move { server.push(&claims, &req).await }).await {
        Ok(answer) => ([(header::CONTENT_TYPE, "application/json")], answer.to_json()).into_response(),
        Err(e) => failed(e),
    })
}

/// Runs work that writes to the end, even when the desk that asked goes away meanwhile (its
/// connection cut, its process killed): a request's future is dropped with its connection, and
/// a write dropped between its statements leaves a pooled connection mid-transaction holding
/// the device's row, so that the desk's next push waits on it.
async fn whole<T: Send + 'static>(work: impl std::future::Future<Output = Result<T, ServerError>> + Send + 'static) -> Result<T, ServerError> {
    tokio::spawn(work).await.map_err(|e| ServerError::Stopped(e.to_string()))?
}

#[derive(Deserialize)]
struct PullQuery {
    after: u64,
    #[serde(default = "default_limit")]
    limit: u32,
    epoch: Option<uuid::Uuid>,
    protocol: u32,
    /// The newest number the desk had given when it asked (see `PushRequest::made`).
    made: Option<u64>,
}

fn default_limit() -> u32 {
    1000
}

async fn pull(State(server): State<Server>, headers: HeaderMap, q: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>) -> Reply {
    let claims = claims(&server, &headers)?;
    let Query(q) = q.map_err(|e| Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail: e.body_text() }))?;
    spoken(q.protocol)?;
    let epoch = match server.epoch().await {
        Ok(e) => e,
        Err(e) => return Ok(failed(e)),
    };
    if q.epoch.is_some_and(|e| e != epoch) {
        return Err(Refusal(StatusCode::CONFLICT, RequestError::ResetRequired { epoch }));
    }
    // The desk's office now has another scope than the one its snapshot holds.
    match server.scope_moved(&claims).await {
        Ok(true) => return Err(Refusal(StatusCode::CONFLICT, RequestError::ResetRequired { epoch })),
        Ok(false) => {}
        Err(e) => return Ok(failed(e)),
    }
    if let Some(made) = q.made {
        if let Err(e) = server.vouch(&claims, made).await {
            return Ok(failed(e));
        }
    }
    Ok(answer(server.pull(&claims, q.after, q.limit).await))
}

#[derive(Deserialize)]
struct SnapshotQuery {
    protocol: u32,
    position: Option<u64>,
    after_entity: Option<String>,
    after_id: Option<uuid::Uuid>,
    #[serde(default = "default_limit")]
    limit: u32,
}

/// A first sync's chunk; a resumed one names the position and the last key it applied.
async fn snapshot(State(server): State<Server>, headers: HeaderMap, q: Result<Query<SnapshotQuery>, axum::extract::rejection::QueryRejection>) -> Reply {
    let claims = claims(&server, &headers)?;
    let Query(q) = q.map_err(|e| Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail: e.body_text() }))?;
    spoken(q.protocol)?;
    let after = match (q.after_entity, q.after_id) {
        (Some(entity), Some(id)) => Some(SnapshotKey { entity, id }),
        (None, None) => None,
        _ => return Err(Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail: "after_entity and after_id go together".into() })),
    };
    Ok(match server.snapshot(&claims, q.position, after.as_ref(), q.limit).await {
        Ok(page) => ([(header::CONTENT_TYPE, "application/json")], page.to_json()).into_response(),
        Err(e) => failed(e),
    })
}

#[derive(Deserialize)]
struct ProtocolQuery {
    protocol: u32,
}

async fn checksum(State(server): State<Server>, headers: HeaderMap, q: Result<Query<ProtocolQuery>, axum::extract::rejection::QueryRejection>) -> Reply {
    let claims = claims(&server, &headers)?;
    let Query(q) = q.map_err(|e| Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail: e.body_text() }))?;
    spoken(q.protocol)?;
    Ok(answer(server.checksum(&claims).await))
}

/// Places set aside for the office (the desk asks before it expects to go offline).
async fn grant_lease(State(server): State<Server>, headers: HeaderMap, q: Result<Query<ProtocolQuery>, axum::extract::rejection::QueryRejection>, b: Body) -> Reply {
    let claims = claims(&server, &headers)?;
    let Query(q) = q.map_err(|e| Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail: e.body_text() }))?;
    spoken(q.protocol)?;
    let req: LeaseRequest = parse(&body(b)?)?;
    Ok(answer(whole(async move { server.grant_lease(&claims, &req).await }).await))
}

async fn return_lease(
    State(server): State<Server>,
    headers: HeaderMap,
    Path(id): Path<uuid::Uuid>,
    q: Result<Query<ProtocolQuery>, axum::extract::rejection::QueryRejection>,
) -> Reply {
    let claims = claims(&server, &headers)?;
    let Query(q) = q.map_err(|e| Refusal(StatusCode::BAD_REQUEST, RequestError::Malformed { detail: e.body_text() }))?;
    spoken(q.protocol)?;
    Ok(answer(whole(async move { server.return_lease(&claims, baqsha_core::LeaseId(id)).await }).await))
}

fn holds_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(a) => a.iter().any(holds_nul),
        serde_json::Value::Object(m) => m.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        _ => false,
    }
}
