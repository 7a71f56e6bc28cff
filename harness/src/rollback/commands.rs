//! Command migrations in the drill: a release's `up` (bringing the previous release up, and
//! the deploy, where `kill-migrator` may kill it), its `version` (recorded once the previous
//! release is migrated: what a migrate-down returns to), and the deployed release's `down`
//! (the migrate-down step). Each command's run is kept as a `MigrationStep` with its duration.

use super::drill::Drill;
use super::error::StepError;
use super::DrillError;
use crate::db::MigrationStep;
use crate::env::{CommandRun, DrillEnv, MigratorError};
use crate::faults::MigratorStop;
use crate::scenario::{MigrationCommands, Phase, Release, Scenario};
use crate::vocab::human;

/// Runs `release`'s `up`; Ok(Some(why)) when a `kill-migrator` fault killed it (a failed
/// deploy), an error when it could not start or failed (the scenario's environment is wrong,
/// as for a sqlx migration that fails).
pub async fn up(
    env: &DrillEnv,
    s: &Scenario,
    (release, c): (&Release, &MigrationCommands),
    stop: Option<MigratorStop>,
) -> Result<(Vec<MigrationStep>, Option<String>), DrillError> {
    let kill = stop.map(|m| m.after);
    match env
        .run_migration(s, (release, c), &c.up, ("", ""), kill)
        .await
    {
        Ok(run) => Ok((vec![step("up", run)], None)),
        Err(e @ MigratorError::Killed { .. }) => Ok((
            Vec::new(),
            Some(format!("deploy failed: {}", crate::vocab::chain(&e))),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The version `release`'s `version` command prints now, with its step; None without one.
pub async fn version(
    env: &DrillEnv,
    s: &Scenario,
    (release, c): (&Release, &MigrationCommands),
) -> Result<Option<(String, MigrationStep)>, DrillError> {
    if c.version.is_empty() {
        return Ok(None);
    }
    let run = env
        .run_migration(s, (release, c), &c.version, ("", ""), None)
        .await?;
    let Some(version) = run.version() else {
        return Err(MigratorError::NoVersion {
            command: run.record.command,
            output: run.record.output,
        }
        .into());
    };
    Ok(Some((version, step("version", run))))
}

/// The migrate-down step for a release migrated by commands: its `down`, with
/// `{target.release}` the release rolled back to and `{target.version}` the version that
/// release's `version` command printed. On the first attempt a `kill-migrator` fault placed
/// during migrate-down kills it.
pub async fn down(
    d: &mut Drill<'_>,
    c: &MigrationCommands,
    attempt: u32,
) -> Result<String, StepError> {
    let (s, to, from) = (
        d.scenario,
        d.scenario.to_release(),
        d.scenario.from_release(),
    );
    let version = d.capture.tool_version.clone();
    let needs_version = c.down.iter().any(|w| w.contains("{target.version}"));
    if needs_version && version.is_none() {
        let release = from.name.clone();
        return Err(StepError::Command(MigratorError::NoVersionCommand {
            release,
        }));
    }
    // The re-run after an interruption runs without the fault: it must converge.
    let kill = (attempt == 1)
        .then(|| d.faults.migrator_stop(Phase::DuringMigrateDown))
        .flatten()
        .map(|m| m.after);
    let target = (from.name.as_str(), version.as_deref().unwrap_or(""));
    let run = d
        .env
        .run_migration(s, (to, c), &c.down, target, kill)
        .await
        .map_err(StepError::Command)?;
    let detail = detail(&run);
    d.migrations.push(step("down", run));
    Ok(detail)
}

fn step(direction: &'static str, run: CommandRun) -> MigrationStep {
    MigrationStep::by_command(direction, run.record, run.took)
}

/// `ran `cmd` in 1.2s (exit 0); last output: ...`.
fn detail(run: &CommandRun) -> String {
    let last = run
        .record
        .output
        .last()
        .map(|l| format!("; last output: {l}"))
        .unwrap_or_default();
    format!(
        "ran `{}` in {} (exit 0){last}",
        run.record.command,
        human(run.took)
    )
}
