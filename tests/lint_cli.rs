//! The `rollcage lint` and `rollcage preflight` commands: human output with source lines,
//! JSON and JUnit that parse, exit codes by `--fail-on`, invalid input, and preflight failing
//! the trap scenarios without creating a container.

use std::collections::BTreeSet;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_rollcage");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// A release whose only finding is a warning (a CHECK over an old column).
const WARNING_ONLY: &str = "tests/fixtures/lint/warning-only";

fn rollcage(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .output()
        .expect("running rollcage")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn human_output_shows_the_source_line_and_exits_1_on_errors() {
    let out = rollcage(&["lint", "fixtures/ledger/migrations/notnull"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(
        "error[set-not-null] fixtures/ledger/migrations/notnull/0002_add_currency.up.sql:5:1 (code-rollback)"
    ), "{stdout}");
    assert!(
        stdout.contains("  5 | ALTER TABLE entries ALTER COLUMN currency SET NOT NULL"),
        "{stdout}"
    );
    assert!(
        stdout.contains("remedy: compensate, don't revert"),
        "{stdout}"
    );
    let safe = rollcage(&["lint", "fixtures/ledger/migrations/notnull-fixed"]);
    assert_eq!(safe.status.code(), Some(0), "{}", text(&safe.stdout));
}

#[test]
fn json_output_parses_and_fail_on_picks_the_exit_code() {
    let out = rollcage(&["lint", "--format", "json", WARNING_ONLY]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning passes at --fail-on error"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["findings"][0]["rule"], "add-constraint");
    assert_eq!(doc["findings"][0]["severity"], "warning");
    assert_eq!(doc["findings"][0]["line"], 2);
    assert_eq!(doc["failed"], false);
    let strict = rollcage(&[
        "lint",
        "--format",
        "json",
        "--fail-on",
        "warning",
        WARNING_ONLY,
    ]);
    assert_eq!(strict.status.code(), Some(1));

    let out = rollcage(&["lint", "--format", "json", "fixtures/ledger/migrations"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let releases: BTreeSet<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().split('/').nth(3).unwrap())
        .collect();
    let traps = BTreeSet::from([
        "decimal",
        "flagged",
        "forward-only",
        "notnull",
        "rename",
        "tags",
        "zero-as-null",
    ]);
    assert_eq!(releases, traps, "exactly the unsafe releases");
}

#[test]
fn junit_output_is_xml_with_one_failure_per_finding() {
    let file = std::env::temp_dir().join(format!("rollcage-lint-{}.xml", uuid::Uuid::new_v4()));
    let out = rollcage(&[
        "lint",
        "--format",
        "junit",
        "--output",
        file.to_str().unwrap(),
        "--schema-rollback",
        "fixtures/ledger/migrations/forward-only",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let xml = std::fs::read_to_string(&file).unwrap();
    let _ = std::fs::remove_file(&file);
    let (mut cases, mut failures) = (Vec::new(), 0);
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"testcase" => {
                        let name = e.try_get_attribute("name").unwrap().unwrap();
                        cases.push(String::from_utf8_lossy(&name.value).into_owned());
                    }
                    b"failure" => failures += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(failures, 3, "{xml}");
    assert!(
        cases.contains(
            &"no-down-migration at fixtures/ledger/migrations/forward-only/0002_drop_memo.sql:3:1"
                .to_string()
        ),
        "{cases:?}"
    );
}

#[test]
fn unparsable_sql_is_a_finding_and_unknown_paths_are_invalid_input() {
    // The file PostgreSQL refuses is reported at its statement, with PostgreSQL's words, and
    // the migration after it is still judged.
    let out = rollcage(&["lint", "--all", "tests/fixtures/lint/unparsable"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("[migration-unreadable] tests/fixtures/lint/unparsable/0001_t.up.sql:4:1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("PostgreSQL cannot parse this statement: syntax error"),
        "{stdout}"
    );
    assert!(
        stdout.contains("[drop-column] tests/fixtures/lint/unparsable/0002_drop.up.sql:2:1"),
        "{stdout}"
    );
    let out = rollcage(&["lint", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Containers and networks labelled with process `pid`: what a run of it created.
fn created_by(pid: u32) -> Vec<String> {
    let filter = format!("label=org.rollcage.pid={pid}");
    let mut all = Vec::new();
    for args in [
        vec!["ps", "-aq", "--filter", &filter],
        vec!["network", "ls", "-q", "--filter", &filter],
    ] {
        let out = Command::new("docker")
            .args(&args)
            .output()
            .expect("running docker");
        assert!(out.status.success(), "{}", text(&out.stderr));
        all.extend(text(&out.stdout).lines().map(str::to_string));
    }
    all
}

#[test]
fn preflight_fails_unaccounted_traps_before_any_container_starts() {
    // The bundled traps expect their hazard: reported as expected, never failing.
    let cases = [
        (
            "scenarios/mutable-tag.toml",
            0,
            Some("error[rollback-target-not-pinned] scenarios/mutable-tag.toml"),
        ),
        (
            "scenarios/missing-artifact.toml",
            0,
            Some("error[rollback-target-missing] scenarios/missing-artifact.toml"),
        ),
        (
            "tests/fixtures/scenarios/mutable-tag-unexpected.toml",
            1,
            Some("error[rollback-target-not-pinned] tests/fixtures/scenarios/mutable-tag-unexpected.toml"),
        ),
        ("scenarios/notnull-fixed-code-only.toml", 0, None),
    ];
    for (scenario, code, rule) in cases {
        let child = Command::new(BIN)
            .args(["preflight", scenario])
            .current_dir(ROOT)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting rollcage");
        let pid = child.id();
        let out = child.wait_with_output().unwrap();
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{scenario}: {stdout}{}",
            text(&out.stderr)
        );
        if let Some(rule) = rule {
            assert!(stdout.contains(rule), "{scenario}: {stdout}");
            let accounted = stdout.contains("  expected: the scenario expects");
            assert_eq!(accounted, code == 0, "{scenario}: {stdout}");
        } else {
            assert!(stdout.contains("no findings"), "{stdout}");
        }
        assert_eq!(
            created_by(pid),
            Vec::<String>::new(),
            "{scenario} created resources"
        );
    }
}

#[test]
fn preflight_refuses_invalid_input_first_and_needs_the_engine() {
    let no_docker = "unix:///nonexistent/rollcage-lint-test/docker.sock";
    let run = |scenario: &str| {
        Command::new(BIN)
            .args(["preflight", scenario])
            .current_dir(ROOT)
            .env("DOCKER_HOST", no_docker)
            .output()
            .expect("running rollcage")
    };
    // Validation comes before Docker: 2, not 3.
    let invalid = run("tests/fixtures/invalid/unknown-key.toml");
    assert_eq!(invalid.status.code(), Some(2), "{}", text(&invalid.stderr));
    let unreachable = run("scenarios/reference.toml");
    assert_eq!(
        unreachable.status.code(),
        Some(3),
        "{}",
        text(&unreachable.stderr)
    );
}
