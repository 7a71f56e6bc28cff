//! `Verdict`: the drill's conclusion, in the rollback-failure taxonomy.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How a rollback ended. Ordered from best to worst only for display; never compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The previous release runs, on a schema it understands, nothing acknowledged lost, in budget.
    Pass,
    /// The trigger never decided to roll back.
    FailedToTrigger,
    /// A rollback step errored: artifact missing, down migration failed or absent, timeout.
    FailedToComplete,
    /// The rollback completed but left a bad state: an oracle failed.
    RestoredBadState,
    /// The rollback made things worse than the bad release: more errors, lost writes.
    CausedNewHarm,
    /// Everything held, but recovery took longer than the budget.
    OverBudget,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::Pass,
        Verdict::FailedToTrigger,
        Verdict::FailedToComplete,
        Verdict::RestoredBadState,
        Verdict::CausedNewHarm,
        Verdict::OverBudget,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::FailedToTrigger => "failed-to-trigger",
            Verdict::FailedToComplete => "failed-to-complete",
            Verdict::RestoredBadState => "restored-bad-state",
            Verdict::CausedNewHarm => "caused-new-harm",
            Verdict::OverBudget => "over-budget",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Verdict::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
                format!(
                    "unknown verdict `{s}`; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for v in Verdict::ALL {
            assert_eq!(v.as_str().parse::<Verdict>().unwrap(), v);
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{v}\""));
        }
        assert!("passed"
            .parse::<Verdict>()
            .unwrap_err()
            .contains("failed-to-trigger"));
    }
}
