//! The exploration space of a scenario (`Space`) and one generated drill in it (`Case`): the
//! release deployed, the rollback strategy and step order, the traffic rate, a fault schedule,
//! and the workload (`Workload`: the request kinds sent and values pinned to edges). Cases are
//! generated as proptest values; `Space::simpler` lists the steps toward the simplest case: no
//! faults, code-only, the first step order and release, the lowest rate, one write kind, the
//! simplest edges.

use std::time::Duration;

use proptest::prelude::*;

use super::workload::Workload;
use crate::faults::{self, Kind, UnknownKind};
use crate::scenario::catalog::Exclusion;
use crate::scenario::{
    Fault, FaultKind, Migrations, Phase, Release, Scenario, ScheduledFault, Step,
    Strategy as Rollback, Trigger,
};

/// Traffic rates a case may use (writes per second).
pub const RATES: [u32; 3] = [20, 50, 100];

/// One generated drill, as indices into the space (so every value is valid by construction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Index into `Space::targets`: the release deployed.
    pub to: usize,
    /// Index into the strategies the deployed release allows.
    pub strategy: usize,
    /// Index into the step orders the strategy allows, the conventional one first.
    pub order: usize,
    /// Index into `RATES`: the traffic rate.
    pub rate: usize,
    /// The faults scheduled, each as choices.
    pub faults: Vec<FaultChoice>,
    /// Per request kind of the scenario, whether the case sends it.
    pub kinds: Vec<bool>,
    /// Per pinnable placeholder, an edge to pin it to, or free (past the edges).
    pub values: Vec<u32>,
}

/// One generated fault, as indices and a choice its kind interprets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultChoice {
    /// Index into `Space::kinds`: the fault's kind.
    pub kind: usize,
    /// Index into `Phase::ALL`; the kind moves it to where it can act.
    pub phase: usize,
    /// Tenths of a second, 1..=8.
    pub tenths: u64,
    /// A choice (0..4) the kind turns into its parameters.
    pub param: u32,
}

/// The choices a scenario offers: every other release may be deployed over `deploy.from`.
pub struct Space {
    /// The scenario every case varies.
    pub base: Scenario,
    /// Releases a case may deploy: every one but `deploy.from`.
    pub targets: Vec<String>,
    /// Fault kinds a case may schedule.
    pub kinds: Vec<FaultKind>,
    /// Most faults one case schedules.
    pub max_faults: usize,
    /// The implementation of each of `kinds`, which generates and places its faults.
    impls: Vec<&'static dyn Kind>,
    /// What a case may vary in the workload.
    workload: Workload,
}

impl Space {
    /// A kind the fault registry does not hold is an error: it could generate nothing.
    pub fn new(
        base: Scenario,
        kinds: Vec<FaultKind>,
        max_faults: usize,
    ) -> Result<Space, UnknownKind> {
        let impls = kinds
            .iter()
            .map(|k| faults::kind(*k))
            .collect::<Result<_, _>>()?;
        let targets = base
            .releases
            .iter()
            .map(|r| r.name.clone())
            .filter(|n| *n != base.deploy.from)
            .collect();
        let workload = Workload::of(&base.traffic);
        Ok(Space {
            workload,
            base,
            targets,
            kinds,
            max_faults,
            impls,
        })
    }

