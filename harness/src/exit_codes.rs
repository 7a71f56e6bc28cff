//! The process exit codes of the `rollcage` binary, one constant each.
//!
//! | code | meaning |
//! | ---: | --- |
//! | 0 | every drill ran and its verdict matched the scenario's expectation |
//! | 1 | at least one drill's verdict did not match its expectation; for `lint` and `preflight`, a finding at or above `--fail-on` |
//! | 2 | invalid input: a scenario file (diagnostics printed as file:line:column) or the command line (clap's usage errors exit 2 too) |
//! | 3 | the Docker Engine is unreachable |
//! | 4 | a drill could not run for harness or environment reasons (`DrillError`), a report could not be written, or `gc` failed — and no verdict mismatched |
//! | 130 | interrupted by SIGINT (Ctrl-C); live runs' containers were removed first |
//! | 143 | terminated by SIGTERM; live runs' containers were removed first |
//!
//! A mismatch outranks a harness failure: when both happen the exit code is 1, because the
//! mismatch is the finding a pipeline must not miss.

/// Every drill matched its expectation.
pub const SUCCESS: i32 = 0;
/// At least one drill's verdict (or expected failing oracles) did not match.
pub const MISMATCH: i32 = 1;
/// `lint` / `preflight`: a finding at or above the chosen severity exists (same code as a
/// mismatch: the check did not hold).
pub const LINT_FINDINGS: i32 = MISMATCH;
/// Scenario files or arguments are invalid; nothing was started.
pub const INVALID_INPUT: i32 = 2;
/// The Docker Engine could not be reached; nothing was started.
pub const ENGINE_UNREACHABLE: i32 = 3;
/// A drill could not run (harness/environment failure), with no mismatch among the others.
pub const HARNESS_FAILURE: i32 = 4;
/// Interrupted by SIGINT; set by `runtime::install_signal_cleanup`.
pub const INTERRUPTED: i32 = 130;
/// Terminated by SIGTERM; set by `runtime::install_signal_cleanup`.
pub const TERMINATED: i32 = 143;

/// The exit code of a `drill` command from what went wrong in it.
pub fn for_drills(any_mismatch: bool, any_harness_failure: bool) -> i32 {
    if any_mismatch {
        MISMATCH
    } else if any_harness_failure {
        HARNESS_FAILURE
    } else {
        SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mismatch_outranks_a_harness_failure() {
        assert_eq!(for_drills(false, false), SUCCESS);
        assert_eq!(for_drills(true, false), MISMATCH);
        assert_eq!(for_drills(false, true), HARNESS_FAILURE);
        assert_eq!(for_drills(true, true), MISMATCH);
    }
}
