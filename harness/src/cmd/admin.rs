//! `rollcage plan` (the steps a drill would take, starting nothing) and `rollcage gc` (remove
//! what dead runs left, by rollcage's labels only).

use std::path::Path;

use rollcage::runtime::{self};
use rollcage::scenario::Scenario;
use rollcage::vocab::chain;

use super::{CliError, Ended};

pub fn plan(file: &Path) -> Result<Ended, CliError> {
    match Scenario::load_all(file) {
        Ok(scenarios) => {
            for (i, s) in scenarios.iter().enumerate() {
                if i > 0 {
                    println!();
                }
                print!("{}", s.plan());
            }
            Ok(Ended::Clean)
        }
        Err(errors) => Err(CliError::InvalidInput(
            errors.iter().map(|e| chain(e)).collect(),
        )),
    }
}

pub async fn gc(all: bool) -> Result<Ended, CliError> {
    runtime::install_signal_cleanup();
    let engine = super::engine().await?;
    let report = runtime::gc(&engine, all)
        .await
        .map_err(|e| CliError::harness("gc", e))?;
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
    Ok(Ended::Clean)
}
