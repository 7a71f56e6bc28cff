//! Migration layouts: which tool's folder this is (`detect`, from file names and, for dbmate,
//! its section markers), and one reader per layout (`read`), each building the same
//! `MigrationSet`. A folder whose files belong to two layouts is refused, naming one file of
//! each. Alembic and Django folders are recognised only to say they cannot be read (`python`).

mod dbmate;
mod flyway;
mod golang_migrate;
pub mod python;
mod sqlx;

use std::fs;
use std::path::{Path, PathBuf};

use super::{LintError, MigrationSet};
use crate::vocab::Layout;

/// The folder's migration files (regular files only), sorted by name.
fn files(folder: &Path) -> Result<Vec<(String, PathBuf)>, LintError> {
    let read_err = |source| LintError::Read {
        path: folder.to_path_buf(),
        source,
    };
    let mut found = Vec::new();
    for entry in fs::read_dir(folder).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let path = entry.path();
        if path.is_file() {
            found.push((entry.file_name().to_string_lossy().into_owned(), path));
        }
    }
    found.sort();
    Ok(found)
}

/// Whether any layout takes a file of this name for a migration.
pub fn recognised(name: &str) -> bool {
    sqlx::classify(name).is_some() || flyway::classify(name).is_some()
}

/// Reads `folder` as `layout`.
pub fn read(folder: &Path, layout: Layout) -> Result<MigrationSet, LintError> {
    let files = files(folder)?;
    let (migrations, unjudged) = match layout {
        Layout::Sqlx => (sqlx::read(folder, &files, true)?, Vec::new()),
        Layout::GolangMigrate => (golang_migrate::read(folder, &files)?, Vec::new()),
        Layout::Dbmate => (dbmate::read(folder, &files)?, Vec::new()),
        Layout::Flyway => flyway::read(folder, &files)?,
    };
    Ok(MigrationSet {
        folder: folder.to_path_buf(),
        layout: Some(layout),
        migrations,
        unjudged,
    })
}

/// The layout a folder's files show, `None` when it holds no migration file. Where sqlx and
/// golang-migrate name files alike (`N_name.up.sql` / `.down.sql`) they are read alike;
/// see `golang_migrate::looks_like` for what tells them apart.
pub fn detect(folder: &Path) -> Result<Option<Layout>, LintError> {
    let files = files(folder)?;
    // The first file seen of each layout, to name them if the folder mixes layouts.
    let mut seen: Vec<(Layout, &str)> = Vec::new();
    fn note<'a>(seen: &mut Vec<(Layout, &'a str)>, layout: Layout, name: &'a str) {
        if !seen.iter().any(|(l, _)| *l == layout) {
            seen.push((layout, name));
        }
    }
    let mut pairs = Vec::new();
    for (name, path) in &files {
        if flyway::classify(name).is_some() {
            note(&mut seen, Layout::Flyway, name);
        } else if let Some((_, _, part)) = sqlx::classify(name) {
            match part {
                sqlx::Part::Simple if dbmate::has_up_marker(path)? => {
                    note(&mut seen, Layout::Dbmate, name)
                }
                sqlx::Part::Simple => note(&mut seen, Layout::Sqlx, name),
                sqlx::Part::Up | sqlx::Part::Down => pairs.push(name.as_str()),
            }
        }
    }
    // Up/down pairs are sqlx's or golang-migrate's; next to simple sqlx files they are sqlx's.
    if let Some(first) = pairs.first() {
        let sqlx_simple = seen.iter().any(|(l, _)| *l == Layout::Sqlx);
        if sqlx_simple || !golang_migrate::looks_like(&pairs) {
            note(&mut seen, Layout::Sqlx, first);
        } else {
            note(&mut seen, Layout::GolangMigrate, first);
        }
    }
    match seen.as_slice() {
        [] => Ok(None),
        [(layout, _)] => Ok(Some(*layout)),
        [(a, a_file), (b, b_file), ..] => Err(LintError::MixedLayouts {
            path: folder.to_path_buf(),
            first: (*a, a_file.to_string()),
            second: (*b, b_file.to_string()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::migrations::tests::tempdir::Dir;

    const DBMATE: &str = "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n";

    fn detected(files: &[(&str, &str)]) -> Result<Option<Layout>, LintError> {
        let dir = Dir::with("detect", files);
        detect(dir.path())
    }

    #[test]
    fn each_layout_is_told_by_its_file_names() {
        let sqlx = [
            ("0001_a.up.sql", ""),
            ("0001_a.down.sql", ""),
            ("0002_b.sql", ""),
        ];
        assert_eq!(detected(&sqlx).unwrap(), Some(Layout::Sqlx));
        let golang = [("000001_a.up.sql", ""), ("000001_a.down.sql", "")];
        assert_eq!(detected(&golang).unwrap(), Some(Layout::GolangMigrate));
        let dbmate = [("20240101120000_a.sql", DBMATE), ("notes.txt", "")];
        assert_eq!(detected(&dbmate).unwrap(), Some(Layout::Dbmate));
        let flyway = [("V1__a.sql", ""), ("U1__a.sql", ""), ("R__views.sql", "")];
        assert_eq!(detected(&flyway).unwrap(), Some(Layout::Flyway));
        assert_eq!(detected(&[("README.md", "")]).unwrap(), None);
    }

    #[test]
    fn a_timestamped_plain_file_is_sqlx_without_markers_and_dbmate_with_them() {
        let plain = [("20240101120000_a.sql", "SELECT 1;")];
        assert_eq!(detected(&plain).unwrap(), Some(Layout::Sqlx));
        let marked = [("20240101120000_a.sql", DBMATE)];
        assert_eq!(detected(&marked).unwrap(), Some(Layout::Dbmate));
    }

    #[test]
    fn a_mixed_folder_is_refused_naming_a_file_of_each_layout() {
        let mixed = [("0001_a.up.sql", ""), ("V2__b.sql", "")];
        let err = detected(&mixed).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("flyway migrations (V2__b.sql)")
                && text.contains("sqlx migrations (0001_a.up.sql)")
                && text.contains("--layout"),
            "{text}"
        );
        let ambiguous = [
            ("20240101120000_a.sql", DBMATE),
            ("20240102120000_b.sql", ""),
        ];
        let text = detected(&ambiguous).unwrap_err().to_string();
        assert!(
            text.contains("dbmate migrations (20240101120000_a.sql)")
                && text.contains("sqlx migrations (20240102120000_b.sql)"),
            "{text}"
        );
    }

    #[test]
    fn a_named_layout_reads_only_its_own_files() {
        let dir = Dir::with(
            "named",
            &[("0001_a.up.sql", "SELECT 1;"), ("V2__b.sql", "SELECT 2;")],
        );
        let set = read(dir.path(), Layout::Flyway).unwrap();
        let labels: Vec<_> = set.migrations.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, vec!["2"]);
        assert_eq!(set.layout, Some(Layout::Flyway));
    }
}
