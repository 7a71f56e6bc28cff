//! What a fault kind is to a scenario file: `FaultSpec` (the keys it takes with their types,
//! defaults and limits, whether it heals, where it may be placed, what it excludes, its plan
//! text) and `FaultCatalog`, the set of kinds a scenario is read against.
//!
//! Each kind declares its spec next to its injection code in `faults/`; the scenario layer
//! sits below that, so the loaders are handed the catalog as a type parameter.

use std::time::Duration;

use super::fault::{FaultParams, ParamValue};
use crate::vocab::{FaultKind, Phase};

/// The key every healing fault takes: how long it lasts.
pub const DURATION: &str = "duration";
/// How long a healing fault lasts when its file does not say.
pub const DEFAULT_DURATION: Duration = Duration::from_secs(1);

/// The kinds a scenario may schedule, in the order authors see them listed.
pub trait FaultCatalog: 'static {
    /// Every kind's spec, in the order authors see them listed.
    fn specs() -> &'static [&'static FaultSpec];

    /// The spec of `kind`; `None` when this catalog does not offer it.
    fn spec(kind: FaultKind) -> Option<&'static FaultSpec> {
        Self::specs().iter().copied().find(|s| s.kind == kind)
    }
}

/// One key a kind takes.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The key as written in a `[[fault]]` table (kebab-case, e.g. `release`).
    pub name: &'static str,
    /// What value the key takes, with its default and limits.
    pub ty: ParamType,
}

/// A key's type, with its default (release names have none: they are required) and limits.
#[derive(Debug, Clone, Copy)]
pub enum ParamType {
    /// A release name, one of the scenario's `[releases]` keys; required.
    Release,
    /// A duration longer than zero.
    Duration {
        /// Value used when the key is left out.
        default: Duration,
    },
    /// A whole number, such as a statement count.
    Count {
        /// Value used when the key is left out.
        default: u32,
        /// The smallest value allowed, and why (said as "must be at least 6 (why)").
        at_least: Option<(u32, &'static str)>,
    },
}

impl Param {
    /// This key's release name in `p` (empty when missing: validation requires it).
    pub fn release<'a>(&self, p: &'a FaultParams) -> &'a str {
        p.release(self.name).unwrap_or_default()
    }

    /// This key's duration in `p`, its default when missing.
    pub fn duration(&self, p: &FaultParams) -> Duration {
        let default = match self.ty {
            ParamType::Duration { default } => default,
            _ => Duration::ZERO,
        };
        p.duration(self.name).unwrap_or(default)
    }

    /// This key's count in `p`, its default when missing.
    pub fn count(&self, p: &FaultParams) -> u32 {
        let default = match self.ty {
            ParamType::Count { default, .. } => default,
            _ => 0,
        };
        p.count(self.name).unwrap_or(default)
    }

    /// `p` with this key set to `value`.
    pub fn set(&self, p: &mut FaultParams, value: ParamValue) {
        p.set(self.name, value);
    }
}

/// The phases a kind can act in, and why (the message when placed elsewhere).
#[derive(Debug, Clone, Copy)]
pub struct PhaseRule {
    /// The phases it may be placed at (`at`).
    pub phases: &'static [Phase],
    /// Error message when placed elsewhere; `{kind}` stands for the kind's name.
    pub why: &'static str,
}

/// Kinds that cannot share a scenario with this one: `applies` picks them by their spec;
/// `why` is said at each of them.
#[derive(Debug, Clone, Copy)]
pub struct Exclusion {
    /// True for the specs of the kinds excluded.
    pub applies: fn(&FaultSpec) -> bool,
    /// Why they cannot be combined, reported at each excluded fault.
    pub why: &'static str,
}

/// What a scenario needs to know about one fault kind.
#[derive(Debug)]
pub struct FaultSpec {
    /// The kind this spec describes.
    pub kind: FaultKind,
    /// The keys it takes besides `at`, `kind` (and `duration`, when it heals).
    pub params: &'static [Param],
    /// It lasts for a duration and then heals.
    pub heals: bool,
    /// It stops the database server (which empties a tmpfs data directory).
    pub restarts_database: bool,
    /// Where it can act; None: any phase.
    pub acts_at: Option<PhaseRule>,
    /// Kinds it cannot share a scenario with; `None`: it combines with any.
    pub excludes: Option<Exclusion>,
    /// What it does, as a plan step says it.
    pub plan: fn(&FaultParams) -> String,
}

impl FaultSpec {
    /// A kind that takes no keys, acts anywhere, does not heal.
    pub const fn new(kind: FaultKind, plan: fn(&FaultParams) -> String) -> FaultSpec {
        FaultSpec {
            kind,
            params: &[],
            heals: false,
            restarts_database: false,
            acts_at: None,
            excludes: None,
            plan,
        }
    }

    /// This spec with `params` as the keys it takes.
    pub const fn params(mut self, params: &'static [Param]) -> FaultSpec {
        self.params = params;
        self
    }

    /// This spec marked as healing: it takes `duration` and is undone after it.
    pub const fn heals(mut self) -> FaultSpec {
        self.heals = true;
        self
    }

    /// This spec marked as stopping the database server.
    pub const fn restarts_database(mut self) -> FaultSpec {
        self.restarts_database = true;
        self
    }

    /// This spec allowed only at `phases`; `why` is the message elsewhere (`{kind}` filled in).
    pub const fn acts_at(mut self, phases: &'static [Phase], why: &'static str) -> FaultSpec {
        self.acts_at = Some(PhaseRule { phases, why });
        self
    }

    /// This spec refusing to share a scenario with the kinds `applies` picks, for reason `why`.
    pub const fn excludes(mut self, applies: fn(&FaultSpec) -> bool, why: &'static str) -> Self {
        self.excludes = Some(Exclusion { applies, why });
        self
    }

    /// The type of key `name` for this kind, `duration` included when it heals.
    pub fn key(&self, name: &str) -> Option<ParamType> {
        if self.heals && name == DURATION {
            let default = DEFAULT_DURATION;
            return Some(ParamType::Duration { default });
        }
        self.params.iter().find(|p| p.name == name).map(|p| p.ty)
    }
}

/// Every key a `[[fault]]` table may hold, with its type, in the order they are listed to the
/// author: `at`, `kind`, then each kind's keys in catalog order (`duration` after a healing
/// kind's own keys), each once.
pub fn fault_keys(specs: &[&FaultSpec]) -> Vec<(&'static str, Option<ParamType>)> {
    let mut keys: Vec<(&'static str, Option<ParamType>)> = vec![("at", None), ("kind", None)];
    for spec in specs {
        let own = spec.params.iter().map(|p| p.name);
        for name in own.chain(spec.heals.then_some(DURATION)) {
            if !keys.iter().any(|(k, _)| *k == name) {
                keys.push((name, spec.key(name)));
            }
        }
    }
    keys
}
