//! Fault `remove-image`: the previous release's image disappears after the deploy (a registry
//! retention policy, a pruned node), so a rollback to it finds no artifact.

use futures_util::future::BoxFuture;

use super::{run_repo, FaultError, Injected, Kind};
use crate::env::DrillEnv;
use crate::runtime::RuntimeError;
use crate::scenario::RELEASE;
use crate::scenario::{FaultParams, FaultSpec, Param, ParamType, ParamValue, Phase, Scenario};
use crate::vocab::FaultKind;

const TAG: &str = "copy";

/// The release whose image goes.
const GONE: Param = Param {
    name: RELEASE,
    ty: ParamType::Release,
};

static SPEC: FaultSpec = FaultSpec::new(FaultKind::RemoveImage, plan)
    .params(&[GONE])
    .acts_at(
        &[Phase::AfterDeploy, Phase::BeforeRollback],
        "an image can only be removed once no container runs it",
    );

fn plan(p: &FaultParams) -> String {
    format!(
        "remove (a run-owned copy of) release `{}`'s image",
        GONE.release(p)
    )
}

pub struct RemoveImage;

impl Kind for RemoveImage {
    fn spec(&self) -> &'static FaultSpec {
        &SPEC
    }

    /// The deployed-from release's image: the one a rollback needs.
    fn generate(&self, s: &Scenario, _choice: u32) -> FaultParams {
        let mut p = FaultParams::default();
        GONE.set(&mut p, ParamValue::Release(s.deploy.from.clone()));
        p
    }

    /// An image can only go once no container runs it: after the deploy replaced it.
    fn place(&self, at: Phase, _migrates_down: bool) -> Phase {
        if at >= Phase::BeforeRollback {
            Phase::BeforeRollback
        } else {
            Phase::AfterDeploy
        }
    }

    /// Copies first: a moved tag then starts out on the copy, and removing the copy never
    /// follows a tag that has moved to another image.
    fn prepare_rank(&self) -> u8 {
        0
    }

    fn prepare<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<(), FaultError>> {
        Box::pin(async move { Ok(prepare(env, GONE.release(p)).await?) })
    }

    fn inject<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>> {
        Box::pin(async move { Ok(Injected::done(inject(env, GONE.release(p)).await?)) })
    }
}

/// Makes a run-owned copy of the release's image (its own id) and starts the release from it,
/// so removing it later never touches the shared image. The copy's id is remembered: that id,
/// and nothing a tag may point at later, is what the fault removes.
async fn prepare(env: &mut DrillEnv, release: &str) -> Result<(), RuntimeError> {
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
async fn inject(env: &mut DrillEnv, release: &str) -> Result<String, RuntimeError> {
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
