//! Splitting offline SQL at Alembic's revision markers, and its bookkeeping left unjudged.

use super::*;
use crate::lint::{Judged, Rule};

/// Alembic's offline output, as `alembic upgrade --sql base:head` prints it.
const ALEMBIC: &str = "BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 1a2b

CREATE TABLE account (id SERIAL PRIMARY KEY, name TEXT);

INSERT INTO alembic_version (version_num) VALUES ('1a2b') RETURNING alembic_version.version_num;

-- Running upgrade 1a2b -> 3c4d

ALTER TABLE account DROP COLUMN name;

UPDATE alembic_version SET version_num='3c4d' WHERE alembic_version.version_num = '1a2b';

COMMIT;
";

#[test]
fn markers_split_the_output_into_revisions() {
    let set = split("alembic upgrade --sql base:head", ALEMBIC);
    let got: Vec<_> = set
        .migrations
        .iter()
        .map(|m| {
            (
                m.version,
                m.label.as_str(),
                m.description.as_str(),
                m.up.file.as_str(),
                m.up.first_line,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "1a2b", "upgrade base -> 1a2b", "sql-from:1a2b", 0),
            (2, "3c4d", "upgrade 1a2b -> 3c4d", "sql-from:3c4d", 13),
        ]
    );
    assert!(set
        .migrations
        .iter()
        .all(|m| m.down_unseen && m.down.is_none()));
    // Lines count in the whole output.
    let lines: Vec<usize> = set.migrations[1]
        .up
        .statements()
        .unwrap()
        .iter()
        .map(|s| s.line)
        .collect();
    assert_eq!(lines, vec![16, 20], "the DROP COLUMN, then COMMIT");
}

#[test]
fn output_without_markers_is_one_migration() {
    let set = split(
        "cat x.sql",
        "CREATE TABLE t (a int);\nALTER TABLE t DROP COLUMN a;\n",
    );
    assert_eq!(set.migrations.len(), 1);
    let m = &set.migrations[0];
    assert_eq!((m.up.file.as_str(), m.label.as_str()), ("sql-from", "1"));
    assert_eq!(m.description, "the SQL `cat x.sql` printed");
}

#[test]
fn bookkeeping_statements_are_blanked_keeping_lines() {
    let sql =
        "UPDATE alembic_version SET version_num='b'\n  WHERE version_num = 'a';\nDELETE FROM t;\n";
    let text = without_bookkeeping(sql);
    assert_eq!(text.lines().count(), 3);
    assert!(!text.contains("alembic_version"), "{text}");
    assert!(text.contains("DELETE FROM t;"));
}

#[test]
fn findings_name_the_revision_and_the_output_line() {
    let set = split("alembic upgrade --sql base:head", ALEMBIC);
    let options = Options {
        judged: Judged::All,
        ..Options::default()
    };
    let findings = lint_set(&set, &Scope::folder(options)).unwrap();
    let got: Vec<_> = findings
        .iter()
        .map(|f| (f.rule, f.file.as_str(), f.line))
        .collect();
    assert_eq!(
        got,
        vec![
            (Rule::DestructiveUp, "sql-from:3c4d", 16),
            (Rule::DropColumn, "sql-from:3c4d", 16),
        ],
        "no no-down-migration (Alembic's downs are unseen), nothing on alembic_version"
    );
}

#[test]
fn a_command_that_prints_no_sql_is_an_error() {
    let err = read("echo '-- nothing here'", Duration::from_secs(10)).unwrap_err();
    assert_eq!(
        crate::vocab::chain(&err),
        "--sql-from `echo '-- nothing here'`: it printed no SQL on stdout"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn any_output_splits_keeping_every_line(
        lines in proptest::collection::vec("(-- Running upgrade [a-c]{0,2} -> [a-c]{1,2}|[ -~]{0,30})", 0..12),
    ) {
        let output = lines.join("\n");
        let set = split("cmd", &output);
        // The parts cover the output's lines once each, in order.
        let mut next = 0;
        for m in &set.migrations {
            proptest::prop_assert_eq!(m.up.first_line, next);
            next += m.up.text.split('\n').count();
        }
        proptest::prop_assert_eq!(next, output.lines().count().max(1));
    }
}
