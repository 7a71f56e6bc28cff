//! The faults a scenario schedules: `ScheduledFault` (what, when, for how long), `Phase`
//! (the points of a drill where faults go) and `Fault` (what each kind does).

use std::time::Duration;

use crate::vocab::{FaultKind, Phase};

/// A fault the author places in the drill.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledFault {
    pub at: Phase,
    pub fault: Fault,
    /// How long the fault lasts before it heals (for faults that heal).
    pub duration: Option<Duration>,
}

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
    pub fn kind(&self) -> FaultKind {
        match self {
            Fault::MoveTag { .. } => FaultKind::MoveTag,
            Fault::RemoveImage { .. } => FaultKind::RemoveImage,
            Fault::KillApp => FaultKind::KillApp,
            Fault::KillDatabase => FaultKind::KillDatabase,
            Fault::RestartDatabase => FaultKind::RestartDatabase,
            Fault::PauseDatabase => FaultKind::PauseDatabase,
            Fault::Partition => FaultKind::Partition,
            Fault::Latency { .. } => FaultKind::Latency,
            Fault::ResetConnections => FaultKind::ResetConnections,
            Fault::KillMigrator { .. } => FaultKind::KillMigrator,
            Fault::DiskFull => FaultKind::DiskFull,
            Fault::AppMemoryLimit { .. } => FaultKind::AppMemoryLimit,
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
