//! Helpers shared by the end-to-end tests that read what the app stored.

#![allow(dead_code)]

use baqsha_core::command;
use baqsha_e2e::{Res, TestApp};
use baqsha_store::Store;
use std::path::Path;

/// The newest confirmation code sent to `target`, read from the local delivery (the
/// sent-messages store) as the parent's phone would show it.
pub async fn code_for(db: &Path, target: &str) -> Res<String> {
    for _ in 0..50 {
        let store = Store::open(db).await?;
        // Not only the newest few: a desk whose clock was put back to the region's lists what
        // it sent since below what it sent before.
        let list = store.recent_messages(2000).await?;
        store.close().await;
        if let Some(m) = list.iter().find(|m| m.notification.recipient == target && m.notification.secret) {
            let code: String = m.notification.body.chars().filter(char::is_ascii_digit).take(6).collect();
            if code.len() == 6 {
                return Ok(code);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("no code for {target}").into())
}

/// Sets files on the proof input `input` (an element id) as the file dialog would.
pub async fn choose_files(app: &TestApp, input: &str, files: Vec<(&str, Vec<u8>)>) -> Res<()> {
    let names: Vec<_> = files.iter().map(|(n, _)| serde_json::json!(n)).collect();
    let bytes: Vec<_> = files.into_iter().map(|(_, b)| serde_json::json!(b)).collect();
    app.client
        .execute(
            "const dt = new DataTransfer();
             arguments[0].forEach((n, i) => dt.items.add(new File([new Uint8Array(arguments[1][i])], n, {type: 'image/jpeg'})));
             const input = document.getElementById(arguments[2]);
             input.files = dt.files; input.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![serde_json::json!(names), serde_json::json!(bytes), serde_json::json!(input)],
        )
        .await?;
    Ok(())
}

/// A real JPEG: a page of a document, "photographed" at 30 dpi by pdftoppm.
pub fn jpeg(dir: &Path) -> Res<Vec<u8>> {
    let header = baqsha_documents::ListHeader {
        region: "Шығыс Қазақстан облысы".into(),
        department: "Көп балалы отбасы туралы анықтама".into(),
        printed_at: chrono::Utc::now(),
        filters: vec![],
    };
    let pdf = baqsha_documents::vacancy_bulletin(&header, command::desk_date(chrono::Utc::now()), &[], baqsha_i18n::Lang::Kk)?;
    let path = dir.join("page.pdf");
    std::fs::write(&path, pdf)?;
    let out = std::process::Command::new("pdftoppm").args(["-jpeg", "-r", "30", "-f", "1", "-l", "1", "-singlefile"]).arg(&path).arg(dir.join("page")).status()?;
    if !out.success() {
        return Err("pdftoppm failed".into());
    }
    Ok(std::fs::read(dir.join("page.jpg"))?)
}
