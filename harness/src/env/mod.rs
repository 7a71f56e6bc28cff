//! `DrillEnv`: one drill's running environment — sandbox, database, extra services, the app
//! container serving now, and the fault proxy when the drill needs one — and the upkeep faults
//! need (finding moved containers again). Faults and the engine build on it; it knows neither.

mod adopt;
mod app;
mod disk;
mod migrator;
mod proxy;
mod serving;

pub use app::ReleaseExited;
pub use disk::{DiskTmpfs, TMPFS_MOUNT};
pub use migrator::{CommandRun, MigratorError};
pub use proxy::ProxyHandle;
pub use serving::ServingLog;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use sqlx::postgres::PgPool;

use crate::db::{DbError, DbTarget};
use crate::runtime::{Container, ContainerSpec, Engine, RuntimeError, Sandbox};
use crate::scenario::Scenario;
use crate::traffic::{Client, Endpoint};

/// Why a drill's environment could not be set up or kept up.
#[derive(Debug, thiserror::Error)]
pub enum EnvError {
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("starting the fault proxy: {what}")]
    Proxy {
        what: String,
        #[source]
        source: Option<std::io::Error>,
    },
}

/// What a drill's faults need from its environment, decided before anything starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EnvNeeds {
    /// A TCP proxy between the app and the database (latency, connection resets).
    pub proxy: bool,
    /// The database's data directory on a small tmpfs (disk-full).
    pub disk_tmpfs: bool,
}

/// The network alias the database answers to from the app's side (scenario validation keeps
/// services off it).
pub use crate::scenario::DB_ALIAS;

/// One drill's running environment, owned by the drill and torn down after it.
pub struct DrillEnv {
    /// The run's network and every container on it.
    pub sandbox: Sandbox,
    /// The database container.
    pub db: Container,
    /// Where the database listens, from the host's side; follows it when it moves.
    pub target: DbTarget,
    /// Connections to the database, reopened by `refresh` when its address changes.
    pub pool: PgPool,
    /// HTTP client with the scenario's request timeout.
    pub client: Client,
    /// The address of the release serving now (shared with the workload).
    pub endpoint: Endpoint,
    /// Image reference each release is started from (run-owned copies for faulted releases).
    pub images: HashMap<String, String>,
    /// The app container serving now, and which release it runs.
    pub app: Option<(Container, String)>,
    /// Where the app is told the database is (`{db.host}`, `{db.port}`): the database's
    /// alias, or a fault proxy in front of it.
    pub app_db: (String, u16),
    /// The fault proxy between the app and the database, when the drill's faults need one.
    pub proxy: Option<ProxyHandle>,
    /// Run-owned image copies by release (the only images a fault may delete).
    pub copies: HashMap<String, String>,
    /// Which release served from when: each cut-over, in order.
    pub serving: ServingLog,
}

impl DrillEnv {
    /// Creates the network, starts the database (waiting until it accepts connections) and
    /// the scenario's extra services.
    /// `needs` says what the drill's faults require of it.
    pub async fn start(
        engine: &Engine,
        s: &Scenario,
        needs: EnvNeeds,
    ) -> Result<DrillEnv, EnvError> {
        let sandbox = Sandbox::create(engine).await?;
        let d = &s.database;
        let mut spec = ContainerSpec::new(DB_ALIAS, &d.image)
            .env("POSTGRES_USER", &d.user)
            .env("POSTGRES_PASSWORD", d.password())
            .env("POSTGRES_DB", &d.name);
        spec.env
            .extend(d.env.iter().map(|(k, v)| (k.clone(), v.clone())));
        if needs.disk_tmpfs {
            spec.tmpfs.extend([DiskTmpfs::mount()]);
            spec.env.push(DiskTmpfs::env());
        }
        let db = sandbox.start(&spec).await?;
        let target = DbTarget::of(db.ip, d);
        let pool = target.connect(d.ready_timeout).await?;
        for svc in &s.services {
            let mut spec = ContainerSpec::new(&svc.name, &svc.image);
            spec.env
                .extend(svc.env.iter().map(|(k, v)| (k.clone(), v.clone())));
            spec.cmd = svc.cmd.clone();
            sandbox.start(&spec).await?;
        }
        DrillEnv::assemble(sandbox, db, target, pool, s, needs).await
    }

    /// The environment around a started database: a client, the release images, and the fault
    /// proxy in front of the database when the drill's faults need one.
    pub(super) async fn assemble(
        sandbox: Sandbox,
        db: Container,
        target: DbTarget,
        pool: PgPool,
        s: &Scenario,
        needs: EnvNeeds,
    ) -> Result<DrillEnv, EnvError> {
        let images = s
            .releases
            .iter()
            .map(|r| (r.name.clone(), r.image.clone()))
            .collect();
        let mut env = DrillEnv {
            sandbox,
            db,
            target,
            pool,
            client: Client::new(s.traffic.request_timeout),
            endpoint: Endpoint::default(),
            images,
            app: None,
            app_db: (DB_ALIAS.to_string(), s.database.port),
            proxy: None,
            copies: HashMap::new(),
            serving: ServingLog::default(),
        };
        if needs.proxy {
            let proxy = proxy::start(&env).await?;
            env.app_db = (proxy.addr().ip().to_string(), proxy.addr().port());
            env.proxy = Some(proxy);
        }
        Ok(env)
    }

    /// Finds the database and the app again after faults moved them (a restarted or
    /// reconnected container may get a new address): reconnects the pool, re-points traffic.
    pub async fn refresh(&mut self) -> Result<(), EnvError> {
        if let Some(ip) = self.sandbox.current_ip(&self.db).await? {
            if ip != self.target.host {
                self.db.ip = ip;
                self.target.host = ip;
                self.pool = self.target.connect(Duration::from_secs(20)).await?;
            }
        }
        if let Some((app, _)) = &mut self.app {
            if let Some(ip) = self.sandbox.current_ip(app).await? {
                if ip != app.ip {
                    let port = self.endpoint.get().map(|a| a.port()).unwrap_or_default();
                    app.ip = ip;
                    self.endpoint.set(Some(SocketAddr::new(ip.into(), port)));
                }
            }
        }
        Ok(())
    }

    /// The address of the release serving now; `None` while no release serves.
    pub fn serving_addr(&self) -> Option<SocketAddr> {
        self.endpoint.get()
    }

    /// Removes everything the drill started.
    pub async fn teardown(self) -> Result<(), RuntimeError> {
        self.pool.close().await;
        self.sandbox.teardown().await
    }
}
