//! Faults a drill injects, one file each. `inject` applies one and returns what heals it; the
//! engine schedules `heal` after the fault's duration, from a background task, so a heal holds
//! only owned handles (`HealContext`). Image faults act on run-owned tags and copies only.
//!
//! Faults on app ↔ database traffic (`latency`, `reset-connections`) need the fault proxy in
//! the path; `disk-full` needs the database's data directory on a small tmpfs: `needs` tells
//! the environment both before the drill starts.

mod app_memory_limit;
mod disk_full;
mod kill_app;
mod kill_database;
mod latency;
mod move_tag;
mod partition;
mod pause_database;
mod remove_image;
mod reset_connections;
mod restart_database;

use std::net::SocketAddr;

use crate::db::{DbError, DbTarget};
use crate::env::{DrillEnv, EnvNeeds, ProxyHandle};
use crate::runtime::{Engine, RunId, RuntimeError};
use crate::scenario::{Fault, Scenario, ScheduledFault};
use crate::traffic::Endpoint;

/// Errors of injecting or healing a fault.
#[derive(Debug, thiserror::Error)]
pub enum FaultError {
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error("{fault}: {message}")]
    Failed {
        fault: &'static str,
        message: String,
    },
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{fault}: {what}")]
    Db {
        fault: &'static str,
        what: String,
        #[source]
        source: DbError,
    },
}

/// A fault now in effect.
#[derive(Debug)]
pub struct Injected {
    /// What was done, for the timeline.
    pub what: String,
    /// What undoes it when its duration is over; None for faults that do not heal.
    pub heal: Option<HealAction>,
}

/// Owned description of how to undo a fault.
#[derive(Debug, Clone)]
pub enum HealAction {
    /// Start the killed app container again; traffic follows it only if it still pointed at
    /// `was` (a rollback may have moved traffic elsewhere meanwhile).
    StartApp {
        container: String,
        was: SocketAddr,
    },
    /// Start the killed database again and wait until it accepts connections.
    StartDatabase {
        container: String,
        target: DbTarget,
    },
    Unpause {
        container: String,
    },
    /// Attach the database to the drill network again under its alias.
    Reconnect {
        container: String,
        alias: String,
    },
    EndLatency {
        proxy: ProxyHandle,
    },
    EndResets {
        proxy: ProxyHandle,
    },
    /// Delete the files that fill the database's disk.
    RemoveFill {
        container: String,
        files: Vec<String>,
    },
    /// Lift the app's memory cap (and start it again if the cap killed it).
    RaiseMemory {
        container: String,
        was: SocketAddr,
    },
}

/// Handles a heal needs, owned so it can run in a background task.
#[derive(Clone, Debug)]
pub struct HealContext {
    pub engine: Engine,
    pub network: String,
    /// Where traffic goes; a restarted app may come back on another address.
    pub endpoint: Endpoint,
    pub app_port: u16,
    /// The drill's fault proxy, if it has one: a database that comes back on another address
    /// is followed there.
    pub proxy: Option<ProxyHandle>,
}

impl HealContext {
    /// Owned handles of `env` a background heal needs.
    pub fn of(env: &DrillEnv, s: &Scenario) -> HealContext {
        HealContext {
            engine: env.sandbox.engine().clone(),
            network: env.sandbox.network().to_string(),
            endpoint: env.endpoint.clone(),
            app_port: s.app.port,
            proxy: env.proxy.clone(),
        }
    }
}

/// The repository under which a run keeps its own tags and copies.
pub fn run_repo(run: &RunId, release: &str) -> String {
    let clean: String = release
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("rollcage-run-{run}/{clean}")
}

/// Before anything starts: give faulted releases their run-owned image references.
pub async fn prepare(env: &mut DrillEnv, s: &Scenario) -> Result<(), FaultError> {
    // Copies first: a moved tag then starts out on the copy, and removing the copy never
    // follows a tag that has moved to another image.
    let mut faults: Vec<&ScheduledFault> = s.faults.iter().collect();
    faults.sort_by_key(|f| !matches!(f.fault, Fault::RemoveImage { .. }));
    for f in faults {
        match &f.fault {
            Fault::MoveTag { release, .. } => move_tag::prepare(env, release).await?,
            Fault::RemoveImage { release } => remove_image::prepare(env, release).await?,
            _ => {}
        }
    }
    Ok(())
}

/// Injects one fault.
pub async fn inject(env: &mut DrillEnv, f: &ScheduledFault) -> Result<Injected, FaultError> {
    let (what, heal) = match &f.fault {
        Fault::MoveTag { release, to } => (move_tag::inject(env, release, to).await?, None),
        Fault::RemoveImage { release } => (remove_image::inject(env, release).await?, None),
        // Stopping the migrator is done by the migration runner itself (see rollback/).
        Fault::KillMigrator { after_statements } => {
            let what = format!("migrator stopped after {after_statements} statement(s)");
            (what, None)
        }
        Fault::RestartDatabase => (restart_database::inject(env).await?, None),
        Fault::KillApp => some(kill_app::inject(env).await?),
        Fault::KillDatabase => some(kill_database::inject(env).await?),
        Fault::PauseDatabase => some(pause_database::inject(env).await?),
        Fault::Partition => some(partition::inject(env).await?),
        Fault::Latency { delay } => some(latency::inject(env, *delay)?),
        Fault::ResetConnections => some(reset_connections::inject(env)?),
        Fault::DiskFull => some(disk_full::inject(env).await?),
        Fault::AppMemoryLimit { megabytes } => {
            some(app_memory_limit::inject(env, *megabytes).await?)
        }
    };
    Ok(Injected { what, heal })
}

fn some((what, heal): (String, HealAction)) -> (String, Option<HealAction>) {
    (what, Some(heal))
}

/// Undoes a fault; returns what was done, for the timeline.
pub async fn heal(ctx: &HealContext, action: HealAction) -> Result<String, FaultError> {
    match action {
        HealAction::StartApp { container, was } => kill_app::heal(ctx, &container, was).await,
        HealAction::StartDatabase { container, target } => {
            kill_database::heal(ctx, &container, target).await
        }
        HealAction::Unpause { container } => pause_database::heal(ctx, &container).await,
        HealAction::Reconnect { container, alias } => {
            partition::heal(ctx, &container, &alias).await
        }
        HealAction::EndLatency { proxy } => Ok(latency::heal(&proxy)),
        HealAction::EndResets { proxy } => Ok(reset_connections::heal(&proxy)),
        HealAction::RemoveFill { container, files } => {
            disk_full::heal(ctx, &container, &files).await
        }
        HealAction::RaiseMemory { container, was } => {
            app_memory_limit::heal(ctx, &container, was).await
        }
    }
}

/// What the scenario's faults need from the environment, before it starts.
pub fn needs(s: &Scenario) -> EnvNeeds {
    EnvNeeds {
        proxy: s
            .faults
            .iter()
            .any(|f| matches!(f.fault, Fault::Latency { .. } | Fault::ResetConnections)),
        disk_tmpfs: s.faults.iter().any(|f| f.fault == Fault::DiskFull),
    }
}

/// The drill's proxy, for faults that cannot act without it.
fn require_proxy(env: &DrillEnv, fault: &'static str) -> Result<ProxyHandle, FaultError> {
    env.proxy.clone().ok_or_else(|| FaultError::Failed {
        fault,
        message: "the drill has no fault proxy (faults::needs decides when it needs one)".into(),
    })
}
