//! `Timeline` and its `Event`s: what happened when, relative to the drill's start.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// Which of the two timelines an event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Segment {
    /// Everything up to the rollback decision.
    Deploy,
    /// The decision and everything after it.
    Rollback,
}

/// What a timeline event records; serialized in kebab-case (`rollback-decision`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// The network, database and services are up and the faults prepared.
    EnvironmentReady,
    /// The release being deployed from first answered its health probe.
    PreviousReleaseHealthy,
    /// The previous release's image digest, migration version and schema were recorded.
    Captured,
    /// The deploy to the new release began.
    DeployStarted,
    /// The new release's migrations are applied; the detail names the version reached.
    MigrationsApplied,
    /// The new release answered healthy, or (as the detail says) never did.
    NewReleaseHealthy,
    /// The previous release failed requests on the migrated schema while the deploy still
    /// ran: a finding of its own, since a code-only rollback will meet the same schema.
    PreviousFailingOnNewSchema,
    /// The first failed or slow request after the deploy, before the decision.
    DegradationOnset,
    /// A fault was injected, or the deploy's migrator died.
    Fault,
    /// An injected fault was healed.
    FaultHealed,
    /// The rollback was decided; it starts the rollback segment.
    RollbackDecision,
    /// A rollback step began (the detail marks a re-run).
    StepStarted,
    /// A rollback step succeeded.
    StepFinished,
    /// A rollback step failed.
    StepFailed,
    /// The previous release's process started again during the rollback.
    ReleaseStarted,
    /// The restarted previous release first answered its health probe.
    FirstHealthyProbe,
    /// The smoke request after the rollback succeeded.
    SmokePassed,
    /// A `[[check]]` got an expected answer.
    CheckPassed,
    /// A `[[check]]` did not (or could not be sent).
    CheckFailed,
    /// Health, smoke, digest and schema were checked after a completed rollback.
    Verified,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Since the drill started.
    #[serde(rename = "at_ms", with = "crate::vocab::millis")]
    pub at: Duration,
    pub segment: Segment,
    pub kind: EventKind,
    pub detail: String,
}

/// Append-only event log of one drill. The engine records it from the drill's own event
/// stream, so what reports show as the timeline is what reporters were told as it happened.
#[derive(Debug, Clone)]
pub struct Timeline {
    origin: Instant,
    events: Vec<Event>,
    decided: bool,
}

impl Timeline {
    pub fn new(origin: Instant) -> Timeline {
        Timeline {
            origin,
            events: Vec::new(),
            decided: false,
        }
    }

    pub fn origin(&self) -> Instant {
        self.origin
    }

    /// Records an event at `when` (an instant measured by the caller, so a probe's own
    /// timestamp is used rather than the time it got reported).
    #[cfg(test)]
    pub fn record_at(&mut self, when: Instant, kind: EventKind, detail: impl Into<String>) {
        self.record_after(when.saturating_duration_since(self.origin), kind, detail)
    }

    /// Records an event `at` after the drill started. Events land in the order recorded; the
    /// segment is the one in force when recorded (the decision starts the rollback's).
    pub fn record_after(&mut self, at: Duration, kind: EventKind, detail: impl Into<String>) {
        if kind == EventKind::RollbackDecision {
            self.decided = true;
        }
        let segment = if self.decided {
            Segment::Rollback
        } else {
            Segment::Deploy
        };
        self.events.push(Event {
            at,
            segment,
            kind,
            detail: detail.into(),
        });
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// When the first event of `kind` happened.
    pub fn first(&self, kind: &EventKind) -> Option<Duration> {
        self.events.iter().find(|e| &e.kind == kind).map(|e| e.at)
    }

    #[cfg(test)]
    pub fn segment(&self, segment: Segment) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(move |e| e.segment == segment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_at_the_decision() {
        let origin = Instant::now();
        let mut t = Timeline::new(origin);
        t.record_at(
            origin + Duration::from_millis(10),
            EventKind::DeployStarted,
            "",
        );
        t.record_at(
            origin + Duration::from_millis(50),
            EventKind::RollbackDecision,
            "manual",
        );
        t.record_at(origin + Duration::from_millis(90), EventKind::Verified, "");
        assert_eq!(t.segment(Segment::Deploy).count(), 1);
        assert_eq!(t.segment(Segment::Rollback).count(), 2);
        assert_eq!(
            t.first(&EventKind::Verified),
            Some(Duration::from_millis(90))
        );
    }
}
