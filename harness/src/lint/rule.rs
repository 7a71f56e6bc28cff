//! The names of lint and preflight rules (`Rule`, kebab-case everywhere: output, allow
//! comments, JSON), their category and default severity, and `Severity` itself.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

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

macro_rules! rules {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $category:ident, $severity:ident;)*) => {
        /// A lint or preflight rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Rule { $($(#[doc = $doc])* $variant,)* }

        impl Rule {
            /// Every rule, in declaration order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// Its kebab-case name, as in output, allow comments and JSON (`drop-column`).
            pub fn as_str(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }
            /// Which reverse path its findings endanger.
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
    /// A NOT NULL column added with nothing to fill it: the previous release's INSERTs fail.
    AddNotNullWithoutDefault = "add-not-null-without-default", CodeRollback, Error;
    /// `SET NOT NULL` on a column without a default: the previous release's INSERTs fail.
    SetNotNull = "set-not-null", CodeRollback, Error;
    /// A column renamed in place: the previous release still names the old one.
    RenameColumn = "rename-column", CodeRollback, Error;
    /// A table renamed in place: the previous release still queries the old name.
    RenameTable = "rename-table", CodeRollback, Error;
    /// The type of a column the previous release uses changed.
    ChangeColumnType = "change-column-type", CodeRollback, Error;
    /// A column the previous release may use dropped.
    DropColumn = "drop-column", CodeRollback, Error;
    /// A table the previous release may use dropped.
    DropTable = "drop-table", CodeRollback, Error;
    /// A constraint over columns the previous release writes, which its writes may violate.
    AddConstraint = "add-constraint", CodeRollback, Warning;
    /// A migration with no down file: the schema cannot be rolled back past it.
    NoDownMigration = "no-down-migration", SchemaRollback, Error;
    /// A down migration that drops a table or column or deletes rows the new release wrote.
    DownDropsData = "down-drops-data", SchemaRollback, Error;
    /// An up migration that deletes or overwrites data the previous release wrote.
    DestructiveUp = "destructive-up", SchemaRollback, Error;
    /// Preflight: the previous release's image is not on this machine, or a fault removes it.
    RollbackTargetMissing = "rollback-target-missing", CodeRollback, Error;
    /// Preflight: the rollback redeploys the previous release by a mutable tag.
    RollbackTargetNotPinned = "rollback-target-not-pinned", CodeRollback, Error;
    /// Preflight: migrate-down runs before switch-code and removes what the serving release uses.
    DownBeforeSwitchCode = "down-before-switch-code", SchemaRollback, Error;
    /// Preflight: the new release's migrations could not be linted.
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
