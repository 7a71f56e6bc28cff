//! The subcommands of the `rollcage` binary, one file each; they call the library and map its
//! results to exit codes.

pub mod admin;
pub mod drill;
pub mod explore;
pub mod findings;

use std::path::Path;

use rollcage::exit_codes::{ENGINE_UNREACHABLE, HARNESS_FAILURE, SUCCESS};
use rollcage::report::{self, DrillRecord};
use rollcage::runtime::Engine;
use rollcage::vocab::chain;

/// Runs async work on a fresh multi-threaded runtime.
pub fn with_runtime(work: impl std::future::Future<Output = i32>) -> i32 {
    match tokio::runtime::Runtime::new() {
        Ok(rt) => rt.block_on(work),
        Err(e) => {
            eprintln!("rollcage: cannot start the async runtime: {e}");
            HARNESS_FAILURE
        }
    }
}

/// Connects to the Docker Engine, or says why not and gives the exit code for it.
pub async fn engine() -> Result<Engine, i32> {
    Engine::connect().await.map_err(|e| {
        eprintln!("rollcage: {}", chain(&e));
        ENGINE_UNREACHABLE
    })
}

/// Writes the JSON and JUnit reports asked for; a failed write turns success into a harness
/// failure (a mismatch stays the more important finding).
pub fn write_reports(
    json: Option<&Path>,
    junit: Option<&Path>,
    records: &[DrillRecord],
    mut code: i32,
) -> i32 {
    let written = [
        json.map(|p| report::json::write(p, records)),
        junit.map(|p| report::junit::write(p, records)),
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
