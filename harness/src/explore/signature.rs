//! Failure signatures: verdict + failing oracles + fault kinds, so one defect found by many
//! generated cases is one entry in the report.

use std::fmt;

use serde::Serialize;

use crate::outcome::DrillOutcome;
use crate::scenario::Scenario;
use crate::vocab::{FaultKind, Oracle, Verdict, Vocabulary};

/// What identifies one defect across generated cases: verdict, failing oracles, fault kinds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Signature {
    /// The verdict the failing drill reached.
    pub verdict: Verdict,
    /// The oracles that failed, sorted by name.
    pub oracles: Vec<Oracle>,
    /// The kinds of fault the scenario scheduled, sorted by name, each once.
    pub faults: Vec<FaultKind>,
}

impl Signature {
    /// The signature of scenario `s`'s drill, which ended in `o`.
    pub fn of(s: &Scenario, o: &DrillOutcome) -> Signature {
        // By name, so slugs and reports read alphabetically.
        let mut oracles = o.failing_oracles();
        oracles.sort_by_key(|x| x.as_str());
        let mut faults: Vec<FaultKind> = s.faults.iter().map(|f| f.fault.kind()).collect();
        faults.sort_by_key(|x| x.as_str());
        faults.dedup();
        Signature {
            verdict: o.verdict,
            oracles,
            faults,
        }
    }

    /// A file-name-safe form: `restored-bad-state--smoke-harm--no-faults`.
    pub fn slug(&self) -> String {
        let part = |v: Vec<&str>, none: &str| {
            if v.is_empty() {
                none.to_string()
            } else {
                v.join("-")
            }
        };
        format!(
            "{}--{}--{}",
            self.verdict,
            part(names(&self.oracles), "no-oracle"),
            part(names(&self.faults), "no-faults")
        )
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let faults = if self.faults.is_empty() {
            "no faults".to_string()
        } else {
            names(&self.faults).join(", ")
        };
        write!(
            f,
            "{} (failing: {}; faults: {faults})",
            self.verdict,
            names(&self.oracles).join(", ")
        )
    }
}

fn names<T: Vocabulary>(values: &[T]) -> Vec<&'static str> {
    values.iter().map(|v| v.name()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_name_the_defect_for_file_names() {
        let s = |oracles: &[Oracle], faults: &[FaultKind]| Signature {
            verdict: Verdict::RestoredBadState,
            oracles: oracles.to_vec(),
            faults: faults.to_vec(),
        };
        assert_eq!(
            s(&[Oracle::Harm, Oracle::Smoke], &[]).slug(),
            "restored-bad-state--harm-smoke--no-faults"
        );
        assert_eq!(
            s(&[], &[FaultKind::KillApp]).slug(),
            "restored-bad-state--no-oracle--kill-app"
        );
        assert_eq!(
            s(&[Oracle::Smoke], &[]).to_string(),
            "restored-bad-state (failing: smoke; faults: no faults)"
        );
    }
}
