//! Removal of a run's resources by label (`remove_run`) and of what dead runs left (`gc`).
//!
//! Both select strictly by `org.rollcage.run`; nothing without rollcage's labels is touched.

use std::collections::{BTreeSet, HashMap};

use bollard::query_parameters::{
    ListContainersOptionsBuilder, ListImagesOptionsBuilder, ListNetworksOptionsBuilder,
    ListVolumesOptionsBuilder, RemoveContainerOptionsBuilder, RemoveImageOptionsBuilder,
};

use super::engine::is_not_found;
use super::{Engine, RunId, RuntimeError, LABEL_PID, LABEL_RUN};

/// Removes every container, network, volume and image labelled with `run`.
pub(crate) async fn remove_run(engine: &Engine, run: &RunId) -> Result<(), RuntimeError> {
    remove_labelled(engine, &run.filter()).await?;
    remove_run_tags(engine, |id| id == run.as_str()).await
}

async fn remove_labelled(
    engine: &Engine,
    filter: &HashMap<String, Vec<String>>,
) -> Result<(), RuntimeError> {
    let docker = engine.docker();
    let containers = list_containers(engine, filter).await?;
    let force = RemoveContainerOptionsBuilder::new()
        .force(true)
        .v(true)
        .build();
    // Removed together: each removal mostly waits for the container's process to die.
    let removals = containers.into_iter().map(|c| {
        let id = c.id.unwrap_or_default();
        let force = force.clone();
        async move {
            match docker.remove_container(&id, Some(force)).await {
                Err(source) if !is_not_found(&source) => Err(RuntimeError::Container {
                    op: "removing",
                    name: id,
                    source,
                }),
                _ => Ok(()),
            }
        }
    });
    for result in futures_util::future::join_all(removals).await {
        result?;
    }
    let networks = docker
        .list_networks(Some(
            ListNetworksOptionsBuilder::new().filters(filter).build(),
        ))
        .await
        .map_err(|source| RuntimeError::List {
            what: "networks",
            source,
        })?;
    for n in networks {
        let name = n.name.unwrap_or_default();
        if let Err(source) = docker.remove_network(&name).await {
            if !is_not_found(&source) {
                return Err(RuntimeError::Network {
                    op: "removing",
                    name,
                    source,
                });
            }
        }
    }
    let volumes = docker
        .list_volumes(Some(
            ListVolumesOptionsBuilder::new().filters(filter).build(),
        ))
        .await
        .map_err(|source| RuntimeError::List {
            what: "volumes",
            source,
        })?;
    for v in volumes.volumes.unwrap_or_default() {
        let _ = docker
            .remove_volume(
                &v.name,
                None::<bollard::query_parameters::RemoveVolumeOptions>,
            )
            .await;
    }
    let images = docker
        .list_images(Some(
            ListImagesOptionsBuilder::new()
                .all(true)
                .filters(filter)
                .build(),
        ))
        .await
        .map_err(|source| RuntimeError::List {
            what: "images",
            source,
        })?;
    let force = RemoveImageOptionsBuilder::new().force(true).build();
    for image in images {
        if let Err(source) = docker
            .remove_image(&image.id, Some(force.clone()), None)
            .await
        {
            if !is_not_found(&source) {
                return Err(RuntimeError::Image {
                    op: "removing",
                    image: image.id,
                    source,
                });
            }
        }
    }
    Ok(())
}

/// What `gc` removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GcReport {
    /// Ids of the runs whose resources were removed.
    pub runs_removed: Vec<String>,
    /// Ids of the runs left alone because their owning process still lives.
    pub runs_alive: Vec<String>,
}

/// Removes resources of runs whose owning process is gone (or of every run, with `all`).
pub async fn gc(engine: &Engine, all: bool) -> Result<GcReport, RuntimeError> {
    let docker = engine.docker();
    let filter = HashMap::from([("label".to_string(), vec![LABEL_RUN.to_string()])]);
    let mut owners: HashMap<String, Option<u32>> = HashMap::new();
    let containers = list_containers(engine, &filter).await?;
    let networks = docker
        .list_networks(Some(
            ListNetworksOptionsBuilder::new().filters(&filter).build(),
        ))
        .await
        .map_err(|source| RuntimeError::List {
            what: "networks",
            source,
        })?;
    let labels = containers
        .into_iter()
        .filter_map(|c| c.labels)
        .chain(networks.into_iter().filter_map(|n| n.labels));
    for l in labels {
        if let Some(run) = l.get(LABEL_RUN) {
            let pid = l.get(LABEL_PID).and_then(|p| p.parse().ok());
            owners.entry(run.clone()).or_insert(pid);
        }
    }
    let mut report = GcReport::default();
    let runs: BTreeSet<_> = owners.keys().cloned().collect();
    for run in runs {
        let alive = !all && owners[&run].is_some_and(process_alive);
        if alive {
            report.runs_alive.push(run);
            continue;
        }
        let filter = HashMap::from([("label".to_string(), vec![format!("{LABEL_RUN}={run}")])]);
        remove_labelled(engine, &filter).await?;
        report.runs_removed.push(run);
    }
    // Run-owned tags on shared images carry no labels; their run is in their name.
    let alive = report.runs_alive.clone();
    remove_run_tags(engine, |id| !alive.iter().any(|a| a == id)).await?;
    Ok(report)
}

fn process_alive(pid: u32) -> bool {
    pid != std::process::id() && std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Removes `rollcage-run-<run>/...` tags (a moved tag points at a shared image, so it has no
/// run label) for the runs `pick` selects. Only the tag goes; the shared image stays.
async fn remove_run_tags(engine: &Engine, pick: impl Fn(&str) -> bool) -> Result<(), RuntimeError> {
    let docker = engine.docker();
    let images = docker
        .list_images(Some(ListImagesOptionsBuilder::new().build()))
        .await
        .map_err(|source| RuntimeError::List {
            what: "images",
            source,
        })?;
    let tags = images.into_iter().flat_map(|i| i.repo_tags).filter(|t| {
        t.strip_prefix("rollcage-run-")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(run, _)| pick(run))
    });
    for tag in tags {
        if let Err(source) = docker
            .remove_image(
                &tag,
                None::<bollard::query_parameters::RemoveImageOptions>,
                None,
            )
            .await
        {
            if !is_not_found(&source) {
                return Err(RuntimeError::Image {
                    op: "untagging",
                    image: tag,
                    source,
                });
            }
        }
    }
    Ok(())
}

/// Every container, running or not, matching `filter`.
async fn list_containers(
    engine: &Engine,
    filter: &HashMap<String, Vec<String>>,
) -> Result<Vec<bollard::models::ContainerSummary>, RuntimeError> {
    let list = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(filter)
        .build();
    engine
        .docker()
        .list_containers(Some(list))
        .await
        .map_err(|source| RuntimeError::List {
            what: "containers",
            source,
        })
}
