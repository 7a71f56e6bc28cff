//! The validated scenario: domain types the drill engine consumes (`Scenario` and its parts).
//!
//! A scenario file is parsed into raw types (`raw.rs`) and validated into these; nothing here
//! can be in a half-valid state, so the engine never re-checks the file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

pub use super::fault::{Fault, FaultParams, ParamValue, ScheduledFault};
pub use crate::vocab::{FaultKind, ImageRef, Oracle, Phase, Rule, Step, Strategy, Verdict};
pub use check::{Check, CHECK_POINTS};
pub use commands::{MigrationCommands, DEFAULT_COMMAND_TIMEOUT, TARGET_PLACEHOLDERS};
pub use traffic::*;

mod check;
mod commands;
mod traffic;

/// One drill's worth of intent, as its author wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name shown in reports (defaults to the file stem).
    pub name: String,
    /// Free text about what the drill exercises (empty when the file has none).
    pub description: String,
    /// The file it came from.
    pub source: PathBuf,
    /// What verdict the author expects, and which oracles should fail.
    pub expect: Expectation,
    /// The PostgreSQL container the releases share.
    pub database: Database,
    /// How the app is run and probed, whichever release it is.
    pub app: App,
    /// Extra containers started on the drill's network before the app.
    pub services: Vec<Service>,
    /// Releases by name, in file order.
    pub releases: Vec<Release>,
    /// The deploy under test: from which release to which, after what warmup.
    pub deploy: Deploy,
    /// The write workload that runs for the whole drill.
    pub traffic: Traffic,
    /// Requests sent at named points of the drill, in file order (`[[check]]`).
    pub checks: Vec<Check>,
    /// How the rollback is done, when it is decided, and its recovery-time budget.
    pub rollback: Rollback,
    /// Scheduled disturbances the author wants in this drill.
    pub faults: Vec<ScheduledFault>,
    /// Losses the author declares acceptable (counted and reported, not failed).
    pub allowed_loss: AllowedLoss,
    /// How lint and preflight judge the deploy's migrations (`[lint]`).
    pub lint: LintSettings,
}

impl Scenario {
    /// The release named `name` (a `[releases.<name>]` key), if there is one.
    pub fn release(&self, name: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.name == name)
    }
    /// The release deployed from (`deploy.from`): the one the rollback returns to.
    pub fn from_release(&self) -> &Release {
        self.release(&self.deploy.from)
            .expect("validated: deploy.from names a release")
    }
    /// The release deployed (`deploy.to`): the one being rolled back.
    pub fn to_release(&self) -> &Release {
        self.release(&self.deploy.to)
            .expect("validated: deploy.to names a release")
    }
}

/// What the author expects the drill to conclude.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// The verdict the drill should reach (`expect`; `pass` when not written).
    pub verdict: Verdict,
    /// When set, these oracles must be among the failing ones (e.g. `["digest"]`).
    pub failing_oracles: Vec<Oracle>,
}

/// The PostgreSQL server started for the drill (`[database]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Database {
    /// PostgreSQL image reference the database container runs.
    pub image: String,
    /// Port the server listens on, which the app and rollcage connect to (default 5432).
    pub port: u16,
    /// Database user, passed as `POSTGRES_USER` (default `postgres`).
    pub user: String,
    /// That user's password, passed as `POSTGRES_PASSWORD`. None when the scenario sets
    /// none: the runner then draws a random one for each drill, so no report or log can carry
    /// a password anyone reuses.
    pub password: Option<String>,
    /// Database the app uses, passed as `POSTGRES_DB` (default `postgres`).
    pub name: String,
    /// Extra env for the database container, on top of the `POSTGRES_*` ones.
    pub env: BTreeMap<String, String>,
    /// How long to wait for the server to accept connections (default 20 s).
    pub ready_timeout: Duration,
}

impl Database {
    /// The password a drill uses: the scenario's, or the one the runner drew for the drill
    /// (`postgres` only when a drill is started below the runner without one).
    pub fn password(&self) -> &str {
        self.password.as_deref().unwrap_or("postgres")
    }
}

/// How to run and probe the app, whichever release it is.
#[derive(Debug, Clone, PartialEq)]
pub struct App {
    /// Port the app listens on inside its container (default 8080).
    pub port: u16,
    /// Path probed for health, starting with `/` (default `/health`).
    pub health_path: String,
    /// Env for every release; values may hold `{db.host}`, `{db.port}`, `{db.user}`,
    /// `{db.password}`, `{db.name}`, `{db.url}` placeholders.
    pub env: BTreeMap<String, String>,
    /// How long a release may take to become healthy (default 20 s).
    pub ready_timeout: Duration,
    /// Interval between health probes while waiting for a release to become healthy.
    pub probe_interval: Duration,
}

