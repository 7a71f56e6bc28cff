//! rollcage: proves a release's rollback works — real containers, real PostgreSQL, measured
//! recovery.
//!
//! What a caller uses: load a scenario ([`scenario::load`], [`scenario::Scenario::from_toml_str`]),
//! connect to the Docker Engine ([`runtime::Engine`]), run one drill or a list of them with a
//! [`events::Reporter`] ([`runner`]), and read what came out ([`outcome`], named with the
//! [`vocab`]). Lint, preflight, exploration and the reports are public too: the `rollcage`
//! binary is a thin layer over them. The engine's insides (the drill environment, faults,
//! oracles, traffic, migrations, the timeline) are not.
#![warn(missing_docs)]

mod db;
mod env;
mod faults;
mod rollback;
mod timeline;
mod traffic;
mod verify;

pub mod cli;
pub mod events;
pub mod exit_codes;
pub mod explore;
pub mod lint;
mod load;
pub mod outcome;
pub mod preflight;
pub mod report;
pub mod runner;
pub mod runtime;
pub mod scenario;
pub mod starter;
pub mod vocab;

#[doc(hidden)]
pub mod internals;
pub mod testing;
