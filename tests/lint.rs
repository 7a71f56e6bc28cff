//! Linting the ledger fixture through the library: the exact findings of every release, what a
//! scenario's deploy and strategy bring into scope, and allow comments. The binary's output
//! formats, exit codes and `preflight` are in `lint_cli.rs`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rollcage::lint::{lint_path, lint_path_with, Finding, Judged, Options, Rule, Severity};
use rollcage::scenario::Scenario;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// (rule, file name, line) of the findings at warning or above.
type Found = BTreeSet<(Rule, String, usize)>;

fn found(findings: &[Finding]) -> Found {
    findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| {
            let name = Path::new(&f.file).file_name().unwrap().to_string_lossy();
            (f.rule, name.into_owned(), f.line)
        })
        .collect()
}

fn release(name: &str) -> Vec<Finding> {
    let folder = Path::new(ROOT)
        .join("fixtures/ledger/migrations")
        .join(name);
    lint_path(&folder, Scenario::load).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn set(items: &[(Rule, &str, usize)]) -> Found {
    items
        .iter()
        .map(|(r, f, l)| (*r, f.to_string(), *l))
        .collect()
}

#[test]
fn designed_safe_releases_have_no_findings() {
    for name in ["baseline", "expand", "notnull-fixed", "bad", "slowstart"] {
        assert_eq!(found(&release(name)), Found::new(), "{name}");
    }
}

#[test]
fn trap_releases_are_flagged_with_their_rules_and_lines() {
    use Rule::*;
    let expected = [
        (
            "notnull",
            set(&[
                (SetNotNull, "0002_add_currency.up.sql", 5),
                (DownDropsData, "0002_add_currency.down.sql", 1),
            ]),
        ),
        (
            "rename",
            set(&[(RenameColumn, "0002_rename_memo.up.sql", 2)]),
        ),
        // No schema rollback is planned for a bare folder: the missing down is information.
        (
            "forward-only",
            set(&[
                (DropColumn, "0002_drop_memo.sql", 3),
                (DestructiveUp, "0002_drop_memo.sql", 3),
            ]),
        ),
        ("tags", set(&[(DownDropsData, "0002_add_tags.down.sql", 2)])),
        (
            "flagged",
            set(&[(DownDropsData, "0002_add_channel.down.sql", 1)]),
        ),
        (
            "decimal",
            // Narrowing back to bigint may refuse an amount past its range (a warning).
            set(&[
                (ChangeColumnType, "0002_amount_numeric.up.sql", 3),
                (DownAborts, "0002_amount_numeric.down.sql", 2),
            ]),
        ),
    ];
    for (name, want) in expected {
        let findings = release(name);
        assert_eq!(found(&findings), want, "{name}");
        assert!(
            findings.iter().all(|f| f.severity == Severity::Error
                || [NoDownMigration, DownAborts].contains(&f.rule)),
            "{name}"
        );
        let f = &findings[0];
        assert!(!f.remedy.is_empty() && !f.statement.is_empty(), "{f:?}");
    }
}

#[test]
fn a_missing_down_is_an_error_only_when_a_schema_rollback_is_planned() {
    let folder = Path::new(ROOT).join("fixtures/ledger/migrations/forward-only");
    let severity = |schema_rollback| {
        let options = Options {
            schema_rollback,
            ..Options::default()
        };
        let findings = lint_path_with(&folder, Scenario::load, options).unwrap();
        let f = findings.iter().find(|f| f.rule == Rule::NoDownMigration);
        f.map(|f| f.severity)
    };
    assert_eq!(severity(false), Some(Severity::Info));
    assert_eq!(severity(true), Some(Severity::Error));
}

#[test]
fn a_folder_judges_its_newest_migration_unless_told_otherwise() {
    let folder = Path::new(ROOT).join("fixtures/ledger/migrations/notnull");
    let lines = |judged| {
        let options = Options {
            judged,
            ..Options::default()
        };
        let findings = lint_path_with(&folder, Scenario::load, options).unwrap();
        let mut files: Vec<String> = findings.iter().map(|f| f.file.clone()).collect();
        files.dedup();
        files
            .iter()
            .map(|f| {
                Path::new(f)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect::<Vec<_>>()
    };
    let newest = vec!["0002_add_currency.down.sql", "0002_add_currency.up.sql"];
    assert_eq!(lines(Judged::Newest), newest);
    assert_eq!(lines(Judged::From(1)), newest);
    assert_eq!(lines(Judged::From(2)), Vec::<String>::new());
    // The baseline's own down is the expected inverse of its CREATE TABLE: nothing more.
    assert_eq!(lines(Judged::All), newest);
}

#[test]
fn scenarios_lint_what_their_deploy_applies_for_their_strategy() {
    let scenario = |name: &str| {
        let path = Path::new(ROOT)
            .join("scenarios")
            .join(format!("{name}.toml"));
        found(&lint_path(&path, Scenario::load).unwrap())
    };
    // Code-only: the down migration never runs, so only the code-rollback hazard counts.
    assert_eq!(
        scenario("notnull-code-only"),
        set(&[(Rule::SetNotNull, "0002_add_currency.up.sql", 5)])
    );
    assert_eq!(
        scenario("decimal-code-only"),
        set(&[(Rule::ChangeColumnType, "0002_amount_numeric.up.sql", 3)])
    );
    assert_eq!(
        scenario("tags-down-undeclared"),
        set(&[(Rule::DownDropsData, "0002_add_tags.down.sql", 2)])
    );
    // baseline's own migration is shared history, not part of any deploy.
    for safe in [
        "reference",
        "notnull-fixed-code-only",
        "restore-snapshot",
        "slowstart-time-to-healthy",
        "form-email-keys",
    ] {
        assert_eq!(scenario(safe), Found::new(), "{safe}");
    }
}

/// A throwaway migrations folder: `0001` creates `t`, `0002_change.up.sql` is `change`.
struct Folder(PathBuf);

impl Folder {
    fn new(change: &str) -> Folder {
        let dir = std::env::temp_dir().join(format!("rollcage-lint-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("0001_t.up.sql"),
            "CREATE TABLE t (id int, v int);\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("0001_t.down.sql"),
            "-- rollcage:allow down-drops-data test\nDROP TABLE t;\n",
        )
        .unwrap();
        std::fs::write(dir.join("0002_change.up.sql"), change).unwrap();
        std::fs::write(dir.join("0002_change.down.sql"), "SELECT 1;\n").unwrap();
        Folder(dir)
    }
    fn rules(&self) -> Vec<(Rule, usize)> {
        lint_path(&self.0, Scenario::load)
            .unwrap()
            .iter()
            .map(|f| (f.rule, f.line))
            .collect()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn an_allow_comment_silences_only_the_rules_it_names() {
    let plain = Folder::new("-- widen\nALTER TABLE t ADD COLUMN n int NOT NULL;\n");
    assert_eq!(plain.rules(), vec![(Rule::AddNotNullWithoutDefault, 2)]);
    let above = Folder::new(
        "-- rollcage:allow add-not-null-without-default t is always empty here\n\
         ALTER TABLE t ADD COLUMN n int NOT NULL;\n",
    );
    assert_eq!(above.rules(), vec![]);
    let trailing = Folder::new(
        "ALTER TABLE t ADD COLUMN n int NOT NULL; -- rollcage:allow add-not-null-without-default empty\n\
         ALTER TABLE t DROP COLUMN v;\n",
    );
    // The trailing comment is the first statement's; the second keeps its findings.
    assert_eq!(
        trailing.rules(),
        vec![(Rule::DestructiveUp, 2), (Rule::DropColumn, 2)]
    );
    let other = Folder::new(
        "-- rollcage:allow drop-column wrong rule\nALTER TABLE t ADD COLUMN n int NOT NULL;\n",
    );
    assert_eq!(other.rules(), vec![(Rule::AddNotNullWithoutDefault, 2)]);
}
