//! Prediction against observation on every bundled ledger scenario, as real drills: each
//! failing oracle or failed step the drill observes was predicted by preflight, each trap's
//! own rule is confirmed, and the releases designed to be safe raise no lint finding.
//!
//! Drills run one at a time: the figures they compute must not be skewed by each other.

use std::path::Path;

use rollcage::lint::{self, Rule, Severity};
use rollcage::preflight::{compare, preflight, PredictionStatus, PredictionTable};
use rollcage::rollback::run_drill;
use rollcage::runtime::Engine;
use rollcage::scenario;

/// (scenario, rule its trap must confirm; None for the scenarios designed to be safe)
const SCENARIOS: [(&str, Option<Rule>); 15] = [
    ("reference", None),
    ("notnull-code-only", Some(Rule::SetNotNull)),
    ("notnull-fixed-code-only", None),
    ("notnull-fixed-code-only-pg17", None),
    ("flag-then-schema", None),
    ("schema-before-flag", Some(Rule::DownBeforeSwitchCode)),
    ("mutable-tag", Some(Rule::RollbackTargetNotPinned)),
    ("missing-artifact", Some(Rule::RollbackTargetMissing)),
    ("forward-only-schema-rollback", Some(Rule::NoDownMigration)),
    ("tags-down-undeclared", Some(Rule::DownDropsData)),
    ("tags-down-declared", Some(Rule::DownDropsData)),
    ("restore-snapshot", None),
    ("auto-trigger-bad-release", None),
    ("auto-trigger-healthy-release", None),
    ("slowstart-time-to-healthy", None),
];

/// Releases built to roll back safely: linting a deploy to one of them finds nothing.
const SAFE_RELEASES: [&str; 5] = ["baseline", "expand", "notnull-fixed", "bad", "slowstart"];

async fn table(engine: &Engine, name: &str) -> (PredictionTable, Vec<lint::Finding>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    let s = scenario::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let findings = preflight(engine, &s).await;
    if SAFE_RELEASES.contains(&s.deploy.to.as_str()) {
        let lint = lint::lint_scenario(&s).unwrap();
        let raised: Vec<_> = lint
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .collect();
        assert!(
            raised.is_empty(),
            "{name}: safe release `{}` flagged: {raised:#?}",
            s.deploy.to
        );
    }
    let outcome = run_drill(engine, &s)
        .await
        .unwrap_or_else(|e| panic!("{name}: drill could not run: {e}"));
    assert!(outcome.matched, "{name}: {:?}", outcome.mismatch());
    (compare(&findings, &outcome), findings)
}

#[tokio::test]
async fn every_observed_trap_was_predicted() {
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    for (name, trap) in SCENARIOS {
        let (t, findings) = table(&engine, name).await;
        // Time budgets are not a lint matter: an over-budget recovery on a loaded machine is
        // a real observation, but no migration predicts it.
        let unpredicted: Vec<_> = t
            .unpredicted()
            .into_iter()
            .filter(|o| o.name != "budget")
            .collect();
        assert!(
            unpredicted.is_empty(),
            "{name}: unpredicted {unpredicted:#?}\nfindings {findings:#?}"
        );
        match trap {
            Some(rule) => {
                let row = t.predictions.iter().find(|p| p.rule == rule);
                let row = row.unwrap_or_else(|| panic!("{name}: {rule} not predicted: {t:#?}"));
                assert_eq!(row.status, PredictionStatus::Confirmed, "{name}: {row:#?}");
            }
            None => {
                let confirmed: Vec<_> = t
                    .predictions
                    .iter()
                    .filter(|p| p.status == PredictionStatus::Confirmed)
                    .collect();
                assert!(
                    confirmed.is_empty(),
                    "{name}: a safe drill confirmed {confirmed:#?}"
                );
                assert!(
                    t.observations.iter().all(|o| o.name == "budget"),
                    "{name}: {t:#?}"
                );
            }
        }
    }
}
