//! Fault `app-memory-limit`: the serving app container's memory is capped (a tightened quota,
//! a noisy neighbour), swap included, so it slows down, fails or is OOM-killed; healed by
//! raising the cap and, if the cap killed the app, starting it again as a restart policy would.

use std::net::SocketAddr;
use std::time::Duration;

use super::kill_app::{follow, serving};
use super::{FaultError, HealAction, HealContext};
use crate::env::DrillEnv;

/// The engine refuses smaller limits ("Minimum memory limit allowed is 6MB").
const MIN_MB: u32 = 6;
/// What the heal sets: an update cannot remove a limit (0 keeps the current one, -1 is
/// refused), so it raises it far above what the app uses.
const LIFTED: i64 = 1 << 30;

/// Caps the serving container. The engine refuses a cap below what the container already
/// uses (it cannot reclaim it), which fails the injection with the engine's message.
pub async fn inject(
    env: &mut DrillEnv,
    megabytes: u32,
) -> Result<(String, HealAction), FaultError> {
    let (app, release, was) = serving(env, "app-memory-limit")?;
    let mb = megabytes.max(MIN_MB);
    if !env
        .sandbox
        .engine()
        .set_memory(&app.name, i64::from(mb) << 20)
        .await?
    {
        let message = format!("{} is gone", app.name);
        return Err(FaultError::Failed {
            fault: "app-memory-limit",
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
    Ok((
        what,
        HealAction::RaiseMemory {
            container: app.name,
            was,
        },
    ))
}

pub async fn heal(
    ctx: &HealContext,
    container: &str,
    was: SocketAddr,
) -> Result<String, FaultError> {
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
    let back = follow(ctx, "app-memory-limit", container, was).await?;
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
