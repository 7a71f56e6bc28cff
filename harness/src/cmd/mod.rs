//! The subcommands of the `rollcage` binary, one file each; they call the library and map its
//! results to exit codes.

pub mod admin;
pub mod drill;
pub mod explore;
pub mod findings;

use rollcage::exit_codes::HARNESS_FAILURE;

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
