//! `rollcage lint` on folders of other migration tools (golang-migrate, dbmate, Flyway): each
//! detected and judged, findings at the right file and line (for dbmate, the line inside the
//! shared file); Alembic and Django folders refused with a pointer to `--sql-from`; and
//! `--sql-from` over a script that prints Alembic's offline SQL.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use rollcage::lint::{
    lint_path_with, lint_sql_from, Judged, Layout, LintError, Options, PythonTool, Rule, Severity,
};
use rollcage::scenario::Scenario;

const BIN: &str = env!("CARGO_BIN_EXE_rollcage");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const FIXTURES: &str = "tests/fixtures/lint-layouts";

/// (rule, severity, file name, line).
type Seen = (Rule, Severity, String, usize);

fn fixture(name: &str) -> PathBuf {
    Path::new(ROOT).join(FIXTURES).join(name)
}

fn every_migration() -> Options {
    Options {
        judged: Judged::All,
        ..Options::default()
    }
}

fn seen(findings: &[rollcage::lint::Finding]) -> Vec<Seen> {
    findings
        .iter()
        .map(|f| {
            let name = Path::new(&f.file).file_name().unwrap_or_default();
            let name = name.to_string_lossy().into_owned();
            (f.rule, f.severity, name, f.line)
        })
        .collect()
}

fn lint(name: &str, options: Options) -> Vec<Seen> {
    let findings = lint_path_with(&fixture(name), Scenario::load, options)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    seen(&findings)
}

fn row(rule: Rule, severity: Severity, file: &str, line: usize) -> Seen {
    (rule, severity, file.to_string(), line)
}

#[test]
fn golang_migrate_pairs_are_judged_file_by_file() {
    use Rule::*;
    use Severity::Error;
    assert_eq!(
        lint("golang-migrate", every_migration()),
        vec![
            row(DownDropsData, Error, "000002_add_plan.down.sql", 1),
            row(AddNotNullWithoutDefault, Error, "000002_add_plan.up.sql", 2),
            row(DestructiveUp, Error, "000003_drop_nickname.up.sql", 1),
            row(DropColumn, Error, "000003_drop_nickname.up.sql", 1),
        ]
    );
}

#[test]
fn dbmate_findings_point_inside_the_shared_file() {
    use Rule::*;
    use Severity::*;
    let file = "20240215120000_add_currency.sql";
    assert_eq!(
        lint("dbmate", every_migration()),
        vec![
            // The up section's statement is on line 2, the down section's on line 5.
            row(AddNotNullWithoutDefault, Error, file, 2),
            row(DownDropsData, Error, file, 5),
            row(DestructiveUp, Error, "20240320100000_drop_note.sql", 3),
            row(DropColumn, Error, "20240320100000_drop_note.sql", 3),
            // Its down section is empty: no down.
            row(NoDownMigration, Info, "20240320100000_drop_note.sql", 3),
        ]
    );
}

#[test]
fn flyway_versions_order_by_parts_and_repeatables_are_not_judged() {
    use Rule::*;
    use Severity::*;
    assert_eq!(
        lint("flyway", every_migration()),
        vec![
            row(MigrationUnreadable, Info, "R__active_users.sql", 1),
            row(DownDropsData, Error, "U1.10__add_status.sql", 1),
            row(DownDropsData, Error, "U1.1__add_email.sql", 1),
            row(AddNotNullWithoutDefault, Error, "V1.10__add_status.sql", 2),
            row(DestructiveUp, Error, "V2__drop_legacy_code.sql", 1),
            row(DropColumn, Error, "V2__drop_legacy_code.sql", 1),
            row(NoDownMigration, Info, "V2__drop_legacy_code.sql", 1),
        ]
    );
    // By default only the newest version (2, not 1.10 although it sorts after by name) is
    // judged; the repeatable migration is reported whatever is judged.
    let newest: Vec<String> = lint("flyway", Options::default())
        .into_iter()
        .map(|s| s.2)
        .collect();
    assert_eq!(
        newest,
        vec![
            "R__active_users.sql",
            "V2__drop_legacy_code.sql",
            "V2__drop_legacy_code.sql",
            "V2__drop_legacy_code.sql"
        ]
    );
}

