//! The engine's errors: `DrillError` when a drill cannot be run at all, `StepError` when a
//! rollback step cannot complete (a verdict, not an error of the drill), and `StepFailed`, the
//! step that stopped the rollback with its cause.

use crate::db::DbError;
use crate::env::{EnvError, MigratorError, ReleaseExited};
use crate::faults::FaultError;
use crate::outcome::StepCause;
use crate::runtime::RuntimeError;
use crate::vocab::Step;

use super::snapshot::SnapshotError;

/// Why a drill could not be run at all (as opposed to a rollback that failed, which is a
/// verdict): the harness, the engine or the scenario's environment is at fault.
#[derive(Debug, thiserror::Error)]
pub enum DrillError {
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error(transparent)]
    Env(#[from] EnvError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Fault(#[from] FaultError),
    #[error(transparent)]
    Migrator(#[from] MigratorError),
    #[error("{release} never became healthy before the deploy (last answer: {last_answer}); the scenario's environment is wrong")]
    PreviousNeverHealthy {
        release: String,
        last_answer: String,
    },
    /// Its exit code, OOM flag and log lines come with it, as the cause.
    #[error("the previous release could not be brought up before the deploy; the scenario's environment is wrong")]
    PreviousExited(#[source] ReleaseExited),
    /// Reported as the snapshot's own error: it names the command that failed.
    #[error(transparent)]
    Snapshot(SnapshotError),
    #[error("a heal task died")]
    HealTask(#[source] tokio::task::JoinError),
}

/// Why a rollback step could not complete. Each reads as the step's detail in reports; where
/// another error is the whole story, its text (with its causes) is the step's.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error("artifact missing: image {image} is not on this machine, so the previous release cannot be started")]
    ArtifactMissing { image: String },
    #[error("{release} has no migrations folder to migrate down with")]
    NoMigrationsFolder { release: String },
    #[error(transparent)]
    Migration(DbError),
    #[error("the migrator stopped after {after} statement(s)")]
    MigratorStopped { after: u32 },
    /// A migration command that failed, hung or was killed: it reads as its own error.
    #[error(transparent)]
    Command(MigratorError),
    #[error(transparent)]
    SnapshotRestore(SnapshotError),
    #[error(transparent)]
    Runtime(RuntimeError),
    /// The release a step started died before it was healthy: it reads as the exit itself.
    #[error(transparent)]
    ReleaseExited(ReleaseExited),
}

impl StepError {
    /// A release that could not be started from `image`: a missing image is a missing
    /// artifact, anything else the runtime's failure.
    pub fn launching(e: RuntimeError, image: &str) -> StepError {
        match e {
            RuntimeError::ImageMissing { .. } => StepError::ArtifactMissing {
                image: image.to_string(),
            },
            other => StepError::Runtime(other),
        }
    }

    /// The kind of failure, for decisions that must not read the text.
    pub fn cause(&self) -> StepCause {
        match self {
            StepError::ArtifactMissing { .. } => StepCause::ArtifactMissing,
            StepError::NoMigrationsFolder { .. }
            | StepError::Migration(DbError::NoDownMigration { .. }) => {
                StepCause::DownMigrationsMissing
            }
            StepError::Migration(_) => StepCause::MigrationFailed,
            StepError::MigratorStopped { .. }
            | StepError::Command(MigratorError::Killed { .. }) => StepCause::MigratorStopped,
            StepError::Command(_) => StepCause::MigrationFailed,
            StepError::SnapshotRestore(_) => StepCause::SnapshotRestoreFailed,
            StepError::Runtime(_) => StepCause::Runtime,
            StepError::ReleaseExited(_) => StepCause::ReleaseExited,
        }
    }
}

/// The step that stopped the rollback: `step migrate-down failed: <why>` in reports.
#[derive(Debug, thiserror::Error)]
#[error("step {step} failed")]
pub struct StepFailed {
    pub step: Step,
    #[source]
    pub source: StepError,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::chain;

    #[test]
    fn a_failed_step_reads_as_its_cause_after_the_step() {
        let missing = RuntimeError::ImageMissing { image: "x".into() };
        let e = StepFailed {
            step: Step::SwitchCode,
            source: StepError::launching(missing, "ledger:baseline"),
        };
        assert_eq!(e.source.cause(), StepCause::ArtifactMissing);
        assert_eq!(
            chain(&e),
            format!(
                "step {} failed: artifact missing: image ledger:baseline is not on this \
                 machine, so the previous release cannot be started",
                Step::SwitchCode
            )
        );
        let stopped = StepError::MigratorStopped { after: 2 };
        assert_eq!(stopped.cause(), StepCause::MigratorStopped);
        assert_eq!(chain(&stopped), "the migrator stopped after 2 statement(s)");
    }

    #[test]
    fn a_release_that_died_reads_as_its_exit_and_its_log() {
        let exited = ReleaseExited {
            release: "baseline".into(),
            container: "rollcage-x-app-3".into(),
            exit: crate::runtime::ContainerExit {
                code: 1,
                oom_killed: false,
                restarted: false,
                log_tail: vec!["ledger baseline: cannot listen on nowhere".into()],
            },
        };
        let how = "baseline exited before it became healthy: exit code 1, not OOM-killed; \
                   its last 1 log line(s):\n  | ledger baseline: cannot listen on nowhere";
        let step = StepFailed {
            step: Step::SwitchCode,
            source: StepError::ReleaseExited(exited.clone()),
        };
        assert_eq!(step.source.cause(), StepCause::ReleaseExited);
        assert_eq!(
            chain(&step),
            format!("step {} failed: {how}", Step::SwitchCode)
        );
        let before = DrillError::PreviousExited(exited);
        assert!(chain(&before).ends_with(&format!("is wrong: {how}")));
    }

    #[test]
    fn a_wrapped_database_error_is_the_step_text_and_gives_the_cause() {
        let no_down = StepError::Migration(DbError::NoDownMigration {
            version: 2,
            description: "drop memo".into(),
        });
        assert_eq!(no_down.cause(), StepCause::DownMigrationsMissing);
        assert!(chain(&no_down).starts_with("migration 2 (drop memo) has no down migration"));
        let dirty = StepError::Migration(DbError::Dirty { version: 2 });
        assert_eq!(dirty.cause(), StepCause::MigrationFailed);
    }
}
