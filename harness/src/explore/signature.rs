//! Failure signatures: verdict + failing oracles + fault kinds, so one defect found by many
//! generated cases is one entry in the report.

use std::fmt;

use serde::Serialize;

use crate::rollback::DrillOutcome;
use crate::scenario::Scenario;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Signature {
    pub verdict: String,
    pub oracles: Vec<String>,
    pub faults: Vec<String>,
}

impl Signature {
    pub fn of(s: &Scenario, o: &DrillOutcome) -> Signature {
        let mut oracles: Vec<String> = o.failing_oracles().iter().map(|x| x.to_string()).collect();
        oracles.sort();
        let mut faults: Vec<String> = s
            .faults
            .iter()
            .map(|f| f.fault.kind().to_string())
            .collect();
        faults.sort();
        faults.dedup();
        Signature {
            verdict: o.verdict.to_string(),
            oracles,
            faults,
        }
    }

    /// A file-name-safe form: `restored-bad-state--smoke-harm--no-faults`.
    pub fn slug(&self) -> String {
        let part = |v: &[String], none: &str| {
            if v.is_empty() {
                none.to_string()
            } else {
                v.join("-")
            }
        };
        format!(
            "{}--{}--{}",
            self.verdict,
            part(&self.oracles, "no-oracle"),
            part(&self.faults, "no-faults")
        )
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let faults = if self.faults.is_empty() {
            "no faults".to_string()
        } else {
            self.faults.join(", ")
        };
        write!(
            f,
            "{} (failing: {}; faults: {faults})",
            self.verdict,
            self.oracles.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_name_the_defect_for_file_names() {
        let s = |oracles: &[&str], faults: &[&str]| Signature {
            verdict: "restored-bad-state".into(),
            oracles: oracles.iter().map(|x| x.to_string()).collect(),
            faults: faults.iter().map(|x| x.to_string()).collect(),
        };
        assert_eq!(
            s(&["harm", "smoke"], &[]).slug(),
            "restored-bad-state--harm-smoke--no-faults"
        );
        assert_eq!(
            s(&[], &["kill-app"]).slug(),
            "restored-bad-state--no-oracle--kill-app"
        );
        assert_eq!(
            s(&["smoke"], &[]).to_string(),
            "restored-bad-state (failing: smoke; faults: no faults)"
        );
    }
}
