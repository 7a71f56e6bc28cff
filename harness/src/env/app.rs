//! Starting a release's app container beside the one serving (`launch`) and moving traffic to
//! it (`cut_over`), with the environment each release is given.

use std::net::SocketAddr;
use std::time::Instant;

use super::DrillEnv;
use crate::runtime::{Container, ContainerSpec, RuntimeError};
use crate::scenario::{Release, Scenario};
use crate::traffic::{probe_until_healthy, Probe};

impl DrillEnv {
    /// The app's env for `release`: scenario-wide env, then the release's, then its flags
    /// unless `flags_off`; `{db.*}` placeholders filled in.
    pub fn app_env(
        &self,
        s: &Scenario,
        release: &Release,
        flags_off: bool,
    ) -> Vec<(String, String)> {
        let d = &s.database;
        let (host, port) = &self.app_db;
        let url = format!(
            "postgres://{}:{}@{host}:{port}/{}",
            d.user, d.password, d.name
        );
        let fill = |v: &str| {
            v.replace("{db.host}", host)
                .replace("{db.port}", &port.to_string())
                .replace("{db.user}", &d.user)
                .replace("{db.password}", &d.password)
                .replace("{db.name}", &d.name)
                .replace("{db.url}", &url)
        };
        let flags = release.flags.iter().filter(|_| !flags_off);
        let all = s.app.env.iter().chain(release.env.iter()).chain(flags);
        all.map(|(k, v)| (k.clone(), fill(v))).collect()
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
        let (path, every, timeout) = (
            &s.app.health_path,
            s.app.probe_interval,
            s.app.ready_timeout,
        );
        let probe = probe_until_healthy(&self.client, addr, path, every, timeout).await;
        Ok((c, started, probe))
    }

    /// Makes `c` the serving container (traffic moves to it) and retires the previous one.
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
}