    /// The proptest strategy generating cases, shrinking toward the simplest.
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
            self.workload.strategy(),
        )
            .prop_map(
                |(to, strategy, order, rate, faults, (kinds, values))| Case {
                    to,
                    strategy,
                    order,
                    rate,
                    faults,
                    kinds,
                    values,
                },
            )
            .boxed()
    }

    /// The cases one step simpler than `case`, the steps that simplify most first: a fault
    /// dropped, then a simpler strategy, step order and rate, then the workload's
    /// steps (a kind dropped, a value pinned to a simpler edge; see `Workload::simpler`).
    pub fn simpler(&self, case: &Case) -> Vec<Case> {
        let mut out = Vec::new();
        for i in 0..case.faults.len() {
            let mut c = case.clone();
            c.faults.remove(i);
            out.push(c);
        }
        let lower = |n: usize| 0..n;
        out.extend(lower(case.strategy).map(|strategy| Case {
            strategy,
            ..case.clone()
        }));
        out.extend(lower(case.order).map(|order| Case {
            order,
            ..case.clone()
        }));
        out.extend(lower(case.rate).map(|rate| Case {
            rate,
            ..case.clone()
        }));
        let steps = self.workload.simpler(&case.kinds, &case.values);
        out.extend(steps.into_iter().map(|(kinds, values)| Case {
            kinds,
            values,
            ..case.clone()
        }));
        out
    }

    /// The concrete scenario a case stands for, named `name`, expected to pass.
    pub fn scenario(&self, case: &Case, name: &str) -> Scenario {
        let mut s = self.base.clone();
        s.name = name.to_string();
        s.deploy.to = self.targets[case.to % self.targets.len()].clone();
        let to = s.to_release().clone();
        let schema_ok = can_migrate_down(&to, s.from_release());
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
        self.workload
            .apply(&mut s.traffic, &case.kinds, &case.values);
        // Each case draws its own request values, from its name (seed and index), unless the
        // space pins them; the case's file writes the seed (31 bits, short to type), so a replay
        // sends the same values.
        s.traffic
            .seed
            .get_or_insert_with(|| fnv1a(name.as_bytes()) >> 33);
        // Exploration keeps the waits short: the work, not the waiting, is what is explored.
        s.deploy.warmup = s.deploy.warmup.min(Duration::from_millis(200));
        s.traffic.observe_after = s.traffic.observe_after.min(Duration::from_millis(200));
        // The new release serves a second at most before a manual decision: long enough for
        // a case's workload to reach what it writes, short enough to keep drills quick.
        if let Trigger::Manual { after } = &mut s.rollback.trigger {
            *after = (*after).min(Duration::from_secs(1));
        }
        s.expect.verdict = crate::vocab::Verdict::Pass;
        s.expect.failing_oracles.clear();
        s.allowed_loss.writes_since_snapshot = strategy == Rollback::RestoreSnapshot;
        s.faults = case
            .faults
            .iter()
            .filter_map(|f| self.fault(&s, f))
            .collect();
        // A fault another fault of the case excludes (a restarted database beside disk-full)
        // is dropped, as validation would refuse the pair.
        let excluding: Vec<Exclusion> = s
            .faults
            .iter()
            .filter_map(|f| faults::kind(f.fault.kind).ok()?.spec().excludes)
            .collect();
        s.faults.retain(|f| {
            let spec = faults::kind(f.fault.kind).map(|k| k.spec());
            spec.is_ok_and(|spec| !excluding.iter().any(|ex| (ex.applies)(spec)))
        });
        // Two faults of one kind at one phase overlap (and one image is removed once):
        // validation refuses both, so the later one is dropped.
        let mut seen: Vec<(FaultKind, Option<Phase>)> = Vec::new();
        s.faults.retain(|f| {
            let at = (f.fault.kind != FaultKind::RemoveImage).then_some(f.at);
            let first = !seen.contains(&(f.fault.kind, at));
            seen.push((f.fault.kind, at));
            first
        });
        s
    }

    fn fault(&self, s: &Scenario, f: &FaultChoice) -> Option<ScheduledFault> {
        let kind = *self.impls.get(f.kind % self.impls.len().max(1))?;
        let fault = Fault {
            kind: kind.spec().kind,
            params: kind.generate(s, f.param),
        };
        let migrates_down = s.rollback.steps.contains(&Step::MigrateDown);
        // Each kind places its fault where it can act.
        let at = kind.place(Phase::ALL[f.phase % Phase::ALL.len()], migrates_down);
        let duration = kind
            .spec()
            .heals
            .then(|| Duration::from_millis(100 * f.tenths));
        Some(ScheduledFault {
            at,
            fault,
            duration,
        })
    }
}

