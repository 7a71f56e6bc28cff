//! Image lookups and the run-owned image operations faults need: resolve a reference to its
//! id, point a run-owned tag at an image, make a run-owned copy, remove an image.

use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{
    CommitContainerOptionsBuilder, CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder,
    RemoveImageOptionsBuilder, TagImageOptionsBuilder,
};

use super::engine::is_not_found;
use super::{Engine, RunId, RuntimeError};

impl Engine {
    /// The image id (`sha256:...`) a reference resolves to now, or None if absent.
    pub async fn image_id(&self, reference: &str) -> Result<Option<String>, RuntimeError> {
        match self.docker().inspect_image(reference).await {
            Ok(info) => Ok(info.id),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(source) => Err(RuntimeError::Image {
                op: "inspecting",
                image: reference.into(),
                source,
            }
            .timed()),
        }
    }

    /// Whether the image carries `org.rollcage.run=<run>`: only such images are ever deleted.
    pub async fn image_owned_by(&self, reference: &str, run: &RunId) -> Result<bool, RuntimeError> {
        match self.docker().inspect_image(reference).await {
            Ok(info) => Ok(info.config.and_then(|c| c.labels).is_some_and(|l| {
                l.get(super::LABEL_RUN).map(String::as_str) == Some(run.as_str())
            })),
            Err(e) if is_not_found(&e) => Ok(false),
            Err(source) => Err(RuntimeError::Image {
                op: "inspecting",
                image: reference.into(),
                source,
            }
            .timed()),
        }
    }

    /// Points the run's tag `repo:tag` at `image` (moving it if it already exists). The tag
    /// is recorded first in a volume carrying the run's labels, since a tag has no labels of
    /// its own: cleanup finds it by that record and removes the tag, never the image.
    pub async fn tag_image(
        &self,
        run: &RunId,
        image: &str,
        repo: &str,
        tag: &str,
    ) -> Result<(), RuntimeError> {
        let _permit = super::closing::permit()?;
        let named = format!("{repo}:{tag}");
        let clean: String = named
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let mut labels = run.labels();
        labels.insert(super::LABEL_TAG.into(), named);
        let record = bollard::models::VolumeCreateRequest {
            name: Some(format!("rollcage-{run}-tag-{clean}")),
            labels: Some(labels),
            ..Default::default()
        };
        self.docker()
            .create_volume(record)
            .await
            .map_err(|source| {
                RuntimeError::Volume {
                    op: "creating",
                    name: format!("rollcage-{run}-tag-{clean}"),
                    source,
                }
                .timed()
            })?;
        let options = TagImageOptionsBuilder::new().repo(repo).tag(tag).build();
        self.docker()
            .tag_image(image, Some(options))
            .await
            .map_err(|source| {
                RuntimeError::Image {
                    op: "tagging",
                    image: image.into(),
                    source,
                }
                .timed()
            })
    }

    /// Removes an image reference (untags, or deletes when it is the last reference).
    pub async fn remove_image(&self, reference: &str) -> Result<(), RuntimeError> {
        let options = RemoveImageOptionsBuilder::new().force(true).build();
        match self
            .docker()
            .remove_image(reference, Some(options), None)
            .await
        {
            Err(source) if !is_not_found(&source) => Err(RuntimeError::Image {
                op: "removing",
                image: reference.into(),
                source,
            }
            .timed()),
            _ => Ok(()),
        }
    }

    /// A copy of `image` with its own id, labelled with the run (so removing it never
    /// touches the shared image), tagged `repo:tag`. Returns the copy's id.
    pub async fn copy_image(
        &self,
        run: &RunId,
        image: &str,
        repo: &str,
        tag: &str,
    ) -> Result<String, RuntimeError> {
        let _permit = super::closing::permit()?;
        let docker = self.docker();
        let name = format!("rollcage-{run}-copy-{tag}");
        let body = ContainerCreateBody {
            image: Some(image.into()),
            labels: Some(run.labels()),
            ..Default::default()
        };
        let create = CreateContainerOptionsBuilder::new().name(&name).build();
        docker
            .create_container(Some(create), body)
            .await
            .map_err(|source| {
                if is_not_found(&source) {
                    RuntimeError::ImageMissing {
                        image: image.into(),
                    }
                } else {
                    RuntimeError::CreateContainer {
                        name: name.clone(),
                        image: image.into(),
                        source,
                    }
                    .timed()
                }
            })?;
        let labels: Vec<String> = run
            .labels()
            .into_iter()
            .map(|(k, v)| format!("LABEL {k}={v}"))
            .collect();
        let commit = CommitContainerOptionsBuilder::new()
            .container(&name)
            .repo(repo)
            .tag(tag)
            .changes(&labels.join("\n"))
            .pause(false)
            .build();
        let committed = docker
            .commit_container(commit, bollard::models::ContainerConfig::default())
            .await
            .map_err(|source| {
                RuntimeError::Image {
                    op: "copying",
                    image: image.into(),
                    source,
                }
                .timed()
            });
        let remove = RemoveContainerOptionsBuilder::new().force(true).build();
        let _ = docker.remove_container(&name, Some(remove)).await;
        let id = committed?.id;
        Ok(id)
    }
}
