//! `rollcage drill`: validate every scenario before Docker is contacted, run each as a drill
//! (repeated if asked), print each report and the summary, write the JSON / JUnit files.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rollcage::exit_codes::INVALID_INPUT;
use rollcage::report::progress::Progress;
use rollcage::report::terminal::{self, Palette};
use rollcage::report::Summary;
use rollcage::runtime::{self};
use rollcage::scenario::Scenario;
use rollcage::vocab::chain;

use super::with_runtime;
use crate::DrillArgs;

pub fn drill(args: DrillArgs) -> i32 {
    // Every input is checked before Docker is contacted, so a typo costs no containers.
    let mut problems = Vec::new();
    let scenarios = load(&args.paths, &mut problems);
    for (flag, path) in [("--json", &args.json), ("--junit", &args.junit)] {
        if let Some(problem) = path.as_deref().and_then(|p| unwritable(flag, p)) {
            problems.push(problem);
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("{p}");
        }
        eprintln!(
            "rollcage: invalid input ({} problem(s)); no drill was started",
            problems.len()
        );
        return INVALID_INPUT;
    }
    with_runtime(run_drills(args, scenarios))
}

async fn run_drills(args: DrillArgs, scenarios: Vec<Scenario>) -> i32 {
    runtime::install_signal_cleanup();
    let engine = match super::engine().await {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let palette = Palette::for_stdout();
    let repeat = args.repeat as usize;
    let mut progress = Progress::new(scenarios.len(), args.quiet);
    let mut records = Vec::new();
    for (i, s) in scenarios.iter().enumerate() {
        let record = rollcage::runner::run_scenario(&engine, s, repeat, |rep| {
            progress.start(i + 1, &s.name, rep, repeat)
        })
        .await;
        progress.clear();
        // A closed stdout must not stop the drills or the report files.
        let _ = terminal::fmt_record(&mut io::stdout(), &record, palette);
        records.push(record);
    }
    let _ = terminal::fmt_summary(&mut io::stdout(), &records, palette);
    let _ = io::stdout().flush();

    let code = Summary::of(&records).exit_code();
    super::write_reports(args.json.as_deref(), args.junit.as_deref(), &records, code)
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
