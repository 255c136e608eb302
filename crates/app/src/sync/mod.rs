//! The desk's side of sync: the region's server over HTTP, and the push that takes the
//! outbox there in order. The server decides; the desk keeps each answer beside the command
//! it answers (a rejected one stays listed until someone acknowledges it).

use crate::Clock;
use baqsha_core::roles::Operator;
use baqsha_core::{DeviceId, OperatorId};
use baqsha_store::{Answered, Store, StoreError, Verdict};
use baqsha_sync::{
    AccessToken, Carried, Decision, DeviceRegistered, LeaseAnswer, LeaseRequest, PullResponse, PushRequest, PushResponse, RegisterDevice, RequestError, ScopeChecksum, Sequenced,
    SnapshotChunk, TokenRequest, MAX_BATCH, PROTOCOL,
};
use std::time::Duration;

mod engine;
mod pull;
pub(crate) use engine::RegionState;
pub use engine::{sync_api_error, RegionWord, Round, DECISION_WAIT, PULL_EVERY, STALE_AFTER_DAYS};
pub use pull::{pull_changes, snapshot_rows, take_snapshot, verify_scope, Pulled, Verified, SNAPSHOT_CHUNK};

/// Why the desk could not sync. Every one leaves what the desk holds as it was.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the server at {server} cannot be reached: {detail}")]
    Unreachable { server: String, detail: String },
    #[error("{server} does not answer as a Baqsha server: {detail}")]
    NotBaqsha { server: String, detail: String },
    #[error("the server did not accept this sign-in")]
    SignIn,
    #[error("the server speaks protocol versions {spoken:?}; this desk speaks {PROTOCOL}")]
    Protocol { spoken: Vec<u32> },
    #[error("the server refused the request: {detail}")]
    Refused { detail: String },
    #[error("the server failed (HTTP {status}); the desk tries again")]
    Server { status: u16 },
    #[error("this desk does not belong to a region")]
    NotJoined,
    /// The server was restored or no longer keeps the changes after this desk's cursor: the
    /// desk takes a new snapshot and sends its outbox again.
    #[error("the server asks for a new first sync (its epoch is now {epoch})")]
    ResetRequired { epoch: uuid::Uuid },
    /// A snapshot chunk or a pull the desk cannot hold (its disk is full, a row is corrupt):
    /// nothing of it was written.
    #[error("what the server sent could not be kept: {detail}")]
    Unkept { detail: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Whether trying again later may succeed without anyone doing anything.
    pub fn passes(&self) -> bool {
        matches!(self, SyncError::Unreachable { .. } | SyncError::Server { .. })
    }
}

/// The region's server, spoken to over HTTP(S). TLS is rustls on ring; certificates are
/// checked against the operating system's store.
#[derive(Clone)]
pub struct RegionClient {
    http: reqwest::Client,
    base: String,
}

