//! `Engine`: the connection to the local Docker Engine (API version negotiated), and
//! `RuntimeError`, the errors of container, network and image operations.

use bollard::Docker;

/// Errors of runtime operations, each naming what was being done.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("cannot reach the Docker Engine (is the daemon running and the socket readable?)")]
    Unreachable(#[source] bollard::errors::Error),
    #[error("creating network {name}")]
    CreateNetwork {
        name: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("creating container {name} from image {image}")]
    CreateContainer {
        name: String,
        image: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("image {image} is not present on this machine (nothing can be pulled)")]
    ImageMissing { image: String },
    #[error("{op} container {name}")]
    Container {
        op: &'static str,
        name: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("{op} image {image}")]
    Image {
        op: &'static str,
        image: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("{op} network {name}")]
    Network {
        op: &'static str,
        name: String,
        #[source]
        source: bollard::errors::Error,
    },
    #[error("container {name} has no address on network {network}")]
    NoAddress { name: String, network: String },
    #[error("listing {what} for cleanup")]
    List {
        what: &'static str,
        #[source]
        source: bollard::errors::Error,
    },
}

/// A negotiated connection to the Docker Engine; cheap to clone.
#[derive(Clone, Debug)]
pub struct Engine {
    docker: Docker,
}

impl Engine {
    /// Connects over the local socket (or `DOCKER_HOST`) and negotiates the API version,
    /// since the engine may be older than the client's default.
    pub async fn connect() -> Result<Engine, RuntimeError> {
        let docker = Docker::connect_with_local_defaults().map_err(RuntimeError::Unreachable)?;
        let docker = docker
            .negotiate_version()
            .await
            .map_err(RuntimeError::Unreachable)?;
        docker.ping().await.map_err(RuntimeError::Unreachable)?;
        Ok(Engine { docker })
    }

    pub fn docker(&self) -> &Docker {
        &self.docker
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
