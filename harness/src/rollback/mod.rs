//! The drill engine: `execute` sets up the environment, deploys under traffic, waits for the
//! rollback decision, runs the rollback steps in the scenario's order, runs the oracles and
//! returns a `DrillOutcome`. Everything it starts is removed before it returns.

mod drive;
mod judge;
mod schedule;
mod snapshot;
mod steps;
mod trigger;
mod warm;

use std::time::Instant;

pub use trigger::{holding, Decision};
pub use warm::{can_share, execute_warm, WarmEnv};

use crate::db::DbError;
use crate::env::{DrillEnv, EnvError};
use crate::faults;
use crate::outcome::DrillOutcome;
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
    Env(#[from] EnvError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Fault(#[from] crate::faults::FaultError),
    #[error("{0}")]
    Setup(String),
}

/// Runs one drill of `scenario` and removes everything it started, whatever happens.
/// Preflight is the runner's business: the outcome's predictions are left empty here.
pub async fn execute(engine: &Engine, scenario: &Scenario) -> Result<DrillOutcome, DrillError> {
    let mut timeline = Timeline::new(Instant::now());
    let mut env = DrillEnv::start(engine, scenario, faults::needs(scenario)).await?;
    let result = drive::drive(&mut env, scenario, &mut timeline).await;
    let torn_down = env.teardown().await;
    let outcome = result?;
    torn_down?;
    Ok(outcome)
}
