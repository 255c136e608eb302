//! Sending what the office's message queue holds through the notifications port. Gateways
//! come from settings (`smtp`, `sms`: JSON of `SmtpConfig`, `SmsConfig`); none configured
//! means local delivery into «Жіберілген хабарламалар». Delivery bookkeeping is local to
//! this desk: it is not a command and is not synced.

use crate::Office;
use baqsha_notify::{Router, SmsConfig, SmtpConfig};
use baqsha_store::Store;

async fn router(store: &Store) -> Router {
    async fn setting<T: serde::de::DeserializeOwned>(store: &Store, key: &str) -> Option<T> {
        let text = store.setting(key).await.ok().flatten()?;
        match serde_json::from_str(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!("setting {key} is not valid ({e}); messages stay local");
                None
            }
        }
    }
    Router { smtp: setting::<SmtpConfig>(store, "smtp").await, sms: setting::<SmsConfig>(store, "sms").await }
}

impl Office {
    /// Sends what waits; returns (sent, still waiting).
    pub async fn deliver_pending(&self) -> (usize, usize) {
        let store = self.store();
        let router = router(store).await;
        let waiting = match store.unsent_messages(100).await {
            Ok(w) => w,
            Err(e) => {
                tracing::error!("reading the message queue: {e}");
                return (0, 0);
            }
        };
        let (mut sent, mut failed) = (0, 0);
        for m in waiting {
            let outcome = match router.send(&m.notification).await {
                Ok(via) => store.mark_sent(m.id, via, self.now()).await.map(|()| true),
                Err(e) => {
                    // The log names the message, never its recipient or text.
                    tracing::warn!("message {} ({}) not sent: {}", m.id, m.notification.channel.code(), e.record());
                    store.mark_failed(m.id, &e.record()).await.map(|()| false)
                }
            };
            match outcome {
                Ok(true) => sent += 1,
                Ok(false) => failed += 1,
                Err(e) => tracing::error!("recording message {}: {e}", m.id),
            }
        }
        (sent, failed)
    }
}
