//! What one fault kind implements (`Kind`): its spec for scenario files, its generation for
//! `rollcage explore`, and its prepare, inject and heal. A heal is a boxed per-kind value
//! (`Heal`), owned, so it can run from a background task.

use std::fmt;

use futures_util::future::BoxFuture;

use super::{FaultError, HealContext};
use crate::env::{DrillEnv, EnvNeeds};
use crate::scenario::{FaultParams, FaultSpec, Phase, Scenario};

/// One fault kind. Each lives in its own file under `faults/` and is listed once in the
/// registry (`faults::KINDS`).
pub trait Kind: Sync {
    /// What a scenario file may say about it (keys, placement, plan text).
    fn spec(&self) -> &'static FaultSpec;

    /// For `rollcage explore`: the parameters a generated `choice` (0..4) stands for, in
    /// scenario `s`. Kinds without keys take none.
    fn generate(&self, _s: &Scenario, _choice: u32) -> FaultParams {
        FaultParams::default()
    }

    /// For `rollcage explore`: where a fault drawn at `at` goes, so it can act. By default a
    /// phase the rollback never reaches becomes the moment before the rollback.
    fn place(&self, at: Phase, migrates_down: bool) -> Phase {
        if at == Phase::DuringMigrateDown && !migrates_down {
            Phase::BeforeRollback
        } else {
            at
        }
    }

    /// What the drill environment must provide before it starts.
    fn needs(&self) -> EnvNeeds {
        EnvNeeds::default()
    }

    /// Kinds prepare in ascending rank (before anything starts).
    fn prepare_rank(&self) -> u8 {
        1
    }

    /// Before anything starts (run-owned image references, say).
    fn prepare<'a>(
        &'a self,
        _env: &'a mut DrillEnv,
        _p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<(), FaultError>> {
        Box::pin(async { Ok(()) })
    }

    /// Puts the fault in effect.
    fn inject<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>>;

    /// The injection itself is an outage (the kind does its harm and recovers inside
    /// `inject`), so its span counts as disruptive.
    fn disrupts_while_injecting(&self) -> bool {
        false
    }

    /// How the migration runner stops the migrator, for kinds the migration runner applies
    /// itself instead of `inject`.
    fn migrator_stop(&self, _p: &FaultParams) -> Option<MigratorStop> {
        None
    }
}

/// How a migrator dies: sqlx migrations after a number of statements, command migrations
/// (a container) a time after it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MigratorStop {
    /// Statements a sqlx migrator completes before it is stopped.
    pub statements: u32,
    /// How long after its start a migration command's container is killed.
    pub after: std::time::Duration,
}

/// A fault now in effect.
#[derive(Debug)]
pub struct Injected {
    /// What was done, for the timeline.
    pub what: String,
    /// What undoes it when its duration is over; None for faults that do not heal.
    pub heal: Option<HealAction>,
}

impl Injected {
    /// A fault that does not heal.
    pub fn done(what: String) -> Injected {
        Injected { what, heal: None }
    }

    /// A fault undone by `heal`.
    pub fn healed_by(what: String, heal: impl Heal + 'static) -> Injected {
        Injected {
            what,
            heal: Some(HealAction(Box::new(heal))),
        }
    }
}

/// How a kind undoes its fault: owned handles only, consumed by the heal.
pub trait Heal: Send + Sync + fmt::Debug {
    /// Undoes the fault; returns what was done, for the timeline.
    fn heal(self: Box<Self>, ctx: &HealContext) -> BoxFuture<'_, Result<String, FaultError>>;
}

/// Owned description of how to undo a fault.
#[derive(Debug)]
pub struct HealAction(pub(super) Box<dyn Heal>);
