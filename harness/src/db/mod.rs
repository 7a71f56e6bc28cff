//! The database side of a drill: connections (`DbTarget`), migrations (`MigrationSet`),
//! the catalog snapshot and its diff, and the pre-deploy snapshot used for restores.

mod catalog;
mod interrupted;
mod migrate;
mod statements;

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

pub use catalog::Catalog;
pub use migrate::{applied_version, MigrationSet, MigrationStep};

/// Errors of database operations, each naming what was being done.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database at {addr} did not accept connections within {waited:?}")]
    NotReady {
        addr: String,
        waited: Duration,
        #[source]
        source: sqlx::Error,
    },
    #[error("reading migrations from {path}")]
    LoadMigrations {
        path: String,
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    #[error("applying migration {version} ({description})")]
    Apply {
        version: i64,
        description: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("reverting migration {version} ({description})")]
    Revert {
        version: i64,
        description: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("migration {version} ({description}) has no down migration: the schema cannot be rolled back past it")]
    NoDownMigration { version: i64, description: String },
    #[error("database is dirty at migration {version} (a previous run failed halfway)")]
    Dirty { version: i64 },
    #[error("{what}")]
    Query {
        what: String,
        #[source]
        source: sqlx::Error,
    },
}

impl DbError {
    pub(crate) fn query(what: impl Into<String>) -> impl FnOnce(sqlx::Error) -> DbError {
        let what = what.into();
        move |source| DbError::Query { what, source }
    }
}

/// Where a database listens and as whom to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbTarget {
    pub host: Ipv4Addr,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub name: String,
}

impl DbTarget {
    /// The scenario's database, served at `host`.
    pub fn of(host: Ipv4Addr, d: &crate::scenario::Database) -> DbTarget {
        DbTarget {
            host,
            port: d.port,
            user: d.user.clone(),
            password: d.password.clone(),
            name: d.name.clone(),
        }
    }

    pub fn options(&self) -> PgConnectOptions {
        self.options_for(&self.name)
    }

    pub fn options_for(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .host(&self.host.to_string())
            .port(self.port)
            .username(&self.user)
            .password(&self.password)
            .database(database)
    }

    /// Connects, retrying until the server accepts connections or `timeout` passes.
    pub async fn connect(&self, timeout: Duration) -> Result<PgPool, DbError> {
        let start = Instant::now();
        loop {
            let attempt = PgPoolOptions::new()
                .max_connections(4)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(self.options())
                .await;
            match attempt {
                Ok(pool) => return Ok(pool),
                Err(source) if start.elapsed() >= timeout => {
                    let addr = format!("{}:{}", self.host, self.port);
                    return Err(DbError::NotReady {
                        addr,
                        waited: start.elapsed(),
                        source,
                    });
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }
}
