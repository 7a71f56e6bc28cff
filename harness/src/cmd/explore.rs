//! `rollcage explore`: load the scenario that defines the space, run the seeded exploration
//! with a spinner, print the defects found (with their replay files), and hand the results to
//! the JSON / JUnit / HTML / Markdown reporters.

use std::io::{self, Write};

use rollcage::events::{FanOut, Reporter};
use rollcage::explore::{self, ExploreOptions, Space};
use rollcage::report::{self, Progress};
use rollcage::runtime::{self};
use rollcage::scenario::Scenario;
use rollcage::vocab::chain;
use rollcage::vocab::FaultKind;

use super::{invalid, with_runtime, CliError, Ended};
use rollcage::cli::ExploreArgs;

pub fn explore(args: ExploreArgs) -> Result<Ended, CliError> {
    let mut problems = Vec::new();
    let base = Scenario::load(&args.scenario)
        .map_err(|e| problems.push(chain(&e)))
        .ok();
    let mut kinds = Vec::new();
    for name in &args.faults {
        match name.parse::<FaultKind>() {
            Ok(k) => kinds.push(k),
            Err(e) => problems.push(format!("--faults: {e}")),
        }
    }
    if args.faults.is_empty() {
        kinds = FaultKind::ALL.to_vec();
    }
    problems.extend(super::drill::unwritable_reports(&args.reports));
    let Some(base) = base.filter(|_| problems.is_empty()) else {
        let closing = format!(
            "rollcage: invalid input ({} problem(s)); nothing was started",
            problems.len()
        );
        return Err(invalid(problems, closing));
    };
    if base.releases.len() < 2 {
        return Err(CliError::InvalidInput(vec![format!(
            "rollcage: {}: the space needs a release besides deploy.from",
            args.scenario.display()
        )]));
    }
    let opts = ExploreOptions {
        cases: args.cases,
        seed: args.seed,
        time_budget: args.time_budget,
        out_dir: args.out.clone(),
        fault_kinds: kinds.clone(),
        max_faults: args.max_faults,
        max_shrink_runs: args.max_shrink_runs,
        reuse: !args.fresh,
    };
    let space = match Space::new(base, kinds, args.max_faults) {
        Ok(space) => space,
        Err(e) => return Err(CliError::InvalidInput(vec![format!("--faults: {e}")])),
    };
    with_runtime(run(args, space, opts))
}

async fn run(args: ExploreArgs, space: Space, opts: ExploreOptions) -> Result<Ended, CliError> {
    runtime::install_signal_cleanup();
    let engine = super::engine().await?;
    if !args.no_sweep {
        super::sweep(&engine).await;
    }
    super::say(&format!(
        "exploring {} with seed {} ({} case(s))\n",
        space.base.name, opts.seed, opts.cases
    ));
    let mut progress = Progress::new(opts.cases as usize, args.quiet);
    let result = explore::explore(&engine, &space, &opts, |i, name| {
        progress.start(i as usize, name, 1, 1)
    })
    .await;
    progress.clear();
    let report = result.map_err(|e| {
        CliError::harness(
            format!("writing minimal cases to {}", opts.out_dir.display()),
            e,
        )
    })?;
    let _ = report::explore::fmt_explore(&mut io::stdout(), &report);
    let _ = io::stdout().flush();

    // The exploration's results, told as the end of a run, to the drill's file reporters.
    let mut reporters = FanOut::new();
    super::drill::add_reports(&mut reporters, &args.reports);
    for event in report::explore::events(report::explore::to_records(&report)) {
        reporters.report(&event);
    }
    Ok(Ended::Drills {
        mismatched: !report.failures.is_empty(),
        could_not_run: report.runs.iter().any(|r| r.result.is_err()),
        reports: reporters.finish_all(),
    })
}
