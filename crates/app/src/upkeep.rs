//! What the office does by itself: referrals past their last day expire, free places are
//! offered in queue order, messages go out. On start, every 5 minutes, and at once after a
//! change that frees or takes a place. Once the desk belongs to a region, the server does
//! the expiry and the offering for the whole region and the desk only sends its messages.

use crate::Office;
use baqsha_core::queue::QueueRules;
use std::time::Duration;

/// Messages are tried every 30 s; expiry and offering every tenth time, or when woken.
const TICK: Duration = Duration::from_secs(30);
const ROUND_EVERY: u32 = 10;

impl Office {
    /// One round: expiry, then offers (with their SMS queued).
    pub async fn upkeep(&self) {
        // A desk of a region shows the region's rounds and expiries (pulled); its own would
        // offer the region's places from a part of its queue.
        if matches!(self.store().region_link().await, Ok(Some(_))) {
            self.sign_history_head().await;
            return;
        }
        self.expire_referrals().await;
        let ids = || self.inner.ids.id();
        let source = baqsha_store::CommandSource { author: crate::system().id, device: self.device(), ids: &ids };
        match self.store().offer_round(&source, self.now(), &QueueRules::default(), crate::texts::offer).await {
            Ok(round) if round.passed > 0 || !round.offered.is_empty() => tracing::info!("offers: {} new, {} turns passed", round.offered.len(), round.passed),
            Ok(_) => {}
            Err(e) => tracing::error!("offer round: {e}"),
        }
        self.sign_history_head().await;
    }

    /// The office's own work for as long as the program runs: spawn it once.
    pub async fn run_upkeep(self) {
        let mut tick = 0u32;
        loop {
            let woken = tokio::select! {
                _ = tokio::time::sleep(if tick == 0 { Duration::ZERO } else { TICK }) => false,
                _ = self.inner.wake.notified() => true,
            };
            if woken || tick.is_multiple_of(ROUND_EVERY) {
                self.upkeep().await;
            }
            tick = tick.wrapping_add(1);
            self.deliver_pending().await;
        }
    }
}
