//! The drill engine: `execute` sets up the environment, deploys under traffic, waits for the
//! rollback decision, runs the rollback steps in the scenario's order, runs the oracles and
//! returns a `DrillOutcome`, emitting each `DrillEvent` as it happens. Everything it starts is
//! removed before it returns.

mod attribute;
mod checks;
mod commands;
mod deploy;
mod drill;
mod drive;
mod emit;
mod error;
mod judge;
mod observe;
mod quiet;
mod schedule;
mod snapshot;
mod steps;
mod trigger;
mod warm;

use std::time::Instant;

pub use error::DrillError;
pub use warm::{execute_warm, WarmEnv};

use emit::Emitter;

use crate::env::DrillEnv;
use crate::events::DrillEvent;
use crate::faults;
use crate::outcome::DrillOutcome;
use crate::runtime::Engine;
use crate::scenario::Scenario;

/// Runs one drill of `scenario`, handing each of its events to `on_event` as it happens, and
/// removes everything it started, whatever happens. Preflight is the runner's business: the
/// outcome's predictions are left empty here.
pub async fn execute_with(
    engine: &Engine,
    scenario: &Scenario,
    on_event: impl FnMut(DrillEvent) + Send,
) -> Result<DrillOutcome, DrillError> {
    let emit = Emitter::new(Instant::now(), on_event);
    let mut env = DrillEnv::start(engine, scenario, faults::needs(scenario)).await?;
    let result = drive::drive(&mut env, scenario, emit).await;
    let torn_down = env.teardown().await;
    let outcome = result?;
    torn_down?;
    Ok(outcome)
}
