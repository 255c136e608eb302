//! The use-case layer: one [`Office`] per running office, with one method per thing a person
//! does there («Кезекке қою», «Жолдама алу», publishing places, admission, the settings, …)
//! and per job the office does by itself (expiry, offer rounds, sending messages).
//!
//! The office owns what a decision needs besides the rules: the clock and the id source
//! (injected: tests run on a [`ManualClock`]), command envelopes, authorisation of every
//! write and every read (through `core::roles`), the texts of messages, and the settings.
//! The desktop shell and the regional server are adapters over it: they parse, call one
//! method and map its answer. Errors come back as [`ApiError`], the code a person's screen
//! translates; the details go to the log, which names nobody.

mod accounts;
mod applications;
mod clock;
mod documents;
pub mod files;
mod gateways;
mod history;
mod messages;
#[cfg(windows)]
mod owner_only;
mod places;
mod referrals;
mod registry;
pub mod secrets;
pub mod seed;
mod session;
mod setup;
pub mod sync;
mod texts;
mod upkeep;
mod wizard;

pub use clock::{Clock, CorrectedClock, Ids, ManualClock, ShiftedClock, SystemClock, SystemIds, CLOCK_SLACK};
pub use documents::PrintedFile;
pub use session::{SignedIn, IDLE_MINUTES};

use baqsha_api::ApiError;
use baqsha_core::command::{Command, CommandKind};
use baqsha_core::roles::{Operator, Role};
use baqsha_core::seal::SigningKey;
use baqsha_core::{DeviceId, OperatorId};
use baqsha_persons::PersonRegistry;
use baqsha_store::{ApplyError, Store, StoreError};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// A running office: its database, its clock and ids, its signing key, its person registry.
/// Cheap to clone (one shared inside).
#[derive(Clone)]
pub struct Office {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    /// `corrected`, as every use sees it.
    clock: Arc<dyn Clock>,
    corrected: Arc<CorrectedClock>,
    ids: Arc<dyn Ids>,
    /// The device this desk's commands come from: the installation's own, or the one the
    /// region's server gave it when it joined.
    device: std::sync::RwLock<DeviceId>,
    /// `keys/` beside the database: the referral signing key and the trusted issuers.
    keys: PathBuf,
    key: OnceLock<SigningKey>,
    /// The registry given at construction (tests), used whatever the settings say.
    persons_given: Option<Arc<dyn PersonRegistry>>,
    /// The registry the settings make, with what it was made from: a desk that joins a real
    /// region (no longer a demo) or a changed setting makes it anew.
    persons: tokio::sync::Mutex<Option<(String, Arc<dyn PersonRegistry>)>>,
    /// Wakes the upkeep loop after a change that frees or takes a place.
    wake: tokio::sync::Notify,
    /// The last check of the history's chain and signed head.
    history: std::sync::Mutex<Option<baqsha_api::HistoryCheck>>,
    /// The sync's state between rounds, and what wakes a round early (joining, a sign-in).
    region: Arc<tokio::sync::Mutex<sync::RegionState>>,
    sync_wake: tokio::sync::Notify,
}

/// What an office is made of; `persons` None means "as the settings say".
pub struct Parts {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn Ids>,
    pub keys: PathBuf,
    pub persons: Option<Arc<dyn PersonRegistry>>,
}

/// Where the desk keeps its clock's difference to the region's, in milliseconds.
const CLOCK_OFFSET: &str = "clock_offset_ms";

impl Office {
    pub async fn new(parts: Parts) -> Result<Office, ApiError> {
        let device = DeviceId(parts.store.device_id().await.map_err(|e| store_error("device", e))?);
        // The difference to the region's clock measured at the last sync, kept across
        // restarts: a desk restarted offline still goes by the region's time.
        let offset = match parts.store.meta(CLOCK_OFFSET).await.map_err(|e| store_error("clock", e))? {
            Some(ms) => chrono::Duration::milliseconds(ms.parse().unwrap_or_else(|e| {
                tracing::warn!("the kept clock offset {ms:?} is not a number ({e}): the computer's clock is used until the next sync");
                0
            })),
            None => chrono::Duration::zero(),
        };
        let corrected = Arc::new(CorrectedClock::new(parts.clock, offset));
        Ok(Office {
            inner: Arc::new(Inner {
                store: parts.store,
                clock: corrected.clone(),
                corrected,
                ids: parts.ids,
                device: std::sync::RwLock::new(device),
                keys: parts.keys,
                key: OnceLock::new(),
                persons_given: parts.persons,
                persons: Default::default(),
                wake: tokio::sync::Notify::new(),
                history: Default::default(),
                region: Default::default(),
                sync_wake: tokio::sync::Notify::new(),
            }),
        })
    }

    /// The office on the real clock and ids, its keys beside the database.
    pub async fn on_system(store: Store, database: &std::path::Path, clock: Arc<dyn Clock>) -> Result<Office, ApiError> {
        let keys = database.parent().map_or_else(|| PathBuf::from("keys"), |d| d.join("keys"));
        Office::new(Parts { store, clock, ids: Arc::new(SystemIds), keys, persons: None }).await
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.clock.now()
    }

