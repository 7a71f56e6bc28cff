//! Faults a scenario places in a drill, one file each. Faults that touch images act only on
//! run-owned tags and copies made in `prepare`, never on the shared images.

mod move_tag;
mod remove_image;

use crate::rollback::DrillEnv;
use crate::runtime::{RunId, RuntimeError};
use crate::scenario::{Fault, Scenario};

/// The repository under which a run keeps its own tags and copies.
pub fn run_repo(run: &RunId, release: &str) -> String {
    let clean: String = release
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("rollcage-run-{run}/{clean}")
}

/// Before anything starts: give faulted releases their run-owned image references.
pub async fn prepare(env: &mut DrillEnv, s: &Scenario) -> Result<(), RuntimeError> {
    for f in &s.faults {
        match &f.fault {
            Fault::MoveTag { release, .. } => move_tag::prepare(env, release).await?,
            Fault::RemoveImage { release } => remove_image::prepare(env, release).await?,
        }
    }
    Ok(())
}

/// Injects one fault; returns what it did, for the timeline.
pub async fn inject(env: &mut DrillEnv, fault: &Fault) -> Result<String, RuntimeError> {
    match fault {
        Fault::MoveTag { release, to } => move_tag::inject(env, release, to).await,
        Fault::RemoveImage { release } => remove_image::inject(env, release).await,
    }
}
