//! The exploration space of a scenario (`Space`) and one generated drill in it (`Case`): the
//! release deployed, the rollback strategy and step order, the traffic rate and a fault
//! schedule. Cases are proptest values, so they shrink toward the simplest: no faults, the
//! first release, code-only, the first step order, the lowest rate.

use std::time::Duration;

use proptest::prelude::*;

use crate::scenario::{
    Fault, FaultKind, Migrations, Phase, Scenario, ScheduledFault, Step, Strategy as Rollback,
    Trigger,
};

/// Traffic rates a case may use (writes per second).
pub const RATES: [u32; 3] = [20, 50, 100];

/// One generated drill, as indices into the space (so every value is valid by construction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub to: usize,
    pub strategy: usize,
    pub order: usize,
    pub rate: usize,
    pub faults: Vec<FaultChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultChoice {
    pub kind: usize,
    pub phase: usize,
    /// Tenths of a second, 1..=8.
    pub tenths: u64,
    pub param: u32,
}

/// The choices a scenario offers: every other release may be deployed over `deploy.from`.
pub struct Space {
    pub base: Scenario,
    pub targets: Vec<String>,
    pub kinds: Vec<FaultKind>,
    pub max_faults: usize,
}

impl Space {
    pub fn new(base: Scenario, kinds: Vec<FaultKind>, max_faults: usize) -> Space {
        let targets = base
            .releases
            .iter()
            .map(|r| r.name.clone())
            .filter(|n| *n != base.deploy.from)
            .collect();
        Space {
            base,
            targets,
            kinds,
            max_faults,
        }
    }

    pub fn strategy(&self) -> BoxedStrategy<Case> {
        let fault = (
            0..self.kinds.len().max(1),
            0..Phase::ALL.len(),
            2u64..=15,
            0u32..4,
        )
            .prop_map(|(kind, phase, tenths, param)| FaultChoice {
                kind,
                phase,
                tenths,
                param,
            });
        (
            0..self.targets.len().max(1),
            0..3usize,
            0..6usize,
            0..RATES.len(),
            prop::collection::vec(fault, 0..=self.max_faults),
        )
            .prop_map(|(to, strategy, order, rate, faults)| Case {
                to,
                strategy,
                order,
                rate,
                faults,
            })
            .boxed()
    }

    /// The concrete scenario a case stands for, named `name`, expected to pass.
    pub fn scenario(&self, case: &Case, name: &str) -> Scenario {
        let mut s = self.base.clone();
        s.name = name.to_string();
        s.deploy.to = self.targets[case.to % self.targets.len()].clone();
        let to = s.to_release().clone();
        let schema_ok = matches!(to.migrations, Migrations::Folder(_));
        let strategies: Vec<Rollback> = [
            Rollback::CodeOnly,
            Rollback::CodeAndSchema,
            Rollback::RestoreSnapshot,
        ]
        .into_iter()
        .filter(|st| *st != Rollback::CodeAndSchema || schema_ok)
        .collect();
        let strategy = strategies[case.strategy % strategies.len()];
        let orders = step_orders(strategy, !to.flags.is_empty());
        s.rollback.strategy = strategy;
        s.rollback.steps = orders[case.order % orders.len()].clone();
        s.traffic.rate = RATES[case.rate % RATES.len()];
        // Exploration keeps the waits short: the work, not the waiting, is what is explored.
        s.deploy.warmup = s.deploy.warmup.min(Duration::from_millis(200));
        s.traffic.observe_after = s.traffic.observe_after.min(Duration::from_millis(200));
        if let Trigger::Manual { after } = &mut s.rollback.trigger {
            *after = (*after).min(Duration::from_millis(200));
        }
        s.expect.verdict = crate::vocab::Verdict::Pass;
        s.expect.failing_oracles.clear();
        s.allowed_loss.writes_since_snapshot = strategy == Rollback::RestoreSnapshot;
        s.faults = case
            .faults
            .iter()
            .filter_map(|f| self.fault(&s, f))
            .collect();
        if s.faults.iter().any(|f| f.fault == Fault::DiskFull) {
            // A restarted database would find its tmpfs data directory empty.
            s.faults
                .retain(|f| !matches!(f.fault, Fault::KillDatabase | Fault::RestartDatabase));
        }
        s
    }