impl RegionClient {
    /// A client of the server at `address` (`https://…`, or `http://…` on a trusted
    /// network). Nothing is sent yet.
    pub fn new(address: &str) -> Result<RegionClient, SyncError> {
        let base = address.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("https://") || base.starts_with("http://")) || base.len() < "http://x".len() {
            return Err(SyncError::NotBaqsha { server: base, detail: "an address starts with https://".into() });
        }
        // reqwest is built without a provider of its own: ring, once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("baqsha-desk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Unreachable { server: base.clone(), detail: e.to_string() })?;
        Ok(RegionClient { http, base })
    }

    pub fn address(&self) -> &str {
        &self.base
    }

    fn unreachable(&self, e: reqwest::Error) -> SyncError {
        let detail = if e.is_timeout() { "no answer in time".to_string() } else { baqsha_core::text::with_causes(&e) };
        SyncError::Unreachable { server: self.base.clone(), detail }
    }

    fn not_baqsha(&self, detail: impl Into<String>) -> SyncError {
        SyncError::NotBaqsha { server: self.base.clone(), detail: detail.into() }
    }

    async fn call<T: serde::de::DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, SyncError> {
        let response = request.send().await.map_err(|e| self.unreachable(e))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| self.unreachable(e))?;
        if status.is_success() {
            return serde_json::from_slice(&body).map_err(|e| self.not_baqsha(format!("an answer this desk cannot read ({e})")));
        }
        if status.is_server_error() {
            return Err(SyncError::Server { status: status.as_u16() });
        }
        match serde_json::from_slice::<RequestError>(&body) {
            Ok(RequestError::Unauthorized) => Err(SyncError::SignIn),
            Ok(RequestError::Protocol { spoken }) => Err(SyncError::Protocol { spoken }),
            Ok(RequestError::ResetRequired { epoch }) => Err(SyncError::ResetRequired { epoch }),
            Ok(other) => Err(SyncError::Refused { detail: format!("{other:?}") }),
            Err(_) => Err(self.not_baqsha(format!("HTTP {status} without a Baqsha answer"))),
        }
    }

    fn post<B: serde::Serialize>(&self, path: &str, body: &B, token: Option<&str>) -> Result<reqwest::RequestBuilder, SyncError> {
        let json = serde_json::to_vec(body).map_err(|e| SyncError::Refused { detail: e.to_string() })?;
        let mut r = self.http.post(format!("{}{path}", self.base)).header(reqwest::header::CONTENT_TYPE, "application/json").body(json);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        Ok(r)
    }

    /// Whether the address is a Baqsha server at all (before any password is sent to it).
    pub async fn check(&self) -> Result<(), SyncError> {
        let response = self.http.get(format!("{}/v1/health", self.base)).send().await.map_err(|e| self.unreachable(e))?;
        let status = response.status();
        let body = response.text().await.map_err(|e| self.unreachable(e))?;
        if status.is_success() && body.trim() == "ok" {
            Ok(())
        } else {
            Err(self.not_baqsha(format!("HTTP {status} to a health check")))
        }
    }

    /// Registers this desk as a device of the account's office.
    pub async fn register(&self, login: &str, password: &str, name: &str) -> Result<DeviceRegistered, SyncError> {
        let body = RegisterDevice { login: login.into(), password: password.into(), name: name.into() };
        self.call(self.post("/v1/devices", &body, None)?).await
    }

    /// A short-lived token for `login` at this device.
    pub async fn token(&self, device: DeviceId, refresh_token: &str, login: &str, password: &str) -> Result<AccessToken, SyncError> {
        let body = TokenRequest { device, refresh_token: refresh_token.into(), login: login.into(), password: password.into() };
        self.call(self.post("/v1/token", &body, None)?).await
    }

    pub async fn push(&self, token: &str, request: &PushRequest) -> Result<PushResponse, SyncError> {
        self.call(self.post("/v1/push", request, Some(token))?).await
    }

    fn get(&self, path: &str, query: &[(&str, String)], token: &str) -> reqwest::RequestBuilder {
        // Every value is a number, a UUID or an entity's name: nothing to escape.
        let mut url = format!("{}{path}?protocol={PROTOCOL}", self.base);
        for (k, v) in query {
            url.push_str(&format!("&{k}={v}"));
        }
        self.http.get(url).bearer_auth(token)
    }

    /// The changes after `after`, in commit order; `epoch`: the server's this desk pulled
    /// from before (another one answers "reset required").
    /// `made`: the newest number this desk has given (see `PushRequest::made`).
    pub async fn pull(&self, token: &str, epoch: Option<uuid::Uuid>, after: u64, limit: u32, made: Option<u64>) -> Result<PullResponse, SyncError> {
        let mut q = vec![("after", after.to_string()), ("limit", limit.to_string())];
        if let Some(e) = epoch {
            q.push(("epoch", e.to_string()));
        }
        if let Some(n) = made {
            q.push(("made", n.to_string()));
        }
        self.call(self.get("/v1/pull", &q, token)).await
    }

    /// One chunk of the scope's snapshot: from the start, or after the last row applied at
    /// the position the first chunk gave.
    pub async fn snapshot(&self, token: &str, position: Option<u64>, after: Option<&(String, uuid::Uuid)>, limit: u32) -> Result<SnapshotChunk, SyncError> {
        let mut q = vec![("limit", limit.to_string())];
        if let Some(p) = position {
            q.push(("position", p.to_string()));
        }
        if let Some((entity, id)) = after {
            q.push(("after_entity", entity.clone()));
            q.push(("after_id", id.to_string()));
        }
        self.call(self.get("/v1/snapshot", &q, token)).await
    }

    pub async fn checksum(&self, token: &str) -> Result<ScopeChecksum, SyncError> {
        self.call(self.get("/v1/checksum", &[], token)).await
    }

    /// Asks the region to set places of a vacancy aside for this office (for a time without
    /// a line): the lease, or why not.
    pub async fn lease(&self, token: &str, request: &LeaseRequest) -> Result<LeaseAnswer, SyncError> {
        self.call(self.post(&format!("/v1/leases?protocol={PROTOCOL}"), request, Some(token))?).await
    }

    /// Gives a lease back before it lapses: its unused places go back to the region.
    pub async fn return_lease(&self, token: &str, lease: baqsha_core::LeaseId) -> Result<LeaseAnswer, SyncError> {
        self.call(self.post(&format!("/v1/leases/{}/return?protocol={PROTOCOL}", lease.0), &(), Some(token))?).await
    }
}

