//! Fault `kill-migrator`: the migrator dies after a number of statements (a deploy job
//! evicted mid-migration), leaving the schema part-migrated. The migration runner applies it
//! itself (see `rollback/`), so it acts only while a migrator runs; it does not heal.

use futures_util::future::BoxFuture;

use super::{FaultError, Injected, Kind};
use crate::env::DrillEnv;
use crate::scenario::{FaultParams, FaultSpec, Param, ParamType, ParamValue, Phase, Scenario};
use crate::vocab::FaultKind;

/// Statements the migrator completes before it is stopped.
const AFTER_STATEMENTS: Param = Param {
    name: "after-statements",
    ty: ParamType::Count {
        default: 0,
        at_least: None,
    },
};

static SPEC: FaultSpec = FaultSpec::new(FaultKind::KillMigrator, plan)
    .params(&[AFTER_STATEMENTS])
    .acts_at(
        &[Phase::DuringMigrateUp, Phase::DuringMigrateDown],
        "{kind} acts while a migrator runs",
    );

fn plan(p: &FaultParams) -> String {
    let n = AFTER_STATEMENTS.count(p);
    format!("stop the migrator after {n} statement(s)")
}

pub struct KillMigrator;

impl Kind for KillMigrator {
    fn spec(&self) -> &'static FaultSpec {
        &SPEC
    }

    /// 0 to 3 statements.
    fn generate(&self, _s: &Scenario, choice: u32) -> FaultParams {
        let mut p = FaultParams::default();
        AFTER_STATEMENTS.set(&mut p, ParamValue::Count(choice));
        p
    }

    /// The migrator only dies while it runs: down during the rollback when it migrates down,
    /// up otherwise.
    fn place(&self, at: Phase, migrates_down: bool) -> Phase {
        if at >= Phase::BeforeRollback && migrates_down {
            Phase::DuringMigrateDown
        } else {
            Phase::DuringMigrateUp
        }
    }

    /// Nothing to do here: the migration runner stops the migrator (`migrator_stop`).
    fn inject<'a>(
        &'a self,
        _env: &'a mut DrillEnv,
        p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>> {
        let n = AFTER_STATEMENTS.count(p);
        let what = format!("migrator stopped after {n} statement(s)");
        Box::pin(async move { Ok(Injected::done(what)) })
    }

    fn migrator_stop(&self, p: &FaultParams) -> Option<u32> {
        Some(AFTER_STATEMENTS.count(p))
    }
}
