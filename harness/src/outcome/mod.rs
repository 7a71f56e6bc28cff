//! `DrillOutcome`: everything one drill established — verdict against expectation, each
//! oracle, both timelines, the figures, what was captured before the deploy, and preflight's
//! findings held against what the drill observed.

use std::time::Duration;

use serde::{Deserialize, Serialize};

mod accuracy;
// Also behind `testing`, for the report benches.
pub(crate) mod fixture;
mod predictions;
pub(crate) mod read;
mod record;
mod redact;

pub use predictions::{Observation, Prediction, PredictionStatus, PredictionTable};
pub use record::{DrillRecord, RepeatFigures, Run, Summary};

use crate::db::{Catalog, MigrationStep};
use crate::lint::Finding;
use crate::timeline::{Event, Figures};
pub use crate::verify::{DataAudit, DataLoss, LossKind};
use crate::verify::{OracleResult, WriteAudit};
use crate::vocab::{Oracle, Step, Strategy, Verdict};
pub use accuracy::Accuracy;
pub use redact::{Redactor, REDACTED};

/// One step as it ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Which rollback step this was.
    pub step: Step,
    /// When the step started, since the drill started.
    #[serde(rename = "at_ms", with = "crate::vocab::millis")]
    pub at: Duration,
    /// How long the step ran (milliseconds in JSON).
    #[serde(with = "crate::vocab::millis")]
    pub took: Duration,
    /// Whether the step completed.
    pub ok: bool,
    /// What the step did or why it failed, for people; a re-run's starts with `(re-run)`.
    pub detail: String,
    /// 1, or 2 when the rollback was run again after an interruption.
    pub attempt: u32,
    /// Why the step could not complete; None when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<StepCause>,
}

impl StepRecord {
    /// What a re-run's detail starts with.
    pub const RERUN: &'static str = "(re-run)";

    /// The detail a step's record carries: a re-run says so first.
    pub fn detail_for(attempt: u32, detail: String) -> String {
        if attempt > 1 {
            format!("{} {detail}", StepRecord::RERUN)
        } else {
            detail
        }
    }

    /// The detail without the re-run note `detail_for` put in front.
    pub fn plain_detail(&self) -> &str {
        match self.detail.strip_prefix(StepRecord::RERUN) {
            Some(rest) if self.attempt > 1 => rest.trim_start(),
            _ => &self.detail,
        }
    }
}

/// Why a rollback step could not complete, as a kind: what preflight's predictions and other
/// decisions read, where `StepRecord::detail` is the text for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepCause {
    /// The image the previous release needs is not on this machine.
    ArtifactMissing,
    /// The new release has no down migration (or no migrations folder) to revert with.
    DownMigrationsMissing,
    /// A down migration (or reading the migrations) failed.
    MigrationFailed,
    /// The migrator was stopped by a fault halfway through.
    MigratorStopped,
    /// Restoring the pre-deploy snapshot failed.
    SnapshotRestoreFailed,
    /// The container runtime failed starting or switching a release.
    Runtime,
    /// The release a step started exited (or restarted) before it was healthy.
    ReleaseExited,
}

/// State captured before the deploy, to compare against after the rollback.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Capture {
    /// Name of the release the drill deployed from.
    pub release: String,
    /// Image reference that release was started from, as the scenario writes it.
    pub image_ref: String,
    /// Image ID its container ran before the deploy, which the `digest` oracle compares against.
    pub image_id: String,
    /// Highest migration version applied before the deploy (0 when none).
    pub migration_version: i64,
    /// The version the release's `version` command printed, for command migrations that
    /// give one: what a migrate-down's `{target.version}` is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_version: Option<String>,
    /// The `public` schema before the deploy, which the `schema` oracle compares against.
    pub schema: Catalog,
    /// The previous release's env as started, `{db.*}` placeholders filled in.
    pub env: Vec<(String, String)>,
}

/// The state the drill left behind once every fault had healed: what runs, at which migration
/// version, and how the schema differs from the pre-deploy snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndState {
    /// Name of the release running at the end; empty when no app container runs.
    pub release: String,
    /// Image ID of the app container running at the end; empty when none runs.
    pub image_id: String,
    /// Highest migration version applied at the end (0 when none).
    pub migration_version: i64,
    /// `- missing`, `+ unexpected`, `~ changed` lines against the pre-deploy schema.
    pub schema_diff: Vec<String>,
}

