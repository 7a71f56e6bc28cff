//! `FanOut`: several reporters fed the same events in order, as one.

use super::{Event, Reporter, ReporterError};

/// Delivers every event to each reporter, in the order they were added.
#[derive(Default)]
pub struct FanOut {
    reporters: Vec<Box<dyn Reporter>>,
}

impl FanOut {
    /// A fan-out with no reporters yet.
    pub fn new() -> FanOut {
        FanOut::default()
    }

    /// Adds a reporter; it sees only the events reported after this.
    pub fn with(mut self, reporter: impl Reporter + 'static) -> FanOut {
        self.reporters.push(Box::new(reporter));
        self
    }

    /// Adds a boxed reporter in place; it sees only the events reported after this.
    pub fn push(&mut self, reporter: Box<dyn Reporter>) {
        self.reporters.push(reporter);
    }
}

impl Reporter for FanOut {
    fn report(&mut self, event: &Event) {
        for r in &mut self.reporters {
            r.report(event);
        }
    }

    /// Finishes every reporter, even after one failed; the first failure is returned
    /// (`finish_all` keeps them all).
    fn finish(&mut self) -> Result<(), ReporterError> {
        match self.finish_all().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl FanOut {
    /// Finishes every reporter, even after one failed, and returns every failure: a JSON
    /// report that could not be written must not hide a JUnit one that could not either.
    pub fn finish_all(&mut self) -> Vec<ReporterError> {
        self.reporters
            .iter_mut()
            .filter_map(|r| r.finish().err())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::outcome::Summary;

    struct Tape(Arc<Mutex<Vec<String>>>, &'static str);

    impl Reporter for Tape {
        fn report(&mut self, event: &Event) {
            let what = match event {
                Event::RunStarted { .. } => "started",
                Event::RunFinished(_) => "finished",
                _ => "other",
            };
            self.0.lock().unwrap().push(format!("{} {what}", self.1));
        }
    }

    #[test]
    fn every_reporter_sees_every_event_in_order() {
        let tape = Arc::new(Mutex::new(Vec::new()));
        let mut fan = FanOut::new()
            .with(Tape(tape.clone(), "a"))
            .with(Tape(tape.clone(), "b"));
        fan.report(&Event::RunStarted {
            scenarios: 1,
            repeat: 1,
        });
        fan.report(&Event::RunFinished(Summary::default()));
        assert!(fan.finish().is_ok());
        assert_eq!(
            *tape.lock().unwrap(),
            ["a started", "b started", "a finished", "b finished"]
        );
    }
}
