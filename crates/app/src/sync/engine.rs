//! The desk's sync as the office runs it: joining a region, the rounds (push, then pull,
//! now and then the checksums), the back-off when the server does not answer, and what the
//! top bar and «Синхрондау мәселелері» show. A desk that belongs to no region never starts
//! a round and works alone as before.

use super::{pull_changes, push_outbox, retry_after, take_snapshot, verify_scope, RegionClient, SyncError, Verified};
use crate::{internal, Office, OrApi};
use baqsha_api::{ApiError, LeaseView, SyncProblem, SyncStatus, UndoneChange};
use baqsha_core::roles::{Operator, Role};
use baqsha_core::server::ServerAddress;
use baqsha_core::DeviceId;
use baqsha_sync::{AccessToken, Decision, LeaseAnswer, Rejection};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How often an idle desk asks the server for what changed: a registration at one desk
/// shows at the others within a couple of seconds.
pub const PULL_EVERY: Duration = Duration::from_secs(1);
/// Every so many rounds the desk compares its checksums with the server's.
const VERIFY_EVERY: u32 = 300;
/// A desk not synced for this long warns in the top bar.
pub const STALE_AFTER_DAYS: i64 = 2;
/// A held token is renewed after this long.
const TOKEN_AGE: Duration = Duration::from_secs(10 * 60);
/// The refresh token's name among the desk's secrets.
const REFRESH_TOKEN: &str = "region_refresh_token";

/// What the office knows of its sync between rounds (in memory: a restart starts afresh,
/// the store keeps what must survive).
#[derive(Default)]
pub(crate) struct RegionState {
    client: Option<RegionClient>,
    /// The operator the sync sends as: signed in at this desk while it belonged to the region.
    credentials: Option<(String, String)>,
    /// The token held, and when it was taken (by this computer's steady clock: a desk whose
    /// calendar clock is wrong still renews in time).
    token: Option<(AccessToken, std::time::Instant)>,
    failures: u32,
    online: Option<bool>,
    last_error: Option<String>,
    first_sync_rows: Option<u64>,
    rounds: u32,
}

/// How long «Жолдама алу» waits for the region's decision before it tells the operator the
/// referral waits at the desk: a round trip online takes a second or two.
pub const DECISION_WAIT: Duration = Duration::from_secs(8);

/// The region's word on a change made here, as the screen waiting for it needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum RegionWord {
    /// Taken (as sent or with the server's own changes: a number, deadlines).
    Taken(Decision),
    /// Refused; undone at the desk once `undone` (the round's pull follows the push at once).
    Refused { reason: Rejection, undone: bool },
    /// No answer: the line is down or the server slow; the change waits in the outbox.
    NoAnswer,
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Round {
    pub pushed: usize,
    pub rejected: usize,
    pub pulled: usize,
    pub undone: usize,
    pub verified: Option<Verified>,
}

