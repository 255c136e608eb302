//! Signing in, and what the office says of itself: its region, its demo accounts, its
//! screen language, its server.

use crate::{internal, Office, OrApi};
use baqsha_api::*;
use baqsha_core::roles::Operator;
use baqsha_core::server::ServerAddress;
use baqsha_core::Lang;
use baqsha_store::SignInError;
use chrono::{DateTime, Duration, Utc};

/// Idle minutes after which a session ends unless the `session_idle_minutes` setting says
/// otherwise (1–600).
pub const IDLE_MINUTES: i64 = 30;

/// Who is signed in at a desk and when they last did something there. A session not used for
/// its idle time is over: the next call finds nobody signed in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub operator: Operator,
    last_seen: DateTime<Utc>,
    idle: Duration,
}

/// A refused sign-in as the screen says it: one answer for a wrong login, password or a
/// switched-off account.
pub(crate) fn sign_in_error(e: SignInError) -> ApiError {
    match e {
        SignInError::BadCredentials | SignInError::Disabled => ApiError::BadCredentials,
        SignInError::MustChange => ApiError::PasswordChange,
        SignInError::Wait { seconds } => {
            tracing::warn!("sign-in refused for {seconds} s after too many failures");
            ApiError::SignInWait { seconds }
        }
        SignInError::Store(e) => crate::store_error("sign in", e),
    }
}

impl SignedIn {
    /// Whether the session still stands at `now` (the computer's clock, `Office::computer_now`);
    /// `used` counts this as activity.
    pub fn stands(&mut self, now: DateTime<Utc>, used: bool) -> bool {
        // A clock set back (a wrong time corrected) is not idle time either way.
        let idle_for = now - self.last_seen;
        if idle_for > self.idle {
            return false;
        }
        if used && idle_for > Duration::zero() {
            self.last_seen = now;
        }
        true
    }

    pub fn idle_limit(&self) -> Duration {
        self.idle
    }
}

impl Office {
    /// What the sign-in screen shows before anyone signs in.
    pub async fn start_info(&self) -> Result<StartInfo, ApiError> {
        let store = self.store();
        Ok(StartInfo {
            region: self.region().await?,
            demo_accounts: crate::seed::demo_accounts(store).await.or_api("demo accounts")?,
            ui_language: crate::ui_language(store).await?,
            now: self.now(),
            setup: self.setup_choices().await?,
        })
    }

    pub async fn region(&self) -> Result<RegionInfo, ApiError> {
        crate::seed::region_info(self.store()).await.or_api("region")
    }

    /// «Кіру»: the operator, or one refusal for a wrong login, password or a disabled account.
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<Session, ApiError> {
        let operator = match self.store().sign_in(login, password, self.now()).await {
            Ok(op) => op,
            // At a desk of a region, an account made at the server after this desk joined.
            Err(SignInError::BadCredentials) if self.region_account(login, password).await.is_some() => {
                self.store().sign_in(login, password, self.now()).await.map_err(sign_in_error)?
            }
            Err(e) => return Err(sign_in_error(e)),
        };
        if self.store().region_link().await.or_api("region link")?.is_some() {
            self.remember_region_sign_in(login, password).await;
        }
        tracing::info!("signed in: {} ({})", operator.login, operator.role.code());
        self.session(operator).await
    }

    /// The session a successful sign-in opens, with this office's idle limit.
    pub async fn open_session(&self, operator: Operator) -> Result<SignedIn, ApiError> {
        let minutes = self.store().setting("session_idle_minutes").await.or_api("setting")?.and_then(|m| m.trim().parse::<i64>().ok()).filter(|m| (1..=600).contains(m));
        Ok(SignedIn { operator, last_seen: self.computer_now(), idle: Duration::minutes(minutes.unwrap_or(IDLE_MINUTES)) })
    }

    pub async fn session(&self, operator: Operator) -> Result<Session, ApiError> {
        Ok(Session { operator, region: self.region().await?, history: self.history_check() })
    }

    /// Remembers the screen language between runs (Kazakh until someone chooses otherwise).
    /// A desk's own preference: not a command, not synced.
    pub async fn set_language(&self, lang: Lang) -> Result<(), ApiError> {
        self.store().set_setting("ui_language", lang.code()).await.or_api("setting")
    }

    /// The region's server, if one is known.
    pub async fn server(&self) -> Result<Option<String>, ApiError> {
        self.store().meta("server_url").await.or_api("server address")
    }

    pub async fn is_demo(&self) -> Result<bool, ApiError> {
        Ok(self.store().meta("demo").await.or_api("demo")?.as_deref() == Some("1"))
    }

    /// The key referral seals are signed with: the installation's, or on demo data the public
    /// demo key, so no demo certificate passes for an office's anywhere.
    pub async fn seal_key(&self) -> Result<baqsha_core::seal::SigningKey, ApiError> {
        if self.is_demo().await? {
            return Ok(baqsha_core::seal::demo_key());
        }
        self.signing_key()
    }

    /// The seal key's short name, as «Бағдарлама туралы» shows it.
    pub async fn seal_key_id(&self) -> Result<String, ApiError> {
        Ok(baqsha_core::seal::key_id(&self.seal_key().await?.verifying_key()))
    }

    /// On the first start after installation the region's server address given to the
    /// installer is kept (an address typed later in the settings wins). One that is not an
    /// address is logged with the reason and not kept.
    pub async fn remember_installed_server(&self, given: Option<String>) {
        let Some(given) = given else { return };
        let store = self.store();
        match store.meta("server_url").await {
            Ok(Some(_)) => {}
            Ok(None) => match ServerAddress::parse(&given) {
                Ok(a) => match store.set_meta("server_url", a.as_str()).await {
                    Ok(()) => tracing::info!("the region's server from the installation: {a}"),
                    Err(e) => tracing::warn!("keeping the region's server address: {e}"),
                },
                Err(e) => tracing::warn!("the region's server address given at installation is not kept: {e}"),
            },
            Err(e) => tracing::warn!("reading the region's server address: {e}"),
        }
    }

    /// Start-up housekeeping: proofs of wizards abandoned a month ago go (a failure costs
    /// only disk space).
    pub async fn sweep(&self) {
        match self.store().sweep_proofs(self.now() - chrono::Duration::days(30)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("{n} unused benefit proofs removed"),
            Err(e) => {
                let _ = internal("sweeping unused proofs", e);
            }
        }
    }
}
