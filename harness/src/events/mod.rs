//! The event stream: what the runner and the engine report as a run goes on (`Event`,
//! `DrillEvent`), and the `Reporter` trait every report implements. Events flow one way, from
//! the engine and the runner to reporters; a reporter never drives a drill.

mod entry;
mod fanout;

pub use fanout::FanOut;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::outcome::{DrillOutcome, DrillRecord, Redactor, StepRecord, Summary};
use crate::timeline::EventKind;
/// What an oracle found, as `OracleChecked` carries it; re-exported so reporters need not
/// reach below the event stream for it.
pub use crate::verify::OracleResult;
use crate::vocab::{FaultKind, Phase, Step};

/// One thing that happened in a run of drills.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The runner is about to run `scenarios` scenarios, each `repeat` times.
    RunStarted {
        /// How many scenarios will run.
        scenarios: usize,
        /// How many times each runs (`--repeat`).
        repeat: usize,
    },
    /// A drill of scenario number `index` (1-based, of `total`) starts.
    DrillStarted {
        /// 1-based position of the scenario in the run.
        index: usize,
        /// How many scenarios the run has.
        total: usize,
        /// The scenario's name.
        scenario: String,
        /// 1-based, of `repeat`.
        repetition: usize,
        /// How many times the scenario runs.
        repeat: usize,
    },
    /// Something happened inside a running drill. With `--jobs`, several drills run at once,
    /// so each event names its drill.
    Drill {
        /// 1-based position of the drill's scenario in the run, as in `DrillStarted`.
        index: usize,
        /// 1-based repetition, as in `DrillStarted`.
        repetition: usize,
        /// What happened.
        event: DrillEvent,
    },
    /// A drill ended: its outcome, or the harness error (with its causes) that stopped it.
    DrillFinished {
        /// 1-based position of the scenario in the run, as in `DrillStarted`.
        index: usize,
        /// The scenario's name.
        scenario: String,
        /// 1-based repetition that ended.
        repetition: usize,
        /// Setup and teardown included.
        wall: Duration,
        /// The outcome, or the harness error chain when the drill could not run.
        result: Result<Box<DrillOutcome>, String>,
    },
    /// Every repetition of a scenario ended. Scenarios finish in the run's order even when
    /// drills run in parallel, so reports list them as the files were given.
    ScenarioFinished(Box<DrillRecord>),
    /// Every scenario ended.
    RunFinished(Summary),
}

/// An event inside one drill, timed from the drill's start. The JSON report keeps them, so a
/// report merged from shards draws the same timelines as the run's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillEvent {
    /// Time since the drill started.
    #[serde(rename = "at_ms", with = "crate::vocab::millis")]
    pub at: Duration,
    /// What happened.
    pub kind: DrillEventKind,
}

impl DrillEvent {
    /// The event with every secret in its text replaced, before any reporter sees it.
    pub fn redact(&mut self, r: &Redactor) {
        match &mut self.kind {
            DrillEventKind::FaultInjected { what, .. } | DrillEventKind::FaultHealed { what } => {
                r.text(what)
            }
            DrillEventKind::Decision { reason } => r.text(reason),
            DrillEventKind::StepFinished(step) => r.text(&mut step.detail),
            DrillEventKind::OracleChecked(result) => r.text(&mut result.message),
            DrillEventKind::Milestone { detail, .. } => r.text(detail),
            DrillEventKind::PhaseEntered(_) | DrillEventKind::StepStarted { .. } => {}
        }
    }
}

/// What happened inside a drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", content = "data", rename_all = "kebab-case")]
pub enum DrillEventKind {
    /// The drill reached one of its phases (the points where faults may be placed).
    PhaseEntered(Phase),
    /// A scheduled fault was injected.
    FaultInjected {
        /// Which kind of fault.
        kind: FaultKind,
        /// The phase it was placed at.
        phase: Phase,
        /// What was done, for the timeline.
        what: String,
    },
    /// A fault's duration ran out and it was undone.
    FaultHealed {
        /// What undoing it did, for the timeline.
        what: String,
    },
    /// The rollback decision; `reason` is the trigger's.
    Decision {
        /// Why the trigger fired, e.g. `3 of the last 4 windows held: ...`.
        reason: String,
    },
    /// A rollback step started.
    StepStarted {
        /// Which step.
        step: Step,
        /// 1, or 2 when the rollback runs again after an interruption.
        attempt: u32,
    },
    /// A rollback step ended, with how it went.
    StepFinished(StepRecord),
    /// An oracle checked the end state, with what it found.
    OracleChecked(OracleResult),
    /// A point on the drill's timeline none of the above is: the environment ready, a release
    /// healthy, the capture, the deploy and its migrations, degradation onset, verification.
    Milestone {
        /// Which milestone.
        kind: EventKind,
        /// What it concerns, for the timeline (e.g. the release that became healthy).
        detail: String,
    },
}

/// Receives every event of a run, in the order they happened. Reports are reporters: the
/// terminal report, the JSON and JUnit files, the progress display.
pub trait Reporter: Send {
    /// Called for each event as it happens.
    fn report(&mut self, event: &Event);

    /// Called once after `RunFinished`: write files, flush output.
    fn finish(&mut self) -> Result<(), ReporterError> {
        Ok(())
    }
}

/// Why a reporter could not deliver its report: the one error type of every report.
#[derive(Debug, thiserror::Error)]
pub enum ReporterError {
    /// The report file could not be written.
    #[error("writing report {}", path.display())]
    Write {
        /// The report file.
        path: std::path::PathBuf,
        /// The I/O error writing it.
        #[source]
        source: std::io::Error,
    },
    /// The report could not be encoded (as JSON or JUnit XML).
    #[error("encoding report {}", path.display())]
    Encode {
        /// The report file it was meant for.
        path: std::path::PathBuf,
        /// The encoder's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}