/// The recovery point of a restore: how much the snapshot was behind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryPoint {
    /// Snapshot taken this long after the drill started.
    #[serde(with = "crate::vocab::millis")]
    pub snapshot_at: Duration,
    /// Acknowledged writes lost because they came after the snapshot.
    pub writes_lost: usize,
}

/// The deploy a drill rolled back: from one release to another, shown as `from -> to`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deployed {
    /// Release deployed from, which the rollback returns to.
    pub from: String,
    /// Release deployed, which the rollback leaves.
    pub to: String,
}

impl std::fmt::Display for Deployed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} -> {}", self.from, self.to)
    }
}

impl Serialize for Deployed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Everything one drill established: its verdict against the expectation, each oracle,
/// the timeline and figures, and preflight's findings held against what it observed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillOutcome {
    /// Scenario name, as reports show it.
    pub scenario: String,
    /// Path of the scenario file, as given.
    pub file: String,
    /// This run's id (`rc` + 10 hex digits), which labels its containers.
    pub run_id: String,
    /// PostgreSQL image the drill ran against.
    pub database_image: String,
    /// The deploy that was rolled back, `from -> to`.
    pub deploy: Deployed,
    /// The rollback's strategy.
    pub strategy: Strategy,
    /// The verdict the drill reached.
    pub verdict: Verdict,
    /// The verdict the scenario expected.
    pub expected: Verdict,
    /// Oracles the scenario expected to fail.
    pub expected_failing: Vec<Oracle>,
    /// Verdict equals the expectation and every expected-failing oracle failed.
    pub matched: bool,
    /// Why the rollback did not complete, when it did not.
    pub failure: Option<String>,
    /// A rollback attempt the migrator's death interrupted; the steps were then run again.
    pub interrupted: Option<String>,
    /// Why the rollback was decided (e.g. `manual, 1s after deploy`); None: the trigger gave up.
    pub decision: Option<String>,
    /// Every oracle's finding, in check order.
    pub oracles: Vec<OracleResult>,
    /// The rollback steps as they ran, a re-run's included.
    pub steps: Vec<StepRecord>,
    /// Every migration applied or reverted, in order, the previous release's setup included.
    pub migrations: Vec<MigrationStep>,
    /// The drill's event timeline, as reports show it.
    pub timeline: Vec<Event>,
    /// Recovery figures and traffic statistics.
    pub figures: Figures,
    /// State captured before the deploy.
    pub capture: Capture,
    /// What the audit of acknowledged writes found.
    pub writes: WriteAudit,
    /// What the data oracle found in the database (None when no rollback ran or the content
    /// could not be read).
    pub data: Option<DataAudit>,
    /// What the drill left behind (None when it never decided to roll back).
    pub end_state: Option<EndState>,
    /// How far behind the restored snapshot was; None unless the strategy is restore-snapshot.
    pub recovery_point: Option<RecoveryPoint>,
    /// Preflight's findings, from before anything started.
    #[serde(deserialize_with = "read::findings")]
    pub preflight: Vec<Finding>,
    /// Those findings against this drill's failures; neither changes the verdict.
    pub predictions: PredictionTable,
}

impl DrillOutcome {
    /// The oracles that failed, in check order.
    pub fn failing_oracles(&self) -> Vec<Oracle> {
        self.oracles
            .iter()
            .filter(|o| o.failed())
            .map(|o| o.oracle)
            .collect()
    }

    /// Whether the verdict and expected failing oracles are what the scenario expects.
    pub fn judge(&mut self) {
        let failing = self.failing_oracles();
        self.matched = self.verdict == self.expected
            && self.expected_failing.iter().all(|o| failing.contains(o));
    }

    /// Why a mismatch is one, for people.
    pub fn mismatch(&self) -> Option<String> {
        if self.matched {
            return None;
        }
        if self.verdict != self.expected {
            return Some(format!("expected {}, got {}", self.expected, self.verdict));
        }
        let failing = self.failing_oracles();
        let missing: Vec<_> = self
            .expected_failing
            .iter()
            .filter(|o| !failing.contains(o))
            .map(|o| o.as_str())
            .collect();
        Some(format!(
            "expected oracle(s) {} to fail; they did not",
            missing.join(", ")
        ))
    }
}
