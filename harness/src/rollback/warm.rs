//! Warm environments for exploration: one sandbox and database container reused across
//! cases, each case on its own fresh database, so a case pays for its own app containers and
//! migrations but not for a network and a PostgreSQL start. The server's data directory is on
//! a tmpfs so `disk-full` can run there too; after each drill the server must answer before
//! it is lent again.

use std::time::Instant;

use super::{drive, DrillError, DrillOutcome, Emitter};
use crate::env::{DrillEnv, EnvNeeds};
use crate::events::DrillEvent;
use crate::faults;
use crate::runtime::{Container, Engine, Sandbox};
use crate::scenario::Scenario;

/// A sandbox and database container kept between drills.
pub struct WarmEnv {
    sandbox: Sandbox,
    db: Container,
    image: String,
    /// The password the server was started with; every case connects with it.
    password: Option<String>,
    cases: u32,
}

impl WarmEnv {
    /// The database password every case in this environment uses.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// Removes the sandbox and everything in it.
    pub async fn close(self) -> Result<(), DrillError> {
        Ok(self.sandbox.teardown().await?)
    }
}

/// Whether a scenario can run in a shared database server: any whose only containers are the
/// database and the app, and whose faults do not restart the server (its data directory is a
/// tmpfs, which a restart empties). Faults on the server heal before the drill ends, and the
/// server is checked before it is lent again.
pub fn can_share(s: &Scenario) -> bool {
    s.services.is_empty() && !s.faults.iter().any(|f| faults::restarts_database(&f.fault))
}

/// Runs a drill in `warm` when the scenario allows it (starting `warm` on first use), and in
/// a fresh environment otherwise.
pub async fn execute_warm(
    engine: &Engine,
    warm: &mut Option<WarmEnv>,
    scenario: &Scenario,
) -> Result<DrillOutcome, DrillError> {
    execute_warm_with(engine, warm, scenario, |_| {}).await
}

/// `execute_warm`, handing each of the drill's events to `on_event` as it happens.
pub async fn execute_warm_with(
    engine: &Engine,
    warm: &mut Option<WarmEnv>,
    scenario: &Scenario,
    on_event: impl FnMut(DrillEvent) + Send,
) -> Result<DrillOutcome, DrillError> {
    if !can_share(scenario)
        || warm
            .as_ref()
            .is_some_and(|w| w.image != scenario.database.image)
    {
        return super::execute_with(engine, scenario, on_event).await;
    }
    let origin = Instant::now();
    let w = match warm.take() {
        Some(w) => w,
        None => {
            let needs = EnvNeeds {
                disk_tmpfs: true,
                ..faults::needs(scenario)
            };
            let env = DrillEnv::start(engine, scenario, needs).await?;
            let (sandbox, db) = env.into_parts().await;
            WarmEnv {
                sandbox,
                db,
                image: scenario.database.image.clone(),
                password: scenario.database.password.clone(),
                cases: 0,
            }
        }
    };
    let case_db = format!("rollcage_case_{}", w.cases + 1);
    let mut s = scenario.clone();
    s.database.name = case_db;
    s.database.password = w.password.clone();
    let mut db = w.db;
    // A fault may have moved the server to another address (a reconnect, a restart).
    if let Ok(Some(ip)) = w.sandbox.current_ip(&db).await {
        db.ip = ip;
    }
    let mut env = match DrillEnv::adopt(w.sandbox, db, &s, faults::needs(&s)).await {
        Ok(env) => env,
        // The server did not come back well from an earlier drill: this one starts afresh.
        Err(_) => return super::execute_with(engine, scenario, on_event).await,
    };
    let emit = Emitter::new(origin, on_event);
    let result = drive::drive(&mut env, &s, emit).await;
    let (sandbox, db) = env.release(&s).await?;
    *warm = Some(WarmEnv {
        sandbox,
        db,
        image: s.database.image.clone(),
        password: w.password,
        cases: w.cases + 1,
    });
    let mut outcome = result?;
    // Reports name the scenario's own database, not the case's private one.
    outcome.scenario = scenario.name.clone();
    Ok(outcome)
}
