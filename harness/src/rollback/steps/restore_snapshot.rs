//! `restore-snapshot`: replace the database with the pre-deploy snapshot (an announced outage,
//! which harm does not count).

use std::time::Instant;

use crate::rollback::drill::Drill;
use crate::rollback::error::StepError;
use crate::rollback::snapshot;

pub async fn run(d: &mut Drill<'_>) -> Result<String, StepError> {
    let started = Instant::now();
    snapshot::restore(d.env)
        .await
        .map_err(StepError::SnapshotRestore)?;
    Ok(format!(
        "database restored from the pre-deploy snapshot in {:?}",
        started.elapsed()
    ))
}
