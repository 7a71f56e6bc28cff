//! The names of lint and preflight rules (`Rule`, kebab-case everywhere: output, allow
//! comments, JSON), their category and default severity, and `Severity` itself.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// How bad a finding is; ordered, so `--fail-on warning` means "warning or error".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
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
    pub fn as_str(self) -> &'static str {
        match self {
            Category::CodeRollback => "code-rollback",
            Category::SchemaRollback => "schema-rollback",
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $name:literal, $category:ident, $severity:ident;)*) => {
        /// A lint or preflight rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Rule { $($variant,)* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }
            pub fn category(self) -> Category {
                match self { $(Rule::$variant => Category::$category,)* }
            }
            /// The severity a finding of this rule has unless the rule says otherwise.
            pub fn severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }
        }
    };
}

rules! {
    AddNotNullWithoutDefault = "add-not-null-without-default", CodeRollback, Error;
    SetNotNull = "set-not-null", CodeRollback, Error;
    RenameColumn = "rename-column", CodeRollback, Error;
    RenameTable = "rename-table", CodeRollback, Error;
    ChangeColumnType = "change-column-type", CodeRollback, Error;
    DropColumn = "drop-column", CodeRollback, Error;
    DropTable = "drop-table", CodeRollback, Error;
    AddConstraint = "add-constraint", CodeRollback, Warning;
    NoDownMigration = "no-down-migration", SchemaRollback, Error;
    DownDropsData = "down-drops-data", SchemaRollback, Error;
    DestructiveUp = "destructive-up", SchemaRollback, Error;
    RollbackTargetMissing = "rollback-target-missing", CodeRollback, Error;
    RollbackTargetNotPinned = "rollback-target-not-pinned", CodeRollback, Error;
    DownBeforeSwitchCode = "down-before-switch-code", SchemaRollback, Error;
    MigrationUnreadable = "migration-unreadable", SchemaRollback, Error;
}

impl Rule {
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

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Rule {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown rule `{s}`"))
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
