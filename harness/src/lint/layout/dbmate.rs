//! The dbmate layout: one `<YYYYMMDDHHMMSS>_<name>.sql` file per migration, split into its
//! `-- migrate:up` and `-- migrate:down` sections (each marker may carry
//! `transaction:false`). Each section keeps the lines before it, so findings point at the
//! line inside the shared file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::sqlx::{self, Part};
use crate::lint::{display_path, LintError, Migration, Source};

/// Which section a marker line opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Up,
    Down,
}

/// The section a line opens, if it is a marker; an option other than `transaction:` is an
/// error worth saying (a typo would otherwise be SQL comment).
fn marker(line: &str) -> Option<(Section, &str)> {
    let rest = line.trim_end().strip_prefix("--")?.trim_start();
    let rest = rest.strip_prefix("migrate:")?;
    let (section, options) = if let Some(o) = rest.strip_prefix("up") {
        (Section::Up, o)
    } else {
        (Section::Down, rest.strip_prefix("down")?)
    };
    // `-- migrate:upgrade` is a comment, not a marker.
    (options.is_empty() || options.starts_with(char::is_whitespace))
        .then_some((section, options.trim()))
}

/// Whether a file has an up marker (what tells a dbmate file from a simple sqlx one).
pub fn has_up_marker(path: &Path) -> Result<bool, LintError> {
    let text = fs::read_to_string(path).map_err(|source| LintError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(text
        .lines()
        .any(|l| marker(l).is_some_and(|(s, _)| s == Section::Up)))
}

/// The up and down sections of one file. A down section with no SQL in it (dbmate's `new`
/// writes one) counts as no down.
pub fn split(path: &Path, text: &str) -> Result<(Source, Option<Source>), LintError> {
    let file = display_path(path);
    let invalid = |line: usize, message: String| LintError::Layout {
        file: file.clone(),
        line,
        message,
    };
    // Per section: the 0-based line of its marker and its text.
    let mut sections: BTreeMap<u8, (usize, Section, Vec<&str>)> = BTreeMap::new();
    let mut current: Option<u8> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some((section, options)) = marker(line) {
            if !options.is_empty() && !options.starts_with("transaction:") {
                return Err(invalid(
                    i + 1,
                    format!("unknown dbmate option `{options}` (only transaction:false is known)"),
                ));
            }
            let key = section as u8;
            if let Some((at, _, _)) = sections.get(&key) {
                return Err(invalid(
                    i + 1,
                    format!(
                        "a second `-- migrate:{}` section (the first is at line {})",
                        if section == Section::Up { "up" } else { "down" },
                        at + 1
                    ),
                ));
            }
            sections.insert(key, (i, section, Vec::new()));
            current = Some(key);
        } else if let Some((_, _, lines)) = current.and_then(|k| sections.get_mut(&k)) {
            lines.push(line);
        }
    }
    let source = |(at, _, lines): &(usize, Section, Vec<&str>)| Source {
        path: path.to_path_buf(),
        file: file.clone(),
        first_line: at + 1,
        text: lines.join("\n"),
    };
    let Some(up) = sections.get(&(Section::Up as u8)).map(source) else {
        return Err(invalid(
            1,
            "a dbmate migration needs a `-- migrate:up` section".into(),
        ));
    };
    let down = sections
        .get(&(Section::Down as u8))
        .map(source)
        .filter(|d| has_sql(&d.text));
    Ok((up, down))
}

/// Whether text holds anything but blank lines and `--` comments.
fn has_sql(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with("--")
    })
}

