//! The rollback steps, each run in the order the scenario gives and recorded with its
//! duration: switch code back, turn flags off, migrate down, restore the snapshot.

use std::time::{Duration, Instant};

use super::schedule::FaultSchedule;
use super::{snapshot, DrillError};
use crate::db::{MigrationSet, MigrationStep};
use crate::env::DrillEnv;
use crate::outcome::StepRecord;
use crate::runtime::RuntimeError;
use crate::scenario::{ImageRef, Migrations, Phase, Scenario, Step};
use crate::timeline::{EventKind, Timeline};
use crate::traffic::Probe;
use crate::vocab::chain;

/// What the steps leave behind for the oracles.
#[derive(Debug, Default, Clone)]
pub struct StepEffects {
    /// The previous release's health probe after the code switch.
    pub previous_probe: Option<Probe>,
    /// Previous release's container start → first healthy probe.
    pub time_to_healthy: Option<Duration>,
    pub migrations: Vec<MigrationStep>,
    /// The last step failed because the migrator was stopped (a fault), not on its own.
    pub interrupted: bool,
}

/// Inputs the steps need from before the deploy.
pub struct StepInputs<'a> {
    pub scenario: &'a Scenario,
    /// Image id the previous release ran before the deploy.
    pub captured_image: &'a str,
    /// Migration version before the deploy.
    pub captured_version: i64,
}

/// Runs one step. Err carries the message of a step that could not complete.
pub async fn run_step(
    step: Step,
    env: &mut DrillEnv,
    inputs: &StepInputs<'_>,
    timeline: &mut Timeline,
    effects: &mut StepEffects,
    stop_migrator_after: Option<u32>,
) -> Result<String, String> {
    let s = inputs.scenario;
    match step {
        Step::SwitchCode => {
            let from = s.from_release();
            let image = match s.rollback.image_ref {
                ImageRef::Digest => inputs.captured_image.to_string(),
                ImageRef::Tag => env.images[&from.name].clone(),
            };
            let (c, started, probe) = env
                .launch(s, from, &image, false)
                .await
                .map_err(|e| artifact(e, &image))?;
            timeline.record_at(
                started,
                EventKind::ReleaseStarted,
                format!("{} process started", from.name),
            );
            if let Some(at) = probe.healthy_at {
                timeline.record_at(
                    at,
                    EventKind::FirstHealthyProbe,
                    format!("{} healthy", from.name),
                );
                effects.time_to_healthy = Some(at.duration_since(started));
            }
            let healthy = probe.healthy_at.is_some();
            let detail = format!(
                "{} started from {image}{}",
                from.name,
                if healthy { "" } else { " (never healthy)" }
            );
            effects.previous_probe = Some(probe);
            env.cut_over(s, c, &from.name)
                .await
                .map_err(|e| e.to_string())?;
            Ok(detail)
        }
        Step::FlagsOff => {
            let to = s.to_release();
            if to.flags.is_empty() {
                return Ok(format!("{} has no flags", to.name));
            }
            let image = env
                .app
                .as_ref()
                .map(|(c, _)| c.image_id.clone())
                .unwrap_or_else(|| env.images[&to.name].clone());
            let (c, _, probe) = env
                .launch(s, to, &image, true)
                .await
                .map_err(|e| artifact(e, &image))?;
            let names: Vec<_> = to.flags.keys().cloned().collect();
            let healthy = if probe.healthy_at.is_some() {
                ""
            } else {
                " (never healthy)"
            };
            env.cut_over(s, c, &to.name)
                .await
                .map_err(|e| e.to_string())?;
            Ok(format!(
                "{} restarted without {}{healthy}",
                to.name,
                names.join(", ")
            ))
        }
        Step::MigrateDown => {
            let to = s.to_release();
            let Migrations::Folder(path) = &to.migrations else {
                return Err(format!(
                    "{} has no migrations folder to migrate down with",
                    to.name
                ));
            };
            let set = MigrationSet::load(path).await.map_err(|e| chain(&e))?;
            let done = match stop_migrator_after {
                None => set
                    .revert_to(&env.pool, inputs.captured_version)
                    .await
                    .map_err(|e| chain(&e))?,
                Some(k) => {
                    let (done, stopped) = set
                        .revert_stopping(&env.pool, inputs.captured_version, k)
                        .await
                        .map_err(|e| chain(&e))?;
                    if stopped {
                        effects.interrupted = true;
                        effects.migrations.extend(done);
                        return Err(format!("the migrator stopped after {k} statement(s)"));
                    }
                    done
                }
            };
            let detail = format!(
                "reverted {} migration(s) to version {}",
                done.len(),
                inputs.captured_version
            );
            effects.migrations.extend(done);
            Ok(detail)
        }
        Step::RestoreSnapshot => {
            let started = Instant::now();
            snapshot::restore(env).await.map_err(|e| chain(&e))?;
            Ok(format!(
                "database restored from the pre-deploy snapshot in {:?}",
                started.elapsed()
            ))
        }
    }
}

