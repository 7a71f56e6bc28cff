//! Alembic and Django migrations: Python, so lint cannot read them statically. Found only to
//! say so, and to point at `--sql-from` with the command that prints their SQL offline.

use std::fs;
use std::path::{Path, PathBuf};

/// A migration tool whose migrations are Python code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// Alembic (SQLAlchemy): `alembic.ini`, `env.py`, `versions/<rev>_<name>.py`.
    Alembic,
    /// Django: `<app>/migrations/0001_<name>.py`.
    Django,
}

impl Tool {
    /// Its name, as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Alembic => "Alembic",
            Tool::Django => "Django",
        }
    }

    /// The `--sql-from` command that prints its migrations' SQL.
    pub fn offline_command(self) -> &'static str {
        match self {
            Tool::Alembic => "alembic upgrade --sql base:head",
            Tool::Django => "python manage.py sqlmigrate <app> <migration>",
        }
    }
}

/// The tool whose Python migrations are in `folder` or up to two levels below it, with the
/// file that shows it.
pub fn find(folder: &Path) -> Option<(Tool, PathBuf)> {
    find_at(folder, 2)
}

fn find_at(folder: &Path, depth: usize) -> Option<(Tool, PathBuf)> {
    let mut entries: Vec<PathBuf> = fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    if let Some(found) = here(folder, &entries) {
        return Some(found);
    }
    if depth == 0 {
        return None;
    }
    entries
        .iter()
        .filter(|p| p.is_dir() && !name_of(p).starts_with('.'))
        .find_map(|p| find_at(p, depth - 1))
}

/// What the folder's own files show: `alembic.ini`, an Alembic `env.py`, a revision file
/// (`down_revision = ...`), or a Django migration (`0001_*.py` with a `Migration` class).
fn here(folder: &Path, entries: &[PathBuf]) -> Option<(Tool, PathBuf)> {
    let files = entries.iter().filter(|p| p.is_file());
    for path in files {
        let name = name_of(path);
        let text = || fs::read_to_string(path).unwrap_or_default();
        if name == "alembic.ini" || (name == "env.py" && text().contains("alembic")) {
            return Some((Tool::Alembic, path.clone()));
        }
        let Some(stem) = name.strip_suffix(".py") else {
            continue;
        };
        if text().contains("down_revision") {
            return Some((Tool::Alembic, path.clone()));
        }
        let numbered = stem
            .split('_')
            .next()
            .is_some_and(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()));
        let in_migrations = name_of(folder) == "migrations";
        if numbered && (in_migrations || text().contains("migrations.Migration")) {
            return Some((Tool::Django, path.clone()));
        }
    }
    None
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::migrations::tests::tempdir::Dir;

    #[test]
    fn alembic_is_found_by_its_ini_or_its_revisions() {
        let project = Dir::with("alembic", &[("alembic.ini", "[alembic]\n")]);
        let (tool, file) = find(project.path()).unwrap();
        assert_eq!(
            (tool, name_of(&file).as_str()),
            (Tool::Alembic, "alembic.ini")
        );
        let versions = Dir::with(
            "versions",
            &[(
                "1975ea83b712_create_account.py",
                "revision = '1975ea83b712'\ndown_revision = None\n",
            )],
        );
        assert_eq!(find(versions.path()).map(|f| f.0), Some(Tool::Alembic));
    }

    #[test]
    fn django_is_found_below_an_app() {
        let root = Dir::new("django");
        let migrations = root.path().join("shop").join("migrations");
        fs::create_dir_all(&migrations).unwrap();
        fs::write(migrations.join("__init__.py"), "").unwrap();
        fs::write(
            migrations.join("0001_initial.py"),
            "class Migration: pass\n",
        )
        .unwrap();
        let (tool, file) = find(root.path()).unwrap();
        assert_eq!(tool, Tool::Django);
        assert!(
            file.ends_with("shop/migrations/0001_initial.py"),
            "{file:?}"
        );
        assert_eq!(
            tool.offline_command(),
            "python manage.py sqlmigrate <app> <migration>"
        );
    }

    #[test]
    fn other_python_is_not_taken_for_migrations() {
        let dir = Dir::with("plain", &[("setup.py", "print(1)"), ("0001_notes.txt", "")]);
        assert_eq!(find(dir.path()), None);
    }
}
