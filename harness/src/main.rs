//! The `rollcage` binary: parses the command line, runs the subcommand, tells stderr how it
//! ended and exits with the code `cmd::exit_code` gives it.

mod cmd;

use clap::Parser;
use rollcage::cli::{Cli, Command, ReportCommand};

fn main() {
    // clap exits 2 on usage errors and 0 for --help / --version.
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Drill(args) => cmd::drill::drill(args),
        Command::Explore(args) => cmd::explore::explore(args),
        Command::Plan { file } => cmd::admin::plan(&file),
        Command::Schema => cmd::admin::schema(),
        Command::Init(args) => cmd::admin::init(args),
        Command::Lint(args) => cmd::findings::lint(args),
        Command::Preflight(args) => cmd::findings::preflight_cmd(args),
        Command::Gc { all } => cmd::with_runtime(cmd::admin::gc(all)),
        Command::Report {
            command: ReportCommand::Merge(args),
        } => cmd::report::merge(args),
    };
    cmd::tell(&result);
    std::process::exit(cmd::exit_code(&result));
}
