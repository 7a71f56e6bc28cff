//! Check `rollback-target-not-pinned`: the rollback redeploys the previous release by its
//! tag, which may have moved since it was deployed (the `mutable-tag` trap). With
//! `image-ref = "digest"` rollcage captures the digest before deploying, so it is pinned.

use super::locate::{Key, Place};
use crate::lint::{Finding, Rule};
use crate::scenario::{FaultKind, ImageRef, Scenario};

const REMEDY: &str = "roll back by digest (`image-ref = \"digest\"`): record the previous \
release's image digest before deploying and redeploy exactly that, never a mutable tag";

pub fn check(s: &Scenario) -> Vec<Finding> {
    let from = s.from_release();
    if s.rollback.image_ref != ImageRef::Tag || pinned(&from.image) {
        return Vec::new();
    }
    let moved = s
        .faults
        .iter()
        .any(|f| f.fault.kind == FaultKind::MoveTag && f.fault.release() == Some(&from.name));
    let why = if moved {
        format!(
            " — and this scenario's {} fault moves it during the drill",
            FaultKind::MoveTag
        )
    } else {
        String::new()
    };
    let place = Place::of(s, &[Key::Name("rollback"), Key::Name("image-ref")]);
    vec![place.finding(
        Rule::RollbackTargetNotPinned,
        format!(
            "the rollback redeploys `{}` by its mutable tag `{}`: whatever the tag names at \
             rollback time runs, not necessarily what ran before the deploy{why}",
            from.name, from.image
        ),
        REMEDY,
    )]
}

/// An image ID or a `repo@sha256:` reference cannot move.
fn pinned(image: &str) -> bool {
    image.starts_with("sha256:") || image.contains("@sha256:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tags_are_mutable() {
        assert!(pinned("sha256:0123abcd"));
        assert!(pinned("rollcage/ledger@sha256:0123abcd"));
        assert!(!pinned("rollcage/ledger:baseline"));
        assert!(!pinned("rollcage/ledger"));
    }
}
