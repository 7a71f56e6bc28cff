//! A container's process that ended: `Engine::until_exit` watches a started container until
//! its main process exits (or is started again), and says how it ended (`ContainerExit`):
//! exit code, OOM-killed flag and the last lines of its log, so a dead release is reported
//! with its own account of why instead of a health check that merely timed out.

use std::fmt;
use std::time::Duration;

use bollard::container::LogOutput;
use bollard::query_parameters::{LogsOptions, LogsOptionsBuilder, WaitContainerOptionsBuilder};
use futures_util::StreamExt;

use super::{Engine, RuntimeError};

/// How many of a dead container's last log lines a report carries.
pub const LOG_TAIL: usize = 30;

/// How a container's main process ended, as the engine recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerExit {
    /// The exit code of its last run (0 after a restart that is running again).
    pub code: i64,
    /// The kernel's OOM killer ended it.
    pub oom_killed: bool,
    /// Its process was started again (a restart), rather than left stopped.
    pub restarted: bool,
    /// Its last `LOG_TAIL` log lines (stdout and stderr), oldest first.
    pub log_tail: Vec<String>,
}

impl fmt::Display for ContainerExit {
    /// One line with the code and the OOM flag, then the log lines, each indented on its own
    /// line, since a report shows the app's own words about why it stopped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let oom = if self.oom_killed {
            "OOM-killed"
        } else {
            "not OOM-killed"
        };
        write!(f, "exit code {}, {oom}", self.code)?;
        match self.log_tail.len() {
            0 => write!(f, "; it logged nothing"),
            n => {
                write!(f, "; its last {n} log line(s):")?;
                self.log_tail
                    .iter()
                    .try_for_each(|line| write!(f, "\n  | {line}"))
            }
        }
    }
}

impl std::error::Error for ContainerExit {}

/// What one inspection says about a container's process.
struct Seen {
    running: bool,
    restarting: bool,
    started_at: Option<String>,
    restart_count: i64,
    code: i64,
    oom_killed: bool,
}

impl Engine {
    async fn seen(&self, name: &str) -> Result<Seen, RuntimeError> {
        let info = self
            .docker()
            .inspect_container(name, None)
            .await
            .map_err(|source| {
                RuntimeError::Container {
                    op: "inspecting",
                    name: name.to_string(),
                    source,
                }
                .timed()
            })?;
        let st = info.state.unwrap_or_default();
        Ok(Seen {
            running: st.running.unwrap_or(false),
            restarting: st.restarting.unwrap_or(false),
            started_at: st.started_at,
            restart_count: info.restart_count.unwrap_or(0),
            code: st.exit_code.unwrap_or(0),
            oom_killed: st.oom_killed.unwrap_or(false),
        })
    }

    /// Returns once the container's main process has exited or was started again (another
    /// start time or restart count than at the first look); never returns while it keeps
    /// running. Then reads its exit code, OOM flag and log tail. It waits on the engine's own
    /// wait call (one long request answered when the process stops: a restart stops it too),
    /// so watching costs nothing while the release starts; should that call fail it inspects
    /// the container every `every` instead.
    pub async fn until_exit(
        &self,
        name: &str,
        every: Duration,
    ) -> Result<ContainerExit, RuntimeError> {
        let first = self.seen(name).await?;
        let (first_start, first_count) = (first.started_at.clone(), first.restart_count);
        if first.running && !first.restarting {
            self.await_not_running(name).await;
        }
        let mut now = self.seen(name).await?;
        let restarted = loop {
            let restarted =
                now.restarting || now.started_at != first_start || now.restart_count != first_count;
            if restarted || !now.running {
                break restarted;
            }
            tokio::time::sleep(every).await;
            now = self.seen(name).await?;
        };
        Ok(ContainerExit {
            code: now.code,
            oom_killed: now.oom_killed,
            restarted,
            log_tail: self.log_tail(name, LOG_TAIL).await?,
        })
    }

    /// Waits until the engine says the container is not running. A wait error that carries
    /// the process's exit (a non-zero code) is an answer too; any other failure returns at
    /// once and leaves the decision to inspection.
    async fn await_not_running(&self, name: &str) {
        let options = WaitContainerOptionsBuilder::new()
            .condition("not-running")
            .build();
        let mut wait = self.docker().wait_container(name, Some(options));
        let _ = wait.next().await;
    }

    /// The container's last `n` log lines (stdout and stderr interleaved), oldest first.
    pub async fn log_tail(&self, name: &str, n: usize) -> Result<Vec<String>, RuntimeError> {
        let tail = n.to_string();
        let options = LogsOptionsBuilder::new()
            .stdout(true)
            .stderr(true)
            .tail(&tail)
            .build();
        let mut text = String::new();
        for chunk in self.log_chunks(name, options).await? {
            text.push_str(&String::from_utf8_lossy(&chunk.into_bytes()));
        }
        Ok(last_lines(&text, n))
    }

    /// The container's log as the engine sends it, stream by stream, read to its end.
    pub(crate) async fn log_chunks(
        &self,
        name: &str,
        options: LogsOptions,
    ) -> Result<Vec<LogOutput>, RuntimeError> {
        let chunks: Vec<Result<LogOutput, _>> =
            self.docker().logs(name, Some(options)).collect().await;
        chunks
            .into_iter()
            .map(|chunk| {
                chunk.map_err(|source| {
                    RuntimeError::Container {
                        op: "reading the log of",
                        name: name.to_string(),
                        source,
                    }
                    .timed()
                })
            })
            .collect()
    }
}

/// The last `n` non-empty lines of `text`, trailing whitespace trimmed.
fn last_lines(text: &str, n: usize) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    let skip = lines.len().saturating_sub(n);
    lines[skip..].iter().map(|l| l.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exit_reads_with_its_code_flag_and_log() {
        let exit = ContainerExit {
            code: 2,
            oom_killed: false,
            restarted: false,
            log_tail: vec!["ledger flagged: LEDGER_FLAG_CHANNEL must be on or off".into()],
        };
        assert_eq!(
            exit.to_string(),
            "exit code 2, not OOM-killed; its last 1 log line(s):\n  \
             | ledger flagged: LEDGER_FLAG_CHANNEL must be on or off"
        );
        let killed = ContainerExit {
            code: 137,
            oom_killed: true,
            restarted: true,
            log_tail: Vec::new(),
        };
        assert_eq!(
            killed.to_string(),
            "exit code 137, OOM-killed; it logged nothing"
        );
    }

    #[test]
    fn only_the_last_lines_are_kept() {
        assert_eq!(last_lines("a\n\nb\r\nc\n", 2), vec!["b", "c"]);
        assert_eq!(last_lines("", 30), Vec::<String>::new());
    }
}
