//! The HTML document: head with inline CSS, the summary table across drills, then one section
//! per scenario (its runs, its repeat figures). `tables` and `timeline_svg` draw the parts.

use std::fmt::Write;

use super::{esc, tables, timeline_svg, RunMarks};
use crate::outcome::{DrillRecord, Run, Summary};
use crate::vocab::{human, Status};

const STYLE: &str = "\
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1000px;color:#1b1f24;padding:0 1em}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:2px solid #d0d7de}h3{margin-bottom:.3em}
table{border-collapse:collapse;margin:.4em 0 1em}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
pre{margin:0;white-space:pre-wrap;font:12px/1.35 ui-monospace,monospace}
.matched,.passed,.confirmed{color:#1a7f37}.mismatched,.failed,.error{color:#cf222e;font-weight:600}
.skipped,.dim,.not-exercised{color:#6e7781}.not-confirmed{color:#9a6700}
.verdict{font-size:1.1em}.postmortem{border-left:4px solid #8250df;padding:.2em 1em;background:#fbf8ff}
svg.timeline{width:100%;height:auto;border:1px solid #d0d7de;background:#fff}
svg text{font:11px system-ui,sans-serif;fill:#1b1f24}
details>summary{cursor:pointer;margin:.5em 0}
";

/// The whole report of `records`, with the marks each run's events left.
pub fn render(records: &[DrillRecord], marks: &[RunMarks]) -> String {
    let mut out = String::new();
    let _ = page(&mut out, records, marks);
    out
}

fn page(out: &mut String, records: &[DrillRecord], marks: &[RunMarks]) -> std::fmt::Result {
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>")?;
    writeln!(out, "<meta charset=\"utf-8\">")?;
    writeln!(out, "<title>rollcage drill report</title>")?;
    writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>")?;
    writeln!(out, "<h1>rollcage drill report</h1>")?;
    summary(out, records)?;
    for (i, record) in records.iter().enumerate() {
        drill(out, i, record, marks)?;
    }
    writeln!(out, "</body>\n</html>")
}

fn status_cell(status: Status) -> String {
    format!("<td class=\"{0}\">{0}</td>", status.as_str())
}

/// One row per scenario: what it deployed, how its runs ended, its recovery time.
fn summary(out: &mut String, records: &[DrillRecord]) -> std::fmt::Result {
    let s = Summary::of(records);
    writeln!(
        out,
        "<p class=\"totals\">{} drill(s): {} matched, {} mismatched, {} could not run</p>",
        records.len(),
        s.matched,
        s.mismatched,
        s.errors
    )?;
    writeln!(out, "<table id=\"summary\" class=\"summary\">")?;
    writeln!(out, "<tr><th>drill</th><th>deploy</th><th>strategy</th><th>runs</th><th>status</th><th>verdict</th><th>expected</th><th>recovery time</th></tr>")?;
    for (i, r) in records.iter().enumerate() {
        let outcomes: Vec<_> = r
            .runs
            .iter()
            .filter_map(|run| run.result.as_ref().ok())
            .collect();
        let unique = |mut v: Vec<&'static str>| {
            v.sort_unstable();
            v.dedup();
            if v.is_empty() {
                "—".to_string()
            } else {
                v.join(", ")
            }
        };
        let verdicts = unique(outcomes.iter().map(|o| o.verdict.as_str()).collect());
        let expected = unique(outcomes.iter().map(|o| o.expected.as_str()).collect());
        let recovery = match (&r.percentiles.recovery_time, outcomes.as_slice()) {
            (Some(p), _) if r.repeated() => format!("p50 {}", human(p.p50)),
            (Some(p), _) => human(p.p50),
            (None, []) => "—".into(),
            (None, _) => "not reached".into(),
        };
        writeln!(
            out,
            "<tr><td><a href=\"#drill-{i}\">{}</a></td><td>{}</td><td>{}</td><td class=\"num\">{}</td>{}<td>{}</td><td>{}</td><td class=\"num\">{recovery}</td></tr>",
            esc(&r.scenario),
            esc(&r.deploy.to_string()),
            r.strategy.map_or("—", |s| s.as_str()),
            r.runs.len(),
            status_cell(r.status()),
            verdicts,
            expected,
        )?;
    }
    writeln!(out, "</table>")
}

fn drill(out: &mut String, i: usize, r: &DrillRecord, marks: &[RunMarks]) -> std::fmt::Result {
    writeln!(out, "<section class=\"drill\" id=\"drill-{i}\">")?;
    writeln!(out, "<h2>{}</h2>", esc(&r.scenario))?;
    writeln!(
        out,
        "<p>{} · {} · on {} · <span class=\"dim\">{}</span></p>",
        esc(&r.deploy.to_string()),
        r.strategy.map_or("—", |s| s.as_str()),
        esc(&r.database_image),
        esc(&r.file)
    )?;
    if r.repeated() {
        repeat(out, r)?;
    }
    for run in &r.runs {
        let m = marks
            .iter()
            .find(|m| m.scenario == r.scenario && m.repetition == run.repetition);
        // A repeated scenario's matching runs after the first fold away; the rest stay open.
        let folded = r.repeated() && run.repetition > 1 && run.status() == Status::Matched;
        if folded {
            writeln!(
                out,
                "<details><summary>{} matched</summary>",
                esc(&r.run_name(run))
            )?;
        }
        run_article(out, i, r, run, m)?;
        if folded {
            writeln!(out, "</details>")?;
        }
    }
    writeln!(out, "</section>")
}

/// p50 / p95 / max of each figure over the runs that reached it.
fn repeat(out: &mut String, r: &DrillRecord) -> std::fmt::Result {
    let count = |s| r.runs.iter().filter(|run| run.status() == s).count();
    writeln!(
        out,
        "<p>over {} runs: {} matched, {} mismatched, {} could not run</p>",
        r.runs.len(),
        count(Status::Matched),
        count(Status::Mismatched),
        count(Status::Error)
    )?;
    writeln!(out, "<table class=\"repeat\"><tr><th>figure</th><th>p50</th><th>p95</th><th>max</th><th>samples</th></tr>")?;
    for (label, p) in r.percentiles.rows() {
        match p {
            Some(p) => writeln!(
                out,
                "<tr><td>{label}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                human(p.p50),
                human(p.p95),
                human(p.max),
                p.samples
            )?,
            None => writeln!(
                out,
                "<tr><td>{label}</td><td colspan=\"4\" class=\"dim\">never reached</td></tr>"
            )?,
        }
    }
    writeln!(out, "</table>")
}

fn run_article(
    out: &mut String,
    i: usize,
    r: &DrillRecord,
    run: &Run,
    marks: Option<&RunMarks>,
) -> std::fmt::Result {
    writeln!(
        out,
        "<article class=\"run\" id=\"run-{i}-{}\">",
        run.repetition
    )?;
    writeln!(out, "<h3>{}</h3>", esc(&r.run_name(run)))?;
    match &run.result {
        Err(e) => writeln!(out, "<p class=\"error\">could not run: {}</p>", esc(e))?,
        Ok(o) => {
            let events = marks.map_or(&[][..], |m| m.events.as_slice());
            tables::verdict(out, o)?;
            tables::postmortem(out, o)?;
            timeline_svg::timelines(out, o, events)?;
            tables::events(out, o)?;
            tables::oracles(out, o)?;
            tables::predictions(out, o)?;
            tables::end_state(out, o)?;
            tables::figures(out, o)?;
        }
    }
    writeln!(out, "</article>")
}
