//! Checks for a release's `migrations`: a folder that exists, `"self"`, or a table of
//! migration commands (non-empty commands, known placeholders, a timeout, and never a folder
//! beside the commands).

use std::collections::BTreeMap;

use super::super::model::*;
use super::super::raw::*;
use super::{secs, Checker, DB_PLACEHOLDERS};

impl Checker<'_> {
    /// The release's migrations; `key` is `releases.<name>`.
    pub(super) fn migrations(&mut self, raw: Option<&S<RawMigrations>>, key: &str) -> Migrations {
        let Some(raw) = raw else {
            return Migrations::None;
        };
        let key = format!("{key}.migrations");
        match raw.get_ref() {
            RawMigrations::Text(t) if t == "self" => Migrations::SelfManaged,
            RawMigrations::Text(t) => {
                let folder = self.dir.join(t);
                if !folder.is_dir() {
                    let what = if folder.exists() {
                        "is not a folder"
                    } else {
                        "does not exist"
                    };
                    self.error(raw.span(), &key, format!("{} {what}", folder.display()));
                }
                Migrations::Folder(folder)
            }
            RawMigrations::Commands(c) => Migrations::Commands(self.commands(c, &key)),
        }
    }

    fn commands(&mut self, c: &RawCommands, key: &str) -> MigrationCommands {
        if let Some(folder) = &c.folder {
            let message = "a release's migrations are a folder or commands, not both: \
                give the folder as `migrations = \"...\"`, or drop it and keep the commands";
            self.error(folder.span(), &format!("{key}.folder"), message);
        }
        let allowed: Vec<&str> = DB_PLACEHOLDERS
            .iter()
            .chain(TARGET_PLACEHOLDERS.iter())
            .copied()
            .collect();
        let up = self.command(Some(&c.up), &format!("{key}.up"), &allowed, false);
        let down = self.command(c.down.as_ref(), &format!("{key}.down"), &allowed, true);
        let version = self.command(
            c.version.as_ref(),
            &format!("{key}.version"),
            &allowed,
            false,
        );
        let image = c
            .image
            .as_ref()
            .map(|i| self.non_empty(i, &format!("{key}.image")));
        let workdir = c.workdir.as_ref().map(|w| {
            if !w.get_ref().starts_with('/') {
                let message = "must be an absolute path inside the container";
                self.error(w.span(), &format!("{key}.workdir"), message);
            }
            w.get_ref().clone()
        });
        let env: BTreeMap<String, String> =
            self.env(&c.env, &format!("{key}.env"), &DB_PLACEHOLDERS);
        MigrationCommands {
            up,
            down,
            version,
            image,
            env,
            workdir,
            timeout: self.duration(
                c.timeout.as_ref(),
                &format!("{key}.timeout"),
                secs(DEFAULT_COMMAND_TIMEOUT.as_secs()),
                false,
            ),
        }
    }

    /// One command: words, the first of them the program; its placeholders must be known
    /// (`{target.*}` only where `targets` allows).
    fn command(
        &mut self,
        raw: Option<&S<Vec<String>>>,
        key: &str,
        allowed: &[&str],
        targets: bool,
    ) -> Vec<String> {
        let Some(raw) = raw else {
            return Vec::new();
        };
        let words = raw.get_ref();
        if words.first().is_none_or(|w| w.trim().is_empty()) {
            let message = "a command is a list of words, the program first (e.g. [\"alembic\", \"upgrade\", \"head\"])";
            self.error(raw.span(), key, message);
        }
        let allowed: Vec<&str> = allowed
            .iter()
            .copied()
            .filter(|p| targets || !p.starts_with("target."))
            .collect();
        for word in words {
            let spanned = S::new(raw.span(), word.clone());
            self.placeholders(&spanned, key, &allowed);
        }
        words.clone()
    }
}

#[cfg(test)]
mod tests {
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
        let rollback = MANUAL.replace("code-only", strategy);
        format!("{MINIMAL}{extra}{rollback}")
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
        assert_eq!(d.message, "duplicate key");
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
}