/// An extra container (`[[service]]`) the app may depend on, such as a cache or a queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Host name on the drill network: lowercase letters, digits and `-`, unique per scenario.
    pub name: String,
    /// Image reference the container runs.
    pub image: String,
    /// Env the container is started with.
    pub env: BTreeMap<String, String>,
    /// Command overriding the image's; empty keeps the image's own.
    pub cmd: Vec<String>,
}

/// One version of the app (`[releases.<name>]`): its image, migrations, env and flags.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    /// The release's name: its key under `[releases]`, as `deploy.from`/`deploy.to` name it.
    pub name: String,
    /// Image reference as written: a tag (`repo:tag`) or an ID/digest (`sha256:...`).
    pub image: String,
    /// How the release's schema changes are applied.
    pub migrations: Migrations,
    /// Release-specific env on top of `App::env`.
    pub env: BTreeMap<String, String>,
    /// Feature flags: env vars the `flags-off` rollback step removes.
    pub flags: BTreeMap<String, String>,
}

/// Where a release's schema migrations come from (`migrations` in its table).
#[derive(Debug, Clone, PartialEq)]
pub enum Migrations {
    /// The release has no migrations of its own.
    None,
    /// A sqlx migrations folder as of this release (resolved against the scenario file's folder).
    Folder(PathBuf),
    /// The release migrates itself when it starts.
    SelfManaged,
    /// A migration tool's commands, each run in a container on the drill network.
    Commands(MigrationCommands),
}

/// The deploy under test (`[deploy]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Deploy {
    /// Name of the release running before the deploy, which the rollback returns to.
    pub from: String,
    /// Name of the release deployed, which the rollback leaves.
    pub to: String,
    /// Traffic against the previous release before the deploy starts (baseline measurements).
    pub warmup: Duration,
}

/// How the drill rolls back (`[rollback]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Rollback {
    /// The rollback's strategy, which sets its default steps.
    pub strategy: Strategy,
    /// The steps in the order the author wants them run.
    pub steps: Vec<Step>,
    /// How the previous release's image is referenced when it is redeployed.
    pub image_ref: ImageRef,
    /// When the decision to roll back is taken.
    pub trigger: Trigger,
    /// Recovery-time budget: rollback decision → verified.
    pub budget: Duration,
}

/// What decides that the drill rolls back (`[rollback.trigger]`).
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// Decide to roll back this long after the new release is healthy.
    Manual {
        /// Delay before the decision (default 1 s; `0s` decides at once).
        after: Duration,
    },
    /// Decide from traffic measurements.
    Auto(AutoTrigger),
}

/// Composite condition over a sliding window: fire when at least `need` of the last `of`
/// evaluations had any condition hold.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoTrigger {
    /// Span of traffic each evaluation measures, ending now (default 1 s).
    pub window: Duration,
    /// Time between evaluations (default 250 ms).
    pub every: Duration,
    /// Evaluations with a condition holding needed to fire (default 3).
    pub need: u32,
    /// How many of the latest evaluations are counted (default 4).
    pub of: u32,
    /// Conditions checked at each evaluation; any one holding makes it count.
    pub conditions: Vec<Condition>,
    /// Give up after this long with the new release serving: verdict no-rollback when its
    /// traffic held to the pre-deploy baseline, failed-to-trigger when it degraded.
    pub give_up_after: Duration,
}

/// One threshold an auto trigger checks over its window.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The window's failed-request fraction exceeds this rate, in (0, 1] (e.g. 0.05).
    ErrorRateAbove(f64),
    /// The window's 99th-percentile request latency exceeds this.
    P99Above(Duration),
}

/// Data loss the author accepts (`[allowed-loss]`): reported, but not failed on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllowedLoss {
    /// JSON pointers of written fields that may be gone after the rollback.
    pub fields: Vec<String>,
    /// Whole acknowledged writes that may be gone (e.g. restore-from-snapshot's recovery point).
    pub writes_since_snapshot: bool,
    /// Tables whose rows and values may be gone.
    pub tables: Vec<String>,
    /// `table.column`s whose values may be gone.
    pub columns: Vec<String>,
}

/// How lint and preflight judge the deploy's migrations (`[lint]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LintSettings {
    /// A numeric widening (int4 → int8) is information, not an error: every client of the
    /// app reads values as text (`accept-widening`).
    pub accept_widening: bool,
    /// Rules silenced for this scenario's deploy, each with its reason (`[[lint.allow]]`).
    pub allow: Vec<Silence>,
}

/// One rule silenced by the scenario, with the reason its author gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Silence {
    /// The rule silenced.
    pub rule: Rule,
    /// Why its findings do not apply here (required, never empty).
    pub reason: String,
}
