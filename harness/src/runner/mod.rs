//! The runner: what runs drills on behalf of a caller. `run_drill` holds preflight's findings
//! against one drill of the engine (`rollback::execute_with`); `run_drill_with` also hands the
//! drill's events on as they happen; `run_drill_warm` does the same in a shared environment;
//! `run_scenario` repeats a scenario into a `DrillRecord`, `run_all` runs a list of them (up
//! to `--jobs` at once) with every event reported; `Partition` picks a CI job's share of the
//! scenarios. Preflight and the engine sit side by side below it.

mod jobs;
mod partition;
mod repeat;

pub use jobs::{run_all, RunPlan};
pub use partition::{Partition, PartitionError};
pub use repeat::run_scenario;

use std::borrow::Cow;

use crate::events::DrillEvent;
use crate::lint::Finding;
use crate::outcome::{DrillOutcome, Redactor, REDACTED};
use crate::preflight::{compare, preflight};
use crate::rollback::{self, DrillError, WarmEnv};
use crate::runtime::Engine;
use crate::scenario::Scenario;

/// Runs one drill of `scenario`, preflight first, and removes everything it started.
pub async fn run_drill(engine: &Engine, scenario: &Scenario) -> Result<DrillOutcome, DrillError> {
    run_drill_with(engine, scenario, |_| {}).await
}

/// `run_drill`, handing each of the drill's events to `on_event` as it happens.
pub async fn run_drill_with(
    engine: &Engine,
    scenario: &Scenario,
    mut on_event: impl FnMut(DrillEvent) + Send,
) -> Result<DrillOutcome, DrillError> {
    let scenario = &with_password(scenario);
    // Before the drill starts, so its reads and image inspections skew no figure.
    let findings = preflight(engine, scenario).await;
    let secrets = secrets(scenario);
    let redacted = |mut e: DrillEvent| {
        e.redact(&secrets);
        on_event(e)
    };
    let outcome = rollback::execute_with(engine, scenario, redacted).await;
    Ok(predicted(
        unless_closing(outcome).await?,
        findings,
        &secrets,
    ))
}

/// The scenario with the database password it sets, or with one drawn for this drill.
fn with_password(s: &Scenario) -> Cow<'_, Scenario> {
    if s.database.password.is_some() {
        return Cow::Borrowed(s);
    }
    let mut drawn = s.clone();
    drawn.database.password = Some(uuid::Uuid::new_v4().simple().to_string());
    Cow::Owned(drawn)
}

/// The scenario's secrets: the database password, and every environment value whose name
/// looks secret, wherever the scenario sets one.
fn secrets(s: &Scenario) -> Redactor {
    let mut values = vec![s.database.password().to_string()];
    let envs = [&s.database.env, &s.app.env]
        .into_iter()
        .chain(s.releases.iter().map(|r| &r.env))
        .chain(s.services.iter().map(|x| &x.env));
    for env in envs {
        let mut pairs: Vec<(String, String)> =
            env.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let original = pairs.clone();
        Redactor::default().env(&mut pairs);
        // A value the name-based rule hid is a secret wherever else it shows up.
        for ((_, was), (_, now)) in original.iter().zip(&pairs) {
            if now == REDACTED && !was.contains('{') {
                values.push(was.clone());
            }
        }
    }
    Redactor::new(values)
}

/// `run_drill` in `warm` when the scenario allows it (see `rollback::execute_warm`).
pub async fn run_drill_warm(
    engine: &Engine,
    warm: &mut Option<WarmEnv>,
    scenario: &Scenario,
) -> Result<DrillOutcome, DrillError> {
    let scenario = &match warm.as_ref().and_then(|w| w.password()) {
        // Cases in a shared server connect with the password it was started with.
        Some(p) => Cow::Owned(Scenario {
            database: crate::scenario::Database {
                password: Some(p.to_string()),
                ..scenario.database.clone()
            },
            ..scenario.clone()
        }),
        None => with_password(scenario),
    };
    // On the scenario as written: the case's private database name changes no finding.
    let findings = preflight(engine, scenario).await;
    let outcome = rollback::execute_warm(engine, warm, scenario).await;
    Ok(predicted(
        unless_closing(outcome).await?,
        findings,
        &secrets(scenario),
    ))
}

/// The drill's result, unless rollcage is stopping: then the drill was cut short by the
/// cleanup itself (its containers removed under it), so its result is no verdict and no
/// harness failure either. It is never handed on, and no report is written from it; the
/// signal handler ends the process with its own exit code.
async fn unless_closing<T>(result: T) -> T {
    if crate::runtime::closing() {
        std::future::pending::<()>().await;
    }
    result
}

/// The outcome with preflight's findings and their comparison with what it observed.
/// Findings never stop a drill: the drill is what confirms or refutes them.
/// Secrets are redacted last, from everything reports will show.
fn predicted(
    mut outcome: DrillOutcome,
    findings: Vec<Finding>,
    secrets: &Redactor,
) -> DrillOutcome {
    outcome.predictions = compare(&findings, &outcome);
    outcome.preflight = findings;
    secrets.outcome(&mut outcome);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        Scenario::load(&root.join("scenarios/notnull-fixed-code-only.toml")).unwrap()
    }

    #[test]
    fn each_drill_draws_its_own_password_unless_the_scenario_sets_one() {
        let s = scenario();
        assert_eq!(s.database.password, None);
        let (a, b) = (with_password(&s), with_password(&s));
        let (a, b) = (a.database.password().to_string(), b.database.password());
        assert_eq!(a.len(), 32, "{a}");
        assert_ne!(a, b, "two drills, two passwords");
        let drawn = with_password(&s);
        let password = drawn.database.password();
        let mut url = format!("postgres://postgres:{password}@db:5432/postgres");
        secrets(&drawn).text(&mut url);
        assert!(!url.contains(password), "{url}");
        let mut set = scenario();
        set.database.password = Some("given".into());
        assert!(matches!(with_password(&set), Cow::Borrowed(_)));
    }
}
