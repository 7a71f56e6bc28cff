//! How a drill event reads on the drill's timeline: the one mapping from the event stream to
//! the `Timeline` the engine records and reports show, so both say the same thing.

use super::{DrillEvent, DrillEventKind};
use crate::outcome::StepRecord;
use crate::timeline::EventKind;
use crate::vocab::Oracle;

impl DrillEvent {
    /// The timeline entry for this event, if it has one: entering a phase does not, and of the
    /// oracles only a smoke test that did not fail shows (as `SmokePassed`).
    pub fn timeline_entry(&self) -> Option<(EventKind, String)> {
        Some(match &self.kind {
            DrillEventKind::PhaseEntered(_) => return None,
            DrillEventKind::FaultInjected { kind, phase, what } => {
                (EventKind::Fault, format!("{kind} ({phase}): {what}"))
            }
            DrillEventKind::FaultHealed { what } => (EventKind::FaultHealed, what.clone()),
            DrillEventKind::Decision { reason } => (EventKind::RollbackDecision, reason.clone()),
            DrillEventKind::StepStarted { step, attempt } => {
                (EventKind::StepStarted, format!("{step}{}", rerun(*attempt)))
            }
            DrillEventKind::StepFinished(r) => step_finished(r),
            DrillEventKind::OracleChecked(r) if r.oracle == Oracle::Smoke && !r.failed() => {
                (EventKind::SmokePassed, r.message.clone())
            }
            DrillEventKind::OracleChecked(_) => return None,
            DrillEventKind::Milestone { kind, detail } => (kind.clone(), detail.clone()),
        })
    }
}

/// `switch-code (re-run): <detail>`: on the timeline the re-run is said after the step's name.
fn step_finished(r: &StepRecord) -> (EventKind, String) {
    let kind = if r.ok {
        EventKind::StepFinished
    } else {
        EventKind::StepFailed
    };
    let detail = r.plain_detail();
    (kind, format!("{}{}: {detail}", r.step, rerun(r.attempt)))
}

fn rerun(attempt: u32) -> String {
    if attempt > 1 {
        format!(" {}", StepRecord::RERUN)
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::outcome::StepCause;
    use crate::verify::OracleResult;
    use crate::vocab::{FaultKind, Phase, Step};

    fn entry(kind: DrillEventKind) -> Option<(EventKind, String)> {
        DrillEvent {
            at: Duration::ZERO,
            kind,
        }
        .timeline_entry()
    }

    #[test]
    fn events_read_on_the_timeline_as_the_engine_always_wrote_them() {
        let record = StepRecord {
            step: Step::MigrateDown,
            at: Duration::ZERO,
            took: Duration::ZERO,
            ok: false,
            detail: StepRecord::detail_for(2, "the migrator stopped after 2 statement(s)".into()),
            attempt: 2,
            cause: Some(StepCause::MigratorStopped),
        };
        assert_eq!(
            entry(DrillEventKind::StepFinished(record)),
            Some((
                EventKind::StepFailed,
                format!(
                    "{} (re-run): the migrator stopped after 2 statement(s)",
                    Step::MigrateDown
                )
            ))
        );
        assert_eq!(
            entry(DrillEventKind::StepStarted {
                step: Step::SwitchCode,
                attempt: 1
            }),
            Some((EventKind::StepStarted, Step::SwitchCode.to_string()))
        );
        assert_eq!(
            entry(DrillEventKind::FaultInjected {
                kind: FaultKind::KillApp,
                phase: Phase::AfterDeploy,
                what: "killed app".into()
            }),
            Some((
                EventKind::Fault,
                format!(
                    "{} ({}): killed app",
                    FaultKind::KillApp,
                    Phase::AfterDeploy
                )
            ))
        );
        assert_eq!(
            entry(DrillEventKind::PhaseEntered(Phase::BeforeDeploy)),
            None
        );
        let smoke = OracleResult::pass(Oracle::Smoke, "POST /entries answered 201");
        assert_eq!(
            entry(DrillEventKind::OracleChecked(smoke)),
            Some((EventKind::SmokePassed, "POST /entries answered 201".into()))
        );
        let health = OracleResult::fail(Oracle::Health, "no probe");
        assert_eq!(entry(DrillEventKind::OracleChecked(health)), None);
    }
}
