//! Preflight: what can be known about a scenario's rollback before anything starts — the
//! rollback target's image is there and will still be there, it is redeployed by digest,
//! the migrations a schema rollback crosses have downs (and run after the code switch), and
//! the lint findings for what the deploy applies. `rollcage drill` runs it before deploying;
//! `rollcage preflight` runs it alone. It inspects images and reads files; it starts nothing.
//! Each finding is then held against the scenario (`dispose`: declared, expected or
//! silenced), and `predict` holds them against what the drill observed.

mod disposition;
mod down;
mod locate;
mod pinned;
pub mod predict;
mod target;

pub use disposition::dispose;
pub use locate::{Key, Place};
pub use predict::compare;

use crate::lint::report::Group;
use crate::lint::{self, tidy, Finding, Rule};
use crate::runtime::Engine;
use crate::scenario::Scenario;
use crate::vocab::chain;

/// Every preflight finding for `s`, ordered by file and line.
pub async fn preflight(engine: &Engine, s: &Scenario) -> Vec<Finding> {
    let mut findings = target::check_present(engine, s).await;
    findings.extend(static_checks(s));
    tidy(dispose(s, findings))
}

/// The checks that need no engine: a scheduled removal of the target image, pinning, down
/// migrations and their order, and the lint of what the deploy applies.
pub fn static_checks(s: &Scenario) -> Vec<Finding> {
    let mut findings = target::scheduled_removal(s);
    findings.extend(pinned::check(s));
    findings.extend(down::check(s));
    match lint::lint_scenario(s) {
        Ok(found) => findings.extend(found),
        Err(e) => {
            let place = Place::of(
                s,
                &[
                    Key::Name("releases"),
                    Key::Name(&s.deploy.to),
                    Key::Name("migrations"),
                ],
            );
            findings.push(place.finding(
                Rule::MigrationUnreadable,
                format!(
                    "the migrations of `{}` could not be linted: {}",
                    s.deploy.to,
                    chain(&e)
                ),
                "fix the migration file so PostgreSQL can parse it (a drill would fail on it too)",
            ));
        }
    }
    tidy(dispose(s, findings))
}

/// The findings of one scenario, headed for reports.
pub fn group(s: &Scenario, findings: Vec<Finding>) -> Group {
    Group {
        name: s.name.clone(),
        file: lint::display_path(&s.source),
        heading: format!(
            "{} ({} -> {}, {})",
            s.name,
            s.deploy.from,
            s.deploy.to,
            s.rollback.strategy.as_str()
        ),
        findings,
    }
}

/// Whether any finding the scenario does not account for is an error.
pub fn blocks(findings: &[Finding]) -> bool {
    crate::lint::report::fails(findings, crate::lint::Severity::Error)
}
