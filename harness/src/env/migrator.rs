//! Migration commands run for a release (`DrillEnv::run_migration`): each in a container of
//! its own on the drill network (the release's image unless the scenario names another), with
//! the app's env and the commands' own, `{db.*}` and `{target.*}` filled in. A command that
//! cannot start, exits non-zero, hangs past its timeout or is killed by a fault is an error
//! carrying its last output lines; its container is gone either way (`Sandbox::run_once`).

use std::fmt::Write;
use std::time::Duration;

use super::DrillEnv;
use crate::db::CommandRecord;
use crate::runtime::{ContainerSpec, Ended, Finished, RuntimeError};
use crate::scenario::{MigrationCommands, Release, Scenario};

/// The network role (and alias) of migration containers.
pub const MIGRATOR_ROLE: &str = "migrator";

/// Why a migration command did not succeed; each carries what it printed last.
#[derive(Debug, thiserror::Error)]
pub enum MigratorError {
    #[error("migration command `{command}` could not be started from image {image}")]
    NotStarted {
        command: String,
        image: String,
        #[source]
        source: Box<RuntimeError>,
    },
    #[error("migration command `{command}` exited with code {code}{}", tail(.output))]
    Failed {
        command: String,
        code: i64,
        output: Vec<String>,
    },
    #[error("migration command `{command}` ran past its timeout of {} and was killed{}",
        humantime::format_duration(*.timeout), tail(.output))]
    TimedOut {
        command: String,
        timeout: Duration,
        output: Vec<String>,
    },
    #[error("the migrator running `{command}` was killed after {} (kill-migrator){}",
        humantime::format_duration(*.after), tail(.output))]
    Killed {
        command: String,
        after: Duration,
        output: Vec<String>,
    },
    #[error("version command `{command}` printed no version on stdout{}", tail(.output))]
    NoVersion {
        command: String,
        output: Vec<String>,
    },
    #[error(
        "release `{release}` has no `version` command, so {{target.version}} cannot be filled in"
    )]
    NoVersionCommand { release: String },
}

/// `; its last N output line(s):` and the lines, indented; nothing when it printed nothing.
fn tail(output: &[String]) -> String {
    let mut s = String::new();
    if !output.is_empty() {
        let _ = write!(s, "; its last {} output line(s):", output.len());
        for line in output {
            let _ = write!(s, "\n  | {line}");
        }
    }
    s
}

/// A migration command that ran to a zero exit: its record and its stdout.
#[derive(Debug, Clone)]
pub struct CommandRun {
    pub record: CommandRecord,
    pub stdout: String,
    pub took: Duration,
}

impl CommandRun {
    /// The version a `version` command printed: the first word of its stdout's last
    /// non-empty line (`1_baseline (head)` reads `1_baseline`).
    pub fn version(&self) -> Option<String> {
        let line = self.stdout.lines().rev().find(|l| !l.trim().is_empty())?;
        line.split_whitespace().next().map(str::to_string)
    }
}

impl DrillEnv {
    /// Runs `words` (one of `c`'s commands) for `release`, `{target.release}` and
    /// `{target.version}` filled from `target`; the migrator is killed once `kill_after` has
    /// passed, when a fault says so.
    pub async fn run_migration(
        &self,
        s: &Scenario,
        (release, c): (&Release, &MigrationCommands),
        words: &[String],
        target: (&str, &str),
        kill_after: Option<Duration>,
    ) -> Result<CommandRun, MigratorError> {
        let fill = |w: &str| {
            self.fill_db(s, w)
                .replace("{target.release}", target.0)
                .replace("{target.version}", target.1)
        };
        let words: Vec<String> = words.iter().map(|w| fill(w)).collect();
        let command = words.join(" ");
        let image = c
            .image
            .clone()
            .or_else(|| self.images.get(&release.name).cloned())
            .unwrap_or_else(|| release.image.clone());
        let mut spec = ContainerSpec::new(MIGRATOR_ROLE, &image);
        spec.env = self.app_env(s, release, false);
        spec.env
            .extend(c.env.iter().map(|(k, v)| (k.clone(), self.fill_db(s, v))));
        // The command replaces the image's entrypoint: it runs as written, whatever the image.
        spec.entrypoint = words.iter().take(1).cloned().collect();
        spec.cmd = words.iter().skip(1).cloned().collect();
        spec.workdir = c.workdir.clone();
        let finished = self
            .sandbox
            .run_once(&spec, c.timeout, kill_after)
            .await
            .map_err(|source| MigratorError::NotStarted {
                command: command.clone(),
                image,
                source: Box::new(source),
            })?;
        judge(command, finished, c.timeout, kill_after)
    }
}

/// A finished command: Ok only for a zero exit.
fn judge(
    command: String,
    f: Finished,
    timeout: Duration,
    kill_after: Option<Duration>,
) -> Result<CommandRun, MigratorError> {
    let output = f.tail;
    match f.ended {
        Ended::Exited(0) => Ok(CommandRun {
            record: CommandRecord {
                command,
                exit_code: Some(0),
                output,
            },
            stdout: f.stdout,
            took: f.took,
        }),
        Ended::Exited(code) => Err(MigratorError::Failed {
            command,
            code,
            output,
        }),
        Ended::TimedOut => Err(MigratorError::TimedOut {
            command,
            timeout,
            output,
        }),
        Ended::Killed => Err(MigratorError::Killed {
            command,
            after: kill_after.unwrap_or_default(),
            output,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::chain;

    fn finished(ended: Ended, stdout: &str, tail: &[&str]) -> Finished {
        Finished {
            ended,
            stdout: stdout.into(),
            tail: tail.iter().map(|l| l.to_string()).collect(),
            took: Duration::from_millis(700),
        }
    }

    #[test]
    fn a_zero_exit_is_a_run_and_its_version_is_the_last_lines_first_word() {
        let f = finished(
            Ended::Exited(0),
            "\n1_baseline (head)\n\n",
            &["1_baseline (head)"],
        );
        let run = judge("alembic current".into(), f, Duration::from_secs(60), None).unwrap();
        assert_eq!(run.version().as_deref(), Some("1_baseline"));
        assert_eq!(run.record.exit_code, Some(0));
        let empty = finished(Ended::Exited(0), "  \n", &[]);
        let run = judge(
            "alembic current".into(),
            empty,
            Duration::from_secs(60),
            None,
        )
        .unwrap();
        assert_eq!(run.version(), None);
    }

    #[test]
    fn each_failure_reads_with_its_cause_and_its_last_lines() {
        let limit = Duration::from_secs(2);
        let f = finished(Ended::Exited(1), "", &["ERROR boom", "KeyError: 'x'"]);
        let e = judge("alembic downgrade 1".into(), f, limit, None).unwrap_err();
        assert_eq!(
            chain(&e),
            "migration command `alembic downgrade 1` exited with code 1; its last 2 output \
             line(s):\n  | ERROR boom\n  | KeyError: 'x'"
        );
        let f = finished(Ended::TimedOut, "", &[]);
        let e = judge("sleep 60".into(), f, limit, None).unwrap_err();
        assert_eq!(
            chain(&e),
            "migration command `sleep 60` ran past its timeout of 2s and was killed"
        );
        let f = finished(Ended::Killed, "", &["INFO Running downgrade"]);
        let after = Some(Duration::from_millis(300));
        let e = judge("alembic downgrade 1".into(), f, limit, after).unwrap_err();
        assert!(
            chain(&e).starts_with(
                "the migrator running `alembic downgrade 1` was killed after 300ms (kill-migrator)"
            ),
            "{}",
            chain(&e)
        );
    }
}
