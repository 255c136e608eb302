//! The server's tests share the region test kit (a throwaway PostgreSQL, a seeded server).
#![allow(unused_imports)]
pub use baqsha_testkit::*;
