use baqsha_api::ApiError;
use baqsha_core::roles::Operator;
use baqsha_store::{OpenError, Store};
use std::path::PathBuf;
use tokio::sync::{watch, Mutex};

/// The database, or why it could not be opened (shown to the user, in their language).
type Opened = Result<Store, ApiError>;

pub struct AppState {
    /// Filled once the database is open (and, on first start, seeded). The window does not
    /// wait for it: it shows "loading" until the first command gets its answer.
    store: watch::Receiver<Option<Opened>>,
    pub session: Mutex<Option<Operator>>,
    /// `keys/` beside the database: the referral signing key and the trusted issuers.
    keys: PathBuf,
    database: PathBuf,
    key: std::sync::OnceLock<baqsha_core::seal::SigningKey>,
    /// The person registry, chosen from settings on first use.
    persons: tokio::sync::OnceCell<std::sync::Arc<dyn baqsha_persons::PersonRegistry>>,
}

impl AppState {
    /// Starts opening the database in the background and returns at once.
    pub fn start(path: PathBuf) -> AppState {
        let keys = path.parent().map_or_else(|| PathBuf::from("keys"), |d| d.join("keys"));
        let database = path.clone();
        let (tx, rx) = watch::channel(None);
        tauri::async_runtime::spawn(async move {
            let opened = open(path).await;
            // Nobody listening means the app is closing; nothing to do.
            let _ = tx.send(Some(opened));
        });
        AppState { store: rx, session: Mutex::new(None), keys, database, key: std::sync::OnceLock::new(), persons: tokio::sync::OnceCell::new() }
    }

    /// The installation's referral signing key (created on first use) and its folder.
    pub fn referral_key(&self) -> Result<(baqsha_core::seal::SigningKey, PathBuf), ApiError> {
        if let Some(k) = self.key.get() {
            return Ok((k.clone(), self.keys.clone()));
        }
        let k = crate::documents::signing_key(&self.keys).map_err(|e| internal("signing key", e))?;
        Ok((self.key.get_or_init(|| k).clone(), self.keys.clone()))
    }

    /// Where the database file is.
    pub fn database(&self) -> &std::path::Path {
        &self.database
    }

    /// The store once it is open, or why it cannot be.
    pub async fn store(&self) -> Result<Store, ApiError> {
        let mut rx = self.store.clone();
        let opened = match rx.wait_for(Option::is_some).await {
            Ok(v) => v.clone(),
            Err(_) => None,
        };
        opened.unwrap_or(Err(ApiError::Internal))
    }

    /// The person registry port's adapter for this installation.
    pub async fn persons(&self) -> Result<std::sync::Arc<dyn baqsha_persons::PersonRegistry>, ApiError> {
        let store = self.store().await?;
        Ok(self.persons.get_or_init(|| async move { crate::desk::person_registry(&store).await }).await.clone())
    }

    /// The signed-in operator, or the error that sends the UI back to sign-in.
    pub async fn operator(&self) -> Result<Operator, ApiError> {
        self.session.lock().await.clone().ok_or(ApiError::NotSignedIn)
    }
}

async fn open(path: PathBuf) -> Opened {
    let started = std::time::Instant::now();
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
            return Err(ApiError::Startup { problem: problem.into(), path: path.display().to_string(), detail: e.to_string() });
        }
    };
    if let Err(e) = crate::seed::seed_if_empty(&store, chrono::Utc::now()).await {
        tracing::error!("seeding the demo region failed: {e}");
        return Err(ApiError::Startup { problem: "other".into(), path: path.display().to_string(), detail: e.to_string() });
    }
    tracing::info!("database ready in {:?}: {}", started.elapsed(), path.display());
    // Proofs of wizards abandoned a month ago go; a failure here costs only disk space.
    match store.sweep_proofs(chrono::Utc::now() - chrono::Duration::days(30)).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("{n} unused benefit proofs removed"),
        Err(e) => tracing::warn!("sweeping unused proofs: {e}"),
    }
    crate::about::remember_installed_server(&store).await;
    crate::notifications::spawn(store.clone());
    Ok(store)
}

/// Logs an internal failure with its context and gives the UI only a code.
pub fn internal(context: &str, e: impl std::fmt::Display) -> ApiError {
    tracing::error!("{context}: {e}");
    ApiError::Internal
}
