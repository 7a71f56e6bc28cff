//! `MigrationSet`: one release's sqlx migrations folder, applied forward and reverted to an
//! earlier release's version step by step, each step timed.
//!
//! sqlx's `Migrator::undo` silently skips versions that have no down file; a rollback that
//! cannot revert must fail loudly instead, so reverting checks every version first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::migrate::{Migrate, MigrateError, Migration, Migrator};
use sqlx::postgres::PgPool;

use super::DbError;

/// The migrations of one release, as of that release.
#[derive(Debug)]
pub struct MigrationSet {
    path: PathBuf,
    pub(super) migrator: Migrator,
}

/// One migration applied or reverted, and how long it took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MigrationStep {
    /// The migration's version.
    pub version: i64,
    /// Its description (from the file name).
    pub description: String,
    /// `up` when applied, `down` when reverted.
    pub direction: &'static str,
    /// How long it took (serialized in milliseconds).
    #[serde(with = "crate::vocab::millis")]
    pub took: Duration,
    /// The command that ran it, for command migrations (version 0 then: the tool keeps its
    /// own versions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<super::CommandRecord>,
}

/// A `MigrationStep` as the JSON report writes it, its direction still text.
#[derive(Deserialize)]
struct StepJson {
    version: i64,
    description: String,
    direction: String,
    #[serde(with = "crate::vocab::millis")]
    took: Duration,
    #[serde(default)]
    command: Option<super::CommandRecord>,
}

// By hand: derived, serde would take the `&'static str` as borrowed from the input.
impl<'de> Deserialize<'de> for MigrationStep {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        StepJson::deserialize(d)?
            .try_into()
            .map_err(serde::de::Error::custom)
    }
}

impl TryFrom<StepJson> for MigrationStep {
    type Error = String;
    fn try_from(j: StepJson) -> Result<MigrationStep, String> {
        Ok(MigrationStep {
            version: j.version,
            description: j.description,
            direction: crate::vocab::one_of(&j.direction, &["up", "down", "version"])?,
            took: j.took,
            command: j.command,
        })
    }
}

impl MigrationSet {
    /// Reads the sqlx migrations folder at `path`.
    pub async fn load(path: &Path) -> Result<MigrationSet, DbError> {
        let migrator =
            Migrator::new(path.to_path_buf())
                .await
                .map_err(|source| DbError::LoadMigrations {
                    path: path.display().to_string(),
                    source,
                })?;
        Ok(MigrationSet {
            path: path.to_path_buf(),
            migrator,
        })
    }

    /// The migrations folder it was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn ups(&self) -> impl Iterator<Item = &Migration> {
        self.migrator
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
    }

    /// The version this release's schema is at once fully migrated (0 when it has none).
    pub fn latest_version(&self) -> i64 {
        self.ups().map(|m| m.version).max().unwrap_or(0)
    }

    /// Versions above `target` that have no down migration.
    pub fn irreversible_above(&self, target: i64) -> Vec<(i64, String)> {
        self.ups()
            .filter(|m| m.version > target)
            .filter(|up| {
                !self
                    .migrator
                    .iter()
                    .any(|d| d.version == up.version && d.migration_type.is_down_migration())
            })
            .map(|m| (m.version, m.description.to_string()))
            .collect()
    }

    /// Applies every migration not yet applied, in order.
    pub async fn apply(&self, pool: &PgPool) -> Result<Vec<MigrationStep>, DbError> {
        let mut conn = pool
            .acquire()
            .await
            .map_err(DbError::query("connecting to migrate"))?;
        let applied: Vec<i64> = applied_on(&mut conn).await?;
        let mut steps = Vec::new();
        for m in self.ups() {
            if applied.contains(&m.version) {
                continue;
            }
            let took = conn.apply(m).await.map_err(|e| DbError::Apply {
                version: m.version,
                description: m.description.to_string(),
                source: unwrap_sqlx(e),
            })?;
            steps.push(step(m, "up", took));
        }
        Ok(steps)
    }

    /// Reverts applied migrations above `target`, newest first. Fails before touching anything
    /// when one of them has no down migration.
    pub async fn revert_to(
        &self,
        pool: &PgPool,
        target: i64,
    ) -> Result<Vec<MigrationStep>, DbError> {
        let mut conn = pool
            .acquire()
            .await
            .map_err(DbError::query("connecting to migrate"))?;
        let applied: Vec<i64> = applied_on(&mut conn).await?;
        let downs = self.downs_to(target, &applied)?;
        let mut steps = Vec::new();
        for m in downs {
            let took = conn.revert(m).await.map_err(|e| DbError::Revert {
                version: m.version,
                description: m.description.to_string(),
                source: unwrap_sqlx(e),
            })?;
            steps.push(step(m, "down", took));
        }
        Ok(steps)
    }
}

impl MigrationSet {
    /// The down migrations that take the schema from `applied` back to `target`, newest first;
    /// an error naming the first applied version above `target` that has no down migration.
    pub(super) fn downs_to(
        &self,
        target: i64,
        applied: &[i64],
    ) -> Result<Vec<&Migration>, DbError> {
        if let Some((version, description)) = self
            .irreversible_above(target)
            .into_iter()
            .find(|(v, _)| applied.contains(v))
        {
            return Err(DbError::NoDownMigration {
                version,
                description,
            });
        }
        let mut downs: Vec<&Migration> = self
            .migrator
            .iter()
            .filter(|m| {
                m.migration_type.is_down_migration()
                    && m.version > target
                    && applied.contains(&m.version)
            })
            .collect();
        downs.sort_by_key(|m| std::cmp::Reverse(m.version));
        Ok(downs)
    }
}

/// The applied versions, after making sure sqlx's table exists and no migration is dirty.
pub(super) async fn applied_on(conn: &mut sqlx::PgConnection) -> Result<Vec<i64>, DbError> {
    conn.ensure_migrations_table().await.map_err(migrate_err)?;
    if let Some(version) = conn.dirty_version().await.map_err(migrate_err)? {
        return Err(DbError::Dirty { version });
    }
    let applied = conn.list_applied_migrations().await.map_err(migrate_err)?;
    Ok(applied.into_iter().map(|a| a.version).collect())
}

/// The highest successfully applied version (0 when none), read from sqlx's own table.
pub async fn applied_version(pool: &PgPool) -> Result<i64, DbError> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(pool)
        .await
        .map_err(DbError::query("looking for the migrations table"))?;
    if !exists {
        return Ok(0);
    }
    sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
        .map_err(DbError::query("reading the applied migration version"))
}

pub(super) fn step(m: &Migration, direction: &'static str, took: Duration) -> MigrationStep {
    MigrationStep {
        version: m.version,
        description: m.description.to_string(),
        direction,
        took,
        command: None,
    }
}

fn unwrap_sqlx(e: MigrateError) -> sqlx::Error {
    match e {
        MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => e,
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

pub(super) fn migrate_err(e: MigrateError) -> DbError {
    DbError::Query {
        what: "reading migration state".into(),
        source: unwrap_sqlx(e),
    }
}
