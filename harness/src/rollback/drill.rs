//! `Drill`: one drill in progress once the previous release's state is captured — its
//! environment and scenario, what was captured, the fault schedule, the emitter, and what the
//! rollback steps have done so far. The deploy, the rollback and the oracles all work on it.

use std::time::Duration;

use super::checks::CheckLog;
use super::emit::Emitter;
use super::schedule::FaultSchedule;
use super::snapshot::Snapshot;
use super::DrillError;
use crate::db::{DataSnapshot, MigrationStep};
use crate::env::{DrillEnv, ReleaseExited};
use crate::events::DrillEventKind;
use crate::outcome::{Capture, StepRecord};
use crate::scenario::{Phase, Scenario};
use crate::traffic::Probe;
use crate::verify::OracleResult;
use crate::vocab::chain;

pub struct Drill<'a> {
    pub env: &'a mut DrillEnv,
    pub scenario: &'a Scenario,
    /// The previous release's state before the deploy.
    pub capture: Capture,
    /// The pre-deploy snapshot, when the strategy restores one.
    pub snapshot: Option<Snapshot>,
    pub faults: FaultSchedule,
    pub emit: Emitter<'a>,
    /// Every migration applied or reverted, in order: both releases' up, then the rollback's.
    pub migrations: Vec<MigrationStep>,
    pub effects: StepEffects,
    /// Each rollback step as it ran.
    pub records: Vec<StepRecord>,
    /// Each oracle's result, in the order checked.
    pub oracles: Vec<OracleResult>,
    /// The database's content at the capture and at the decision, for the data oracle.
    pub data: DataCaptures,
    /// The `[[check]]`s run so far and the values they saved.
    pub checks: CheckLog,
}

/// The database's content read for the data oracle; an `Err` says why it could not be read
/// (a fault may have the database down), which the oracle reports instead of judging.
#[derive(Debug, Default)]
pub struct DataCaptures {
    /// With the previous release's state, before the deploy.
    pub deployed_from: Option<Result<DataSnapshot, String>>,
    /// Just after the rollback decision, before any rollback step.
    pub before_decision: Option<Result<DataSnapshot, String>>,
}

/// Reads every user table, keeping the error as text for the report.
pub async fn read_data(env: &DrillEnv) -> Result<DataSnapshot, String> {
    DataSnapshot::capture(&env.pool)
        .await
        .map_err(|e| chain(&e))
}

/// What the steps leave behind for the oracles.
#[derive(Debug, Default, Clone)]
pub struct StepEffects {
    /// The previous release's health probe after the code switch.
    pub previous_probe: Option<Probe>,
    /// How the previous release's process ended, when it died before it was healthy.
    pub previous_exit: Option<ReleaseExited>,
    /// Previous release's container start → first healthy probe.
    pub time_to_healthy: Option<Duration>,
}

impl Drill<'_> {
    /// The drill reaches `phase`: says so, then injects the faults placed there.
    pub async fn enter(&mut self, phase: Phase) -> Result<(), DrillError> {
        self.emit.now(DrillEventKind::PhaseEntered(phase));
        // Checks first, so what they see is the phase, not the fault placed there.
        if phase != Phase::DuringVerification {
            super::checks::run_at(self, phase).await;
        }
        self.faults.at(self.env, phase, &mut self.emit).await
    }

    /// Waits for every injected fault to heal.
    pub async fn heal_all(&mut self) -> Result<(), DrillError> {
        self.faults.heal_all(self.env, &mut self.emit).await
    }

    /// Records an oracle's result and says it was checked.
    pub fn checked(&mut self, result: OracleResult) {
        self.emit.now(DrillEventKind::OracleChecked(result.clone()));
        self.oracles.push(result);
    }
}
