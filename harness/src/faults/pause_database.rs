//! Fault `pause-database`: every PostgreSQL process is frozen (the cgroup freezer), as in a
//! long GC-like stall or a VM pause: connections stay open, nothing answers, nothing fails
//! fast. Healed by thawing it.

use futures_util::future::BoxFuture;

use super::{FaultError, Heal, HealContext, Injected, Kind};
use crate::env::DrillEnv;
use crate::scenario::{FaultParams, FaultSpec};
use crate::vocab::FaultKind;

static SPEC: FaultSpec =
    FaultSpec::new(FaultKind::PauseDatabase, |_| "freeze the database".into()).heals();

pub struct PauseDatabase;

impl Kind for PauseDatabase {
    fn spec(&self) -> &'static FaultSpec {
        &SPEC
    }

    fn inject<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        _p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>> {
        Box::pin(async move {
            env.sandbox.pause(&env.db).await?;
            let what = format!("froze every process of {}", env.db.name);
            let container = env.db.name.clone();
            Ok(Injected::healed_by(what, Unpause { container }))
        })
    }
}

#[derive(Debug)]
struct Unpause {
    container: String,
}

impl Heal for Unpause {
    fn heal(self: Box<Self>, ctx: &HealContext) -> BoxFuture<'_, Result<String, FaultError>> {
        Box::pin(async move {
            ctx.engine.unpause(&self.container).await?;
            Ok(format!("thawed {}", self.container))
        })
    }
}
