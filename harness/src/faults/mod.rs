//! Faults a drill injects, one kind per file: each holds its spec (the keys a scenario file
//! gives it, where it may be placed, its plan text), its generation for `rollcage explore`,
//! and its prepare, inject and heal (`Kind`). `KINDS` lists them; `Registry` hands their
//! specs to the scenario loaders.
//!
//! `inject` applies one fault and returns what heals it; the engine schedules `heal` after the
//! fault's duration, from a background task, so a heal holds only owned handles
//! (`HealContext`). Image faults act on run-owned tags and copies only. `needs` tells the
//! environment what the scenario's faults need (a fault proxy, a tmpfs) before it starts.

mod app_memory_limit;
mod disk_full;
mod kill_app;
mod kill_database;
mod kill_migrator;
mod kind;
mod latency;
mod move_tag;
mod partition;
mod pause_database;
mod remove_image;
mod reset_connections;
mod restart_database;

use std::sync::LazyLock;

pub use kind::{Heal, HealAction, Injected, Kind, MigratorStop};

use crate::db::DbError;
use crate::env::{DrillEnv, EnvNeeds, ProxyHandle};
use crate::runtime::{Engine, RunId, RuntimeError};
use crate::scenario::{Fault, FaultCatalog, FaultSpec, Scenario, ScheduledFault};
use crate::traffic::Endpoint;
use crate::vocab::FaultKind;

/// Every fault kind, in the order authors see them listed. Adding a kind: its file, its name
/// in `vocab/table.rs`, its `mod` line above and one line here (a macro declaring both would
/// hide the kind files from rustfmt).
static KINDS: &[&dyn Kind] = &[
    &move_tag::MoveTag,
    &remove_image::RemoveImage,
    &kill_app::KillApp,
    &kill_database::KillDatabase,
    &restart_database::RestartDatabase,
    &pause_database::PauseDatabase,
    &partition::Partition,
    &latency::Latency,
    &reset_connections::ResetConnections,
    &kill_migrator::KillMigrator,
    &disk_full::DiskFull,
    &app_memory_limit::AppMemoryLimit,
];

/// The registered kinds as a catalog scenario files are read against.
pub struct Registry;

impl FaultCatalog for Registry {
    fn specs() -> &'static [&'static FaultSpec] {
        static SPECS: LazyLock<Vec<&'static FaultSpec>> =
            LazyLock::new(|| KINDS.iter().map(|k| k.spec()).collect());
        &SPECS
    }
}

/// A fault kind the registry does not hold.
#[derive(Debug, thiserror::Error)]
#[error("fault kind `{kind}` is not registered in faults::KINDS")]
pub struct UnknownKind {
    pub kind: FaultKind,
}

/// The implementation of `kind`.
pub fn kind(kind: FaultKind) -> Result<&'static dyn Kind, UnknownKind> {
    KINDS
        .iter()
        .copied()
        .find(|k| k.spec().kind == kind)
        .ok_or(UnknownKind { kind })
}

/// Errors of injecting or healing a fault.
#[derive(Debug, thiserror::Error)]
pub enum FaultError {
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error(transparent)]
    Unknown(#[from] UnknownKind),
    #[error("{fault}: {message}")]
    Failed { fault: FaultKind, message: String },
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{fault}: {what}")]
    Db {
        fault: FaultKind,
        what: String,
        #[source]
        source: DbError,
    },
}

/// Handles a heal needs, owned so it can run in a background task.
#[derive(Clone, Debug)]
pub struct HealContext {
    /// The engine connection, to act on containers by name.
    pub engine: Engine,
    /// Name of the sandbox's network.
    pub network: String,
    /// Where traffic goes; a restarted app may come back on another address.
    pub endpoint: Endpoint,
    /// The port the app listens on inside its container.
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

/// Before anything starts: each fault kind prepares (image faults give their releases
/// run-owned image references), in the kinds' prepare order.
pub async fn prepare(env: &mut DrillEnv, s: &Scenario) -> Result<(), FaultError> {
    let mut faults = Vec::new();
    for f in &s.faults {
        faults.push((kind(f.fault.kind)?, &f.fault));
    }
    faults.sort_by_key(|(k, _)| k.prepare_rank());
    for (k, f) in faults {
        k.prepare(env, &f.params).await?;
    }
    Ok(())
}

/// Injects one fault.
pub async fn inject(env: &mut DrillEnv, f: &ScheduledFault) -> Result<Injected, FaultError> {
    kind(f.fault.kind)?.inject(env, &f.fault.params).await
}

/// Undoes a fault; returns what was done, for the timeline.
pub async fn heal(ctx: &HealContext, action: HealAction) -> Result<String, FaultError> {
    action.0.heal(ctx).await
}

/// What the scenario's faults need from the environment, before it starts. A kind the
/// registry does not hold needs nothing; `inject` refuses it.
pub fn needs(s: &Scenario) -> EnvNeeds {
    let each = s.faults.iter().filter_map(|f| kind(f.fault.kind).ok());
    each.map(|k| k.needs())
        .fold(EnvNeeds::default(), |a, b| EnvNeeds {
            proxy: a.proxy || b.proxy,
            disk_tmpfs: a.disk_tmpfs || b.disk_tmpfs,
        })
}

/// Whether `f` lasts for a duration and then heals.
pub fn heals(f: &Fault) -> bool {
    kind(f.kind).is_ok_and(|k| k.spec().heals)
}

/// Whether `f` stops the database server.
pub fn restarts_database(f: &Fault) -> bool {
    kind(f.kind).is_ok_and(|k| k.spec().restarts_database)
}

/// Whether injecting `f` is itself an outage (its span counts as disruptive).
pub fn disrupts_while_injecting(f: &Fault) -> bool {
    kind(f.kind).is_ok_and(|k| k.disrupts_while_injecting())
}

/// How the migration runner stops the migrator, if `f` is a fault the migration runner
/// applies itself.
pub fn migrator_stop(f: &Fault) -> Option<MigratorStop> {
    kind(f.kind).ok()?.migrator_stop(&f.params)
}

/// The drill's proxy, for faults that cannot act without it.
fn require_proxy(env: &DrillEnv, fault: FaultKind) -> Result<ProxyHandle, FaultError> {
    env.proxy.clone().ok_or_else(|| FaultError::Failed {
        fault,
        message: "the drill has no fault proxy (faults::needs decides when it needs one)".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::catalog::fault_keys;

    /// A kind named in the vocabulary but missing here would be refused by every scenario.
    #[test]
    fn every_kind_is_registered_once_in_vocabulary_order() {
        let registered: Vec<FaultKind> = KINDS.iter().map(|k| k.spec().kind).collect();
        assert_eq!(registered, FaultKind::ALL);
    }

    /// A `[[fault]]` key is read with one type, whichever kind it is for.
    #[test]
    fn keys_shared_between_kinds_have_one_type() {
        let keys = fault_keys(Registry::specs());
        for spec in Registry::specs() {
            for p in spec.params {
                let (_, ty) = keys.iter().find(|(k, _)| *k == p.name).unwrap();
                let same = std::mem::discriminant(&ty.unwrap()) == std::mem::discriminant(&p.ty);
                assert!(same, "{}: `{}`", spec.kind, p.name);
            }
        }
    }
}
