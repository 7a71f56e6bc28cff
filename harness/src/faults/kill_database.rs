//! Fault `kill-database`: the PostgreSQL container is SIGKILLed (an OOM kill, a node loss);
//! when the fault heals it is started again from the same writable layer, so committed data
//! survives and the server runs crash recovery, as after a real crash.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;

use super::{FaultError, Heal, HealContext, Injected, Kind};
use crate::db::DbTarget;
use crate::env::DrillEnv;
use crate::scenario::{FaultParams, FaultSpec};
use crate::vocab::FaultKind;

static SPEC: FaultSpec = FaultSpec::new(FaultKind::KillDatabase, |_| {
    "SIGKILL the database container".into()
})
.heals()
.restarts_database();

pub struct KillDatabase;

impl Kind for KillDatabase {
    fn spec(&self) -> &'static FaultSpec {
        &SPEC
    }

    fn inject<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        _p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>> {
        Box::pin(inject(env))
    }
}

/// Start the killed database again and wait until it accepts connections.
#[derive(Debug)]
struct StartDatabase {
    container: String,
    target: DbTarget,
}

impl Heal for StartDatabase {
    fn heal(self: Box<Self>, ctx: &HealContext) -> BoxFuture<'_, Result<String, FaultError>> {
        Box::pin(async move { heal(ctx, &self.container, self.target).await })
    }
}

/// How long the restarted server may take to accept connections (crash recovery included).
pub(super) const READY_WITHIN: Duration = Duration::from_secs(20);

/// Kills the database container and waits until its process is gone.
async fn inject(env: &mut DrillEnv) -> Result<Injected, FaultError> {
    let db = env.db.clone();
    env.sandbox.kill(&db, "SIGKILL").await?;
    env.sandbox
        .engine()
        .await_stopped(&db.name, Duration::from_secs(5))
        .await?;
    let what = format!("SIGKILL {} at {}", db.name, db.ip);
    let heal = StartDatabase {
        container: db.name,
        target: env.target.clone(),
    };
    Ok(Injected::healed_by(what, heal))
}

async fn heal(ctx: &HealContext, container: &str, target: DbTarget) -> Result<String, FaultError> {
    let start = Instant::now();
    if !ctx.engine.start_existing(container).await? {
        return Err(FaultError::Failed {
            fault: FaultKind::KillDatabase,
            message: format!("{container} is gone: nothing to start"),
        });
    }
    let ip = await_ready(ctx, FaultKind::KillDatabase, container, target).await?;
    let took = start.elapsed().as_millis();
    Ok(format!(
        "started {container} again at {ip}; accepting connections after {took} ms"
    ))
}

/// Waits until the (re)started database accepts connections at its current address, and
/// points the fault proxy there. Returns the address.
pub(super) async fn await_ready(
    ctx: &HealContext,
    fault: FaultKind,
    container: &str,
    mut target: DbTarget,
) -> Result<Ipv4Addr, FaultError> {
    let ip = ctx.engine.container_ip(container, &ctx.network).await?;
    target.host = ip.ok_or_else(|| FaultError::Failed {
        fault,
        message: format!(
            "{container} has no address on {} after its start",
            ctx.network
        ),
    })?;
    if let Some(proxy) = &ctx.proxy {
        proxy.set_upstream(SocketAddr::new(target.host.into(), target.port));
    }
    let pool = target
        .connect(READY_WITHIN)
        .await
        .map_err(|source| FaultError::Db {
            fault,
            what: format!("{container} did not come back"),
            source,
        })?;
    pool.close().await;
    Ok(target.host)
}
