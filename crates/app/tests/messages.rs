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
    let clock = Arc::new(ManualClock::at(now));
    let office = Office::new(Parts { store: store.clone(), clock: clock.clone(), ids: Arc::new(SystemIds), keys: dir.path().join("keys"), persons: None }).await.unwrap();
    store.queue_message(&note(Channel::Sms, "+77011234567"), now).await.unwrap();
    assert_eq!(office.deliver_pending().await, (1, 0));
    let sent = &store.recent_messages(5).await.unwrap()[0];
    assert_eq!(sent.via.as_deref(), Some("local"));
    assert_eq!(sent.sent_at, Some(now), "sent at the office's clock");

    // A mail server that refuses connections: the e-mail waits with the reason, the SMS goes.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let smtp = SmtpConfig { host: "127.0.0.1".into(), port, starttls: false, user: None, password: None, from: "noreply@example.kz".into() };
    store.set_setting("allow_local_gateway", "1").await.unwrap();
    store.set_setting("smtp", &serde_json::to_string(&smtp).unwrap()).await.unwrap();
    store.queue_message(&note(Channel::Email, "ata@example.kz"), now).await.unwrap();
    store.queue_message(&note(Channel::Sms, "+77011234567"), now).await.unwrap();
    assert_eq!(office.deliver_pending().await, (1, 1));
    let waiting = store.unsent_messages(5, now + chrono::Duration::days(1)).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].last_error.as_deref().is_some_and(|e| e.starts_with("unreachable:smtp:")), "{:?}", waiting[0].last_error);
    // Not retried before its back-off; retried after it, still waiting, attempts counted.
    assert_eq!(office.deliver_pending().await, (0, 0));
    clock.advance(chrono::Duration::seconds(31));
    assert_eq!(office.deliver_pending().await, (0, 1));
    assert_eq!(store.unsent_messages(5, now + chrono::Duration::days(1)).await.unwrap()[0].attempts, 2);
}

/// An SMS gateway on 127.0.0.1 answering every POST with `answer` after `delay`, counting
/// the messages it was given.
fn sms_gateway(answer: &'static str, delay: std::time::Duration) -> (baqsha_notify::SmsConfig, Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sys/send.php", listener.local_addr().unwrap());
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let counted = counted.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                std::thread::sleep(delay);
                let mut stream = stream;
                let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}", answer.len());
            });
        }
    });
    (baqsha_notify::SmsConfig { url, login: "baqsha".into(), password: "secret".into(), sender: None }, count)
}

async fn office_with(now: chrono::DateTime<Utc>) -> (tempfile::TempDir, Office, Arc<ManualClock>) {
    let dir = tempfile::tempdir().unwrap();
    let store = baqsha_store::Store::open(&dir.path().join("b.sqlite")).await.unwrap();
    let clock = Arc::new(ManualClock::at(now));
    let office = Office::new(Parts { store, clock: clock.clone(), ids: Arc::new(SystemIds), keys: dir.path().join("keys"), persons: None }).await.unwrap();
    (dir, office, clock)
}

#[tokio::test]
async fn deliveries_running_side_by_side_send_each_message_once() {
    let now = Utc.with_ymd_and_hms(2026, 12, 31, 18, 59, 0).unwrap();
    let (_dir, office, _clock) = office_with(now).await;
    let (sms, given) = sms_gateway(r#"{"id":1,"cnt":1}"#, std::time::Duration::from_millis(30));
    office.store().set_setting("allow_local_gateway", "1").await.unwrap();
    office.store().set_setting("sms", &serde_json::to_string(&sms).unwrap()).await.unwrap();
    for n in 0..10 {
        office.store().queue_message(&note(Channel::Sms, &format!("+7701123456{n}")), now).await.unwrap();
    }
    let loops: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn({
                let office = office.clone();
                async move { office.deliver_pending().await }
            })
        })
        .collect();
    let mut sent = 0;
    for l in loops {
        sent += l.await.unwrap().0;
    }
    assert_eq!((sent, given.load(std::sync::atomic::Ordering::SeqCst)), (10, 10), "ten messages, ten sends, whichever loop sent them");
}

