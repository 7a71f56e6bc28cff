//! The rollback steps, run in the order the scenario gives and each recorded with its
//! duration. One file per step; `run` is the table from `Step` to the step's code. A rollback
//! the migrator's death interrupted is run again from the start.

mod flags_off;
mod migrate_down;
mod restore_snapshot;
mod switch_code;

use std::time::Instant;

use super::drill::Drill;
use super::error::{StepError, StepFailed};
use super::DrillError;
use crate::events::DrillEventKind;
use crate::outcome::{StepCause, StepRecord};
use crate::scenario::{Phase, Step};
use crate::vocab::chain;

/// Runs one step of the rollback's `attempt` (1, or 2 for the re-run). Ok carries what the
/// step did, for people.
async fn run(step: Step, d: &mut Drill<'_>, attempt: u32) -> Result<String, StepError> {
    match step {
        Step::SwitchCode => switch_code::run(d).await,
        Step::FlagsOff => flags_off::run(d).await,
        Step::MigrateDown => migrate_down::run(d, attempt).await,
        Step::RestoreSnapshot => restore_snapshot::run(d).await,
    }
}

/// The phase entered just before a step's first attempt, where faults on it are placed.
fn phase_of(step: Step) -> Option<Phase> {
    match step {
        Step::SwitchCode => Some(Phase::WhilePreviousStarts),
        Step::MigrateDown => Some(Phase::DuringMigrateDown),
        Step::FlagsOff | Step::RestoreSnapshot => None,
    }
}

/// How the rollback ended: Err when a step could not complete, and the failure that
/// interrupted the first attempt, when one did and the steps were run again.
pub struct RolledBack {
    pub result: Result<(), StepFailed>,
    pub interrupted: Option<StepFailed>,
}

/// Runs the rollback steps in order. A rollback the migrator's death interrupted is run again
/// from the start (without the fault): it must converge, which the oracles then check.
pub async fn roll_back(d: &mut Drill<'_>) -> Result<RolledBack, DrillError> {
    match attempt(d, 1).await? {
        Err(stopped) if stopped.source.cause() == StepCause::MigratorStopped => Ok(RolledBack {
            result: attempt(d, 2).await?,
            interrupted: Some(stopped),
        }),
        result => Ok(RolledBack {
            result,
            interrupted: None,
        }),
    }
}

/// One pass over the steps; Ok(Err(_)) when a step could not complete.
async fn attempt(d: &mut Drill<'_>, attempt: u32) -> Result<Result<(), StepFailed>, DrillError> {
    for &step in &d.scenario.rollback.steps {
        if attempt == 1 {
            if let Some(phase) = phase_of(step) {
                d.enter(phase).await?;
            }
        }
        let started = Instant::now();
        d.emit
            .at(started, DrillEventKind::StepStarted { step, attempt });
        let result = run(step, d, attempt).await;
        let record = StepRecord {
            step,
            at: started.saturating_duration_since(d.emit.origin()),
            took: started.elapsed(),
            ok: result.is_ok(),
            detail: StepRecord::detail_for(attempt, detail(&result)),
            attempt,
            cause: result.as_ref().err().map(StepError::cause),
        };
        d.records.push(record.clone());
        d.emit.now(DrillEventKind::StepFinished(record));
        if let Err(source) = result {
            return Ok(Err(StepFailed { step, source }));
        }
    }
    Ok(Ok(()))
}

/// What a step did or why it could not, for people.
fn detail(result: &Result<String, StepError>) -> String {
    match result {
        Ok(done) => done.clone(),
        Err(e) => chain(e),
    }
}
