//! «Бағдарлама туралы» and what the installer leaves for the app: the version, where the
//! database, the log and the documents are, the seal key's name, and the region's server.

use crate::commands::{store_error, Answer};
use crate::state::AppState;
use baqsha_api::About;
use baqsha_core::server::ServerAddress;
use baqsha_store::Store;
use tauri::{AppHandle, Manager, State};

/// The region's server address given at installation: `--server=URL`, `BAQSHA_SERVER`, or on
/// Windows the value the installers write (HKLM\Software\Baqsha, `Server`).
fn installed_server() -> Option<String> {
    if let Some(s) = std::env::args().find_map(|a| a.strip_prefix("--server=").map(str::to_string)) {
        return Some(s);
    }
    if let Some(s) = std::env::var("BAQSHA_SERVER").ok().filter(|s| !s.trim().is_empty()) {
        return Some(s);
    }
    registry_server()
}

#[cfg(windows)]
fn registry_server() -> Option<String> {
    use winreg::enums::HKEY_LOCAL_MACHINE;
    let key = winreg::RegKey::predef(HKEY_LOCAL_MACHINE).open_subkey("Software\\Baqsha").ok()?;
    key.get_value::<String, _>("Server").ok().filter(|s| !s.trim().is_empty())
}

#[cfg(not(windows))]
fn registry_server() -> Option<String> {
    None
}

/// On the first start after installation the region's server address is kept in the
/// database (an address typed later in the settings wins over the installer's). One that
/// is not an address is logged with the reason and not kept.
pub async fn remember_installed_server(store: &Store) {
    let Some(given) = installed_server() else { return };
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

pub fn log_dir(app: &AppHandle) -> std::path::PathBuf {
    app.path().app_log_dir().unwrap_or_else(|_| std::path::PathBuf::from("logs"))
}

#[tauri::command]
pub async fn about(app: AppHandle, state: State<'_, AppState>) -> Answer<About> {
    state.operator().await?;
    let store = state.store().await?;
    let (key, _) = state.referral_key()?;
    Ok(About {
        version: app.package_info().version.to_string(),
        database: state.database().display().to_string(),
        logs: log_dir(&app).display().to_string(),
        documents: crate::documents::documents_dir(&app).display().to_string(),
        seal_key: baqsha_core::seal::key_id(&key.verifying_key()),
        server: store.meta("server_url").await.map_err(|e| store_error("server address", e))?,
        demo: store.meta("demo").await.map_err(|e| store_error("demo", e))?.as_deref() == Some("1"),
    })
}

/// «Журнал қалтасын ашу»: opens the log folder in the file manager (with `--no-viewer`,
/// tests and unattended runs, only says where it is).
#[tauri::command]
pub async fn open_log_folder(app: AppHandle, state: State<'_, AppState>) -> Answer<String> {
    state.operator().await?;
    let dir = log_dir(&app);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return Err(crate::state::internal("log folder", e));
    }
    if !std::env::args().any(|a| a == "--no-viewer") {
        use tauri_plugin_opener::OpenerExt;
        if let Err(e) = app.opener().open_path(dir.display().to_string(), None::<&str>) {
            tracing::warn!("opening the log folder: {e}");
        }
    }
    Ok(dir.display().to_string())
}
