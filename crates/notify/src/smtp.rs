//! E-mail through the office's SMTP server.

use crate::{NotifyError, SmtpConfig};
use baqsha_core::codes::Notification;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

pub async fn send(c: &SmtpConfig, n: &Notification) -> Result<(), NotifyError> {
    let malformed = |e: &dyn std::fmt::Display| NotifyError::Malformed(e.to_string());
    let email = Message::builder()
        .from(c.from.parse().map_err(|e| malformed(&e))?)
        .to(n.recipient.parse().map_err(|e| malformed(&e))?)
        .subject(n.subject.clone().unwrap_or_else(|| "Baqsha".into()))
        .header(ContentType::TEXT_PLAIN)
        .body(n.body.clone())
        .map_err(|e| malformed(&e))?;
    let builder = if c.starttls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.host).map_err(|e| NotifyError::Unreachable { gateway: "smtp", detail: e.to_string() })?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.host)
    };
    let mut builder = builder.port(c.port).timeout(Some(Duration::from_secs(20)));
    if let (Some(u), Some(p)) = (&c.user, &c.password) {
        builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
    }
    match builder.build().send(email).await {
        Ok(_) => Ok(()),
        // A permanent SMTP answer (5xx) will not change on retry; anything else may.
        Err(e) if e.is_permanent() => Err(NotifyError::Refused { gateway: "smtp", detail: e.to_string() }),
        Err(e) => Err(NotifyError::Unreachable { gateway: "smtp", detail: e.to_string() }),
    }
}
