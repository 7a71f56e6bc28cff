//! The exploration loop: generate case i from the seed, run it as a drill, and on failure
//! shrink it (`shrink.rs`) while it keeps failing with the same verdict, then write the
//! minimal case out as a scenario file.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use proptest::strategy::{Strategy, ValueTree};

use super::shrink::{shrink, Shrink};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use super::{CaseRun, ExploreOptions, ExploreReport, Failure, Signature, Space};
use crate::outcome::DrillOutcome;
use crate::rollback::WarmEnv;
use crate::runner::{run_drill, run_drill_warm};
use crate::runtime::Engine;
use crate::scenario::{to_toml, Scenario};
use crate::vocab::chain;
use crate::vocab::Verdict;

/// The runner every exploration draws its cases from: seeded, so case i is the same in
/// every run with that seed (shrinking draws nothing from it).
fn seeded_runner(seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

/// The first `n` cases of a seeded exploration, as scenarios, without running them.
pub fn generate(space: &Space, seed: u64, n: u32) -> Vec<Scenario> {
    let mut runner = seeded_runner(seed);
    let strategy = space.strategy();
    (1..=n)
        .map(|i| {
            let tree = strategy
                .new_tree(&mut runner)
                .expect("the case strategy never rejects");
            space.scenario(&tree.current(), &case_name(space, seed, i))
        })
        .collect()
}

/// Explores `space`; `progress` is told about every drill run (case index, name).
pub async fn explore(
    engine: &Engine,
    space: &Space,
    opts: &ExploreOptions,
    mut progress: impl FnMut(u32, &str),
) -> std::io::Result<ExploreReport> {
    let started = Instant::now();
    let mut runner = seeded_runner(opts.seed);
    let strategy = space.strategy();
    let mut report = ExploreReport {
        seed: opts.seed,
        ..Default::default()
    };
    let mut found: BTreeMap<Signature, usize> = BTreeMap::new();
    let mut warm: Option<WarmEnv> = None;
    let mut ctx = Ctx {
        engine,
        reuse: opts.reuse,
        warm: &mut warm,
    };
    std::fs::create_dir_all(&opts.out_dir)?;
    for index in 1..=opts.cases {
        if opts.time_budget.is_some_and(|b| started.elapsed() >= b) {
            break;
        }
        let tree = strategy
            .new_tree(&mut runner)
            .expect("the case strategy never rejects");
        let name = case_name(space, opts.seed, index);
        let scenario = space.scenario(&tree.current(), &name);
        progress(index, &name);
        let run = ctx.drill(&scenario, index).await;
        let failing = failing_outcome(&run).cloned();
        report.runs.push(run);
        let Some(outcome) = failing else { continue };
        let signature = Signature::of(&scenario, &outcome);
        if let Some(&i) = found.get(&signature) {
            report.failures[i].occurrences += 1;
            continue;
        }
        // A new defect: shrink it, keeping the verdict, so the file shows the defect alone.
        let case = Shrink {
            space,
            case: tree.current(),
            name: &name,
            index,
            max_runs: opts.max_shrink_runs,
            scenario,
            outcome,
        };
        let (minimal, minimal_outcome, shrink_runs) = shrink(&mut ctx, case, &mut progress).await;
        let mut signature_min = Signature::of(&minimal, &minimal_outcome);
        // The minimal case is drilled once more, and the file expects only the oracles that
        // failed both times: one that fails now and then (a statistical test over a few
        // requests) would make the file fail its own replay.
        progress(index, &format!("{} (confirming)", minimal.name));
        let again = ctx.drill(&minimal, index).await;
        let shrink_runs = shrink_runs + 1;
        if let Some(o) = failing_outcome(&again).filter(|o| o.verdict == signature_min.verdict) {
            let now = o.failing_oracles();
            signature_min.oracles.retain(|x| now.contains(x));
        }
        let file = opts.out_dir.join(format!("{}.toml", minimal.name));
        write_case(&file, &minimal, &signature_min, opts.seed, index)?;
        found.insert(signature.clone(), report.failures.len());
        found
            .entry(signature_min.clone())
            .or_insert(report.failures.len());
        report.failures.push(Failure {
            signature: signature_min,
            occurrences: 1,
            first_case: index,
            file,
            shrink_runs,
            minimal: Some(minimal_outcome),
        });
    }
    report.elapsed = started.elapsed();
    if let Some(w) = warm {
        let _ = w.close().await;
    }
    Ok(report)
}

/// How cases are run: in a warm environment reused across cases, or each in a fresh one.
pub(super) struct Ctx<'a> {
    pub(super) engine: &'a Engine,
    pub(super) reuse: bool,
    pub(super) warm: &'a mut Option<WarmEnv>,
}

impl Ctx<'_> {
    pub(super) async fn drill(&mut self, s: &Scenario, index: u32) -> CaseRun {
        let started = Instant::now();
        let result = if self.reuse {
            run_drill_warm(self.engine, self.warm, s).await
        } else {
            run_drill(self.engine, s).await
        };
        CaseRun {
            index,
            name: s.name.clone(),
            wall: started.elapsed(),
            result: result.map_err(|e| chain(&e)),
        }
    }
}

/// A case fails when its drill ran and did not pass (a drill that could not run is reported,
/// not shrunk: it is the harness's problem, not the rollback's). A trigger that rightly stayed
/// quiet (`no-rollback`) is no defect either.
pub(super) fn failing_outcome(run: &CaseRun) -> Option<&DrillOutcome> {
    run.result
        .as_ref()
        .ok()
        .filter(|o| !matches!(o.verdict, Verdict::Pass | Verdict::NoRollback))
}

fn case_name(space: &Space, seed: u64, index: u32) -> String {
    format!("explore-{}-s{seed}-c{index}", space.base.name)
}

fn write_case(
    file: &Path,
    s: &Scenario,
    sig: &Signature,
    seed: u64,
    index: u32,
) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut replay = s.clone();
    // The file documents the defect, so replaying it is expected to reproduce it.
    replay.expect.verdict = sig.verdict;
    replay.expect.failing_oracles = sig.oracles.clone();
    replay.description = format!(
        "Minimal failing case found by `rollcage explore` (seed {seed}, case {index}): {sig}. \
         Replay with `rollcage drill`."
    );
    let header = format!("# {}\n# signature: {}\n\n", replay.description, sig.slug());
    std::fs::write(file, header + &to_toml(&replay, dir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::outcome;

    #[test]
    fn only_a_rollback_that_went_wrong_is_a_defect() {
        let run = |verdict| CaseRun {
            index: 1,
            name: "c".into(),
            wall: std::time::Duration::ZERO,
            result: Ok(DrillOutcome {
                verdict,
                ..outcome(true)
            }),
        };
        assert!(failing_outcome(&run(Verdict::Pass)).is_none());
        assert!(failing_outcome(&run(Verdict::NoRollback)).is_none());
        assert!(failing_outcome(&run(Verdict::FailedToTrigger)).is_some());
        assert!(failing_outcome(&run(Verdict::CausedNewHarm)).is_some());
        let broken = CaseRun {
            result: Err("engine gone".into()),
            ..run(Verdict::Pass)
        };
        assert!(failing_outcome(&broken).is_none());
    }
}
