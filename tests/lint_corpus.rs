//! The fixture corpus (`tests/fixtures/lint/corpus/`): one folder per hazard lint judges
//! unsafe, each the shared base schema (`0001`) and one release (`0002`) holding the
//! hazard. Every finding of every folder is asserted: rule, severity, file and position.
//! The folders are linted as a deploy of their newest migration with a schema rollback
//! planned (`--schema-rollback`), so every category counts.

use std::path::Path;

use rollcage::lint::{lint_path_with, Options, Rule, Severity};
use rollcage::scenario::Scenario;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lint/corpus");

/// (rule, severity, `up` or `down`, line, column)
type Expected = (Rule, Severity, &'static str, usize, usize);

fn found(case: &str) -> Vec<Expected> {
    let options = Options {
        schema_rollback: true,
        ..Options::default()
    };
    let findings = lint_path_with(&Path::new(CORPUS).join(case), Scenario::load, options)
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    let mut out: Vec<Expected> = findings
        .iter()
        .map(|f| {
            let side = if f.file.ends_with(".down.sql") {
                "down"
            } else {
                "up"
            };
            (f.rule, f.severity, side, f.line, f.column.unwrap_or(0))
        })
        .collect();
    out.sort();
    out
}

use Rule::*;
use Severity::{Error as E, Warning as W};

/// Each corpus folder and every finding it must give.
const CASES: &[(&str, &[Expected])] = &[
    (
        "add-not-null-without-default",
        &[(AddNotNullWithoutDefault, E, "up", 2, 1)],
    ),
    ("set-not-null", &[(SetNotNull, E, "up", 2, 1)]),
    ("rename-column", &[(RenameColumn, E, "up", 2, 1)]),
    ("rename-table", &[(RenameTable, E, "up", 2, 1)]),
    ("rename-type", &[(RenameType, E, "up", 2, 1)]),
    // A widening, an error by default; its down narrows back what the new release wrote.
    (
        "change-column-type",
        &[
            (ChangeColumnType, E, "up", 2, 1),
            (DownAborts, E, "down", 1, 1),
        ],
    ),
    // Inside BEGIN … COMMIT: the position is the statement's, not BEGIN's.
    (
        "drop-column",
        &[(DropColumn, E, "up", 3, 1), (DestructiveUp, E, "up", 3, 1)],
    ),
    (
        "drop-table",
        &[(DropTable, E, "up", 2, 1), (DestructiveUp, E, "up", 2, 1)],
    ),
    ("drop-object", &[(DropObject, E, "up", 2, 1)]),
    ("drop-default", &[(DropDefault, E, "up", 2, 1)]),
    (
        "drop-not-null",
        &[(DropNotNull, W, "up", 2, 1), (DownAborts, E, "down", 1, 1)],
    ),
    (
        "drop-unique-constraint",
        &[
            (DropUniqueConstraint, W, "up", 2, 1),
            (DownAborts, E, "down", 1, 1),
        ],
    ),
    ("add-constraint", &[(AddConstraint, W, "up", 2, 1)]),
    (
        "add-enum-value",
        &[
            (AddEnumValue, E, "up", 2, 1),
            (EnumValueIrreversible, E, "down", 1, 1),
        ],
    ),
    ("destructive-up", &[(DestructiveUp, E, "up", 2, 1)]),
    ("down-drops-data", &[(DownDropsData, E, "down", 1, 1)]),
    ("down-aborts", &[(DownAborts, E, "down", 1, 1)]),
    ("no-down-migration", &[(NoDownMigration, E, "up", 2, 1)]),
    // The down of the migration that created a table is its expected inverse.
    ("new-table-inverse", &[]),
];

#[test]
fn every_unsafe_row_is_found_with_its_rule_severity_and_position() {
    let cases = CASES;
    let mut seen = Vec::new();
    for (case, want) in cases {
        let mut want = want.to_vec();
        want.sort();
        assert_eq!(found(case), want, "{case}");
        seen.push(*case);
    }
    // Every folder of the corpus is asserted here.
    let mut folders: Vec<String> = std::fs::read_dir(CORPUS)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    seen.sort();
    assert_eq!(folders, seen);
}

#[test]
fn every_migration_rule_is_found_somewhere_in_the_corpus() {
    for rule in Rule::ALL.iter().filter(|r| r.is_lint()) {
        let covered = CASES
            .iter()
            .any(|(_, want)| want.iter().any(|w| w.0 == *rule));
        assert!(covered, "no corpus case finds {rule}");
    }
}
