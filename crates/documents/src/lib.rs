//! Baqsha's documents: core types in, PDF bytes out. No UI, no database.
//!
//! A4 pages with the region and education department header, a title, fields and tables
//! that wrap instead of overflowing, and "1 / N" page numbers. DejaVu Sans (every Kazakh
//! letter) is embedded and subset.

mod certificate;
mod fonts;
mod layout;
mod lists;
mod referral;
pub mod scan;

pub use certificate::{application_certificate, ApplicationCertificate, HistoryRow};
pub use fonts::{missing_glyphs, KAZAKH_LETTERS};
pub use lists::{
    issued_referrals, queue_list, statistics_allocated, statistics_places, vacancy_bulletin, AllocationRow, BulletinRow, DistrictStatsRow, ListHeader, QueueRow, ReferralRow,
};
pub use referral::{referral_certificate, ReferralCertificate};

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the embedded font cannot be read: {0}")]
    Font(String),
    #[error("the QR code cannot hold this text: {0}")]
    Qr(String),
    #[error("the image cannot be read: {0}")]
    Image(String),
}
