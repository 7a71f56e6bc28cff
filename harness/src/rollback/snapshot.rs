//! The pre-deploy database snapshot (`pg_dump` inside the database container) and the
//! restore that brings it back, dropping the database the app is connected to.

use std::time::Instant;

use crate::env::DrillEnv;
use crate::runtime::RuntimeError;

const DUMP: &str = "/tmp/rollcage-predeploy.dump";

/// A snapshot taken at `taken_at`; writes acknowledged after it are not in it.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot {
    pub taken_at: Instant,
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error("{what} exited with {code}: {output}")]
    Command {
        what: &'static str,
        code: i64,
        output: String,
    },
}

pub async fn take(env: &DrillEnv) -> Result<Snapshot, SnapshotError> {
    let taken_at = Instant::now();
    let t = &env.target;
    run(
        env,
        "pg_dump",
        &["pg_dump", "-U", &t.user, "-d", &t.name, "-Fc", "-f", DUMP],
    )
    .await?;
    Ok(Snapshot { taken_at })
}

/// Replaces the database with the snapshot: connected sessions are terminated. The admin
/// session uses `template1`, the one database never dropped here.
pub async fn restore(env: &DrillEnv) -> Result<(), SnapshotError> {
    let t = &env.target;
    let drop = format!("DROP DATABASE \"{}\" WITH (FORCE)", t.name);
    let create = format!("CREATE DATABASE \"{}\" OWNER \"{}\"", t.name, t.user);
    run(
        env,
        "dropping the database",
        &[
            "psql",
            "-U",
            &t.user,
            "-d",
            "template1",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            &drop,
            "-c",
            &create,
        ],
    )
    .await?;
    run(
        env,
        "pg_restore",
        &[
            "pg_restore",
            "-U",
            &t.user,
            "-d",
            &t.name,
            "--no-owner",
            DUMP,
        ],
    )
    .await?;
    Ok(())
}

async fn run(env: &DrillEnv, what: &'static str, cmd: &[&str]) -> Result<(), SnapshotError> {
    let out = env.sandbox.exec(&env.db, cmd).await?;
    if out.exit_code != 0 {
        return Err(SnapshotError::Command {
            what,
            code: out.exit_code,
            output: out.output.trim().to_string(),
        });
    }
    Ok(())
}
