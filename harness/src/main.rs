//! The `rollcage` binary: parses the command line, calls the library, prints, exits with a
//! code from `rollcage::exit_codes`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use rollcage::exit_codes::{
    ENGINE_UNREACHABLE, HARNESS_FAILURE, INVALID_INPUT, LINT_FINDINGS, SUCCESS,
};
use rollcage::lint::report::{self as lint_report, Format};
use rollcage::lint::{self, Severity};
use rollcage::preflight;
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
    /// Report rollback hazards in migrations: a migrations folder (every migration, every
    /// rule), a scenario file (what its deploy applies, for its strategy), or folders of them.
    Lint(LintArgs),
    /// Check scenarios before any drill: the rollback target image exists and is pinned by
    /// digest, migrate-down has down migrations, and the lint findings. Starts nothing.
    Preflight(PreflightArgs),
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

#[derive(Args)]
struct LintArgs {
    /// Migrations folders, migration files, scenario files, or folders holding them.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    output: FindingsOutput,
}

#[derive(Args)]
struct PreflightArgs {
    /// Scenario files, or folders whose *.toml files are scenarios.
    #[arg(required = true, value_name = "SCENARIO")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    output: FindingsOutput,
}

#[derive(Args)]
struct FindingsOutput {
    /// How findings are written.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the findings to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a finding at or above this severity exists.
    #[arg(long, value_name = "SEVERITY", default_value = "error", value_parser = parse_severity)]
    fail_on: Severity,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

fn main() {
    // clap exits 2 on usage errors and 0 for --help / --version.
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Drill(args) => drill(args),
        Command::Plan { file } => plan(&file),
        Command::Lint(args) => lint(args),
        Command::Preflight(args) => preflight_cmd(args),
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

fn lint(args: LintArgs) -> i32 {
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    for path in &args.paths {
        match lint::lint_path(path) {
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

fn preflight_cmd(args: PreflightArgs) -> i32 {
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
    let engine = match Engine::connect().await {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("rollcage: {}", chain(&e));
            return ENGINE_UNREACHABLE;
        }
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
