//! SMS through an HTTP gateway with SMSC.kz's API shape, over reqwest (the client the desk's
//! sync with the region uses).

use crate::{NotifyError, SmsConfig};
use baqsha_core::codes::Notification;
use std::sync::OnceLock;
use std::time::Duration;

const GATEWAY: &str = "sms-http";

/// The process's client of SMS gateways, built at the first message: its connections are
/// kept between messages, and `Router` stays plain data (cloned, compared, kept as JSON).
pub fn client() -> Result<&'static reqwest::Client, NotifyError> {
    static CLIENT: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            // reqwest is built without a provider of its own: ring, once per process.
            let _ = rustls::crypto::ring::default_provider().install_default();
            // A redirect would resend the gateway's password to another host.
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(Duration::from_secs(5))
                .timeout(Duration::from_secs(20))
                .user_agent(concat!("baqsha/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| format!("the HTTP client cannot be built: {}", baqsha_core::text::with_causes(&e)))
        })
        .as_ref()
        .map_err(|e| NotifyError::Unreachable { gateway: GATEWAY, detail: e.clone() })
}

pub async fn send(client: &reqwest::Client, c: &SmsConfig, n: &Notification) -> Result<(), NotifyError> {
    let unreachable = |e: reqwest::Error| {
        let detail = if e.is_timeout() { "no answer in time".to_string() } else { baqsha_core::text::with_causes(&e) };
        NotifyError::Unreachable { gateway: GATEWAY, detail }
    };
    let refused = |detail: String| NotifyError::Refused { gateway: GATEWAY, detail };
    let digits: String = n.recipient.chars().filter(char::is_ascii_digit).collect();
    let mut form = vec![("login", c.login.as_str()), ("psw", c.password.as_str()), ("phones", digits.as_str()), ("mes", n.body.as_str()), ("fmt", "3"), ("charset", "utf-8")];
    if let Some(s) = &c.sender {
        form.push(("sender", s.as_str()));
    }
    let answer = client.post(&c.url).form(&form).send().await.map_err(unreachable)?;
    let status = answer.status().as_u16();
    let body = answer.text().await.map_err(unreachable)?;
    if status >= 500 {
        return Err(NotifyError::Unreachable { gateway: GATEWAY, detail: format!("HTTP {status}") });
    }
    let json: serde_json::Value = serde_json::from_str(&body).map_err(|_| refused(format!("HTTP {status}: {body}")))?;
    if let Some(err) = json.get("error") {
        let code = json.get("error_code").map(ToString::to_string).unwrap_or_default();
        return Err(refused(format!("{} ({code})", err.as_str().unwrap_or_default())));
    }
    if json.get("id").is_none() || status >= 400 {
        return Err(refused(format!("HTTP {status}: {body}")));
    }
    Ok(())
}
