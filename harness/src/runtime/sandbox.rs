//! `Sandbox`: one run's private Docker network and everything started on it, removed on
//! `teardown`, on drop (panics included) and by the signal watchdog.

use std::sync::atomic::{AtomicU32, Ordering};

use bollard::models::{ContainerCreateBody, NetworkCreateRequest};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, KillContainerOptionsBuilder, RemoveContainerOptionsBuilder,
};

use super::engine::is_not_found;
use super::gc::remove_run;
use super::{watchdog, Container, ContainerSpec, Engine, RunId, RuntimeError, LABEL_ROLE};

/// How long a retired container keeps serving the requests already sent to it.
const RETIRE_DRAIN: std::time::Duration = std::time::Duration::from_millis(500);

/// One run's environment. Every resource it creates carries the run's labels.
#[derive(Debug)]
pub struct Sandbox {
    engine: Engine,
    run: RunId,
    network: String,
    counter: AtomicU32,
    /// Background removals of replaced containers.
    retiring: Vec<tokio::task::JoinHandle<Result<(), RuntimeError>>>,
    closed: bool,
}

impl Sandbox {
    /// Creates the run's network; the run is registered for cleanup before anything exists.
    pub async fn create(engine: &Engine) -> Result<Sandbox, RuntimeError> {
        let run = RunId::generate();
        watchdog::register(&run);
        let network = format!("rollcage-{run}");
        let mut sandbox = Sandbox {
            engine: engine.clone(),
            run: run.clone(),
            network: network.clone(),
            counter: AtomicU32::new(0),
            retiring: Vec::new(),
            closed: false,
        };
        let request = NetworkCreateRequest {
            name: network.clone(),
            driver: Some("bridge".into()),
            labels: Some(run.labels()),
            ..Default::default()
        };
        let created = match super::closing::permit() {
            Ok(_permit) => engine.docker().create_network(request).await,
            Err(e) => {
                sandbox.closed = true;
                watchdog::deregister(&run);
                return Err(e);
            }
        };
        if let Err(source) = created {
            sandbox.closed = true;
            watchdog::deregister(&run);
            return Err(RuntimeError::CreateNetwork {
                name: network,
                source,
            }
            .timed());
        }
        Ok(sandbox)
    }

    /// The run this sandbox belongs to.
    pub fn run_id(&self) -> &RunId {
        &self.run
    }

    /// Name of the run's private network (`rollcage-<run>`).
    pub fn network(&self) -> &str {
        &self.network
    }

