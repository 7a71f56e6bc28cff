//! The migrations lint judges, whatever wrote them (`MigrationSet`): each migration's up text
//! and optional down text (`Source`: the file, the lines before the text in it, the text),
//! its version and name. Layout readers (`layout/`) and `--sql-from` build it.

use std::fs;
use std::path::{Path, PathBuf};

use super::layout;
use super::parse::{parse_sql, Statement};
use super::{display_path, LintError};
use crate::vocab::Layout;

/// SQL text of one migration direction, and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file it was read from (for `--sql-from`, the command).
    pub path: PathBuf,
    /// The file as findings name it.
    pub file: String,
    /// Lines of the file before the text (a dbmate section, an Alembic revision's part).
    pub first_line: usize,
    /// The SQL.
    pub text: String,
}

impl Source {
    /// A whole file.
    pub fn read(path: &Path) -> Result<Source, LintError> {
        let text = fs::read_to_string(path).map_err(|source| LintError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Source::whole(path, text))
    }

    /// A whole file whose text is already read.
    pub fn whole(path: &Path, text: String) -> Source {
        Source {
            path: path.to_path_buf(),
            file: display_path(path),
            first_line: 0,
            text,
        }
    }

    /// Its statements, their lines counted in the whole file.
    pub fn statements(&self) -> Result<Vec<Statement>, LintError> {
        let mut statements = parse_sql(&self.text).map_err(|f| LintError::Parse {
            file: self.file.clone(),
            line: f.line + self.first_line,
            column: f.column,
            message: f.message,
        })?;
        for s in &mut statements {
            s.line += self.first_line;
        }
        Ok(statements)
    }
}

/// One version: its up text and, when reversible, its down text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Its place in the order migrations apply: the file name's number, or for layouts whose
    /// versions are not integers (Flyway's `1.1`, Alembic's revisions) its 1-based position.
    pub version: i64,
    /// The version as the tool writes it.
    pub label: String,
    /// The rest of the file name, underscores turned into spaces (or the revision step).
    pub description: String,
    /// The up migration (a simple migration is one with no down).
    pub up: Source,
    /// The down migration; `None` when the migration cannot be reverted or lint cannot see it.
    pub down: Option<Source>,
    /// The tool keeps a down lint cannot read (offline SQL prints only the way up), so a
    /// missing `down` is not a finding.
    pub down_unseen: bool,
}

impl Migration {
    /// A migration from files, its label the version's own digits.
    pub fn new(version: i64, description: String, up: Source, down: Option<Source>) -> Migration {
        Migration {
            version,
            label: version.to_string(),
            description,
            up,
            down,
            down_unseen: false,
        }
    }
}

/// A file lint reads but does not judge (a Flyway repeatable migration), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unjudged {
    /// The file as findings name it.
    pub file: String,
    /// Why it is not judged.
    pub why: String,
}

/// Every migration of one folder (or one command's output), in the order they apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationSet {
    /// The folder read (or the command run).
    pub folder: PathBuf,
    /// The layout it was read as (`None` for the SQL a command printed).
    pub layout: Option<Layout>,
    /// Its migrations, by ascending version.
    pub migrations: Vec<Migration>,
    /// Files it holds that are not judged.
    pub unjudged: Vec<Unjudged>,
}

impl MigrationSet {
    /// Reads the folder in the layout its file names show (see `layout::detect`). Files that
    /// are not migrations are ignored, as the tools ignore them.
    pub fn read(folder: &Path) -> Result<MigrationSet, LintError> {
        MigrationSet::read_as(folder, None)
    }

    /// Reads the folder in `layout`, or the one detected when `None`.
    pub fn read_as(folder: &Path, layout: Option<Layout>) -> Result<MigrationSet, LintError> {
        let layout = match layout {
            Some(l) => l,
            // A folder without migrations reads as an empty sqlx folder, as before layouts.
            None => layout::detect(folder)?.unwrap_or(Layout::Sqlx),
        };
        layout::read(folder, layout)
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

/// Whether a folder holds any migration file of any layout (used to tell folders from
/// folders of folders).
pub fn has_migrations(folder: &Path) -> bool {
    fs::read_dir(folder).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| layout::recognised(&e.file_name().to_string_lossy()))
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn a_section_counts_its_lines_in_the_whole_file() {
        let source = Source {
            path: PathBuf::from("m.sql"),
            file: "m.sql".into(),
            first_line: 4,
            text: "\nALTER TABLE t DROP COLUMN a;\n".into(),
        };
        let s = source.statements().unwrap();
        assert_eq!((s[0].line, s[0].column), (6, 1));
        let broken = Source {
            text: "SELECT 1;\nALTER TABLE;".into(),
            ..source
        };
        match broken.statements().unwrap_err() {
            LintError::Parse { file, line, .. } => assert_eq!((file.as_str(), line), ("m.sql", 6)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_empty_folder_reads_as_no_migrations() {
        let dir = tempdir::Dir::new("empty");
        let set = MigrationSet::read(dir.path()).unwrap();
        assert!(set.migrations.is_empty());
        assert_eq!(set.latest_version(), 0);
        assert!(!has_migrations(dir.path()));
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

            /// A folder holding these files, each with this text.
            pub fn with(prefix: &str, files: &[(&str, &str)]) -> Dir {
                let dir = Dir::new(prefix);
                for (name, text) in files {
                    std::fs::write(dir.path().join(name), text).unwrap();
                }
                dir
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
