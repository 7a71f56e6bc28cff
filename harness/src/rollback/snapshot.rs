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

/// Replaces the database with the snapshot. The snapshot is restored into a staging database
/// the app does not know, and only then swapped in (drop the live one, connected sessions
/// terminated; rename the staging one): restoring in place would race the app's writes into
/// the half-restored tables (a duplicate key aborts pg_restore). The admin session uses
/// `template1`, the one database never dropped here.
pub async fn restore(env: &DrillEnv) -> Result<(), SnapshotError> {
    let t = &env.target;
    let staging = format!("{}_rollcage_restore", t.name);
    let admin = |statements: &[String]| {
        let mut cmd = vec![
            "psql",
            "-U",
            &t.user,
            "-d",
            "template1",
            "-v",
            "ON_ERROR_STOP=1",
        ];
        for s in statements {
            cmd.extend(["-c", s.as_str()]);
        }
        cmd.into_iter().map(str::to_string).collect::<Vec<String>>()
    };
    let prepare = admin(&[
        format!("DROP DATABASE IF EXISTS \"{staging}\""),
        format!("CREATE DATABASE \"{staging}\" OWNER \"{}\"", t.user),
    ]);
    run(env, "creating the staging database", &prepare).await?;
    let restore = [
        "pg_restore",
        "-U",
        &t.user,
        "-d",
        &staging,
        "--no-owner",
        DUMP,
    ];
    run(env, "pg_restore", &restore.map(str::to_string)).await?;
    let swap = admin(&[
        format!("DROP DATABASE \"{}\" WITH (FORCE)", t.name),
        format!("ALTER DATABASE \"{staging}\" RENAME TO \"{}\"", t.name),
    ]);
    run(env, "swapping the restored database in", &swap).await?;
    Ok(())
}

async fn run<S: AsRef<str>>(
    env: &DrillEnv,
    what: &'static str,
    cmd: &[S],
) -> Result<(), SnapshotError> {
    let cmd: Vec<&str> = cmd.iter().map(AsRef::as_ref).collect();
    let out = env.sandbox.exec(&env.db, &cmd).await?;
    if out.exit_code != 0 {
        return Err(SnapshotError::Command {
            what,
            code: out.exit_code,
            output: out.output.trim().to_string(),
        });
    }
    Ok(())
}
