//! SMS through an HTTP gateway with SMSC.kz's API shape (blocking; run off the async runtime).

use crate::{NotifyError, SmsConfig};
use baqsha_core::codes::Notification;
use std::time::Duration;

pub fn send(c: &SmsConfig, n: &Notification) -> Result<(), NotifyError> {
    let unreachable = |detail: String| NotifyError::Unreachable { gateway: "sms-http", detail };
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(20))).http_status_as_error(false).build().into();
    let digits: String = n.recipient.chars().filter(char::is_ascii_digit).collect();
    let mut form = vec![("login", c.login.as_str()), ("psw", c.password.as_str()), ("phones", digits.as_str()), ("mes", n.body.as_str()), ("fmt", "3"), ("charset", "utf-8")];
    if let Some(s) = &c.sender {
        form.push(("sender", s.as_str()));
    }
    let mut answer = agent.post(&c.url).send_form(form).map_err(|e| unreachable(e.to_string()))?;
    let status = answer.status().as_u16();
    let body = answer.body_mut().read_to_string().map_err(|e| unreachable(e.to_string()))?;
    if status >= 500 {
        return Err(unreachable(format!("HTTP {status}")));
    }
    let json: serde_json::Value = serde_json::from_str(&body).map_err(|_| NotifyError::Refused { gateway: "sms-http", detail: format!("HTTP {status}: {body}") })?;
    if let Some(err) = json.get("error") {
        let code = json.get("error_code").map(ToString::to_string).unwrap_or_default();
        return Err(NotifyError::Refused { gateway: "sms-http", detail: format!("{} ({code})", err.as_str().unwrap_or_default()) });
    }
    if json.get("id").is_none() || status >= 400 {
        return Err(NotifyError::Refused { gateway: "sms-http", detail: format!("HTTP {status}: {body}") });
    }
    Ok(())
}
