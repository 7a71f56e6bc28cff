//! Fault `kill-app`: the serving app container is SIGKILLed (a crashed process, an evicted
//! pod); when the fault heals it is started again, as a restart policy would.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use tokio::net::TcpStream;

use super::{FaultError, Heal, HealContext, Injected, Kind};
use crate::env::DrillEnv;
use crate::runtime::Container;
use crate::scenario::{FaultParams, FaultSpec};
use crate::vocab::FaultKind;

static SPEC: FaultSpec = FaultSpec::new(FaultKind::KillApp, |_| {
    "SIGKILL the serving app container".into()
})
.heals();

pub struct KillApp;

impl Kind for KillApp {
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

/// Start the killed app container again; traffic follows it only if it still pointed at
/// `was` (a rollback may have moved traffic elsewhere meanwhile).
#[derive(Debug)]
struct StartApp {
    container: String,
    was: SocketAddr,
}

impl Heal for StartApp {
    fn heal(self: Box<Self>, ctx: &HealContext) -> BoxFuture<'_, Result<String, FaultError>> {
        Box::pin(async move { heal(ctx, &self.container, self.was).await })
    }
}

/// How long a restarted app may take to listen again before the heal reports it as not back.
const LISTEN_WITHIN: Duration = Duration::from_secs(10);

/// Kills the serving container and waits until its process is gone. Traffic keeps going to
/// its address, where requests now fail: that is the outage the drill measures.
async fn inject(env: &mut DrillEnv) -> Result<Injected, FaultError> {
    let (app, release, was) = serving(env, FaultKind::KillApp)?;
    env.sandbox.kill(&app, "SIGKILL").await?;
    env.sandbox
        .engine()
        .await_stopped(&app.name, Duration::from_secs(5))
        .await?;
    let what = format!("SIGKILL {} ({release}) at {was}", app.name);
    let container = app.name;
    Ok(Injected::healed_by(what, StartApp { container, was }))
}

async fn heal(ctx: &HealContext, container: &str, was: SocketAddr) -> Result<String, FaultError> {
    if ctx.endpoint.get() != Some(was) {
        // Traffic moved on (the rollback replaced this container): restarting it would only
        // race its removal.
        return Ok(format!(
            "{container} was replaced meanwhile; nothing to start"
        ));
    }
    if !ctx.engine.start_existing(container).await? {
        return Ok(format!(
            "{container} was replaced meanwhile; nothing to start"
        ));
    }
    Ok(format!(
        "started {container} again; {}",
        follow(ctx, FaultKind::KillApp, container, was).await?
    ))
}

/// The serving app container, its release, and the address traffic goes to.
pub(super) fn serving(
    env: &DrillEnv,
    fault: FaultKind,
) -> Result<(Container, String, SocketAddr), FaultError> {
    let fail = |message: &str| FaultError::Failed {
        fault,
        message: message.to_string(),
    };
    let (app, release) = env
        .app
        .clone()
        .ok_or_else(|| fail("no app container serves yet"))?;
    let addr = env
        .endpoint
        .get()
        .ok_or_else(|| fail("no address serves traffic"))?;
    Ok((app, release, addr))
}

/// After a restart: moves traffic to the container's (maybe new) address if traffic still
/// went to its old one, and waits until it listens. Says what happened.
pub(super) async fn follow(
    ctx: &HealContext,
    fault: FaultKind,
    container: &str,
    was: SocketAddr,
) -> Result<String, FaultError> {
    let start = Instant::now();
    let ip = ctx.engine.container_ip(container, &ctx.network).await?;
    let ip = ip.ok_or_else(|| FaultError::Failed {
        fault,
        message: format!(
            "{container} has no address on {} after its start",
            ctx.network
        ),
    })?;
    let now = SocketAddr::new(ip.into(), ctx.app_port);
    let mut said = format!("at {now}");
    if ctx.endpoint.get() == Some(was) {
        ctx.endpoint.set(Some(now));
    } else {
        said.push_str(" (traffic had moved elsewhere; left there)");
    }
    while start.elapsed() < LISTEN_WITHIN {
        // Bounded: a connect to an address whose container just went away waits for TCP's
        // own timeout, minutes.
        let attempt =
            tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(now)).await;
        if matches!(attempt, Ok(Ok(_))) {
            let ms = start.elapsed().as_millis();
            return Ok(format!("{said}, listening after {ms} ms"));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(format!("{said}, not listening within {LISTEN_WITHIN:?}"))
}
