//! The `rollcage` command line as clap reads it: every subcommand and its arguments. The
//! binary parses it and hands each subcommand to its own file under `harness/src/cmd/`; it is
//! in the library so that tests can check command lines (the CI examples') against the real
//! parser with `parse_args`.
#![allow(missing_docs)] // Each argument's doc comment is its `--help` text.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::lint::report::Format;
use crate::lint::Severity;
use crate::runner::Partition;
use crate::vocab::Layout;

/// Parses `args` (the program name first) as the `rollcage` binary does; `--help`, `--version`
/// and usage errors come back as clap's error, to print or to exit with.
pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    Cli::try_parse_from(args)
}

/// Proves a release's rollback works: real containers, real PostgreSQL, measured recovery.
#[derive(Parser)]
#[command(name = "rollcage", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run scenarios as drills in real containers and judge each rollback.
    Drill(DrillArgs),
    /// Generate drills over a scenario's space with faults injected; shrink each failing case
    /// to a minimal scenario file that `rollcage drill` replays.
    Explore(ExploreArgs),
    /// Print the steps a drill would take; starts nothing.
    Plan {
        /// A scenario file (or a folder of them).
        file: PathBuf,
    },
    /// Print the JSON Schema of scenario files (for editors: taplo, Even Better TOML).
    Schema,
    /// Write a commented starter scenario for a release candidate: edit its workload, check
    /// it with `rollcage plan`, run it with `rollcage drill`.
    Init(InitArgs),
    /// Report rollback hazards in migrations: a migrations folder (sqlx, golang-migrate,
    /// dbmate or Flyway), a scenario file (what its deploy applies, for its strategy), folders
    /// of them, or the SQL a migration tool prints offline (--sql-from).
    Lint(LintArgs),
    /// Check scenarios before any drill: the rollback target image exists and is pinned by
    /// digest, migrate-down has down migrations, and the lint findings. Starts nothing.
    Preflight(PreflightArgs),
    /// Remove what runs whose process is gone left behind (containers, networks, images,
    /// tags, volumes), selected by rollcage's labels only. Runs of other hosts are removed
    /// once older than a day.
    Gc {
        /// Remove every run's resources, of every host, including runs still in progress.
        #[arg(long)]
        all: bool,
    },
    /// Work with the reports of drills already run.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
}

#[derive(Args)]
pub struct InitArgs {
    /// The image of the release running now, which the rollback returns to.
    #[arg(long, value_name = "IMAGE")]
    pub from: String,
    /// The release candidate's image.
    #[arg(long, value_name = "IMAGE")]
    pub to: String,
    /// The release candidate's sqlx migrations folder.
    #[arg(long, value_name = "DIR")]
    pub migrations: Option<PathBuf>,
    /// The running release's migrations folder (a checkout of its tag), so the drill starts
    /// from its schema.
    #[arg(long, value_name = "DIR")]
    pub from_migrations: Option<PathBuf>,
    /// The port the app listens on inside its container.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The path whose 2xx answer means healthy.
    #[arg(long, value_name = "PATH", default_value = "/health")]
    pub health: String,
    /// Where to write the scenario; its name is the file's stem.
    #[arg(long, value_name = "FILE", default_value = "rollcage.toml")]
    pub out: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Merge the JSON reports of a partitioned run's jobs (`drill --partition K/N --json`)
    /// into one run's reports, and exit as that run would have.
    Merge(MergeArgs),
}

#[derive(Args)]
pub struct MergeArgs {
    /// The JSON reports, one per partition.
    #[arg(required = true, value_name = "FILE.json")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub reports: ReportFiles,
}

/// The report files a run of drills writes.
#[derive(Args)]
pub struct ReportFiles {
    /// Write a JSON report of every run (outcomes, timelines, figures) to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a JUnit XML report (one test case per run) to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a self-contained HTML report (timelines as SVG, oracles, postmortem) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write a Markdown summary (a row per drill, failures with their evidence) to FILE. It
    /// is also appended to $GITHUB_STEP_SUMMARY when that is set.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
}

