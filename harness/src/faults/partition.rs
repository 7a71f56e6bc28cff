//! Fault `partition`: the database container is cut off the drill network, so the app (and
//! the harness) cannot reach it while it keeps running; healed by attaching it again under
//! its alias, so the app resolves it as before (its address may differ).

use std::net::SocketAddr;

use super::{FaultError, HealAction, HealContext};
use crate::env::DrillEnv;

pub async fn inject(env: &mut DrillEnv) -> Result<(String, HealAction), FaultError> {
    let network = env.sandbox.network().to_string();
    let db = &env.db;
    env.sandbox.engine().detach(&network, &db.name).await?;
    let what = format!("cut {} ({}) off {network}", db.name, db.ip);
    // The container's role is the alias the others know it by.
    let heal = HealAction::Reconnect {
        container: db.name.clone(),
        alias: db.role.clone(),
    };
    Ok((what, heal))
}

pub async fn heal(ctx: &HealContext, container: &str, alias: &str) -> Result<String, FaultError> {
    ctx.engine.attach(&ctx.network, container, alias).await?;
    let ip = ctx.engine.container_ip(container, &ctx.network).await?;
    let ip = ip.ok_or_else(|| FaultError::Failed {
        fault: "partition",
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
