//! Migrations run as a killed migrator would run them: statement by statement with sqlx's
//! own bookkeeping, stopping dead after statement k (the `kill-migrator` fault).

use sqlx::migrate::Migration;
use sqlx::postgres::PgPool;

use super::migrate::{applied_on, step};
use super::{DbError, MigrationSet, MigrationStep};

impl MigrationSet {
    /// Like `apply`, but the migrator dies after executing `k` statements: a migration in a
    /// transaction that was under way is rolled back (as PostgreSQL does for a dropped
    /// session); a `-- no-transaction` one keeps what it ran. Returns the completed steps and
    /// whether the migrator was stopped before finishing.
    pub async fn apply_stopping(
        &self,
        pool: &PgPool,
        k: u32,
    ) -> Result<(Vec<MigrationStep>, bool), DbError> {
        let applied = applied_versions(pool).await?;
        let pending: Vec<&Migration> = self
            .ups()
            .filter(|m| !applied.contains(&m.version))
            .collect();
        run_stopping(pool, &pending, k, "up").await
    }

    /// Like `revert_to`, stopping after `k` statements.
    pub async fn revert_stopping(
        &self,
        pool: &PgPool,
        target: i64,
        k: u32,
    ) -> Result<(Vec<MigrationStep>, bool), DbError> {
        let applied = applied_versions(pool).await?;
        let downs = self.downs_to(target, &applied)?;
        run_stopping(pool, &downs, k, "down").await
    }
}

async fn applied_versions(pool: &PgPool) -> Result<Vec<i64>, DbError> {
    let mut conn = pool
        .acquire()
        .await
        .map_err(DbError::query("connecting to migrate"))?;
    applied_on(&mut conn).await
}

/// Runs migrations statement by statement with sqlx's bookkeeping, stopping after `k`.
async fn run_stopping(
    pool: &PgPool,
    migrations: &[&Migration],
    mut k: u32,
    direction: &'static str,
) -> Result<(Vec<MigrationStep>, bool), DbError> {
    let mut steps = Vec::new();
    for m in migrations {
        let started = std::time::Instant::now();
        let statements = super::statements::split(&m.sql);
        let fail = |source| match direction {
            "up" => DbError::Apply {
                version: m.version,
                description: m.description.to_string(),
                source,
            },
            _ => DbError::Revert {
                version: m.version,
                description: m.description.to_string(),
                source,
            },
        };
        let mut conn = pool
            .acquire()
            .await
            .map_err(DbError::query("connecting to migrate"))?;
        if !m.no_tx {
            sqlx::query("BEGIN")
                .execute(&mut *conn)
                .await
                .map_err(fail)?;
        }
        for statement in &statements {
            if k == 0 {
                // The process is gone: an open transaction dies with its session.
                if !m.no_tx {
                    sqlx::query("ROLLBACK")
                        .execute(&mut *conn)
                        .await
                        .map_err(fail)?;
                }
                return Ok((steps, true));
            }
            sqlx::raw_sql(statement)
                .execute(&mut *conn)
                .await
                .map_err(fail)?;
            k -= 1;
        }
        if k == 0 && !m.no_tx {
            sqlx::query("ROLLBACK")
                .execute(&mut *conn)
                .await
                .map_err(fail)?;
            return Ok((steps, true));
        }
        let bookkeeping = match direction {
            "up" => sqlx::query(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES ($1, $2, TRUE, $3, $4)",
            )
            .bind(m.version)
            .bind(m.description.to_string())
            .bind(m.checksum.to_vec())
            .bind(started.elapsed().as_nanos() as i64),
            _ => sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1").bind(m.version),
        };
        bookkeeping.execute(&mut *conn).await.map_err(fail)?;
        if !m.no_tx {
            sqlx::query("COMMIT")
                .execute(&mut *conn)
                .await
                .map_err(fail)?;
        }
        steps.push(step(m, direction, started.elapsed()));
    }
    Ok((steps, false))
}
