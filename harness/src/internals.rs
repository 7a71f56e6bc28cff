//! Internals the integration tests under `tests/` drive directly (a drill environment with one
//! fault, migrations, traffic). Not part of rollcage's API: hidden from its documentation and
//! free to change.

pub use crate::db::{
    applied_version, Catalog, DataSnapshot, DbError, DbTarget, MigrationSet, RowHashes, TableData,
};
pub use crate::env::DrillEnv;
pub use crate::faults::{HealContext, Injected};

/// The fault registry's entry points the fault tests call.
pub mod faults {
    pub use crate::faults::{heal, heals, inject, needs};
}
pub use crate::timeline::EventKind;
pub use crate::traffic::{probe_until_healthy, send, Client, Rendered, Response};
/// Rendering the workload's requests, for the template bench and its tests.
pub mod traffic {
    pub use crate::traffic::{prepare, render_body, total_weight, Draw, Prepared, EDGE_SHARE_OF};
}
pub use crate::verify::{check_data, compare_data, LossKind, OracleResult};
/// The hand-built outcome and record the report tests render, for the report benches.
pub mod fixture {
    pub use crate::outcome::fixture::{outcome, record};
}
