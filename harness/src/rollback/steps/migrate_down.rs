//! `migrate-down`: revert the new release's migrations to the captured version. On the first
//! attempt a `kill-migrator` fault placed during migrate-down stops it after k statements.
//! A release migrated by commands runs its `down` instead (`rollback/commands.rs`).

use crate::db::MigrationSet;
use crate::rollback::drill::Drill;
use crate::rollback::error::StepError;
use crate::scenario::{Migrations, Phase};

pub async fn run(d: &mut Drill<'_>, attempt: u32) -> Result<String, StepError> {
    let to = d.scenario.to_release();
    if let Migrations::Commands(c) = &to.migrations {
        return crate::rollback::commands::down(d, c, attempt).await;
    }
    let Migrations::Folder(path) = &to.migrations else {
        return Err(StepError::NoMigrationsFolder {
            release: to.name.clone(),
        });
    };
    let set = MigrationSet::load(path)
        .await
        .map_err(StepError::Migration)?;
    let version = d.capture.migration_version;
    // The re-run after an interruption runs without the fault: it must converge.
    let stop = (attempt == 1)
        .then(|| d.faults.migrator_stop(Phase::DuringMigrateDown))
        .flatten()
        .map(|m| m.statements);
    let done = match stop {
        None => set
            .revert_to(&d.env.pool, version)
            .await
            .map_err(StepError::Migration)?,
        Some(after) => {
            let (done, stopped) = set
                .revert_stopping(&d.env.pool, version, after)
                .await
                .map_err(StepError::Migration)?;
            if stopped {
                d.migrations.extend(done);
                return Err(StepError::MigratorStopped { after });
            }
            done
        }
    };
    let detail = format!("reverted {} migration(s) to version {version}", done.len());
    d.migrations.extend(done);
    Ok(detail)
}
