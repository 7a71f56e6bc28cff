//! What the scenario says about each finding (`dispose`): a loss its `[allowed-loss]`
//! declares, a hazard its expected verdict and failing oracles describe (or one an expected
//! failure to complete stops the rollback before), or a rule its `[[lint.allow]]` silences.
//! Such findings are still reported, with their disposition, but never fail preflight.

use crate::lint::{Disposition, Finding, Rule};
use crate::scenario::{Oracle, Scenario, Step, Verdict};

use super::predict::CODE_ORACLES;

/// The verdicts a rule's hazard leads to, and the oracles that show it (none: a step fails).
fn outcome(rule: Rule) -> (&'static [Verdict], &'static [Oracle]) {
    use Verdict::*;
    const BAD: &[Verdict] = &[RestoredBadState, CausedNewHarm];
    match rule {
        Rule::NoDownMigration
        | Rule::DownAborts
        | Rule::MigrationUnreadable
        | Rule::RollbackTargetMissing => (&[FailedToComplete], &[]),
        Rule::DestructiveUp | Rule::DownDropsData => (BAD, &[Oracle::Data, Oracle::Writes]),
        Rule::EnumValueIrreversible => (BAD, &[Oracle::Schema]),
        Rule::DownBeforeSwitchCode => (
            BAD,
            &[Oracle::Harm, Oracle::Health, Oracle::Smoke, Oracle::Traffic],
        ),
        Rule::RollbackTargetNotPinned => (BAD, &[Oracle::Digest]),
        _ => (BAD, &CODE_ORACLES),
    }
}

/// The step a rule's hazard stops the rollback at, if it is a failure to complete.
fn stops_at(rule: Rule) -> Option<Step> {
    match rule {
        Rule::NoDownMigration | Rule::DownAborts | Rule::MigrationUnreadable => {
            Some(Step::MigrateDown)
        }
        Rule::RollbackTargetMissing => Some(Step::SwitchCode),
        _ => None,
    }
}

/// `findings` with the disposition the scenario gives each (those already disposed kept).
pub fn dispose(s: &Scenario, findings: Vec<Finding>) -> Vec<Finding> {
    let mut findings = crate::lint::silence(s, findings);
    // A failure to complete the scenario expects, and the finding that predicts it.
    let stop = (s.expect.verdict == Verdict::FailedToComplete)
        .then(|| {
            findings.iter().find_map(|f| {
                let step = stops_at(f.rule)?;
                s.rollback
                    .steps
                    .contains(&step)
                    .then(|| (step, f.location()))
            })
        })
        .flatten();
    for f in findings.iter_mut().filter(|f| f.disposition.is_none()) {
        f.disposition = declared(s, f)
            .map(Disposition::Declared)
            .or_else(|| expected(s, f, stop.as_ref()).map(Disposition::Expected));
    }
    findings
}

/// The `[allowed-loss]` entries that cover every column a loss finding names: the column or
/// its table (as the data oracle judges), or a read-back field of the same name.
fn declared(s: &Scenario, f: &Finding) -> Option<String> {
    if f.columns.is_empty() || !matches!(f.rule, Rule::DownDropsData | Rule::DestructiveUp) {
        return None;
    }
    let loss = &s.allowed_loss;
    let cover = |column: &String| -> Option<String> {
        let table = column.split('.').next().unwrap_or(column);
        let name = column.rsplit('.').next().unwrap_or(column);
        let field = |p: &&String| p.trim_start_matches('/').split('/').next() == Some(name);
        if loss.columns.contains(column) {
            Some(format!("columns {column}"))
        } else if loss.tables.iter().any(|t| t == table) {
            Some(format!("tables {table}"))
        } else {
            loss.fields
                .iter()
                .find(field)
                .map(|p| format!("fields {p}"))
        }
    };
    let covering: Option<Vec<String>> = f.columns.iter().map(cover).collect();
    let mut covering = covering?;
    covering.sort();
    covering.dedup();
    Some(format!("[allowed-loss] {}", covering.join(", ")))
}

fn expected(s: &Scenario, f: &Finding, stop: Option<&(Step, String)>) -> Option<String> {
    let want = s.expect.verdict;
    if matches!(want, Verdict::Pass | Verdict::NoRollback) {
        return None;
    }
    let (verdicts, oracles) = outcome(f.rule);
    let failing = &s.expect.failing_oracles;
    let shown = failing.is_empty() || oracles.iter().any(|o| failing.contains(o));
    if verdicts.contains(&want) && shown {
        let names: Vec<&str> = failing.iter().map(|o| o.as_str()).collect();
        let with = if names.is_empty() {
            String::new()
        } else {
            format!(" with {} failing", names.join(", "))
        };
        return Some(format!("the scenario expects {want}{with}"));
    }
    // The expected failure to complete decides the verdict before this hazard can show.
    let (step, at) = stop?;
    Some(format!(
        "the scenario expects {want}: the rollback stops at {step} ({at}) first"
    ))
}

#[cfg(test)]
mod tests;