/// The folder's migrations: every `<VERSION>_<name>.sql` file, split into its sections.
pub fn read(folder: &Path, files: &[(String, PathBuf)]) -> Result<Vec<Migration>, LintError> {
    let mut found: BTreeMap<i64, Migration> = BTreeMap::new();
    for (name, path) in files {
        let Some((version, description, Part::Simple)) = sqlx::classify(name) else {
            continue;
        };
        let text = fs::read_to_string(path).map_err(|source| LintError::Read {
            path: path.clone(),
            source,
        })?;
        let (up, down) = split(path, &text)?;
        let migration = Migration::new(version, description, up, down);
        if found.insert(version, migration).is_some() {
            return Err(LintError::DuplicateVersion {
                path: folder.to_path_buf(),
                version: version.to_string(),
            });
        }
    }
    Ok(found.into_values().collect())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::lint::layout;
    use crate::lint::migrations::tests::tempdir::Dir;
    use crate::vocab::Layout;

    const STATEMENTS: [&str; 3] = [
        "ALTER TABLE t ADD COLUMN a int;",
        "-- a comment\nDROP TABLE u;",
        "CREATE INDEX i ON t (a);",
    ];

    /// A section of statements after blank lines, and the file lines they land on.
    fn section(lines: &mut Vec<String>, parts: &[(usize, usize)]) -> Vec<usize> {
        let mut at = Vec::new();
        for (gap, which) in parts {
            lines.extend(std::iter::repeat_n(String::new(), *gap));
            let text = STATEMENTS[*which];
            // The statement's first token is on its last line (after any comment).
            lines.extend(text.lines().map(str::to_string));
            at.push(lines.len());
        }
        at
    }

    proptest! {
        #[test]
        fn statements_keep_their_line_in_the_file(
            before in 0usize..3,
            up in prop::collection::vec((0usize..3, 0usize..3), 1..4),
            down in prop::collection::vec((0usize..3, 0usize..3), 0..4),
        ) {
            let mut lines = vec![String::new(); before];
            lines.push("-- migrate:up".into());
            let up_at = section(&mut lines, &up);
            lines.push("-- migrate:down".into());
            let down_at = section(&mut lines, &down);
            let (up_src, down_src) = split(Path::new("m.sql"), &lines.join("\n")).unwrap();
            let got: Vec<usize> = up_src.statements().unwrap().iter().map(|s| s.line).collect();
            prop_assert_eq!(got, up_at);
            let got: Vec<usize> = down_src
                .map(|d| d.statements().unwrap().iter().map(|s| s.line).collect())
                .unwrap_or_default();
            prop_assert_eq!(got, down_at);
        }

        #[test]
        fn any_text_splits_or_is_refused_without_panicking(text in any::<String>()) {
            let _ = split(Path::new("m.sql"), &text);
        }
    }

    const FILE: &str = "-- a note before the sections\n\
                        -- migrate:up transaction:false\n\
                        CREATE INDEX CONCURRENTLY i ON t (a);\n\
                        \n\
                        -- migrate:down\n\
                        DROP INDEX i;\n";

    #[test]
    fn sections_split_at_their_markers_and_keep_their_lines() {
        let (up, down) = split(Path::new("m/1_a.sql"), FILE).unwrap();
        assert_eq!(up.first_line, 2);
        assert_eq!(up.text, "CREATE INDEX CONCURRENTLY i ON t (a);\n");
        let down = down.unwrap();
        assert_eq!((down.first_line, down.text.as_str()), (5, "DROP INDEX i;"));
        let lines: Vec<_> = [&up, &down]
            .iter()
            .map(|s| s.statements().unwrap()[0].line)
            .collect();
        assert_eq!(lines, vec![3, 6], "lines inside the shared file");
    }

    #[test]
    fn an_empty_or_missing_down_section_is_no_down() {
        let empty = "-- migrate:up\nSELECT 1;\n-- migrate:down\n-- nothing\n\n";
        assert_eq!(split(Path::new("a.sql"), empty).unwrap().1, None);
        let missing = "-- migrate:up\nSELECT 1;\n";
        assert_eq!(split(Path::new("a.sql"), missing).unwrap().1, None);
    }

    #[test]
    fn malformed_files_are_refused_at_their_line() {
        let cases = [
            ("SELECT 1;\n", 1, "needs a `-- migrate:up` section"),
            (
                "-- migrate:up\n-- migrate:up\n",
                2,
                "second `-- migrate:up` section (the first is at line 1)",
            ),
            (
                "-- migrate:up trasaction:false\n",
                1,
                "unknown dbmate option `trasaction:false`",
            ),
        ];
        for (text, line, says) in cases {
            let err = split(Path::new("d/1_a.sql"), text).unwrap_err();
            let shown = err.to_string();
            assert!(shown.starts_with(&format!("d/1_a.sql:{line}: ")), "{shown}");
            assert!(shown.contains(says), "{shown}");
        }
        assert!(marker("-- migrate:upgrade notes").is_none());
    }

    #[test]
    fn files_read_in_version_order() {
        let dir = Dir::with(
            "dbmate",
            &[
                ("20240102000000_b.sql", "-- migrate:up\nSELECT 2;\n"),
                ("20240101000000_a.sql", FILE),
                ("schema.sql", "CREATE TABLE t (a int);"),
            ],
        );
        let set = layout::read(dir.path(), Layout::Dbmate).unwrap();
        let got: Vec<_> = set
            .migrations
            .iter()
            .map(|m| (m.version, m.down.is_some()))
            .collect();
        assert_eq!(got, vec![(20240101000000, true), (20240102000000, false)]);
    }
}
