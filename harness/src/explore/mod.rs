//! `rollcage explore`: generated drills over a scenario's space (`Space`), each run with the
//! drill's oracles (the workload varied too: request kinds dropped, values pinned to edges);
//! a failing case is shrunk step by step to a minimal one, written as a
//! scenario file `rollcage drill` replays, and grouped by `Signature`.

mod run;
mod shrink;
mod signature;
mod space;
mod workload;

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

pub use run::{explore, generate};
pub use signature::Signature;
pub use space::{Case, Space};
pub use workload::{Workload, MAX_PINS};

use crate::outcome::DrillOutcome;

/// Settings of one `rollcage explore` run.
#[derive(Debug, Clone)]
pub struct ExploreOptions {
    /// How many cases to generate at most.
    pub cases: u32,
    /// Seed of the case generator: the same seed yields the same cases.
    pub seed: u64,
    /// Stop starting new cases after this long.
    pub time_budget: Option<Duration>,
    /// Where minimal failing cases are written.
    pub out_dir: PathBuf,
    /// Fault kinds to generate.
    pub fault_kinds: Vec<crate::vocab::FaultKind>,
    /// Most faults one case schedules.
    pub max_faults: usize,
    /// Real drills the shrinker may run per failure.
    pub max_shrink_runs: u32,
    /// Reuse one sandbox and database server across cases (each case on its own database);
    /// false starts fresh containers for every case.
    pub reuse: bool,
}

/// One case as run.
#[derive(Debug, Clone)]
pub struct CaseRun {
    /// 1-based index of the case in the exploration.
    pub index: u32,
    /// Generated scenario name, `explore-<scenario>-s<seed>-c<index>`.
    pub name: String,
    /// Wall time of the drill, setup and teardown included.
    pub wall: Duration,
    /// The outcome, or the harness error chain when the drill could not run.
    pub result: Result<DrillOutcome, String>,
}

/// One defect: its signature, the minimal case and where it was written.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// Verdict, failing oracles and fault kinds that identify the defect.
    pub signature: Signature,
    /// Generated cases that failed this way.
    pub occurrences: u32,
    /// Index of the first generated case that failed this way.
    pub first_case: u32,
    /// Scenario file the minimal case was written to, which `rollcage drill` replays.
    pub file: PathBuf,
    /// Drills the shrinker ran to reach the minimal case.
    pub shrink_runs: u32,
    /// The minimal case's outcome (not serialized); None when it was not kept.
    #[serde(skip)]
    pub minimal: Option<DrillOutcome>,
}

/// What one `rollcage explore` run found.
#[derive(Debug, Clone, Default)]
pub struct ExploreReport {
    /// The seed the cases were generated from.
    pub seed: u64,
    /// Every generated case as run, in order (shrinking drills not included).
    pub runs: Vec<CaseRun>,
    /// One entry per distinct defect, in the order found.
    pub failures: Vec<Failure>,
    /// Wall time of the whole exploration, shrinking included.
    pub elapsed: Duration,
}

impl ExploreReport {
    /// Drills run: generated cases plus the shrinker's.
    pub fn drills(&self) -> u32 {
        self.runs.len() as u32 + self.failures.iter().map(|f| f.shrink_runs).sum::<u32>()
    }

    /// Drills per minute of wall time, shrinking included.
    pub fn cases_per_minute(&self) -> f64 {
        f64::from(self.drills()) / self.elapsed.as_secs_f64().max(1e-9) * 60.0
    }
}
