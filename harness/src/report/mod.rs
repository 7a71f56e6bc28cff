//! Reports of drills: the record of each scenario's runs (`DrillRecord`), and its renderings
//! for people (`terminal`), for tools (`json`) and for CI (`junit`), plus the spinner shown
//! while a drill runs (`progress`) and running a scenario `--repeat` times (`repeat`).

pub mod explore;
pub mod json;
pub mod junit;
pub mod predictions;
pub mod progress;
pub mod repeat;
pub mod terminal;

#[cfg(test)]
pub(crate) mod fixture;

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

pub use repeat::{run_scenario, RepeatFigures};

use crate::exit_codes;
use crate::rollback::{Deployed, DrillOutcome};
pub use crate::vocab::Status;
use crate::vocab::Strategy;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("writing report {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("encoding the JSON report")]
    Json(#[source] serde_json::Error),
    #[error("encoding the JUnit report")]
    Junit(#[source] quick_junit::SerializeError),
}

/// One run of a scenario.
#[derive(Debug, Clone)]
pub struct Run {
    /// 1-based.
    pub repetition: usize,
    /// Wall time of the whole drill, setup and teardown included.
    pub wall: Duration,
    /// The outcome, or the `DrillError` chain when the drill could not run.
    pub result: Result<DrillOutcome, String>,
}

impl Run {
    pub fn status(&self) -> Status {
        match &self.result {
            Ok(o) if o.matched => Status::Matched,
            Ok(_) => Status::Mismatched,
            Err(_) => Status::Error,
        }
    }

    /// Why this run is not a match, for people; None when it matched.
    pub fn problem(&self) -> Option<String> {
        match &self.result {
            Ok(o) => o.mismatch(),
            Err(e) => Some(format!("could not run: {e}")),
        }
    }
}

/// Every run of one scenario, and its figures over the runs.
#[derive(Debug, Clone)]
pub struct DrillRecord {
    pub scenario: String,
    pub file: String,
    pub deploy: Deployed,
    /// None for a generated case that could not run (its choices were never reported).
    pub strategy: Option<Strategy>,
    pub database_image: String,
    pub runs: Vec<Run>,
    pub percentiles: RepeatFigures,
}

impl DrillRecord {
    /// Mismatched if any run mismatched; otherwise an error if any run could not run.
    pub fn status(&self) -> Status {
        let statuses: Vec<Status> = self.runs.iter().map(Run::status).collect();
        if statuses.contains(&Status::Mismatched) {
            Status::Mismatched
        } else if statuses.contains(&Status::Error) || statuses.is_empty() {
            Status::Error
        } else {
            Status::Matched
        }
    }

    pub fn repeated(&self) -> bool {
        self.runs.len() > 1
    }

    /// `scenario`, or `scenario#2` for the second of several runs.
    pub fn run_name(&self, run: &Run) -> String {
        if self.repeated() {
            format!("{}#{}", self.scenario, run.repetition)
        } else {
            self.scenario.clone()
        }
    }
}

/// How many scenarios ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub matched: usize,
    pub mismatched: usize,
    pub errors: usize,
}

impl Summary {
    pub fn of(records: &[DrillRecord]) -> Summary {
        let mut s = Summary::default();
        for r in records {
            match r.status() {
                Status::Matched => s.matched += 1,
                Status::Mismatched => s.mismatched += 1,
                Status::Error => s.errors += 1,
            }
        }
        s
    }

    pub fn all_matched(&self) -> bool {
        self.mismatched == 0 && self.errors == 0
    }

    pub fn exit_code(&self) -> i32 {
        exit_codes::for_drills(self.mismatched > 0, self.errors > 0)
    }
}

/// `CodeOnly` → `code-only`: the scenario-file spelling of a variant name.
pub fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fixture::{outcome, record};
    use super::*;

    #[test]
    fn status_of_a_record_is_its_worst_run() {
        let ok = outcome(true);
        let bad = outcome(false);
        let r = record(vec![Ok(ok.clone()), Ok(ok.clone())]);
        assert_eq!(r.status(), Status::Matched);
        let r = record(vec![Ok(ok.clone()), Err("engine gone".into())]);
        assert_eq!(r.status(), Status::Error);
        let r = record(vec![Err("engine gone".into()), Ok(bad)]);
        assert_eq!(r.status(), Status::Mismatched);
        assert_eq!(r.run_name(&r.runs[1]), "notnull-code-only#2");
        let single = record(vec![Ok(ok)]);
        assert_eq!(single.run_name(&single.runs[0]), "notnull-code-only");
    }

    #[test]
    fn summary_counts_scenarios_and_picks_the_exit_code() {
        let records = [
            record(vec![Ok(outcome(true))]),
            record(vec![Err("x".into())]),
        ];
        let s = Summary::of(&records);
        assert_eq!((s.matched, s.mismatched, s.errors), (1, 0, 1));
        assert_eq!(s.exit_code(), exit_codes::HARNESS_FAILURE);
        let s = Summary::of(&[
            record(vec![Ok(outcome(false))]),
            record(vec![Err("x".into())]),
        ]);
        assert_eq!(s.exit_code(), exit_codes::MISMATCH);
    }

    #[test]
    fn variant_names_in_kebab_case() {
        assert_eq!(kebab("CodeOnly"), "code-only");
        assert_eq!(kebab("RestoreSnapshot"), "restore-snapshot");
        assert_eq!(kebab("code-only"), "code-only");
    }
}
