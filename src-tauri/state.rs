use baqsha_api::ApiError;
use baqsha_app::Office;
use baqsha_core::roles::Operator;
use baqsha_store::{OpenError, Store};
use std::path::PathBuf;
use tokio::sync::{watch, Mutex};

/// The office, or why its database could not be opened (shown to the user, in their language).
type Opened = Result<Office, ApiError>;

pub struct AppState {
    /// Filled once the database is open (and, on first start, seeded). The window does not
    /// wait for it: it shows "loading" until the first command gets its answer.
    office: watch::Receiver<Option<Opened>>,
    /// Who is signed in at this window: the desk's own state, never in the database.
    pub session: Mutex<Option<Operator>>,
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
    pub async fn signed_in(&self) -> Result<(Office, Operator), ApiError> {
        let office = self.office().await?;
        let op = self.session.lock().await.clone().ok_or(ApiError::NotSignedIn)?;
        Ok((office, op))
    }
}

async fn open(path: PathBuf) -> Opened {
    let started = std::time::Instant::now();
    let startup = |problem: &str, detail: String| ApiError::Startup { problem: problem.into(), path: path.display().to_string(), detail };
    let store = match Store::open(&path).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("cannot open the database: {e}");
            let problem = match &e {
                OpenError::NotADatabase { .. } => "not_database",
                OpenError::Corrupt { .. } => "corrupt",
                OpenError::Newer { .. } => "newer",
                _ => "other",
            };
            return Err(startup(problem, e.to_string()));
        }
    };
    let office = Office::on_system(store, &path).await?;
    if let Err(e) = baqsha_app::seed::seed_if_empty(&office).await {
        tracing::error!("seeding the demo region failed: {e}");
        return Err(startup("other", e.to_string()));
    }
    tracing::info!("database ready in {:?}: {}", started.elapsed(), path.display());
    office.sweep().await;
    office.remember_installed_server(crate::about::installed_server()).await;
    tauri::async_runtime::spawn(office.clone().run_upkeep());
    Ok(office)
}
