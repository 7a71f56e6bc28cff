//! `rollcage report merge`: the JSON reports of a partitioned run's jobs read back, merged
//! into one run, and played to the same reporters a run has — the line per drill and the
//! summary on stdout, and the JSON / JUnit / HTML / Markdown files asked for. It exits as
//! that run would have, so a CI job after the matrix can gate on it.

use std::io;

use rollcage::events::FanOut;
use rollcage::report::merge::merge as join;
use rollcage::report::read::read;
use rollcage::report::terminal::Palette;
use rollcage::report::{LinesReporter, Summary};
use rollcage::vocab::chain;

use super::drill::{add_reports, unwritable_reports};
use super::{invalid, CliError, Ended};
use rollcage::cli::MergeArgs;

pub fn merge(args: MergeArgs) -> Result<Ended, CliError> {
    let mut problems = unwritable_reports(&args.reports);
    let mut shards = Vec::new();
    for path in &args.files {
        match read(path) {
            Ok(shard) => shards.push((path.clone(), shard)),
            Err(e) => problems.push(format!("rollcage: {}", chain(&e))),
        }
    }
    // An interrupted job's report lacks the scenarios it never reached: the merged run did
    // not run everything, so it cannot pass as a whole.
    let incomplete: Vec<String> = shards
        .iter()
        .filter(|(_, s)| s.interrupted)
        .map(|(path, _)| path.display().to_string())
        .collect();
    let merged = if problems.is_empty() {
        join(shards).map_err(|errors| {
            problems.extend(errors.iter().map(|e| format!("rollcage: {e}")));
        })
    } else {
        Err(())
    };
    let Ok(merged) = merged else {
        let closing = format!(
            "rollcage: invalid input ({} problem(s)); no report was written",
            problems.len()
        );
        return Err(invalid(problems, closing));
    };
    let mut reporters = FanOut::new().with(LinesReporter::new(
        io::stdout(),
        Palette::for_stdout(),
        false,
    ));
    add_reports(&mut reporters, &args.reports);
    merged.replay(&mut reporters);
    let summary = Summary::of(&merged.records);
    for path in &incomplete {
        eprintln!(
            "rollcage: {path} is the report of an interrupted run: the scenarios it never \
             reached are missing, so the merged run counts as one that could not run them all"
        );
    }
    Ok(Ended::Drills {
        mismatched: summary.mismatched > 0,
        could_not_run: summary.errors > 0 || !incomplete.is_empty(),
        reports: reporters.finish_all(),
    })
}
