//! The office's message queue through the notifications port, on a real SQLite file.

use baqsha_app::{ManualClock, Office, Parts, SystemIds};
use baqsha_core::codes::{Channel, Notification};
use baqsha_notify::SmtpConfig;
use chrono::{TimeZone, Utc};
use std::sync::Arc;

fn note(channel: Channel, to: &str) -> Notification {
    Notification { channel, recipient: to.into(), subject: None, body: "Өтініш № VKO-2026-000001".into(), secret: false }
}

#[tokio::test]
async fn unconfigured_delivery_is_local_and_a_dead_mail_server_leaves_the_message_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let store = baqsha_store::Store::open(&dir.path().join("b.sqlite")).await.unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 31, 18, 59, 0).unwrap();
    let office =
        Office::new(Parts { store: store.clone(), clock: Arc::new(ManualClock::at(now)), ids: Arc::new(SystemIds), keys: dir.path().join("keys"), persons: None }).await.unwrap();
    store.queue_message(&note(Channel::Sms, "+77011234567"), now).await.unwrap();
    assert_eq!(office.deliver_pending().await, (1, 0));
    let sent = &store.recent_messages(5).await.unwrap()[0];
    assert_eq!(sent.via.as_deref(), Some("local"));
    assert_eq!(sent.sent_at, Some(now), "sent at the office's clock");

    // A mail server that refuses connections: the e-mail waits with the reason, the SMS goes.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let smtp = SmtpConfig { host: "127.0.0.1".into(), port, starttls: false, user: None, password: None, from: "noreply@example.kz".into() };
    store.set_setting("smtp", &serde_json::to_string(&smtp).unwrap()).await.unwrap();
    store.queue_message(&note(Channel::Email, "ata@example.kz"), now).await.unwrap();
    store.queue_message(&note(Channel::Sms, "+77011234567"), now).await.unwrap();
    assert_eq!(office.deliver_pending().await, (1, 1));
    let waiting = store.unsent_messages(5).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].last_error.as_deref().is_some_and(|e| e.starts_with("unreachable:smtp:")), "{:?}", waiting[0].last_error);
    // Retried on the next round, still waiting, attempts counted.
    office.deliver_pending().await;
    assert_eq!(store.unsent_messages(5).await.unwrap()[0].attempts, 2);
}
