//! The adapters against real servers started here: Debian's aiosmtpd for SMTP, and a small
//! HTTP server answering as SMSC.kz does.

use baqsha_core::codes::{Channel, Notification};
use baqsha_notify::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn mail(to: &str) -> Notification {
    Notification {
        channel: Channel::Email,
        recipient: to.into(),
        subject: Some("Өтініш тіркелді".into()),
        body: "Өтініш нөмірі: VKO-2026-004217. Ә Ғ Қ Ң Ө Ұ Ү Һ І".into(),
        secret: false,
    }
}

fn sms() -> Notification {
    Notification { channel: Channel::Sms, recipient: "+7 701 123 45 67".into(), subject: None, body: "Растау коды: 042917".into(), secret: true }
}

/// aiosmtpd writing every message into a Maildir; killed on drop.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    mbox: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

async fn smtp_server() -> SmtpServer {
    let dir = tempfile::tempdir().unwrap();
    let mbox = dir.path().join("mbox");
    let port = free_port();
    // Debian's python3-aiosmtpd lives with the system Python, not a user's pyenv.
    let python = if std::path::Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
    let child = std::process::Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&mbox)
        .spawn()
        .expect("python3-aiosmtpd (scripts/setup.sh installs it)");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    SmtpServer { child, port, mbox, _dir: dir }
}

fn smtp_config(port: u16) -> SmtpConfig {
    SmtpConfig { host: "127.0.0.1".into(), port, starttls: false, user: None, password: None, from: "Baqsha <noreply@edu.example.kz>".into() }
}

#[tokio::test]
async fn an_email_reaches_a_real_smtp_server_with_kazakh_text_intact() {
    let server = smtp_server().await;
    let router = Router { smtp: Some(smtp_config(server.port)), sms: None };
    assert_eq!(router.send(&mail("ata-ana@example.kz")).await, Ok("smtp"));
    let mut stored = String::new();
    for _ in 0..50 {
        // aiosmtpd's Mailbox handler keeps a Maildir: one file per message in new/.
        stored = std::fs::read_dir(server.mbox.join("new")).into_iter().flatten().flatten().map(|e| std::fs::read_to_string(e.path()).unwrap_or_default()).collect();
        if !stored.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(stored.contains("To: ata-ana@example.kz"), "{stored}");
    // The body travels encoded (quoted-printable or base64); lettre encodes, the mbox keeps it.
    let decoded = decode_body(&stored);
    assert!(decoded.contains("VKO-2026-004217") && decoded.contains("Ә Ғ Қ Ң Ө Ұ Ү Һ І"), "{stored}");
}

/// The text of a single-part message, decoded from base64 or quoted-printable.
fn decode_body(mbox: &str) -> String {
    let (head, body) = mbox.split_once("\n\n").unwrap_or((mbox, ""));
    if head.to_ascii_lowercase().contains("content-transfer-encoding: base64") {
        let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        return String::from_utf8_lossy(&base64_decode(&clean)).to_string();
    }
    let joined = body.replace("=\n", "");
    let mut out = vec![];
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s.bytes().filter(|c| *c != b'=').collect();
    let mut out = vec![];
    for chunk in clean.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, c)| acc | (u32::from(val(*c)) << (18 - 6 * i)));
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

#[tokio::test]
async fn a_refused_connection_is_temporary_and_says_so() {
    let router = Router { smtp: Some(smtp_config(free_port())), sms: None };
    let err = router.send(&mail("ata-ana@example.kz")).await.unwrap_err();
    assert!(err.is_temporary(), "{err}");
    assert!(err.to_string().starts_with("cannot reach smtp"), "{err}");
}

#[tokio::test]
async fn a_bad_address_is_malformed_not_retried() {
    let router = Router { smtp: Some(smtp_config(free_port())), sms: None };
    let err = router.send(&mail("not an address")).await.unwrap_err();
    assert!(matches!(err, NotifyError::Malformed(_)) && !err.is_temporary(), "{err}");
}

/// A one-request HTTP server answering `status` with `body`; returns what it received.
async fn sms_gateway(status: u16, body: &'static str) -> (u16, tokio::task::JoinHandle<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut got = vec![];
        let mut buf = [0u8; 4096];
        loop {
            let n = sock.read(&mut buf).await.unwrap();
            got.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&got).to_string();
            if let Some((head, rest)) = text.split_once("\r\n\r\n") {
                let len = head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))).unwrap_or(0);
                if rest.len() >= len {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        let answer = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
        sock.write_all(answer.as_bytes()).await.unwrap();
        String::from_utf8_lossy(&got).to_string()
    });
    (port, handle)
}

fn sms_config(port: u16) -> SmsConfig {
    SmsConfig { url: format!("http://127.0.0.1:{port}/sys/send.php"), login: "akimat".into(), password: "secret".into(), sender: Some("Baqsha".into()) }
}

#[tokio::test]
async fn an_sms_is_posted_in_the_gateways_shape() {
    let (port, request) = sms_gateway(200, r#"{"id":101,"cnt":1}"#).await;
    let router = Router { smtp: None, sms: Some(sms_config(port)) };
    assert_eq!(router.send(&sms()).await, Ok("sms-http"));
    let request = request.await.unwrap();
    assert!(request.starts_with("POST /sys/send.php"), "{request}");
    for field in ["login=akimat", "psw=secret", "phones=77011234567", "fmt=3", "sender=Baqsha"] {
        assert!(request.contains(field), "{field} missing: {request}");
    }
    // The Kazakh text is form-encoded UTF-8.
    assert!(request.contains("mes=%D0%A0%D0%B0%D1%81%D1%82%D0%B0%D1%83"), "{request}");
}

#[tokio::test]
async fn a_gateway_error_is_a_refusal_with_its_reason() {
    let (port, _request) = sms_gateway(200, r#"{"error":"not enough balance","error_code":3}"#).await;
    let router = Router { smtp: None, sms: Some(sms_config(port)) };
    let err = router.send(&sms()).await.unwrap_err();
    assert_eq!(err, NotifyError::Refused { gateway: "sms-http", detail: "not enough balance (3)".into() });
    assert!(!err.is_temporary());
}

#[tokio::test]
async fn a_gateway_down_is_temporary() {
    for status in [500, 503] {
        let (port, _request) = sms_gateway(status, "busy").await;
        let router = Router { smtp: None, sms: Some(sms_config(port)) };
        assert_eq!(router.send(&sms()).await, Err(NotifyError::Unreachable { gateway: "sms-http", detail: format!("HTTP {status}") }));
    }
    let nobody = Router { smtp: None, sms: Some(sms_config(free_port())) };
    let err = nobody.send(&sms()).await.unwrap_err();
    assert!(err.is_temporary() && err.to_string().starts_with("cannot reach sms-http"), "{err}");
}

#[tokio::test]
async fn an_answer_without_an_id_or_a_client_error_is_a_refusal() {
    for (status, body) in [(200, r#"{"cnt":1}"#), (403, r#"{"id":1}"#), (404, "not here")] {
        let (port, _request) = sms_gateway(status, body).await;
        let router = Router { smtp: None, sms: Some(sms_config(port)) };
        let err = router.send(&sms()).await.unwrap_err();
        assert_eq!(err, NotifyError::Refused { gateway: "sms-http", detail: format!("HTTP {status}: {body}") });
    }
}

#[tokio::test]
async fn with_no_gateway_messages_are_delivered_locally() {
    assert_eq!(Router::default().send(&sms()).await, Ok("local"));
    assert_eq!(Router::default().send(&mail("a@b.kz")).await, Ok("local"));
}
