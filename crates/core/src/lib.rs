//! Baqsha's rule core: every type and rule of the kindergarten queue.
//!
//! Pure by design: no IO, no clock, no randomness, no async. Callers pass the time and the
//! ids in, so the desktop, the UI (compiled to wasm32) and the sync server decide alike.

pub mod calendar;
pub mod codes;
pub mod command;
pub mod iin;
pub mod lease;
pub mod lifecycle;
pub mod model;
pub mod offer;
pub mod phone;
pub mod proof;
pub mod queue;
pub mod referral;
pub mod roles;
pub mod seal;
pub mod server;
pub mod signin;
pub mod text;

pub use iin::{Iin, IinError, Sex};
pub use model::*;
pub use phone::{Email, EmailError, Phone, PhoneError};