/// Whether a case may roll `to` back with migrate-down: a migrations folder, or a `down`
/// command whose `{target.version}` (if it names one) the release returned to can print.
fn can_migrate_down(to: &Release, from: &Release) -> bool {
    match &to.migrations {
        Migrations::Folder(_) => true,
        Migrations::Commands(c) => {
            let needs_version = c.down.iter().any(|w| w.contains("{target.version}"));
            let has_version =
                matches!(&from.migrations, Migrations::Commands(f) if !f.version.is_empty());
            !c.down.is_empty() && (!needs_version || has_version)
        }
        Migrations::None | Migrations::SelfManaged => false,
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

/// FNV-1a over `bytes`: a stable 64-bit number for a case name, the same on every platform
/// and toolchain (std's hashers promise neither).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{Config, TestRunner};

    fn space() -> Space {
        let file =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/explore/ledger.toml");
        Space::new(Scenario::load(&file).unwrap(), FaultKind::ALL.to_vec(), 3).unwrap()
    }

    /// A release migrated by commands with a `down` command is rolled back with migrate-down
    /// in some cases, as a migrations folder is; without one, never.
    #[test]
    fn command_releases_with_a_down_command_are_explored_with_migrate_down() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let base = Scenario::load(&root.join("scenarios/notes-expand-code-only.toml")).unwrap();
        let mut without = base.clone();
        for r in &mut without.releases {
            if let Migrations::Commands(c) = &mut r.migrations {
                c.down.clear();
            }
        }
        let downs = |base: Scenario| {
            let space = Space::new(base, Vec::new(), 0).unwrap();
            let mut runner = TestRunner::new(Config {
                cases: 64,
                ..Config::default()
            });
            let mut seen = 0;
            let mut any = false;
            while seen < 64 {
                let case = space.strategy().new_tree(&mut runner).unwrap().current();
                let s = space.scenario(&case, "case");
                any |= s.rollback.steps.contains(&Step::MigrateDown);
                seen += 1;
            }
            any
        };
        assert!(downs(base), "a down command is explored");
        assert!(!downs(without), "no down command, no migrate-down");
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
                let disk_full = s.faults.iter().any(|f| f.fault.kind == FaultKind::DiskFull);
                for f in &s.faults {
                    match f.fault.kind {
                        FaultKind::KillMigrator => {
                            prop_assert!(matches!(
                                f.at,
                                Phase::DuringMigrateUp | Phase::DuringMigrateDown
                            ))
                        }
                        FaultKind::RemoveImage => {
                            prop_assert!(matches!(f.at, Phase::AfterDeploy | Phase::BeforeRollback))
                        }
                        FaultKind::KillDatabase | FaultKind::RestartDatabase => {
                            prop_assert!(!disk_full)
                        }
                        _ => {}
                    }
                    prop_assert!(f.at != Phase::DuringMigrateDown || down);
                    prop_assert_eq!(f.duration.is_some(), faults::heals(&f.fault));
                }
                prop_assert!(s.rollback.steps.contains(&Step::SwitchCode));
                prop_assert!(s.deploy.to != s.deploy.from);
                Ok(())
            })
            .unwrap();
    }

    /// Every step is simpler in exactly one respect, faults first; the simplest case has none.
    #[test]
    fn simpler_steps_drop_faults_first_and_end_at_the_simplest_case() {
        let space = space();
        let fault = FaultChoice {
            kind: 0,
            phase: 0,
            tenths: 3,
            param: 0,
        };
        let case = Case {
            to: 2,
            strategy: 1,
            order: 1,
            rate: 2,
            faults: vec![fault],
            kinds: vec![true],
            values: vec![],
        };
        let steps = space.simpler(&case);
        assert!(steps[0].faults.is_empty() && steps[0].strategy == 1);
        // The release is never changed: the defect belongs to the release deployed.
        assert_eq!(steps.len(), 1 + 1 + 1 + 2 + 1);
        assert!(steps.iter().all(|c| *c != case));
        let simplest = Case {
            to: 2,
            strategy: 0,
            order: 0,
            rate: 0,
            faults: vec![],
            kinds: vec![false],
            values: vec![],
        };
        assert!(space.simpler(&simplest).is_empty());
    }
}
