//! Whether this desk's history is as it was written: the hash chain walked at start (in the
//! background), and its head signed with the installation's key, so a chain rewritten with
//! fresh hashes no longer verifies. The head is signed again after every check and upkeep
//! round; only the entries since the last signing rest on the chain alone.

use crate::Office;
use baqsha_api::HistoryCheck;
use baqsha_core::seal;
use baqsha_store::ChainReport;

const SIGNED_HEAD: &str = "history_head";

impl Office {
    /// Walks the chain and checks the signed head; remembers and answers the outcome. A
    /// database from before heads were signed gets its first signature here.
    pub async fn check_history(&self) -> HistoryCheck {
        let outcome = match self.verify_signed_history().await {
            Ok(c) => c,
            Err(e) => {
                tracing::error!("history check: {e}");
                HistoryCheck::Unreadable
            }
        };
        match &outcome {
            HistoryCheck::Broken { seq } => tracing::error!("THE HISTORY IS NOT AS WRITTEN from entry {seq}: it was changed outside the program"),
            HistoryCheck::Intact { entries } => tracing::info!("history intact: {entries} entries"),
            _ => {}
        }
        *self.inner.history.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome.clone());
        outcome
    }

    /// The last check's outcome; None while it runs.
    pub fn history_check(&self) -> Option<HistoryCheck> {
        self.inner.history.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    async fn verify_signed_history(&self) -> Result<HistoryCheck, String> {
        let store = self.store();
        let entries = match store.verify_history().await.map_err(|e| e.to_string())? {
            ChainReport::Broken { seq, reason } => {
                tracing::error!("history entry {seq}: {reason}");
                return Ok(HistoryCheck::Broken { seq });
            }
            ChainReport::Intact { entries } => entries,
        };
        let key = self.signing_key().map_err(|e| format!("{e:?}"))?;
        if let Some(signed) = store.meta(SIGNED_HEAD).await.map_err(|e| e.to_string())? {
            let Some((seq, hash)) = read_signed(&signed, &key.verifying_key()) else {
                return Ok(HistoryCheck::Broken { seq: 0 });
            };
            if store.history_hash_at(seq).await.map_err(|e| e.to_string())?.as_deref() != Some(hash.as_str()) {
                return Ok(HistoryCheck::Broken { seq });
            }
        }
        self.sign_head_now().await;
        Ok(HistoryCheck::Intact { entries })
    }

    /// Signs the chain's newest entry, once a check has found the chain intact: never
    /// before the check (that would sign over a rewritten chain) and never over a broken
    /// one (the warning stays until someone looks).
    pub(crate) async fn sign_history_head(&self) {
        if matches!(self.history_check(), Some(HistoryCheck::Intact { .. })) {
            self.sign_head_now().await;
        }
    }

    async fn sign_head_now(&self) {
        let store = self.store();
        let (key, head) = match (self.signing_key(), store.history_head().await) {
            (Ok(k), Ok(Some(head))) => (k, head),
            (Ok(_), Ok(None)) => return,
            (k, h) => {
                tracing::error!("signing the history's head: {:?} / {:?}", k.err(), h.err());
                return;
            }
        };
        let text = format!("{}:{}", head.0, head.1);
        let signature = seal::sign_text(&text, &key);
        if let Err(e) = store.set_meta(SIGNED_HEAD, &format!("{text}:{signature}")).await {
            tracing::error!("keeping the history's signed head: {e}");
        }
    }
}

/// `seq:hash:signature`, if the signature is this installation's over `seq:hash`.
fn read_signed(signed: &str, key: &seal::VerifyingKey) -> Option<(i64, String)> {
    let mut parts = signed.splitn(3, ':');
    let (seq, hash, signature) = (parts.next()?, parts.next()?, parts.next()?);
    seal::verify_text(&format!("{seq}:{hash}"), signature, key).then_some(())?;
    Some((seq.parse().ok()?, hash.to_string()))
}
