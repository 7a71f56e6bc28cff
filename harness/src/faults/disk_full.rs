//! Fault `disk-full`: the database's disk fills up (a runaway log, a forgotten dump), so every
//! write that needs new space fails with "No space left on device"; healed by deleting the
//! fill. The data directory lives on a small tmpfs for such drills (`env::DiskTmpfs`: the
//! image's entrypoint copies its initialised cluster there), so filling it is quick and never touches
//! the host's disk.

use std::time::Duration;

use futures_util::future::BoxFuture;
use sqlx::PgPool;

use super::{FaultError, Heal, HealContext, Injected, Kind};
use crate::db::DbError;
use crate::env::{DrillEnv, EnvNeeds, TMPFS_MOUNT as MOUNT};
use crate::scenario::{FaultParams, FaultSpec};
use crate::vocab::FaultKind;

static SPEC: FaultSpec = FaultSpec::new(FaultKind::DiskFull, |_| "fill the database's disk".into())
    .heals()
    .excludes(
        |other| other.restarts_database,
        "a restarted database finds its tmpfs data directory empty",
    );

pub struct DiskFull;

impl Kind for DiskFull {
    fn spec(&self) -> &'static FaultSpec {
        &SPEC
    }

    /// The database's data directory on a small tmpfs.
    fn needs(&self) -> EnvNeeds {
        EnvNeeds {
            disk_tmpfs: true,
            ..EnvNeeds::default()
        }
    }

    fn inject<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        _p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>> {
        Box::pin(inject(env))
    }
}

/// Delete the files that fill the database's disk.
#[derive(Debug)]
struct RemoveFill {
    container: String,
    files: Vec<String>,
}

impl Heal for RemoveFill {
    fn heal(self: Box<Self>, ctx: &HealContext) -> BoxFuture<'_, Result<String, FaultError>> {
        Box::pin(async move { heal(ctx, &self.container, &self.files).await })
    }
}

/// Written by `dd` until the disk is full: 1 MiB blocks, then 4 KiB ones for the rest.
const FILL: [&str; 2] = ["rollcage-fill", "rollcage-fill-tail"];
/// Reads the space left on the mount, in kB.
const FREE_KB: &str = "df -kP \"$0\" | awk 'NR == 2 { print $4 }'";

/// Fills the tmpfs, then tries one sizeable write and reports how it went.
async fn inject(env: &mut DrillEnv) -> Result<Injected, FaultError> {
    let db = &env.db.name;
    // Filling the tmpfs only bites if the server runs from it.
    let dir: String = sqlx::query_scalar("SHOW data_directory")
        .fetch_one(&env.pool)
        .await
        .map_err(DbError::query("SHOW data_directory"))
        .map_err(|source| FaultError::Db {
            fault: FaultKind::DiskFull,
            what: format!("asking {db} where its data is"),
            source,
        })?;
    if !dir.starts_with(MOUNT) {
        let message = format!(
            "{db} keeps its data in {dir}, not on the tmpfs {MOUNT}: start it with \
             env::DiskTmpfs, from an image whose entrypoint knows \
             ROLLCAGE_PGDATA_TMPFS (./images/build.sh postgres)"
        );
        return Err(FaultError::Failed {
            fault: FaultKind::DiskFull,
            message,
        });
    }
    let files: Vec<String> = FILL.iter().map(|f| format!("{MOUNT}/{f}")).collect();
    // Refuses anything but the tmpfs: filling the container's own layer would fill the host.
    let script = format!(
        "grep -q \" $0 tmpfs \" /proc/mounts || exit 3; \
         dd if=/dev/zero of=\"$1\" bs=1M 2>/dev/null; dd if=/dev/zero of=\"$2\" bs=4k 2>/dev/null; \
         {FREE_KB}"
    );
    let cmd = ["sh", "-c", &script, MOUNT, &files[0], &files[1]];
    let out = env.sandbox.exec(&env.db, &cmd).await?;
    if out.exit_code != 0 {
        let message = match out.exit_code {
            3 => format!("{MOUNT} is not a tmpfs in {db}: start the database with env::DiskTmpfs"),
            code => format!(
                "filling {MOUNT} in {db} failed ({code}): {}",
                out.output.trim()
            ),
        };
        return Err(FaultError::Failed {
            fault: FaultKind::DiskFull,
            message,
        });
    }
    let free = out.output.trim();
    let probe = probe(&env.pool).await;
    let what = format!("filled {MOUNT} in {db} ({free} kB left); a 100000-row write {probe}");
    let container = db.clone();
    Ok(Injected::healed_by(what, RemoveFill { container, files }))
}

/// One write that needs new pages, so it cannot fit in space already allocated.
async fn probe(pool: &PgPool) -> String {
    let create = "CREATE TABLE rollcage_disk_full_probe AS SELECT generate_series(1, 100000) AS n";
    let attempt = sqlx::query(create).execute(pool);
    match tokio::time::timeout(Duration::from_secs(5), attempt).await {
        Ok(Err(e)) => format!("fails: {e}"),
        Err(_) => "got no answer within 5 s".to_string(),
        Ok(Ok(_)) => {
            let _ = sqlx::query("DROP TABLE rollcage_disk_full_probe")
                .execute(pool)
                .await;
            "still succeeded".to_string()
        }
    }
}

async fn heal(ctx: &HealContext, container: &str, files: &[String]) -> Result<String, FaultError> {
    let script = format!("rm -f \"$1\" \"$2\" && {FREE_KB}");
    let cmd = ["sh", "-c", &script, MOUNT, &files[0], &files[1]];
    let out = ctx.engine.exec(container, &cmd).await?;
    if out.exit_code != 0 {
        let message = format!("removing the fill in {container}: {}", out.output.trim());
        return Err(FaultError::Failed {
            fault: FaultKind::DiskFull,
            message,
        });
    }
    Ok(format!(
        "removed the fill from {MOUNT} in {container} ({} kB free)",
        out.output.trim()
    ))
}
