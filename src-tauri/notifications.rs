//! Drains the store's message queue through the notifications port: on start, every 30 s,
//! and when asked. Gateways come from settings (`smtp`, `sms`: JSON of `SmtpConfig`,
//! `SmsConfig`); none configured means local delivery into the "sent messages" view.

use baqsha_notify::{Router, SmsConfig, SmtpConfig};
use baqsha_store::Store;
use std::time::Duration;

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

/// Sends what waits; returns (sent, still waiting).
pub async fn deliver_pending(store: &Store) -> (usize, usize) {
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
            Ok(via) => store.mark_sent(m.id, via, chrono::Utc::now()).await.map(|()| true),
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

/// The periodic work, for the life of the app: messages every 30 s; referral expiry and
/// offering on start and every 5 minutes (before the messages, so offers go out at once).
pub fn spawn(store: Store) {
    tauri::async_runtime::spawn(async move {
        let mut round = 0u32;
        loop {
            if round.is_multiple_of(10) {
                crate::places::upkeep(&store).await;
            }
            round = round.wrapping_add(1);
            deliver_pending(&store).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use baqsha_core::codes::{Channel, Notification};

    fn note(channel: Channel, to: &str) -> Notification {
        Notification { channel, recipient: to.into(), subject: None, body: "Өтініш № VKO-2026-000001".into(), secret: false }
    }

    #[tokio::test]
    async fn unconfigured_delivery_is_local_and_a_dead_mail_server_leaves_the_message_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("b.sqlite")).await.unwrap();
        store.queue_message(&note(Channel::Sms, "+77011234567"), chrono::Utc::now()).await.unwrap();
        assert_eq!(deliver_pending(&store).await, (1, 0));
        assert_eq!(store.recent_messages(5).await.unwrap()[0].via.as_deref(), Some("local"));

        // A mail server that refuses connections: the e-mail waits with the reason, the SMS goes.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let smtp = SmtpConfig { host: "127.0.0.1".into(), port, starttls: false, user: None, password: None, from: "noreply@example.kz".into() };
        store.set_setting("smtp", &serde_json::to_string(&smtp).unwrap()).await.unwrap();
        store.queue_message(&note(Channel::Email, "ata@example.kz"), chrono::Utc::now()).await.unwrap();
        store.queue_message(&note(Channel::Sms, "+77011234567"), chrono::Utc::now()).await.unwrap();
        assert_eq!(deliver_pending(&store).await, (1, 1));
        let waiting = store.unsent_messages(5).await.unwrap();
        assert_eq!(waiting.len(), 1);
        assert!(waiting[0].last_error.as_deref().is_some_and(|e| e.starts_with("unreachable:smtp:")), "{:?}", waiting[0].last_error);
        // Retried on the next round, still waiting, attempts counted.
        deliver_pending(&store).await;
        assert_eq!(store.unsent_messages(5).await.unwrap()[0].attempts, 2);
    }
}
