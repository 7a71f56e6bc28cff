//! Fault `restart-database`: the PostgreSQL container is stopped (its stop signal, a fast
//! shutdown) and started again, as a minor-version upgrade or a config reload by restart
//! would. Not healed: the fault is over once the server accepts connections again.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;

use super::kill_database::READY_WITHIN;
use super::{FaultError, Injected, Kind};
use crate::env::DrillEnv;
use crate::scenario::{FaultParams, FaultSpec};
use crate::vocab::FaultKind;

static SPEC: FaultSpec = FaultSpec::new(FaultKind::RestartDatabase, |_| {
    "restart the database container".into()
})
.restarts_database();

pub struct RestartDatabase;

impl Kind for RestartDatabase {
    fn spec(&self) -> &'static FaultSpec {
        &SPEC
    }

    fn inject<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        _p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>> {
        Box::pin(async move { Ok(Injected::done(inject(env).await?)) })
    }

    /// The outage is the restart itself, over once `inject` returns.
    fn disrupts_while_injecting(&self) -> bool {
        true
    }
}

/// How long the server may take to shut down before the engine kills it.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// Restarts the database container and waits until it accepts connections; the harness's
/// own pool and the fault proxy follow it if it came back on another address.
async fn inject(env: &mut DrillEnv) -> Result<String, FaultError> {
    let start = Instant::now();
    let engine = env.sandbox.engine().clone();
    let name = env.db.name.clone();
    engine.restart(&name, STOP_GRACE).await?;
    let ip = engine.container_ip(&name, env.sandbox.network()).await?;
    let ip = ip.ok_or_else(|| FaultError::Failed {
        fault: FaultKind::RestartDatabase,
        message: format!("{name} has no address after its restart"),
    })?;
    let mut target = env.target.clone();
    target.host = ip;
    if let Some(proxy) = &env.proxy {
        proxy.set_upstream(SocketAddr::new(ip.into(), target.port));
    }
    let pool = target
        .connect(READY_WITHIN)
        .await
        .map_err(|source| FaultError::Db {
            fault: FaultKind::RestartDatabase,
            what: format!("{name} did not come back"),
            source,
        })?;
    let took = start.elapsed().as_millis();
    let moved = ip != env.target.host;
    if moved {
        env.db.ip = ip;
        env.target = target;
        std::mem::replace(&mut env.pool, pool).close().await;
    } else {
        pool.close().await;
    }
    let note = if moved { " (new address)" } else { "" };
    Ok(format!(
        "restarted {name} at {ip}{note}; accepting connections after {took} ms"
    ))
}
