//! The `harm` oracle: the rollback must not make things worse than the release it replaces —
//! neither while it runs (e.g. the schema reverted under code that still needs it) nor after
//! it (the previous release failing where the new one did not).

use super::OracleResult;
use crate::timeline::WindowStats;
use crate::vocab::Oracle;

/// Failed requests always tolerated, so one unlucky request during a cut-over is not harm.
const GRACE: f64 = 2.0;

/// `during`: the rollback's window, without the announced outage of a snapshot restore.
/// `after`: the settle window after the rollback was verified.
pub fn check_harm(
    deployed: &WindowStats,
    during: &WindowStats,
    after: &WindowStats,
) -> OracleResult {
    let pct = |w: &WindowStats| w.error_rate * 100.0;
    let summary = format!(
        "failed requests: {:.1}% while the new release served, {} of {} ({:.1}%) during the rollback, {} of {} ({:.1}%) after it",
        pct(deployed),
        during.failed,
        during.requests,
        pct(during),
        after.failed,
        after.requests,
        pct(after)
    );
    // Harm is a failure count the deployed release's own error rate cannot explain: more than
    // three standard deviations (binomial) above what it would have failed in as many requests.
    let p = deployed.error_rate;
    let worse = |w: &WindowStats| {
        let n = w.requests as f64;
        let expected = n * p;
        w.failed as f64 > expected + 3.0 * (n * p * (1.0 - p)).sqrt() + GRACE
    };
    if worse(during) || worse(after) {
        OracleResult::fail(
            Oracle::Harm,
            format!("the rollback caused errors: {summary}"),
        )
    } else {
        OracleResult::pass(Oracle::Harm, summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(requests: u64, failed: u64) -> WindowStats {
        WindowStats {
            requests,
            failed,
            error_rate: failed as f64 / requests.max(1) as f64,
            ..Default::default()
        }
    }

    #[test]
    fn more_errors_than_the_deployed_release_is_harm() {
        let calm = w(100, 0);
        assert!(!check_harm(&w(100, 30), &w(100, 25), &calm).failed());
        assert!(check_harm(&calm, &w(100, 10), &calm).failed());
        assert!(check_harm(&calm, &calm, &w(20, 20)).failed());
        assert!(!check_harm(&calm, &calm, &calm).failed());
        assert!(!check_harm(&calm, &w(200, 1), &calm).failed());
        // 11 of 29 while the bad release failed 20%: within its own noise.
        assert!(!check_harm(&w(50, 10), &w(29, 11), &calm).failed());
        assert!(check_harm(&w(50, 10), &w(29, 25), &calm).failed());
    }
}
