//! `Emitter`: how the engine tells what happens in a drill. Each event is timed from the
//! drill's start, recorded on the drill's `Timeline` and handed to the caller's sink as it
//! happens: the timeline is built from the very events the caller sees, one recording path.

use std::time::Instant;

use crate::events::{DrillEvent, DrillEventKind};
use crate::timeline::{EventKind, Timeline};

pub struct Emitter<'a> {
    timeline: Timeline,
    /// Where the events go as they happen (the runner forwards them to its reporter).
    sink: Box<dyn FnMut(DrillEvent) + Send + 'a>,
}

impl<'a> Emitter<'a> {
    /// An emitter for a drill that started at `origin`.
    pub fn new(origin: Instant, sink: impl FnMut(DrillEvent) + Send + 'a) -> Emitter<'a> {
        Emitter {
            timeline: Timeline::new(origin),
            sink: Box::new(sink),
        }
    }

    /// Emits `kind` as having happened at `when` (an instant measured by the caller, so a
    /// probe's own timestamp is used rather than the time it got reported).
    pub fn at(&mut self, when: Instant, kind: DrillEventKind) {
        let event = DrillEvent {
            at: when.saturating_duration_since(self.timeline.origin()),
            kind,
        };
        if let Some((kind, detail)) = event.timeline_entry() {
            self.timeline.record_after(event.at, kind, detail);
        }
        (self.sink)(event);
    }

    /// Emits `kind` as happening now.
    pub fn now(&mut self, kind: DrillEventKind) {
        self.at(Instant::now(), kind)
    }

    /// Emits a timeline milestone at `when`.
    pub fn milestone_at(&mut self, when: Instant, kind: EventKind, detail: impl Into<String>) {
        let detail = detail.into();
        self.at(when, DrillEventKind::Milestone { kind, detail })
    }

    /// Emits a timeline milestone now.
    pub fn milestone(&mut self, kind: EventKind, detail: impl Into<String>) {
        self.milestone_at(Instant::now(), kind, detail)
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    pub fn origin(&self) -> Instant {
        self.timeline.origin()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::*;
    use crate::timeline::Segment;
    use crate::vocab::{Phase, Step};

    #[test]
    fn the_sink_and_the_timeline_see_the_same_events() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let tape = seen.clone();
        let origin = Instant::now();
        let mut emit = Emitter::new(origin, move |e| tape.lock().unwrap().push(e));
        let ms = |n| origin + Duration::from_millis(n);
        emit.milestone_at(ms(10), EventKind::DeployStarted, "a -> b");
        emit.at(ms(20), DrillEventKind::PhaseEntered(Phase::AfterDeploy));
        let reason = "manual".to_string();
        emit.at(ms(30), DrillEventKind::Decision { reason });
        let step = Step::SwitchCode;
        emit.at(ms(40), DrillEventKind::StepStarted { step, attempt: 1 });

        let seen = seen.lock().unwrap();
        let at: Vec<u128> = seen.iter().map(|e| e.at.as_millis()).collect();
        assert_eq!(at, [10, 20, 30, 40]);
        // Entering a phase is an event, not a timeline entry.
        let tl = emit.timeline();
        let kinds: Vec<_> = tl.events().iter().map(|e| e.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                EventKind::DeployStarted,
                EventKind::RollbackDecision,
                EventKind::StepStarted
            ]
        );
        assert_eq!(tl.segment(Segment::Deploy).count(), 1);
        assert_eq!(
            tl.first(&EventKind::StepStarted),
            Some(Duration::from_millis(40))
        );
    }
}
