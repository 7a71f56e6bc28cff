//! The spinner on stderr while a drill runs ("drill 3/14: notnull-code-only — switch-code"),
//! as a reporter: shown at `DrillStarted`, told what the drill is doing by its events, cleared
//! at `DrillFinished`. Hidden when stderr is not a terminal or with `--quiet`, so logs and
//! pipes get only the reports.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::events::{DrillEventKind, Event, Reporter, ReporterError};

/// One spinner at a time, replaced for each drill and cleared before its report prints.
pub struct Progress {
    total: usize,
    visible: bool,
    bar: Option<ProgressBar>,
    /// `drill 3/14: name` of the drill now running; None between drills.
    drill: Option<String>,
    /// What the spinner says (kept when hidden too, so it can be checked).
    message: Option<String>,
}

impl Progress {
    /// For `total` scenarios; shown only on a terminal and when not `quiet`.
    pub fn new(total: usize, quiet: bool) -> Progress {
        Progress {
            total,
            visible: !quiet && std::io::stderr().is_terminal(),
            bar: None,
            drill: None,
            message: None,
        }
    }

    /// Whether the spinner is shown: stderr is a terminal and `quiet` is off.
    pub fn visible(&self) -> bool {
        self.visible
    }

    /// What the spinner says now; None when no drill runs.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Shows the spinner for scenario number `index` (1-based), run `repetition` of `repeat`.
    pub fn start(&mut self, index: usize, scenario: &str, repetition: usize, repeat: usize) {
        self.clear();
        let drill = message(index, self.total, scenario, repetition, repeat);
        self.drill = Some(drill.clone());
        self.message = Some(drill.clone());
        if !self.visible {
            return;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed:.dim}") {
            bar.set_style(style);
        }
        bar.set_message(drill);
        bar.enable_steady_tick(Duration::from_millis(120));
        self.bar = Some(bar);
    }

    /// Says what the running drill is doing now, after its name.
    fn doing(&mut self, activity: String) {
        let Some(drill) = &self.drill else { return };
        let message = format!("{drill} — {activity}");
        if let Some(bar) = &self.bar {
            bar.set_message(message.clone());
        }
        self.message = Some(message);
    }

    /// Removes the spinner, so what is printed next starts on a clean line.
    pub fn clear(&mut self) {
        self.drill = None;
        self.message = None;
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Reporter for Progress {
    fn report(&mut self, event: &Event) {
        match event {
            Event::RunStarted { scenarios, .. } => self.total = *scenarios,
            Event::DrillStarted {
                index,
                total,
                scenario,
                repetition,
                repeat,
            } => {
                self.total = *total;
                self.start(*index, scenario, *repetition, *repeat);
            }
            Event::Drill(e) => {
                if let Some(a) = activity(&e.kind) {
                    self.doing(a);
                }
            }
            Event::DrillFinished { .. } | Event::RunFinished(_) => self.clear(),
            Event::ScenarioFinished(_) => {}
        }
    }

    fn finish(&mut self) -> Result<(), ReporterError> {
        self.clear();
        Ok(())
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `drill 3/14: notnull-code-only`, with `(run 2/5)` when repeated.
pub fn message(
    index: usize,
    total: usize,
    scenario: &str,
    repetition: usize,
    repeat: usize,
) -> String {
    let mut m = format!("drill {index}/{total}: {scenario}");
    if repeat > 1 {
        m.push_str(&format!(" (run {repetition}/{repeat})"));
    }
    m
}

/// What a drill is doing after one of its events; None keeps what the spinner said (a healed
/// fault or a finished step says nothing new until the next thing starts).
pub fn activity(kind: &DrillEventKind) -> Option<String> {
    match kind {
        DrillEventKind::PhaseEntered(phase) => Some(phase.as_str().to_string()),
        DrillEventKind::FaultInjected { kind, .. } => Some(format!("fault {}", kind.as_str())),
        DrillEventKind::Decision { .. } => Some("rollback decided".to_string()),
        DrillEventKind::StepStarted { step, attempt: 1 } => Some(step.as_str().to_string()),
        DrillEventKind::StepStarted { step, attempt } => {
            Some(format!("{} (attempt {attempt})", step.as_str()))
        }
        DrillEventKind::OracleChecked(r) => Some(format!("oracle {}", r.oracle.as_str())),
        DrillEventKind::FaultHealed { .. }
        | DrillEventKind::StepFinished(_)
        | DrillEventKind::Milestone { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::DrillEvent;
    use crate::vocab::{Phase, Step};

    fn drill(kind: DrillEventKind) -> Event {
        Event::Drill(DrillEvent {
            at: Duration::ZERO,
            kind,
        })
    }

    #[test]
    fn messages() {
        assert_eq!(
            message(3, 14, "notnull-code-only", 1, 1),
            "drill 3/14: notnull-code-only"
        );
        assert_eq!(message(1, 2, "x", 2, 5), "drill 1/2: x (run 2/5)");
    }

    #[test]
    fn quiet_is_hidden() {
        let mut p = Progress::new(1, true);
        assert!(!p.visible());
        p.start(1, "x", 1, 1);
        assert!(p.bar.is_none());
    }

    #[test]
    fn the_message_follows_the_drill_and_clears_when_it_ends() {
        let mut p = Progress::new(0, true);
        p.report(&Event::RunStarted {
            scenarios: 14,
            repeat: 1,
        });
        assert_eq!(p.message(), None);
        p.report(&Event::DrillStarted {
            index: 3,
            total: 14,
            scenario: "notnull-code-only".into(),
            repetition: 1,
            repeat: 1,
        });
        assert_eq!(p.message(), Some("drill 3/14: notnull-code-only"));
        let switch = Step::SwitchCode;
        p.report(&drill(DrillEventKind::StepStarted {
            step: switch,
            attempt: 1,
        }));
        let expected = format!("drill 3/14: notnull-code-only — {}", switch.as_str());
        assert_eq!(p.message(), Some(expected.as_str()));
        // A healed fault says nothing new: the step is still what runs.
        p.report(&drill(DrillEventKind::FaultHealed { what: "db".into() }));
        assert_eq!(p.message(), Some(expected.as_str()));
        p.report(&drill(DrillEventKind::StepStarted {
            step: switch,
            attempt: 2,
        }));
        assert!(p.message().unwrap().ends_with("(attempt 2)"));
        p.report(&Event::DrillFinished {
            scenario: "notnull-code-only".into(),
            repetition: 1,
            wall: Duration::ZERO,
            result: Err("engine gone".into()),
        });
        assert_eq!(p.message(), None);
        // An event after the drill ended shows nothing.
        p.report(&drill(DrillEventKind::PhaseEntered(Phase::ALL[0])));
        assert_eq!(p.message(), None);
    }
}
