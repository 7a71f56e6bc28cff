//! `Figures`: the recovery numbers of one drill, and `Percentiles` of a figure over repeats.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Request counts, error rate and latency percentiles over a span of time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WindowStats {
    pub requests: u64,
    pub failed: u64,
    pub error_rate: f64,
    #[serde(with = "crate::vocab::millis")]
    pub p50: Duration,
    #[serde(with = "crate::vocab::millis")]
    pub p99: Duration,
    #[serde(with = "crate::vocab::millis")]
    pub max: Duration,
}

/// Measured figures of one drill; `None` when the drill never reached the point.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Rollback decision → verified.
    #[serde(with = "crate::vocab::opt_millis")]
    pub recovery_time: Option<Duration>,
    /// Whether the restored release serves: the rollback completed and the restored release
    /// failed neither its health check nor its traffic. A `recovery_time` without it measures
    /// a rollback that did not recover anything.
    pub recovered: bool,
    /// Degradation onset → rollback decision.
    #[serde(with = "crate::vocab::opt_millis")]
    pub time_to_detect: Option<Duration>,
    /// Who decided after the onset: an automatic trigger detected it (`true`), or a person
    /// decided by the clock while the traffic had degraded (`false`).
    pub detected_by_trigger: bool,
    /// First → last failed request the workload saw after the deploy started.
    #[serde(with = "crate::vocab::opt_millis")]
    pub outage: Option<Duration>,
    /// The last request the workload sent failed: the outage had not ended when the drill did.
    pub outage_ongoing: bool,
    /// Previous release's container start → first healthy probe, during the rollback.
    #[serde(with = "crate::vocab::opt_millis")]
    pub time_to_healthy: Option<Duration>,
    /// Traffic before the deploy, while it ran (the previous release serving on the
    /// migrated schema), between the new release serving and the decision, and after the
    /// decision; each request counted in the phase it was sent in.
    pub before_deploy: WindowStats,
    pub deploying: WindowStats,
    pub deployed: WindowStats,
    pub rollback: WindowStats,
    /// Requests that failed after the rollback was verified.
    pub failed_after_rollback: u64,
}

/// p50 / p95 / max of one figure over `--repeat` runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    pub samples: usize,
    #[serde(with = "crate::vocab::millis")]
    pub p50: Duration,
    #[serde(with = "crate::vocab::millis")]
    pub p95: Duration,
    #[serde(with = "crate::vocab::millis")]
    pub max: Duration,
}

impl Percentiles {
    /// Nearest-rank percentiles; None for no samples.
    pub fn of(values: &[Duration]) -> Option<Percentiles> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort();
        let rank = |q: f64| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
        Some(Percentiles {
            samples: v.len(),
            p50: rank(0.5),
            p95: rank(0.95),
            max: v[v.len() - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let ms = |n: u64| Duration::from_millis(n);
        let p = Percentiles::of(&[ms(5), ms(1), ms(4), ms(2), ms(3)]).unwrap();
        assert_eq!((p.samples, p.p50, p.p95, p.max), (5, ms(3), ms(5), ms(5)));
        assert!(Percentiles::of(&[]).is_none());
    }
}
