//! Shrinking a failing case to the smallest one with the same defect: first proptest's value
//! tree (each choice searched toward its simplest), then single workload steps (a kind
//! dropped, a value pinned to a simpler edge) until none keeps the defect. Every candidate is
//! a real drill, so the budget counts drills; a candidate that is the same scenario as the
//! best so far costs none.

use proptest::strategy::ValueTree;

use super::run::{failing_outcome, Ctx};
use super::{Case, Space};
use crate::outcome::DrillOutcome;
use crate::scenario::Scenario;

/// A failing case to shrink: where its scenarios come from, its value tree, its name and
/// index, how many drills shrinking it may cost, and the failing scenario and its outcome.
pub(super) struct Shrink<'a> {
    pub space: &'a Space,
    pub tree: &'a mut Box<dyn ValueTree<Value = Case>>,
    pub name: &'a str,
    pub index: u32,
    pub max_runs: u32,
    pub scenario: Scenario,
    pub outcome: DrillOutcome,
}

/// The best case so far, its scenario and outcome, and the defect it must keep.
struct Best {
    case: Case,
    scenario: Scenario,
    outcome: DrillOutcome,
    runs: u32,
}

impl Best {
    /// The same verdict, and every oracle that failed still fails (removing a fault may
    /// unmask more, never less).
    fn same_defect(&self, o: &DrillOutcome) -> bool {
        let now = o.failing_oracles();
        let before = self.outcome.failing_oracles();
        o.verdict == self.outcome.verdict && before.iter().all(|f| now.contains(f))
    }
}

/// The smallest scenario that still shows `case`'s defect, its outcome, and how many drills
/// shrinking took.
pub(super) async fn shrink(
    ctx: &mut Ctx<'_>,
    case: Shrink<'_>,
    progress: &mut impl FnMut(u32, &str),
) -> (Scenario, DrillOutcome, u32) {
    let Shrink {
        space,
        tree,
        name,
        index,
        max_runs,
        scenario,
        outcome,
    } = case;
    let mut best = Best {
        case: tree.current(),
        scenario,
        outcome,
        runs: 0,
    };
    // proptest's protocol: after a failure simplify, after a pass complicate, and test what
    // either gives.
    let mut more = tree.simplify();
    while more && best.runs < max_runs {
        let candidate = tree.current();
        let scenario = space.scenario(&candidate, name);
        let fails = if scenario == best.scenario {
            best.case = candidate;
            true
        } else {
            attempt(ctx, &mut best, candidate, scenario, (index, name), progress).await
        };
        more = if fails {
            tree.simplify()
        } else {
            tree.complicate()
        };
    }
    // Then the workload, one step at a time, the first simpler step that keeps the defect
    // taken, until none does.
    'steps: while best.runs < max_runs {
        for candidate in space.simpler_workloads(&best.case) {
            if best.runs >= max_runs {
                break 'steps;
            }
            let scenario = space.scenario(&candidate, name);
            if scenario == best.scenario {
                best.case = candidate;
                continue 'steps;
            }
            if attempt(ctx, &mut best, candidate, scenario, (index, name), progress).await {
                continue 'steps;
            }
        }
        break;
    }
    (best.scenario, best.outcome, best.runs)
}

/// Drills `scenario`; when it shows the same defect it becomes the best case.
async fn attempt(
    ctx: &mut Ctx<'_>,
    best: &mut Best,
    case: Case,
    scenario: Scenario,
    (index, name): (u32, &str),
    progress: &mut impl FnMut(u32, &str),
) -> bool {
    best.runs += 1;
    progress(index, &format!("{name} (shrinking, try {})", best.runs));
    let run = ctx.drill(&scenario, index).await;
    match failing_outcome(&run) {
        Some(o) if best.same_defect(o) => {
            best.outcome = o.clone();
            best.case = case;
            best.scenario = scenario;
            true
        }
        _ => false,
    }
}
