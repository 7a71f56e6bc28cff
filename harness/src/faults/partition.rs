//! Fault `partition`: the database container is cut off the drill network, so the app (and
//! the harness) cannot reach it while it keeps running; healed by attaching it again under
//! its alias, so the app resolves it as before (its address may differ).

use std::net::SocketAddr;

use futures_util::future::BoxFuture;

use super::{FaultError, Heal, HealContext, Injected, Kind};
use crate::env::DrillEnv;
use crate::scenario::{FaultParams, FaultSpec};
use crate::vocab::FaultKind;

static SPEC: FaultSpec = FaultSpec::new(FaultKind::Partition, |_| {
    "cut the database off the network".into()
})
.heals();

pub struct Partition;

impl Kind for Partition {
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

/// Attach the database to the drill network again under its alias.
#[derive(Debug)]
struct Reconnect {
    container: String,
    alias: String,
}

impl Heal for Reconnect {
    fn heal(self: Box<Self>, ctx: &HealContext) -> BoxFuture<'_, Result<String, FaultError>> {
        Box::pin(async move { heal(ctx, &self.container, &self.alias).await })
    }
}

async fn inject(env: &mut DrillEnv) -> Result<Injected, FaultError> {
    let network = env.sandbox.network().to_string();
    let db = &env.db;
    env.sandbox.engine().detach(&network, &db.name).await?;
    let what = format!("cut {} ({}) off {network}", db.name, db.ip);
    // The container's role is the alias the others know it by.
    let heal = Reconnect {
        container: db.name.clone(),
        alias: db.role.clone(),
    };
    Ok(Injected::healed_by(what, heal))
}

async fn heal(ctx: &HealContext, container: &str, alias: &str) -> Result<String, FaultError> {
    ctx.engine.attach(&ctx.network, container, alias).await?;
    let ip = ctx.engine.container_ip(container, &ctx.network).await?;
    let ip = ip.ok_or_else(|| FaultError::Failed {
        fault: FaultKind::Partition,
        message: format!(
            "{container} has no address on {} after reconnecting",
            ctx.network
        ),
    })?;
    if let Some(proxy) = &ctx.proxy {
        let port = proxy.upstream().port();
        proxy.set_upstream(SocketAddr::new(ip.into(), port));
    }
    Ok(format!(
        "reconnected {container} to {} as {alias:?} at {ip}",
        ctx.network
    ))
}
