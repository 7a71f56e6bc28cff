//! Fault `kill-migrator`: the migrator dies partway (a deploy job evicted mid-migration),
//! leaving the schema part-migrated. A sqlx migrator stops after a number of statements; a
//! migration command's container is killed a time after it started (the database shows no
//! per-session statement count without `pg_stat_statements`, so commands are stopped by
//! time). The migration runner applies it itself (see `rollback/`), so it acts only while a
//! migrator runs; it does not heal.

use std::time::Duration;

use futures_util::future::BoxFuture;

use super::{FaultError, Injected, Kind, MigratorStop};
use crate::env::DrillEnv;
use crate::scenario::{FaultParams, FaultSpec, Param, ParamType, ParamValue, Phase, Scenario};
use crate::vocab::FaultKind;

/// Statements a sqlx migrator completes before it is stopped.
const AFTER_STATEMENTS: Param = Param {
    name: "after-statements",
    ty: ParamType::Count {
        default: 0,
        at_least: None,
    },
};

/// How long after its start a migration command's container is killed.
const AFTER: Param = Param {
    name: "after",
    ty: ParamType::Duration {
        default: Duration::from_millis(500),
    },
};

static SPEC: FaultSpec = FaultSpec::new(FaultKind::KillMigrator, plan)
    .params(&[AFTER_STATEMENTS, AFTER])
    .acts_at(
        &[Phase::DuringMigrateUp, Phase::DuringMigrateDown],
        "{kind} acts while a migrator runs",
    );

fn plan(p: &FaultParams) -> String {
    let n = AFTER_STATEMENTS.count(p);
    match p.duration(AFTER.name) {
        Some(after) => format!(
            "kill the migrator {} after it starts (a sqlx migrator: after {n} statement(s))",
            humantime::format_duration(after)
        ),
        None => format!("stop the migrator after {n} statement(s)"),
    }
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
        // Written out, as loading a file fills it in: a case and its file stay equal.
        AFTER.set(&mut p, ParamValue::Duration(Duration::from_millis(500)));
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
        let what = match p.duration(AFTER.name) {
            Some(after) => format!(
                "migrator killed {} after it started",
                humantime::format_duration(after)
            ),
            None => format!("migrator stopped after {n} statement(s)"),
        };
        Box::pin(async move { Ok(Injected::done(what)) })
    }

    fn migrator_stop(&self, p: &FaultParams) -> Option<MigratorStop> {
        Some(MigratorStop {
            statements: AFTER_STATEMENTS.count(p),
            after: AFTER.duration(p),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_killed_by_time_and_sqlx_migrators_by_statements() {
        let mut p = FaultParams::default();
        AFTER_STATEMENTS.set(&mut p, ParamValue::Count(2));
        let stop = KillMigrator.migrator_stop(&p).unwrap();
        assert_eq!(stop.statements, 2);
        assert_eq!(stop.after, Duration::from_millis(500));
        assert_eq!(plan(&p), "stop the migrator after 2 statement(s)");
        AFTER.set(&mut p, ParamValue::Duration(Duration::from_millis(1500)));
        assert_eq!(
            KillMigrator.migrator_stop(&p).unwrap().after,
            Duration::from_millis(1500)
        );
        assert_eq!(
            plan(&p),
            "kill the migrator 1s 500ms after it starts (a sqlx migrator: after 2 statement(s))"
        );
    }
}
