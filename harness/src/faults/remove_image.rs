//! Fault `remove-image`: the previous release's image disappears after the deploy (a registry
//! retention policy, a pruned node), so a rollback to it finds no artifact.

use super::run_repo;
use crate::rollback::DrillEnv;
use crate::runtime::RuntimeError;

const TAG: &str = "copy";

/// Makes a run-owned copy of the release's image (its own id) and starts the release from it,
/// so removing it later never touches the shared image.
pub async fn prepare(env: &mut DrillEnv, release: &str) -> Result<(), RuntimeError> {
    let image = env.images[release].clone();
    let engine = env.sandbox.engine().clone();
    let repo = run_repo(env.sandbox.run_id(), release);
    engine
        .copy_image(env.sandbox.run_id(), &image, &repo, TAG)
        .await?;
    env.images
        .insert(release.to_string(), format!("{repo}:{TAG}"));
    Ok(())
}

/// Removes the release's run-owned copy, content and all.
pub async fn inject(env: &mut DrillEnv, release: &str) -> Result<String, RuntimeError> {
    // Pruning happens once no container uses the image, as a retention policy would.
    env.sandbox.await_retired().await?;
    let engine = env.sandbox.engine().clone();
    let reference = env.images[release].clone();
    let id = engine
        .image_id(&reference)
        .await?
        .ok_or(RuntimeError::ImageMissing {
            image: reference.clone(),
        })?;
    engine.remove_image(&id).await?;
    Ok(format!("image {reference} ({id}) removed"))
}