impl Office {
    /// Joins this desk to the region's server as a device of `login`'s office: checks the
    /// address is a Baqsha server before any password goes there, registers the device,
    /// keeps the refresh token among the desk's sealed secrets and the account for signing
    /// in offline, and wakes the sync (the first sync follows in the background).
    pub async fn join_region(&self, by: &Operator, address: &str, login: &str, password: &str) -> Result<SyncStatus, ApiError> {
        if by.role != Role::RegionalAdmin && by.role != Role::DepartmentOperator {
            return Err(ApiError::Denied);
        }
        let address = ServerAddress::parse(address).map_err(|_| ApiError::InvalidInput { field: "server".into() })?;
        // Joining anew (another server, another office) numbers the desk's commands afresh:
        // what still waits for the old region would never be sent nor shown.
        if self.store().region_link().await.or_api("region link")?.is_some() {
            let count = self.store().changes_waiting().await.or_api("waiting")?;
            if count > 0 {
                return Err(ApiError::ChangesWaiting { count });
            }
        }
        let client = RegionClient::new(address.as_str()).map_err(sync_api_error)?;
        client.check().await.map_err(sync_api_error)?;
        let name = format!("Baqsha {}", hostname());
        let device = client.register(login, password, &name).await.map_err(sync_api_error)?;
        let token = client.token(device.device, &device.refresh_token, login, password).await.map_err(sync_api_error)?;
        self.set_secret(REFRESH_TOKEN, &device.refresh_token).map_err(|e| internal("keeping the refresh token", e))?;
        if let Some(op) = &token.operator {
            self.store().keep_region_account(op, password).await.or_api("region account")?;
        }
        self.store().link_region(client.address(), device.device.0, self.now()).await.or_api("joining the region")?;
        *self.inner.device.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = device.device;
        self.store().set_meta("server_url", client.address()).await.or_api("server address")?;
        // A demo desk joining a real region is a real office from now on: no «ДЕМО» badge,
        // referrals sealed with the installation's own key. Only ever that way: a server that
        // says it is the demo never turns a real office into one.
        if !device.demo {
            self.store().set_meta("demo", "0").await.or_api("joining the region")?;
        }
        {
            let mut s = self.inner.region.lock().await;
            *s = RegionState {
                client: Some(client),
                credentials: Some((login.to_string(), password.to_string())),
                token: Some((token, std::time::Instant::now())),
                ..RegionState::default()
            };
        }
        tracing::info!("joined the region at {address} as device {}", device.device.0);
        self.inner.sync_wake.notify_one();
        self.sync_status().await
    }

    /// Remembers who signed in at a desk of a region: the sync sends their commands under
    /// their own token. Kept in memory only; the next start asks them to sign in again.
    pub(crate) async fn remember_region_sign_in(&self, login: &str, password: &str) {
        let mut s = self.inner.region.lock().await;
        if s.credentials.as_ref().is_some_and(|(l, _)| l != login) {
            s.token = None;
        }
        s.credentials = Some((login.to_string(), password.to_string()));
        drop(s);
        self.inner.sync_wake.notify_one();
    }

    /// A sign-in the desk does not know, tried at the region's server (an account made there
    /// after this desk joined): on success the account is kept here for signing in offline.
    pub(crate) async fn region_account(&self, login: &str, password: &str) -> Option<Operator> {
        let link = self.store().region_link().await.ok()??;
        let client = RegionClient::new(&link.server).ok()?;
        let refresh = self.secret(REFRESH_TOKEN)?;
        let token = client.token(DeviceId(link.device), &refresh, login, password).await.ok()?;
        let op = token.operator.clone()?;
        if let Err(e) = self.store().keep_region_account(&op, password).await {
            tracing::warn!("keeping the region's account {login}: {e}");
            return None;
        }
        let mut s = self.inner.region.lock().await;
        s.credentials = Some((login.to_string(), password.to_string()));
        s.token = Some((token, std::time::Instant::now()));
        Some(op)
    }

    /// A token for the remembered operator: the one held while it is young, else a new one.
    /// Its age is measured here, not against its expiry: the desk's calendar clock may be
    /// wrong, the server's tokens last 15 minutes.
    async fn region_token(&self, client: &RegionClient, device: DeviceId) -> Result<AccessToken, SyncError> {
        let (held, credentials) = {
            let s = self.inner.region.lock().await;
            (s.token.clone(), s.credentials.clone())
        };
        if let Some((t, _)) = held.filter(|(_, at)| at.elapsed() < TOKEN_AGE) {
            return Ok(t);
        }
        let (login, password) = credentials.ok_or(SyncError::SignIn)?;
        let refresh = self.secret(REFRESH_TOKEN).ok_or(SyncError::SignIn)?;
        let token = client.token(device, &refresh, &login, &password).await?;
        self.inner.region.lock().await.token = Some((token.clone(), std::time::Instant::now()));
        Ok(token)
    }

