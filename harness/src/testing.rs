//! Internals the integration tests under `tests/` drive directly (a drill environment with one
//! fault, migrations, traffic). Not part of rollcage's API: hidden from its documentation and
//! free to change.

pub use crate::db::{applied_version, DbError, DbTarget, MigrationSet};
pub use crate::env::DrillEnv;
pub use crate::faults::{
    heal as faults_heal, inject as faults_inject, needs as fault_needs, HealContext, Injected,
};
pub use crate::timeline::EventKind;
pub use crate::traffic::{probe_until_healthy, send, Client, Rendered, Response};
pub use crate::verify::OracleResult;
