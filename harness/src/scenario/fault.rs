//! The faults a scenario schedules: `ScheduledFault` (what, when, for how long), `Phase`
//! (the points of a drill where faults go) and `Fault` (what each kind does).

use std::time::Duration;

/// A fault the author places in the drill.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledFault {
    pub at: Phase,
    pub fault: Fault,
    /// How long the fault lasts before it heals (for faults that heal).
    pub duration: Option<Duration>,
}

/// Points in a drill where a fault can be placed, in drill order. `During*` phases inject the
/// fault as the phase starts, so the phase's work runs under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    BeforeDeploy,
    DuringMigrateUp,
    /// Between the up migration and the switch to the new release.
    AfterMigrateUp,
    AfterDeploy,
    /// After the decision, before the first rollback step.
    BeforeRollback,
    DuringMigrateDown,
    WhilePreviousStarts,
    DuringVerification,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::BeforeDeploy,
        Phase::DuringMigrateUp,
        Phase::AfterMigrateUp,
        Phase::AfterDeploy,
        Phase::BeforeRollback,
        Phase::DuringMigrateDown,
        Phase::WhilePreviousStarts,
        Phase::DuringVerification,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::BeforeDeploy => "before-deploy",
            Phase::DuringMigrateUp => "during-migrate-up",
            Phase::AfterMigrateUp => "after-migrate-up",
            Phase::AfterDeploy => "after-deploy",
            Phase::BeforeRollback => "before-rollback",
            Phase::DuringMigrateDown => "during-migrate-down",
            Phase::WhilePreviousStarts => "while-previous-starts",
            Phase::DuringVerification => "during-verification",
        }
    }
}

/// Every fault kind, as written in scenario files.
pub const FAULT_KINDS: [&str; 12] = [
    "move-tag",
    "remove-image",
    "kill-app",
    "kill-database",
    "restart-database",
    "pause-database",
    "partition",
    "latency",
    "reset-connections",
    "kill-migrator",
    "disk-full",
    "app-memory-limit",
];

/// What a fault does. Image faults act on run-owned tags and copies only.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Point a run-owned copy of `release`'s tag at `to`'s image.
    MoveTag { release: String, to: String },
    /// Remove `release`'s image (a run-owned copy, never the shared one).
    RemoveImage { release: String },
    /// SIGKILL the serving app container; it is started again when the fault heals.
    KillApp,
    /// SIGKILL the database container; started again when the fault heals.
    KillDatabase,
    /// Stop and start the database container.
    RestartDatabase,
    /// Freeze every database process for the duration.
    PauseDatabase,
    /// Cut the database off the drill network (app ↔ database) for the duration.
    Partition,
    /// Delay every app ↔ database packet by `delay` (through the TCP proxy in the path).
    Latency { delay: Duration },
    /// Reset every app ↔ database connection, and new ones, for the duration.
    ResetConnections,
    /// Stop the migrator after `after_statements` statements, leaving the schema part-migrated.
    KillMigrator { after_statements: u32 },
    /// Fill the database's (small, tmpfs) disk for the duration.
    DiskFull,
    /// Cap the app container's memory for the duration.
    AppMemoryLimit { megabytes: u32 },
}

impl Fault {
    /// The kebab-case kind, as written in scenario files and used in failure signatures.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::MoveTag { .. } => "move-tag",
            Fault::RemoveImage { .. } => "remove-image",
            Fault::KillApp => "kill-app",
            Fault::KillDatabase => "kill-database",
            Fault::RestartDatabase => "restart-database",
            Fault::PauseDatabase => "pause-database",
            Fault::Partition => "partition",
            Fault::Latency { .. } => "latency",
            Fault::ResetConnections => "reset-connections",
            Fault::KillMigrator { .. } => "kill-migrator",
            Fault::DiskFull => "disk-full",
            Fault::AppMemoryLimit { .. } => "app-memory-limit",
        }
    }

    /// Faults that last for a duration and then heal.
    pub fn heals(&self) -> bool {
        matches!(
            self,
            Fault::KillApp
                | Fault::KillDatabase
                | Fault::PauseDatabase
                | Fault::Partition
                | Fault::Latency { .. }
                | Fault::ResetConnections
                | Fault::DiskFull
                | Fault::AppMemoryLimit { .. }
        )
    }
}
