//! Sending what the office's message queue holds through the notifications port. Gateways
//! come from settings (`smtp`, `sms`: JSON of `SmtpConfig`, `SmsConfig`); none configured
//! means local delivery into «Жіберілген хабарламалар». Delivery bookkeeping is local to
//! this desk: it is not a command and is not synced.

use crate::Office;
use baqsha_core::codes::Channel;
use baqsha_notify::{Router, SmsConfig, SmtpConfig};
use baqsha_store::Store;

/// The gateways as configured, and the channels whose gateway is refused for going without
/// TLS: their messages wait, with that reason, until the setting is put right.
async fn router(office: &Office) -> (Router, Vec<Channel>) {
    let store = office.store();
    async fn setting<T: serde::de::DeserializeOwned>(store: &Store, key: &str) -> Option<T> {
        let text = store.setting(key).await.ok().flatten().filter(|t| !t.trim().is_empty())?;
        match serde_json::from_str(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!("setting {key} is not valid ({e}); messages stay local");
                None
            }
        }
    }
    let local = crate::gateways::local_allowed(store).await;
    let mut smtp = setting::<SmtpConfig>(store, "smtp").await;
    let mut sms = setting::<SmsConfig>(store, "sms").await;
    // Passwords are kept as secrets (`secrets.rs`); one typed into the setting moves there.
    if let Some(c) = smtp.as_mut() {
        if let Some(typed) = c.password.take().filter(|p| !p.is_empty()) {
            office.move_secret(store, "smtp", "smtp_password", &typed, &SmtpConfig { password: None, ..c.clone() }).await;
        }
        c.password = office.secret("smtp_password");
    }
    if let Some(c) = sms.as_mut() {
        let typed = std::mem::take(&mut c.password);
        if !typed.is_empty() {
            office.move_secret(store, "sms", "sms_password", &typed, &SmsConfig { password: String::new(), ..c.clone() }).await;
        }
        c.password = office.secret("sms_password").unwrap_or_default();
    }
    let mut insecure = vec![];
    if smtp.as_ref().is_some_and(|c| !crate::gateways::secure_enough(&c.host, c.starttls, local)) {
        insecure.push(Channel::Email);
    }
    if sms.as_ref().is_some_and(|c| !crate::gateways::url_secure_enough(&c.url, local)) {
        insecure.push(Channel::Sms);
    }
    (Router { smtp, sms }, insecure)
}

/// The longest one message's try may take before the desk stops waiting for it (the
/// gateway's own timeouts are shorter; this bounds a gateway that never answers).
const ONE_TRY: std::time::Duration = std::time::Duration::from_secs(20);

impl Office {
    /// Sends what is due; returns (sent, failed). Any number may run at once: each message
    /// is claimed by one of them before it is sent.
    pub async fn deliver_pending(&self) -> (usize, usize) {
        let waiting = match self.store().unsent_messages(100, self.now()).await {
            Ok(w) => w,
            Err(e) => {
                tracing::error!("reading the message queue: {e}");
                return (0, 0);
            }
        };
        self.deliver(waiting.iter().map(|m| m.id)).await
    }

    /// Tries these messages now (a code just asked for, a submit's SMS), then lets the rest
    /// of the queue go on in the background: a command never waits for the queue to drain.
    pub(crate) async fn deliver_now(&self, ids: &[uuid::Uuid]) {
        self.deliver(ids.iter().copied()).await;
        let office = self.clone();
        tokio::spawn(async move {
            office.deliver_pending().await;
        });
    }

    async fn deliver(&self, ids: impl Iterator<Item = uuid::Uuid>) -> (usize, usize) {
        let store = self.store();
        let (router, insecure) = router(self).await;
        let (mut sent, mut failed) = (0, 0);
        for id in ids {
            match store.claim_message(id, self.now()).await {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    tracing::error!("claiming message {id}: {e}");
                    continue;
                }
            }
            let m = match store.message(id).await {
                Ok(m) => m,
                Err(e) => {
                    tracing::error!("reading message {id}: {e}");
                    continue;
                }
            };
            let tried = if insecure.contains(&m.notification.channel) {
                Err(baqsha_notify::NotifyError::Unreachable { gateway: "gateway", detail: "not sent without TLS: the gateway's setting needs https or STARTTLS".into() })
            } else {
                tokio::time::timeout(ONE_TRY, router.send(&m.notification))
                    .await
                    .unwrap_or_else(|_| Err(baqsha_notify::NotifyError::Unreachable { gateway: "gateway", detail: format!("no answer in {} s", ONE_TRY.as_secs()) }))
            };
            let outcome = match tried {
                Ok(via) => store.mark_sent(m.id, via, self.now()).await.map(|()| true),
                Err(e) => {
                    // Only a gateway out of reach is tried again; a refusal stands.
                    let retry_at = e.is_temporary().then(|| self.now() + baqsha_core::codes::retry_after(m.attempts + 1));
                    // The log names the message, never its recipient or text.
                    tracing::warn!("message {} ({}) not sent: {}{}", m.id, m.notification.channel.code(), e.record(), if retry_at.is_some() { "" } else { "; given up" });
                    store.mark_failed(m.id, &e.record(), retry_at).await.map(|()| false)
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
