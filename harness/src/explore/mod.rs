//! `rollcage explore`: generated drills over a scenario's space (`Space`), each run with the
//! drill's oracles; a failing case is shrunk with proptest to a minimal one, written as a
//! scenario file `rollcage drill` replays, and grouped by `Signature`.

mod run;
mod signature;
mod space;

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

pub use run::{explore, generate};
pub use signature::Signature;
pub use space::{Case, Space};

use crate::outcome::DrillOutcome;

#[derive(Debug, Clone)]
pub struct ExploreOptions {
    pub cases: u32,
    pub seed: u64,
    /// Stop starting new cases after this long.
    pub time_budget: Option<Duration>,
    /// Where minimal failing cases are written.
    pub out_dir: PathBuf,
    /// Fault kinds to generate.
    pub fault_kinds: Vec<crate::vocab::FaultKind>,
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
    pub index: u32,
    pub name: String,
    pub wall: Duration,
    pub result: Result<DrillOutcome, String>,
}

/// One defect: its signature, the minimal case and where it was written.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub signature: Signature,
    /// Generated cases that failed this way.
    pub occurrences: u32,
    pub first_case: u32,
    pub file: PathBuf,
    pub shrink_runs: u32,
    #[serde(skip)]
    pub minimal: Option<DrillOutcome>,
}

#[derive(Debug, Clone, Default)]
pub struct ExploreReport {
    pub seed: u64,
    pub runs: Vec<CaseRun>,
    pub failures: Vec<Failure>,
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
