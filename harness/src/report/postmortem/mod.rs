//! `Postmortem`: what a postmortem needs from one drill, derived from its outcome alone — the
//! deploy's own failure, the rollback's failure in the four-way taxonomy kept apart from it,
//! the trust gap, and action items in two buckets, each citing the finding, oracle or step it
//! comes from (`advice` holds the table). Every reporter renders this one derivation.

mod advice;

use crate::lint::Severity;
use crate::outcome::DrillOutcome;
use crate::timeline::EventKind;
use crate::vocab::{human, Verdict};

/// Where an action item belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bucket {
    /// Make the forward deploy less likely to hurt, or its hurt smaller.
    SaferDeploys,
    /// Make the way back work when it is needed.
    TrustworthyRollback,
}

impl Bucket {
    /// Both buckets, in report order.
    pub const ALL: [Bucket; 2] = [Bucket::SaferDeploys, Bucket::TrustworthyRollback];

    /// The bucket as reports title it.
    pub fn title(self) -> &'static str {
        match self {
            Bucket::SaferDeploys => "safer deploys",
            Bucket::TrustworthyRollback => "trustworthy rollback",
        }
    }
}

/// One thing to do, and what in the drill calls for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    /// Which bucket it belongs to.
    pub bucket: Bucket,
    /// The finding (`rule (file:line)`), oracle, step or figure it is derived from.
    pub source: String,
    /// What to do.
    pub advice: &'static str,
}

/// The postmortem of one drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postmortem {
    /// How the deploy itself went, before any rollback: its failure, apart from the rollback's.
    pub deploy: String,
    /// The rollback's failure in the taxonomy (`failed-to-trigger`, `failed-to-complete`,
    /// `restored-bad-state`, `caused-new-harm`); None when the rollback did not fail.
    pub failure: Option<Verdict>,
    /// The rollback's failure (or its absence) in words, with its evidence.
    pub rollback: String,
    /// Whether this rollback path was exercised under these conditions before.
    pub trust_gap: String,
    /// Every action item, safer deploys first.
    pub items: Vec<ActionItem>,
}

impl Postmortem {
    /// Derives the postmortem of `o`.
    pub fn of(o: &DrillOutcome) -> Postmortem {
        let failure = matches!(
            o.verdict,
            Verdict::FailedToTrigger
                | Verdict::FailedToComplete
                | Verdict::RestoredBadState
                | Verdict::CausedNewHarm
        )
        .then_some(o.verdict);
        let mut items = items(o);
        items.sort_by_key(|i| i.bucket);
        Postmortem {
            deploy: deploy(o),
            failure,
            rollback: rollback(o),
            trust_gap: trust_gap(o),
            items,
        }
    }

    /// The items of one bucket, in derivation order.
    pub fn bucket(&self, bucket: Bucket) -> impl Iterator<Item = &ActionItem> {
        self.items.iter().filter(move |i| i.bucket == bucket)
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// The deploy timeline's story: degradation and its traffic, or that it held.
fn deploy(o: &DrillOutcome) -> String {
    let w = &o.figures.deployed;
    let onset = o
        .timeline
        .iter()
        .find(|e| e.kind == EventKind::DegradationOnset)
        .map(|e| format!(" from +{}", human(e.at)));
    match onset {
        Some(at) => format!(
            "degraded{at}: {} of {} requests failed before the decision",
            w.failed, w.requests
        ),
        None if w.failed > 0 => format!(
            "{} of {} requests failed before the decision",
            w.failed, w.requests
        ),
        None => format!(
            "held: none of {} requests failed before the decision",
            w.requests
        ),
    }
}

fn rollback(o: &DrillOutcome) -> String {
    let failing: Vec<String> = o
        .oracles
        .iter()
        .filter(|r| r.failed())
        .map(|r| format!("{} ({})", r.oracle, first_line(&r.message)))
        .collect();
    let failing = failing.join("; ");
    match o.verdict {
        Verdict::Pass => "none: the rollback completed and every oracle held".into(),
        Verdict::NoRollback => "none: no rollback was needed, and none was decided".into(),
        Verdict::OverBudget => "none of the four: it held, but took longer than its budget".into(),
        Verdict::FailedToTrigger => "failed to trigger: no rollback was decided".into(),
        Verdict::FailedToComplete => format!(
            "failed to complete: {}",
            o.failure.as_deref().map_or("a step failed", first_line)
        ),
        Verdict::RestoredBadState => format!("restored a bad state: {failing}"),
        Verdict::CausedNewHarm => format!("caused new harm: {failing}"),
    }
}

/// The expectation is what was known of this path before the drill: a match reproduced it,
/// a mismatch shows the belief was never tested.
fn trust_gap(o: &DrillOutcome) -> String {
    if o.decision.is_none() {
        return "this rollback path was not exercised: no rollback was decided".into();
    }
    if o.matched {
        format!(
            "this rollback path was exercised under these conditions before: the scenario expects {} and the drill reproduced it",
            o.expected
        )
    } else {
        format!(
            "this rollback path was not exercised under these conditions before: the scenario expected {}, the drill found {}",
            o.expected, o.verdict
        )
    }
}

fn items(o: &DrillOutcome) -> Vec<ActionItem> {
    let mut items = Vec::new();
    let mut push = |(bucket, advice): (Bucket, &'static str), source: String| {
        let item = ActionItem {
            bucket,
            source,
            advice,
        };
        if !items.contains(&item) {
            items.push(item);
        }
    };
    if o.verdict == Verdict::FailedToTrigger {
        push(advice::TRIGGER, format!("verdict {}", o.verdict));
    }
    if o.figures.deployed.failed > 0 {
        let w = &o.figures.deployed;
        let source = format!("deploy traffic: {} of {} failed", w.failed, w.requests);
        push(advice::DEGRADED, source);
    }
    for f in &o.preflight {
        let silenced = matches!(f.disposition, Some(crate::lint::Disposition::Silenced(_)));
        if f.severity == Severity::Info || silenced {
            continue;
        }
        push(
            advice::for_rule(f.rule),
            format!("{} ({}:{})", f.rule, f.file, f.line),
        );
    }
    for r in o.oracles.iter().filter(|r| r.failed()) {
        let source = format!("oracle {}: {}", r.oracle, first_line(&r.message));
        push(advice::for_oracle(r.oracle), source);
    }
    for s in o.steps.iter().filter(|s| !s.ok) {
        if let Some(cause) = s.cause {
            let source = format!("step {}: {}", s.step, first_line(s.plain_detail()));
            push(advice::for_step(cause), source);
        }
    }
    items
}

#[cfg(test)]
mod tests;
