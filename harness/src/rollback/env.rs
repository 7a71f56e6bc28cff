//! `DrillEnv`: one drill's running environment — sandbox, database, extra services — and the
//! upkeep faults need (heal handles, finding moved containers again).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use sqlx::postgres::PgPool;

use super::DrillError;
use crate::db::DbTarget;
use crate::faults::{self, HealContext, ProxyHandle};
use crate::runtime::{Container, ContainerSpec, Engine, RuntimeError, Sandbox};
use crate::scenario::Scenario;
use crate::traffic::{Client, Endpoint};

/// The network alias the database answers to from the app's side.
pub const DB_ALIAS: &str = "db";

pub struct DrillEnv {
    pub sandbox: Sandbox,
    pub db: Container,
    pub target: DbTarget,
    pub pool: PgPool,
    pub client: Client,
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
}

impl DrillEnv {
    /// Creates the network, starts the database (waiting until it accepts connections) and
    /// the scenario's extra services.
    pub async fn start(engine: &Engine, s: &Scenario) -> Result<DrillEnv, DrillError> {
        DrillEnv::start_with(engine, s, false).await
    }

    /// `start`, with the database's data directory on a tmpfs whatever the scenario's faults
    /// (`ready_for_disk_full`), as a server shared by many drills needs.
    pub async fn start_with(
        engine: &Engine,
        s: &Scenario,
        ready_for_disk_full: bool,
    ) -> Result<DrillEnv, DrillError> {
        let sandbox = Sandbox::create(engine).await?;
        let d = &s.database;
        let mut spec = ContainerSpec::new(DB_ALIAS, &d.image)
            .env("POSTGRES_USER", &d.user)
            .env("POSTGRES_PASSWORD", &d.password)
            .env("POSTGRES_DB", &d.name);
        spec.env
            .extend(d.env.iter().map(|(k, v)| (k.clone(), v.clone())));
        if ready_for_disk_full {
            let (tmpfs, env) = faults::db_disk_full_ready();
            spec.tmpfs.extend([tmpfs]);
            spec.env.push(env);
        } else {
            spec.env.extend(faults::db_env(s));
            spec.tmpfs.extend(faults::db_tmpfs(s));
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
        DrillEnv::assemble(sandbox, db, target, pool, s).await
    }

    /// The environment around a started database: a client, the release images, and the fault
    /// proxy in front of the database when the drill's faults need one.
    pub(super) async fn assemble(
        sandbox: Sandbox,
        db: Container,
        target: DbTarget,
        pool: PgPool,
        s: &Scenario,
    ) -> Result<DrillEnv, DrillError> {
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
        };
        if faults::needs_proxy(s) {
            let proxy = faults::start_proxy(&env).await?;
            env.app_db = (proxy.addr().ip().to_string(), proxy.addr().port());
            env.proxy = Some(proxy);
        }
        Ok(env)
    }

    /// Owned handles a background heal needs.
    pub fn heal_context(&self, s: &Scenario) -> HealContext {
        HealContext {
            engine: self.sandbox.engine().clone(),
            network: self.sandbox.network().to_string(),
            endpoint: self.endpoint.clone(),
            app_port: s.app.port,
            proxy: self.proxy.clone(),
        }
    }

    /// Finds the database and the app again after faults moved them (a restarted or
    /// reconnected container may get a new address): reconnects the pool, re-points traffic.
    pub async fn refresh(&mut self) -> Result<(), DrillError> {
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

    pub fn serving_addr(&self) -> Option<SocketAddr> {
        self.endpoint.get()
    }

    /// Removes everything the drill started.
    pub async fn teardown(self) -> Result<(), RuntimeError> {
        self.pool.close().await;
        self.sandbox.teardown().await
    }
}
