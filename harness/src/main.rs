//! The `rollcage` binary: parses the command line, runs the subcommand, tells stderr how it
//! ended and exits with the code `cmd::exit_code` gives it.

mod cmd;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use rollcage::lint::report::Format;
use rollcage::lint::Severity;
use rollcage::vocab::Layout;

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
}

#[derive(Args)]
pub struct DrillArgs {
    /// Scenario files, or folders whose *.toml files are scenarios. All are validated first.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
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
    /// Run each scenario N times; it matches only if every run matched.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: u32,
    /// Seed of the traffic's generated values and mix of request kinds, for every scenario:
    /// the same seed sends the same requests. Without it, a scenario's own `[traffic] seed`
    /// is used, or else a seed is drawn and printed.
    #[arg(long, value_name = "SEED", value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// No progress spinner on stderr.
    #[arg(long, short)]
    pub quiet: bool,
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
    /// Write a JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write the HTML report (each defect's minimal case with its timelines and postmortem).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write the Markdown summary (also appended to $GITHUB_STEP_SUMMARY when that is set).
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
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

fn main() {
    // clap exits 2 on usage errors and 0 for --help / --version.
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Drill(args) => cmd::drill::drill(args),
        Command::Explore(args) => cmd::explore::explore(args),
        Command::Plan { file } => cmd::admin::plan(&file),
        Command::Schema => cmd::admin::schema(),
        Command::Lint(args) => cmd::findings::lint(args),
        Command::Preflight(args) => cmd::findings::preflight_cmd(args),
        Command::Gc { all } => cmd::with_runtime(cmd::admin::gc(all)),
    };
    cmd::tell(&result);
    std::process::exit(cmd::exit_code(&result));
}
