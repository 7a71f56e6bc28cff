//! Removal of one run's resources (`remove_run`) and of what dead runs left (`gc`, also the
//! sweep a drill makes before it starts).
//!
//! Both select strictly by `org.rollcage.run`, images included: nothing without rollcage's
//! labels is touched, and nothing is ever chosen by its name.

use std::collections::{BTreeMap, HashMap};

use bollard::query_parameters::{
    ListContainersOptionsBuilder, ListImagesOptionsBuilder, ListNetworksOptionsBuilder,
    ListVolumesOptionsBuilder,
};

use super::engine::Failures;
use super::owner::{Liveness, Owner, FOREIGN_MAX_AGE};
use super::remove::remove_labelled;
use super::{Engine, RunId, RuntimeError, LABEL_RUN};

/// Removes every container, tag, image, network and volume labelled with `run`, past
/// individual failures; an error lists every failure with its cause.
pub(crate) async fn remove_run(engine: &Engine, run: &RunId) -> Result<(), RuntimeError> {
    incomplete(run.as_str(), remove_labelled(engine, &run.filter()).await)
}

fn incomplete(run: &str, failures: Vec<RuntimeError>) -> Result<(), RuntimeError> {
    if failures.is_empty() {
        return Ok(());
    }
    Err(RuntimeError::Incomplete {
        run: run.to_string(),
        failures: Failures(failures),
    })
}

/// What `gc` removed and what it kept.
#[derive(Debug, Default)]
pub struct GcReport {
    /// Ids of the runs whose resources were removed.
    pub runs_removed: Vec<String>,
    /// Ids of the runs left alone because their owning process still lives.
    pub runs_alive: Vec<String>,
    /// Ids of other hosts' runs left alone (younger than `FOREIGN_MAX_AGE`, without `all`).
    pub runs_foreign: Vec<String>,
    /// Runs whose removal was incomplete, each with every failure and its cause.
    pub failures: Vec<RuntimeError>,
}

/// Removes the resources of this host's runs whose owning process is gone, and of other
/// hosts' runs older than `FOREIGN_MAX_AGE`; with `all`, of every run of every host.
pub async fn gc(engine: &Engine, all: bool) -> Result<GcReport, RuntimeError> {
    let owners = owners(engine).await?;
    let mut report = GcReport::default();
    for (run, owner) in owners {
        let remove = all
            || match owner.liveness() {
                Liveness::Alive => {
                    report.runs_alive.push(run.clone());
                    false
                }
                Liveness::Dead => true,
                Liveness::Foreign if owner.older_than(FOREIGN_MAX_AGE) => true,
                Liveness::Foreign => {
                    report.runs_foreign.push(run.clone());
                    false
                }
            };
        if !remove {
            continue;
        }
        let filter = HashMap::from([("label".to_string(), vec![format!("{LABEL_RUN}={run}")])]);
        match incomplete(&run, remove_labelled(engine, &filter).await) {
            Ok(()) => report.runs_removed.push(run),
            Err(e) => report.failures.push(e),
        }
    }
    Ok(report)
}

/// Every run that has a labelled resource of any kind, with the owner its labels name.
async fn owners(engine: &Engine) -> Result<BTreeMap<String, Owner>, RuntimeError> {
    let docker = engine.docker();
    let filter = HashMap::from([("label".to_string(), vec![LABEL_RUN.to_string()])]);
    let list = |what, source| RuntimeError::List { what, source }.timed();
    let containers = docker
        .list_containers(Some(
            ListContainersOptionsBuilder::new()
                .all(true)
                .filters(&filter)
                .build(),
        ))
        .await
        .map_err(|e| list("containers", e))?;
    let networks = docker
        .list_networks(Some(
            ListNetworksOptionsBuilder::new().filters(&filter).build(),
        ))
        .await
        .map_err(|e| list("networks", e))?;
    let volumes = docker
        .list_volumes(Some(
            ListVolumesOptionsBuilder::new().filters(&filter).build(),
        ))
        .await
        .map_err(|e| list("volumes", e))?;
    let images = docker
        .list_images(Some(
            ListImagesOptionsBuilder::new()
                .all(true)
                .filters(&filter)
                .build(),
        ))
        .await
        .map_err(|e| list("images", e))?;
    let labels = containers
        .into_iter()
        .filter_map(|c| c.labels)
        .chain(networks.into_iter().filter_map(|n| n.labels))
        .chain(
            volumes
                .volumes
                .unwrap_or_default()
                .into_iter()
                .map(|v| v.labels),
        )
        .chain(images.into_iter().map(|i| i.labels));
    let mut owners = BTreeMap::new();
    for l in labels {
        if let Some(run) = l.get(LABEL_RUN) {
            owners
                .entry(run.clone())
                .or_insert_with(|| Owner::from_labels(&l));
        }
    }
    Ok(owners)
}
