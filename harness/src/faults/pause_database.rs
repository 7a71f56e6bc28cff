//! Fault `pause-database`: every PostgreSQL process is frozen (the cgroup freezer), as in a
//! long GC-like stall or a VM pause: connections stay open, nothing answers, nothing fails
//! fast. Healed by thawing it.

use super::{FaultError, HealAction, HealContext};
use crate::env::DrillEnv;

pub async fn inject(env: &mut DrillEnv) -> Result<(String, HealAction), FaultError> {
    env.sandbox.pause(&env.db).await?;
    let what = format!("froze every process of {}", env.db.name);
    Ok((
        what,
        HealAction::Unpause {
            container: env.db.name.clone(),
        },
    ))
}

pub async fn heal(ctx: &HealContext, container: &str) -> Result<String, FaultError> {
    ctx.engine.unpause(container).await?;
    Ok(format!("thawed {container}"))
}
