//! The validated scenario: domain types the drill engine consumes (`Scenario` and its parts).
//!
//! A scenario file is parsed into raw types (`raw.rs`) and validated into these; nothing here
//! can be in a half-valid state, so the engine never re-checks the file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

pub use super::fault::{Fault, FaultParams, ParamValue, ScheduledFault};
pub use crate::vocab::{FaultKind, ImageRef, Oracle, Phase, Step, Strategy, Verdict};

/// One drill's worth of intent, as its author wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name shown in reports (defaults to the file stem).
    pub name: String,
    pub description: String,
    /// The file it came from.
    pub source: PathBuf,
    pub expect: Expectation,
    pub database: Database,
    pub app: App,
    /// Extra containers started on the drill's network before the app.
    pub services: Vec<Service>,
    /// Releases by name, in file order.
    pub releases: Vec<Release>,
    pub deploy: Deploy,
    pub traffic: Traffic,
    pub smoke: Vec<HttpCheck>,
    pub rollback: Rollback,
    /// Scheduled disturbances the author wants in this drill.
    pub faults: Vec<ScheduledFault>,
    /// Losses the author declares acceptable (counted and reported, not failed).
    pub allowed_loss: AllowedLoss,
}

impl Scenario {
    pub fn release(&self, name: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.name == name)
    }
    pub fn from_release(&self) -> &Release {
        self.release(&self.deploy.from)
            .expect("validated: deploy.from names a release")
    }
    pub fn to_release(&self) -> &Release {
        self.release(&self.deploy.to)
            .expect("validated: deploy.to names a release")
    }
}

/// What the author expects the drill to conclude.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    pub verdict: Verdict,
    /// When set, these oracles must be among the failing ones (e.g. `["digest"]`).
    pub failing_oracles: Vec<Oracle>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Database {
    pub image: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub name: String,
    pub env: BTreeMap<String, String>,
    pub ready_timeout: Duration,
}

/// How to run and probe the app, whichever release it is.
#[derive(Debug, Clone, PartialEq)]
pub struct App {
    pub port: u16,
    pub health_path: String,
    /// Env for every release; values may hold `{db.host}`, `{db.port}`, `{db.user}`,
    /// `{db.password}`, `{db.name}`, `{db.url}` placeholders.
    pub env: BTreeMap<String, String>,
    pub ready_timeout: Duration,
    /// Interval between health probes while waiting for a release to become healthy.
    pub probe_interval: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub name: String,
    pub image: String,
    pub env: BTreeMap<String, String>,
    pub cmd: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub name: String,
    /// Image reference as written: a tag (`repo:tag`) or an ID/digest (`sha256:...`).
    pub image: String,
    pub migrations: Migrations,
    /// Release-specific env on top of `App::env`.
    pub env: BTreeMap<String, String>,
    /// Feature flags: env vars the `flags-off` rollback step removes.
    pub flags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Migrations {
    /// The release has no migrations of its own.
    None,
    /// A sqlx migrations folder as of this release (resolved against the scenario file's folder).
    Folder(PathBuf),
    /// The release migrates itself when it starts.
    SelfManaged,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deploy {
    pub from: String,
    pub to: String,
    /// Traffic against the previous release before the deploy starts (baseline measurements).
    pub warmup: Duration,
}

/// The workload that runs for the whole drill.
#[derive(Debug, Clone, PartialEq)]
pub struct Traffic {
    /// Requests per second of writes (each write is one request).
    pub rate: u32,
    /// Concurrent in-flight requests at most.
    pub concurrency: u32,
    pub request_timeout: Duration,
    /// How long traffic keeps running after the rollback is verified, to see whether the
    /// previous release fails where the new one did not.
    pub observe_after: Duration,
    pub write: WriteRequest,
    pub read_back: ReadBack,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WriteRequest {
    pub method: String,
    pub path: String,
    pub body: Body,
    /// Status codes that mean "acknowledged".
    pub ack_status: Vec<u16>,
    pub key: KeySource,
}

/// A request body template; `{seq}` is the write's sequence number, `{run}` the run id.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    None,
    Json(String),
    Form(String),
}

/// Where the key of an acknowledged write comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum KeySource {
    /// A JSON pointer into the response body (e.g. `/id`).
    Response(String),
    /// A JSON pointer into the rendered request body (e.g. `/email`).
    Request(String),
}

/// How to check that an acknowledged write is still there.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadBack {
    /// `{key}` is substituted in the path; 2xx means present. `fields` are JSON pointers
    /// whose values in the response must equal those in the written request body.
    Http {
        method: String,
        path: String,
        fields: Vec<String>,
    },
    /// A query with `$1` bound to the key (as text); one row means present.
    Sql { query: String },
}

/// One smoke request and what it must return.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpCheck {
    pub method: String,
    pub path: String,
    pub body: Body,
    pub expect_status: Vec<u16>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rollback {
    pub strategy: Strategy,
    /// The steps in the order the author wants them run.
    pub steps: Vec<Step>,
    /// How the previous release's image is referenced when it is redeployed.
    pub image_ref: ImageRef,
    pub trigger: Trigger,
    /// Recovery-time budget: rollback decision → verified.
    pub budget: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// Decide to roll back this long after the new release is healthy.
    Manual { after: Duration },
    /// Decide from traffic measurements.
    Auto(AutoTrigger),
}

/// Composite condition over a sliding window: fire when at least `need` of the last `of`
/// evaluations had any condition hold.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoTrigger {
    pub window: Duration,
    pub every: Duration,
    pub need: u32,
    pub of: u32,
    pub conditions: Vec<Condition>,
    /// Give up (verdict failed-to-trigger) after this long with the new release serving.
    pub give_up_after: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    ErrorRateAbove(f64),
    P99Above(Duration),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllowedLoss {
    /// JSON pointers of written fields that may be gone after the rollback.
    pub fields: Vec<String>,
    /// Whole acknowledged writes that may be gone (e.g. restore-from-snapshot's recovery point).
    pub writes_since_snapshot: bool,
}
