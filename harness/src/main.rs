//! The `rollcage` binary: parses the command line, calls the library, prints, exits with a
//! code from `rollcage::exit_codes`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use rollcage::exit_codes::{ENGINE_UNREACHABLE, HARNESS_FAILURE, INVALID_INPUT, SUCCESS};
use rollcage::report::progress::Progress;
use rollcage::report::terminal::{self, Palette};
use rollcage::report::{self, Summary};
use rollcage::rollback::chain;
use rollcage::runtime::{self, Engine};
use rollcage::scenario::{self, Scenario};

/// Proves a release's rollback works: real containers, real PostgreSQL, measured recovery.
#[derive(Parser)]
#[command(name = "rollcage", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run scenarios as drills in real containers and judge each rollback.
    Drill(DrillArgs),
    /// Print the steps a drill would take; starts nothing.
    Plan {
        /// A scenario file (or a folder of them).
        file: PathBuf,
    },
    /// Remove containers and networks left behind by runs whose process is gone.
    Gc {
        /// Remove every run's resources, including those of runs still in progress.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Args)]
struct DrillArgs {
    /// Scenario files, or folders whose *.toml files are scenarios. All are validated first.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Write a JSON report of every run (outcomes, timelines, figures) to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write a JUnit XML report (one test case per run) to FILE.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Run each scenario N times; it matches only if every run matched.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
    /// No progress spinner on stderr.
    #[arg(long, short)]
    quiet: bool,
}

fn main() {
    // clap exits 2 on usage errors and 0 for --help / --version.
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Drill(args) => drill(args),
        Command::Plan { file } => plan(&file),
        Command::Gc { all } => with_runtime(gc(all)),
    };
    std::process::exit(code);
}

fn with_runtime(work: impl std::future::Future<Output = i32>) -> i32 {
    match tokio::runtime::Runtime::new() {
        Ok(rt) => rt.block_on(work),
        Err(e) => {
            eprintln!("rollcage: cannot start the async runtime: {e}");
            HARNESS_FAILURE
        }
    }
}

fn drill(args: DrillArgs) -> i32 {
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
    let engine = match Engine::connect().await {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("rollcage: {}", chain(&e));
            return ENGINE_UNREACHABLE;
        }
    };
    let palette = Palette::for_stdout();
    let repeat = args.repeat as usize;
    let mut progress = Progress::new(scenarios.len(), args.quiet);
    let mut records = Vec::new();
    for (i, s) in scenarios.iter().enumerate() {
        let record = report::run_scenario(&engine, s, repeat, |rep| {
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

    let mut code = Summary::of(&records).exit_code();
    let written = [
        args.json
            .as_deref()
            .map(|p| report::json::write(p, &records)),
        args.junit
            .as_deref()
            .map(|p| report::junit::write(p, &records)),
    ];
    for result in written.into_iter().flatten() {
        if let Err(e) = result {
            eprintln!("rollcage: {}", chain(&e));
            if code == SUCCESS {
                code = HARNESS_FAILURE;
            }
        }
    }
    code
}

/// Loads every path; problems (diagnostics, clashing names) are collected, not returned early.
fn load(paths: &[PathBuf], problems: &mut Vec<String>) -> Vec<Scenario> {
    let mut scenarios: Vec<Scenario> = Vec::new();
    for path in paths {
        let found = match scenario::load_all(path) {
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
fn unwritable(flag: &str, path: &Path) -> Option<String> {
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

fn plan(file: &Path) -> i32 {
    match scenario::load_all(file) {
        Ok(scenarios) => {
            for (i, s) in scenarios.iter().enumerate() {
                if i > 0 {
                    println!();
                }
                print!("{}", scenario::plan(s));
            }
            SUCCESS
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{}", chain(e));
            }
            INVALID_INPUT
        }
    }
}

async fn gc(all: bool) -> i32 {
    runtime::install_signal_cleanup();
    let engine = match Engine::connect().await {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("rollcage: {}", chain(&e));
            return ENGINE_UNREACHABLE;
        }
    };
    match runtime::gc(&engine, all).await {
        Ok(report) => {
            for run in &report.runs_removed {
                println!("removed run {run}");
            }
            if report.runs_removed.is_empty() {
                println!("nothing to remove");
            }
            if !report.runs_alive.is_empty() {
                println!(
                    "kept {} run(s) whose process is still running (--all removes them too): {}",
                    report.runs_alive.len(),
                    report.runs_alive.join(", ")
                );
            }
            SUCCESS
        }
        Err(e) => {
            eprintln!("rollcage: gc: {}", chain(&e));
            HARNESS_FAILURE
        }
    }
}
