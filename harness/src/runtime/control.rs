//! Engine-level control of containers and networks by name (`Engine::start_existing`,
//! `restart`, `disconnect`, `connect`, `set_memory`, ...): what a fault's heal needs when it
//! runs in a background task holding only the engine, not the sandbox.

use std::net::Ipv4Addr;
use std::time::Duration;

use bollard::models::{
    ContainerUpdateBody, EndpointSettings, NetworkConnectRequest, NetworkDisconnectRequest,
};
use bollard::query_parameters::RestartContainerOptionsBuilder;

use super::engine::is_not_found;
use super::{Engine, RuntimeError};

/// What the engine says about a container's process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContainerState {
    /// Its main process is running (paused counts as running).
    pub running: bool,
    /// It is frozen (`Sandbox::pause`).
    pub paused: bool,
    /// The kernel's OOM killer ended its last run.
    pub oom_killed: bool,
    /// Memory limit in bytes (0: none).
    pub memory: i64,
}

fn container_err(
    op: &'static str,
    name: &str,
) -> impl FnOnce(bollard::errors::Error) -> RuntimeError {
    let name = name.to_string();
    move |source| RuntimeError::Container { op, name, source }.timed()
}

fn network_err(
    op: &'static str,
    name: &str,
) -> impl FnOnce(bollard::errors::Error) -> RuntimeError {
    let name = name.to_string();
    move |source| RuntimeError::Network { op, name, source }.timed()
}

impl Engine {
    /// The container's address on `network` now; None while it is stopped or off the network
    /// (a restart or a reconnect may hand out another one).
    pub async fn container_ip(
        &self,
        name: &str,
        network: &str,
    ) -> Result<Option<Ipv4Addr>, RuntimeError> {
        let info = self
            .docker()
            .inspect_container(name, None)
            .await
            .map_err(container_err("inspecting", name))?;
        Ok(info
            .network_settings
            .and_then(|s| s.networks)
            .and_then(|n| n.get(network).and_then(|e| e.ip_address.clone()))
            .and_then(|ip| ip.parse().ok()))
    }

    /// Inspects the named container: running, paused, OOM-killed, and its memory limit.
    pub async fn container_state(&self, name: &str) -> Result<ContainerState, RuntimeError> {
        let info = self
            .docker()
            .inspect_container(name, None)
            .await
            .map_err(container_err("inspecting", name))?;
        let st = info.state.unwrap_or_default();
        Ok(ContainerState {
            running: st.running.unwrap_or(false),
            paused: st.paused.unwrap_or(false),
            oom_killed: st.oom_killed.unwrap_or(false),
            memory: info.host_config.and_then(|h| h.memory).unwrap_or(0),
        })
    }

    /// Polls until the container's process is gone (a kill signal is delivered asynchronously).
    pub async fn await_stopped(&self, name: &str, within: Duration) -> Result<bool, RuntimeError> {
        let start = std::time::Instant::now();
        while start.elapsed() < within {
            if !self.container_state(name).await?.running {
                return Ok(true);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Ok(false)
    }

    /// Starts a stopped container again, keeping its writable layer. Ok(false): it no longer
    /// exists (replaced and removed meanwhile).
    pub async fn start_existing(&self, name: &str) -> Result<bool, RuntimeError> {
        match self.docker().start_container(name, None).await {
            Err(e) if is_not_found(&e) => Ok(false),
            other => other.map(|_| true).map_err(container_err("starting", name)),
        }
    }

    /// Stops (the image's stop signal, then SIGKILL after `grace`) and starts a container.
    pub async fn restart(&self, name: &str, grace: Duration) -> Result<(), RuntimeError> {
        let secs = i32::try_from(grace.as_secs()).unwrap_or(i32::MAX);
        let options = RestartContainerOptionsBuilder::new().t(secs).build();
        // The engine answers only once the container is up again, which may take the whole
        // grace for the stop: that wait is added to the request's limit.
        let limit = self.docker().timeout().saturating_add(grace);
        let restarted = self
            .docker()
            .clone()
            .with_timeout(limit)
            .restart_container(name, Some(options))
            .await;
        restarted.map_err(|source| {
            let op = "restarting";
            let name = name.to_string();
            RuntimeError::Container { op, name, source }.timed_after(limit)
        })
    }

    /// Thaws a container frozen by `Sandbox::pause`.
    pub async fn unpause(&self, name: &str) -> Result<(), RuntimeError> {
        self.docker()
            .unpause_container(name)
            .await
            .map_err(container_err("unpausing", name))
    }

    /// Cuts a container off `network` (it keeps running, unreachable there).
    pub async fn detach(&self, network: &str, name: &str) -> Result<(), RuntimeError> {
        let request = NetworkDisconnectRequest {
            container: name.to_string(),
            force: Some(true),
        };
        self.docker()
            .disconnect_network(network, request)
            .await
            .map_err(network_err("disconnecting from", network))
    }

    /// Attaches a container to `network` again, answering to `alias` there.
    pub async fn attach(&self, network: &str, name: &str, alias: &str) -> Result<(), RuntimeError> {
        let endpoint = EndpointSettings {
            aliases: Some(vec![alias.to_string()]),
            ..Default::default()
        };
        let request = NetworkConnectRequest {
            container: name.to_string(),
            endpoint_config: Some(endpoint),
        };
        self.docker()
            .connect_network(network, request)
            .await
            .map_err(network_err("connecting to", network))
    }

    /// Sets a running container's memory limit (swap included, so no swap is added). Ok(false):
    /// the container no longer exists.
    pub async fn set_memory(&self, name: &str, bytes: i64) -> Result<bool, RuntimeError> {
        let body = ContainerUpdateBody {
            memory: Some(bytes),
            memory_swap: Some(bytes),
            ..Default::default()
        };
        match self.docker().update_container(name, body).await {
            Err(e) if is_not_found(&e) => Ok(false),
            other => other.map(|_| true).map_err(container_err("updating", name)),
        }
    }

    /// The gateway of a network: the host's address as the containers on it see it.
    pub async fn network_gateway(&self, network: &str) -> Result<Option<Ipv4Addr>, RuntimeError> {
        let info = self
            .docker()
            .inspect_network(network, None)
            .await
            .map_err(network_err("inspecting", network))?;
        let configs = info.ipam.and_then(|i| i.config).unwrap_or_default();
        Ok(configs
            .iter()
            .find_map(|c| c.gateway.as_deref()?.parse().ok()))
    }
}
