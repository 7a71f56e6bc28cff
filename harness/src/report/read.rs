//! Reading a JSON report back (`read`) into the records and drill events it was written from
//! (`Shard`), and playing a shard to reporters as the events of a run (`Shard::replay`), so
//! every report renders from it the same way it renders from a run. `rollcage report merge`
//! reads each shard of a partitioned run this way.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::html::RunMarks;
use crate::events::{DrillEvent, Event, Reporter};
use crate::outcome::{Deployed, DrillOutcome, DrillRecord, RepeatFigures, Run, Summary};
use crate::vocab::Strategy;

/// What a JSON report holds: every scenario's record, and each run's drill events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shard {
    /// The rollcage version that wrote it.
    pub version: String,
    /// Every scenario, in report order.
    pub records: Vec<DrillRecord>,
    /// What each run reported as it ran.
    pub marks: Vec<RunMarks>,
    /// A signal stopped the run that wrote it: scenarios after the interruption are missing.
    pub interrupted: bool,
}

/// Why a JSON report could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("reading report {}", path.display())]
    Io {
        /// The report file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not a rollcage JSON report (or it was cut short).
    #[error("{} is not a rollcage JSON report", path.display())]
    Shape {
        /// The report file.
        path: PathBuf,
        /// Where in the document it went wrong, and how.
        #[source]
        source: serde_path_to_error::Error<serde_json::Error>,
    },
}

#[derive(Deserialize)]
struct Document {
    rollcage: String,
    #[serde(default)]
    interrupted: bool,
    drills: Vec<DrillJson>,
}

#[derive(Deserialize)]
struct DrillJson {
    scenario: String,
    file: String,
    deploy: Deployed,
    strategy: Option<Strategy>,
    database_image: String,
    runs: Vec<RunJson>,
}

#[derive(Deserialize)]
struct RunJson {
    repetition: usize,
    #[serde(with = "crate::vocab::millis")]
    wall_ms: Duration,
    error: Option<String>,
    outcome: Option<DrillOutcome>,
    #[serde(default)]
    events: Vec<DrillEvent>,
}

/// Reads the JSON report at `path`.
pub fn read(path: &Path) -> Result<Shard, ReadError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text).map_err(|source| ReadError::Shape {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a JSON report's text. Summary, status and percentiles are derived again from the
/// runs, as a run derives them; what the report said of them is not trusted.
pub fn parse(text: &str) -> Result<Shard, serde_path_to_error::Error<serde_json::Error>> {
    let mut json = serde_json::Deserializer::from_str(text);
    let doc: Document = serde_path_to_error::deserialize(&mut json)?;
    let mut shard = Shard {
        version: doc.rollcage,
        interrupted: doc.interrupted,
        ..Shard::default()
    };
    for (i, d) in doc.drills.into_iter().enumerate() {
        let mut runs = Vec::new();
        for r in d.runs {
            shard.marks.push(RunMarks {
                index: i + 1,
                scenario: d.scenario.clone(),
                repetition: r.repetition,
                events: r.events,
            });
            // A run without an outcome could not run; its error says why.
            let result = match (r.outcome, r.error) {
                (Some(o), _) => Ok(o),
                (None, e) => Err(e.unwrap_or_else(|| "no outcome in the report".into())),
            };
            runs.push(Run {
                repetition: r.repetition,
                wall: r.wall_ms,
                result,
            });
        }
        shard.records.push(DrillRecord {
            scenario: d.scenario,
            file: d.file,
            deploy: d.deploy,
            strategy: d.strategy,
            database_image: d.database_image,
            percentiles: RepeatFigures::of(&runs),
            runs,
        });
    }
    Ok(shard)
}

impl Shard {
    /// Plays the shard to `reporter` as the runner reports a run: each scenario's drills with
    /// their events, each scenario's end, the run's end. `finish` is the caller's.
    pub fn replay(&self, reporter: &mut dyn Reporter) {
        let repeat = self.records.iter().map(|r| r.runs.len()).max().unwrap_or(1);
        let total = self.records.len();
        reporter.report(&Event::RunStarted {
            scenarios: total,
            repeat,
        });
        for (i, record) in self.records.iter().enumerate() {
            for run in &record.runs {
                reporter.report(&Event::DrillStarted {
                    index: i + 1,
                    total,
                    scenario: record.scenario.clone(),
                    repetition: run.repetition,
                    repeat,
                });
                for e in RunMarks::of(&self.marks, &record.scenario, run.repetition) {
                    reporter.report(&Event::Drill {
                        index: i + 1,
                        repetition: run.repetition,
                        event: e.clone(),
                    });
                }
                reporter.report(&Event::DrillFinished {
                    index: i + 1,
                    scenario: record.scenario.clone(),
                    repetition: run.repetition,
                    wall: run.wall,
                    result: run.result.clone().map(Box::new),
                });
            }
            reporter.report(&Event::ScenarioFinished(Box::new(record.clone())));
        }
        reporter.report(&Event::RunFinished(Summary::of(&self.records)));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_interrupted_runs_report_reads_back_as_interrupted() {
        let doc = |extra: &str| format!(r#"{{"rollcage": "0.1.0"{extra}, "drills": []}}"#);
        let shard = super::parse(&doc(r#", "interrupted": true"#)).unwrap();
        assert!(shard.interrupted && shard.records.is_empty());
        assert!(!super::parse(&doc("")).unwrap().interrupted);
    }
}
