//! `Owner`: the process a run belongs to — host name, pid and the pid's start time — as
//! written into every resource's labels, and the test of whether that process still lives.
//!
//! A pid alone is not enough: pids are reused, and on a shared or remote engine another
//! machine's pid means nothing here. So a run is judged alive or dead only on its own host,
//! by pid *and* the kernel's start time of that pid.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::labels::{LABEL_HOST, LABEL_PID, LABEL_PID_START, LABEL_STARTED};

/// Runs of other hosts older than this are removed by `gc` and the sweep even without
/// `--all`: no drill lasts a day, so such a run's owner is gone wherever it ran.
pub const FOREIGN_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// Who owns a run, read back from a resource's labels.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Owner {
    /// The owning host's name (empty when the label is missing: an older rollcage).
    pub host: String,
    /// The owning process's id.
    pub pid: Option<u32>,
    /// The kernel's start time of that pid (clock ticks since boot), when known.
    pub pid_start: Option<u64>,
    /// When the run started (seconds since the Unix epoch), when known.
    pub started: Option<u64>,
}

/// Whether a run's owner is alive, dead, or cannot be judged from this host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    /// Its process still runs on this host.
    Alive,
    /// Its process is gone from this host.
    Dead,
    /// It belongs to another host; its pid says nothing here.
    Foreign,
}

impl Owner {
    /// The labels that name this process as a run's owner.
    pub(crate) fn labels_of_this_process() -> HashMap<String, String> {
        let pid = std::process::id();
        let mut labels = HashMap::from([
            (LABEL_PID.to_string(), pid.to_string()),
            (LABEL_HOST.to_string(), this_host()),
        ]);
        if let Some(start) = pid_start(pid) {
            labels.insert(LABEL_PID_START.to_string(), start.to_string());
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        labels.insert(LABEL_STARTED.to_string(), now.as_secs().to_string());
        labels
    }

    /// The owner a resource's labels name.
    pub fn from_labels(labels: &HashMap<String, String>) -> Owner {
        let num = |key: &str| labels.get(key).and_then(|v| v.parse().ok());
        Owner {
            host: labels.get(LABEL_HOST).cloned().unwrap_or_default(),
            pid: labels.get(LABEL_PID).and_then(|v| v.parse().ok()),
            pid_start: num(LABEL_PID_START),
            started: num(LABEL_STARTED),
        }
    }

    /// Alive, dead or foreign, judged from this host. A run without a host label is
    /// judged as this host's (rollcage before the label was added ran locally only). This
    /// process's own runs are alive: a sweep never removes what its own drills use.
    pub fn liveness(&self) -> Liveness {
        if !self.host.is_empty() && self.host != this_host() {
            return Liveness::Foreign;
        }
        let Some(pid) = self.pid else {
            return Liveness::Dead;
        };
        if pid == std::process::id() {
            return Liveness::Alive;
        }
        match (pid_start(pid), self.pid_start) {
            (None, _) => Liveness::Dead,
            // The pid was reused by a process started at another time.
            (Some(now), Some(then)) if now != then => Liveness::Dead,
            _ => Liveness::Alive,
        }
    }

    /// Whether the run started longer ago than `age` (unknown start: not old).
    pub fn older_than(&self, age: Duration) -> bool {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        self.started
            .is_some_and(|s| now.as_secs().saturating_sub(s) > age.as_secs())
    }
}

/// This machine's host name, as the kernel has it (`unknown` when unreadable).
pub fn this_host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The start time of `pid` (field 22 of `/proc/<pid>/stat`), or None if no such process.
fn pid_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: count from the last `)`.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_reused_pid_is_not() {
        let mine = Owner::from_labels(&Owner::labels_of_this_process());
        assert_eq!(mine.liveness(), Liveness::Alive);
        assert!(mine.pid_start.is_some());
        // pid 1 lives, but not since the start time recorded here.
        let reused = Owner {
            pid: Some(1),
            pid_start: pid_start(1).map(|s| s + 1),
            ..mine.clone()
        };
        assert_eq!(reused.liveness(), Liveness::Dead);
        let gone = Owner {
            pid: Some(u32::MAX),
            ..mine.clone()
        };
        assert_eq!(gone.liveness(), Liveness::Dead);
        let foreign = Owner {
            host: format!("{}-elsewhere", this_host()),
            ..mine
        };
        assert_eq!(foreign.liveness(), Liveness::Foreign);
    }

    #[test]
    fn age_is_judged_only_when_known() {
        let old = Owner {
            started: Some(1),
            ..Owner::default()
        };
        assert!(old.older_than(FOREIGN_MAX_AGE));
        assert!(!Owner::default().older_than(Duration::ZERO));
    }
}
