//! `switch-code`: start the previous release from the captured image (by digest) or its tag,
//! wait for its health, and cut traffic over to it. A previous release whose process dies
//! before it is healthy fails the step; the release it was to replace keeps serving.

use crate::rollback::drill::Drill;
use crate::rollback::error::StepError;
use crate::scenario::ImageRef;
use crate::timeline::EventKind;

pub async fn run(d: &mut Drill<'_>) -> Result<String, StepError> {
    let s = d.scenario;
    let from = s.from_release();
    let image = match s.rollback.image_ref {
        ImageRef::Digest => d.capture.image_id.clone(),
        ImageRef::Tag => d.env.images[&from.name].clone(),
    };
    let launched = d
        .env
        .launch(s, from, &image, false)
        .await
        .map_err(|e| StepError::launching(e, &image))?;
    let (started, probe) = (launched.started, launched.probe);
    d.emit.milestone_at(
        started,
        EventKind::ReleaseStarted,
        format!("{} process started", from.name),
    );
    d.effects.previous_probe = Some(probe.clone());
    let c = match launched.container {
        Ok(c) => c,
        Err(exited) => {
            // The health oracle reads the exit too, so the verdict carries it.
            d.effects.previous_exit = Some(exited.clone());
            return Err(StepError::ReleaseExited(exited));
        }
    };
    d.effects.previous_exit = None;
    if let Some(at) = probe.healthy_at {
        d.emit.milestone_at(
            at,
            EventKind::FirstHealthyProbe,
            format!("{} healthy", from.name),
        );
        d.effects.time_to_healthy = Some(at.duration_since(started));
    }
    let healthy = probe.healthy_at.is_some();
    let detail = format!(
        "{} started from {image}{}",
        from.name,
        if healthy { "" } else { " (never healthy)" }
    );
    d.env
        .cut_over(s, c, &from.name)
        .await
        .map_err(StepError::Runtime)?;
    Ok(detail)
}
