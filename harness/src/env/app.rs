//! Starting a release's app container beside the one serving (`launch`), watching it while
//! waiting for its health so a release that dies is reported at once (`ReleaseExited`), and
//! moving traffic to it (`cut_over`), with the environment each release is given.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::DrillEnv;
use crate::runtime::{Container, ContainerExit, ContainerSpec, RuntimeError};
use crate::scenario::{Release, Scenario};
use crate::traffic::{probe_unless, Probe};

/// How often `launch` asks the engine whether the release's process still runs, should the
/// engine's wait call fail: a release that dies is reported this long after, not when the
/// ready timeout runs out.
const WATCH_EVERY: Duration = Duration::from_millis(100);
/// When the watch starts after the container did. Asking the engine about a container in its
/// first moments delays the release's own start (time to healthy measured ~20 ms long), and a
/// process that dies at once is caught by the start itself (it never gets an address).
const WATCH_AFTER: Duration = Duration::from_millis(500);

/// A release whose process exited (or was restarted) before it answered healthy.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{release} {} before it became healthy", ended(.exit.restarted))]
pub struct ReleaseExited {
    /// The release's name.
    pub release: String,
    /// The container it ran in (left in place until the sandbox's teardown).
    pub container: String,
    /// How its process ended, as the engine recorded it.
    #[source]
    pub exit: ContainerExit,
}

/// The verb for how a process ended.
fn ended(restarted: bool) -> &'static str {
    if restarted {
        "restarted"
    } else {
        "exited"
    }
}

/// A release started by `launch`, and how waiting for its health ended.
#[derive(Debug)]
pub struct Launched {
    /// When its process started (the engine's record; when it was requested, if unknown).
    pub started: Instant,
    /// The health probe: healthy, or the last answer before the timeout or the exit.
    pub probe: Probe,
    /// The running container (healthy or not), or how its process ended; a dead container is
    /// left to the sandbox's teardown.
    pub container: Result<Container, ReleaseExited>,
}

impl DrillEnv {
    /// The app's env for `release`: scenario-wide env, then the release's, then its flags
    /// unless `flags_off`; `{db.*}` placeholders filled in.
    pub fn app_env(
        &self,
        s: &Scenario,
        release: &Release,
        flags_off: bool,
    ) -> Vec<(String, String)> {
        let flags = release.flags.iter().filter(|_| !flags_off);
        let all = s.app.env.iter().chain(release.env.iter()).chain(flags);
        all.map(|(k, v)| (k.clone(), self.fill_db(s, v))).collect()
    }

    /// `value` with its `{db.*}` placeholders filled in, as the app sees the database.
    pub fn fill_db(&self, s: &Scenario, value: &str) -> String {
        let d = &s.database;
        let (host, port) = &self.app_db;
        let url = format!(
            "postgres://{}:{}@{host}:{port}/{}",
            d.user,
            d.password(),
            d.name
        );
        value
            .replace("{db.host}", host)
            .replace("{db.port}", &port.to_string())
            .replace("{db.user}", &d.user)
            .replace("{db.password}", d.password())
            .replace("{db.name}", &d.name)
            .replace("{db.url}", &url)
    }

    /// Starts `release` from `image` beside whatever serves now and waits for its health,
    /// watching its process meanwhile: waiting ends at once if the process exits or restarts.
    pub async fn launch(
        &self,
        s: &Scenario,
        release: &Release,
        image: &str,
        flags_off: bool,
    ) -> Result<Launched, RuntimeError> {
        let mut spec = ContainerSpec::new(crate::scenario::APP_ALIAS, image);
        spec.env = self.app_env(s, release, flags_off);
        let requested = Instant::now();
        let exited = |container: &str, exit| ReleaseExited {
            release: release.name.clone(),
            container: container.to_string(),
            exit,
        };
        let c = match self.sandbox.start(&spec).await {
            Ok(c) => c,
            Err(RuntimeError::ExitedAtStart { name, exit }) => {
                return Ok(Launched {
                    started: requested,
                    probe: Probe::default(),
                    container: Err(exited(&name, exit)),
                })
            }
            Err(e) => return Err(e),
        };
        let started = c.started_instant().unwrap_or(requested);
        let addr = SocketAddr::new(c.ip.into(), s.app.port);
        let (path, every, timeout) = (
            &s.app.health_path,
            s.app.probe_interval,
            s.app.ready_timeout,
        );
        let engine = self.sandbox.engine();
        let gone = async {
            tokio::time::sleep(WATCH_AFTER).await;
            match engine.until_exit(&c.name, WATCH_EVERY).await {
                Ok(exit) => exit,
                // Without the engine's word the probe alone decides, as it always could.
                Err(_) => std::future::pending().await,
            }
        };
        let (probe, exit) = probe_unless(&self.client, addr, path, every, timeout, gone).await;
        let container = match exit {
            Some(exit) => Err(exited(&c.name, exit)),
            None => Ok(c),
        };
        Ok(Launched {
            started,
            probe,
            container,
        })
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
        self.serving
            .record(std::time::Instant::now(), release, &c.image_id);
        if let Some((old, _)) = self.app.replace((c, release.to_string())) {
            // Off the critical path: traffic already goes to the new container.
            self.sandbox.retire(old);
        }
        Ok(())
    }
}
