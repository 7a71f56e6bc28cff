//! The JSON report: everything the drills established, for tools — every run's full
//! `DrillOutcome` (timelines included), the harness errors, and the repeat percentiles.
//!
//! Shape: `{ "rollcage": version, "matched": bool, "summary": {...}, "drills": [ { scenario,
//! file, deploy, strategy, database_image, status, matched, repetitions, percentiles,
//! runs: [ { repetition, wall_ms, status, mismatch, error, outcome, events } ] } ] }`, where
//! `events` is what the drill reported as it ran (phases, faults, steps), for timelines.
//!
//! `JsonReporter` collects each scenario's record as it finishes and writes the file once the
//! run is over; stopped by a signal, it writes the scenarios that finished with
//! `"interrupted": true` (`interrupted_writer`). `report::read` reads it back, for
//! `rollcage report merge`.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::html::RunMarks;
use super::{DrillRecord, RepeatFigures, Run, Status, Summary};
use crate::events::{DrillEvent, Event, Reporter, ReporterError};
use crate::outcome::{Deployed, DrillOutcome};
use crate::vocab::Strategy;

/// Writes the JSON report of every scenario that finished to `path` at `finish`.
pub struct JsonReporter {
    path: PathBuf,
    /// Shared with the writer a signal runs, so what finished can be written then.
    kept: Arc<Mutex<Kept>>,
}

#[derive(Default)]
struct Kept {
    records: Vec<DrillRecord>,
    marks: Vec<RunMarks>,
    /// Written (by `finish` or after a signal): the other writer then writes nothing.
    written: bool,
}

impl JsonReporter {
    /// A reporter that will write its JSON report to `path`.
    pub fn new(path: impl Into<PathBuf>) -> JsonReporter {
        JsonReporter {
            path: path.into(),
            kept: Arc::default(),
        }
    }

    /// Writes the scenarios that finished, with `"interrupted": true`, when called: for a
    /// signal handler. Drills cut short are not in it, so nothing in it is a guess. Returns
    /// how many scenarios it wrote, or None when the report was already written.
    pub fn interrupted_writer(&self) -> impl FnOnce() -> Option<Result<usize, ReporterError>> {
        let (path, kept) = (self.path.clone(), self.kept.clone());
        move || {
            let mut k = kept.lock().unwrap_or_else(|e| e.into_inner());
            if std::mem::replace(&mut k.written, true) {
                return None;
            }
            Some(write_interrupted(&path, &k.records, &k.marks).map(|()| k.records.len()))
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Reporter for JsonReporter {
    fn report(&mut self, event: &Event) {
        let mut k = self.kept();
        RunMarks::collect(&mut k.marks, event);
        if let Event::ScenarioFinished(record) = event {
            k.records.push(record.as_ref().clone());
        }
    }

    fn finish(&mut self) -> Result<(), ReporterError> {
        let path = self.path.clone();
        let mut k = self.kept();
        if std::mem::replace(&mut k.written, true) {
            return Ok(());
        }
        write(&path, &k.records, &k.marks)
    }
}

#[derive(Serialize)]
struct Document<'a> {
    rollcage: &'static str,
    matched: bool,
    summary: Summary,
    drills: Vec<Drill<'a>>,
}

#[derive(Serialize)]
struct Drill<'a> {
    scenario: &'a str,
    file: &'a str,
    deploy: &'a Deployed,
    strategy: Option<Strategy>,
    database_image: &'a str,
    status: Status,
    matched: bool,
    repetitions: usize,
    percentiles: &'a RepeatFigures,
    runs: Vec<RunJson<'a>>,
}

#[derive(Serialize)]
struct RunJson<'a> {
    repetition: usize,
    #[serde(with = "crate::vocab::millis")]
    wall_ms: std::time::Duration,
    status: Status,
    /// Why the outcome did not match; null when it did or when the drill could not run.
    mismatch: Option<String>,
    /// The harness error; null when the drill ran.
    error: Option<&'a str>,
    outcome: Option<&'a DrillOutcome>,
    /// The drill's own events as it ran; empty when it could not run.
    events: &'a [DrillEvent],
}

fn run_json<'a>(scenario: &str, run: &'a Run, marks: &'a [RunMarks]) -> RunJson<'a> {
    let (outcome, error) = match &run.result {
        Ok(o) => (Some(o), None),
        Err(e) => (None, Some(e.as_str())),
    };
    RunJson {
        repetition: run.repetition,
        wall_ms: run.wall,
        status: run.status(),
        mismatch: outcome.and_then(DrillOutcome::mismatch),
        error,
        outcome,
        events: RunMarks::of(marks, scenario, run.repetition),
    }
}

