//! Running a command inside a container (`Sandbox::exec`, or `Engine::exec` by name), for
//! database dumps and restores and for faults that act inside the database container.

use bollard::exec::{CreateExecOptions, StartExecResults};
use futures_util::StreamExt;

use super::{Container, Engine, RuntimeError, Sandbox};

/// Exit code and combined output of a command run in a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutput {
    /// The command's exit code; -1 when the engine reported none.
    pub exit_code: i64,
    /// Its stdout and stderr, interleaved as they arrived.
    pub output: String,
}

impl Sandbox {
    /// Runs `cmd` in one of this sandbox's containers (`Engine::exec` by its name).
    pub async fn exec(&self, c: &Container, cmd: &[&str]) -> Result<ExecOutput, RuntimeError> {
        self.engine().exec(&c.name, cmd).await
    }
}

impl Engine {
    /// Runs `cmd` in the named container as its image's user.
    pub async fn exec(&self, container: &str, cmd: &[&str]) -> Result<ExecOutput, RuntimeError> {
        let docker = self.docker();
        let fail = |op: &'static str| {
            let name = container.to_string();
            move |source| RuntimeError::Container { op, name, source }.timed()
        };
        let options = CreateExecOptions {
            cmd: Some(cmd.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            ..Default::default()
        };
        let exec = docker
            .create_exec(container, options)
            .await
            .map_err(fail("exec in"))?;
        let mut output = String::new();
        if let StartExecResults::Attached {
            output: mut stream, ..
        } = docker
            .start_exec(&exec.id, None)
            .await
            .map_err(fail("exec in"))?
        {
            while let Some(chunk) = stream.next().await {
                output.push_str(&chunk.map_err(fail("reading exec output of"))?.to_string());
            }
        }
        let info = docker
            .inspect_exec(&exec.id)
            .await
            .map_err(fail("inspecting exec in"))?;
        Ok(ExecOutput {
            exit_code: info.exit_code.unwrap_or(-1),
            output,
        })
    }
}
