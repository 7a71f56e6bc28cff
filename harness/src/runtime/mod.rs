//! Containers, networks and images on the Docker Engine `DOCKER_HOST` names, all labelled with
//! the run that owns them (`Engine`, `Sandbox`, `ContainerSpec`), and the cleanup that removes
//! them.

mod closing;
mod connect;
mod container;
mod control;
mod engine;
mod exec;
mod exit;
mod gc;
mod images;
mod labels;
mod oneshot;
mod owner;
mod remove;
mod sandbox;
mod timeout;
mod watchdog;

pub use closing::{close, closing};
pub use container::{Container, ContainerSpec};
pub use control::ContainerState;
pub use engine::{Engine, Failures, RuntimeError};
pub use exec::ExecOutput;
pub use exit::{ContainerExit, LOG_TAIL};
pub use gc::{gc, GcReport};
pub use labels::{
    RunId, LABEL_HOST, LABEL_PID, LABEL_PID_START, LABEL_ROLE, LABEL_RUN, LABEL_STARTED, LABEL_TAG,
};
pub use oneshot::{Ended, Finished, ONESHOT_TAIL};
pub use owner::{this_host, Liveness, Owner, FOREIGN_MAX_AGE};
pub use sandbox::Sandbox;
pub use timeout::{DEFAULT_ENGINE_TIMEOUT, ENGINE_TIMEOUT_VAR};
pub use watchdog::{install_signal_cleanup, on_interrupt};
