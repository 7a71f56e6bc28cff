//! `compare` on hand-built outcomes of the ledger traps.

use super::*;
use crate::outcome::fixture::outcome;
use crate::outcome::{StepCause, StepRecord};
use crate::verify::{DataAudit, DataLoss, LossKind, OracleResult};
use crate::vocab::{Oracle, Step};

fn finding(rule: Rule, severity: Severity) -> Finding {
    Finding {
        rule,
        severity,
        category: rule.category(),
        file: "m/0002.up.sql".into(),
        line: 5,
        column: Some(1),
        statement: String::new(),
        message: String::new(),
        remedy: String::new(),
        columns: Vec::new(),
        disposition: None,
    }
}

fn err(rule: Rule) -> Finding {
    finding(rule, Severity::Error)
}

fn step(name: Step, ok: bool, detail: &str) -> StepRecord {
    let mut s = outcome(true).steps.remove(0);
    s.step = name;
    s.ok = ok;
    s.detail = detail.into();
    s
}

/// A step that could not complete, for `cause`.
fn failed(name: Step, cause: StepCause, detail: &str) -> StepRecord {
    StepRecord {
        cause: Some(cause),
        ..step(name, false, detail)
    }
}

fn statuses(t: &PredictionTable) -> Vec<(Rule, PredictionStatus)> {
    t.predictions.iter().map(|p| (p.rule, p.status)).collect()
}

fn observed(t: &PredictionTable) -> Vec<(&str, Vec<Rule>)> {
    t.observations
        .iter()
        .map(|o| (o.name.as_str(), o.predicted_by.clone()))
        .collect()
}

#[test]
fn the_notnull_trap_is_predicted_and_confirmed() {
    let o = outcome(true); // smoke failed after a completed switch-code
    let t = compare(&[err(Rule::SetNotNull)], &o);
    assert_eq!(
        statuses(&t),
        vec![(Rule::SetNotNull, PredictionStatus::Confirmed)]
    );
    assert!(t.predictions[0].evidence.contains("smoke failed"), "{t:?}");
    assert_eq!(observed(&t), vec![("smoke", vec![Rule::SetNotNull])]);
    assert!(t.unpredicted().is_empty());
}

#[test]
fn a_failure_without_a_finding_is_unpredicted() {
    let t = compare(
        &[finding(Rule::DownBeforeSwitchCode, Severity::Info)],
        &outcome(true),
    );
    assert!(
        t.predictions.is_empty(),
        "info findings are not predictions"
    );
    assert_eq!(t.unpredicted().len(), 1);
    assert_eq!(t.unpredicted()[0].name, "smoke");
}

#[test]
fn a_missing_artifact_explains_the_failed_step_and_what_follows() {
    let mut o = outcome(true);
    o.steps = vec![failed(
        Step::SwitchCode,
        StepCause::ArtifactMissing,
        "artifact missing: image x is not on this machine",
    )];
    o.oracles = vec![
        OracleResult::fail(Oracle::Health, "no probe"),
        OracleResult::fail(Oracle::Digest, "running sha256:b"),
    ];
    let t = compare(&[err(Rule::RollbackTargetMissing)], &o);
    assert_eq!(
        statuses(&t),
        vec![(Rule::RollbackTargetMissing, PredictionStatus::Confirmed)]
    );
    let by = vec![Rule::RollbackTargetMissing];
    assert_eq!(
        observed(&t),
        vec![
            ("switch-code", by.clone()),
            ("health", by.clone()),
            ("digest", by)
        ]
    );
}

#[test]
fn forward_only_fails_at_migrate_down_and_code_hazards_go_unexercised() {
    let mut o = outcome(true);
    o.steps = vec![failed(
        Step::MigrateDown,
        StepCause::DownMigrationsMissing,
        "migration 2 (drop memo) has no down migration",
    )];
    o.oracles = vec![
        OracleResult::fail(Oracle::Schema, "differs"),
        OracleResult::fail(Oracle::Writes, "3 field value(s) LOST"),
    ];
    let findings = [
        err(Rule::DropColumn),
        err(Rule::DestructiveUp),
        err(Rule::NoDownMigration),
    ];
    let t = compare(&findings, &o);
    assert_eq!(
        statuses(&t),
        vec![
            (Rule::DropColumn, PredictionStatus::NotExercised),
            (Rule::DestructiveUp, PredictionStatus::Confirmed),
            (Rule::NoDownMigration, PredictionStatus::Confirmed),
        ]
    );
    assert_eq!(
        observed(&t),
        vec![
            ("migrate-down", vec![Rule::NoDownMigration]),
            ("schema", vec![Rule::NoDownMigration]),
            ("writes", vec![Rule::NoDownMigration, Rule::DestructiveUp]),
        ]
    );
}

