//! `ContainerSpec` (what to start) and `Container` (a started one: id, name, address, image).

use std::collections::HashMap;
use std::net::Ipv4Addr;

use bollard::models::{ContainerCreateBody, EndpointSettings, HostConfig, NetworkingConfig};

/// What to start: a container on the sandbox's network, reachable by `alias` from the others.
#[derive(Debug, Clone, Default)]
pub struct ContainerSpec {
    /// Short role name (`db`, `app`, a service's name); also its network alias.
    pub role: String,
    /// Image reference: tag or `sha256:` id.
    pub image: String,
    /// Environment variables, as (name, value) pairs in the order given.
    pub env: Vec<(String, String)>,
    /// Command overriding the image's; empty keeps the image's own.
    pub cmd: Vec<String>,
    /// Entrypoint overriding the image's; empty keeps the image's own.
    pub entrypoint: Vec<String>,
    /// Working directory of its process; None keeps the image's own.
    pub workdir: Option<String>,
    /// Memory limit in bytes, if any.
    pub memory: Option<i64>,
    /// tmpfs mounts: path → mount options (e.g. `size=64m`).
    pub tmpfs: HashMap<String, String>,
}

impl ContainerSpec {
    /// A spec for `image` in `role`, with no environment, command, memory limit or tmpfs.
    pub fn new(role: impl Into<String>, image: impl Into<String>) -> Self {
        ContainerSpec {
            role: role.into(),
            image: image.into(),
            ..Default::default()
        }
    }

    /// Adds the environment variable `key=value`.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub(crate) fn to_body(
        &self,
        network: &str,
        labels: HashMap<String, String>,
    ) -> ContainerCreateBody {
        let env = self.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let endpoint = EndpointSettings {
            aliases: Some(vec![self.role.clone()]),
            ..Default::default()
        };
        ContainerCreateBody {
            image: Some(self.image.clone()),
            env: Some(env),
            cmd: (!self.cmd.is_empty()).then(|| self.cmd.clone()),
            entrypoint: (!self.entrypoint.is_empty()).then(|| self.entrypoint.clone()),
            working_dir: self.workdir.clone(),
            labels: Some(labels),
            host_config: Some(HostConfig {
                network_mode: Some(network.to_string()),
                memory: self.memory,
                tmpfs: (!self.tmpfs.is_empty()).then(|| self.tmpfs.clone()),
                init: Some(false),
                ..Default::default()
            }),
            networking_config: Some(NetworkingConfig {
                endpoints_config: Some(HashMap::from([(network.to_string(), endpoint)])),
            }),
            ..Default::default()
        }
    }
}

/// A started container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    /// The engine's container id.
    pub id: String,
    /// Its name, `rollcage-<run>-<role>-<n>`: what engine calls address it by.
    pub name: String,
    /// The role of the spec it was started from; also its network alias.
    pub role: String,
    /// Its address on the sandbox network, reachable from the host.
    pub ip: Ipv4Addr,
    /// The id (`sha256:...`) of the image it runs: the digest rollcage compares.
    pub image_id: String,
    /// When the engine started its main process (the engine's own record, so the time from
    /// process start to first healthy answer is not inflated by container creation).
    pub started_at: Option<std::time::SystemTime>,
}

impl Container {
    /// `started_at` as a monotonic instant on this process's clock.
    pub fn started_instant(&self) -> Option<std::time::Instant> {
        let since = std::time::SystemTime::now()
            .duration_since(self.started_at?)
            .ok()?;
        std::time::Instant::now().checked_sub(since)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_carries_labels_alias_and_network() {
        let spec = ContainerSpec::new("db", "rollcage/postgres:15").env("POSTGRES_DB", "x");
        let labels = HashMap::from([("org.rollcage.run".to_string(), "rc1".to_string())]);
        let body = spec.to_body("net1", labels);
        assert_eq!(body.env.unwrap(), vec!["POSTGRES_DB=x".to_string()]);
        assert_eq!(body.labels.unwrap()["org.rollcage.run"], "rc1");
        let eps = body.networking_config.unwrap().endpoints_config.unwrap();
        assert_eq!(
            eps["net1"].aliases.as_ref().unwrap(),
            &vec!["db".to_string()]
        );
        assert_eq!(body.host_config.unwrap().network_mode.unwrap(), "net1");
    }
}
