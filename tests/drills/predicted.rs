//! Prediction against observation, asserted on every drill `tests/drills.rs` runs: each
//! failing oracle or failed step was predicted by preflight, each trap's own rule is
//! confirmed, and the releases and scenarios designed to be safe raise no finding.

use rollcage::lint::{self, Rule, Severity};
use rollcage::outcome::DrillOutcome;
use rollcage::outcome::PredictionStatus;
use rollcage::scenario::Scenario;

/// Each bundled scenario and the rule its trap must confirm (None: no trap bites).
/// The `notes-*` drills (`tests/notes.rs`) migrate by Alembic's commands, whose Python
/// migrations lint cannot read: no rule can confirm their traps.
const TRAPS: [(&str, Option<Rule>); 28] = [
    ("reference", None),
    ("mixed-workload", None),
    ("notnull-code-only", Some(Rule::SetNotNull)),
    ("notnull-get-smoke", Some(Rule::SetNotNull)),
    ("notnull-fixed-code-only", None),
    ("notnull-fixed-code-only-pg17", None),
    ("flag-then-schema", None),
    ("schema-before-flag", Some(Rule::DownBeforeSwitchCode)),
    ("mutable-tag", Some(Rule::RollbackTargetNotPinned)),
    ("missing-artifact", Some(Rule::RollbackTargetMissing)),
    ("forward-only-schema-rollback", Some(Rule::NoDownMigration)),
    ("tags-down-undeclared", Some(Rule::DownDropsData)),
    ("tags-down-declared", Some(Rule::DownDropsData)),
    ("tags-code-only", None),
    ("check-write-then-read", None),
    ("zero-amount-generated", Some(Rule::DropNotNull)),
    ("zero-amount-constant", None),
    ("restore-snapshot", None),
    ("auto-trigger-bad-release", None),
    ("auto-trigger-healthy-release", None),
    ("slowstart-time-to-healthy", None),
    ("decimal-code-only", Some(Rule::ChangeColumnType)),
    ("form-email-keys", None),
    ("notes-notnull-code-only", None),
    ("notes-expand-code-only", None),
    ("notes-contract-code-only-pg17", None),
    ("notes-tags-down", None),
    ("notes-expand-down-killed", None),
];

/// Scenarios built to roll back safely: preflight finds nothing at warning or above.
const SAFE_SCENARIOS: [&str; 7] = [
    "reference",
    "mixed-workload",
    "notnull-fixed-code-only",
    "notnull-fixed-code-only-pg17",
    "auto-trigger-bad-release",
    "auto-trigger-healthy-release",
    "slowstart-time-to-healthy",
];

/// Releases built to roll back safely: linting a deploy to one of them finds nothing.
const SAFE_RELEASES: [&str; 5] = ["baseline", "expand", "notnull-fixed", "bad", "slowstart"];

/// Asserts the outcome's prediction table against what `s` was built to show.
pub fn assert_predicted(s: &Scenario, o: &DrillOutcome) {
    let name = s.name.as_str();
    let (t, findings) = (&o.predictions, &o.preflight);
    let raised = |found: &[lint::Finding]| -> Vec<lint::Finding> {
        let at_least = |f: &&lint::Finding| f.severity >= Severity::Warning;
        found.iter().filter(at_least).cloned().collect()
    };
    if SAFE_RELEASES.contains(&s.deploy.to.as_str()) {
        let lint = raised(&lint::lint_scenario(s).unwrap());
        assert!(
            lint.is_empty(),
            "{name}: safe release `{}` flagged: {lint:#?}",
            s.deploy.to
        );
    }
    if SAFE_SCENARIOS.contains(&name) {
        let found = raised(findings);
        assert!(
            found.is_empty(),
            "{name}: safe scenario flagged: {found:#?}"
        );
    }
    // Time budgets are not a lint matter: an over-budget recovery on a loaded machine is a
    // real observation, but no migration predicts it.
    let unpredicted: Vec<_> = t
        .unpredicted()
        .into_iter()
        .filter(|o| o.name != "budget")
        .collect();
    assert!(
        unpredicted.is_empty(),
        "{name}: unpredicted {unpredicted:#?}\nfindings {findings:#?}"
    );
    let trap = TRAPS
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("{name}: not a bundled scenario"))
        .1;
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

#[test]
fn every_bundled_scenario_has_a_row() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut bundled: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    bundled.sort();
    let mut rows: Vec<&str> = TRAPS.iter().map(|(n, _)| *n).collect();
    rows.sort();
    assert_eq!(bundled, rows);
}