    fn fault(&self, s: &Scenario, f: &FaultChoice) -> Option<ScheduledFault> {
        let kind = *self.kinds.get(f.kind % self.kinds.len().max(1))?;
        let from = s.deploy.from.clone();
        let fault = match kind {
            FaultKind::KillApp => Fault::KillApp,
            FaultKind::KillDatabase => Fault::KillDatabase,
            FaultKind::RestartDatabase => Fault::RestartDatabase,
            FaultKind::PauseDatabase => Fault::PauseDatabase,
            FaultKind::Partition => Fault::Partition,
            FaultKind::Latency => Fault::Latency {
                delay: Duration::from_millis(50 + 100 * u64::from(f.param)),
            },
            FaultKind::ResetConnections => Fault::ResetConnections,
            FaultKind::KillMigrator => Fault::KillMigrator {
                after_statements: f.param,
            },
            FaultKind::DiskFull => Fault::DiskFull,
            FaultKind::AppMemoryLimit => Fault::AppMemoryLimit {
                megabytes: 8 + 8 * f.param,
            },
            FaultKind::MoveTag => Fault::MoveTag {
                release: from,
                to: s.deploy.to.clone(),
            },
            FaultKind::RemoveImage => Fault::RemoveImage { release: from },
        };
        let migrates_down = s.rollback.steps.contains(&Step::MigrateDown);
        let mut at = Phase::ALL[f.phase % Phase::ALL.len()];
        // Place each fault where it can act: the migrator only dies while it runs, and a
        // phase the rollback never reaches becomes the moment before the rollback.
        if matches!(fault, Fault::RemoveImage { .. }) {
            // An image can only go once no container runs it: after the deploy replaced it.
            at = if at >= Phase::BeforeRollback {
                Phase::BeforeRollback
            } else {
                Phase::AfterDeploy
            };
        } else if matches!(fault, Fault::KillMigrator { .. }) {
            at = if at >= Phase::BeforeRollback && migrates_down {
                Phase::DuringMigrateDown
            } else {
                Phase::DuringMigrateUp
            };
        } else if at == Phase::DuringMigrateDown && !migrates_down {
            at = Phase::BeforeRollback;
        }
        let duration = fault.heals().then(|| Duration::from_millis(100 * f.tenths));
        Some(ScheduledFault {
            at,
            fault,
            duration,
        })
    }
}

/// Step orders for a strategy, the conventional safe order first.
fn step_orders(strategy: Rollback, flags: bool) -> Vec<Vec<Step>> {
    use Step::*;
    match (strategy, flags) {
        (Rollback::CodeOnly, _) => vec![vec![SwitchCode]],
        (Rollback::CodeAndSchema, false) => {
            vec![vec![SwitchCode, MigrateDown], vec![MigrateDown, SwitchCode]]
        }
        (Rollback::CodeAndSchema, true) => vec![
            vec![FlagsOff, SwitchCode, MigrateDown],
            vec![FlagsOff, MigrateDown, SwitchCode],
            vec![SwitchCode, MigrateDown],
            vec![MigrateDown, FlagsOff, SwitchCode],
        ],
        (Rollback::RestoreSnapshot, _) => vec![
            vec![SwitchCode, RestoreSnapshot],
            vec![RestoreSnapshot, SwitchCode],
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{Config, TestRunner};

    fn space() -> Space {
        let file =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/explore/ledger.toml");
        Space::new(
            crate::scenario::load(&file).unwrap(),
            FaultKind::ALL.to_vec(),
            3,
        )
    }

    /// Every generated case places each fault where it can act, so no scenario written from a
    /// case is refused on replay and no fault is silently skipped.
    #[test]
    fn generated_cases_place_faults_where_they_act() {
        let space = space();
        let mut runner = TestRunner::new(Config {
            cases: 300,
            ..Config::default()
        });
        runner
            .run(&space.strategy(), |case| {
                let s = space.scenario(&case, "case");
                let down = s.rollback.steps.contains(&Step::MigrateDown);
                let disk_full = s.faults.iter().any(|f| f.fault == Fault::DiskFull);
                for f in &s.faults {
                    match f.fault {
                        Fault::KillMigrator { .. } => {
                            prop_assert!(matches!(
                                f.at,
                                Phase::DuringMigrateUp | Phase::DuringMigrateDown
                            ))
                        }
                        Fault::RemoveImage { .. } => {
                            prop_assert!(matches!(f.at, Phase::AfterDeploy | Phase::BeforeRollback))
                        }
                        Fault::KillDatabase | Fault::RestartDatabase => prop_assert!(!disk_full),
                        _ => {}
                    }
                    prop_assert!(f.at != Phase::DuringMigrateDown || down);
                    prop_assert_eq!(f.duration.is_some(), f.fault.heals());
                }
                prop_assert!(s.rollback.steps.contains(&Step::SwitchCode));
                prop_assert!(s.deploy.to != s.deploy.from);
                Ok(())
            })
            .unwrap();
    }
}
