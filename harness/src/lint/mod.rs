//! `rollcage lint`: hazards on the reverse path of a release, read from its sqlx migrations
//! with PostgreSQL's own parser. Owns the finding model (`Finding`, `Rule`, `Severity`,
//! `Category`) and the entry points for a folder, a scenario or a path.
//!
//! A finding is silenced for one statement by `-- rollcage:allow <rule>[, <rule>...] <reason>`
//! on the comment lines directly above it, or after it on its last line.
//!
//! | rule | category | severity |
//! | --- | --- | --- |
//! | add-not-null-without-default, rename-column, rename-table, drop-column, drop-table | code-rollback | error |
//! | set-not-null (none when the column has a default) | code-rollback | error; warning when its default is unknown |
//! | change-column-type | code-rollback | error; warning for a known widening |
//! | add-constraint | code-rollback | warning (whether old writes violate it depends on data) |
//! | no-down-migration, down-drops-data | schema-rollback | error |
//! | destructive-up | schema-rollback | error; warning for an UPDATE of old columns |
//! | rollback-target-missing, rollback-target-not-pinned (preflight) | code-rollback | error |
//! | down-before-switch-code, migration-unreadable (preflight) | schema-rollback | error; down-before-switch-code is info after flags-off |

mod check;
mod migrations;
mod parse;
pub mod report;
mod rule;
mod rules;
mod schema;
mod scope;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use check::{lint_set, read_statements};
pub use migrations::{Migration, MigrationSet};
pub use parse::{parse_sql, position, Statement};
pub use rule::{Category, Rule, Severity};
pub use rules::schema_removal;
pub use scope::{lint_path, lint_scenario, release_version, LoadScenario, Scope};

/// One hazard, at one statement of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub category: Category,
    /// The file as it was reached (symlinks not resolved), or the scenario file.
    pub file: String,
    /// 1-based line of the statement's first token (or of the scenario key).
    pub line: usize,
    /// 1-based character column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The statement's source text (or the scenario line).
    pub statement: String,
    pub message: String,
    /// What to do instead, in expand/contract terms.
    pub remedy: String,
}

impl Finding {
    /// `file:line` (with `:column` when known), as editors and terminals link it.
    pub fn location(&self) -> String {
        match self.column {
            Some(c) => format!("{}:{}:{c}", self.file, self.line),
            None => format!("{}:{}", self.file, self.line),
        }
    }
}

/// Findings ordered by file, line and rule, duplicates (same rule at the same place) removed.
pub fn tidy(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.rule.as_str()).cmp(&(&b.file, b.line, b.rule.as_str()))
    });
    findings.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.rule == b.rule);
    findings
}

/// Why linting could not be done (as opposed to a hazard, which is a `Finding`).
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("reading {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not a migrations folder, scenario file (*.toml) or migration file (*.sql)", path.display())]
    NotLintable { path: PathBuf },
    #[error("{}: no sqlx migrations (NNNN_name[.up|.down].sql) found", path.display())]
    NoMigrations { path: PathBuf },
    #[error("{}: two migrations have version {version}", path.display())]
    DuplicateVersion { path: PathBuf, version: i64 },
    #[error("{file}:{line}:{column}: PostgreSQL cannot parse this statement: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("loading scenario {}", path.display())]
    Scenario {
        path: PathBuf,
        #[source]
        source: crate::scenario::ScenarioError,
    },
}

/// Display path with `.` and `..` components folded away lexically, so a scenario's
/// `../fixtures/...` reads as `fixtures/...` (symlinks are deliberately not resolved).
pub fn display_path(path: &Path) -> String {
    use std::path::Component;
    let mut parts: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                _ => parts.push(c),
            },
            other => parts.push(other),
        }
    }
    let folded: PathBuf = parts.iter().collect();
    folded.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_path_folds_parent_components() {
        assert_eq!(
            display_path(Path::new("scenarios/../fixtures/./m/0001_a.sql")),
            "fixtures/m/0001_a.sql"
        );
        assert_eq!(display_path(Path::new("../x/y")), "../x/y");
        assert_eq!(display_path(Path::new("/a/b/../c")), "/a/c");
    }
}
