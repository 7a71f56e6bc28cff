//! Lending a drill environment's sandbox and database container to the next drill
//! (`into_parts`, `adopt`, `release`): each drill gets its own database in the shared server.

use std::time::Duration;

use sqlx::Executor;

use super::{DrillEnv, EnvError, EnvNeeds};
use crate::db::{DbError, DbTarget};
use crate::runtime::{Container, Sandbox};
use crate::scenario::Scenario;

impl DrillEnv {
    /// The sandbox and database container, for the next drill to adopt.
    pub async fn into_parts(self) -> (Sandbox, Container) {
        self.pool.close().await;
        (self.sandbox, self.db)
    }

    /// A drill environment in an existing sandbox whose database server is `db`, on a fresh
    /// database named `s.database.name` (created here).
    pub async fn adopt(
        sandbox: Sandbox,
        db: Container,
        s: &Scenario,
        needs: EnvNeeds,
    ) -> Result<DrillEnv, EnvError> {
        let d = &s.database;
        let target = DbTarget::of(db.ip, d);
        admin(
            &target,
            &format!("CREATE DATABASE \"{}\" OWNER \"{}\"", d.name, d.user),
        )
        .await?;
        let pool = target.connect(d.ready_timeout).await?;
        DrillEnv::assemble(sandbox, db, target, pool, s, needs).await
    }

    /// Removes this drill's app containers and database; hands back the sandbox and server.
    pub async fn release(mut self, s: &Scenario) -> Result<(Sandbox, Container), EnvError> {
        // The app goes in the background, overlapping the next drill's start; the sandbox's
        // teardown waits for it at the end.
        if let Some((app, _)) = self.app.take() {
            self.sandbox.retire(app);
        }
        self.pool.close().await;
        let drop = format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            s.database.name
        );
        admin(&self.target, &drop).await?;
        Ok((self.sandbox, self.db))
    }
}

/// Runs one statement on the server's `postgres` database (CREATE/DROP DATABASE cannot run
/// inside the database they name).
async fn admin(target: &DbTarget, sql: &str) -> Result<(), DbError> {
    let mut admin = target.clone();
    admin.name = "postgres".into();
    let pool = admin.connect(Duration::from_secs(5)).await?;
    pool.execute(sql)
        .await
        .map_err(DbError::query(format!("running `{sql}`")))?;
    pool.close().await;
    Ok(())
}
