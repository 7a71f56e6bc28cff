//! A container run to its end (`Sandbox::run_once`): created with the run's labels, started,
//! waited for up to a time limit (or killed on purpose after a delay), its output read, and
//! removed whatever happened, so a command that fails, hangs or is killed leaves nothing.

use std::time::{Duration, Instant};

use bollard::container::LogOutput;
use bollard::query_parameters::{
    KillContainerOptionsBuilder, LogsOptionsBuilder, WaitContainerOptionsBuilder,
};
use futures_util::StreamExt;

use super::sandbox::remove_named;
use super::{ContainerSpec, RuntimeError, Sandbox};

/// How a one-shot container's process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// It exited by itself with this code.
    Exited(i64),
    /// It ran past its time limit and was killed.
    TimedOut,
    /// It was killed on purpose after the delay asked for (a fault).
    Killed,
}

/// What a one-shot container did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// How it ended.
    pub ended: Ended,
    /// Its whole stdout.
    pub stdout: String,
    /// Its last output lines (stdout and stderr interleaved), oldest first.
    pub tail: Vec<String>,
    /// From its start to its end.
    pub took: Duration,
}

/// Output lines a one-shot run keeps.
pub const ONESHOT_TAIL: usize = 20;

impl Sandbox {
    /// Runs `spec` to its end: killed past `limit`, or on purpose once `kill_after` has passed
    /// since it started. The container is removed before this returns, whatever happened
    /// (a program that cannot be started included: that is the start's error).
    pub async fn run_once(
        &self,
        spec: &ContainerSpec,
        limit: Duration,
        kill_after: Option<Duration>,
    ) -> Result<Finished, RuntimeError> {
        let name = self.create_container(spec).await?;
        let result = self.run_created(&name, limit, kill_after).await;
        let removed = remove_named(self.engine(), &name).await;
        let finished = result?;
        removed?;
        Ok(finished)
    }

    async fn run_created(
        &self,
        name: &str,
        limit: Duration,
        kill_after: Option<Duration>,
    ) -> Result<Finished, RuntimeError> {
        let docker = self.engine().docker();
        let fail = |op: &'static str| {
            let name = name.to_string();
            move |source| RuntimeError::Container { op, name, source }.timed()
        };
        docker
            .start_container(name, None)
            .await
            .map_err(fail("starting"))?;
        let started = Instant::now();
        let options = WaitContainerOptionsBuilder::new()
            .condition("not-running")
            .build();
        let exited = async {
            // A non-zero exit arrives as an error carrying the code; inspection reads it below.
            let _ = docker.wait_container(name, Some(options)).next().await;
        };
        let killed = async {
            match kill_after {
                Some(after) => tokio::time::sleep(after).await,
                None => std::future::pending().await,
            }
        };
        let mut ended = tokio::select! {
            _ = exited => Ended::Exited(0),
            _ = tokio::time::sleep(limit) => Ended::TimedOut,
            _ = killed => Ended::Killed,
        };
        let took = started.elapsed();
        if ended != Ended::Exited(0) {
            let options = KillContainerOptionsBuilder::new().signal("SIGKILL").build();
            // It may have exited meanwhile; the removal after this settles it either way.
            let _ = docker.kill_container(name, Some(options)).await;
        } else {
            let info = docker
                .inspect_container(name, None)
                .await
                .map_err(fail("inspecting"))?;
            let code = info.state.and_then(|s| s.exit_code).unwrap_or(-1);
            ended = Ended::Exited(code);
        }
        let (stdout, tail) = self.output(name).await?;
        Ok(Finished {
            ended,
            stdout,
            tail,
            took,
        })
    }

    /// The container's stdout, and its last `ONESHOT_TAIL` non-empty lines of both streams.
    async fn output(&self, name: &str) -> Result<(String, Vec<String>), RuntimeError> {
        let options = LogsOptionsBuilder::new().stdout(true).stderr(true).build();
        let (mut stdout, mut all) = (String::new(), String::new());
        for chunk in self.engine().log_chunks(name, options).await? {
            let text = String::from_utf8_lossy(&chunk.clone().into_bytes()).to_string();
            if matches!(chunk, LogOutput::StdOut { .. }) {
                stdout.push_str(&text);
            }
            all.push_str(&text);
        }
        let lines: Vec<&str> = all
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.is_empty())
            .collect();
        let skip = lines.len().saturating_sub(ONESHOT_TAIL);
        Ok((
            stdout,
            lines[skip..].iter().map(|l| l.to_string()).collect(),
        ))
    }
}
