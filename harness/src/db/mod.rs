//! The database side of a drill: connections (`DbTarget`), migrations (`MigrationSet`),
//! the catalog snapshot and its diff, and the pre-deploy snapshot used for restores.

mod catalog;
mod command;
mod interrupted;
mod migrate;
mod rows;
mod statements;

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

pub use catalog::Catalog;
pub use command::CommandRecord;
pub use migrate::{applied_version, MigrationSet, MigrationStep};
pub use rows::{DataSnapshot, RowHashes, TableData, MAX_ROWS};

/// Errors of database operations, each naming what was being done.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The server kept refusing connections until the timeout passed.
    #[error("database at {addr} did not accept connections within {waited:?}")]
    NotReady {
        /// `host:port` that was tried.
        addr: String,
        /// How long connecting was retried.
        waited: Duration,
        /// The last connection error.
        #[source]
        source: sqlx::Error,
    },
    /// A release's migrations folder could not be read.
    #[error("reading migrations from {path}")]
    LoadMigrations {
        /// The migrations folder.
        path: String,
        /// sqlx's error.
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    /// An up migration failed.
    #[error("applying migration {version} ({description})")]
    Apply {
        /// Version of the failed migration.
        version: i64,
        /// Its description (from the file name).
        description: String,
        /// The database's error.
        #[source]
        source: sqlx::Error,
    },
    /// A down migration failed.
    #[error("reverting migration {version} ({description})")]
    Revert {
        /// Version of the migration being reverted.
        version: i64,
        /// Its description (from the file name).
        description: String,
        /// The database's error.
        #[source]
        source: sqlx::Error,
    },
    /// An applied migration above the rollback target has no down file, so the schema cannot
    /// go back; raised before anything is reverted.
    #[error("migration {version} ({description}) has no down migration: the schema cannot be rolled back past it")]
    NoDownMigration {
        /// Version of the migration without a down file.
        version: i64,
        /// Its description (from the file name).
        description: String,
    },
    /// sqlx's table marks a migration as failed partway, so nothing is applied or reverted.
    #[error("database is dirty at migration {version} (a previous run failed halfway)")]
    Dirty {
        /// Version of the migration left unfinished.
        version: i64,
    },
    /// Any other query failed.
    #[error("{what}")]
    Query {
        /// What the query was doing (the error's whole message).
        what: String,
        /// The database's error.
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
    /// Address of the database container.
    pub host: Ipv4Addr,
    /// TCP port the server listens on.
    pub port: u16,
    /// Role to log in as.
    pub user: String,
    /// That role's password.
    pub password: String,
    /// Name of the database to connect to.
    pub name: String,
}

impl DbTarget {
    /// The scenario's database, served at `host`.
    pub fn of(host: Ipv4Addr, d: &crate::scenario::Database) -> DbTarget {
        DbTarget {
            host,
            port: d.port,
            user: d.user.clone(),
            password: d.password().to_string(),
            name: d.name.clone(),
        }
    }

    /// Connection options for the target's own database.
    pub fn options(&self) -> PgConnectOptions {
        self.options_for(&self.name)
    }

    /// Connection options for another database on the same server, as the same role.
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