/// What one push did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pushed {
    /// Commands the server answered.
    pub answered: usize,
    /// Of these, the ones it would not take.
    pub rejected: usize,
    /// The outbox stops at a command of another operator: it goes when they sign in.
    pub waiting_for: Option<OperatorId>,
}

fn verdict(d: &Decision) -> Verdict {
    match d {
        Decision::Applied => Verdict::Applied,
        Decision::Changed { .. } => Verdict::Adjusted,
        Decision::Rejected { .. } => Verdict::Rejected,
    }
}

/// Sends the outbox from where the server last answered, in batches, until it is empty or
/// reaches a command another operator made. Each answer is kept before the next batch goes,
/// so a cut connection resends only what was not answered, and the server answers a resent
/// command with what it decided the first time.
pub async fn push_outbox(store: &Store, region: &RegionClient, token: &str, signed_in: &Operator, clock: &dyn Clock) -> Result<Pushed, SyncError> {
    let mut pushed = Pushed::default();
    loop {
        let link = store.region_link().await?.ok_or(SyncError::NotJoined)?;
        let batch = store.outbox_entries(link.pushed_through, MAX_BATCH as u32).await?;
        // The server takes an operator's commands only under their own token.
        // The server numbers this device's commands from the first made after joining.
        let base = link.seq_base;
        let mine: Vec<Sequenced> = batch
            .into_iter()
            .take_while(|e| e.author == signed_in.id.0)
            .map(|e| Ok(Sequenced { seq: e.seq.saturating_sub(base), command: carried(e)? }))
            .collect::<Result<_, SyncError>>()?;
        if mine.is_empty() {
            pushed.waiting_for = store.outbox_entries(link.pushed_through, 1).await?.first().map(|e| OperatorId(e.author));
            return Ok(pushed);
        }
        let made = store.made_since_joining().await?;
        let request = PushRequest { protocol: PROTOCOL, device: DeviceId(link.device), commands: mine, made };
        let response = match region.push(token, &request).await {
            Ok(r) => r,
            Err(e) => {
                store.push_failed(&e.to_string()).await?;
                return Err(e);
            }
        };
        let answers: Vec<Answered> = response
            .outcomes
            .iter()
            .map(|o| {
                let decision = serde_json::to_string(&o.decision).map_err(|e| SyncError::Refused { detail: e.to_string() })?;
                Ok(Answered { seq: o.seq + base, command: o.command, verdict: verdict(&o.decision), decision })
            })
            .collect::<Result<_, SyncError>>()?;
        store.keep_answers(&answers, clock.now()).await?;
        pushed.answered += answers.len();
        pushed.rejected += answers.iter().filter(|a| a.verdict == Verdict::Rejected).count();
        match response.resend_from.map(|n| n + base) {
            // The server holds less than this desk thought (a restored server): from there again.
            Some(n) if n <= link.pushed_through => store.resend_from(n).await?,
            // It stopped at a command it will not take under this token.
            Some(_) if answers.is_empty() => {
                pushed.waiting_for = request.commands.first().map(|s| s.command.author());
                return Ok(pushed);
            }
            _ if answers.is_empty() => return Err(SyncError::Refused { detail: "the server answered none of the commands sent".into() }),
            _ => {}
        }
    }
}

