//! Check `rollback-target-missing`: the previous release's image must be on this machine
//! now, and no fault of the scenario may remove it before the rollback needs it (the
//! `missing-artifact` trap).

use super::locate::{Key, Place};
use crate::lint::{Finding, Rule, Severity};
use crate::runtime::Engine;
use crate::scenario::{FaultKind, Scenario};
use crate::vocab::chain;

const REMEDY: &str = "keep the previous release's artifact for as long as a rollback may need \
it: exempt it from retention and pruning, and reference it by digest";

/// The image is inspected (never pulled, never run).
pub async fn check_present(engine: &Engine, s: &Scenario) -> Vec<Finding> {
    let from = s.from_release();
    let place = Place::of(
        s,
        &[
            Key::Name("releases"),
            Key::Name(&from.name),
            Key::Name("image"),
        ],
    );
    match engine.image_id(&from.image).await {
        Ok(Some(_)) => Vec::new(),
        Ok(None) => vec![place.finding(
            Rule::RollbackTargetMissing,
            format!(
                "image {} of the rollback target `{}` is not on this machine: the previous \
                 release cannot be started again",
                from.image, from.name
            ),
            REMEDY,
        )],
        Err(e) => {
            let mut f = place.finding(
                Rule::RollbackTargetMissing,
                format!(
                    "could not tell whether image {} is present: {}",
                    from.image,
                    chain(&e)
                ),
                REMEDY,
            );
            f.severity = Severity::Warning;
            vec![f]
        }
    }
}

/// A `remove-image` fault on the rollback target: it will be gone when the rollback runs.
pub fn scheduled_removal(s: &Scenario) -> Vec<Finding> {
    let from = &s.deploy.from;
    s.faults
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.fault.kind == FaultKind::RemoveImage && f.fault.release() == Some(from.as_str())
        })
        .map(|(i, _)| {
            let place = Place::of(s, &[Key::Name("fault"), Key::Index(i), Key::Name("kind")]);
            place.finding(
                Rule::RollbackTargetMissing,
                format!(
                    "fault {} removes the image of the rollback target `{from}` \
                     after it served: the rollback will find no artifact to start",
                    FaultKind::RemoveImage
                ),
                REMEDY,
            )
        })
        .collect()
}
