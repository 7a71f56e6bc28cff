//! `Engine`: the connection to the Docker Engine `DOCKER_HOST` names (API version
//! negotiated), and `RuntimeError`, the errors of container, network and image operations.

use std::time::Duration;

use bollard::Docker;

use super::connect::{Endpoint, HostVars};

/// Errors of runtime operations, each naming what was being done.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The Docker Engine could not be connected to, or did not answer the version check or ping.
    #[error(
        "cannot reach the Docker Engine at {host} (is the daemon running and the address right?)"
    )]
    Unreachable {
        /// Where it was looked for (`unix:///var/run/docker.sock`, `tcp://host:2376 (TLS)`).
        host: String,
        /// The client's error.
        #[source]
        source: bollard::errors::Error,
    },
    /// `DOCKER_HOST` (or the TLS variables beside it) names an engine rollcage cannot talk
    /// to; nothing falls back to the local socket, which may be another engine entirely.
    #[error("DOCKER_HOST={value} cannot be used: {why}")]
    UnusableDockerHost {
        /// The variable's value as set.
        value: String,
        /// What is wrong with it, and what to do instead.
        why: String,
    },
    /// A file TLS to the engine needs (`ca.pem`, `cert.pem`, `key.pem`) cannot be read.
    #[error("cannot read {} for TLS to the Docker Engine (DOCKER_CERT_PATH)", .path.display())]
    TlsFile {
        /// The file.
        path: std::path::PathBuf,
        /// Why it cannot be read.
        #[source]
        source: std::io::Error,
    },
    /// `ROLLCAGE_ENGINE_TIMEOUT` is not a duration rollcage can wait for.
    #[error("ROLLCAGE_ENGINE_TIMEOUT={value} cannot be used: {why}")]
    UnusableEngineTimeout {
        /// The variable's value as set.
        value: String,
        /// What is wrong with it.
        why: String,
    },
    /// The engine left a request unanswered past the client's limit. Replaces the error of
    /// the operation it happened in (bollard's own text is a bare "Timeout error").
    #[error("the Docker Engine did not answer within {}s while {doing}", .after.as_secs())]
    EngineTimeout {
        /// How long rollcage waited.
        after: Duration,
        /// What rollcage was doing: the operation's own error text (`creating container X`).
        doing: String,
    },
    /// The engine refused to create the run's private network.
    #[error("creating network {name}")]
    CreateNetwork {
        /// Name of the network (`rollcage-<run>`).
        name: String,
        /// The engine's error.
        #[source]
        source: bollard::errors::Error,
    },
    /// The engine refused to create a container (for a reason other than a missing image).
    #[error("creating container {name} from image {image}")]
    CreateContainer {
        /// Name the container was to get.
        name: String,
        /// Image reference it was to run.
        image: String,
        /// The engine's error.
        #[source]
        source: bollard::errors::Error,
    },
    /// The image is not on this machine; nothing is pulled, so the container cannot be created.
    #[error("image {image} is not present on this machine (nothing can be pulled)")]
    ImageMissing {
        /// The image reference that was not found.
        image: String,
    },
    /// An operation on an existing container failed.
    #[error("{op} container {name}")]
    Container {
        /// What was being done, as a verb (`starting`, `killing`, `removing`, ...).
        op: &'static str,
        /// Name (or id) of the container.
        name: String,
        /// The engine's error.
        #[source]
        source: bollard::errors::Error,
    },
    /// An operation on an image failed.
    #[error("{op} image {image}")]
    Image {
        /// What was being done, as a verb (`inspecting`, `tagging`, `removing`, ...).
        op: &'static str,
        /// Reference, tag or id of the image.
        image: String,
        /// The engine's error.
        #[source]
        source: bollard::errors::Error,
    },
    /// An operation on a network failed.
    #[error("{op} network {name}")]
    Network {
        /// What was being done (`inspecting`, `connecting to`, `removing`, ...).
        op: &'static str,
        /// Name of the network.
        name: String,
        /// The engine's error.
        #[source]
        source: bollard::errors::Error,
    },
    /// An operation on a volume failed.
    #[error("{op} volume {name}")]
    Volume {
        /// What was being done (`creating`, `removing`).
        op: &'static str,
        /// Name of the volume.
        name: String,
        /// The engine's error.
        #[source]
        source: bollard::errors::Error,
    },
    /// A container started but the engine reports no IPv4 address for it on the network.
    #[error("container {name} has no address on network {network}")]
    NoAddress {
        /// Name of the container.
        name: String,
        /// The network it should have an address on.
        network: String,
    },
    /// A container's process ended before the engine gave it an address: it died as it
    /// started (a release that rejects its configuration, say).
    #[error("container {name} exited as it started")]
    ExitedAtStart {
        /// Name of the container.
        name: String,
        /// How it ended: exit code, OOM flag, its last log lines.
        #[source]
        exit: super::ContainerExit,
    },
    /// rollcage is stopping (a signal arrived): nothing new is created.
    #[error("rollcage is stopping: nothing new is created")]
    Closing,
    /// A tag that the run pointed at an image it does not own is that image's last name:
    /// removing it would delete the image, so it is kept.
    #[error("kept tag {tag}: it is the last name of image {image}, which rollcage does not own")]
    TagKept {
        /// The run's tag.
        tag: String,
        /// The image it points at.
        image: String,
    },
    /// Cleanup removed what it could, but some removals failed; each is listed with its cause.
    #[error("cleanup of run {run} incomplete")]
    Incomplete {
        /// The run whose resources were being removed.
        run: String,
        /// Every removal that failed.
        #[source]
        failures: Failures,
    },
    /// Listing labelled resources for cleanup (`gc`, teardown) failed.
    #[error("listing {what} for cleanup")]
    List {
        /// Which kind of resource was listed (`containers`, `networks`, `volumes`, `images`).
        what: &'static str,
        /// The engine's error.
        #[source]
        source: bollard::errors::Error,
    },
}