#[derive(Args)]
pub struct DrillArgs {
    /// Scenario files, or folders whose *.toml files are scenarios. All are validated first.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub reports: ReportFiles,
    /// Run only partition K of N: the scenario files sorted by path, the i-th (from 0) in
    /// partition i % N + 1. For CI matrices; `rollcage report merge` joins their reports.
    #[arg(long, value_name = "K/N")]
    pub partition: Option<Partition>,
    /// Run each scenario N times; it matches only if every run matched.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: u32,
    /// Run up to N scenarios at once, each in its own sandbox. Reports list scenarios in
    /// file order whatever order they finish in.
    #[arg(long, short, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: u32,
    /// Run only the scenarios whose name contains TEXT (repeatable: any of them).
    #[arg(long, value_name = "TEXT")]
    pub name: Vec<String>,
    /// Start no further drill after the first that does not match its expectation or
    /// cannot run; drills already running finish and are reported.
    #[arg(long, overrides_with = "no_fail_fast")]
    pub fail_fast: bool,
    /// Run every scenario whatever the earlier ones gave (the default).
    #[arg(long, overrides_with = "fail_fast")]
    pub no_fail_fast: bool,
    /// Seed of the traffic's generated values and mix of request kinds, for every scenario:
    /// the same seed sends the same requests. Without it, a scenario's own `[traffic] seed`
    /// is used, or else a seed is drawn and printed.
    #[arg(long, value_name = "SEED", value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// No progress spinner on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print every drill's full report (oracles, timelines, postmortem), not only those of
    /// drills that did not match.
    #[arg(long, short)]
    pub verbose: bool,
    /// Do not first remove what this host's dead runs left (see `rollcage gc`).
    #[arg(long)]
    pub no_sweep: bool,
}

#[derive(Args)]
pub struct ExploreArgs {
    /// The scenario whose releases, strategies, step orders and traffic form the space.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// How many cases to generate.
    #[arg(long, default_value_t = 20)]
    pub cases: u32,
    /// The seed: the same seed generates the same cases, and the same minimal files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Start no new case after this long ("10m", "90s").
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub time_budget: Option<Duration>,
    /// Fault kinds to generate, comma-separated [all].
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub faults: Vec<String>,
    /// At most this many faults per case.
    #[arg(long, default_value_t = 2)]
    pub max_faults: usize,
    /// Real drills the shrinker may run for each new failure.
    #[arg(long, default_value_t = 16)]
    pub max_shrink_runs: u32,
    /// Where minimal failing cases are written.
    #[arg(long, value_name = "DIR", default_value = "target/rollcage-explore")]
    pub out: PathBuf,
    /// Start fresh containers for every case instead of reusing a warm database server.
    #[arg(long)]
    pub fresh: bool,
    /// The report files: each defect a drill (its minimal case), beside the passing cases.
    #[command(flatten)]
    pub reports: ReportFiles,
    /// No progress spinner on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not first remove what this host's dead runs left (see `rollcage gc`).
    #[arg(long)]
    pub no_sweep: bool,
}

#[derive(Args)]
pub struct LintArgs {
    /// Migrations folders, migration files, scenario files, or folders holding them.
    #[arg(required_unless_present = "sql_from", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Read folders in this layout instead of detecting it from their files.
    #[arg(long, value_enum, value_name = "LAYOUT")]
    pub layout: Option<Layout>,
    /// Run COMMAND (with `sh -c`) and lint the SQL it prints, as a migration tool's offline
    /// mode prints it (`alembic upgrade --sql base:head`); Alembic's `-- Running upgrade`
    /// lines split it into one migration per revision.
    #[arg(long, value_name = "COMMAND")]
    pub sql_from: Option<String>,
    /// Kill the --sql-from command after this long ("30s", "2m").
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = humantime::parse_duration)]
    pub sql_from_timeout: Duration,
    /// Judge the migrations a deploy from this schema version applies (those above it),
    /// instead of a folder's newest migration.
    #[arg(long, value_name = "VERSION", conflicts_with = "all")]
    pub from: Option<i64>,
    /// Judge every migration of a folder, each as a release of its own.
    #[arg(long)]
    pub all: bool,
    /// A schema rollback is planned: a migration without a down migration is an error.
    #[arg(long)]
    pub schema_rollback: bool,
    /// A numeric widening (int4 -> int8) is information: every client reads values as text.
    #[arg(long)]
    pub accept_widening: bool,
    #[command(flatten)]
    pub output: FindingsOutput,
}

#[derive(Args)]
pub struct PreflightArgs {
    /// Scenario files, or folders whose *.toml files are scenarios.
    #[arg(required = true, value_name = "SCENARIO")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub output: FindingsOutput,
}

#[derive(Args)]
pub struct FindingsOutput {
    /// How findings are written.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the findings to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding at or above this severity exists.
    #[arg(long, value_name = "SEVERITY", default_value = "error", value_parser = parse_severity)]
    pub fail_on: Severity,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}
