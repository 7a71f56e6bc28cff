//! `TrafficLog`: every request the workload sent (`Sample`) and every acknowledged write
//! (`Ack`), with the window statistics triggers and reports read from it.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::timeline::WindowStats;

/// How one request ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The app acknowledged the write (its key is in the write's `Ack`).
    Acked,
    /// A read or keyless request answered with a status it expects.
    Answered { status: u16 },
    /// The app answered with a status that is not an acknowledgement.
    Rejected { status: u16 },
    /// No answer: connection refused, timeout, no release serving.
    Failed { error: String },
}

#[derive(Debug, Clone)]
pub struct Sample {
    pub seq: u64,
    pub sent: Instant,
    pub done: Instant,
    pub outcome: Outcome,
}

impl Sample {
    pub fn ok(&self) -> bool {
        matches!(self.outcome, Outcome::Acked | Outcome::Answered { .. })
    }
    pub fn latency(&self) -> Duration {
        self.done.saturating_duration_since(self.sent)
    }
}

/// An acknowledged write: what was sent, the key the app gave it, when it was acknowledged.
#[derive(Debug, Clone)]
pub struct Ack {
    pub seq: u64,
    pub key: String,
    pub at: Instant,
}

#[derive(Debug, Default)]
pub struct TrafficLog {
    pub samples: Vec<Sample>,
    pub acks: Vec<Ack>,
}

impl TrafficLog {
    pub fn push(&mut self, sample: Sample, ack: Option<Ack>) {
        self.samples.push(sample);
        self.acks.extend(ack);
    }

    /// Statistics of requests that completed in `[from, to)`.
    pub fn window(&self, from: Instant, to: Instant) -> WindowStats {
        stats(
            self.samples
                .iter()
                .filter(|s| s.done >= from && s.done < to),
        )
    }

    /// First and last completion of a failed request in `[from, to)`.
    pub fn failure_span(&self, from: Instant, to: Instant) -> Option<(Instant, Instant)> {
        let mut failed = self
            .samples
            .iter()
            .filter(|s| !s.ok() && s.done >= from && s.done < to);
        let first = failed.next()?.done;
        let last = failed.map(|s| s.done).max().unwrap_or(first);
        Some((first, last))
    }
}

pub fn stats<'a>(samples: impl Iterator<Item = &'a Sample>) -> WindowStats {
    let mut hist = Histogram::<u64>::new_with_bounds(1, 120_000_000, 3).expect("valid bounds");
    let (mut requests, mut failed) = (0u64, 0u64);
    for s in samples {
        requests += 1;
        failed += u64::from(!s.ok());
        let micros = s.latency().as_micros().clamp(1, 120_000_000) as u64;
        hist.saturating_record(micros);
    }
    if requests == 0 {
        return WindowStats::default();
    }
    let at = |q: f64| Duration::from_micros(hist.value_at_quantile(q));
    WindowStats {
        requests,
        failed,
        error_rate: failed as f64 / requests as f64,
        p50: at(0.5),
        p99: at(0.99),
        max: Duration::from_micros(hist.max()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(t0: Instant, at_ms: u64, latency_ms: u64, ok: bool) -> Sample {
        let done = t0 + Duration::from_millis(at_ms);
        let outcome = if ok {
            Outcome::Acked
        } else {
            Outcome::Rejected { status: 500 }
        };
        Sample {
            seq: at_ms,
            sent: done - Duration::from_millis(latency_ms),
            done,
            outcome,
        }
    }

    #[test]
    fn window_counts_failures_and_percentiles() {
        let t0 = Instant::now() + Duration::from_secs(1);
        let mut log = TrafficLog::default();
        for i in 0..100 {
            log.push(
                sample(t0, 10 + i, if i == 99 { 200 } else { 5 }, i % 4 != 0),
                None,
            );
        }
        let w = log.window(t0, t0 + Duration::from_secs(1));
        assert_eq!((w.requests, w.failed), (100, 25));
        assert!((w.error_rate - 0.25).abs() < 1e-9);
        assert!(w.p50 >= Duration::from_millis(4) && w.p50 <= Duration::from_millis(6));
        assert!(w.max >= Duration::from_millis(199));
        let (first, last) = log.failure_span(t0, t0 + Duration::from_secs(1)).unwrap();
        assert_eq!(first, t0 + Duration::from_millis(10));
        assert_eq!(last, t0 + Duration::from_millis(106));
        assert_eq!(
            log.window(t0 + Duration::from_secs(5), t0 + Duration::from_secs(6))
                .requests,
            0
        );
    }
}
