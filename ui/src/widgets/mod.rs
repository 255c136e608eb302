//! Shared pieces of every screen: charts and what a print action did.

pub mod chart;
pub mod contacts;
pub mod date;
pub mod printed;
pub mod proofs;
