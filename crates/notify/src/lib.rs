//! The notifications port: a `Notification` in, delivered or refused with a reason out.
//! Adapters: SMTP e-mail (lettre), an HTTP SMS gateway (SMSC.kz's API shape, any base URL),
//! and local delivery — the embedded default, where the queued copy in the database is the
//! delivery (the app's "sent messages" view). No database here: the shell drains the
//! store's message queue through a `Router` and records what happened.

use baqsha_core::codes::{Channel, Notification};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotifyError {
    /// The gateway could not be reached (offline, refused, timed out): retry later.
    #[error("cannot reach {gateway}: {detail}")]
    Unreachable { gateway: &'static str, detail: String },
    /// The gateway answered and refused this message (bad number, no credit, bad login).
    #[error("{gateway} refused the message: {detail}")]
    Refused { gateway: &'static str, detail: String },
    /// The message cannot be built (an address that is not one).
    #[error("the message is malformed: {0}")]
    Malformed(String),
}

impl NotifyError {
    /// `kind:gateway:detail`, as the message queue keeps it, so the screen can say the
    /// first two in the operator's language and show the technical detail beside them.
    pub fn record(&self) -> String {
        match self {
            NotifyError::Unreachable { gateway, detail } => format!("unreachable:{gateway}:{detail}"),
            NotifyError::Refused { gateway, detail } => format!("refused:{gateway}:{detail}"),
            NotifyError::Malformed(detail) => format!("malformed::{detail}"),
        }
    }

    /// Worth trying again later (as opposed to a message the gateway will never take).
    pub fn is_temporary(&self) -> bool {
        matches!(self, NotifyError::Unreachable { .. })
    }
}

/// SMTP settings of an office's mail server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// STARTTLS before authenticating (port 587); false only for a local relay.
    pub starttls: bool,
    pub user: Option<String>,
    pub password: Option<String>,
    /// `Baqsha <noreply@edu.example.kz>`
    pub from: String,
}

/// An HTTP SMS gateway with SMSC.kz's API shape: POST `login`, `psw`, `phones`, `mes`,
/// `sender`, `fmt=3` (JSON answer `{"id":…,"cnt":…}` or `{"error":…,"error_code":…}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmsConfig {
    /// `https://smsc.kz/sys/send.php`
    pub url: String,
    pub login: String,
    pub password: String,
    pub sender: Option<String>,
}

/// Which adapter takes which channel. None: local delivery.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Router {
    pub smtp: Option<SmtpConfig>,
    pub sms: Option<SmsConfig>,
}

impl Router {
    /// Sends through the channel's adapter; returns the adapter's name (`local`, `smtp`,
    /// `sms-http`) for the record.
    pub async fn send(&self, n: &Notification) -> Result<&'static str, NotifyError> {
        match (n.channel, &self.smtp, &self.sms) {
            (Channel::Email, Some(smtp), _) => smtp::send(smtp, n).await.map(|()| "smtp"),
            (Channel::Sms, _, Some(sms)) => sms_http::send(sms_http::client()?, sms, n).await.map(|()| "sms-http"),
            _ => Ok("local"),
        }
    }
}

pub mod sms_http;
pub mod smtp;
