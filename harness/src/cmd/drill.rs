//! `rollcage drill`: validate every scenario before Docker is contacted, then run them all
//! (repeated if asked) with the terminal report, the spinner and the JSON / JUnit / HTML /
//! Markdown files as reporters of the run's events.

use std::io;
use std::path::{Path, PathBuf};

use rollcage::events::FanOut;
use rollcage::report::terminal::Palette;
use rollcage::report::{
    HtmlReporter, JsonReporter, JunitReporter, LinesReporter, MarkdownReporter, Progress, Summary,
};
use rollcage::runner::RunPlan;
use rollcage::runtime::{self};
use rollcage::scenario::Scenario;
use rollcage::vocab::chain;

use super::{invalid, with_runtime, CliError, Ended};
use rollcage::cli::{DrillArgs, ReportFiles};

pub fn drill(args: DrillArgs) -> Result<Ended, CliError> {
    // Every input is checked before Docker is contacted, so a typo costs no containers.
    let mut problems = Vec::new();
    let mut scenarios = load(&args.paths, &mut problems);
    problems.extend(unwritable_reports(&args.reports));
    if !problems.is_empty() {
        let closing = format!(
            "rollcage: invalid input ({} problem(s)); no drill was started",
            problems.len()
        );
        return Err(invalid(problems, closing));
    }
    if !args.name.is_empty() {
        let all = scenarios.len();
        scenarios.retain(|s| args.name.iter().any(|n| s.name.contains(n.as_str())));
        if scenarios.is_empty() {
            let problem = format!(
                "--name {}: no scenario's name contains it",
                args.name.join(", --name ")
            );
            return Err(invalid(
                vec![problem],
                "rollcage: no drill was started".into(),
            ));
        }
        eprintln!("rollcage: --name: {} of {all} scenario(s)", scenarios.len());
    }
    if let Some(p) = args.partition {
        let all = scenarios.len();
        scenarios = p.select(scenarios, |s| s.source.as_path());
        eprintln!(
            "rollcage: partition {p}: {} of {all} scenario(s)",
            scenarios.len()
        );
    }
    seed_traffic(&mut scenarios, args.seed);
    with_runtime(run_drills(args, scenarios))
}

/// Each report file whose folder does not exist, as a problem.
pub fn unwritable_reports(r: &ReportFiles) -> Vec<String> {
    [
        ("--json", &r.json),
        ("--junit", &r.junit),
        ("--html", &r.html),
        ("--markdown", &r.markdown),
    ]
    .into_iter()
    .filter_map(|(flag, path)| path.as_deref().and_then(|p| unwritable(flag, p)))
    .collect()
}

/// The reporters of the report files asked for (and of `$GITHUB_STEP_SUMMARY`), added to
/// `reporters`.
pub fn add_reports(reporters: &mut FanOut, r: &ReportFiles) {
    if let Some(path) = &r.json {
        let json = JsonReporter::new(path);
        let write = json.interrupted_writer();
        let shown = path.display().to_string();
        // Stopped by a signal: what finished is still written, marked interrupted.
        runtime::on_interrupt(move || match write() {
            Some(Ok(n)) => eprintln!(
                "rollcage: wrote the {n} scenario(s) that finished to {shown}, marked interrupted"
            ),
            Some(Err(e)) => eprintln!("rollcage: {}", chain(&e)),
            None => {}
        });
        reporters.push(Box::new(json));
    }
    if let Some(path) = &r.junit {
        reporters.push(Box::new(JunitReporter::new(path)));
    }
    if let Some(path) = &r.html {
        reporters.push(Box::new(HtmlReporter::new(path)));
    }
    if let Some(markdown) = markdown(r.markdown.clone()) {
        reporters.push(Box::new(markdown));
    }
}

/// Gives every scenario's traffic its seed: `--seed`, else the file's own, else one drawn
/// here and printed, so any run can be sent again request for request.
fn seed_traffic(scenarios: &mut [Scenario], given: Option<u64>) {
    // 32 bits: short enough to type back, and within what a scenario file can write.
    let seed = given.unwrap_or_else(|| (uuid::Uuid::new_v4().as_u128() >> 96) as u64);
    let mut took = false;
    for s in scenarios.iter_mut() {
        if given.is_some() || s.traffic.seed.is_none() {
            s.traffic.seed = Some(seed);
            took = true;
        }
    }
    if took && given.is_none() {
        eprintln!("rollcage: traffic seed {seed} (--seed {seed} sends the same requests again)");
    }
}

async fn run_drills(args: DrillArgs, scenarios: Vec<Scenario>) -> Result<Ended, CliError> {
    runtime::install_signal_cleanup();
    let engine = super::engine().await?;
    if !args.no_sweep {
        super::sweep(&engine).await;
    }
    // The spinner first: it clears at the end of each drill, before the drill's line prints.
    let stdout = LinesReporter::new(io::stdout(), Palette::for_stdout(), args.verbose);
    let mut reporters = FanOut::new()
        .with(Progress::new(scenarios.len(), args.quiet))
        .with(stdout);
    add_reports(&mut reporters, &args.reports);
    let plan = RunPlan {
        repeat: args.repeat as usize,
        jobs: args.jobs as usize,
        fail_fast: args.fail_fast && !args.no_fail_fast,
    };
    let records = rollcage::runner::run_all(&engine, &scenarios, plan, &mut reporters).await;
    if records.len() < scenarios.len() {
        eprintln!(
            "rollcage: --fail-fast: {} of {} scenario(s) not run",
            scenarios.len() - records.len(),
            scenarios.len()
        );
    }
    let summary = Summary::of(&records);
    Ok(Ended::Drills {
        mismatched: summary.mismatched > 0,
        could_not_run: summary.errors > 0,
        reports: reporters.finish_all(),
    })
}

/// The Markdown reporter for `--markdown FILE` and `$GITHUB_STEP_SUMMARY`, when either is
/// given: GitHub Actions shows what a step appends to that file on the job's page.
pub fn markdown(file: Option<PathBuf>) -> Option<MarkdownReporter> {
    let step_summary = std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    (file.is_some() || step_summary.is_some()).then(|| MarkdownReporter::new(file, step_summary))
}

/// Loads every path; problems (diagnostics, clashing names) are collected, not returned early.
pub fn load(paths: &[PathBuf], problems: &mut Vec<String>) -> Vec<Scenario> {
    let mut scenarios: Vec<Scenario> = Vec::new();
    for path in paths {
        let found = match Scenario::load_all(path) {
            Ok(found) => found,
            Err(errors) => {
                problems.extend(errors.iter().map(|e| chain(e)));
                continue;
            }
        };
        for s in found {
            match scenarios.iter().find(|f| f.name == s.name) {
                // The same file named twice (a file and its folder) runs once.
                Some(first) if same_file(&first.source, &s.source) => {}
                Some(first) => problems.push(format!(
                    "{}: scenario name `{}` is already used by {}",
                    s.source.display(),
                    s.name,
                    first.source.display()
                )),
                None => scenarios.push(s),
            }
        }
    }
    scenarios
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// A report path whose folder does not exist would only fail after all drills ran.
pub fn unwritable(flag: &str, path: &Path) -> Option<String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    (!dir.is_dir()).then(|| {
        format!(
            "{flag} {}: folder {} does not exist",
            path.display(),
            dir.display()
        )
    })
}