#[tokio::test]
async fn a_refused_message_is_given_up_with_its_reason_and_never_tried_again() {
    let now = Utc.with_ymd_and_hms(2026, 12, 31, 18, 59, 0).unwrap();
    let (_dir, office, clock) = office_with(now).await;
    let (sms, given) = sms_gateway(r#"{"error":"invalid number","error_code":7}"#, std::time::Duration::ZERO);
    office.store().set_setting("allow_local_gateway", "1").await.unwrap();
    office.store().set_setting("sms", &serde_json::to_string(&sms).unwrap()).await.unwrap();
    office.store().queue_message(&note(Channel::Sms, "+77011234567"), now).await.unwrap();
    assert_eq!(office.deliver_pending().await, (0, 1));
    for _ in 0..3 {
        clock.advance(chrono::Duration::hours(2));
        assert_eq!(office.deliver_pending().await, (0, 0));
    }
    assert_eq!(given.load(std::sync::atomic::Ordering::SeqCst), 1, "tried once");
    let m = &office.store().recent_messages(1).await.unwrap()[0];
    assert!(m.gave_up && m.sent_at.is_none() && m.last_error.as_deref().is_some_and(|e| e.contains("invalid number")), "{m:?}");
}

#[tokio::test]
async fn a_queue_of_stuck_messages_never_holds_back_a_new_code() {
    let now = Utc.with_ymd_and_hms(2026, 12, 31, 18, 59, 0).unwrap();
    let (dir, office, _clock) = office_with(now).await;
    baqsha_app::seed::seed_if_empty(&office).await.unwrap();
    let _ = dir;
    // 150 e-mails to a mail server that is down, older than anything else in the queue.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let smtp = SmtpConfig { host: "127.0.0.1".into(), port, starttls: false, user: None, password: None, from: "noreply@example.kz".into() };
    office.store().set_setting("allow_local_gateway", "1").await.unwrap();
    office.store().set_setting("smtp", &serde_json::to_string(&smtp).unwrap()).await.unwrap();
    for _ in 0..150 {
        office.store().queue_message(&note(Channel::Email, "ata@example.kz"), now - chrono::Duration::hours(1)).await.unwrap();
    }
    let operator = office.sign_in("operator", "baqsha-operator").await.unwrap().operator;
    // The code goes by SMS (local delivery here) at once, whatever waits before it.
    let sent = office.send_code(&operator, "+77015550123").await.unwrap();
    assert!(sent.delivered, "the new code was delivered, not left behind the stuck e-mails");
}

#[tokio::test]
async fn a_gateway_without_tls_is_not_used_and_its_messages_wait_with_the_reason() {
    let now = Utc.with_ymd_and_hms(2026, 12, 31, 18, 59, 0).unwrap();
    let (_dir, office, _clock) = office_with(now).await;
    let (sms, given) = sms_gateway(r#"{"id":1,"cnt":1}"#, std::time::Duration::ZERO);
    // A plain-http gateway, even on this computer, is not used unless the office allows it.
    office.store().set_setting("sms", &serde_json::to_string(&sms).unwrap()).await.unwrap();
    office.store().queue_message(&note(Channel::Sms, "+77011234567"), now).await.unwrap();
    assert_eq!(office.deliver_pending().await, (0, 1));
    assert_eq!(given.load(std::sync::atomic::Ordering::SeqCst), 0, "nothing went over plain http");
    let m = &office.store().recent_messages(1).await.unwrap()[0];
    assert!(m.sent_at.is_none() && !m.gave_up && m.last_error.as_deref().is_some_and(|e| e.contains("TLS")), "{m:?}");
    // Allowed for a local test gateway: the message goes at its next try.
    office.store().set_setting("allow_local_gateway", "1").await.unwrap();
    office.store().retry_messages_now().await.unwrap();
    assert_eq!(office.deliver_pending().await, (1, 0));
}

#[tokio::test]
async fn a_gateway_password_typed_into_a_setting_moves_to_the_secrets_file() {
    let now = Utc.with_ymd_and_hms(2026, 12, 31, 18, 59, 0).unwrap();
    let (dir, office, _clock) = office_with(now).await;
    let (mut sms, _given) = sms_gateway(r#"{"id":1,"cnt":1}"#, std::time::Duration::ZERO);
    sms.password = "Operator-Secret-77".into();
    office.store().set_setting("allow_local_gateway", "1").await.unwrap();
    office.store().set_setting("sms", &serde_json::to_string(&sms).unwrap()).await.unwrap();
    office.store().queue_message(&note(Channel::Sms, "+77011234567"), now).await.unwrap();
    assert_eq!(office.deliver_pending().await, (1, 0), "sent with the password");
    let setting = office.store().setting("sms").await.unwrap().unwrap();
    assert!(!setting.contains("Operator-Secret-77"), "the password left the database: {setting}");
    let file = dir.path().join("keys").join("secrets.json");
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(kept.contains("sms_password") && !kept.contains("Operator-Secret-77"), "{kept}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(office.secret("sms_password").as_deref(), Some("Operator-Secret-77"));
    // The next round still sends, the password now read from the file.
    office.store().queue_message(&note(Channel::Sms, "+77011234568"), now).await.unwrap();
    assert_eq!(office.deliver_pending().await, (1, 0));
}