    /// One round: push what waits, pull what changed (a first sync if none was taken), and
    /// every so often compare checksums (a mismatch takes a new snapshot). What it came to
    /// is kept for the top bar.
    pub async fn sync_round(&self) -> Result<Round, SyncError> {
        let mut result = self.round().await;
        if matches!(result, Err(SyncError::SignIn)) {
            // The token held was refused (revoked, or expired early): once more with a new one.
            let renewed = self.inner.region.lock().await.token.take().is_some();
            if renewed {
                result = self.round().await;
            }
        }
        let mut s = self.inner.region.lock().await;
        match &result {
            Ok(r) => {
                if r.pushed + r.pulled > 0 {
                    tracing::info!("sync: {} sent ({} rejected), {} received, {} undone", r.pushed, r.rejected, r.pulled, r.undone);
                }
                s.failures = 0;
                s.online = Some(true);
                s.last_error = None;
            }
            // Nobody is signed in as whom to send: the queue waits for a sign-in.
            Err(SyncError::SignIn) => {
                s.token = None;
                s.last_error = Some(SyncError::SignIn.to_string());
            }
            Err(e) => {
                s.failures = s.failures.saturating_add(1);
                s.online = Some(!e.passes());
                s.last_error = Some(e.to_string());
                tracing::warn!("sync: {e}");
            }
        }
        result
    }

    /// The region's client and a token to call it with, as the operator the sync sends as.
    async fn region_call(&self) -> Result<(RegionClient, AccessToken), SyncError> {
        let link = self.store().region_link().await?.ok_or(SyncError::NotJoined)?;
        let client = {
            let mut s = self.inner.region.lock().await;
            match &s.client {
                Some(c) if c.address() == link.server => c.clone(),
                _ => {
                    let c = RegionClient::new(&link.server)?;
                    s.client = Some(c.clone());
                    c
                }
            }
        };
        let token = self.region_token(&client, DeviceId(link.device)).await?;
        Ok((client, token))
    }

    async fn round(&self) -> Result<Round, SyncError> {
        let store = self.store();
        let (client, token) = self.region_call().await?;
        let me = token.operator.clone().ok_or(SyncError::SignIn)?;
        let clock = self.inner.clock.as_ref();
        let pushed = push_outbox(store, &client, &token.token, &me, clock).await?;
        let mut round = Round { pushed: pushed.answered, rejected: pushed.rejected, ..Round::default() };
        let snapshot = store.pull_cursor().await?.is_none();
        if snapshot {
            let region = self.inner.region.clone();
            let s = take_snapshot(store, &client, &token.token, clock, move |rows| {
                if let Ok(mut s) = region.try_lock() {
                    s.first_sync_rows = Some(rows);
                }
            })
            .await?;
            round.pulled += s.rows;
        }
        let pulled = pull_changes(store, &client, &token.token, clock).await?;
        if let Some(off) = pulled.clock_off {
            self.correct_clock(off).await?;
        }
        round.pulled += pulled.rows;
        round.undone = pulled.undone;
        let rounds = {
            let mut s = self.inner.region.lock().await;
            s.first_sync_rows = None;
            s.rounds = s.rounds.wrapping_add(1);
            s.rounds
        };
        if snapshot || pulled.snapshot || rounds % VERIFY_EVERY == 1 {
            let v = verify_scope(store, &client, &token.token, clock).await?;
            if let Verified::Differs(entities) = &v {
                tracing::warn!("the desk differs from the region in {entities:?}: taking a new snapshot");
                store.reset_region_mirror().await?;
            }
            round.verified = Some(v);
        }
        Ok(round)
    }