    /// The engine connection the sandbox works through.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Creates a container from `spec` with the run's labels, without starting it; its name.
    pub(super) async fn create_container(
        &self,
        spec: &ContainerSpec,
    ) -> Result<String, RuntimeError> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let name = format!("rollcage-{}-{}-{n}", self.run, spec.role);
        let mut labels = self.run.labels();
        labels.insert(LABEL_ROLE.into(), spec.role.clone());
        let body: ContainerCreateBody = spec.to_body(&self.network, labels);
        let docker = self.engine.docker();
        let options = CreateContainerOptionsBuilder::new().name(&name).build();
        let permit = super::closing::permit()?;
        let created = docker.create_container(Some(options), body).await;
        drop(permit);
        created.map_err(|source| {
            if is_not_found(&source) {
                RuntimeError::ImageMissing {
                    image: spec.image.clone(),
                }
            } else {
                RuntimeError::CreateContainer {
                    name: name.clone(),
                    image: spec.image.clone(),
                    source,
                }
                .timed()
            }
        })?;
        super::closing::panic_hook(n + 1);
        Ok(name)
    }

    /// Creates and starts a container; returns once it has an address.
    pub async fn start(&self, spec: &ContainerSpec) -> Result<Container, RuntimeError> {
        let name = self.create_container(spec).await?;
        let docker = self.engine.docker();
        let fail = |op: &'static str| {
            let name = name.clone();
            move |source| RuntimeError::Container { op, name, source }.timed()
        };
        docker
            .start_container(&name, None)
            .await
            .map_err(fail("starting"))?;
        let info = docker
            .inspect_container(&name, None)
            .await
            .map_err(fail("inspecting"))?;
        let ip = info
            .network_settings
            .and_then(|s| s.networks)
            .and_then(|n| n.get(&self.network).and_then(|e| e.ip_address.clone()))
            .and_then(|ip| ip.parse().ok());
        let Some(ip) = ip else {
            // A process that died at once loses its address before the engine is asked for it.
            let running = info.state.as_ref().and_then(|st| st.running);
            if running == Some(false) {
                let every = std::time::Duration::from_millis(10);
                let exit = self.engine.until_exit(&name, every).await?;
                return Err(RuntimeError::ExitedAtStart { name, exit });
            }
            return Err(RuntimeError::NoAddress {
                name,
                network: self.network.clone(),
            });
        };
        let started_at = info
            .state
            .as_ref()
            .and_then(|st| st.started_at.as_deref())
            .and_then(|t| humantime::parse_rfc3339(t).ok());
        Ok(Container {
            started_at,
            id: info.id.unwrap_or_default(),
            name: name.clone(),
            role: spec.role.clone(),
            ip,
            image_id: info.image.unwrap_or_default(),
        })
    }

    /// Sends a signal (e.g. `SIGKILL`) to a container's main process.
    pub async fn kill(&self, c: &Container, signal: &str) -> Result<(), RuntimeError> {
        let options = KillContainerOptionsBuilder::new().signal(signal).build();
        self.engine
            .docker()
            .kill_container(&c.name, Some(options))
            .await
            .map_err(|source| {
                RuntimeError::Container {
                    op: "killing",
                    name: c.name.clone(),
                    source,
                }
                .timed()
            })
    }

    /// Removes a container, stopping it first if needed.
    pub async fn remove(&self, c: &Container) -> Result<(), RuntimeError> {
        remove_container(&self.engine, c).await
    }

    /// Removes a container in the background; `teardown` waits for it.
    pub fn retire(&mut self, c: Container) {
        let engine = self.engine.clone();
        self.retiring.push(tokio::spawn(async move {
            // Requests sent just before traffic moved are still in flight to it: let them
            // finish, as a load balancer drains, so the switch itself fails none.
            tokio::time::sleep(RETIRE_DRAIN).await;
            remove_container(&engine, &c).await
        }));
    }

    /// The container's address on the sandbox network now (None while it is off the network
    /// or stopped): restarts and reconnects may hand out a different one.
    pub async fn current_ip(
        &self,
        c: &Container,
    ) -> Result<Option<std::net::Ipv4Addr>, RuntimeError> {
        self.engine.container_ip(&c.name, &self.network).await
    }

    /// Freezes every process of a container.
    pub async fn pause(&self, c: &Container) -> Result<(), RuntimeError> {
        self.engine
            .docker()
            .pause_container(&c.name)
            .await
            .map_err(|source| {
                RuntimeError::Container {
                    op: "pausing",
                    name: c.name.clone(),
                    source,
                }
                .timed()
            })
    }

    /// Waits until every container handed to `retire` is gone.
    pub async fn await_retired(&mut self) -> Result<(), RuntimeError> {
        for handle in std::mem::take(&mut self.retiring) {
            if let Ok(result) = handle.await {
                result?;
            }
        }
        Ok(())
    }

    /// Removes everything this run created. Idempotent.
    pub async fn teardown(mut self) -> Result<(), RuntimeError> {
        self.closed = true;
        let _ = self.await_retired().await;
        let result = remove_run(&self.engine, &self.run).await;
        watchdog::deregister(&self.run);
        result
    }
}

impl Drop for Sandbox {
    /// Fallback for panics and early returns: a fresh thread with its own runtime removes the
    /// run's resources, since Drop cannot await on the caller's runtime.
    fn drop(&mut self) {
        if self.closed {
            return;
        }
        let run = self.run.clone();
        let _ = std::thread::spawn(move || watchdog::cleanup_blocking(&[run])).join();
        watchdog::deregister(&self.run);
    }
}

/// Force-removes a container; one already gone counts as removed.
async fn remove_container(engine: &Engine, c: &Container) -> Result<(), RuntimeError> {
    remove_named(engine, &c.name).await
}

/// Force-removes the named container; one already gone counts as removed.
pub(super) async fn remove_named(engine: &Engine, name: &str) -> Result<(), RuntimeError> {
    let options = RemoveContainerOptionsBuilder::new()
        .force(true)
        .v(true)
        .build();
    match engine.docker().remove_container(name, Some(options)).await {
        Err(source) if !is_not_found(&source) => Err(RuntimeError::Container {
            op: "removing",
            name: name.to_string(),
            source,
        }
        .timed()),
        _ => Ok(()),
    }
}
