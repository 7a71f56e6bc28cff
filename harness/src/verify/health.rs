//! The `health` oracle: the previous release answers its health check (the `smoke` oracle is
//! the checks after the rollback, in `rollback/checks.rs`).

use crate::vocab::Oracle;

use super::OracleResult;
use crate::traffic::Probe;
use crate::vocab::chain;

/// The previous release answered its health check. `exited` is how its process ended when it
/// died before it was healthy: that, not the last answer, is why it never became healthy.
pub fn check_health(
    release: &str,
    probe: Option<&Probe>,
    exited: Option<&dyn std::error::Error>,
) -> OracleResult {
    if let Some(e) = exited {
        return OracleResult::fail(Oracle::Health, chain(e));
    }
    match probe {
        Some(p) if p.healthy_at.is_some() => OracleResult::pass(
            Oracle::Health,
            format!("{release} healthy after {} probe(s)", p.attempts),
        ),
        Some(p) => OracleResult::fail(
            Oracle::Health,
            format!(
                "{release} never became healthy; last answer: {}",
                p.last_answer.trim()
            ),
        ),
        None => OracleResult::fail(Oracle::Health, format!("{release} was never started")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::OracleStatus;

    #[derive(Debug, thiserror::Error)]
    #[error("baseline exited before it became healthy")]
    struct Exited(#[source] std::io::Error);

    #[test]
    fn a_dead_release_fails_health_with_how_it_ended() {
        let exited = Exited(std::io::Error::other("exit code 2, not OOM-killed"));
        let probe = Probe::default();
        let r = check_health("baseline", Some(&probe), Some(&exited));
        assert_eq!(r.status, OracleStatus::Failed);
        assert_eq!(
            r.message,
            "baseline exited before it became healthy: exit code 2, not OOM-killed"
        );
        let r = check_health("baseline", Some(&probe), None);
        assert!(r.message.starts_with("baseline never became healthy"));
    }
}
