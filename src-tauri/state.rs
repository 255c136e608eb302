use baqsha_api::ApiError;
use baqsha_core::roles::Operator;
use baqsha_store::{OpenError, Store};
use std::path::PathBuf;
use tokio::sync::Mutex;

pub struct AppState {
    /// The database, or why it could not be opened (shown to the user, in their language).
    pub store: Result<Store, ApiError>,
    pub session: Mutex<Option<Operator>>,
}

impl AppState {
    pub async fn start(path: PathBuf) -> AppState {
        let started = std::time::Instant::now();
        let store = match Store::open(&path).await {
            Ok(s) => match crate::seed::seed_if_empty(&s).await {
                Ok(()) => Ok(s),
                Err(e) => {
                    tracing::error!("seeding the demo region failed: {e}");
                    Err(ApiError::Startup {
                        problem: "other".into(),
                        path: path.display().to_string(),
                        detail: e.to_string(),
                    })
                }
            },
            Err(e) => {
                tracing::error!("cannot open the database: {e}");
                let problem = match &e {
                    OpenError::NotADatabase { .. } => "not_database",
                    OpenError::Corrupt { .. } => "corrupt",
                    OpenError::Newer { .. } => "newer",
                    _ => "other",
                };
                Err(ApiError::Startup { problem: problem.into(), path: path.display().to_string(), detail: e.to_string() })
            }
        };
        tracing::info!("database ready in {:?}: {}", started.elapsed(), path.display());
        AppState { store, session: Mutex::new(None) }
    }

    pub fn store(&self) -> Result<&Store, ApiError> {
        self.store.as_ref().map_err(Clone::clone)
    }

    /// The signed-in operator, or the error that sends the UI back to sign-in.
    pub async fn operator(&self) -> Result<Operator, ApiError> {
        self.session.lock().await.clone().ok_or(ApiError::NotSignedIn)
    }
}

/// Logs an internal failure with its context and gives the UI only a code.
pub fn internal(context: &str, e: impl std::fmt::Display) -> ApiError {
    tracing::error!("{context}: {e}");
    ApiError::Internal
}
