//! Judging the workload: each request attributed to the phase in which it was sent and to
//! the release serving then, and from that the harm, traffic and budget oracles and the
//! drill's figures.

use std::time::Instant;

use super::drill::Drill;
use super::judge::Observed;
use crate::outcome::StepRecord;
use crate::scenario::{Step, Trigger};
use crate::timeline::{EventKind, Figures, Timeline};
use crate::traffic::{stats, Outcome, Sample, TrafficLog};
use crate::verify::{self, Served};
use crate::vocab::Oracle;

/// How long after a fault heals its aftermath is still the fault's (pools reconnecting).
const FAULT_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// Harm, traffic and budget (after a decision) and the figures, from the traffic log. Each
/// request belongs to the phase in which it was sent and to the release serving then.
/// Announced outages (a snapshot restore) and injected faults, plus a moment for the app to
/// reconnect after a fault heals, are evidence against nothing.
pub fn judge_traffic(d: &mut Drill<'_>, o: &Observed, end: Instant) -> Figures {
    let log = &o.log;
    let decided = o.decided_at.unwrap_or(end);
    let verified_or_end = o.verified_at.unwrap_or(end);
    let mut excused = restore_spans(d.emit.timeline(), &d.records);
    let faults = d.faults.spans();
    excused.extend(faults.iter().map(|(a, b)| (*a, *b + FAULT_GRACE)));
    let judged = |x: &&Sample| !excused.iter().any(|(a, b)| x.sent <= *b && x.done >= *a);
    let sent = |from: Instant, to: Instant| {
        log.samples
            .iter()
            .filter(move |x| x.sent >= from && x.sent < to)
    };
    let deployed = stats(sent(o.serving_since, decided));
    // The restored release's own traffic starts once it serves and every step has run;
    // before that, whatever serves is still the rollback in progress.
    let restored = o.decided_at.and_then(|at| {
        let (cut, release) = d.env.serving.last_cut_over_since(at)?;
        let from = cut.max(steps_done(d.emit.timeline(), &d.records).unwrap_or(cut));
        Some((from, release.to_string()))
    });
    let handover = restored.as_ref().map_or(end, |(from, _)| *from);
    let during = stats(sent(decided, handover).filter(judged));
    let served = restored.map(|(from, release)| {
        let mut first_failure = None;
        let requests: Vec<&Sample> = sent(from, end).filter(judged).collect();
        if let Some(x) = requests.iter().find(|x| !x.ok()) {
            first_failure = Some(describe(&x.outcome));
        }
        Served {
            release,
            stats: stats(requests.into_iter()),
            first_failure,
        }
    });
    let before_deploy = stats(sent(o.traffic_start, o.deploy_start));
    let deploying = stats(sent(o.deploy_start, o.serving_since));
    let recovery_time = o
        .decided_at
        .zip(o.verified_at)
        .map(|(d, v)| v.duration_since(d));
    if o.decided_at.is_some() {
        d.checked(verify::check_harm(&deployed, &during));
        d.checked(verify::check_served(&before_deploy, served.as_ref()));
        d.checked(verify::check_budget(
            recovery_time,
            d.scenario.rollback.budget,
        ));
    }
    let after = o
        .verified_at
        .map(|v| stats(sent(v, end).filter(judged)))
        .unwrap_or_default();
    let tl = d.emit.timeline();
    let onset = tl
        .first(&EventKind::DegradationOnset)
        .map(|at| tl.origin() + at);
    let failed = |oracle: Oracle| d.oracles.iter().any(|r| r.oracle == oracle && r.failed());
    let recovered = o.verified_at.is_some() && !failed(Oracle::Health) && !failed(Oracle::Traffic);
    let ongoing = log
        .samples
        .iter()
        .max_by_key(|x| x.sent)
        .is_some_and(|x| !x.ok());
    Figures {
        recovery_time,
        recovered,
        time_to_detect: onset.zip(o.decided_at).map(|(on, d)| d.duration_since(on)),
        detected_by_trigger: matches!(d.scenario.rollback.trigger, Trigger::Auto(_)),
        outage: log
            .failure_span(o.deploy_start, end)
            .map(|(a, b)| b.duration_since(a)),
        outage_ongoing: ongoing,
        time_to_healthy: d.effects.time_to_healthy,
        before_deploy,
        deploying,
        deployed,
        rollback: stats(sent(decided, verified_or_end)),
        failed_after_rollback: after.failed,
    }
}

/// How a failed request ended, for evidence.
fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Acked => "acknowledged".to_string(),
        Outcome::Answered { status } => format!("answered {status} as expected"),
        Outcome::Rejected { status } => format!("answered {status}"),
        Outcome::Failed { error } => error.clone(),
    }
}

/// When the last rollback step finished.
fn steps_done(tl: &Timeline, records: &[StepRecord]) -> Option<Instant> {
    records.iter().map(|r| tl.origin() + r.at + r.took).max()
}

/// When each restore-snapshot step ran (its announced outage), as instants.
fn restore_spans(tl: &Timeline, records: &[StepRecord]) -> Vec<(Instant, Instant)> {
    records
        .iter()
        .filter(|r| r.step == Step::RestoreSnapshot)
        .map(|r| (tl.origin() + r.at, tl.origin() + r.at + r.took))
        .collect()
}

/// The previous release failing on the migrated schema while the deploy ran, beyond its own
/// rate before the deploy: when the first such request was sent, and the finding in words.
pub fn failing_while_deploying(
    log: &TrafficLog,
    before: (Instant, Instant),
    deploying: (Instant, Instant),
    from: &str,
) -> Option<(Instant, String)> {
    let sent = |(a, b): (Instant, Instant)| {
        log.samples
            .iter()
            .filter(move |x| x.sent >= a && x.sent < b)
    };
    let during = stats(sent(deploying));
    if !verify::worse_than(&stats(sent(before)), &during) {
        return None;
    }
    let first = sent(deploying).find(|x| !x.ok())?;
    let what = format!(
        "{from} failed {} of {} requests while the deploy ran (first: {}): a code-only rollback puts it back on this schema",
        during.failed,
        during.requests,
        describe(&first.outcome),
    );
    Some((first.sent, what))
}
