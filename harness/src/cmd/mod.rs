//! The subcommands of the `rollcage` binary, one file each. They return how they ended
//! (`Ended`) or why they could not (`CliError`); `tell` prints what stderr must say of it and
//! `exit_code` is the one place either becomes a process exit code.

pub mod admin;
pub mod drill;
pub mod explore;
pub mod findings;
pub mod report;

use std::error::Error;

use rollcage::events::ReporterError;
use rollcage::exit_codes::{self, ENGINE_UNREACHABLE, INVALID_INPUT, LINT_FINDINGS, SUCCESS};
use rollcage::runtime::{Engine, RuntimeError};
use rollcage::vocab::chain;

/// How a subcommand that ran to its end ended.
#[derive(Debug)]
pub enum Ended {
    /// Nothing to report against the command line: a plan printed, a gc done, no finding at
    /// or above `--fail-on`.
    Clean,
    /// `lint` / `preflight`: a finding at or above `--fail-on`.
    Findings,
    /// Drills ran (or an exploration did).
    Drills {
        /// A verdict did not match its expectation (an exploration found a defect).
        mismatched: bool,
        /// A drill could not run for harness or environment reasons.
        could_not_run: bool,
        /// The reports that could not be written.
        reports: Vec<ReporterError>,
    },
}

/// Why a subcommand stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Scenario files or arguments are invalid; nothing was started. Each line is printed to
    /// stderr as it is.
    #[error("invalid input ({} problem(s))", .0.len())]
    InvalidInput(Vec<String>),
    #[error(transparent)]
    EngineUnreachable(RuntimeError),
    /// The harness itself failed: the async runtime, `gc`, rendering or writing output.
    #[error(transparent)]
    Harness(Box<dyn Error + Send + Sync>),
}

/// A harness failure and what was being done when it happened.
#[derive(Debug, thiserror::Error)]
#[error("{doing}")]
pub struct Failed {
    doing: String,
    #[source]
    source: Box<dyn Error + Send + Sync>,
}

impl CliError {
    /// A harness failure while `doing` something, caused by `source`.
    pub fn harness(
        doing: impl Into<String>,
        source: impl Into<Box<dyn Error + Send + Sync>>,
    ) -> CliError {
        CliError::Harness(Box::new(Failed {
            doing: doing.into(),
            source: source.into(),
        }))
    }
}

/// Prints to stderr what the outcome must say there: the problems, or each error with its
/// causes.
pub fn tell(result: &Result<Ended, CliError>) {
    match result {
        Ok(Ended::Drills { reports, .. }) => {
            for e in reports {
                eprintln!("rollcage: {}", chain(e));
            }
        }
        Ok(_) => {}
        Err(CliError::InvalidInput(lines)) => {
            for line in lines {
                eprintln!("{line}");
            }
        }
        Err(e) => eprintln!("rollcage: {}", chain(e)),
    }
}

/// The process exit code of a subcommand's outcome (see `rollcage::exit_codes`). A mismatch
/// outranks a harness failure, a report that could not be written among them.
pub fn exit_code(result: &Result<Ended, CliError>) -> i32 {
    match result {
        Ok(Ended::Clean) => SUCCESS,
        Ok(Ended::Findings) => LINT_FINDINGS,
        Ok(Ended::Drills {
            mismatched,
            could_not_run,
            reports,
        }) => exit_codes::for_drills(*mismatched, *could_not_run || !reports.is_empty()),
        Err(CliError::InvalidInput(_)) => INVALID_INPUT,
        Err(CliError::EngineUnreachable(_)) => ENGINE_UNREACHABLE,
        Err(CliError::Harness(_)) => exit_codes::HARNESS_FAILURE,
    }
}

/// Runs async work on a fresh multi-threaded runtime.
pub fn with_runtime<T>(
    work: impl std::future::Future<Output = Result<T, CliError>>,
) -> Result<T, CliError> {
    let rt = tokio::runtime::Runtime::new()
        .map_err(|e| CliError::harness("cannot start the async runtime", e))?;
    rt.block_on(work)
}

/// Connects to the Docker Engine.
pub async fn engine() -> Result<Engine, CliError> {
    Engine::connect().await.map_err(CliError::EngineUnreachable)
}

/// The sweep before a drill or an exploration: removes what this host's dead runs left (see
/// `runtime::gc`), saying so on stderr. A failed sweep is told, and the drill goes on.
pub async fn sweep(engine: &Engine) {
    match rollcage::runtime::gc(engine, false).await {
        Ok(report) => {
            if !report.runs_removed.is_empty() {
                eprintln!(
                    "rollcage: removed what {} dead run(s) left: {}",
                    report.runs_removed.len(),
                    report.runs_removed.join(", ")
                );
            }
            for e in &report.failures {
                eprintln!("rollcage: sweep: {}", chain(e));
            }
        }
        Err(e) => eprintln!("rollcage: sweep: {}", chain(&e)),
    }
}

/// The problems found in the input, and the closing line saying what was not started.
pub fn invalid(mut problems: Vec<String>, closing: String) -> CliError {
    problems.push(closing);
    CliError::InvalidInput(problems)
}

/// Writes `text` to stdout. A closed stdout (a pipe to `head`) ends the output, not the
/// process: `print!` would panic on it, and a drill must still clean up and report.
pub fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollcage::exit_codes::{HARNESS_FAILURE, MISMATCH};

    fn drills(mismatched: bool, could_not_run: bool, unwritten: usize) -> Result<Ended, CliError> {
        let reports = (0..unwritten)
            .map(|_| ReporterError::Write {
                path: "r.json".into(),
                source: std::io::ErrorKind::NotFound.into(),
            })
            .collect();
        Ok(Ended::Drills {
            mismatched,
            could_not_run,
            reports,
        })
    }

    #[test]
    fn every_outcome_has_its_code() {
        assert_eq!(exit_code(&Ok(Ended::Clean)), SUCCESS);
        assert_eq!(exit_code(&Ok(Ended::Findings)), LINT_FINDINGS);
        assert_eq!(exit_code(&drills(false, false, 0)), SUCCESS);
        assert_eq!(exit_code(&drills(false, true, 0)), HARNESS_FAILURE);
        assert_eq!(exit_code(&drills(false, false, 1)), HARNESS_FAILURE);
        // A mismatch is the finding a pipeline must not miss, even when a report failed too.
        assert_eq!(exit_code(&drills(true, true, 2)), MISMATCH);
        assert_eq!(
            exit_code(&Err(CliError::InvalidInput(vec![]))),
            INVALID_INPUT
        );
        let io = std::io::Error::other("no runtime");
        assert_eq!(
            exit_code(&Err(CliError::harness("starting", io))),
            HARNESS_FAILURE
        );
    }

    #[test]
    fn a_harness_failure_names_what_was_being_done_and_why() {
        let e = CliError::harness("gc", std::io::Error::other("engine gone"));
        assert_eq!(chain(&e), "gc: engine gone");
    }
}
