//! Fault `move-tag`: the mutable tag a release was deployed from is moved to another image
//! (a rebuilt `:latest`, a re-pushed version tag), so redeploying "the same tag" runs other code.

use futures_util::future::BoxFuture;

use super::{run_repo, FaultError, Injected, Kind};
use crate::env::DrillEnv;
use crate::runtime::RuntimeError;
use crate::scenario::{FaultParams, FaultSpec, Param, ParamType, ParamValue, Scenario, RELEASE};
use crate::vocab::FaultKind;

const TAG: &str = "current";

/// The release whose tag moves, and the release whose image it moves to.
const FROM: Param = Param {
    name: RELEASE,
    ty: ParamType::Release,
};
const TO: Param = Param {
    name: "to",
    ty: ParamType::Release,
};

static SPEC: FaultSpec = FaultSpec::new(FaultKind::MoveTag, plan).params(&[FROM, TO]);

fn plan(p: &FaultParams) -> String {
    let (release, to) = (FROM.release(p), TO.release(p));
    format!("move a run-owned copy of release `{release}`'s tag to release `{to}`'s image")
}

pub struct MoveTag;

impl Kind for MoveTag {
    fn spec(&self) -> &'static FaultSpec {
        &SPEC
    }

    /// The deployed-from release's tag moves to the deployed release's image.
    fn generate(&self, s: &Scenario, _choice: u32) -> FaultParams {
        let mut p = FaultParams::default();
        FROM.set(&mut p, ParamValue::Release(s.deploy.from.clone()));
        TO.set(&mut p, ParamValue::Release(s.deploy.to.clone()));
        p
    }

    fn prepare<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<(), FaultError>> {
        Box::pin(async move { Ok(prepare(env, FROM.release(p)).await?) })
    }

    fn inject<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>> {
        Box::pin(async move {
            let what = inject(env, FROM.release(p), TO.release(p)).await?;
            Ok(Injected::done(what))
        })
    }
}

/// Points a run-owned tag at the release's image; the release is started from that tag.
async fn prepare(env: &mut DrillEnv, release: &str) -> Result<(), RuntimeError> {
    let image = env.images[release].clone();
    let engine = env.sandbox.engine().clone();
    let id = engine
        .image_id(&image)
        .await?
        .ok_or(RuntimeError::ImageMissing { image })?;
    let repo = run_repo(env.sandbox.run_id(), release);
    engine
        .tag_image(env.sandbox.run_id(), &id, &repo, TAG)
        .await?;
    env.images
        .insert(release.to_string(), format!("{repo}:{TAG}"));
    Ok(())
}

/// Moves the release's run-owned tag to the image release `to` runs.
async fn inject(env: &mut DrillEnv, release: &str, to: &str) -> Result<String, RuntimeError> {
    let engine = env.sandbox.engine().clone();
    let target = env.images[to].clone();
    let id = engine
        .image_id(&target)
        .await?
        .ok_or(RuntimeError::ImageMissing {
            image: target.clone(),
        })?;
    let repo = run_repo(env.sandbox.run_id(), release);
    engine
        .tag_image(env.sandbox.run_id(), &id, &repo, TAG)
        .await?;
    Ok(format!("tag {repo}:{TAG} moved to {target} ({id})"))
}
