//! «Бағдарлама туралы» and what the installer leaves for the app: the version, where the
//! database, the log and the documents are, the seal key's name, and the region's server
//! the installer was given.

use crate::state::AppState;
use baqsha_api::calls::{self, Reply};
use tauri::{AppHandle, Manager, State};

/// The region's server address given at installation: `--server=URL`, `BAQSHA_SERVER`, or on
/// Windows the value the installers write (HKLM\Software\Baqsha, `Server`).
pub fn installed_server() -> Option<String> {
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

pub fn log_dir(app: &AppHandle) -> std::path::PathBuf {
    app.path().app_log_dir().unwrap_or_else(|_| std::path::PathBuf::from("logs"))
}

#[tauri::command]
pub async fn about(app: AppHandle, state: State<'_, AppState>, request: calls::About) -> Reply<calls::About> {
    let calls::About {} = request;
    let (office, _) = state.signed_in().await?;
    Ok(baqsha_api::About {
        version: app.package_info().version.to_string(),
        database: state.database().display().to_string(),
        logs: log_dir(&app).display().to_string(),
        documents: crate::documents::documents_dir(&app).display().to_string(),
        seal_key: office.seal_key_id().await?,
        server: office.server().await?,
        demo: office.is_demo().await?,
    })
}

/// «Журнал қалтасын ашу»: opens the log folder in the file manager (with `--no-viewer`,
/// tests and unattended runs, only says where it is).
#[tauri::command]
pub async fn open_log_folder(app: AppHandle, state: State<'_, AppState>, request: calls::OpenLogFolder) -> Reply<calls::OpenLogFolder> {
    let calls::OpenLogFolder {} = request;
    state.signed_in().await?;
    let dir = log_dir(&app);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return Err(baqsha_app::internal("log folder", e));
    }
    if !std::env::args().any(|a| a == "--no-viewer") {
        use tauri_plugin_opener::OpenerExt;
        if let Err(e) = app.opener().open_path(dir.display().to_string(), None::<&str>) {
            tracing::warn!("opening the log folder: {e}");
        }
    }
    Ok(dir.display().to_string())
}