/// The report as a JSON value: `records`, each run with its events in `marks`.
pub fn to_value(
    records: &[DrillRecord],
    marks: &[RunMarks],
) -> serde_json::Result<serde_json::Value> {
    let summary = Summary::of(records);
    let drills = records
        .iter()
        .map(|r| Drill {
            scenario: &r.scenario,
            file: &r.file,
            deploy: &r.deploy,
            strategy: r.strategy,
            database_image: &r.database_image,
            status: r.status(),
            matched: r.status() == Status::Matched,
            repetitions: r.runs.len(),
            percentiles: &r.percentiles,
            runs: r
                .runs
                .iter()
                .map(|run| run_json(&r.scenario, run, marks))
                .collect(),
        })
        .collect();
    let doc = Document {
        rollcage: env!("CARGO_PKG_VERSION"),
        matched: summary.all_matched(),
        summary,
        drills,
    };
    serde_json::to_value(doc)
}

/// Writes the report, pretty-printed, to `path`.
pub fn write(
    path: &Path,
    records: &[DrillRecord],
    marks: &[RunMarks],
) -> Result<(), ReporterError> {
    write_value(path, to_value(records, marks))
}

/// `write`, for a run a signal stopped: `"interrupted": true` beside the scenarios that
/// finished before it.
pub fn write_interrupted(
    path: &Path,
    records: &[DrillRecord],
    marks: &[RunMarks],
) -> Result<(), ReporterError> {
    let value = to_value(records, marks).map(|mut v| {
        if let Some(doc) = v.as_object_mut() {
            doc.insert("interrupted".into(), serde_json::Value::Bool(true));
        }
        v
    });
    write_value(path, value)
}

fn write_value(
    path: &Path,
    value: serde_json::Result<serde_json::Value>,
) -> Result<(), ReporterError> {
    let mut text = value
        .and_then(|v| serde_json::to_string_pretty(&v))
        .map_err(|e| ReporterError::Encode {
            path: path.to_path_buf(),
            source: Box::new(e),
        })?;
    text.push('\n');
    fs::write(path, text).map_err(|source| ReporterError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::{outcome, record};

    #[test]
    fn round_trip_has_the_expected_keys() {
        let records = [
            record(vec![Ok(outcome(true))]),
            record(vec![Ok(outcome(false)), Err("engine gone".into())]),
        ];
        let dir = std::env::temp_dir().join(format!("rollcage-json-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.json");
        write(&path, &records, &[]).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        fs::remove_dir_all(&dir).unwrap();

        assert_eq!(v["rollcage"], env!("CARGO_PKG_VERSION"));
        assert_eq!(v["matched"], false);
        assert_eq!(v["summary"]["mismatched"], 1);
        let first = &v["drills"][0];
        assert_eq!(first["status"], "matched");
        assert_eq!(first["matched"], true);
        assert_eq!(first["percentiles"]["recovery_time"]["p50"], 1234.0);
        assert!(first["percentiles"]["time_to_detect"].is_null());
        let run = &first["runs"][0];
        assert_eq!(run["wall_ms"], 5000.0);
        assert!(run["mismatch"].is_null() && run["error"].is_null());
        let o = &run["outcome"];
        for key in [
            "verdict",
            "expected",
            "matched",
            "oracles",
            "steps",
            "timeline",
            "figures",
            "capture",
            "writes",
            "recovery_point",
            "preflight",
            "predictions",
        ] {
            assert!(o.get(key).is_some(), "outcome lacks {key}: {o}");
        }
        assert_eq!(o["timeline"][3]["kind"], "rollback-decision");
        assert_eq!(o["preflight"][0]["rule"], "set-not-null");
        let p = &o["predictions"];
        assert_eq!(p["predictions"][0]["status"], "confirmed");
        assert_eq!(p["observations"][0]["predicted_by"][0], "set-not-null");
        assert_eq!(o["timeline"][3]["segment"], "rollback");

        let second = &v["drills"][1];
        assert_eq!(
            (second["status"].as_str(), second["repetitions"].as_u64()),
            (Some("mismatched"), Some(2))
        );
        assert_eq!(
            second["runs"][0]["mismatch"],
            "expected pass, got restored-bad-state"
        );
        assert_eq!(second["runs"][1]["status"], "error");
        assert_eq!(second["runs"][1]["error"], "engine gone");
        assert!(second["runs"][1]["outcome"].is_null());
    }

    #[test]
    fn after_a_signal_what_finished_is_written_once_marked_interrupted() {
        let dir = std::env::temp_dir().join(format!("rollcage-json-int-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.json");
        let mut r = JsonReporter::new(&path);
        r.report(&Event::ScenarioFinished(Box::new(record(vec![Ok(
            outcome(true),
        )]))));
        let signal = r.interrupted_writer();
        assert_eq!(signal().map(|w| w.unwrap()), Some(1));
        let v: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v["interrupted"], true);
        assert_eq!(v["drills"].as_array().unwrap().len(), 1);
        // The run's own end, if it still comes, does not overwrite it.
        fs::remove_file(&path).unwrap();
        r.finish().unwrap();
        assert!(!path.exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unwritable_path_is_an_error_naming_it() {
        let err = write(Path::new("/nonexistent-dir/r.json"), &[], &[]).unwrap_err();
        assert!(err.to_string().contains("/nonexistent-dir/r.json"), "{err}");
    }
}
