//! Shrinking a failing case to the smallest one with the same defect: the steps
//! `Space::simpler` lists (a fault dropped, a simpler strategy, order or rate, a
//! request kind dropped, a value pinned to a simpler edge) are tried in that order, the first
//! that keeps the defect is taken, and the list is made again, until no step keeps it or the
//! budget of drills is spent. Every step is a real drill, so the budget counts drills; a step
//! that gives the same scenario as the best so far costs none.
//!
//! A greedy walk rather than proptest's value tree: the tree searches each choice as a number
//! (binary search), which assumes that what is simpler than a passing choice passes too; an
//! edge of a value domain or a step order is not ordered that way.

use super::run::{failing_outcome, Ctx};
use super::{Case, Space};
use crate::outcome::DrillOutcome;
use crate::scenario::Scenario;

/// A failing case to shrink: where its scenarios come from, the case, its name and index, how
/// many drills shrinking it may cost, and the failing scenario and its outcome.
pub(super) struct Shrink<'a> {
    pub space: &'a Space,
    pub case: Case,
    pub name: &'a str,
    pub index: u32,
    pub max_runs: u32,
    pub scenario: Scenario,
    pub outcome: DrillOutcome,
}

/// The best case so far, its scenario and outcome, and the drills spent.
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
        case,
        name,
        index,
        max_runs,
        scenario,
        outcome,
    } = case;
    let mut best = Best {
        case,
        scenario,
        outcome,
        runs: 0,
    };
    'steps: while best.runs < max_runs {
        for candidate in space.simpler(&best.case) {
            if best.runs >= max_runs {
                break 'steps;
            }
            let scenario = space.scenario(&candidate, name);
            if scenario == best.scenario {
                // The same drill: the simpler case stands for it at no cost.
                best.case = candidate;
                continue 'steps;
            }
            best.runs += 1;
            progress(index, &format!("{name} (shrinking, try {})", best.runs));
            let run = ctx.drill(&scenario, index).await;
            match failing_outcome(&run) {
                Some(o) if best.same_defect(o) => {
                    best.outcome = o.clone();
                    best.case = candidate;
                    best.scenario = scenario;
                    continue 'steps;
                }
                _ => {}
            }
        }
        break;
    }
    (best.scenario, best.outcome, best.runs)
}
