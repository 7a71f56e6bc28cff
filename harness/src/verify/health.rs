//! The `health` and `smoke` oracles: the previous release answers its health check, and the
//! scenario's smoke requests (writes included) return what they must.

use crate::vocab::Oracle;
use std::net::SocketAddr;

use super::OracleResult;
use crate::scenario::HttpCheck;
use crate::traffic::{render, send, Client, Probe};
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

/// Runs every smoke request in order; all must answer an expected status.
pub async fn check_smoke(
    client: &Client,
    addr: Option<SocketAddr>,
    checks: &[HttpCheck],
    run: &str,
) -> OracleResult {
    let Some(addr) = addr else {
        return OracleResult::fail(Oracle::Smoke, "no release is serving");
    };
    let mut failures = Vec::new();
    for (i, check) in checks.iter().enumerate() {
        let body = render(&check.body, 1_000_000 + i as u64, run);
        match send(client, addr, &check.method, &check.path, &body).await {
            Ok(r) if check.expect_status.contains(&r.status) => {}
            Ok(r) => failures.push(format!(
                "{} {} answered {} (expected {:?}): {}",
                check.method,
                check.path,
                r.status,
                check.expect_status,
                r.body.chars().take(200).collect::<String>()
            )),
            Err(e) => failures.push(format!("{} {}: {e}", check.method, check.path)),
        }
    }
    if failures.is_empty() {
        OracleResult::pass(
            Oracle::Smoke,
            format!("{} smoke request(s) answered as expected", checks.len()),
        )
    } else {
        OracleResult::fail(Oracle::Smoke, failures.join("; "))
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
