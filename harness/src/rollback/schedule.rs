//! `FaultSchedule`: injects the scenario's faults as the drill reaches their phase, heals each
//! after its duration from a background task, and waits for every heal before verification.

use std::time::Instant;

use tokio::task::JoinHandle;

use super::emit::Emitter;
use super::DrillError;
use crate::env::DrillEnv;
use crate::events::DrillEventKind;
use crate::faults::{self, FaultError, HealContext};
use crate::scenario::{Phase, Scenario, ScheduledFault};

/// A heal in flight: when its fault was injected, and the task that heals it.
type Healing = (Instant, JoinHandle<(Instant, Result<String, FaultError>)>);

pub struct FaultSchedule {
    faults: Vec<ScheduledFault>,
    ctx: HealContext,
    pending: Vec<Healing>,
    /// When each disruptive fault was in effect (injection → healed).
    spans: Vec<(Instant, Instant)>,
}

impl FaultSchedule {
    pub fn new(env: &DrillEnv, s: &Scenario) -> FaultSchedule {
        FaultSchedule {
            faults: s.faults.clone(),
            ctx: HealContext::of(env, s),
            pending: Vec::new(),
            spans: Vec::new(),
        }
    }

    /// How the migrator dies in `phase`, if a fault says so.
    pub fn migrator_stop(&self, phase: Phase) -> Option<faults::MigratorStop> {
        self.faults
            .iter()
            .filter(|f| f.at == phase)
            .find_map(|f| faults::migrator_stop(&f.fault))
    }

    /// Injects every fault placed at `phase` (the migrator's own faults excepted: the
    /// migration runner applies those).
    pub async fn at(
        &mut self,
        env: &mut DrillEnv,
        phase: Phase,
        emit: &mut Emitter<'_>,
    ) -> Result<(), DrillError> {
        let due: Vec<ScheduledFault> = self
            .faults
            .iter()
            .filter(|f| f.at == phase && faults::migrator_stop(&f.fault).is_none())
            .cloned()
            .collect();
        for f in due {
            let started = Instant::now();
            let injected = faults::inject(env, &f).await?;
            if faults::disrupts_while_injecting(&f.fault) {
                self.spans.push((started, Instant::now()));
            }
            emit.now(DrillEventKind::FaultInjected {
                kind: f.fault.kind(),
                phase,
                what: injected.what,
            });
            if let (Some(action), Some(duration)) = (injected.heal, f.duration) {
                let ctx = self.ctx.clone();
                self.pending.push((
                    started,
                    tokio::spawn(async move {
                        tokio::time::sleep(duration).await;
                        let result = faults::heal(&ctx, action).await;
                        (Instant::now(), result)
                    }),
                ));
            }
        }
        Ok(())
    }

    /// Waits until every injected fault has healed, then lets the environment find moved
    /// containers again. A heal that fails is an error of the drill, not a verdict.
    pub async fn heal_all(
        &mut self,
        env: &mut DrillEnv,
        emit: &mut Emitter<'_>,
    ) -> Result<(), DrillError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        for (started, handle) in std::mem::take(&mut self.pending) {
            let (at, result) = handle.await.map_err(DrillError::HealTask)?;
            self.spans.push((started, at));
            emit.at(at, DrillEventKind::FaultHealed { what: result? });
        }
        env.refresh().await?;
        Ok(())
    }

    /// When injected faults were in effect: requests that fail then are the fault's doing,
    /// not the rollback's, so harm is not judged on them.
    pub fn spans(&self) -> Vec<(Instant, Instant)> {
        self.spans.clone()
    }
}
