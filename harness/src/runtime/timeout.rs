//! How long rollcage waits for the Docker Engine to answer a request (`ROLLCAGE_ENGINE_TIMEOUT`,
//! 60 s by default), and `RuntimeError::timed`, which turns an unanswered request into an error
//! that says what rollcage was doing.
//!
//! bollard's limit covers one request until the engine's answer begins (status line and
//! headers), not the body read after it. The engine begins its answer at once for a container
//! wait, an exec's attached output and a log read, so a long pg_dump or a release that runs
//! for the whole drill is never cut. Calls answered when their work is done (create, start,
//! remove, commit) take seconds; a restart, answered after the stop's grace, gets that grace
//! added to its limit.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::RuntimeError;

/// The variable that sets the limit, in humantime's format (`60s`, `2m`, `1m 30s`).
pub const ENGINE_TIMEOUT_VAR: &str = "ROLLCAGE_ENGINE_TIMEOUT";

/// The limit when the variable is unset: well above any single call of a drill, and under
/// bollard's own 2 minutes so a stuck engine is named sooner.
pub const DEFAULT_ENGINE_TIMEOUT: Duration = Duration::from_secs(60);

/// The limit the last connection was made with, for the text of a timed-out call's error
/// (bollard's error does not carry it). Seconds, as bollard counts them.
static LIMIT_SECS: AtomicU64 = AtomicU64::new(DEFAULT_ENGINE_TIMEOUT.as_secs());

/// The limit `ROLLCAGE_ENGINE_TIMEOUT` sets (the default when it is unset or empty).
pub(super) fn from_env() -> Result<Duration, RuntimeError> {
    parse(std::env::var(ENGINE_TIMEOUT_VAR).ok().as_deref())
}

/// Reads a limit: a humantime duration of at least one second, rounded up to whole seconds
/// because bollard counts whole seconds (a 500ms limit would otherwise become 0).
fn parse(value: Option<&str>) -> Result<Duration, RuntimeError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(DEFAULT_ENGINE_TIMEOUT);
    };
    let unusable = |why: String| RuntimeError::UnusableEngineTimeout {
        value: value.to_string(),
        why,
    };
    let limit = humantime::parse_duration(value)
        .map_err(|e| unusable(format!("{e} (write a duration such as 60s or 2m)")))?;
    if limit.is_zero() {
        return Err(unusable("the limit must be at least 1s".into()));
    }
    let secs = limit.as_secs() + u64::from(limit.subsec_nanos() > 0);
    Ok(Duration::from_secs(secs))
}

/// Records the limit a connection was made with.
pub(super) fn set_limit(limit: Duration) {
    LIMIT_SECS.store(limit.as_secs(), Ordering::Relaxed);
}

/// The limit of each engine request.
pub fn limit() -> Duration {
    Duration::from_secs(LIMIT_SECS.load(Ordering::Relaxed))
}

impl RuntimeError {
    /// This error, or `EngineTimeout` naming what was being done when its cause is a request
    /// the engine left unanswered within the connection's limit.
    pub(crate) fn timed(self) -> RuntimeError {
        self.timed_after(limit())
    }

    /// As `timed`, for a call made with a limit of its own (a restart waits for the stop).
    pub(crate) fn timed_after(self, after: Duration) -> RuntimeError {
        match self.engine_cause() {
            Some(bollard::errors::Error::RequestTimeoutError) => RuntimeError::EngineTimeout {
                after,
                doing: self.to_string(),
            },
            _ => self,
        }
    }

    /// The bollard error of an operation on the engine's objects, if this is one.
    fn engine_cause(&self) -> Option<&bollard::errors::Error> {
        match self {
            RuntimeError::CreateNetwork { source, .. }
            | RuntimeError::CreateContainer { source, .. }
            | RuntimeError::Container { source, .. }
            | RuntimeError::Image { source, .. }
            | RuntimeError::Network { source, .. }
            | RuntimeError::Volume { source, .. }
            | RuntimeError::List { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unanswered_request_says_what_rollcage_was_doing() {
        let created = RuntimeError::CreateContainer {
            name: "rollcage-rc1-app-0".into(),
            image: "rollcage/ledger:v2".into(),
            source: bollard::errors::Error::RequestTimeoutError,
        }
        .timed_after(Duration::from_secs(60));
        assert_eq!(
            created.to_string(),
            "the Docker Engine did not answer within 60s while creating container \
             rollcage-rc1-app-0 from image rollcage/ledger:v2"
        );
        // The message is whole: bollard's bare "Timeout error" is not added as a cause.
        assert!(std::error::Error::source(&created).is_none());
        let listed = RuntimeError::List {
            what: "networks",
            source: bollard::errors::Error::RequestTimeoutError,
        }
        .timed_after(Duration::from_secs(5));
        assert_eq!(
            listed.to_string(),
            "the Docker Engine did not answer within 5s while listing networks for cleanup"
        );
    }

    #[test]
    fn other_engine_errors_keep_their_operation_and_cause() {
        let refused = RuntimeError::Container {
            op: "starting",
            name: "c1".into(),
            source: bollard::errors::Error::DockerResponseServerError {
                status_code: 500,
                message: "port is already allocated".into(),
            },
        }
        .timed();
        assert_eq!(refused.to_string(), "starting container c1");
        assert!(std::error::Error::source(&refused).is_some());
    }

    #[test]
    fn the_limit_is_read_in_humantime_and_whole_seconds() {
        assert_eq!(parse(None).unwrap(), DEFAULT_ENGINE_TIMEOUT);
        assert_eq!(parse(Some(" ")).unwrap(), DEFAULT_ENGINE_TIMEOUT);
        assert_eq!(parse(Some("2m")).unwrap(), Duration::from_secs(120));
        assert_eq!(parse(Some("1m 30s")).unwrap(), Duration::from_secs(90));
        assert_eq!(parse(Some("1500ms")).unwrap(), Duration::from_secs(2));
        let zero = parse(Some("0s")).unwrap_err().to_string();
        assert_eq!(
            zero,
            "ROLLCAGE_ENGINE_TIMEOUT=0s cannot be used: the limit must be at least 1s"
        );
        let bad = parse(Some("soon")).unwrap_err().to_string();
        assert!(
            bad.starts_with("ROLLCAGE_ENGINE_TIMEOUT=soon cannot be used: "),
            "{bad}"
        );
        assert!(
            bad.ends_with("(write a duration such as 60s or 2m)"),
            "{bad}"
        );
    }
}
