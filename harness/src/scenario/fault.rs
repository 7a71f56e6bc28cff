//! The faults a scenario schedules, kind-agnostic: `ScheduledFault` (what, when, for how
//! long), `Fault` (a kind plus its parameters) and `FaultParams` (the parameters by name).
//!
//! What each kind takes and does is described by its `FaultSpec` (see `catalog.rs`), which
//! lives with the kind in `faults/`; the scenario only carries the values.

use std::time::Duration;

use crate::vocab::{FaultKind, Phase};

/// A fault the author places in the drill.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledFault {
    /// The drill phase the fault is injected at (`at`).
    pub at: Phase,
    /// What is injected: the kind and its parameters.
    pub fault: Fault,
    /// How long the fault lasts before it heals (for faults that heal).
    pub duration: Option<Duration>,
}

/// One fault: its kind and the parameters it was given (defaults filled in by validation).
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// Which fault this is (`kind` in the `[[fault]]` table).
    pub kind: FaultKind,
    /// Its parameters by key, defaults filled in.
    pub params: FaultParams,
}

/// The key naming the release an image fault acts on.
pub const RELEASE: &str = "release";

impl Fault {
    /// A fault of `kind` with no parameters yet.
    pub fn new(kind: FaultKind) -> Fault {
        Fault {
            kind,
            params: FaultParams::default(),
        }
    }

    /// The same fault with parameter `name` set to `value`.
    pub fn with(mut self, name: &'static str, value: ParamValue) -> Fault {
        self.params.set(name, value);
        self
    }

    /// The kebab-case kind, as written in scenario files and used in failure signatures.
    pub fn kind(&self) -> FaultKind {
        self.kind
    }

    /// The release an image fault acts on (its `release` key), if it has one.
    pub fn release(&self) -> Option<&str> {
        self.params.release(RELEASE)
    }
}

/// A parameter's value, typed as its kind declares it.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A release name (checked against the scenario's releases).
    Release(String),
    /// A duration, such as a `latency` fault's `delay`.
    Duration(Duration),
    /// A whole number, such as a `kill-migrator` fault's `after-statements`.
    Count(u32),
}

/// Parameters by key, in the order the kind declares them (the order they are written in).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultParams(Vec<(&'static str, ParamValue)>);

impl FaultParams {
    /// Sets `name`, replacing an earlier value in place.
    pub fn set(&mut self, name: &'static str, value: ParamValue) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// The value of parameter `name`; `None` when it is not set.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Every parameter, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &ParamValue)> {
        self.0.iter().map(|(n, v)| (*n, v))
    }

    /// Parameter `name` as a release name; `None` when unset or not a release.
    pub fn release(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(ParamValue::Release(r)) => Some(r),
            _ => None,
        }
    }

    /// Parameter `name` as a duration; `None` when unset or not a duration.
    pub fn duration(&self, name: &str) -> Option<Duration> {
        match self.get(name) {
            Some(ParamValue::Duration(d)) => Some(*d),
            _ => None,
        }
    }

    /// Parameter `name` as a count; `None` when unset or not a count.
    pub fn count(&self, name: &str) -> Option<u32> {
        match self.get(name) {
            Some(ParamValue::Count(n)) => Some(*n),
            _ => None,
        }
    }
}
