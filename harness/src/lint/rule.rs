//! Each lint and preflight rule's category and default severity (`Rule` itself, its names,
//! is in the vocabulary), and `Severity` itself.

use std::str::FromStr;

use serde::Serialize;

pub use crate::vocab::Rule;

/// How bad a finding is; ordered, so `--fail-on warning` means "warning or error".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; not a hazard on its own.
    Info,
    /// May break the way back; whether it does depends on what lint cannot see (data, defaults).
    Warning,
    /// Breaks the way back.
    Error,
}

impl Severity {
    /// Its name as written in output and on the command line (`warning`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}` (info, warning or error)"
            )),
        }
    }
}

/// Which reverse path a hazard endangers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// The previous release's code, started again, may break on the schema it finds.
    CodeRollback,
    /// Reverting the schema itself may fail or lose data.
    SchemaRollback,
}

impl Category {
    /// Its kebab-case name (`code-rollback`).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::CodeRollback => "code-rollback",
            Category::SchemaRollback => "schema-rollback",
        }
    }
}

impl Rule {
    /// Which reverse path its findings endanger.
    pub fn category(self) -> Category {
        use Rule::*;
        match self {
            NoDownMigration
            | DownDropsData
            | DestructiveUp
            | DownAborts
            | EnumValueIrreversible
            | DownBeforeSwitchCode
            | MigrationUnreadable => Category::SchemaRollback,
            _ => Category::CodeRollback,
        }
    }

    /// The severity a finding of this rule has unless the rule says otherwise (rules lower
    /// it where what decides the hazard is out of lint's sight, such as data).
    pub fn severity(self) -> Severity {
        use Rule::*;
        match self {
            AddConstraint | DropNotNull | DropUniqueConstraint => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Rules decided by reading migrations (the others are preflight's, about the scenario).
    pub fn is_lint(self) -> bool {
        !matches!(
            self,
            Rule::RollbackTargetMissing
                | Rule::RollbackTargetNotPinned
                | Rule::DownBeforeSwitchCode
                | Rule::MigrationUnreadable
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_serialize_as_written() {
        for rule in Rule::ALL {
            assert_eq!(rule.as_str().parse::<Rule>(), Ok(*rule));
            let json = serde_json::to_string(rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.as_str()));
        }
        assert!("no-such-rule".parse::<Rule>().is_err());
    }

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Error);
        assert_eq!("warning".parse::<Severity>(), Ok(Severity::Warning));
    }
}
