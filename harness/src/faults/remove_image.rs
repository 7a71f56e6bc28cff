//! Fault `remove-image`: the previous release's image disappears after the deploy (a registry
//! retention policy, a pruned node), so a rollback to it finds no artifact.

use super::run_repo;
use crate::env::DrillEnv;
use crate::runtime::RuntimeError;

const TAG: &str = "copy";

/// Makes a run-owned copy of the release's image (its own id) and starts the release from it,
/// so removing it later never touches the shared image. The copy's id is remembered: that id,
/// and nothing a tag may point at later, is what the fault removes.
pub async fn prepare(env: &mut DrillEnv, release: &str) -> Result<(), RuntimeError> {
    let image = env.images[release].clone();
    let engine = env.sandbox.engine().clone();
    let repo = run_repo(env.sandbox.run_id(), release);
    let id = engine
        .copy_image(env.sandbox.run_id(), &image, &repo, TAG)
        .await?;
    env.images
        .insert(release.to_string(), format!("{repo}:{TAG}"));
    env.copies.insert(release.to_string(), id);
    Ok(())
}

/// Removes the release's run-owned copy, content and all.
pub async fn inject(env: &mut DrillEnv, release: &str) -> Result<String, RuntimeError> {
    // Pruning happens once no container uses the image, as a retention policy would.
    env.sandbox.await_retired().await?;
    let engine = env.sandbox.engine().clone();
    let id = env
        .copies
        .get(release)
        .cloned()
        .ok_or_else(|| RuntimeError::ImageMissing {
            image: release.into(),
        })?;
    // Never delete what this run did not make.
    if !engine.image_owned_by(&id, env.sandbox.run_id()).await? {
        return Err(RuntimeError::ImageMissing {
            image: format!("{id} (not a copy owned by this run)"),
        });
    }
    engine.remove_image(&id).await?;
    Ok(format!(
        "run-owned copy of {release}'s image ({id}) removed"
    ))
}
