//! rollcage: proves a release's rollback works — real containers, real PostgreSQL, measured recovery.
//!
//! The library owns everything; the `rollcage` binary only parses arguments and prints.

pub mod db;
pub mod env;
pub mod events;
pub mod exit_codes;
pub mod explore;
pub mod faults;
pub mod lint;
mod load;
pub mod outcome;
pub mod preflight;
pub mod report;
pub mod rollback;
pub mod runner;
pub mod runtime;
pub mod scenario;
pub mod timeline;
pub mod traffic;
pub mod verify;
pub mod vocab;
