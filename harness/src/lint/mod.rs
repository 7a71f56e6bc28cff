//! `rollcage lint`: hazards on the reverse path of a release, read from its migrations (a
//! sqlx, golang-migrate, dbmate or Flyway folder, or the SQL a command prints) with
//! PostgreSQL's own parser. Owns the finding model (`Finding`, `Rule`, `Severity`,
//! `Category`) and the entry points for a folder, a scenario, a path or a command.
//!
//! A finding is silenced for one statement by `-- rollcage:allow <rule>[, <rule>...] <reason>`
//! on the comment lines directly above it, or after it on its last line.
//!
//! | rule | category | severity |
//! | --- | --- | --- |
//! | add-not-null-without-default, rename-column, rename-table, rename-type, drop-column, drop-table, add-enum-value | code-rollback | error |
//! | set-not-null (none when the column has a default) | code-rollback | error; warning when its default is unknown |
//! | drop-default | code-rollback | error on a NOT NULL column; warning on a nullable or unknown one |
//! | change-column-type | code-rollback | error, a numeric widening included; info for a longer string or an accepted widening |
//! | drop-object | code-rollback | error for views and types; warning for functions and sequences |
//! | add-constraint, drop-not-null, drop-unique-constraint | code-rollback | warning (whether it bites depends on data or queries) |
//! | no-down-migration | schema-rollback | error when a schema rollback is planned; info otherwise |
//! | down-drops-data, enum-value-irreversible | schema-rollback | error |
//! | down-aborts | schema-rollback | error when the up relaxed what the down restores, or rows are referenced; warning otherwise |
//! | destructive-up | schema-rollback | error; warning for an UPDATE of old columns; info for one that fills only NULLs |
//! | rollback-target-missing, rollback-target-not-pinned (preflight) | code-rollback | error |
//! | down-before-switch-code, migration-unreadable (preflight) | schema-rollback | error; down-before-switch-code is info after flags-off |
//! | migration-unreadable for a Flyway repeatable migration, which lint does not judge | schema-rollback | info |

mod check;
mod layout;
mod migrations;
mod parse;
pub mod report;
mod rule;
mod rules;
mod schema;
mod scope;
mod sql_from;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use check::lint_set;
pub use layout::python::Tool as PythonTool;
pub use migrations::{Migration, MigrationSet, Source, Unjudged};
pub use parse::{parse_sql, position, Statement};
pub use rule::{Category, Rule, Severity};
pub use rules::schema_removal;
pub use scope::{
    lint_path, lint_path_with, lint_scenario, release_version, silence, Judged, LoadScenario,
    Options, Scope,
};
pub use sql_from::{lint_sql_from, SqlFromError};

pub use crate::vocab::Layout;

/// One hazard, at one statement of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule that found it.
    pub rule: Rule,
    /// How bad it is: the rule's default, or what the rule decided for this case.
    pub severity: Severity,
    /// Which reverse path it endangers.
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
    /// What goes wrong on the way back, and why.
    pub message: String,
    /// What to do instead, in expand/contract terms.
    pub remedy: String,
    /// The columns (`table.column`) whose data a loss finding concerns, so a scenario's
    /// `[allowed-loss]` can be matched against them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// Why it does not count against a scenario, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disposition: Option<Disposition>,
}

/// Why a scenario's finding does not count: its author declared, expected or silenced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "as", content = "because", rename_all = "kebab-case")]
pub enum Disposition {
    /// The loss is declared in `[allowed-loss]` (the fields named).
    Declared(String),
    /// The scenario expects what the hazard does (its verdict and failing oracles).
    Expected(String),
    /// A `[[lint.allow]]` entry silences the rule, for the reason given.
    Silenced(String),
}

impl Disposition {
    /// `declared`, `expected` or `silenced`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Disposition::Declared(_) => "declared",
            Disposition::Expected(_) => "expected",
            Disposition::Silenced(_) => "silenced",
        }
    }

    /// Why, in the author's or the scenario's words.
    pub fn because(&self) -> &str {
        match self {
            Disposition::Declared(w) | Disposition::Expected(w) | Disposition::Silenced(w) => w,
        }
    }
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
    /// A folder or file could not be read.
    #[error("reading {}", path.display())]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The path is none of the things lint reads.
    #[error("{}: not a migrations folder, scenario file (*.toml) or migration file (*.sql)", path.display())]
    NotLintable {
        /// The path given.
        path: PathBuf,
    },
    /// A folder holds no migrations, directly or in the folders and scenarios inside it.
    #[error("{}: no migrations found (sqlx or golang-migrate NNNN_name[.up|.down].sql, dbmate \
             YYYYMMDDHHMMSS_name.sql, Flyway V<version>__name.sql)", path.display())]
    NoMigrations {
        /// The folder.
        path: PathBuf,
    },
    /// Two up (or two down) files of one folder share a version.
    #[error("{}: two migrations have version {version}", path.display())]
    DuplicateVersion {
        /// The migrations folder.
        path: PathBuf,
        /// The version used twice, as written.
        version: String,
    },
    /// A folder's files belong to two layouts: which one is meant is not guessed.
    #[error("{}: mixes {} migrations ({}) with {} migrations ({}); keep one layout per folder, \
             or name it with --layout", path.display(), first.0, first.1, second.0, second.1)]
    MixedLayouts {
        /// The folder.
        path: PathBuf,
        /// One layout and a file of it.
        first: (Layout, String),
        /// Another layout and a file of it.
        second: (Layout, String),
    },
    /// A migration file its layout's tool would refuse (a dbmate file without its up section).
    #[error("{file}:{line}: {message}")]
    Layout {
        /// The file, as displayed.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The migrations are Python (Alembic, Django): nothing to read statically.
    #[error("{}: holds {} migrations ({}), which are Python: lint cannot judge them \
             statically. Lint the SQL the tool prints offline instead: \
             rollcage lint --sql-from '{}'", path.display(), tool.name(), display_path(evidence),
             tool.offline_command())]
    PythonMigrations {
        /// The path given.
        path: PathBuf,
        /// The tool.
        tool: PythonTool,
        /// The file that shows it.
        evidence: PathBuf,
    },
    /// A `--sql-from` command gave no SQL to lint.
    #[error("--sql-from `{command}`")]
    SqlFrom {
        /// The command, as given.
        command: String,
        /// What went wrong.
        #[source]
        source: SqlFromError,
    },
    /// PostgreSQL's parser rejected a migration file.
    #[error("{file}:{line}:{column}: PostgreSQL cannot parse this statement: {message}")]
    Parse {
        /// The migration file, as displayed.
        file: String,
        /// 1-based line of the statement that failed.
        line: usize,
        /// 1-based character column there.
        column: usize,
        /// PostgreSQL's error message.
        message: String,
    },
    /// A scenario file could not be loaded.
    #[error("loading scenario {}", path.display())]
    Scenario {
        /// The scenario file.
        path: PathBuf,
        /// Why it did not load.
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
