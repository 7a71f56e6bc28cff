//! Running a list of scenarios (`run_all`), up to `jobs` of them at once, each drill in its own
//! sandbox. Events reach the reporter on the caller's task, one at a time, through a channel;
//! each scenario's end is held back until the scenarios before it have ended, so reports list
//! scenarios in the run's order however the drills interleave.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use futures_util::{stream, StreamExt};
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

use super::repeat::record_of;
use super::run_drill_with;
use crate::events::{Event, Reporter};
use crate::outcome::{DrillRecord, Run, Summary};
use crate::runtime::Engine;
use crate::scenario::Scenario;
use crate::vocab::chain;

/// How a list of scenarios runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunPlan {
    /// Each scenario runs this many times in a row (at least once).
    pub repeat: usize,
    /// At most this many scenarios run at once (at least one).
    pub jobs: usize,
    /// After the first run that did not match or could not run, no further drill starts
    /// (drills already running finish and are reported).
    pub fail_fast: bool,
}

impl Default for RunPlan {
    fn default() -> Self {
        RunPlan {
            repeat: 1,
            jobs: 1,
            fail_fast: false,
        }
    }
}

/// What a scenario's job sends back to the reporting side.
enum Message {
    Event(Event),
    /// The scenario at this 1-based index ended; None when fail-fast kept it from running.
    Ended(usize, Option<Box<DrillRecord>>),
}

/// Runs every scenario as `plan` says, reporting each step to `reporter` (and each drill's own
/// events, as `Event::Drill`, while it runs), and returns the records in scenario order. A
/// drill that cannot run is reported and the run goes on. Scenarios fail-fast kept from
/// running have no record.
pub async fn run_all(
    engine: &Engine,
    scenarios: &[Scenario],
    plan: RunPlan,
    reporter: &mut dyn Reporter,
) -> Vec<DrillRecord> {
    let plan = RunPlan {
        repeat: plan.repeat.max(1),
        jobs: plan.jobs.max(1),
        ..plan
    };
    reporter.report(&Event::RunStarted {
        scenarios: scenarios.len(),
        repeat: plan.repeat,
    });
    let (tx, mut rx) = unbounded_channel();
    let stop = AtomicBool::new(false);
    let work = {
        let (stop, total) = (&stop, scenarios.len());
        async move {
            let jobs = scenarios.iter().enumerate().map(|(i, s)| {
                let tx = tx.clone();
                async move {
                    let record = scenario_job(engine, s, i + 1, total, plan, stop, &tx).await;
                    let _ = tx.send(Message::Ended(i + 1, record.map(Box::new)));
                }
            });
            stream::iter(jobs)
                .buffer_unordered(plan.jobs)
                .collect::<()>()
                .await;
            // `tx` drops here, which ends the reporting loop once it has drained.
        }
    };
    let report = async {
        let mut order = InOrder::default();
        while let Some(message) = rx.recv().await {
            match message {
                Message::Event(e) => reporter.report(&e),
                Message::Ended(index, record) => {
                    for r in order.ended(index, record.map(|r| *r)) {
                        reporter.report(&Event::ScenarioFinished(Box::new(r.clone())));
                        order.records.push(r);
                    }
                }
            }
        }
        order.records
    };
    let ((), records) = tokio::join!(work, report);
    reporter.report(&Event::RunFinished(Summary::of(&records)));
    records
}

/// Runs one scenario `plan.repeat` times, sending its events.
async fn scenario_job(
    engine: &Engine,
    s: &Scenario,
    index: usize,
    total: usize,
    plan: RunPlan,
    stop: &AtomicBool,
    tx: &UnboundedSender<Message>,
) -> Option<DrillRecord> {
    let send = |e: Event| {
        let _ = tx.send(Message::Event(e));
    };
    let mut runs = Vec::new();
    for repetition in 1..=plan.repeat {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        send(Event::DrillStarted {
            index,
            total,
            scenario: s.name.clone(),
            repetition,
            repeat: plan.repeat,
        });
        let started = Instant::now();
        let forward = |event| {
            send(Event::Drill {
                index,
                repetition,
                event,
            })
        };
        // A DrillError is the harness's failure, not the rollback's: kept as text so the
        // other repetitions and scenarios still run and get reported.
        let result = run_drill_with(engine, s, forward)
            .await
            .map_err(|e| chain(&e));
        if plan.fail_fast && !result.as_ref().is_ok_and(|o| o.matched) {
            stop.store(true, Ordering::SeqCst);
        }
        let run = Run {
            repetition,
            wall: started.elapsed(),
            result,
        };
        send(Event::DrillFinished {
            index,
            scenario: s.name.clone(),
            repetition,
            wall: run.wall,
            result: run.result.clone().map(Box::new),
        });
        runs.push(run);
    }
    (!runs.is_empty()).then(|| record_of(s, runs))
}

/// Puts scenario ends back in the run's order.
#[derive(Default)]
struct InOrder {
    /// Ended, waiting for an earlier scenario to end.
    waiting: BTreeMap<usize, Option<DrillRecord>>,
    /// The 1-based index of the next scenario to hand on.
    next: usize,
    /// Handed on, in order.
    records: Vec<DrillRecord>,
}

impl InOrder {
    /// Notes that scenario `index` ended; returns the records now due, in order.
    fn ended(&mut self, index: usize, record: Option<DrillRecord>) -> Vec<DrillRecord> {
        self.next = self.next.max(1);
        self.waiting.insert(index, record);
        let mut due = Vec::new();
        while let Some(record) = self.waiting.remove(&self.next) {
            due.extend(record);
            self.next += 1;
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Deployed, RepeatFigures};

    fn record(name: &str) -> DrillRecord {
        DrillRecord {
            scenario: name.into(),
            file: format!("{name}.toml"),
            deploy: Deployed {
                from: "a".into(),
                to: "b".into(),
            },
            strategy: None,
            database_image: "db".into(),
            percentiles: RepeatFigures::of(&[]),
            runs: Vec::new(),
        }
    }

    fn names(records: &[DrillRecord]) -> Vec<&str> {
        records.iter().map(|r| r.scenario.as_str()).collect()
    }

    #[test]
    fn ends_are_handed_on_in_the_runs_order() {
        let mut o = InOrder::default();
        assert!(o.ended(3, Some(record("c"))).is_empty());
        assert!(o.ended(2, Some(record("b"))).is_empty());
        assert_eq!(names(&o.ended(1, Some(record("a")))), ["a", "b", "c"]);
        assert_eq!(names(&o.ended(4, Some(record("d")))), ["d"]);
    }

    #[test]
    fn a_scenario_that_never_ran_does_not_hold_the_others_back() {
        let mut o = InOrder::default();
        assert!(o.ended(2, Some(record("b"))).is_empty());
        assert_eq!(names(&o.ended(1, None)), ["b"]);
        assert_eq!(names(&o.ended(3, None)), Vec::<&str>::new());
        assert_eq!(names(&o.ended(4, Some(record("d")))), ["d"]);
    }
}
