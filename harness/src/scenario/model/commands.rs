//! `MigrationCommands`: a release whose migrations a tool runs (Alembic, Django, Rails,
//! Flyway, golang-migrate...), each command in a container of its own on the drill network.

use std::collections::BTreeMap;
use std::time::Duration;

/// Placeholders a `down` command may hold besides the `{db.*}` ones: the release a
/// migrate-down goes back to, and the version its `version` command reported.
pub const TARGET_PLACEHOLDERS: [&str; 2] = ["target.release", "target.version"];

/// How long a migration command may run when the scenario does not say.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// A release's migrations as commands (`[releases.<name>.migrations]` as a table).
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationCommands {
    /// Migrates the schema up to this release (e.g. `alembic upgrade head`).
    pub up: Vec<String>,
    /// Migrates the schema down to `{target.version}`, run from this release when it is the
    /// one rolled back; empty when the release gives none (migrate-down then fails).
    pub down: Vec<String>,
    /// Prints the schema's current version on the last line of its stdout (first word kept),
    /// run once this release's `up` has run; empty when the release gives none.
    pub version: Vec<String>,
    /// The image the commands run in; None: the release's own image.
    pub image: Option<String>,
    /// Env of the command containers, on top of `[app].env` and the release's env; values
    /// may hold the `{db.*}` placeholders.
    pub env: BTreeMap<String, String>,
    /// Working directory inside the container; None: the image's own.
    pub workdir: Option<String>,
    /// How long one command may run before it is killed and its step fails (default 60 s).
    pub timeout: Duration,
}
