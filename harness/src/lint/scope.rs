//! What a lint covers (`Scope`) and the entry points that pick it: a bare migrations folder
//! (by default its newest migration, every rule; `Options` picks others), a scenario (only
//! what its deploy applies, only the categories its rollback strategy can hit, with its
//! `[lint]` settings), or a path that holds either. A folder of Python migrations is refused
//! with a pointer to `--sql-from`.

use std::fs;
use std::path::{Path, PathBuf};

use super::check::ALL_CATEGORIES;
use super::layout::python;
use super::migrations::has_migrations;
use super::{
    display_path, lint_set, tidy, Category, Disposition, Finding, Layout, LintError, MigrationSet,
};
use crate::scenario::{Migrations, Scenario, ScenarioError, Step, Strategy};

/// How a scenario file is read: the caller's loader, which knows the fault kinds
/// (`Scenario::load`); lint sits below them.
pub type LoadScenario = fn(&Path) -> Result<Scenario, ScenarioError>;

/// Which migrations of a folder are judged (each against the schema all before it built).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Judged {
    /// The newest migration, as the release that adds it: what a deploy would apply.
    #[default]
    Newest,
    /// Every migration above this version: what a deploy from that version applies.
    From(i64),
    /// Every migration, each as a release of its own.
    All,
}

/// How a bare migrations folder is linted (a scenario says it itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Which migrations are judged.
    pub judged: Judged,
    /// A numeric widening is information, not an error (every client reads text).
    pub accept_widening: bool,
    /// A schema rollback is planned: a migration without a down is an error, not information.
    pub schema_rollback: bool,
    /// The folders' layout; detected from their files when `None`.
    pub layout: Option<Layout>,
}

/// Which migrations, which categories of rules and which settings a lint judges with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Which migrations are judged.
    pub judged: Judged,
    /// Categories of rules whose findings are reported.
    pub categories: Vec<Category>,
    /// A numeric widening is information, not an error.
    pub accept_widening: bool,
    /// A schema rollback is planned (`no-down-migration` is an error, else information).
    pub schema_rollback: bool,
}

impl Scope {
    /// A bare folder: every category, as `options` say.
    pub fn folder(options: Options) -> Scope {
        Scope {
            judged: options.judged,
            categories: ALL_CATEGORIES.to_vec(),
            accept_widening: options.accept_widening,
            schema_rollback: options.schema_rollback,
        }
    }

    /// Every migration of a folder, each as its own release.
    pub fn all() -> Scope {
        Scope::folder(Options {
            judged: Judged::All,
            ..Options::default()
        })
    }

    /// What a scenario's deploy from version `since` applies, for the categories its
    /// rollback can hit: code-only and restore-snapshot both start the previous code against
    /// the new schema; only a rollback that migrates down reverts the schema.
    pub fn for_scenario(s: &Scenario, since: i64) -> Scope {
        let down = s.rollback.steps.contains(&Step::MigrateDown);
        let categories = match s.rollback.strategy {
            Strategy::CodeAndSchema => ALL_CATEGORIES.to_vec(),
            Strategy::CodeOnly | Strategy::RestoreSnapshot => vec![Category::CodeRollback],
        };
        Scope {
            judged: Judged::From(since),
            categories,
            accept_widening: s.lint.accept_widening,
            schema_rollback: down,
        }
    }
}

/// The schema version a release's folder reaches (0 without migrations of its own).
pub fn release_version(migrations: &Migrations) -> Result<i64, LintError> {
    match migrations {
        Migrations::Folder(path) => Ok(MigrationSet::read(path)?.latest_version()),
        Migrations::None | Migrations::SelfManaged | Migrations::Commands(_) => Ok(0),
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
    let findings = lint_set(&set, &Scope::for_scenario(s, since))?;
    Ok(silence(s, findings))
}

/// Findings of rules the scenario's `[[lint.allow]]` names, marked silenced with its reason.
pub fn silence(s: &Scenario, mut findings: Vec<Finding>) -> Vec<Finding> {
    let file = display_path(&s.source);
    for f in findings.iter_mut().filter(|f| f.disposition.is_none()) {
        if let Some(a) = s.lint.allow.iter().find(|a| a.rule == f.rule) {
            let why = format!("{} ([[lint.allow]] of {file})", a.reason);
            f.disposition = Some(Disposition::Silenced(why));
        }
    }
    findings
}

/// `lint_path_with` and the default options: a folder's newest migration.
pub fn lint_path(path: &Path, load: LoadScenario) -> Result<Vec<Finding>, LintError> {
    lint_path_with(path, load, Options::default())
}

/// Lints what a path names: a scenario file, a migration file (its folder's context, its
/// own findings), a migrations folder, or a folder of those (or of scenario files). Scenario
/// files are read with `load`; `options` apply to folders and migration files.
pub fn lint_path_with(
    path: &Path,
    load: LoadScenario,
    options: Options,
) -> Result<Vec<Finding>, LintError> {
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
                let set = MigrationSet::read_as(folder, options.layout)?;
                let file = display_path(&folder.join(path.file_name().unwrap_or_default()));
                let all = lint_set(
                    &set,
                    &Scope::folder(Options {
                        judged: Judged::All,
                        ..options
                    }),
                )?;
                Ok(all.into_iter().filter(|f| f.file == file).collect())
            }
            _ => Err(python_or(path, || LintError::NotLintable {
                path: path.to_path_buf(),
            })),
        };
    }
    if !path.is_dir() {
        return Err(LintError::NotLintable {
            path: path.to_path_buf(),
        });
    }
    if has_migrations(path) {
        let set = MigrationSet::read_as(path, options.layout)?;
        return lint_set(&set, &Scope::folder(options));
    }
    let inside = lintable_children(path)?;
    if inside.is_empty() {
        return Err(python_or(path, || LintError::NoMigrations {
            path: path.to_path_buf(),
        }));
    }
    let mut findings = Vec::new();
    for child in inside {
        findings.extend(lint_path_with(&child, load, options)?);
    }
    Ok(tidy(findings))
}

/// The Python-migrations error when the path (or, for a file, its folder) holds Alembic
/// or Django migrations; `otherwise` when it does not.
fn python_or(path: &Path, otherwise: impl FnOnce() -> LintError) -> LintError {
    let folder = match path.parent() {
        _ if path.is_dir() => path,
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match python::find(folder) {
        Some((tool, evidence)) => LintError::PythonMigrations {
            path: path.to_path_buf(),
            tool,
            evidence,
        },
        None => otherwise(),
    }
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
