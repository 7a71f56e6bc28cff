//! The deploy phase: migrate up to the new release (where a `kill-migrator` fault may stop
//! it, failing the deploy) and switch traffic to it.

use std::time::Instant;

use super::commands;
use super::drill::Drill;
use super::DrillError;
use crate::db::{applied_version, MigrationSet, MigrationStep};
use crate::env::DrillEnv;
use crate::faults::MigratorStop;
use crate::scenario::{Migrations, Phase, Release, Scenario};
use crate::timeline::EventKind;
use crate::vocab::{chain, human};

/// The deploy as it went: when it started, when the new release served (or the failed deploy
/// ended), and why it failed, if it did.
pub struct Deploy {
    pub start: Instant,
    pub serving_since: Instant,
    pub failed: Option<String>,
}

/// Migrates up to the new release and switches to it. A migrator that died means a failed
/// deploy: the new release is not started, and the decision to roll back is immediate; so
/// does a new release whose process died before it was healthy.
pub async fn deploy(d: &mut Drill<'_>) -> Result<Deploy, DrillError> {
    let (from, to) = (d.scenario.from_release(), d.scenario.to_release());
    let start = Instant::now();
    let what = format!("{} -> {}", from.name, to.name);
    d.emit.milestone_at(start, EventKind::DeployStarted, what);
    d.enter(Phase::DuringMigrateUp).await?;
    let stop = d.faults.migrator_stop(Phase::DuringMigrateUp);
    let (steps, mut failed) = migrate_up(d.env, d.scenario, to, stop).await?;
    d.migrations.extend(steps);
    match &failed {
        Some(why) => d.emit.milestone(EventKind::Fault, why),
        None => {
            let what = match d.migrations.last().filter(|m| m.command.is_some()) {
                Some(m) => format!(
                    "{} migrated: `{}` took {}",
                    to.name,
                    m.description,
                    human(m.took)
                ),
                None => {
                    let version = applied_version(&d.env.pool).await?;
                    format!("{} at version {version}", to.name)
                }
            };
            d.emit.milestone(EventKind::MigrationsApplied, what);
        }
    }
    d.enter(Phase::AfterMigrateUp).await?;
    if failed.is_none() {
        failed = switch_to_new(d).await?;
    }
    let serving_since = Instant::now();
    d.enter(Phase::AfterDeploy).await?;
    Ok(Deploy {
        start,
        serving_since,
        failed,
    })
}

/// Starts the new release and cuts traffic over to it, healthy or not: a release that never
/// gets healthy is what the trigger is there to catch. One whose process died cannot take
/// traffic at all: the deploy failed (Some(why)), the previous release keeps serving, and the
/// decision to roll back is immediate.
async fn switch_to_new(d: &mut Drill<'_>) -> Result<Option<String>, DrillError> {
    let (s, to) = (d.scenario, d.scenario.to_release());
    let image = d.env.images[&to.name].clone();
    let launched = d.env.launch(s, to, &image, false).await?;
    let c = match launched.container {
        Ok(c) => c,
        Err(exited) => {
            let what = chain(&exited);
            d.emit.milestone(EventKind::NewReleaseHealthy, what);
            return Ok(Some(format!("deploy failed: {exited}")));
        }
    };
    match launched.probe.healthy_at {
        Some(at) => d
            .emit
            .milestone_at(at, EventKind::NewReleaseHealthy, &to.name),
        None => d.emit.milestone(
            EventKind::NewReleaseHealthy,
            format!("{} NEVER healthy: {}", to.name, launched.probe.last_answer),
        ),
    }
    d.env.cut_over(s, c, &to.name).await?;
    Ok(None)
}

/// Migrates up to `release`: its sqlx folder or its `up` command. Ok carries the steps and,
/// when a `kill-migrator` fault (`stop`) stopped the migrator, why the deploy failed.
pub async fn migrate_up(
    env: &DrillEnv,
    s: &Scenario,
    release: &Release,
    stop: Option<MigratorStop>,
) -> Result<(Vec<MigrationStep>, Option<String>), DrillError> {
    let path = match &release.migrations {
        Migrations::Folder(path) => path,
        Migrations::Commands(c) => return commands::up(env, s, (release, c), stop).await,
        Migrations::None | Migrations::SelfManaged => return Ok((Vec::new(), None)),
    };
    let set = MigrationSet::load(path).await?;
    let Some(k) = stop.map(|m| m.statements) else {
        return Ok((set.apply(&env.pool).await?, None));
    };
    let (steps, stopped) = set.apply_stopping(&env.pool, k).await?;
    let why = format!("deploy failed: the migrator stopped after {k} statement(s)");
    Ok((steps, stopped.then_some(why)))
}
