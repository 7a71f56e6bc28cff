//! The event stream: what the runner and the engine report as a run goes on (`Event`,
//! `DrillEvent`), and the `Reporter` trait every report implements. Events flow one way, from
//! the engine and the runner to reporters; a reporter never drives a drill.

mod entry;
mod fanout;

pub use fanout::FanOut;

use std::time::Duration;

use crate::outcome::{DrillOutcome, DrillRecord, StepRecord, Summary};
use crate::timeline::EventKind;
/// What an oracle found, as `OracleChecked` carries it; re-exported so reporters need not
/// reach below the event stream for it.
pub use crate::verify::OracleResult;
use crate::vocab::{FaultKind, Phase, Step};

/// One thing that happened in a run of drills.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The runner is about to run `scenarios` scenarios, each `repeat` times.
    RunStarted { scenarios: usize, repeat: usize },
    /// A drill of scenario number `index` (1-based, of `total`) starts.
    DrillStarted {
        index: usize,
        total: usize,
        scenario: String,
        /// 1-based, of `repeat`.
        repetition: usize,
        repeat: usize,
    },
    /// Something happened inside the drill now running.
    Drill(DrillEvent),
    /// A drill ended: its outcome, or the harness error (with its causes) that stopped it.
    DrillFinished {
        scenario: String,
        repetition: usize,
        /// Setup and teardown included.
        wall: Duration,
        result: Result<Box<DrillOutcome>, String>,
    },
    /// Every repetition of a scenario ended.
    ScenarioFinished(Box<DrillRecord>),
    /// Every scenario ended.
    RunFinished(Summary),
}

/// An event inside one drill, timed from the drill's start.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillEvent {
    pub at: Duration,
    pub kind: DrillEventKind,
}

/// What happened inside a drill.
#[derive(Debug, Clone, PartialEq)]
pub enum DrillEventKind {
    /// The drill reached one of its phases (the points where faults may be placed).
    PhaseEntered(Phase),
    FaultInjected {
        kind: FaultKind,
        phase: Phase,
        what: String,
    },
    FaultHealed {
        what: String,
    },
    /// The rollback decision; `reason` is the trigger's.
    Decision {
        reason: String,
    },
    StepStarted {
        step: Step,
        /// 1, or 2 when the rollback runs again after an interruption.
        attempt: u32,
    },
    StepFinished(StepRecord),
    OracleChecked(OracleResult),
    /// A point on the drill's timeline none of the above is: the environment ready, a release
    /// healthy, the capture, the deploy and its migrations, degradation onset, verification.
    Milestone {
        kind: EventKind,
        detail: String,
    },
}

/// Receives every event of a run, in order. Reports are reporters: the terminal report, the
/// JSON and JUnit files, the progress display.
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
    #[error("writing report {}", path.display())]
    Write {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("encoding report {}", path.display())]
    Encode {
        path: std::path::PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}
