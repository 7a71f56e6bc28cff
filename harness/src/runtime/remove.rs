//! `remove_labelled`: removes everything a label filter selects — containers, the tags a
//! run pointed at shared images, images, networks and volumes — past individual failures.
//!
//! A removal the engine refuses for the moment (409: a removal already in progress, a
//! network with endpoints still attached) is retried; every failure that remains is kept
//! with its cause. After a round that found anything, the engine is listed again, so
//! something whose creation landed late is removed too.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use bollard::query_parameters::{
    ListContainersOptionsBuilder, ListImagesOptionsBuilder, ListNetworksOptionsBuilder,
    ListVolumesOptionsBuilder, RemoveContainerOptionsBuilder, RemoveImageOptionsBuilder,
    RemoveVolumeOptions,
};

use super::engine::{is_not_found, status};
use super::{Engine, RuntimeError, LABEL_RUN, LABEL_TAG};

type Filter = HashMap<String, Vec<String>>;

/// Rounds of list-and-remove before cleanup gives up.
const ROUNDS: usize = 4;
/// Tries of one removal the engine refuses for the moment, and the pause between them.
const TRIES: u32 = 40;
const PAUSE: Duration = Duration::from_millis(250);

/// Removes everything `filter` selects; returns every failure of the last round.
pub(crate) async fn remove_labelled(engine: &Engine, filter: &Filter) -> Vec<RuntimeError> {
    let mut failures = Vec::new();
    for _ in 0..ROUNDS {
        failures.clear();
        let found = round(engine, filter, &mut failures).await;
        if found == 0 && failures.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    failures
}

/// One pass over every kind of resource; returns how many resources it found.
async fn round(engine: &Engine, filter: &Filter, failures: &mut Vec<RuntimeError>) -> usize {
    let docker = engine.docker();
    let mut found = 0;
    let list = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(filter);
    match docker.list_containers(Some(list.build())).await {
        Ok(containers) => {
            found += containers.len();
            let force = RemoveContainerOptionsBuilder::new()
                .force(true)
                .v(true)
                .build();
            // Together: each removal mostly waits for the container's process to die.
            let removals = containers.into_iter().map(|c| {
                let id = c.id.unwrap_or_default();
                let force = force.clone();
                async move {
                    retried(|| docker.remove_container(&id, Some(force.clone())))
                        .await
                        .map_err(|source| {
                            RuntimeError::Container {
                                op: "removing",
                                name: id,
                                source,
                            }
                            .timed()
                        })
                }
            });
            let results = futures_util::future::join_all(removals).await;
            failures.extend(results.into_iter().filter_map(Result::err));
        }
        Err(source) => failures.push(listing("containers", source)),
    }
    // Tag records first: while a record exists, its tag is known to be the run's.
    let volumes = match docker
        .list_volumes(Some(
            ListVolumesOptionsBuilder::new().filters(filter).build(),
        ))
        .await
    {
        Ok(list) => list.volumes.unwrap_or_default(),
        Err(source) => {
            failures.push(listing("volumes", source));
            Vec::new()
        }
    };
    found += volumes.len();
    let mut untagged = Vec::new();
    for v in &volumes {
        let Some(tag) = v.labels.get(LABEL_TAG) else {
            untagged.push(true);
            continue;
        };
        let run = v.labels.get(LABEL_RUN).map(String::as_str).unwrap_or("");
        match untag(engine, run, tag).await {
            Ok(()) => untagged.push(true),
            Err(e) => {
                failures.push(e);
                untagged.push(false);
            }
        }
    }
    let images = ListImagesOptionsBuilder::new().all(true).filters(filter);
    match docker.list_images(Some(images.build())).await {
        Ok(images) => {
            found += images.len();
            let force = RemoveImageOptionsBuilder::new().force(true).build();
            for image in images {
                let removed = retried(|| docker.remove_image(&image.id, Some(force.clone()), None));
                if let Err(source) = removed.await {
                    failures.push(
                        RuntimeError::Image {
                            op: "removing",
                            image: image.id,
                            source,
                        }
                        .timed(),
                    );
                }
            }
        }
        Err(source) => failures.push(listing("images", source)),
    }
    let networks = ListNetworksOptionsBuilder::new().filters(filter).build();
    match docker.list_networks(Some(networks)).await {
        Ok(networks) => {
            found += networks.len();
            for n in networks {
                let name = n.name.unwrap_or_default();
                if let Err(source) = retried(|| docker.remove_network(&name)).await {
                    failures.push(
                        RuntimeError::Network {
                            op: "removing",
                            name,
                            source,
                        }
                        .timed(),
                    );
                }
            }
        }
        Err(source) => failures.push(listing("networks", source)),
    }
    for (v, done) in volumes.into_iter().zip(untagged) {
        // A record whose tag could not go stays, so a later gc finds the tag again.
        if !done {
            continue;
        }
        let options = None::<RemoveVolumeOptions>;
        if let Err(source) = retried(|| docker.remove_volume(&v.name, options.clone())).await {
            failures.push(
                RuntimeError::Volume {
                    op: "removing",
                    name: v.name,
                    source,
                }
                .timed(),
            );
        }
    }
    found
}

/// Removes the run's tag `tag` without ever deleting the image under it: only when the
/// image is the run's own, or has another name that keeps it.
async fn untag(engine: &Engine, run: &str, tag: &str) -> Result<(), RuntimeError> {
    let docker = engine.docker();
    let info = match docker.inspect_image(tag).await {
        Ok(info) => info,
        Err(e) if is_not_found(&e) => return Ok(()),
        Err(source) => {
            return Err(RuntimeError::Image {
                op: "inspecting",
                image: tag.into(),
                source,
            }
            .timed())
        }
    };
    let labels = info.config.and_then(|c| c.labels).unwrap_or_default();
    let owned = !run.is_empty() && labels.get(LABEL_RUN).map(String::as_str) == Some(run);
    let names = info.repo_tags.map_or(0, |t| t.len());
    if !owned && names < 2 {
        return Err(RuntimeError::TagKept {
            tag: tag.into(),
            image: info.id.unwrap_or_default(),
        });
    }
    // Not forced, and without pruning: a tag among others is only untagged.
    let options = RemoveImageOptionsBuilder::new().noprune(true).build();
    retried(|| docker.remove_image(tag, Some(options.clone()), None))
        .await
        .map_err(|source| {
            RuntimeError::Image {
                op: "untagging",
                image: tag.into(),
                source,
            }
            .timed()
        })
}

/// Runs a removal until it succeeds, finds nothing (404: already gone), fails for good, or
/// `TRIES` run out; 409 (conflict) and 403 (endpoints still attached) are retried.
async fn retried<F, Fut, T>(mut call: F) -> Result<(), bollard::errors::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, bollard::errors::Error>>,
{
    let mut tries = 0;
    loop {
        tries += 1;
        match call().await {
            Ok(_) => return Ok(()),
            Err(e) if is_not_found(&e) => return Ok(()),
            Err(e) if tries < TRIES && matches!(status(&e), Some(409 | 403)) => {
                tokio::time::sleep(PAUSE).await;
            }
            Err(e) => return Err(e),
        }
    }
}

fn listing(what: &'static str, source: bollard::errors::Error) -> RuntimeError {
    RuntimeError::List { what, source }.timed()
}
