//! `rollcage plan` (the steps a drill would take, starting nothing), `rollcage schema` (the
//! JSON Schema of scenario files), `rollcage init` (a starter scenario) and `rollcage gc`
//! (remove what dead runs left, by rollcage's labels only).

use std::path::Path;

use rollcage::runtime::{self};
use rollcage::scenario::Scenario;
use rollcage::starter::{Starter, StarterError};
use rollcage::vocab::chain;

use super::{CliError, Ended};
use rollcage::cli::InitArgs;

pub fn plan(file: &Path) -> Result<Ended, CliError> {
    match Scenario::load_all(file) {
        Ok(scenarios) => {
            let plans: Vec<String> = scenarios.iter().map(|s| s.plan()).collect();
            super::say(&plans.join("\n"));
            Ok(Ended::Clean)
        }
        Err(errors) => Err(CliError::InvalidInput(
            errors.iter().map(|e| chain(e)).collect(),
        )),
    }
}

pub fn schema() -> Result<Ended, CliError> {
    let text = serde_json::to_string_pretty(&Scenario::schema())
        .map_err(|e| CliError::harness("encoding the scenario schema", e))?;
    super::say(&format!("{text}\n"));
    Ok(Ended::Clean)
}

pub fn init(args: InitArgs) -> Result<Ended, CliError> {
    let starter = Starter {
        from: args.from,
        to: args.to,
        migrations: args.migrations,
        from_migrations: args.from_migrations,
        port: args.port,
        health: args.health,
    };
    match starter.write(&args.out, args.force) {
        Ok(s) => {
            let out = args.out.display();
            super::say(&format!(
                "wrote {out} (scenario `{}`); check it with `rollcage plan {out}`\n",
                s.name
            ));
            Ok(Ended::Clean)
        }
        Err(e @ StarterError::Write { .. }) => Err(CliError::harness("rollcage init", e)),
        Err(e) => Err(CliError::InvalidInput(vec![format!(
            "rollcage: {}",
            chain(&e)
        )])),
    }
}

pub async fn gc(all: bool) -> Result<Ended, CliError> {
    runtime::install_signal_cleanup();
    let engine = super::engine().await?;
    let report = runtime::gc(&engine, all)
        .await
        .map_err(|e| CliError::harness("gc", e))?;
    let mut text = String::new();
    for run in &report.runs_removed {
        text.push_str(&format!("removed run {run}\n"));
    }
    if report.runs_removed.is_empty() && report.failures.is_empty() {
        text.push_str("nothing to remove\n");
    }
    if !report.runs_alive.is_empty() {
        text.push_str(&format!(
            "kept {} run(s) whose process is still running (--all removes them too): {}\n",
            report.runs_alive.len(),
            report.runs_alive.join(", ")
        ));
    }
    if !report.runs_foreign.is_empty() {
        text.push_str(&format!(
            "kept {} run(s) of other hosts, younger than a day (--all removes them too): {}\n",
            report.runs_foreign.len(),
            report.runs_foreign.join(", ")
        ));
    }
    super::say(&text);
    for e in &report.failures {
        eprintln!("rollcage: gc: {}", chain(e));
    }
    if report.failures.is_empty() {
        return Ok(Ended::Clean);
    }
    let n = report.failures.len();
    Err(CliError::harness(
        "gc",
        std::io::Error::other(format!("{n} run(s) not fully removed")),
    ))
}
