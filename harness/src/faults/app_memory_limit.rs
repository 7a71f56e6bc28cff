//! Fault `app-memory-limit`: the serving app container's memory is capped (a tightened quota,
//! a noisy neighbour), swap included, so it slows down, fails or is OOM-killed; healed by
//! raising the cap and, if the cap killed the app, starting it again as a restart policy would.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::future::BoxFuture;

use super::kill_app::{follow, serving};
use super::{FaultError, Heal, HealContext, Injected, Kind};
use crate::env::DrillEnv;
use crate::scenario::{FaultParams, FaultSpec, Param, ParamType, ParamValue, Scenario};
use crate::vocab::FaultKind;

/// The engine refuses smaller limits ("Minimum memory limit allowed is 6MB").
const MIN_MB: u32 = 6;

/// The cap.
const MEGABYTES: Param = Param {
    name: "megabytes",
    ty: ParamType::Count {
        default: 16,
        at_least: Some((MIN_MB, "the engine's smallest memory limit")),
    },
};

static SPEC: FaultSpec = FaultSpec::new(FaultKind::AppMemoryLimit, plan)
    .params(&[MEGABYTES])
    .heals();

fn plan(p: &FaultParams) -> String {
    format!("cap the app's memory at {} MB", MEGABYTES.count(p))
}

pub struct AppMemoryLimit;

impl Kind for AppMemoryLimit {
    fn spec(&self) -> &'static FaultSpec {
        &SPEC
    }

    /// 8 MB to 32 MB.
    fn generate(&self, _s: &Scenario, choice: u32) -> FaultParams {
        let mut p = FaultParams::default();
        MEGABYTES.set(&mut p, ParamValue::Count(8 + 8 * choice));
        p
    }

    fn inject<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>> {
        Box::pin(inject(env, MEGABYTES.count(p)))
    }
}

/// Lift the app's memory cap (and start it again if the cap killed it).
#[derive(Debug)]
struct RaiseMemory {
    container: String,
    was: SocketAddr,
}

impl Heal for RaiseMemory {
    fn heal(self: Box<Self>, ctx: &HealContext) -> BoxFuture<'_, Result<String, FaultError>> {
        Box::pin(async move { heal(ctx, &self.container, self.was).await })
    }
}
/// What the heal sets: an update cannot remove a limit (0 keeps the current one, -1 is
/// refused), so it raises it far above what the app uses.
const LIFTED: i64 = 1 << 30;

/// Caps the serving container. The engine refuses a cap below what the container already
/// uses (it cannot reclaim it), which fails the injection with the engine's message.
async fn inject(env: &mut DrillEnv, megabytes: u32) -> Result<Injected, FaultError> {
    let (app, release, was) = serving(env, FaultKind::AppMemoryLimit)?;
    let mb = megabytes.max(MIN_MB);
    if !env
        .sandbox
        .engine()
        .set_memory(&app.name, i64::from(mb) << 20)
        .await?
    {
        let message = format!("{} is gone", app.name);
        return Err(FaultError::Failed {
            fault: FaultKind::AppMemoryLimit,
            message,
        });
    }
    let note = if mb != megabytes {
        format!(" ({megabytes} MB asked; the engine's minimum is {MIN_MB} MB)")
    } else {
        String::new()
    };
    let what = format!(
        "capped {} ({release}) at {mb} MB, swap included{note}",
        app.name
    );
    let container = app.name;
    Ok(Injected::healed_by(what, RaiseMemory { container, was }))
}

async fn heal(ctx: &HealContext, container: &str, was: SocketAddr) -> Result<String, FaultError> {
    if !lift(ctx, container).await? {
        return Ok(format!(
            "{container} was replaced meanwhile; no cap to lift"
        ));
    }
    let raised = format!("raised {container}'s memory limit to {} MiB", LIFTED >> 20);
    let state = ctx.engine.container_state(container).await?;
    if state.running {
        return Ok(raised);
    }
    let how = if state.oom_killed {
        "OOM-killed"
    } else {
        "stopped"
    };
    ctx.engine.start_existing(container).await?;
    let back = follow(ctx, FaultKind::AppMemoryLimit, container, was).await?;
    Ok(format!("{raised}; it had been {how}: started again {back}"))
}

/// Raises the cap. While the engine records an OOM kill it refuses updates ("cannot update a
/// stopped container") for a moment, so a refusal is retried for up to a second.
async fn lift(ctx: &HealContext, container: &str) -> Result<bool, FaultError> {
    let mut tries = 20;
    loop {
        match ctx.engine.set_memory(container, LIFTED).await {
            Err(_) if tries > 0 => tries -= 1,
            done => return Ok(done?),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
