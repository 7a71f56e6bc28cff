//! Exploration results in the drill reports' terms: each defect becomes a record holding its
//! minimal case's outcome (a mismatch: generated cases expect `pass`), and the passing cases
//! one record, so the JSON and JUnit reporters need nothing new; plus the terminal summary.

use std::io::{self, Write};
use std::time::Duration;

use super::{DrillRecord, RepeatFigures, Run, Summary};
use crate::events::Event;
use crate::explore::{CaseRun, ExploreReport};
use crate::outcome::Deployed;

/// The events that close a run of these records — each scenario finished, then the run — so
/// the exploration's files come from the same reporters as a drill's.
pub fn events(records: Vec<DrillRecord>) -> Vec<Event> {
    let summary = Summary::of(&records);
    records
        .into_iter()
        .map(|r| Event::ScenarioFinished(Box::new(r)))
        .chain([Event::RunFinished(summary)])
        .collect()
}

/// Records for the JSON / JUnit writers.
pub fn to_records(report: &ExploreReport) -> Vec<DrillRecord> {
    let mut records = Vec::new();
    for f in &report.failures {
        let Some(outcome) = &f.minimal else { continue };
        let mut expected_pass = outcome.clone();
        // As generated, the case expected a pass; the written file expects the defect.
        expected_pass.expected = crate::vocab::Verdict::Pass;
        expected_pass.expected_failing.clear();
        expected_pass.judge();
        let run = Run {
            repetition: 1,
            wall: Duration::ZERO,
            result: Ok(expected_pass),
        };
        records.push(record(
            &outcome.scenario,
            &f.file.display().to_string(),
            outcome,
            vec![run],
        ));
    }
    let passing: Vec<&CaseRun> = report
        .runs
        .iter()
        .filter(|r| {
            r.result
                .as_ref()
                .is_ok_and(|o| o.verdict == crate::vocab::Verdict::Pass)
        })
        .collect();
    if let Some(first) = passing.first().and_then(|r| r.result.as_ref().ok()) {
        let runs = passing
            .iter()
            .map(|r| Run {
                repetition: r.index as usize,
                wall: r.wall,
                result: r.result.clone(),
            })
            .collect();
        records.push(record("exploration (passing cases)", "", first, runs));
    }
    for r in report.runs.iter().filter(|r| r.result.is_err()) {
        let run = Run {
            repetition: 1,
            wall: r.wall,
            result: r.result.clone(),
        };
        records.push(DrillRecord {
            scenario: r.name.clone(),
            file: String::new(),
            deploy: Deployed::default(),
            strategy: None,
            database_image: String::new(),
            percentiles: RepeatFigures::of(std::slice::from_ref(&run)),
            runs: vec![run],
        });
    }
    records
}

fn record(name: &str, file: &str, o: &crate::outcome::DrillOutcome, runs: Vec<Run>) -> DrillRecord {
    DrillRecord {
        scenario: name.to_string(),
        file: file.to_string(),
        deploy: o.deploy.clone(),
        strategy: Some(o.strategy),
        database_image: o.database_image.clone(),
        percentiles: RepeatFigures::of(&runs),
        runs,
    }
}

/// The exploration summary: cases, rate, and one entry per defect with its replay file.
pub fn fmt_explore(out: &mut impl Write, report: &ExploreReport) -> io::Result<()> {
    let failed = report
        .runs
        .iter()
        .filter(|r| {
            r.result
                .as_ref()
                .is_ok_and(|o| o.verdict != crate::vocab::Verdict::Pass)
        })
        .count();
    let errors = report.runs.iter().filter(|r| r.result.is_err()).count();
    writeln!(
        out,
        "explored {} case(s) with seed {} in {:.1}s ({} drills, {:.1} per minute): {} failed, {} could not run",
        report.runs.len(),
        report.seed,
        report.elapsed.as_secs_f64(),
        report.drills(),
        report.cases_per_minute(),
        failed,
        errors
    )?;
    if report.failures.is_empty() {
        return writeln!(out, "no failing case found");
    }
    writeln!(out, "{} distinct defect(s):", report.failures.len())?;
    for f in &report.failures {
        writeln!(out, "  ✗ {}", f.signature)?;
        writeln!(
            out,
            "    {} case(s), first: case {}; shrunk in {} run(s); replay: rollcage drill {}",
            f.occurrences,
            f.first_case,
            f.shrink_runs,
            f.file.display()
        )?;
        if let Some(o) = &f.minimal {
            let faults: Vec<String> = o
                .timeline
                .iter()
                .filter(|e| e.kind == crate::timeline::EventKind::Fault)
                .map(|e| e.detail.clone())
                .collect();
            writeln!(
                out,
                "    minimal: {} ({}), faults: {}",
                o.deploy,
                o.strategy,
                if faults.is_empty() {
                    "none".into()
                } else {
                    faults.join("; ")
                }
            )?;
            for oracle in o.oracles.iter().filter(|x| x.failed()) {
                writeln!(
                    out,
                    "      {}: {}",
                    oracle.oracle,
                    oracle.message.lines().next().unwrap_or_default()
                )?;
            }
        }
    }
    for r in report.runs.iter().filter(|r| r.result.is_err()) {
        writeln!(
            out,
            "  ! case {} could not run: {}",
            r.index,
            r.result
                .as_ref()
                .err()
                .map(String::as_str)
                .unwrap_or_default()
        )?;
    }
    Ok(())
}
