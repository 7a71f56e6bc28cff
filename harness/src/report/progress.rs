//! The spinners on stderr while drills run, one per running drill ("drill 3/14:
//! notnull-code-only — switch-code"), as a reporter: one appears at `DrillStarted`, follows
//! what its drill is doing from the drill's events, and goes at `DrillFinished`. Every spinner
//! is wiped before a drill's line or report prints, and redraws below it. Hidden when stderr
//! is not a terminal or with `--quiet`, so logs and pipes get only the reports.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::events::{DrillEventKind, Event, Reporter, ReporterError};

/// A spinner per running drill (several with `--jobs`).
pub struct Progress {
    total: usize,
    /// Where the spinners draw; None when hidden.
    multi: Option<MultiProgress>,
    /// The running drills by (scenario index, repetition), in the run's order.
    running: BTreeMap<(usize, usize), Running>,
}

/// One running drill's spinner.
struct Running {
    /// `drill 3/14: name`.
    drill: String,
    /// What its spinner says (kept when hidden too, so it can be checked).
    message: String,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// For `total` scenarios; shown only on a terminal and when not `quiet`.
    pub fn new(total: usize, quiet: bool) -> Progress {
        let visible = !quiet && std::io::stderr().is_terminal();
        Progress {
            total,
            multi: visible.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            running: BTreeMap::new(),
        }
    }

    /// Whether the spinners are shown: stderr is a terminal and `quiet` is off.
    pub fn visible(&self) -> bool {
        self.multi.is_some()
    }

    /// What each running drill's spinner says, in the run's order; empty when none runs.
    pub fn messages(&self) -> Vec<&str> {
        self.running.values().map(|r| r.message.as_str()).collect()
    }

    /// Shows a spinner for scenario number `index` (1-based), run `repetition` of `repeat`.
    pub fn start(&mut self, index: usize, scenario: &str, repetition: usize, repeat: usize) {
        let drill = message(index, self.total, scenario, repetition, repeat);
        let bar = self.multi.as_ref().map(|multi| {
            let bar = multi.add(ProgressBar::new_spinner());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed:.dim}") {
                bar.set_style(style);
            }
            bar.set_message(drill.clone());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        let running = Running {
            message: drill.clone(),
            drill,
            bar,
        };
        if let Some(old) = self.running.insert((index, repetition), running) {
            self.remove(old);
        }
    }

    /// Says what drill (`index`, `repetition`) is doing now, after its name.
    fn doing(&mut self, index: usize, repetition: usize, activity: String) {
        let Some(r) = self.running.get_mut(&(index, repetition)) else {
            return;
        };
        r.message = format!("{} — {activity}", r.drill);
        if let Some(bar) = &r.bar {
            bar.set_message(r.message.clone());
        }
    }

    fn remove(&self, r: Running) {
        if let Some(bar) = r.bar {
            bar.finish_and_clear();
            if let Some(multi) = &self.multi {
                multi.remove(&bar);
            }
        }
    }

    /// Wipes the spinners from the screen, so what prints next starts on a clean line; the
    /// running drills' spinners redraw below it at their next tick.
    fn make_room(&self) {
        if let Some(multi) = &self.multi {
            let _ = multi.clear();
        }
    }

    /// Removes every spinner.
    pub fn clear(&mut self) {
        for (_, r) in std::mem::take(&mut self.running) {
            self.remove(r);
        }
        self.make_room();
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
            Event::Drill {
                index,
                repetition,
                event,
            } => {
                if let Some(a) = activity(&event.kind) {
                    self.doing(*index, *repetition, a);
                }
            }
            Event::DrillFinished {
                index, repetition, ..
            } => {
                if let Some(r) = self.running.remove(&(*index, *repetition)) {
                    self.remove(r);
                }
                self.make_room();
            }
            Event::ScenarioFinished(_) => self.make_room(),
            Event::RunFinished(_) => self.clear(),
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

    fn drill(index: usize, kind: DrillEventKind) -> Event {
        Event::Drill {
            index,
            repetition: 1,
            event: DrillEvent {
                at: Duration::ZERO,
                kind,
            },
        }
    }

    fn started(index: usize, scenario: &str) -> Event {
        Event::DrillStarted {
            index,
            total: 14,
            scenario: scenario.into(),
            repetition: 1,
            repeat: 1,
        }
    }

    fn finished(index: usize, scenario: &str) -> Event {
        Event::DrillFinished {
            index,
            scenario: scenario.into(),
            repetition: 1,
            wall: Duration::ZERO,
            result: Err("engine gone".into()),
        }
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
        assert!(p.running.values().all(|r| r.bar.is_none()));
    }

    #[test]
    fn the_message_follows_the_drill_and_clears_when_it_ends() {
        let mut p = Progress::new(0, true);
        p.report(&Event::RunStarted {
            scenarios: 14,
            repeat: 1,
        });
        assert!(p.messages().is_empty());
        p.report(&started(3, "notnull-code-only"));
        assert_eq!(p.messages(), ["drill 3/14: notnull-code-only"]);
        let switch = Step::SwitchCode;
        let step = |attempt| DrillEventKind::StepStarted {
            step: switch,
            attempt,
        };
        p.report(&drill(3, step(1)));
        let expected = format!("drill 3/14: notnull-code-only — {}", switch.as_str());
        assert_eq!(p.messages(), [expected.as_str()]);
        // A healed fault says nothing new: the step is still what runs.
        p.report(&drill(3, DrillEventKind::FaultHealed { what: "db".into() }));
        assert_eq!(p.messages(), [expected.as_str()]);
        p.report(&drill(3, step(2)));
        assert!(p.messages()[0].ends_with("(attempt 2)"));
        p.report(&finished(3, "notnull-code-only"));
        assert!(p.messages().is_empty());
        // An event after the drill ended shows nothing.
        p.report(&drill(3, DrillEventKind::PhaseEntered(Phase::ALL[0])));
        assert!(p.messages().is_empty());
    }

    #[test]
    fn parallel_drills_each_show_their_own_phase() {
        let mut p = Progress::new(14, true);
        p.report(&started(2, "rename"));
        p.report(&started(1, "baseline"));
        p.report(&drill(2, DrillEventKind::PhaseEntered(Phase::AfterDeploy)));
        let after = format!("drill 2/14: rename — {}", Phase::AfterDeploy.as_str());
        assert_eq!(p.messages(), ["drill 1/14: baseline", after.as_str()]);
        p.report(&finished(1, "baseline"));
        assert_eq!(p.messages(), [after.as_str()]);
    }
}