#[test]
fn a_named_layout_overrides_detection() {
    // Read as dbmate, golang-migrate's files are not migrations at all.
    let options = Options {
        layout: Some(Layout::Dbmate),
        ..every_migration()
    };
    assert_eq!(lint("golang-migrate", options), vec![]);
}

#[test]
fn python_migrations_are_refused_with_a_pointer_to_sql_from() {
    for (name, tool, command) in [
        (
            "alembic",
            PythonTool::Alembic,
            "alembic upgrade --sql base:head",
        ),
        ("django", PythonTool::Django, "python manage.py sqlmigrate"),
    ] {
        let err = lint_path_with(&fixture(name), Scenario::load, Options::default()).unwrap_err();
        assert!(
            matches!(&err, LintError::PythonMigrations { tool: t, .. } if *t == tool),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains("which are Python: lint cannot judge them statically"),
            "{text}"
        );
        assert!(text.contains(&format!("--sql-from '{command}")), "{text}");
    }
}

#[test]
fn sql_from_lints_each_alembic_revision_at_its_output_line() {
    let script = fixture("alembic/offline-sql.sh");
    let command = format!("sh '{}'", script.display());
    let findings = lint_sql_from(&command, Duration::from_secs(30), every_migration()).unwrap();
    let got: Vec<_> = findings
        .iter()
        .map(|f| (f.rule, f.file.as_str(), f.line))
        .collect();
    assert_eq!(
        got,
        vec![
            (Rule::DestructiveUp, "sql-from:7f8e9d0c1b2a", 21),
            (Rule::DropColumn, "sql-from:7f8e9d0c1b2a", 21),
            (Rule::AddNotNullWithoutDefault, "sql-from:7f8e9d0c1b2a", 23),
        ]
    );
}

fn rollcage(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .output()
        .expect("running rollcage")
}

#[test]
fn the_binary_detects_each_layout_and_takes_sql_from() {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    for (name, location) in [
        (
            "golang-migrate",
            "golang-migrate/000003_drop_nickname.up.sql:1:1",
        ),
        ("dbmate", "dbmate/20240320100000_drop_note.sql:3:1"),
        ("flyway", "flyway/V2__drop_legacy_code.sql:1:1"),
    ] {
        let out = rollcage(&["lint", &format!("{FIXTURES}/{name}")]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{name}: {stdout}");
        let head = format!("error[drop-column] {FIXTURES}/{location} (code-rollback)");
        assert!(stdout.contains(&head), "{name}: {stdout}");
    }
    let out = rollcage(&[
        "lint",
        "--sql-from",
        &format!("sh {FIXTURES}/alembic/offline-sql.sh"),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("error[add-not-null-without-default] sql-from:7f8e9d0c1b2a:23:1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  23 | ALTER TABLE customers ADD COLUMN tier TEXT NOT NULL"),
        "{stdout}"
    );

    let failing = rollcage(&[
        "lint",
        "--sql-from",
        "echo 'alembic: no such revision' >&2; exit 4",
    ]);
    assert_eq!(failing.status.code(), Some(2));
    let stderr = text(&failing.stderr);
    assert!(
        stderr.contains(
            "it exited with exit status: 4; its last lines:\n  alembic: no such revision"
        ),
        "{stderr}"
    );
    let hung = rollcage(&[
        "lint",
        "--sql-from",
        "sleep 20",
        "--sql-from-timeout",
        "200ms",
    ]);
    assert_eq!(hung.status.code(), Some(2));
    assert!(
        text(&hung.stderr).contains("ran past its 200ms timeout"),
        "{}",
        text(&hung.stderr)
    );
    let python = rollcage(&["lint", &format!("{FIXTURES}/alembic")]);
    assert_eq!(python.status.code(), Some(2));
    assert!(text(&python.stderr).contains("--sql-from 'alembic upgrade --sql base:head'"));
}
