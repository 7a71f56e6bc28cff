//! `flags-off`: restart the new release with its feature flags off, from the image it runs.
//! If that process dies before it is healthy the step fails and the flagged one keeps serving.

use crate::rollback::drill::Drill;
use crate::rollback::error::StepError;

pub async fn run(d: &mut Drill<'_>) -> Result<String, StepError> {
    let s = d.scenario;
    let to = s.to_release();
    if to.flags.is_empty() {
        return Ok(format!("{} has no flags", to.name));
    }
    let image = d
        .env
        .app
        .as_ref()
        .map(|(c, _)| c.image_id.clone())
        .unwrap_or_else(|| d.env.images[&to.name].clone());
    let launched = d
        .env
        .launch(s, to, &image, true)
        .await
        .map_err(|e| StepError::launching(e, &image))?;
    // Dead without its flags: nothing to cut over to, so the step fails.
    let c = launched.container.map_err(StepError::ReleaseExited)?;
    let names: Vec<_> = to.flags.keys().cloned().collect();
    let healthy = if launched.probe.healthy_at.is_some() {
        ""
    } else {
        " (never healthy)"
    };
    d.env
        .cut_over(s, c, &to.name)
        .await
        .map_err(StepError::Runtime)?;
    Ok(format!(
        "{} restarted without {}{healthy}",
        to.name,
        names.join(", ")
    ))
}