/// Removals that failed, each shown with its whole chain of causes.
#[derive(Debug)]
pub struct Failures(pub Vec<RuntimeError>);

impl std::fmt::Display for Failures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} removal(s) failed", self.0.len())?;
        for (i, e) in self.0.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{e}")?;
            let mut cause = std::error::Error::source(e);
            while let Some(c) = cause {
                write!(f, ": {c}")?;
                cause = c.source();
            }
        }
        Ok(())
    }
}

impl std::error::Error for Failures {}

/// A negotiated connection to the Docker Engine; cheap to clone.
#[derive(Clone, Debug)]
pub struct Engine {
    docker: Docker,
}

impl Engine {
    /// Connects to the engine `DOCKER_HOST` names, as the docker CLI reads it (see
    /// `Endpoint`), with `ROLLCAGE_ENGINE_TIMEOUT` as the limit of each request, and
    /// negotiates the API version, since the engine may be older than the client's default.
    pub async fn connect() -> Result<Engine, RuntimeError> {
        let limit = super::timeout::from_env()?;
        let endpoint = Endpoint::from_vars(&HostVars::from_env())?;
        let host = endpoint.to_string();
        let docker = endpoint.client(limit)?;
        let unreachable = |source| match source {
            bollard::errors::Error::RequestTimeoutError => RuntimeError::EngineTimeout {
                after: limit,
                doing: format!("connecting to {host}"),
            },
            source => RuntimeError::Unreachable {
                host: host.clone(),
                source,
            },
        };
        let docker = docker.negotiate_version().await.map_err(unreachable)?;
        docker.ping().await.map_err(unreachable)?;
        super::timeout::set_limit(limit);
        Ok(Engine { docker })
    }

    /// The underlying bollard client, for engine calls rollcage does not wrap.
    pub fn docker(&self) -> &Docker {
        &self.docker
    }
}

/// The HTTP status of an engine's error answer, if it was one.
pub(crate) fn status(err: &bollard::errors::Error) -> Option<u16> {
    match err {
        bollard::errors::Error::DockerResponseServerError { status_code, .. } => Some(*status_code),
        _ => None,
    }
}

/// True when the engine answered "no such ..." (404), which cleanup treats as done.
pub(crate) fn is_not_found(err: &bollard::errors::Error) -> bool {
    matches!(
        err,
        bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            ..
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incomplete_cleanup_names_every_failure_with_its_cause() {
        let refused = |message: &str| bollard::errors::Error::DockerResponseServerError {
            status_code: 409,
            message: message.into(),
        };
        let e = RuntimeError::Incomplete {
            run: "rc1".into(),
            failures: Failures(vec![
                RuntimeError::Container {
                    op: "removing",
                    name: "c1".into(),
                    source: refused("removal of container c1 is already in progress"),
                },
                RuntimeError::Network {
                    op: "removing",
                    name: "n1".into(),
                    source: refused("network n1 has active endpoints"),
                },
            ]),
        };
        let mut text = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            text.push_str(&format!(": {c}"));
            cause = c.source();
        }
        assert!(text.starts_with("cleanup of run rc1 incomplete: 2 removal(s) failed: "));
        assert!(text.contains("removing container c1: ") && text.contains("already in progress"));
        assert!(text.contains("; removing network n1: ") && text.contains("active endpoints"));
    }
}
