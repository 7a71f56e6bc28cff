//! What a lint covers (`Scope`) and the entry points that pick it: a bare migrations folder
//! (every migration, every rule), a scenario (only what its deploy applies, only the
//! categories its rollback strategy can hit), or a path that holds either.

use std::fs;
use std::path::{Path, PathBuf};

use super::check::ALL_CATEGORIES;
use super::migrations::has_migrations;
use super::{display_path, lint_set, tidy, Category, Finding, LintError, MigrationSet};
use crate::scenario::{Migrations, Scenario, ScenarioError, Strategy};

/// How a scenario file is read: the caller's loader, which knows the fault kinds
/// (`Scenario::load`); lint sits below them.
pub type LoadScenario = fn(&Path) -> Result<Scenario, ScenarioError>;

/// Which migrations and which categories of rules a lint reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Only versions above this are linted (those a deploy from that version applies); None
    /// lints every version, each as a release of its own.
    pub since: Option<i64>,
    /// Categories of rules whose findings are reported.
    pub categories: Vec<Category>,
}

impl Scope {
    /// Everything: a bare folder.
    pub fn all() -> Scope {
        Scope {
            since: None,
            categories: ALL_CATEGORIES.to_vec(),
        }
    }

    /// The categories a rollback strategy can hit. Code-only and restore-snapshot both start
    /// the previous code against the new schema; only code-and-schema reverts the schema.
    pub fn for_strategy(strategy: Strategy, since: i64) -> Scope {
        let categories = match strategy {
            Strategy::CodeAndSchema => ALL_CATEGORIES.to_vec(),
            Strategy::CodeOnly | Strategy::RestoreSnapshot => vec![Category::CodeRollback],
        };
        Scope {
            since: Some(since),
            categories,
        }
    }
}

/// The schema version a release's folder reaches (0 without migrations of its own).
pub fn release_version(migrations: &Migrations) -> Result<i64, LintError> {
    match migrations {
        Migrations::Folder(path) => Ok(MigrationSet::read(path)?.latest_version()),
        Migrations::None | Migrations::SelfManaged => Ok(0),
    }
}

/// What the scenario's deploy applies (the `to` release's migrations above the `from`
/// release's version), for the categories its strategy can hit. A release that migrates
/// itself has nothing to read.
pub fn lint_scenario(s: &Scenario) -> Result<Vec<Finding>, LintError> {
    let Migrations::Folder(folder) = &s.to_release().migrations else {
        return Ok(Vec::new());
    };
    let since = release_version(&s.from_release().migrations)?;
    let set = MigrationSet::read(folder)?;
    lint_set(&set, &Scope::for_strategy(s.rollback.strategy, since))
}

/// Lints what a path names: a scenario file, a migration file (its folder's context, its
/// own findings), a migrations folder, or a folder of those (or of scenario files). Scenario
/// files are read with `load`.
pub fn lint_path(path: &Path, load: LoadScenario) -> Result<Vec<Finding>, LintError> {
    let extension = path.extension().and_then(|e| e.to_str());
    if path.is_file() {
        return match extension {
            Some("toml") => {
                let s = load(path).map_err(|source| LintError::Scenario {
                    path: path.to_path_buf(),
                    source,
                })?;
                lint_scenario(&s)
            }
            Some("sql") => {
                let folder = path.parent().unwrap_or(Path::new("."));
                let folder = if folder.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    folder
                };
                let set = MigrationSet::read(folder)?;
                let file = display_path(&folder.join(path.file_name().unwrap_or_default()));
                let all = lint_set(&set, &Scope::all())?;
                Ok(all.into_iter().filter(|f| f.file == file).collect())
            }
            _ => Err(LintError::NotLintable {
                path: path.to_path_buf(),
            }),
        };
    }
    if !path.is_dir() {
        return Err(LintError::NotLintable {
            path: path.to_path_buf(),
        });
    }
    if has_migrations(path) {
        let set = MigrationSet::read(path)?;
        return lint_set(&set, &Scope::all());
    }
    let inside = lintable_children(path)?;
    if inside.is_empty() {
        return Err(LintError::NoMigrations {
            path: path.to_path_buf(),
        });
    }
    let mut findings = Vec::new();
    for child in inside {
        findings.extend(lint_path(&child, load)?);
    }
    Ok(tidy(findings))
}

/// Subfolders that hold migrations somewhere below; when there are none, the scenario files
/// (so a crate folder's Cargo.toml is never taken for a scenario). Names starting with `.`
/// or `_` are skipped.
fn lintable_children(folder: &Path) -> Result<Vec<PathBuf>, LintError> {
    let read_err = |source| LintError::Read {
        path: folder.to_path_buf(),
        source,
    };
    let mut entries: Vec<PathBuf> = fs::read_dir(folder)
        .map_err(read_err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_err)?
        .into_iter()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_string());
            !name.is_some_and(|n| n.starts_with('.') || n.starts_with('_'))
        })
        .collect();
    entries.sort();
    let folders: Vec<PathBuf> = entries
        .iter()
        .filter(|p| p.is_dir() && holds_migrations(p))
        .cloned()
        .collect();
    if !folders.is_empty() {
        return Ok(folders);
    }
    Ok(entries
        .into_iter()
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect())
}

fn holds_migrations(folder: &Path) -> bool {
    has_migrations(folder)
        || fs::read_dir(folder).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.path().is_dir() && holds_migrations(&e.path()))
        })
}
