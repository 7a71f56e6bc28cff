//! The sqlx layout: `<VERSION>_<description>.up.sql` / `.down.sql` pairs, or a simple
//! (forward-only) `<VERSION>_<description>.sql`. Also the pairing golang-migrate shares.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::lint::{LintError, Migration, Source};

/// Which part of a migration a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Simple,
    Up,
    Down,
}

/// `0002_add_note.up.sql` → (2, "add note", Up); None for files sqlx would ignore.
pub fn classify(name: &str) -> Option<(i64, String, Part)> {
    let (version, rest) = name.split_once('_')?;
    if !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let version: i64 = version.parse().ok()?;
    let (stem, part) = if let Some(s) = rest.strip_suffix(".up.sql") {
        (s, Part::Up)
    } else if let Some(s) = rest.strip_suffix(".down.sql") {
        (s, Part::Down)
    } else {
        (rest.strip_suffix(".sql")?, Part::Simple)
    };
    Some((version, stem.replace('_', " "), part))
}

/// The folder's migrations: each version's up (or, when `simple` is allowed, simple) file
/// and its down file. A down file alone is not a migration the tools apply; it is left out.
pub fn read(
    folder: &Path,
    files: &[(String, PathBuf)],
    simple: bool,
) -> Result<Vec<Migration>, LintError> {
    // version → (description, up, down)
    type Found = (String, Option<PathBuf>, Option<PathBuf>);
    let mut found: BTreeMap<i64, Found> = BTreeMap::new();
    for (name, path) in files {
        let Some((version, description, part)) = classify(name) else {
            continue;
        };
        if part == Part::Simple && !simple {
            continue;
        }
        let (_, up, down) = found.entry(version).or_insert((description, None, None));
        let slot = match part {
            Part::Down => down,
            Part::Up | Part::Simple => up,
        };
        if slot.replace(path.clone()).is_some() {
            return Err(LintError::DuplicateVersion {
                path: folder.to_path_buf(),
                version: version.to_string(),
            });
        }
    }
    let mut migrations = Vec::new();
    for (version, (description, up, down)) in found {
        let Some(up) = up else { continue };
        let down = down.as_deref().map(Source::read).transpose()?;
        migrations.push(Migration::new(
            version,
            description,
            Source::read(&up)?,
            down,
        ));
    }
    Ok(migrations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::layout;
    use crate::lint::migrations::tests::tempdir::Dir;
    use crate::vocab::Layout;

    #[test]
    fn pairs_up_and_down_files_by_version() {
        let dir = Dir::with(
            "sqlx",
            &[
                ("0001_base.up.sql", "CREATE TABLE t (a int);"),
                ("0001_base.down.sql", "DROP TABLE t;"),
                ("0002_drop_memo.sql", "SELECT 1;"),
                ("0003_orphan.down.sql", "SELECT 1;"),
                ("README.md", ""),
            ],
        );
        let set = layout::read(dir.path(), Layout::Sqlx).unwrap();
        let got: Vec<_> = set
            .migrations
            .iter()
            .map(|m| (m.version, m.description.as_str(), m.down.is_some()))
            .collect();
        assert_eq!(got, vec![(1, "base", true), (2, "drop memo", false)]);
        assert_eq!(set.latest_version(), 2);
        assert_eq!(set.migrations[0].up.text, "CREATE TABLE t (a int);");
        assert_eq!(set.migrations[0].up.first_line, 0);
    }

    #[test]
    fn two_ups_of_one_version_are_refused() {
        let dir = Dir::with("sqlx-dup", &[("0001_a.up.sql", ""), ("0001_b.sql", "")]);
        let err = layout::read(dir.path(), Layout::Sqlx).unwrap_err();
        assert!(
            matches!(&err, LintError::DuplicateVersion { version, .. } if version == "1"),
            "{err:?}"
        );
    }

    #[test]
    fn names_without_a_numeric_version_are_not_migrations() {
        assert_eq!(
            classify("0002_add_note.up.sql").map(|c| c.2),
            Some(Part::Up)
        );
        assert_eq!(classify("+1_a.sql"), None);
        assert_eq!(classify("V1__a.sql"), None);
        assert_eq!(classify("0001_a.txt"), None);
    }
}
