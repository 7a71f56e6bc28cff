//! `MarkdownReporter`: the drills as GitHub-flavoured Markdown, for a CI page or a job's step
//! summary — one table row per drill, then every drill that did not match expanded with its
//! evidence and postmortem; drills that matched a failing verdict fold into `<details>`.
//! Written to a file, appended to another (`$GITHUB_STEP_SUMMARY` is appended to), or both.

use std::fmt::Write as _;
use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::PathBuf;

use super::postmortem::{Bucket, Postmortem};
use crate::events::{Event, Reporter, ReporterError};
use crate::outcome::{DrillOutcome, DrillRecord, Run, Summary};
use crate::vocab::{human, Status, Verdict};

/// Writes the Markdown report at `finish` to every file it was given.
#[derive(Default)]
pub struct MarkdownReporter {
    write: Option<PathBuf>,
    append: Option<PathBuf>,
    records: Vec<DrillRecord>,
}

impl MarkdownReporter {
    /// Writes (replacing) `write` and appends to `append`, whichever are given.
    pub fn new(write: Option<PathBuf>, append: Option<PathBuf>) -> MarkdownReporter {
        MarkdownReporter {
            write,
            append,
            records: Vec::new(),
        }
    }
}

impl Reporter for MarkdownReporter {
    fn report(&mut self, event: &Event) {
        if let Event::ScenarioFinished(record) = event {
            self.records.push(record.as_ref().clone());
        }
    }

    fn finish(&mut self) -> Result<(), ReporterError> {
        let text = render(&self.records);
        let failed = |path: &PathBuf| {
            let path = path.clone();
            move |source| ReporterError::Write { path, source }
        };
        if let Some(path) = &self.write {
            fs::write(path, &text).map_err(failed(path))?;
        }
        if let Some(path) = &self.append {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| f.write_all(text.as_bytes()))
                .map_err(failed(path))?;
        }
        Ok(())
    }
}

/// Text safe in a table cell and in running text: HTML's specials as references, pipes
/// escaped, line breaks as `<br>`.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim_end().chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            // Emphasis, code and links; `#` and `>` matter only at a line's start, which a
            // cell never is.
            '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// The whole Markdown report.
pub fn render(records: &[DrillRecord]) -> String {
    let mut out = String::new();
    let _ = document(&mut out, records);
    out
}

fn mark(run: &Run) -> &'static str {
    match run.status() {
        Status::Matched => "✓",
        Status::Mismatched => "✗",
        Status::Error => "!",
    }
}

fn document(out: &mut String, records: &[DrillRecord]) -> std::fmt::Result {
    let s = Summary::of(records);
    writeln!(out, "## rollcage drills\n")?;
    writeln!(
        out,
        "{} drill(s): {} matched, {} mismatched, {} could not run\n",
        records.len(),
        s.matched,
        s.mismatched,
        s.errors
    )?;
    writeln!(
        out,
        "| | drill | deploy | strategy | verdict | expected | recovery time | status |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    for r in records {
        for run in &r.runs {
            let (verdict, expected, recovery) = match &run.result {
                Ok(o) => (
                    o.verdict.as_str(),
                    o.expected.as_str(),
                    o.figures.recovery_time.map_or("—".into(), human),
                ),
                Err(_) => ("—", "—", "—".into()),
            };
            writeln!(
                out,
                "| {} | {} | {} | {} | {verdict} | {expected} | {recovery} | {} |",
                mark(run),
                cell(&r.run_name(run)),
                cell(&r.deploy.to_string()),
                r.strategy.map_or("—", |s| s.as_str()),
                run.status()
            )?;
        }
    }
    for r in records {
        for run in &r.runs {
            expand(out, r, run)?;
        }
    }
    Ok(())
}

/// A run that did not match, in full; one that matched a failing verdict, folded.
fn expand(out: &mut String, r: &DrillRecord, run: &Run) -> std::fmt::Result {
    let name = cell(&r.run_name(run));
    match &run.result {
        Err(e) => writeln!(out, "\n### ! {name}: could not run\n\n- error: {}", cell(e)),
        Ok(o) if run.status() == Status::Mismatched => {
            writeln!(
                out,
                "\n### ✗ {name}: {}\n",
                cell(&o.mismatch().unwrap_or_default())
            )?;
            evidence(out, o)
        }
        Ok(o) if o.verdict != Verdict::Pass && o.verdict != Verdict::NoRollback => {
            writeln!(
                out,
                "\n<details><summary>✓ {name}: {} as expected</summary>\n",
                o.verdict
            )?;
            evidence(out, o)?;
            writeln!(out, "\n</details>")
        }
        Ok(_) => Ok(()),
    }
}

/// Verdict lines, every oracle with its evidence, then the postmortem.
fn evidence(out: &mut String, o: &DrillOutcome) -> std::fmt::Result {
    writeln!(out, "- verdict: {} (expected {})", o.verdict, o.expected)?;
    for (label, text) in [("decision", &o.decision), ("failure", &o.failure)] {
        if let Some(text) = text {
            writeln!(out, "- {label}: {}", cell(text))?;
        }
    }
    writeln!(out, "\n| oracle | status | evidence |\n|---|---|---|")?;
    for r in &o.oracles {
        writeln!(
            out,
            "| {} | {} | {} |",
            r.oracle,
            r.status,
            cell(&r.message)
        )?;
    }
    let p = Postmortem::of(o);
    writeln!(out, "\n**Postmortem**\n")?;
    writeln!(out, "- deploy: {}", cell(&p.deploy))?;
    writeln!(out, "- rollback: {}", cell(&p.rollback))?;
    writeln!(out, "- trust gap: {}", cell(&p.trust_gap))?;
    for bucket in Bucket::ALL {
        let items: Vec<_> = p.bucket(bucket).collect();
        if items.is_empty() {
            writeln!(out, "- {}: no action item", bucket.title())?;
            continue;
        }
        writeln!(out, "- {}:", bucket.title())?;
        for item in items {
            writeln!(out, "  - {} → {}", cell(&item.source), cell(item.advice))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::{outcome, record};

    #[test]
    fn cells_cannot_break_the_table_or_inject_markup() {
        assert_eq!(cell("a|b\n<img>"), "a\\|b<br>&lt;img&gt;");
        let mut o = outcome(false);
        o.oracles[1].message = "x | y\n<script>".into();
        let text = render(&[record(vec![Ok(o)])]);
        assert!(!text.contains("<script>"), "{text}");
        assert!(
            text.contains("| smoke | failed | x \\| y<br>&lt;script&gt; |"),
            "{text}"
        );
    }

    #[test]
    fn step_summary_is_appended_to() {
        let dir = std::env::temp_dir().join(format!("rollcage-md-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let summary = dir.join("summary.md");
        fs::write(&summary, "earlier step\n").unwrap();
        let mut r = MarkdownReporter::new(None, Some(summary.clone()));
        r.report(&Event::ScenarioFinished(Box::new(record(vec![Ok(
            outcome(true),
        )]))));
        r.finish().unwrap();
        let text = fs::read_to_string(&summary).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert!(
            text.starts_with("earlier step\n## rollcage drills\n"),
            "{text}"
        );
    }
}
