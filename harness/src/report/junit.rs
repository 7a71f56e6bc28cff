//! The JUnit XML report, for CI: one suite "rollcage drills", one test case per run (named
//! `scenario`, or `scenario#2` when repeated; classname = scenario file). A mismatch is a
//! failure, a run that could not run is an error; each case carries its terminal report.
//!
//! `JunitReporter` collects each scenario's record as it finishes and writes the file once the
//! run is over.

use std::fs;
use std::path::{Path, PathBuf};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::terminal::{self, Palette};
use super::{DrillRecord, Run};
use crate::events::{Event, Reporter, ReporterError};
use crate::outcome::DrillOutcome;

/// Name of the one JUnit test suite the report holds.
pub const SUITE: &str = "rollcage drills";

/// Writes the JUnit report of every scenario that finished to `path` at `finish`.
pub struct JunitReporter {
    path: PathBuf,
    records: Vec<DrillRecord>,
}

impl JunitReporter {
    /// A reporter that will write its JUnit XML report to `path`.
    pub fn new(path: impl Into<PathBuf>) -> JunitReporter {
        JunitReporter {
            path: path.into(),
            records: Vec::new(),
        }
    }
}

impl Reporter for JunitReporter {
    fn report(&mut self, event: &Event) {
        if let Event::ScenarioFinished(record) = event {
            self.records.push(record.as_ref().clone());
        }
    }

    fn finish(&mut self) -> Result<(), ReporterError> {
        write(&self.path, &self.records)
    }
}

fn test_case(record: &DrillRecord, run: &Run) -> TestCase {
    let status = match &run.result {
        Ok(o) => match o.mismatch() {
            None => TestCaseStatus::success(),
            Some(why) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(why)
                    .set_type(o.verdict.as_str())
                    .set_description(failure_text(o));
                s
            }
        },
        Err(e) => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
            s.set_message(format!("could not run: {e}"))
                .set_type("drill-error");
            s
        }
    };
    let mut case = TestCase::new(record.run_name(run), status);
    case.set_classname(record.file.as_str()).set_time(run.wall);
    // The same text the terminal showed, uncoloured, so a CI page explains itself.
    let mut text = Vec::new();
    if terminal::fmt_run(&mut text, record, run, Palette::PLAIN).is_ok() {
        case.set_system_out_lossy(text);
    }
    case
}

/// The failing oracles' messages, why the rollback stopped, if it did, and what failed that
/// preflight did not predict.
fn failure_text(o: &DrillOutcome) -> String {
    let mut lines: Vec<String> = o
        .oracles
        .iter()
        .filter(|r| r.failed())
        .map(|r| format!("{}: {}", r.oracle, r.message))
        .collect();
    if let Some(failure) = &o.failure {
        lines.push(format!("rollback: {failure}"));
    }
    for u in o.predictions.unpredicted() {
        lines.push(format!("unpredicted by preflight: {} {}", u.kind, u.name));
    }
    if lines.is_empty() {
        lines.push("no oracle failed".into());
    }
    lines.join("\n")
}

/// The report for `records`.
pub fn report(records: &[DrillRecord]) -> Report {
    let mut suite = TestSuite::new(SUITE);
    for record in records {
        suite.add_test_cases(record.runs.iter().map(|run| test_case(record, run)));
    }
    let total = records.iter().flat_map(|r| &r.runs).map(|r| r.wall).sum();
    suite.set_time(total);
    let mut report = Report::new("rollcage");
    report.set_time(total).add_test_suite(suite);
    report
}

/// The report as XML text.
pub fn to_string(records: &[DrillRecord]) -> Result<String, quick_junit::SerializeError> {
    report(records).to_string()
}

/// Writes the report to `path`.
pub fn write(path: &Path, records: &[DrillRecord]) -> Result<(), ReporterError> {
    let xml = to_string(records).map_err(|e| ReporterError::Encode {
        path: path.to_path_buf(),
        source: Box::new(e),
    })?;
    fs::write(path, xml).map_err(|source| ReporterError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::{outcome, record};

    #[test]
    fn a_mismatch_is_a_failure_with_its_reason() {
        let xml = to_string(&[record(vec![Ok(outcome(false))])]).unwrap();
        assert!(
            xml.contains(r#"<testsuite name="rollcage drills" tests="1""#),
            "{xml}"
        );
        assert!(xml.contains(r#"<testcase name="notnull-code-only" classname="scenarios/notnull-code-only.toml" time="5.000""#), "{xml}");
        assert!(xml.contains(r#"<failure message="expected pass, got restored-bad-state" type="restored-bad-state">"#), "{xml}");
        assert!(
            xml.contains(
                "smoke: POST /entries answered 500\nnull value in column &quot;currency&quot;"
            ),
            "{xml}"
        );
        assert!(!xml.contains("<error"), "{xml}");
        // Preflight predicted the smoke failure: nothing is named unpredicted.
        assert!(!xml.contains("unpredicted by preflight"), "{xml}");
    }

    #[test]
    fn an_unpredicted_failure_is_named() {
        let mut o = outcome(false);
        o.predictions = crate::preflight::compare(&[], &o);
        let xml = to_string(&[record(vec![Ok(o)])]).unwrap();
        assert!(
            xml.contains("unpredicted by preflight: oracle smoke"),
            "{xml}"
        );
    }

    #[test]
    fn a_match_has_no_failure() {
        let xml = to_string(&[record(vec![Ok(outcome(true))])]).unwrap();
        assert!(
            xml.contains(r#"<testcase name="notnull-code-only""#),
            "{xml}"
        );
        assert!(
            !xml.contains("<failure") && !xml.contains("<error"),
            "{xml}"
        );
        assert!(
            xml.contains("verdict: restored-bad-state (expected restored-bad-state)"),
            "{xml}"
        );
    }

    #[test]
    fn an_expected_no_rollback_is_a_pass() {
        let mut o = outcome(true);
        o.verdict = crate::vocab::Verdict::NoRollback;
        o.expected = crate::vocab::Verdict::NoRollback;
        o.expected_failing.clear();
        o.judge();
        let xml = to_string(&[record(vec![Ok(o.clone())])]).unwrap();
        assert!(
            !xml.contains("<failure") && !xml.contains("<error"),
            "{xml}"
        );
        // Where a rollback was needed, the quiet trigger is a failure.
        o.verdict = crate::vocab::Verdict::FailedToTrigger;
        o.judge();
        let xml = to_string(&[record(vec![Ok(o)])]).unwrap();
        assert!(xml.contains(r#"type="failed-to-trigger""#), "{xml}");
    }

    #[test]
    fn repetitions_are_cases_and_harness_errors_are_errors() {
        let xml = to_string(&[record(vec![Ok(outcome(true)), Err("engine gone".into())])]).unwrap();
        assert!(
            xml.contains(r#"<testcase name="notnull-code-only#1""#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testcase name="notnull-code-only#2""#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<error message="could not run: engine gone" type="drill-error""#),
            "{xml}"
        );
        assert!(!xml.contains("<failure"), "{xml}");
    }
}