    /// The sync for as long as the program runs: spawn it once. Rounds follow each other
    /// every [`PULL_EVERY`] while the server answers, and back off (2 s doubling to 5
    /// minutes) while it does not; a desk of no region sleeps until it joins one.
    pub async fn run_sync(self) {
        loop {
            let joined = matches!(self.store().region_link().await, Ok(Some(_)));
            if !joined {
                self.inner.sync_wake.notified().await;
                continue;
            }
            let wait = match self.sync_round().await {
                Ok(_) => PULL_EVERY,
                Err(SyncError::SignIn) => Duration::from_secs(3600),
                Err(_) => {
                    let mut jitter = [0u8; 1];
                    let _ = self.inner.ids.fill(&mut jitter);
                    retry_after(self.inner.region.lock().await.failures, f64::from(jitter[0]) / 255.0)
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.inner.sync_wake.notified() => {}
                // A change made here goes at once (while the server answers).
                _ = self.store().outbox_written(), if wait <= PULL_EVERY => {}
            }
        }
    }

    /// Sends the change made by `command` now and waits, up to `within`, for the region's
    /// decision: the sync is woken at once; a round that fails (the line is down) ends the
    /// wait early. A refusal is waited for until the desk has undone it.
    pub async fn region_decision(&self, command: uuid::Uuid, within: Duration) -> Result<RegionWord, ApiError> {
        let deadline = tokio::time::Instant::now() + within;
        let failures = self.inner.region.lock().await.failures;
        self.inner.sync_wake.notify_one();
        loop {
            let answer = self.store().answer_to(command).await.or_api("the server's answer")?;
            let late = tokio::time::Instant::now() >= deadline;
            match answer {
                Some((baqsha_store::Verdict::Rejected, decision, undone)) if undone || late => {
                    let reason = match serde_json::from_str::<Decision>(&decision) {
                        Ok(Decision::Rejected { reason }) => reason,
                        _ => Rejection::Quarantined { detail: decision },
                    };
                    return Ok(RegionWord::Refused { reason, undone });
                }
                Some((baqsha_store::Verdict::Rejected, ..)) => {}
                Some((_, decision, _)) => {
                    let decision = serde_json::from_str::<Decision>(&decision).map_err(|e| internal("the server's answer", e))?;
                    return Ok(RegionWord::Taken(decision));
                }
                None if late || self.inner.region.lock().await.failures > failures => return Ok(RegionWord::NoAnswer),
                None => {}
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Whether the last round found the server away: the desk then gives referrals only
    /// from its office's leases.
    pub async fn offline(&self) -> Result<bool, ApiError> {
        let joined = self.store().region_link().await.or_api("region link")?.is_some();
        Ok(joined && self.inner.region.lock().await.online == Some(false))
    }

    /// Asks the region to set `places` of a published vacancy aside for this office, before
    /// a time without a line (a trip to a village, a known outage). Online only.
    pub async fn ask_lease(&self, op: &Operator, vacancy: baqsha_core::VacancyId, places: u32) -> Result<LeaseView, ApiError> {
        if !baqsha_core::roles::may(op.role, "issue_referral") {
            return Err(ApiError::Denied);
        }
        // A place the desk has not received yet could be leased but not shown or given here:
        // nothing is asked of the region until it has come.
        if !self.store().holds_place(vacancy).await.or_api("place")? {
            return Err(ApiError::NotFound);
        }
        let (client, token) = self.region_call().await.map_err(sync_api_error)?;
        match client.lease(&token.token, &baqsha_sync::LeaseRequest { vacancy, places }).await.map_err(sync_api_error)? {
            LeaseAnswer::Refused { reason } => Err(ApiError::RegionRefused { reason }),
            LeaseAnswer::Granted { lease } => {
                self.store().keep_lease(&lease, self.now()).await.or_api("keeping the lease")?;
                tracing::info!("lease {} of {} places of vacancy {} until {} for {}", lease.id.0, lease.places, vacancy, lease.expires_at, op.login);
                self.inner.sync_wake.notify_one();
                let views = self.store().lease_views(self.now()).await.or_api("leases")?;
                views.into_iter().find(|v| v.lease.id == lease.id).ok_or(ApiError::NotFound)
            }
        }
    }

    /// The leases this desk holds, with the places still free to give from each.
    pub async fn leases(&self, op: &Operator) -> Result<Vec<LeaseView>, ApiError> {
        crate::allowed(op, baqsha_core::roles::Read::Registration)?;
        self.store().lease_views(self.now()).await.or_api("leases")
    }

    /// The top bar's line: joined or alone, online, last sync, what waits, what was refused.
    pub async fn sync_status(&self) -> Result<SyncStatus, ApiError> {
        let store = self.store();
        let Some(link) = store.region_link().await.or_api("region link")? else {
            return Ok(SyncStatus::default());
        };
        let s = self.inner.region.lock().await;
        let first_sync_rows = s.first_sync_rows.or(store.snapshot_progress().await.or_api("first sync")?.map(|p| p.rows));
        let last_sync_at = last_of(link.last_push_at, store.last_pull_at().await.or_api("last pull")?);
        let stale = last_sync_at.unwrap_or(link.joined_at) < self.now() - chrono::Duration::days(STALE_AFTER_DAYS);
        Ok(SyncStatus {
            joined: true,
            server: Some(link.server),
            online: s.online,
            last_sync_at,
            waiting: store.changes_waiting().await.or_api("waiting")?,
            problems: store.rejected_changes().await.or_api("problems")?.len() as u64,
            first_sync_rows,
            first_sync_total: match first_sync_rows {
                Some(_) => store.meta(super::pull::SNAPSHOT_TOTAL).await.or_api("first sync")?.and_then(|n| n.parse().ok()),
                None => None,
            },
            stale,
            needs_sign_in: s.credentials.is_none() || s.last_error.as_deref() == Some(&SyncError::SignIn.to_string()),
            last_error: s.last_error.clone(),
            clock_off_minutes: Some(self.clock_offset()).filter(|o| o.abs() >= crate::CLOCK_SLACK).map(|o| o.num_minutes()),
            now: Some(self.now()),
        })
    }

    /// «Синхрондау мәселелері»: every change the server refused, until acknowledged.
    pub async fn sync_problems(&self) -> Result<Vec<SyncProblem>, ApiError> {
        let rows = self.store().rejected_changes().await.or_api("problems")?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let reason = match serde_json::from_str::<Decision>(&r.decision) {
                    Ok(Decision::Rejected { reason }) => reason,
                    _ => Rejection::Quarantined { detail: r.decision.clone() },
                };
                SyncProblem {
                    seq: r.seq,
                    kind: r.kind,
                    author: r.author,
                    made_at: r.made_at,
                    received_at: r.received_at,
                    reason,
                    undone: r.undone.map(|u| u.into_iter().map(|u| UndoneChange { entity: u.entity, removed: u.removed }).collect()),
                }
            })
            .collect())
    }

    /// Someone read a refused change and did what it asks (called the parent): off the list.
    pub async fn acknowledge_sync_problem(&self, by: &Operator, seq: u64) -> Result<(), ApiError> {
        if !self.store().acknowledge_rejection(seq, &by.login, self.now()).await.or_api("acknowledge")? {
            return Err(ApiError::NotFound);
        }
        Ok(())
    }
}

fn last_of(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    a.max(b)
}

fn hostname() -> String {
    std::env::var("COMPUTERNAME").or_else(|_| std::env::var("HOSTNAME")).unwrap_or_else(|_| "desk".into())
}

/// A sync failure as the screen says it.
pub fn sync_api_error(e: SyncError) -> ApiError {
    match e {
        SyncError::SignIn => ApiError::BadCredentials,
        SyncError::Unreachable { .. } | SyncError::Server { .. } => ApiError::Offline,
        SyncError::NotBaqsha { .. } => ApiError::NotBaqshaServer,
        SyncError::Protocol { spoken } => ApiError::ServerVersion { spoken },
        other => internal("sync", other),
    }
}
