//! The terminal report of a whole scenario (every run, the figures over repeats) and the
//! closing summary of all drills, with each run that did not match named.

use std::io::{self, Write};

use super::{escape, fmt_run, Palette};
use crate::outcome::Accuracy;
use crate::report::{DrillRecord, Status};
use crate::vocab::human;

/// A scenario's runs: in full when run once; when repeated, the first run and every run that
/// did not match in full, the others in one line each, then the figures over all runs.
pub fn fmt_record(out: &mut impl Write, record: &DrillRecord, p: Palette) -> io::Result<()> {
    for run in &record.runs {
        let full = !record.repeated() || run.repetition == 1 || run.status() != Status::Matched;
        match &run.result {
            Ok(o) if !full => {
                let rt = o
                    .figures
                    .recovery_time
                    .map_or_else(|| "—".to_string(), human);
                let name = record.run_name(run);
                writeln!(
                    out,
                    "{} {}: verdict {} {} recovery {rt}",
                    p.bold("●"),
                    p.bold(&name),
                    o.verdict,
                    p.mark(true)
                )?;
            }
            _ => fmt_run(out, record, run, p)?,
        }
    }
    if record.repeated() {
        fmt_repeat(out, record, p)?;
    }
    writeln!(out)
}

/// `over N runs: …` and p50/p95/max of each recovery figure.
pub fn fmt_repeat(out: &mut impl Write, record: &DrillRecord, p: Palette) -> io::Result<()> {
    let count = |s| record.runs.iter().filter(|r| r.status() == s).count();
    let status = record.status();
    writeln!(
        out,
        "  over {} runs of {}: {} matched, {} mismatched, {} could not run → {} {}",
        record.runs.len(),
        record.scenario,
        count(Status::Matched),
        count(Status::Mismatched),
        count(Status::Error),
        status.as_str(),
        p.mark(status == Status::Matched)
    )?;
    for (label, pc) in record.percentiles.rows() {
        match pc {
            Some(pc) => writeln!(
                out,
                "    {label:<18}p50 {:>9}  p95 {:>9}  max {:>9}  ({} samples)",
                human(pc.p50),
                human(pc.p95),
                human(pc.max),
                pc.samples
            )?,
            None => writeln!(out, "    {label:<18}{}", p.dim("— (never reached)"))?,
        }
    }
    Ok(())
}

/// `23 drills: 22 matched, 1 did not`, counting every run, then each run that did not match,
/// by name, with why, and how preflight's predictions fared.
pub fn fmt_summary(out: &mut impl Write, records: &[DrillRecord], p: Palette) -> io::Result<()> {
    let runs = records.iter().flat_map(|r| &r.runs);
    let total = runs.clone().count();
    let matched = runs
        .clone()
        .filter(|r| r.status() == Status::Matched)
        .count();
    let errors = runs.filter(|r| r.status() == Status::Error).count();
    let mut head = format!(
        "{total} drill{}: {matched} matched, {} did not",
        if total == 1 { "" } else { "s" },
        total - matched
    );
    if errors > 0 {
        head.push_str(&format!(" ({errors} could not run)"));
    }
    let head = if matched == total {
        p.good(&head)
    } else {
        p.bad(&head)
    };
    writeln!(out, "{head}")?;
    for record in records {
        for run in &record.runs {
            if let Some(why) = run.problem() {
                let mark = if run.status() == Status::Error {
                    p.bad("!")
                } else {
                    p.mark(false)
                };
                let name = record.run_name(run);
                writeln!(out, "  {mark} {}: {}", escape(&name), escape(&why))?;
            }
        }
    }
    fmt_accuracy(out, &Accuracy::of(records))
}

/// Preflight against the drills: predictions confirmed, failures predicted, and the two
/// ratios; each failure nothing predicted is named.
fn fmt_accuracy(out: &mut impl Write, a: &Accuracy) -> io::Result<()> {
    let ratio = |r: Option<f64>| r.map_or("—".to_string(), |r| format!("{:.0}%", r * 100.0));
    writeln!(
        out,
        "preflight: {} prediction(s) confirmed, {} not confirmed, {} not exercised; {} of {} failure(s) predicted; precision {}, recall {}",
        a.confirmed,
        a.not_confirmed,
        a.not_exercised,
        a.predicted,
        a.failures,
        ratio(a.precision()),
        ratio(a.recall()),
    )?;
    for what in &a.unpredicted {
        writeln!(out, "  unpredicted: {what}")?;
    }
    Ok(())
}
