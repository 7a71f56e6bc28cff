//! The postmortem of the fixture's NOT NULL drill, and of drills that ended other ways.

use super::*;
use crate::outcome::fixture::outcome;
use crate::outcome::{StepCause, StepRecord};
use crate::vocab::Step;

#[test]
fn not_null_drill_cites_its_finding_and_oracle() {
    let p = Postmortem::of(&outcome(true));
    assert_eq!(p.failure, Some(Verdict::RestoredBadState));
    assert!(p
        .rollback
        .starts_with("restored a bad state: smoke (POST /entries answered 500)"));
    assert!(p
        .trust_gap
        .contains("was exercised under these conditions before"));
    assert_eq!(
        p.deploy,
        "held: none of 60 requests failed before the decision"
    );
    let rollback: Vec<&ActionItem> = p.bucket(Bucket::TrustworthyRollback).collect();
    assert_eq!(
        rollback[0].source,
        "set-not-null (fixtures/ledger/migrations/notnull/0002_add_currency.up.sql:5)"
    );
    assert_eq!(
        rollback[0].advice,
        "add the column with a default, or make the old code write it"
    );
    assert_eq!(
        rollback[1].source,
        "oracle smoke: POST /entries answered 500"
    );
    assert_eq!(p.bucket(Bucket::SaferDeploys).count(), 0);
}

#[test]
fn a_mismatch_is_a_trust_gap() {
    let p = Postmortem::of(&outcome(false));
    assert!(
        p.trust_gap
            .contains("was not exercised under these conditions before")
            && p.trust_gap
                .contains("expected pass, the drill found restored-bad-state"),
        "{}",
        p.trust_gap
    );
}

#[test]
fn no_trigger_goes_to_safer_deploys() {
    let mut o = outcome(true);
    o.verdict = Verdict::FailedToTrigger;
    o.decision = None;
    o.oracles.clear();
    o.figures.deployed.failed = 9;
    let p = Postmortem::of(&o);
    assert_eq!(p.failure, Some(Verdict::FailedToTrigger));
    assert!(p
        .trust_gap
        .contains("not exercised: no rollback was decided"));
    assert_eq!(p.deploy, "9 of 60 requests failed before the decision");
    let safer: Vec<&str> = p
        .bucket(Bucket::SaferDeploys)
        .map(|i| i.source.as_str())
        .collect();
    assert_eq!(
        safer,
        [
            "verdict failed-to-trigger",
            "deploy traffic: 9 of 60 failed"
        ]
    );
    // Safer deploys come first.
    assert_eq!(p.items[0].bucket, Bucket::SaferDeploys);
}

#[test]
fn a_failed_step_is_cited_and_silenced_or_info_findings_are_not() {
    let mut o = outcome(true);
    o.verdict = Verdict::FailedToComplete;
    o.failure = Some("migrate-down failed\nERROR: x".into());
    o.preflight[0].disposition = Some(crate::lint::Disposition::Silenced("known".into()));
    o.steps.push(StepRecord {
        step: Step::MigrateDown,
        at: std::time::Duration::from_millis(2500),
        took: std::time::Duration::from_millis(10),
        ok: false,
        detail: StepRecord::detail_for(2, "0002 down failed".into()),
        attempt: 2,
        cause: Some(StepCause::MigrationFailed),
    });
    let p = Postmortem::of(&o);
    assert_eq!(p.rollback, "failed to complete: migrate-down failed");
    assert!(p
        .items
        .iter()
        .all(|i| !i.source.starts_with("set-not-null")));
    assert!(p
        .items
        .iter()
        .any(|i| i.source == "step migrate-down: 0002 down failed"));
}

#[test]
fn a_pass_has_no_rollback_failure() {
    let mut o = outcome(true);
    o.verdict = Verdict::Pass;
    o.oracles.retain(|r| !r.failed());
    let p = Postmortem::of(&o);
    assert_eq!(p.failure, None);
    assert!(p.rollback.starts_with("none"));
}
