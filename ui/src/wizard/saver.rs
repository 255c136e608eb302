//! The draft is saved on every keystroke, and saves take their time: two in flight could land
//! in either order and leave an older state saved. So one save is in flight at a time, and
//! while it is, only the newest state waits (the ones typed between are never sent). The
//! last keystroke is always the last saved.

/// The bookkeeping, apart from the calls (tested natively).
#[derive(Debug)]
pub struct LatestWins<T> {
    busy: bool,
    waiting: Option<T>,
}

impl<T> Default for LatestWins<T> {
    fn default() -> Self {
        LatestWins { busy: false, waiting: None }
    }
}

impl<T> LatestWins<T> {
    /// A new state to keep: returned when it is to be sent now (nothing in flight); else it
    /// waits, replacing whatever waited.
    pub fn offer(&mut self, state: T) -> Option<T> {
        if self.busy {
            self.waiting = Some(state);
            None
        } else {
            self.busy = true;
            Some(state)
        }
    }

    /// The save in flight is done: what to send next, if anything was typed meanwhile.
    pub fn done(&mut self) -> Option<T> {
        let next = self.waiting.take();
        self.busy = next.is_some();
        next
    }

    /// Nothing in flight and nothing waiting: what is stored is the newest.
    pub fn idle(&self) -> bool {
        !self.busy
    }
}

thread_local! {
    static DRAFT: std::cell::RefCell<LatestWins<super::state::Wizard>> = std::cell::RefCell::new(LatestWins::default());
}

/// Saves the wizard's state; the newest always lands last, even after the page is left.
pub fn save(state: super::state::Wizard) {
    let Some(first) = DRAFT.with(|d| d.borrow_mut().offer(state)) else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let mut next = Some(first);
        while let Some(body) = next {
            let _ = crate::bridge::call(&baqsha_api::calls::SaveDraft { body }).await;
            next = DRAFT.with(|d| d.borrow_mut().done());
        }
    });
}

/// Waits (a few seconds at most) until the saves still in flight from the page last left
/// have landed, so the draft read back is the newest.
pub async fn settled() {
    for _ in 0..250 {
        if DRAFT.with(|d| d.borrow().idle()) {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keystrokes and finished saves interleaved every way a seeded walk finds: the store
    /// ends with the last keystroke, saves arrive in typing order, one in flight at a time.
    #[test]
    fn the_last_keystroke_is_the_last_saved() {
        for seed in 0u64..500 {
            let mut rng = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let mut next = || {
                rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                rng >> 33
            };
            let mut saver = LatestWins::default();
            let (mut in_flight, mut stored, mut sent): (Option<u32>, Option<u32>, Vec<u32>) = (None, None, vec![]);
            let keystrokes = 1 + (next() % 30) as u32;
            let mut typed = 0;
            while typed < keystrokes || in_flight.is_some() {
                if typed < keystrokes && (in_flight.is_none() || next() % 2 == 0) {
                    typed += 1;
                    if let Some(s) = saver.offer(typed) {
                        assert!(in_flight.is_none(), "two saves in flight");
                        in_flight = Some(s);
                        sent.push(s);
                    }
                } else if let Some(done) = in_flight.take() {
                    stored = Some(done);
                    if let Some(s) = saver.done() {
                        in_flight = Some(s);
                        sent.push(s);
                    }
                }
            }
            assert_eq!(stored, Some(keystrokes), "seed {seed}: the last keystroke is saved");
            assert!(sent.windows(2).all(|w| w[0] < w[1]), "seed {seed}: in typing order: {sent:?}");
            assert!(saver.idle());
        }
    }
}
