//! Whether a trigger that gave up was right to stay quiet: the new release's traffic against
//! the pre-deploy baseline and against the trigger's own conditions.
//!
//! The rule (verdict `no-rollback` when it finds nothing, `failed-to-trigger` otherwise):
//!
//! 1. the new release served requests, and there was pre-deploy traffic to compare with;
//! 2. its failures are within a binomial margin of the baseline's rate: with `f0` of `n0`
//!    pre-deploy requests failed and `f1` of `n1` deployed ones, and the baseline rate
//!    `p0 = (f0 + 1) / (n0 + 2)` (smoothed, so a clean but short baseline still allows a
//!    stray failure), `f1 <= n1 p0 + Z sqrt(n1 p0 (1 - p0))`. Over a clean 50-request
//!    baseline that allows 11 failures in 250 requests, 3 in 50;
//! 3. none of the trigger's conditions (error rate, p99) holds over the whole deployed
//!    window, nor over the last window the trigger measured before it gave up.
//!
//! A quiet trigger is a claim that the release was healthy, so any doubt is a degradation.

use crate::scenario::Condition;
use crate::traffic::WindowStats;

use super::trigger::holding;

/// Standard deviations the new release's failures may exceed the baseline's expectation by:
/// three keeps a healthy release's chance of being called degraded well under one percent.
pub const Z: f64 = 3.0;

/// How the new release's traffic degraded, described; None when it held to the baseline.
/// `before` is the pre-deploy window, `deployed` the new release's whole serving window and
/// `last` the final window the trigger measured.
pub fn degradation(
    before: &WindowStats,
    deployed: &WindowStats,
    last: &WindowStats,
    conditions: &[Condition],
) -> Option<String> {
    if deployed.requests == 0 {
        return Some("the new release served no requests".into());
    }
    if before.requests == 0 {
        return Some("no pre-deploy traffic to compare with".into());
    }
    if errors_above_baseline(before, deployed) {
        return Some(format!(
            "error rate {} vs {} before deploy",
            rate(deployed),
            rate(before)
        ));
    }
    for (held, span) in [
        (holding(conditions, deployed), "after the deploy"),
        (holding(conditions, last), "in the trigger's last window"),
    ] {
        if !held.is_empty() {
            return Some(format!("{} {span}", held.join(", ")));
        }
    }
    None
}

/// Rule 2: the deployed failures exceed what the baseline's rate predicts by more than `Z`
/// binomial standard deviations.
fn errors_above_baseline(before: &WindowStats, deployed: &WindowStats) -> bool {
    let p0 = (before.failed as f64 + 1.0) / (before.requests as f64 + 2.0);
    let n1 = deployed.requests as f64;
    let allowed = n1 * p0 + Z * (n1 * p0 * (1.0 - p0)).sqrt();
    deployed.failed as f64 > allowed
}

fn rate(w: &WindowStats) -> String {
    format!("{:.2}% ({}/{})", w.error_rate * 100.0, w.failed, w.requests)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn window(requests: u64, failed: u64, p99_ms: u64) -> WindowStats {
        WindowStats {
            requests,
            failed,
            error_rate: failed as f64 / requests.max(1) as f64,
            p99: Duration::from_millis(p99_ms),
            ..Default::default()
        }
    }

    fn trigger() -> Vec<Condition> {
        vec![
            Condition::ErrorRateAbove(0.1),
            Condition::P99Above(Duration::from_millis(120)),
        ]
    }

    #[test]
    fn a_healthy_release_holds_to_the_baseline() {
        let before = window(50, 0, 8);
        assert_eq!(
            degradation(&before, &window(250, 0, 9), &window(50, 0, 9), &trigger()),
            None
        );
        // 11 failures in 250 over a clean baseline of 50 are within the margin, 12 are not.
        assert_eq!(
            degradation(&before, &window(250, 11, 9), &window(50, 0, 9), &trigger()),
            None
        );
        assert!(degradation(&before, &window(250, 12, 9), &window(50, 0, 9), &trigger()).is_some());
    }

    #[test]
    fn a_degraded_release_is_named() {
        let before = window(50, 0, 8);
        let quiet = window(50, 0, 9);
        let errors = degradation(&before, &window(250, 20, 9), &quiet, &trigger());
        assert_eq!(
            errors.as_deref(),
            Some("error rate 8.00% (20/250) vs 0.00% (0/50) before deploy")
        );
        // Below the binomial margin, but the trigger's own latency condition held at the end.
        let slow = degradation(&before, &window(250, 0, 9), &window(50, 0, 300), &trigger());
        assert_eq!(
            slow.as_deref(),
            Some("p99 300.0ms > 120.0ms in the trigger's last window")
        );
        let silent = degradation(&before, &window(0, 0, 0), &quiet, &trigger());
        assert!(silent.is_some());
    }
}