    /// The computer's own clock, without the region's correction: what a session's idle time
    /// is measured by (the desk's time jumping by a correction is not time passing).
    pub fn computer_now(&self) -> chrono::DateTime<chrono::Utc> {
        self.now() - self.clock_offset()
    }

    /// How far the computer's clock is behind the region's (negative: ahead), as measured at
    /// the last sync; the desk's time is the computer's plus this.
    pub fn clock_offset(&self) -> chrono::Duration {
        self.inner.corrected.offset()
    }

    /// Takes in a difference to the region's clock measured now (see [`CorrectedClock`]),
    /// and keeps the new offset for the next start.
    pub async fn correct_clock(&self, off: chrono::Duration) -> Result<(), baqsha_store::StoreError> {
        if let Some(offset) = self.inner.corrected.correct(off) {
            tracing::warn!("the computer's clock is {} s off the region's: the desk goes by the region's time", -offset.num_seconds());
            self.store().set_meta(CLOCK_OFFSET, &offset.num_milliseconds().to_string()).await?;
        }
        Ok(())
    }

    /// The desk's date (Kazakhstan, UTC+5) now.
    pub fn today(&self) -> chrono::NaiveDate {
        baqsha_core::command::desk_date(self.now())
    }

    /// The device this desk's commands are made on.
    pub fn device(&self) -> DeviceId {
        *self.inner.device.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A command by `author` now, with a new id, from this office's device.
    fn command(&self, author: &Operator, kind: CommandKind) -> Command {
        Command { id: self.inner.ids.id(), author: author.id, device: self.device(), at: self.now(), kind }
    }

    /// Fills `out` with random bytes (codes, salts, keys).
    fn random(&self, out: &mut [u8]) -> Result<(), ApiError> {
        self.inner.ids.fill(out).map_err(|e| internal("randomness", e))
    }

    /// The installation's referral signing key, created on first use.
    pub fn signing_key(&self) -> Result<SigningKey, ApiError> {
        if let Some(k) = self.inner.key.get() {
            return Ok(k.clone());
        }
        let k = documents::signing_key(&self.inner.keys, self).map_err(|e| internal("signing key", e))?;
        Ok(self.inner.key.get_or_init(|| k).clone())
    }

    /// Asks the upkeep loop for a round now (offers follow a change at once).
    fn after_change(&self) {
        self.inner.wake.notify_one();
    }
}

/// The office itself, author of what no person presses (expiry, offers, the demo import).
/// The screens' language this desk keeps (`set_language`); an unknown code reads as none.
pub(crate) async fn ui_language(store: &Store) -> Result<Option<baqsha_core::Lang>, ApiError> {
    Ok(store.setting("ui_language").await.or_api("setting")?.as_deref().and_then(baqsha_core::Lang::from_code))
}

pub fn system() -> Operator {
    Operator { id: OperatorId(uuid::Uuid::nil()), login: "system".into(), full_name: "Baqsha".into(), role: Role::RegionalAdmin, kindergarten: None }
}

/// Logs an internal failure with its context and gives the screen only a code.
pub fn internal(context: &str, e: impl std::fmt::Display) -> ApiError {
    tracing::error!("{context}: {e}");
    ApiError::Internal
}

pub fn store_error(context: &str, e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound(_) => ApiError::NotFound,
        other => internal(context, other),
    }
}

pub fn apply_error(context: &str, e: ApplyError) -> ApiError {
    match e {
        ApplyError::Denied(_) => ApiError::Denied,
        ApplyError::Rule(rule) => ApiError::Rule { rule },
        ApplyError::NotFound(_) => ApiError::NotFound,
        ApplyError::Store(e) => store_error(context, e),
    }
}

/// A read `op` may not make: refused in one place, logged without anything personal.
fn allowed(op: &Operator, read: baqsha_core::roles::Read) -> Result<(), ApiError> {
    baqsha_core::roles::may_read(op, read).map_err(|_| {
        tracing::warn!("read refused to {} ({}): {}", op.login, op.role.code(), read.code());
        ApiError::Denied
    })
}

/// A date a person gave (a bulletin's day, a period's end): refused as the date field when
/// the office cannot work with it, before any arithmetic on it.
fn in_reach(days: &[chrono::NaiveDate]) -> Result<(), ApiError> {
    if days.iter().all(|d| baqsha_core::calendar::in_reach(*d)) {
        Ok(())
    } else {
        Err(ApiError::InvalidInput { field: "date".into() })
    }
}

/// For `?` on store reads.
trait OrApi<T> {
    fn or_api(self, context: &str) -> Result<T, ApiError>;
}

impl<T> OrApi<T> for Result<T, StoreError> {
    fn or_api(self, context: &str) -> Result<T, ApiError> {
        self.map_err(|e| store_error(context, e))
    }
}

impl<T> OrApi<T> for Result<T, ApplyError> {
    fn or_api(self, context: &str) -> Result<T, ApiError> {
        self.map_err(|e| apply_error(context, e))
    }
}