#[test]
fn declared_and_undeclared_data_losses_confirm_down_drops_data() {
    let mut o = outcome(true);
    o.steps = vec![
        step(Step::SwitchCode, true, ""),
        step(Step::MigrateDown, true, "reverted 1"),
    ];
    let loss = |declared| DataAudit {
        rows_before: 40,
        losses: vec![DataLoss {
            place: "entries.tags".into(),
            kind: LossKind::ColumnDropped,
            count: 12,
            declared,
        }],
        ..Default::default()
    };
    o.data = Some(loss(true));
    o.oracles = vec![OracleResult::pass(Oracle::Data, "12 lost (declared)")];
    let t = compare(&[err(Rule::DownDropsData)], &o);
    assert_eq!(
        statuses(&t),
        vec![(Rule::DownDropsData, PredictionStatus::Confirmed)]
    );
    assert!(t.observations.is_empty());

    o.data = Some(loss(false));
    o.oracles = vec![OracleResult::fail(Oracle::Data, "data LOST")];
    let t = compare(&[err(Rule::DownDropsData)], &o);
    assert_eq!(observed(&t), vec![("data", vec![Rule::DownDropsData])]);

    o.data = Some(DataAudit::default());
    o.oracles = vec![OracleResult::pass(Oracle::Data, "")];
    let t = compare(&[err(Rule::DownDropsData)], &o);
    assert_eq!(
        statuses(&t),
        vec![(Rule::DownDropsData, PredictionStatus::NotConfirmed)]
    );

    // Without the database's view, the read-back's lost fields are the evidence.
    o.data = None;
    o.writes.lost_fields = vec!["7 /tags".into()];
    o.oracles = vec![OracleResult::fail(Oracle::Writes, "1 field value(s) LOST")];
    let t = compare(&[err(Rule::DownDropsData)], &o);
    assert_eq!(observed(&t), vec![("writes", vec![Rule::DownDropsData])]);
}

#[test]
fn a_moved_tag_explains_digest_and_the_other_builds_failures() {
    let mut o = outcome(true);
    o.oracles = vec![
        OracleResult::fail(Oracle::Digest, "running sha256:bad"),
        OracleResult::fail(Oracle::Harm, "the rollback caused errors"),
    ];
    let t = compare(&[err(Rule::RollbackTargetNotPinned)], &o);
    assert_eq!(
        statuses(&t),
        vec![(Rule::RollbackTargetNotPinned, PredictionStatus::Confirmed)]
    );
    assert!(t.unpredicted().is_empty(), "{t:?}");
}

#[test]
fn schema_reverted_under_the_new_release_explains_harm() {
    let mut o = outcome(true);
    o.data = Some(DataAudit::default());
    o.steps = vec![
        step(Step::MigrateDown, true, "reverted 1"),
        step(Step::FlagsOff, true, ""),
        step(Step::SwitchCode, true, ""),
    ];
    o.oracles = vec![OracleResult::fail(
        Oracle::Harm,
        "the rollback caused errors",
    )];
    let t = compare(
        &[err(Rule::DownBeforeSwitchCode), err(Rule::DownDropsData)],
        &o,
    );
    assert_eq!(
        statuses(&t),
        vec![
            (Rule::DownBeforeSwitchCode, PredictionStatus::Confirmed),
            (Rule::DownDropsData, PredictionStatus::NotConfirmed),
        ]
    );
    assert_eq!(
        observed(&t),
        vec![("harm", vec![Rule::DownBeforeSwitchCode])]
    );
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["predictions"][0]["status"], "confirmed");
    assert_eq!(
        json["observations"][0]["predicted_by"][0],
        "down-before-switch-code"
    );
}
