//! `rollcage explore`: load the scenario that defines the space, run the seeded exploration
//! with a spinner, print the defects found (with their replay files), write the reports.

use std::io::{self, Write};

use rollcage::exit_codes::{HARNESS_FAILURE, INVALID_INPUT, MISMATCH, SUCCESS};
use rollcage::explore::{self, ExploreOptions, Space};
use rollcage::report::{self, progress::Progress};
use rollcage::runtime::{self};
use rollcage::scenario::Scenario;
use rollcage::vocab::chain;
use rollcage::vocab::FaultKind;

use super::drill::unwritable;
use super::with_runtime;
use crate::ExploreArgs;

pub fn explore(args: ExploreArgs) -> i32 {
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
    for (flag, path) in [("--json", &args.json), ("--junit", &args.junit)] {
        problems.extend(path.as_deref().and_then(|p| unwritable(flag, p)));
    }
    let Some(base) = base.filter(|_| problems.is_empty()) else {
        for p in &problems {
            eprintln!("{p}");
        }
        eprintln!(
            "rollcage: invalid input ({} problem(s)); nothing was started",
            problems.len()
        );
        return INVALID_INPUT;
    };
    if base.releases.len() < 2 {
        eprintln!(
            "rollcage: {}: the space needs a release besides deploy.from",
            args.scenario.display()
        );
        return INVALID_INPUT;
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
        Err(e) => {
            eprintln!("--faults: {e}");
            return INVALID_INPUT;
        }
    };
    with_runtime(run(args, space, opts))
}

async fn run(args: ExploreArgs, space: Space, opts: ExploreOptions) -> i32 {
    runtime::install_signal_cleanup();
    let engine = match super::engine().await {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    println!(
        "exploring {} with seed {} ({} case(s))",
        space.base.name, opts.seed, opts.cases
    );
    let mut progress = Progress::new(opts.cases as usize, args.quiet);
    let result = explore::explore(&engine, &space, &opts, |i, name| {
        progress.start(i as usize, name, 1, 1)
    })
    .await;
    progress.clear();
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            eprintln!(
                "rollcage: writing minimal cases to {}: {e}",
                opts.out_dir.display()
            );
            return HARNESS_FAILURE;
        }
    };
    let _ = report::explore::fmt_explore(&mut io::stdout(), &report);
    let _ = io::stdout().flush();
    let records = report::explore::to_records(&report);
    let mut code = if report.failures.is_empty() {
        SUCCESS
    } else {
        MISMATCH
    };
    code = super::write_reports(args.json.as_deref(), args.junit.as_deref(), &records, code);
    if report.failures.is_empty() && report.runs.iter().any(|r| r.result.is_err()) {
        code = HARNESS_FAILURE;
    }
    code
}
