//! `rollcage lint` and `rollcage preflight`: findings rendered as text, JSON or JUnit, and an
//! exit code from the chosen severity.

use std::io::{self, Write};

use rollcage::exit_codes::{HARNESS_FAILURE, INVALID_INPUT, LINT_FINDINGS, SUCCESS};
use rollcage::lint;
use rollcage::lint::report as lint_report;
use rollcage::preflight;
use rollcage::report::terminal::Palette;
use rollcage::scenario::Scenario;
use rollcage::vocab::chain;

use super::drill::{load, unwritable};
use super::with_runtime;
use crate::{FindingsOutput, LintArgs, PreflightArgs};

pub fn lint(args: LintArgs) -> i32 {
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    for path in &args.paths {
        match lint::lint_path(path, Scenario::load) {
            Ok(found) => findings.extend(found),
            Err(e) => problems.push(chain(&e)),
        }
    }
    problems.extend(unwritable_output(&args.output));
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("rollcage: {p}");
        }
        return INVALID_INPUT;
    }
    let findings = lint::tidy(findings);
    let out = &args.output;
    let colour = out.output.is_none() && Palette::for_stdout() != Palette::PLAIN;
    let text = match lint_report::render_lint(out.format, &findings, out.fail_on, colour) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("rollcage: {}", chain(&e));
            return HARNESS_FAILURE;
        }
    };
    if let Err(code) = emit(out, &text) {
        return code;
    }
    if lint_report::fails(&findings, out.fail_on) {
        LINT_FINDINGS
    } else {
        SUCCESS
    }
}

pub fn preflight_cmd(args: PreflightArgs) -> i32 {
    let mut problems = Vec::new();
    let scenarios = load(&args.paths, &mut problems);
    problems.extend(unwritable_output(&args.output));
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("{p}");
        }
        eprintln!("rollcage: invalid input ({} problem(s))", problems.len());
        return INVALID_INPUT;
    }
    with_runtime(run_preflight(args.output, scenarios))
}

async fn run_preflight(out: FindingsOutput, scenarios: Vec<Scenario>) -> i32 {
    // Images are only inspected: no container, network or image is created.
    let engine = match super::engine().await {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let mut groups = Vec::new();
    for s in &scenarios {
        groups.push(preflight::group(s, preflight::preflight(&engine, s).await));
    }
    let colour = out.output.is_none() && Palette::for_stdout() != Palette::PLAIN;
    let text = match lint_report::render_preflight(out.format, &groups, out.fail_on, colour) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("rollcage: {}", chain(&e));
            return HARNESS_FAILURE;
        }
    };
    if let Err(code) = emit(&out, &text) {
        return code;
    }
    if groups
        .iter()
        .any(|g| lint_report::fails(&g.findings, out.fail_on))
    {
        LINT_FINDINGS
    } else {
        SUCCESS
    }
}

/// A --output whose folder does not exist is invalid input, found before any work.
fn unwritable_output(out: &FindingsOutput) -> Option<String> {
    out.output
        .as_deref()
        .and_then(|p| unwritable("--output", p))
}

/// Writes the rendered findings to --output or stdout.
fn emit(out: &FindingsOutput, text: &str) -> Result<(), i32> {
    match &out.output {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            eprintln!("rollcage: writing {}: {e}", path.display());
            HARNESS_FAILURE
        }),
        None => {
            // A closed stdout (a pipe to `head`) is not an error worth an exit code.
            let mut stdout = io::stdout();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            Ok(())
        }
    }
}