/// A command of the outbox as a push carries it. One this build cannot read (a newer build
/// made it before this one was installed) goes as it was made, to be answered on its own;
/// one that is not even JSON any more goes with what its history row says of it.
fn carried(e: baqsha_store::OutboxEntry) -> Result<Carried, SyncError> {
    // A body that names another command than its row (a damaged row) goes as the row says,
    // so its answer finds the row and its author's token sends it.
    if let Ok(c) = Carried::parse(&e.body).map_err(|_| ()).and_then(|c| if (c.id(), c.author().0, c.device().0) == (e.command_id, e.author, e.device) { Ok(c) } else { Err(()) }) {
        if let Carried::Unread(_) = &c {
            tracing::warn!("outbox command {} ({}) cannot be read by this build", e.seq, e.kind);
        }
        return Ok(c);
    }
    let whole = serde_json::json!({
        "id": e.command_id, "author": e.author, "device": e.device, "at": e.at,
        "kind": { "type": e.kind }, "unreadable": e.body,
    });
    Carried::parse(&whole.to_string()).map_err(|err| SyncError::Refused { detail: format!("outbox command {}: {err}", e.seq) })
}

/// The first wait after a failed attempt, and the longest: a desk offline for a week tries
/// every five minutes, one whose server blinked tries again in seconds.
pub const FIRST_RETRY: Duration = Duration::from_secs(2);
pub const LONGEST_RETRY: Duration = Duration::from_secs(5 * 60);

/// How long to wait after `failures` failed attempts in a row: doubling from
/// [`FIRST_RETRY`], capped at [`LONGEST_RETRY`], with up to a fifth more at random (`jitter`
/// in 0..1) so the desks of a region that lost its line together do not return together.
pub fn retry_after(failures: u32, jitter: f64) -> Duration {
    if failures == 0 {
        return Duration::ZERO;
    }
    let doubled = FIRST_RETRY.saturating_mul(1u32 << failures.saturating_sub(1).min(16));
    let base = doubled.min(LONGEST_RETRY);
    base + base.mul_f64(jitter.clamp(0.0, 1.0) / 5.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_from_seconds_to_five_minutes_and_spread() {
        assert_eq!(retry_after(0, 0.5), Duration::ZERO, "no failure, no wait");
        assert_eq!(retry_after(1, 0.0), Duration::from_secs(2));
        assert_eq!(retry_after(2, 0.0), Duration::from_secs(4));
        assert_eq!(retry_after(5, 0.0), Duration::from_secs(32));
        assert_eq!(retry_after(9, 0.0), LONGEST_RETRY, "capped");
        assert_eq!(retry_after(u32::MAX, 0.0), LONGEST_RETRY, "a week offline does not overflow");
        assert_eq!(retry_after(9, 1.0), Duration::from_secs(360), "at most a fifth more");
        assert_eq!(retry_after(1, 7.0), retry_after(1, 1.0), "jitter is clamped");
        assert!((1..40).all(|n| retry_after(n, 1.0) <= LONGEST_RETRY + LONGEST_RETRY / 5));
    }
}
