//! A sqlx migrations folder read for linting (`MigrationSet`): each version's up (or simple,
//! forward-only) file and its down file, named as sqlx names them:
//! `<VERSION>_<description>.sql`, `.up.sql`, `.down.sql`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::{display_path, LintError};

/// One version: its up file and, when reversible, its down file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The version, from the file name's leading number.
    pub version: i64,
    /// The rest of the file name, underscores turned into spaces.
    pub description: String,
    /// The up migration (a simple migration is one with no down).
    pub up: PathBuf,
    /// The `.down.sql` file; `None` when the migration cannot be reverted.
    pub down: Option<PathBuf>,
}

/// Every migration of one folder, by version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationSet {
    /// The folder read.
    pub folder: PathBuf,
    /// Its migrations, by ascending version.
    pub migrations: Vec<Migration>,
}

enum Kind {
    Simple,
    Up,
    Down,
}

impl MigrationSet {
    /// Reads the folder's file names (contents are read when linted). Files that are not
    /// migrations are ignored, as sqlx ignores them.
    pub fn read(folder: &Path) -> Result<MigrationSet, LintError> {
        let read_err = |source| LintError::Read {
            path: folder.to_path_buf(),
            source,
        };
        let mut entries: Vec<_> = fs::read_dir(folder)
            .map_err(read_err)?
            .collect::<Result<_, _>>()
            .map_err(read_err)?;
        entries.sort_by_key(|e| e.file_name());
        // version → (description, up, down)
        let mut found: BTreeMap<i64, (String, Option<PathBuf>, Option<PathBuf>)> = BTreeMap::new();
        for entry in entries {
            let name = entry.file_name().to_string_lossy().to_string();
            let Some((version, description, kind)) = classify(&name) else {
                continue;
            };
            let path = folder.join(&name);
            if !path.is_file() {
                continue;
            }
            let (_, up, down) = found.entry(version).or_insert((description, None, None));
            let slot = match kind {
                Kind::Down => down,
                Kind::Up | Kind::Simple => up,
            };
            if slot.replace(path).is_some() {
                return Err(LintError::DuplicateVersion {
                    path: folder.to_path_buf(),
                    version,
                });
            }
        }
        // A down file alone is not a migration sqlx would apply; it is left out.
        let migrations = found
            .into_iter()
            .filter_map(|(version, (description, up, down))| {
                up.map(|up| Migration {
                    version,
                    description,
                    up,
                    down,
                })
            })
            .collect();
        Ok(MigrationSet {
            folder: folder.to_path_buf(),
            migrations,
        })
    }

    /// The highest version (0 when the folder has none), as the release's schema version.
    pub fn latest_version(&self) -> i64 {
        self.migrations.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// The folder as shown in findings.
    pub fn display(&self) -> String {
        display_path(&self.folder)
    }
}

/// `0002_add_note.up.sql` → (2, "add note", Up); None for files sqlx would ignore.
fn classify(name: &str) -> Option<(i64, String, Kind)> {
    let (version, rest) = name.split_once('_')?;
    let version: i64 = version.parse().ok()?;
    let (stem, kind) = if let Some(s) = rest.strip_suffix(".up.sql") {
        (s, Kind::Up)
    } else if let Some(s) = rest.strip_suffix(".down.sql") {
        (s, Kind::Down)
    } else {
        (rest.strip_suffix(".sql")?, Kind::Simple)
    };
    Some((version, stem.replace('_', " "), kind))
}

/// Whether a folder holds any migration file (used to tell folders from folders of folders).
pub fn has_migrations(folder: &Path) -> bool {
    fs::read_dir(folder).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| classify(&e.file_name().to_string_lossy()).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[&str]) -> tempdir::Dir {
        let dir = tempdir::Dir::new("migrations");
        for f in files {
            fs::write(dir.path().join(f), "SELECT 1;").unwrap();
        }
        dir
    }

    #[test]
    fn pairs_up_and_down_files_by_version() {
        let dir = folder(&[
            "0001_base.up.sql",
            "0001_base.down.sql",
            "0002_drop_memo.sql",
            "README.md",
        ]);
        let set = MigrationSet::read(dir.path()).unwrap();
        let got: Vec<_> = set
            .migrations
            .iter()
            .map(|m| (m.version, m.description.as_str(), m.down.is_some()))
            .collect();
        assert_eq!(got, vec![(1, "base", true), (2, "drop memo", false)]);
        assert_eq!(set.latest_version(), 2);
    }

    #[test]
    fn two_ups_of_one_version_are_refused() {
        let dir = folder(&["0001_a.up.sql", "0001_b.sql"]);
        let err = MigrationSet::read(dir.path()).unwrap_err();
        assert!(matches!(
            err,
            LintError::DuplicateVersion { version: 1, .. }
        ));
    }

    /// A throwaway folder under the system temp dir, removed on drop.
    pub mod tempdir {
        use std::path::{Path, PathBuf};

        pub struct Dir(PathBuf);
        impl Dir {
            pub fn new(prefix: &str) -> Dir {
                let path = std::env::temp_dir()
                    .join(format!("rollcage-{prefix}-{}", uuid::Uuid::new_v4()));
                std::fs::create_dir_all(&path).unwrap();
                Dir(path)
            }
            pub fn path(&self) -> &Path {
                &self.0
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }
}
