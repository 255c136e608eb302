//! Helpers shared by the end-to-end tests that read what the app stored.

use baqsha_e2e::Res;
use baqsha_store::Store;
use std::path::Path;

/// The newest confirmation code sent to `target`, read from the local delivery (the
/// sent-messages store) as the parent's phone would show it.
pub async fn code_for(db: &Path, target: &str) -> Res<String> {
    for _ in 0..50 {
        let store = Store::open(db).await?;
        let list = store.recent_messages(50).await?;
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
