//! `rollcage plan` (the steps a drill would take, starting nothing) and `rollcage gc` (remove
//! what dead runs left, by rollcage's labels only).

use std::path::Path;

use rollcage::exit_codes::{HARNESS_FAILURE, INVALID_INPUT, SUCCESS};
use rollcage::runtime::{self};
use rollcage::scenario::Scenario;
use rollcage::vocab::chain;

pub fn plan(file: &Path) -> i32 {
    match Scenario::load_all(file) {
        Ok(scenarios) => {
            for (i, s) in scenarios.iter().enumerate() {
                if i > 0 {
                    println!();
                }
                print!("{}", s.plan());
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

pub async fn gc(all: bool) -> i32 {
    runtime::install_signal_cleanup();
    let engine = match super::engine().await {
        Ok(engine) => engine,
        Err(code) => return code,
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
