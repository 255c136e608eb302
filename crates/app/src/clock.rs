//! Time and identity come in from outside, so an office decides the same on any day and at
//! any hour, and a test can be on 31 December at 23:59 in Kazakhstan when it likes.

use chrono::{DateTime, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// New ids for commands, referrals and vacancies, and random bytes for codes and salts.
pub trait Ids: Send + Sync {
    fn id(&self) -> uuid::Uuid;
    fn fill(&self, out: &mut [u8]) -> Result<(), String>;
}

/// The computer's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The computer's clock moved by a fixed amount, running on from the instant it was started
/// at: a training desk replaying a past day, or a test starting the app weeks after a
/// referral was taken.
pub struct ShiftedClock(chrono::Duration);

impl ShiftedClock {
    pub fn starting_at(t: DateTime<Utc>) -> ShiftedClock {
        ShiftedClock(t - Utc::now())
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.0
    }
}

/// The desk's clock put right by the region's: the computer's clock (or a test's) plus the
/// difference measured against the region's server at the last sync. A desk whose clock is
/// a year off still dates its work, and decides ages and deadlines, by the region's time.
pub struct CorrectedClock {
    base: std::sync::Arc<dyn Clock>,
    offset_ms: std::sync::atomic::AtomicI64,
}

/// A difference smaller than this is the line's delay or an ordinary drift: left alone.
pub const CLOCK_SLACK: chrono::Duration = chrono::Duration::seconds(60);

impl CorrectedClock {
    pub fn new(base: std::sync::Arc<dyn Clock>, offset: chrono::Duration) -> CorrectedClock {
        CorrectedClock { base, offset_ms: std::sync::atomic::AtomicI64::new(offset.num_milliseconds()) }
    }

    pub fn offset(&self) -> chrono::Duration {
        chrono::Duration::milliseconds(self.offset_ms.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Takes in a difference `off` measured against this clock (the region's time less
    /// this clock's); the new offset when it changed.
    pub fn correct(&self, off: chrono::Duration) -> Option<chrono::Duration> {
        if off.abs() < CLOCK_SLACK {
            return None;
        }
        let mut offset = self.offset() + off;
        if offset.abs() < CLOCK_SLACK {
            offset = chrono::Duration::zero();
        }
        self.offset_ms.store(offset.num_milliseconds(), std::sync::atomic::Ordering::Relaxed);
        Some(offset)
    }
}

impl Clock for CorrectedClock {
    fn now(&self) -> DateTime<Utc> {
        self.base.now() + self.offset()
    }
}

/// UUIDv7 ids (time-ordered) and the operating system's randomness.
pub struct SystemIds;

impl Ids for SystemIds {
    fn id(&self) -> uuid::Uuid {
        uuid::Uuid::now_v7()
    }
    fn fill(&self, out: &mut [u8]) -> Result<(), String> {
        getrandom::fill(out).map_err(|e| e.to_string())
    }
}

/// A clock that stands still until told: for tests, and for replaying a day.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn at(t: DateTime<Utc>) -> ManualClock {
        ManualClock(Mutex::new(t))
    }
    pub fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = t;
    }
    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
