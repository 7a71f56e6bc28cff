//! `worse_than`: whether one window's failures are more than another window's error rate can
//! explain. Both rates are estimates from a few dozen requests, so the comparison accounts for
//! the noise in each (a two-proportion test), not only in the window judged.

use crate::timeline::WindowStats;

/// Failed requests always tolerated, so one unlucky request during a cut-over is not evidence.
pub const GRACE: f64 = 2.0;

/// Standard errors the difference in rates must exceed: about one false alarm in a thousand
/// drills from sampling noise alone.
const Z: f64 = 3.0;

/// `judged` failed more often than `baseline` would have in as many requests, by more than
/// `GRACE` requests and by more than sampling noise in either window explains.
pub fn worse_than(baseline: &WindowStats, judged: &WindowStats) -> bool {
    let (n1, x1) = (baseline.requests as f64, baseline.failed as f64);
    let (n2, x2) = (judged.requests as f64, judged.failed as f64);
    if judged.requests == 0 {
        return false;
    }
    let p1 = if n1 > 0.0 { x1 / n1 } else { 0.0 };
    if x2 <= n2 * p1 + GRACE {
        return false;
    }
    // With no baseline, anything beyond the grace is unexplained.
    if baseline.requests == 0 {
        return true;
    }
    let pooled = (x1 + x2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    se > 0.0 && (x2 / n2 - p1) / se > Z
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(crate) fn w(requests: u64, failed: u64) -> WindowStats {
        WindowStats {
            requests,
            failed,
            error_rate: failed as f64 / requests.max(1) as f64,
            ..Default::default()
        }
    }

    #[test]
    fn more_failures_than_the_baseline_explains() {
        assert!(worse_than(&w(100, 0), &w(100, 10)));
        assert!(worse_than(&w(100, 0), &w(20, 20)));
        assert!(worse_than(&w(0, 0), &w(10, 3)));
        assert!(worse_than(&w(50, 10), &w(29, 25)));
    }

    #[test]
    fn noise_in_either_window_is_not_evidence() {
        assert!(!worse_than(&w(100, 0), &w(100, 2)));
        assert!(!worse_than(&w(100, 0), &w(0, 0)));
        assert!(!worse_than(&w(100, 30), &w(100, 25)));
        // A release failing 30% of its writes, measured at 16.7% over 48 requests and at
        // 39.2% over the next 51: the same release, sampled twice.
        assert!(!worse_than(&w(48, 8), &w(51, 20)));
        assert!(!worse_than(&w(50, 10), &w(29, 11)));
        assert!(!worse_than(&w(10, 10), &w(10, 10)));
    }
}
