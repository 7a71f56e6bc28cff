//! `DrillEnv`: one drill's running environment — sandbox, database, extra services — and how
//! a release's app container is started and made the one that serves.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Instant;

use sqlx::postgres::PgPool;

use super::DrillError;
use crate::db::DbTarget;
use crate::runtime::{Container, ContainerSpec, Engine, RuntimeError, Sandbox};
use crate::scenario::{Release, Scenario};
use crate::traffic::{probe_until_healthy, Client, Endpoint, Probe};

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
}

impl DrillEnv {
    /// Creates the network, starts the database (waiting until it accepts connections) and
    /// the scenario's extra services.
    pub async fn start(engine: &Engine, s: &Scenario) -> Result<DrillEnv, DrillError> {
        let sandbox = Sandbox::create(engine).await?;
        let d = &s.database;
        let mut spec = ContainerSpec::new(DB_ALIAS, &d.image)
            .env("POSTGRES_USER", &d.user)
            .env("POSTGRES_PASSWORD", &d.password)
            .env("POSTGRES_DB", &d.name);
        spec.env
            .extend(d.env.iter().map(|(k, v)| (k.clone(), v.clone())));
        let db = sandbox.start(&spec).await?;
        let target = DbTarget {
            host: db.ip,
            port: d.port,
            user: d.user.clone(),
            password: d.password.clone(),
            name: d.name.clone(),
        };
        let pool = target.connect(d.ready_timeout).await?;
        for svc in &s.services {
            let mut spec = ContainerSpec::new(&svc.name, &svc.image);
            spec.env
                .extend(svc.env.iter().map(|(k, v)| (k.clone(), v.clone())));
            spec.cmd = svc.cmd.clone();
            sandbox.start(&spec).await?;
        }
        let client = Client::new(s.traffic.request_timeout);
        let images = s
            .releases
            .iter()
            .map(|r| (r.name.clone(), r.image.clone()))
            .collect();
        Ok(DrillEnv {
            sandbox,
            db,
            target,
            pool,
            client,
            endpoint: Endpoint::default(),
            images,
            app: None,
        })
    }

    /// The app's env for `release`: scenario-wide env, then the release's, then its flags
    /// unless `flags_off`; `{db.*}` placeholders filled in.
    pub fn app_env(
        &self,
        s: &Scenario,
        release: &Release,
        flags_off: bool,
    ) -> Vec<(String, String)> {
        let d = &s.database;
        let url = format!(
            "postgres://{}:{}@{DB_ALIAS}:{}/{}",
            d.user, d.password, d.port, d.name
        );
        let fill = |v: &str| {
            v.replace("{db.host}", DB_ALIAS)
                .replace("{db.port}", &d.port.to_string())
                .replace("{db.user}", &d.user)
                .replace("{db.password}", &d.password)
                .replace("{db.name}", &d.name)
                .replace("{db.url}", &url)
        };
        let flags = release.flags.iter().filter(|_| !flags_off);
        s.app
            .env
            .iter()
            .chain(release.env.iter())
            .chain(flags)
            .map(|(k, v)| (k.clone(), fill(v)))
            .collect()
    }

    /// Starts `release` from `image` beside whatever serves now and waits for its health.
    /// Returns the container, when its process started, and the probe.
    pub async fn launch(
        &self,
        s: &Scenario,
        release: &Release,
        image: &str,
        flags_off: bool,
    ) -> Result<(Container, Instant, Probe), RuntimeError> {
        let mut spec = ContainerSpec::new("app", image);
        spec.env = self.app_env(s, release, flags_off);
        let requested = Instant::now();
        let c = self.sandbox.start(&spec).await?;
        let started = c.started_instant().unwrap_or(requested);
        let addr = SocketAddr::new(c.ip.into(), s.app.port);
        let probe = probe_until_healthy(
            &self.client,
            addr,
            &s.app.health_path,
            s.app.probe_interval,
            s.app.ready_timeout,
        )
        .await;
        Ok((c, started, probe))
    }

    /// Makes `c` the serving container (traffic moves to it) and removes the previous one.
    pub async fn cut_over(
        &mut self,
        s: &Scenario,
        c: Container,
        release: &str,
    ) -> Result<(), RuntimeError> {
        self.endpoint
            .set(Some(SocketAddr::new(c.ip.into(), s.app.port)));
        if let Some((old, _)) = self.app.replace((c, release.to_string())) {
            // Off the critical path: traffic already goes to the new container.
            self.sandbox.retire(old);
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
