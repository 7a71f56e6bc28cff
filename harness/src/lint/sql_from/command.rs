//! Runs a `--sql-from` command: `sh -c COMMAND` in its own process group, stdout captured,
//! stderr kept for failures, killed with everything it started when it outlives its timeout.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use rustix::process::{kill_process_group, Pid, Signal};
use wait_timeout::ChildExt;

/// How many of a failed command's last lines an error shows.
const LAST_LINES: usize = 10;

/// Why a command gave no SQL to lint.
#[derive(Debug, thiserror::Error)]
pub enum SqlFromError {
    /// `sh` could not be started or waited for.
    #[error("running sh -c")]
    Spawn(#[source] std::io::Error),
    /// It exited non-zero (or was killed by a signal).
    #[error("it exited with {status}; its last lines:\n{last_lines}")]
    Failed {
        /// The exit status, as the OS words it.
        status: String,
        /// The last lines of its stderr (of its stdout when stderr was empty).
        last_lines: String,
    },
    /// It ran past the timeout and was killed, with every process it started.
    #[error("it ran past its {} timeout and was killed; its last lines:\n{last_lines}", humantime::format_duration(*.after))]
    TimedOut {
        /// The timeout.
        after: Duration,
        /// The last lines it wrote.
        last_lines: String,
    },
    /// It succeeded but printed no SQL statement.
    #[error("it printed no SQL on stdout")]
    NoSql,
}

/// Runs `command` with `sh -c` and returns its stdout.
pub fn run(command: &str, timeout: Duration) -> Result<String, SqlFromError> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own group, so a timeout kills what it started too (not only `sh`).
        .process_group(0)
        .spawn()
        .map_err(SqlFromError::Spawn)?;
    // Both pipes drained while it runs, so a chatty command never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let waited = child.wait_timeout(timeout).map_err(SqlFromError::Spawn);
    // Whatever it left running (all of it, on a timeout) goes too: nothing outlives the
    // command, and nothing holds its stdout open past it.
    let _ = kill_process_group(Pid::from_child(&child), Signal::KILL);
    let status = match waited {
        Ok(Some(status)) => Some(status),
        Ok(None) | Err(_) => {
            let _ = child.wait();
            None
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let last_lines = || {
        last_lines(if stderr.trim().is_empty() {
            &stdout
        } else {
            &stderr
        })
    };
    match status {
        None => {
            waited?;
            Err(SqlFromError::TimedOut {
                after: timeout,
                last_lines: last_lines(),
            })
        }
        Some(status) if !status.success() => Err(SqlFromError::Failed {
            status: status.to_string(),
            last_lines: last_lines(),
        }),
        Some(_) => Ok(stdout),
    }
}

/// The last few non-empty lines of a text, indented, or a note that there were none.
fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return "  (it printed nothing)".into();
    }
    let from = lines.len().saturating_sub(LAST_LINES);
    lines[from..]
        .iter()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[test]
    fn stdout_is_returned_and_stderr_ignored_on_success() {
        let out = run("echo 'SELECT 1;'; echo noise >&2", Duration::from_secs(10)).unwrap();
        assert_eq!(out, "SELECT 1;\n");
    }

    #[test]
    fn a_failure_shows_its_status_and_last_stderr_lines() {
        let script = "for i in $(seq 1 15); do echo line$i >&2; done; exit 3";
        let err = run(script, Duration::from_secs(10)).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("it exited with exit status: 3"), "{text}");
        assert!(
            text.contains("  line6\n") && text.ends_with("  line15"),
            "{text}"
        );
        assert!(!text.contains("line5\n"), "only the last ten lines: {text}");
        let missing = run("no-such-tool-rollcage --sql", Duration::from_secs(10)).unwrap_err();
        assert!(missing.to_string().contains("not found"), "{missing}");
    }

    #[test]
    fn what_it_leaves_running_is_ended_with_it() {
        let started = Instant::now();
        let out = run("echo 'SELECT 1;'; sleep 30 &", Duration::from_secs(10)).unwrap();
        assert_eq!(out, "SELECT 1;\n");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_hang_is_killed_with_what_it_started() {
        let started = Instant::now();
        // The background sleep holds stdout open: only killing the group ends the read.
        let err = run(
            "echo begun; sleep 30 & sleep 30",
            Duration::from_millis(300),
        )
        .unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        match err {
            SqlFromError::TimedOut { after, last_lines } => {
                assert_eq!(after, Duration::from_millis(300));
                assert_eq!(last_lines, "  begun");
            }
            other => panic!("{other:?}"),
        }
    }
}
