//! The Flyway layout: `V<version>__<desc>.sql` up, `U<version>__<desc>.sql` undo (its down),
//! and `R__<desc>.sql` repeatable migrations, which belong to no version and are reported as
//! not judged. Versions (`1`, `1.1`, `2_1`) order numerically part by part; a migration's
//! `version` is its position in that order, its label the version as written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::lint::{display_path, LintError, Migration, Source, Unjudged};

/// What a Flyway file name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// `V` (up) or `U` (undo) with a version.
    Versioned {
        undo: bool,
        /// The version's numeric parts, trailing zeros dropped (Flyway's `1.0` is `1`).
        parts: Vec<u64>,
        /// The version as written (`2_1` shown as `2.1`).
        label: String,
        description: String,
    },
    /// `R__`: re-applied whenever its checksum changes.
    Repeatable,
}

/// `V1.1__add_note.sql` → Versioned; None for files Flyway would not take for migrations.
pub fn classify(name: &str) -> Option<Name> {
    let stem = name.strip_suffix(".sql")?;
    if stem.starts_with("R__") {
        return Some(Name::Repeatable);
    }
    let undo = match stem.as_bytes().first()? {
        b'V' => false,
        b'U' => true,
        _ => return None,
    };
    let (version, description) = stem.get(1..)?.split_once("__")?;
    let mut parts = version
        .split(['.', '_'])
        .map(|p| {
            p.parse::<u64>()
                .ok()
                .filter(|_| p.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect::<Option<Vec<u64>>>()?;
    while parts.len() > 1 && parts.last() == Some(&0) {
        parts.pop();
    }
    Some(Name::Versioned {
        undo,
        parts,
        label: version.replace('_', "."),
        description: description.replace('_', " "),
    })
}

/// Why a repeatable migration is not judged.
const REPEATABLE: &str = "a Flyway repeatable migration belongs to no version: it runs after \
the versioned ones whenever it changes, so no release's rollback crosses it in a known place; \
lint does not judge it";

type Found = (String, String, Option<PathBuf>, Option<PathBuf>);

/// The folder's versioned migrations in version order, and its repeatable ones (not judged).
pub fn read(
    folder: &Path,
    files: &[(String, PathBuf)],
) -> Result<(Vec<Migration>, Vec<Unjudged>), LintError> {
    // parts → (label, description, up, undo)
    let mut found: BTreeMap<Vec<u64>, Found> = BTreeMap::new();
    let mut unjudged = Vec::new();
    for (name, path) in files {
        match classify(name) {
            None => {}
            Some(Name::Repeatable) => unjudged.push(Unjudged {
                file: display_path(path),
                why: REPEATABLE.to_string(),
            }),
            Some(Name::Versioned {
                undo,
                parts,
                label,
                description,
            }) => {
                let entry = found
                    .entry(parts)
                    .or_insert((label, description, None, None));
                let slot = if undo { &mut entry.3 } else { &mut entry.2 };
                if slot.replace(path.clone()).is_some() {
                    return Err(LintError::DuplicateVersion {
                        path: folder.to_path_buf(),
                        version: entry.0.clone(),
                    });
                }
            }
        }
    }
    let mut migrations = Vec::new();
    // An undo file without its versioned migration is not one Flyway applies.
    for (label, description, up, undo) in found.into_values() {
        let Some(up) = up else { continue };
        let position = i64::try_from(migrations.len() + 1).unwrap_or(i64::MAX);
        let down = undo.as_deref().map(Source::read).transpose()?;
        let mut m = Migration::new(position, description, Source::read(&up)?, down);
        m.label = label;
        migrations.push(m);
    }
    Ok((migrations, unjudged))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::lint::layout;
    use crate::lint::migrations::tests::tempdir::Dir;
    use crate::vocab::Layout;

    fn parts(name: &str) -> Option<Vec<u64>> {
        match classify(name)? {
            Name::Versioned { parts, .. } => Some(parts),
            Name::Repeatable => None,
        }
    }

    #[test]
    fn versions_parse_by_parts() {
        assert_eq!(parts("V1__a.sql"), Some(vec![1]));
        assert_eq!(parts("V1.1__a.sql"), Some(vec![1, 1]));
        assert_eq!(parts("U2_1__a.sql"), Some(vec![2, 1]));
        assert_eq!(parts("V3.0__a.sql"), Some(vec![3]));
        assert_eq!(classify("R__views.sql"), Some(Name::Repeatable));
        for not_flyway in [
            "V__a.sql",
            "V1_a.sql",
            "Vx__a.sql",
            "V1..2__a.sql",
            "X1__a.sql",
            "V1__a.txt",
        ] {
            assert_eq!(classify(not_flyway), None, "{not_flyway}");
        }
    }

    #[test]
    fn migrations_order_numerically_not_by_name() {
        let dir = Dir::with(
            "flyway",
            &[
                ("V10__ten.sql", "SELECT 10;"),
                ("V2__two.sql", "SELECT 2;"),
                ("V1.10__one_ten.sql", "SELECT 110;"),
                ("V1.2__one_two.sql", "SELECT 12;"),
                ("U1.2__one_two.sql", "SELECT -12;"),
                ("V2_1__two_one.sql", "SELECT 21;"),
                ("U9__orphan.sql", "SELECT 9;"),
                ("R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;"),
            ],
        );
        let set = layout::read(dir.path(), Layout::Flyway).unwrap();
        let got: Vec<_> = set
            .migrations
            .iter()
            .map(|m| (m.version, m.label.as_str(), m.down.is_some()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "1.2", true),
                (2, "1.10", false),
                (3, "2", false),
                (4, "2.1", false),
                (5, "10", false)
            ]
        );
        assert_eq!(set.migrations[0].description, "one two");
        assert_eq!(set.unjudged.len(), 1);
        assert!(set.unjudged[0].file.ends_with("R__views.sql"));
    }

    #[test]
    fn one_version_written_twice_is_refused() {
        let dir = Dir::with("flyway-dup", &[("V1__a.sql", ""), ("V1.0__b.sql", "")]);
        let err = layout::read(dir.path(), Layout::Flyway).unwrap_err();
        assert!(
            matches!(&err, LintError::DuplicateVersion { version, .. } if version == "1.0"),
            "{err:?}"
        );
    }

    /// A version's parts without trailing zeros (Flyway's `1.0` is `1`).
    fn trimmed(v: &[u64]) -> Vec<u64> {
        let mut t = v.to_vec();
        while t.len() > 1 && t.last() == Some(&0) {
            t.pop();
        }
        t
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn positions_follow_the_numeric_order_of_parts(
            versions in prop::collection::btree_set(prop::collection::vec(0u64..25, 1..4), 1..8),
            underscore in any::<bool>(),
        ) {
            // One spelling of each version, or they would be duplicates.
            let mut unique = BTreeSet::new();
            let mut versions: Vec<Vec<u64>> =
                versions.into_iter().filter(|v| unique.insert(trimmed(v))).collect();
            let sep = if underscore { "_" } else { "." };
            let label = |v: &Vec<u64>| v.iter().map(u64::to_string).collect::<Vec<_>>().join(sep);
            let files: Vec<(String, &str)> = versions
                .iter()
                .map(|v| (format!("V{}__m.sql", label(v)), "SELECT 1;"))
                .collect();
            let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), *t)).collect();
            let dir = Dir::with("flyway-prop", &refs);
            let set = layout::read(dir.path(), Layout::Flyway).unwrap();
            let got: Vec<String> = set.migrations.iter().map(|m| m.label.clone()).collect();
            // Numeric order by parts is the order of the trimmed part vectors.
            versions.sort_by_key(|v| trimmed(v));
            let want: Vec<String> = versions.iter().map(|v| label(v).replace('_', ".")).collect();
            prop_assert_eq!(got, want);
            let positions: Vec<i64> = set.migrations.iter().map(|m| m.version).collect();
            prop_assert_eq!(positions, (1..=versions.len() as i64).collect::<Vec<_>>());
        }
    }
}