fn artifact(e: RuntimeError, image: &str) -> String {
    match e {
        RuntimeError::ImageMissing { .. } => {
            format!("artifact missing: image {image} is not on this machine, so the previous release cannot be started")
        }
        other => chain(&other),
    }
}

/// How the rollback ended: Err(why) when a step could not complete, and the interruption that
/// made it run a second time, if one did.
pub(super) struct RolledBack {
    pub result: Result<(), String>,
    pub interrupted: Option<String>,
}

/// Runs the rollback steps in order. A rollback the migrator's death interrupted is run again
/// from the start (without the fault): it must converge, which the oracles then check.
pub(super) async fn roll_back(
    env: &mut DrillEnv,
    inputs: &StepInputs<'_>,
    faults: &mut FaultSchedule,
    tl: &mut Timeline,
    effects: &mut StepEffects,
    records: &mut Vec<StepRecord>,
) -> Result<RolledBack, DrillError> {
    let first = attempt(env, inputs, faults, tl, effects, records, true).await?;
    match first {
        Err(why) if effects.interrupted => {
            effects.interrupted = false;
            let result = attempt(env, inputs, faults, tl, effects, records, false).await?;
            Ok(RolledBack {
                result,
                interrupted: Some(why),
            })
        }
        result => Ok(RolledBack {
            result,
            interrupted: None,
        }),
    }
}

/// One pass over the steps; Ok(Err(why)) when a step could not complete.
async fn attempt(
    env: &mut DrillEnv,
    inputs: &StepInputs<'_>,
    faults: &mut FaultSchedule,
    tl: &mut Timeline,
    effects: &mut StepEffects,
    records: &mut Vec<StepRecord>,
    first_attempt: bool,
) -> Result<Result<(), String>, DrillError> {
    for step in &inputs.scenario.rollback.steps {
        let name = *step;
        let mut stop = None;
        if first_attempt {
            match step {
                Step::MigrateDown => {
                    faults.at(env, Phase::DuringMigrateDown, tl).await?;
                    stop = faults.migrator_stop(Phase::DuringMigrateDown);
                }
                Step::SwitchCode => faults.at(env, Phase::WhilePreviousStarts, tl).await?,
                _ => {}
            }
        }
        let started = Instant::now();
        let attempt = if first_attempt { "" } else { " (re-run)" };
        tl.record_at(started, EventKind::StepStarted, format!("{name}{attempt}"));
        let result = run_step(*step, env, inputs, tl, effects, stop).await;
        let took = started.elapsed();
        let (ok, detail) = match result {
            Ok(d) => (true, d),
            Err(d) => (false, d),
        };
        let kind = if ok {
            EventKind::StepFinished
        } else {
            EventKind::StepFailed
        };
        tl.record(kind, format!("{name}{attempt}: {detail}"));
        records.push(StepRecord {
            step: name,
            at: started.saturating_duration_since(tl.origin()),
            took,
            ok,
            detail: if first_attempt {
                detail.clone()
            } else {
                format!("(re-run) {detail}")
            },
            attempt: if first_attempt { 1 } else { 2 },
        });
        if !ok {
            return Ok(Err(format!("step {name} failed: {detail}")));
        }
    }
    Ok(Ok(()))
}
