//! Where a printed document goes: the documents folder (or where "Save as" says), then the
//! system viewer. The office makes the PDF; this file only finds folders and writes files.

use baqsha_api::*;
use baqsha_app::PrintedFile;
use std::path::PathBuf;
use tauri::{AppHandle, Manager};

/// Where printed documents go: `--documents=PATH` or `BAQSHA_DOCUMENTS` (tests, a shared
/// folder), else Documents\\Baqsha, else Baqsha in the home folder.
pub fn documents_dir(app: &AppHandle) -> PathBuf {
    if let Some(p) = std::env::args().find_map(|a| a.strip_prefix("--documents=").map(PathBuf::from)) {
        return p;
    }
    if let Some(p) = std::env::var_os("BAQSHA_DOCUMENTS") {
        return p.into();
    }
    if let Ok(d) = app.path().document_dir() {
        return d.join("Baqsha");
    }
    match app.path().home_dir() {
        Ok(h) => h.join("Documents").join("Baqsha"),
        Err(_) => PathBuf::from("Baqsha"),
    }
}

/// Writes `pdf` as `name` into the documents folder (or where "Save as" says) and opens it
/// in the system viewer. The file is written whole or not at all (temporary file + rename);
/// a name held open by a viewer gives the next free one.
pub async fn save_and_open(app: &AppHandle, file: PrintedFile, save_as: bool) -> Result<Printed, ApiError> {
    let PrintedFile { pdf, name, rows } = file;
    let name = name.as_str();
    let path = if save_as {
        use tauri_plugin_dialog::DialogExt;
        let (tx, rx) = tokio::sync::oneshot::channel();
        app.dialog().file().set_directory(documents_dir(app)).set_file_name(name).add_filter("PDF", &["pdf"]).save_file(move |p| {
            let _ = tx.send(p);
        });
        match rx.await.ok().flatten().and_then(|p| p.into_path().ok()) {
            Some(p) => p,
            None => return Err(ApiError::Cancelled),
        }
    } else {
        // The office names files through `files::document_name`; one that is not a plain
        // file name here would be a defect, and is refused rather than written elsewhere.
        let dir = documents_dir(app);
        match baqsha_app::files::inside(&dir, name) {
            Some(p) => p,
            None => {
                tracing::error!("refused a document name that leaves the documents folder");
                return Err(ApiError::Internal);
            }
        }
    };
    let path = match baqsha_app::files::save_document(&path, &pdf) {
        Ok(went) => went,
        Err(e) => {
            let shown = path.display().to_string();
            tracing::error!("cannot write {shown}: {e}");
            return Err(ApiError::SaveFailed { path: shown, problem: baqsha_app::files::save_problem(&e), detail: e.to_string() });
        }
    };
    let shown = path.display().to_string();
    // `--no-viewer`: tests and unattended runs only want the file.
    let opened = if std::env::args().any(|a| a == "--no-viewer") {
        false
    } else {
        use tauri_plugin_opener::OpenerExt;
        match app.opener().open_path(shown.clone(), None::<&str>) {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!("no viewer for {shown}: {e}");
                false
            }
        }
    };
    tracing::info!("printed {shown} ({rows} rows)");
    Ok(Printed { path: shown, opened, rows })
}
