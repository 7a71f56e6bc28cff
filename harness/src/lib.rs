//! rollcage: proves a release's rollback works — real containers, real PostgreSQL, measured recovery.
//!
//! The library owns everything; the `rollcage` binary only parses arguments and prints.

pub mod runtime;
pub mod scenario;
pub mod verify;
