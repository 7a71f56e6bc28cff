//! Containers, networks and images on the local Docker Engine, all labelled with the run that
//! owns them (`Engine`, `Sandbox`, `ContainerSpec`), and the cleanup that removes them.

mod container;
mod control;
mod engine;
mod exec;
mod exit;
mod gc;
mod images;
mod labels;
mod sandbox;
mod watchdog;

pub use container::{Container, ContainerSpec};
pub use control::ContainerState;
pub use engine::{Engine, RuntimeError};
pub use exec::ExecOutput;
pub use exit::{ContainerExit, LOG_TAIL};
pub use gc::{gc, GcReport};
pub use labels::{RunId, LABEL_PID, LABEL_ROLE, LABEL_RUN};
pub use sandbox::Sandbox;
pub use watchdog::install_signal_cleanup;
