//! The drill engine: `run_drill` runs preflight, sets up the environment, deploys under
//! traffic, waits for the rollback decision, runs the rollback steps in the scenario's order,
//! runs the oracles and returns a `DrillOutcome` with preflight's predictions held against
//! what it observed. Everything it starts is removed before it returns.

mod adopt;
mod app;
mod drive;
mod env;
mod judge;
mod outcome;
mod schedule;
mod snapshot;
mod steps;
mod trigger;
mod warm;

use std::time::Instant;

pub use env::{DrillEnv, DB_ALIAS};
pub use outcome::{Capture, Deployed, DrillOutcome, EndState, RecoveryPoint};
pub use steps::StepRecord;
pub use trigger::{holding, Decision};
pub use warm::{can_share, run_drill_warm, WarmEnv};

use crate::db::DbError;
use crate::lint::Finding;
use crate::preflight::{compare, preflight};
use crate::runtime::{Engine, RuntimeError};
use crate::scenario::Scenario;
use crate::timeline::Timeline;

/// Why a drill could not be run at all (as opposed to a rollback that failed, which is a
/// verdict): the harness, the engine or the scenario's environment is at fault.
#[derive(Debug, thiserror::Error)]
pub enum DrillError {
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Fault(#[from] crate::faults::FaultError),
    #[error("{0}")]
    Setup(String),
}

/// Runs one drill of `scenario` and removes everything it started, whatever happens.
pub async fn run_drill(engine: &Engine, scenario: &Scenario) -> Result<DrillOutcome, DrillError> {
    // Before the timeline starts, so its reads and image inspections skew no figure.
    let findings = preflight(engine, scenario).await;
    let mut timeline = Timeline::new(Instant::now());
    let mut env = DrillEnv::start(engine, scenario).await?;
    let result = drive::drive(&mut env, scenario, &mut timeline).await;
    let torn_down = env.teardown().await;
    let outcome = result?;
    torn_down?;
    Ok(predicted(outcome, findings))
}

/// The outcome with preflight's findings and their comparison with what it observed.
/// Findings never stop a drill: the drill is what confirms or refutes them.
fn predicted(mut outcome: DrillOutcome, findings: Vec<Finding>) -> DrillOutcome {
    outcome.predictions = compare(&findings, &outcome);
    outcome.preflight = findings;
    outcome
}
