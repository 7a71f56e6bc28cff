//! Command-migration tables as scenario files write them: read whole, written back the
//! same, refused with positions, and documented in `scenarios/reference.toml`.
use std::time::Duration;

use super::super::tests::{MANUAL, MINIMAL};
use crate::scenario::*;

const COMMANDS: &str = r#"
[releases.expand.migrations]
up = ["alembic", "upgrade", "head"]
down = ["alembic", "downgrade", "{target.version}"]
version = ["alembic", "current"]
env = { DATABASE_URL = "{db.url}" }
workdir = "/app"
timeout = "90s"
"#;

/// MINIMAL with `extra` appended to the `expand` release's table, and a rollback.
fn with(extra: &str, strategy: &str) -> String {
    with_previous(extra, strategy, BASELINE)
}

/// The release deployed from gives the version `{target.version}` is filled with.
const BASELINE: &str = r#"[releases.baseline.migrations]
up = ["alembic", "upgrade", "head"]
version = ["alembic", "current"]
"#;

fn with_previous(extra: &str, strategy: &str, previous: &str) -> String {
    let rollback = MANUAL.replace("code-only", strategy);
    format!("{MINIMAL}{extra}{previous}{rollback}")
}

fn load(text: &str) -> Result<Scenario, ScenarioError> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    Scenario::from_toml_str(text, &dir)
}

fn problem(text: &str) -> (usize, usize, String, String) {
    match load(text) {
        Err(ScenarioError::Invalid { diagnostics }) if diagnostics.len() == 1 => {
            let d = &diagnostics[0];
            (d.line, d.column, d.key.clone(), d.message.clone())
        }
        other => panic!("expected one diagnostic, got {other:?}"),
    }
}

#[test]
fn a_command_table_is_read_whole_and_written_back_the_same() {
    let s = load(&with(COMMANDS, "code-and-schema")).unwrap();
    let Migrations::Commands(c) = &s.to_release().migrations else {
        panic!("{:?}", s.to_release().migrations);
    };
    assert_eq!(c.up, ["alembic", "upgrade", "head"]);
    assert_eq!(c.down, ["alembic", "downgrade", "{target.version}"]);
    assert_eq!(c.version, ["alembic", "current"]);
    assert_eq!(c.env["DATABASE_URL"], "{db.url}");
    assert_eq!(c.workdir.as_deref(), Some("/app"));
    assert_eq!(c.image, None);
    assert_eq!(c.timeout, Duration::from_secs(90));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let again = Scenario::from_toml_str(&to_toml(&s, &dir), &dir).unwrap();
    assert_eq!(again.to_release().migrations, s.to_release().migrations);
}

#[test]
fn a_folder_beside_the_commands_is_refused_where_it_is_written() {
    let both = COMMANDS.replace("timeout", "folder = \"../fixtures/notes\"\ntimeout");
    let (line, column, key, message) = problem(&with(&both, "code-only"));
    assert_eq!((line, column), (23, 10));
    assert_eq!(key, "releases.expand.migrations.folder");
    assert!(message.starts_with("a release's migrations are a folder or commands, not both"));
    // Both spellings at once are one key twice: TOML itself refuses it, at the table.
    let twice = format!(
        "{}{COMMANDS}",
        MINIMAL.replace(
            "image = \"rollcage/ledger:expand\"",
            "image = \"rollcage/ledger:expand\"\nmigrations = \"../fixtures/ledger/migrations/expand\""
        )
    );
    let Err(ScenarioError::Invalid { diagnostics }) = load(&format!("{twice}{MANUAL}")) else {
        panic!("a folder and a command table for one release must be refused");
    };
    let d = &diagnostics[0];
    assert_eq!((d.line, d.column), (18, 18), "{diagnostics:#?}");
    assert!(d.message.starts_with("duplicate"), "{}", d.message);
}

#[test]
fn commands_are_checked_word_by_word() {
    let unknown = COMMANDS.replace("{target.version}", "{target.revision}");
    let (line, _, key, message) = problem(&with(&unknown, "code-and-schema"));
    assert_eq!(
        (line, key.as_str()),
        (19, "releases.expand.migrations.down")
    );
    assert!(
        message.starts_with("unknown placeholder {target.revision}"),
        "{message}"
    );
    let in_up = COMMANDS.replace("\"head\"]", "\"{target.version}\"]");
    let (line, _, key, _) = problem(&with(&in_up, "code-and-schema"));
    assert_eq!((line, key.as_str()), (18, "releases.expand.migrations.up"));
    let empty = COMMANDS.replace("[\"alembic\", \"current\"]", "[]");
    let (_, _, key, message) = problem(&with(&empty, "code-and-schema"));
    assert_eq!(key, "releases.expand.migrations.version");
    assert!(
        message.starts_with("a command is a list of words"),
        "{message}"
    );
    let relative = COMMANDS.replace("\"/app\"", "\"app\"");
    let (_, _, key, _) = problem(&with(&relative, "code-and-schema"));
    assert_eq!(key, "releases.expand.migrations.workdir");
}

#[test]
fn a_target_version_needs_a_version_command_on_the_release_deployed_from() {
    let (line, _, key, message) = problem(&with_previous(COMMANDS, "code-and-schema", ""));
    assert_eq!(
        (line, key.as_str()),
        (19, "releases.expand.migrations.down")
    );
    assert_eq!(
        message,
        "{target.version} is what release `baseline` (deploy.from) prints with its \
         `version` command, and it has none"
    );
}

#[test]
fn migrate_down_needs_a_down_command() {
    let no_down = COMMANDS.replace(
        "down = [\"alembic\", \"downgrade\", \"{target.version}\"]\n",
        "",
    );
    let (_, _, key, message) = problem(&with(&no_down, "code-and-schema"));
    assert_eq!(key, "rollback.strategy");
    assert!(
        message.ends_with("which has no migrations folder and no `down` command"),
        "{message}"
    );
}

/// The command-migration keys as `scenarios/reference.toml` documents them, uncommented in
/// place, load as a third release with every value it gives.
#[test]
fn the_reference_documents_every_command_key_and_its_example_loads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("scenarios/reference.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (mut inside, mut out) = (false, String::new());
    for line in text.lines() {
        if line.starts_with("# --- command migrations:") {
            inside = line.ends_with("begin");
            continue;
        }
        let line = match line.strip_prefix("# ") {
            Some(rest) if inside => rest,
            _ => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    let s = Scenario::from_toml_str(&out, &root.join("scenarios")).unwrap();
    let notes = s.release("notes").expect("the documented release");
    let Migrations::Commands(c) = &notes.migrations else {
        panic!("{:?}", notes.migrations);
    };
    let expected = MigrationCommands {
        up: ["alembic", "upgrade", "head"].map(String::from).to_vec(),
        down: ["alembic", "downgrade", "{target.version}"]
            .map(String::from)
            .to_vec(),
        version: ["alembic", "current"].map(String::from).to_vec(),
        image: Some("rollcage/notes:tags".into()),
        env: [("NOTES_MIGRATION_PAUSE".to_string(), "0".to_string())].into(),
        workdir: Some("/app".into()),
        timeout: DEFAULT_COMMAND_TIMEOUT,
    };
    assert_eq!(c, &expected);
}
