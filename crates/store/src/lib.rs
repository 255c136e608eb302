//! Baqsha's local database: one SQLite file, opened safely, changed only by commands.
//!
//! - `open` refuses a file that is not a database, is damaged, or was written by a newer
//!   Baqsha, and never overwrites it.
//! - `apply` authorises a command, checks it against the core's rules and writes its effect,
//!   its history entry (hash-chained) and its outbox row in ONE transaction.
//! - Registry queries answer the UI with `baqsha_api` types.

mod applications;
mod apply;
mod codec;
mod db;
mod desk;
mod error;
mod history;
mod leases;
mod lists;
mod messages;
mod mirror;
mod offers;
mod operators;
mod referrals;
mod region;
mod registry;
mod statistics;

pub use apply::Applied;
pub use db::{Store, MIGRATOR};
pub use desk::Submitted;
pub use error::{ApplyError, OpenError, StoreError};
pub use history::{ChainReport, HistoryEntry, OutboxEntry};
pub use leases::HeldLease;
pub use messages::StoredMessage;
pub use mirror::{Mirrored, RegionRow, SnapshotProgress, Undone};
pub use offers::{CommandSource, OfferNotice, Round};
pub use operators::{NewOperator, SignInError};
pub use region::{Answered, RegionLink, Rejected, Verdict};
