//! The rollback decision: manual (at a point in time) or automatic from the workload's own
//! measurements — composite conditions over a sliding window, firing when k of n hold.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::scenario::{AutoTrigger, Condition, Trigger};
use crate::traffic::{TrafficLog, WindowStats, Workload};
use crate::vocab::human;

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Fired { at: Instant, reason: String },
    GaveUp { after: Duration },
}

/// Waits for the trigger, measuring from `since` (the new release serving).
pub async fn await_decision(trigger: &Trigger, workload: &Workload, since: Instant) -> Decision {
    match trigger {
        Trigger::Manual { after } => {
            tokio::time::sleep_until((since + *after).into()).await;
            Decision::Fired {
                at: Instant::now(),
                reason: format!("manual, {} after deploy", human(*after)),
            }
        }
        Trigger::Auto(auto) => auto_decision(auto, workload, since).await,
    }
}

async fn auto_decision(auto: &AutoTrigger, workload: &Workload, since: Instant) -> Decision {
    let mut history: VecDeque<bool> = VecDeque::new();
    let mut ticker = tokio::time::interval(auto.every);
    loop {
        ticker.tick().await;
        let now = Instant::now();
        if now.duration_since(since) > auto.give_up_after {
            return Decision::GaveUp {
                after: now.duration_since(since),
            };
        }
        let from = now.checked_sub(auto.window).unwrap_or(since).max(since);
        let stats = workload.with_log(|log| log.window(from, now));
        let held = holding(&auto.conditions, &stats);
        history.push_back(!held.is_empty());
        if history.len() > auto.of as usize {
            history.pop_front();
        }
        let hits = history.iter().filter(|h| **h).count() as u32;
        if hits >= auto.need {
            let reason = format!(
                "{} of the last {} windows held: {}",
                hits,
                history.len(),
                held.join(", ")
            );
            return Decision::Fired { at: now, reason };
        }
    }
}

/// The conditions that hold over `stats`, described.
pub fn holding(conditions: &[Condition], stats: &WindowStats) -> Vec<String> {
    if stats.requests == 0 {
        return Vec::new();
    }
    conditions
        .iter()
        .filter_map(|c| match c {
            Condition::ErrorRateAbove(x) if stats.error_rate > *x => Some(format!(
                "error rate {:.1}% > {:.1}%",
                stats.error_rate * 100.0,
                x * 100.0
            )),
            Condition::P99Above(d) if stats.p99 > *d => {
                Some(format!("p99 {} > {}", human(stats.p99), human(*d)))
            }
            _ => None,
        })
        .collect()
}

/// Degradation onset: the first request after `since` that failed, or that was slower than
/// the trigger's latency threshold.
pub fn onset(log: &TrafficLog, since: Instant, trigger: &Trigger) -> Option<Instant> {
    let slow = match trigger {
        Trigger::Auto(a) => a.conditions.iter().find_map(|c| match c {
            Condition::P99Above(d) => Some(*d),
            _ => None,
        }),
        Trigger::Manual { .. } => None,
    };
    log.samples
        .iter()
        .filter(|s| s.sent >= since)
        .filter(|s| !s.ok() || slow.is_some_and(|d| s.latency() > d))
        .map(|s| s.done)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_hold_only_over_thresholds() {
        let stats = WindowStats {
            requests: 10,
            failed: 3,
            error_rate: 0.3,
            p99: Duration::from_millis(180),
            ..Default::default()
        };
        let conds = [
            Condition::ErrorRateAbove(0.05),
            Condition::P99Above(Duration::from_millis(200)),
        ];
        assert_eq!(
            holding(&conds, &stats),
            vec!["error rate 30.0% > 5.0%".to_string()]
        );
        let calm = WindowStats {
            requests: 10,
            ..Default::default()
        };
        assert!(holding(&conds, &calm).is_empty());
        assert!(holding(&conds, &WindowStats::default()).is_empty());
    }
}
