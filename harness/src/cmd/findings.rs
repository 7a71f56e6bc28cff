//! `rollcage lint` and `rollcage preflight`: findings rendered as text, JSON or JUnit, ending
//! with findings when one is at or above the chosen severity.

use std::io::{self, Write};

use rollcage::lint;
use rollcage::lint::report as lint_report;
use rollcage::preflight;
use rollcage::report::terminal::Palette;
use rollcage::scenario::Scenario;
use rollcage::vocab::chain;

use super::drill::{load, unwritable};
use super::{invalid, with_runtime, CliError, Ended};
use rollcage::cli::{FindingsOutput, LintArgs, PreflightArgs};

pub fn lint(args: LintArgs) -> Result<Ended, CliError> {
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    let judged = match (args.from, args.all) {
        (Some(v), _) => lint::Judged::From(v),
        (None, true) => lint::Judged::All,
        (None, false) => lint::Judged::Newest,
    };
    let options = lint::Options {
        judged,
        accept_widening: args.accept_widening,
        schema_rollback: args.schema_rollback,
        layout: args.layout,
    };
    for path in &args.paths {
        match lint::lint_path_with(path, Scenario::load, options) {
            Ok(found) => findings.extend(found),
            Err(e) => problems.push(chain(&e)),
        }
    }
    if let Some(command) = &args.sql_from {
        match lint::lint_sql_from(command, args.sql_from_timeout, options) {
            Ok(found) => findings.extend(found),
            Err(e) => problems.push(chain(&e)),
        }
    }
    problems.extend(unwritable_output(&args.output));
    if !problems.is_empty() {
        let lines = problems.iter().map(|p| format!("rollcage: {p}")).collect();
        return Err(CliError::InvalidInput(lines));
    }
    let findings = lint::tidy(findings);
    let out = &args.output;
    let colour = out.output.is_none() && Palette::for_stdout() != Palette::PLAIN;
    let text = lint_report::render_lint(out.format, &findings, out.fail_on, colour)
        .map_err(|e| CliError::Harness(Box::new(e)))?;
    emit(out, &text)?;
    Ok(ended(lint_report::fails(&findings, out.fail_on)))
}

pub fn preflight_cmd(args: PreflightArgs) -> Result<Ended, CliError> {
    let mut problems = Vec::new();
    let scenarios = load(&args.paths, &mut problems);
    problems.extend(unwritable_output(&args.output));
    if !problems.is_empty() {
        let closing = format!("rollcage: invalid input ({} problem(s))", problems.len());
        return Err(invalid(problems, closing));
    }
    with_runtime(run_preflight(args.output, scenarios))
}

async fn run_preflight(out: FindingsOutput, scenarios: Vec<Scenario>) -> Result<Ended, CliError> {
    // Images are only inspected: no container, network or image is created.
    let engine = super::engine().await?;
    let mut groups = Vec::new();
    for s in &scenarios {
        groups.push(preflight::group(s, preflight::preflight(&engine, s).await));
    }
    let colour = out.output.is_none() && Palette::for_stdout() != Palette::PLAIN;
    let text = lint_report::render_preflight(out.format, &groups, out.fail_on, colour)
        .map_err(|e| CliError::Harness(Box::new(e)))?;
    emit(&out, &text)?;
    Ok(ended(
        groups
            .iter()
            .any(|g| lint_report::fails(&g.findings, out.fail_on)),
    ))
}

fn ended(fails: bool) -> Ended {
    if fails {
        Ended::Findings
    } else {
        Ended::Clean
    }
}

/// A --output whose folder does not exist is invalid input, found before any work.
fn unwritable_output(out: &FindingsOutput) -> Option<String> {
    out.output
        .as_deref()
        .and_then(|p| unwritable("--output", p))
}

/// Writes the rendered findings to --output or stdout.
fn emit(out: &FindingsOutput, text: &str) -> Result<(), CliError> {
    match &out.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| CliError::harness(format!("writing {}", path.display()), e)),
        None => {
            // A closed stdout (a pipe to `head`) is not an error worth an exit code.
            let mut stdout = io::stdout();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            Ok(())
        }
    }
}
