//! Fault `move-tag`: the mutable tag a release was deployed from is moved to another image
//! (a rebuilt `:latest`, a re-pushed version tag), so redeploying "the same tag" runs other code.

use super::run_repo;
use crate::env::DrillEnv;
use crate::runtime::RuntimeError;

const TAG: &str = "current";

/// Points a run-owned tag at the release's image; the release is started from that tag.
pub async fn prepare(env: &mut DrillEnv, release: &str) -> Result<(), RuntimeError> {
    let image = env.images[release].clone();
    let engine = env.sandbox.engine().clone();
    let id = engine
        .image_id(&image)
        .await?
        .ok_or(RuntimeError::ImageMissing { image })?;
    let repo = run_repo(env.sandbox.run_id(), release);
    engine.tag_image(&id, &repo, TAG).await?;
    env.images
        .insert(release.to_string(), format!("{repo}:{TAG}"));
    Ok(())
}

/// Moves the release's run-owned tag to the image release `to` runs.
pub async fn inject(env: &mut DrillEnv, release: &str, to: &str) -> Result<String, RuntimeError> {
    let engine = env.sandbox.engine().clone();
    let target = env.images[to].clone();
    let id = engine
        .image_id(&target)
        .await?
        .ok_or(RuntimeError::ImageMissing {
            image: target.clone(),
        })?;
    let repo = run_repo(env.sandbox.run_id(), release);
    engine.tag_image(&id, &repo, TAG).await?;
    Ok(format!("tag {repo}:{TAG} moved to {target} ({id})"))
}
