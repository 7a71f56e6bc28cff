//! The golang-migrate layout: `<VERSION>_<name>.up.sql` / `.down.sql` only (no simple
//! files). Its pairs read as sqlx's do; what tells the two apart is how `migrate create`
//! numbers versions.

use std::path::{Path, PathBuf};

use super::sqlx;
use crate::lint::{LintError, Migration};

/// The folder's migrations: each version's up file and its down file.
pub fn read(folder: &Path, files: &[(String, PathBuf)]) -> Result<Vec<Migration>, LintError> {
    sqlx::read(folder, files, false)
}

/// Whether up/down file names show golang-migrate's numbering, which sqlx never writes:
/// `-seq` versions zero-padded to six digits (`000001`), or `-format unix` / `unixNano`
/// timestamps (10 or 19 digits). sqlx's default 14-digit timestamps are golang-migrate's
/// default too; such a folder reads as sqlx, identically.
pub fn looks_like(names: &[&str]) -> bool {
    names.iter().any(|name| {
        let version = name.split('_').next().unwrap_or_default();
        let padded = version.len() >= 6 && version.starts_with('0');
        padded || matches!(version.len(), 10 | 19)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::layout;
    use crate::lint::migrations::tests::tempdir::Dir;
    use crate::vocab::Layout;

    #[test]
    fn numbering_tells_it_from_sqlx() {
        assert!(looks_like(&["000001_init.up.sql"]));
        assert!(looks_like(&["1700000000_init.up.sql"]));
        assert!(!looks_like(&[
            "0001_init.up.sql",
            "20240101120000_b.up.sql"
        ]));
    }

    #[test]
    fn simple_files_are_not_golang_migrate_migrations() {
        let dir = Dir::with(
            "golang",
            &[
                ("000001_init.up.sql", "CREATE TABLE t (a int);"),
                ("000001_init.down.sql", "DROP TABLE t;"),
                ("000002_seed.sql", "INSERT INTO t VALUES (1);"),
                ("000003_add_b.up.sql", "ALTER TABLE t ADD COLUMN b int;"),
            ],
        );
        let set = layout::read(dir.path(), Layout::GolangMigrate).unwrap();
        let got: Vec<_> = set
            .migrations
            .iter()
            .map(|m| (m.version, m.label.as_str(), m.down.is_some()))
            .collect();
        assert_eq!(got, vec![(1, "1", true), (3, "3", false)]);
    }
}
