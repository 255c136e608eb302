use baqsha_api::{ApiError, StartupProblem};
use baqsha_app::{Clock, Office, ShiftedClock, SignedIn, SystemClock};
use baqsha_core::roles::Operator;
use baqsha_store::{OpenError, Store};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{watch, Mutex};

/// The office, or why its database could not be opened (shown to the user, in their language).
type Opened = Result<Office, ApiError>;

pub struct AppState {
    /// Filled once the database is open (and, on first start, seeded). The window does not
    /// wait for it: it shows "loading" until the first command gets its answer.
    office: watch::Receiver<Option<Opened>>,
    /// Who is signed in at this window: the desk's own state, never in the database. Ends
    /// after the office's idle time and when the computer is locked.
    pub session: Mutex<Option<SignedIn>>,
    database: PathBuf,
}

impl AppState {
    /// Starts opening the database in the background and returns at once.
    pub fn start(path: PathBuf) -> AppState {
        let database = path.clone();
        let (tx, rx) = watch::channel(None);
        tauri::async_runtime::spawn(async move {
            let opened = open(path).await;
            // Nobody listening means the app is closing; nothing to do.
            let _ = tx.send(Some(opened));
        });
        AppState { office: rx, session: Mutex::new(None), database }
    }

    /// Where the database file is.
    pub fn database(&self) -> &std::path::Path {
        &self.database
    }

    /// The office once its database is open, or why it cannot be.
    pub async fn office(&self) -> Result<Office, ApiError> {
        let mut rx = self.office.clone();
        let opened = match rx.wait_for(Option::is_some).await {
            Ok(v) => v.clone(),
            Err(_) => None,
        };
        opened.unwrap_or(Err(ApiError::Internal))
    }

    /// The office and the signed-in operator, or the error that sends the UI to sign-in.
    /// Every call through here is activity that keeps the session.
    pub async fn signed_in(&self) -> Result<(Office, Operator), ApiError> {
        let office = self.office().await?;
        let op = self.operator(&office, true).await.ok_or(ApiError::NotSignedIn)?;
        Ok((office, op))
    }

    /// Who is signed in now, ending a session idle too long; `used` counts as activity.
    pub async fn operator(&self, office: &Office, used: bool) -> Option<Operator> {
        let mut session = self.session.lock().await;
        let s = session.as_mut()?;
        if s.stands(office.computer_now(), used) {
            return Some(s.operator.clone());
        }
        tracing::info!("session of {} ended after {} idle minutes", s.operator.login, s.idle_limit().num_minutes());
        *session = None;
        None
    }

    /// Ends the session (signing out, or the computer locked).
    pub async fn end_session(&self, why: &str) {
        if let Some(s) = self.session.lock().await.take() {
            tracing::info!("session of {} ended: {why}", s.operator.login);
        }
    }
}

/// The computer's clock, or with `--clock=2026-12-23T09:00:00Z` one that starts at that instant
/// and runs on (training on a past day; tests starting the app weeks after a referral).
fn clock() -> Arc<dyn Clock> {
    let asked = std::env::args().find_map(|a| a.strip_prefix("--clock=").map(str::to_string));
    match asked.map(|s| chrono::DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&chrono::Utc)).map_err(|e| format!("{s}: {e}"))) {
        None => Arc::new(SystemClock),
        Some(Ok(t)) => {
            tracing::warn!("the desk's clock starts at {t}, not the computer's time");
            Arc::new(ShiftedClock::starting_at(t))
        }
        Some(Err(e)) => {
            tracing::error!("--clock is not a time ({e}): the computer's clock is used");
            Arc::new(SystemClock)
        }
    }
}

async fn open(path: PathBuf) -> Opened {
    let started = std::time::Instant::now();
    let startup = |problem: StartupProblem, detail: String| ApiError::Startup { problem, path: path.display().to_string(), detail };
    let store = match Store::open(&path).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("cannot open the database: {e}");
            let problem = match &e {
                OpenError::NotADatabase { .. } => StartupProblem::NotDatabase,
                OpenError::Corrupt { .. } => StartupProblem::Corrupt,
                OpenError::Newer { .. } => StartupProblem::Newer,
                _ => StartupProblem::Other,
            };
            return Err(startup(problem, e.to_string()));
        }
    };
    let office = Office::on_system(store, &path, clock()).await?;
    // `--demo` (the README's run command, the tests) opens an empty desk on the demo at once;
    // otherwise the first-run screen asks: the demo, or this office.
    if std::env::args().any(|a| a == "--demo") {
        if let Err(e) = baqsha_app::seed::seed_if_empty(&office).await {
            tracing::error!("seeding the demo region failed: {e}");
            return Err(startup(StartupProblem::Other, e.to_string()));
        }
    }
    tracing::info!("database ready in {:?}: {}", started.elapsed(), path.display());
    office.sweep().await;
    office.remember_installed_server(crate::about::installed_server()).await;
    // The chain is walked in the background once the first screens are served (a national
    // office's 600,000 entries take seconds of a core); the window shows what it found.
    let checking = office.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(20)).await;
        checking.check_history().await;
    });
    tauri::async_runtime::spawn(office.clone().run_upkeep());
    tauri::async_runtime::spawn(office.clone().run_sync());
    Ok(office)
}
