//! Every bundled scenario run as a real drill (real Docker, real PostgreSQL, the ledger app),
//! asserting the verdict and the figures that justify it, not just that it matched, and the
//! table of preflight's predictions against what each drill observed (`predicted`).
//!
//! Drills run one at a time (a shared lock): the timing figures are part of what is checked.

#[path = "drills/predicted.rs"]
mod predicted;
#[path = "drills/verdicts.rs"]
mod verdicts;

use std::path::Path;
use std::time::Duration;

use rollcage::internals::EventKind;
use rollcage::outcome::DrillOutcome;
use rollcage::runner::run_drill;
use rollcage::runtime::Engine;
use rollcage::scenario::{Condition, Scenario, Trigger};
use rollcage::vocab::{OracleStatus, Verdict};
use tokio::sync::Mutex;

static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

fn load(name: &str) -> Scenario {
    Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(format!("{name}.toml")),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn drill(s: &Scenario) -> DrillOutcome {
    let _turn = ONE_AT_A_TIME.lock().await;
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let o = run_drill(&engine, s)
        .await
        .unwrap_or_else(|e| panic!("{}: drill could not run: {e}", s.name));
    predicted::assert_predicted(s, &o);
    o
}

/// A bundled scenario as written, which must match its own expectation.
async fn run(name: &str) -> DrillOutcome {
    let o = drill(&load(name)).await;
    assert!(o.matched, "{name}: {:?}", o.mismatch());
    o
}

fn oracle<'a>(o: &'a DrillOutcome, name: &str) -> &'a rollcage::internals::OracleResult {
    o.oracles
        .iter()
        .find(|r| r.oracle.as_str() == name)
        .unwrap_or_else(|| panic!("no {name} oracle"))
}

fn status(o: &DrillOutcome, name: &str) -> OracleStatus {
    oracle(o, name).status
}

#[tokio::test]
async fn reference_scenario_passes() {
    let o = run("reference").await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    assert!(o.matched);
    assert!(o.writes.acknowledged > 20 && o.writes.lost_writes.is_empty());
    let recovery = o.figures.recovery_time.expect("recovery measured");
    assert!(recovery < Duration::from_secs(5), "recovery {recovery:?}");
}

#[tokio::test]
async fn mixed_workload_passes_with_reads_and_lists_in_every_phase() {
    let o = run("mixed-workload").await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    // Three kinds at weights 3:2:1 at 60 req/s: writes are about half the requests.
    assert!(o.writes.acknowledged > 20 && o.writes.lost_writes.is_empty());
    assert!(
        o.writes.lost_fields.is_empty(),
        "{:?}",
        o.writes.lost_fields
    );
}

#[tokio::test]
async fn notnull_code_only_restores_a_bad_state() {
    let o = run("notnull-code-only").await;
    assert_eq!(o.verdict, Verdict::RestoredBadState);
    let smoke = oracle(&o, "smoke");
    assert_eq!(smoke.status, OracleStatus::Failed);
    assert!(smoke.message.contains("currency"), "{}", smoke.message);
    // The previous release is "healthy" (the trap: health passes while writes fail).
    assert_eq!(status(&o, "health"), OracleStatus::Passed);
    // It already failed on the migrated schema while the deploy ran: a finding of its own.
    let early = o
        .timeline
        .iter()
        .find(|e| e.kind == EventKind::PreviousFailingOnNewSchema)
        .expect("the previous release's failures during the deploy are reported");
    assert!(
        early.detail.starts_with("baseline failed"),
        "{}",
        early.detail
    );
    assert!(o.figures.deploying.failed > 0, "{:?}", o.figures.deploying);
    assert_eq!(status(&o, "digest"), OracleStatus::Passed);
    assert!(
        o.figures.failed_after_rollback > 0,
        "writes kept failing after the rollback"
    );
}

#[tokio::test]
async fn notnull_fixed_twin_passes_on_15_and_17() {
    for name in ["notnull-fixed-code-only", "notnull-fixed-code-only-pg17"] {
        let o = run(name).await;
        assert_eq!(o.verdict, Verdict::Pass, "{name}: {:#?}", o.oracles);
        assert_eq!(o.figures.failed_after_rollback, 0, "{name}");
        assert!(o.writes.lost_writes.is_empty(), "{name}");
    }
    assert!(load("notnull-fixed-code-only-pg17")
        .database
        .image
        .ends_with(":17"));
}

#[tokio::test]
async fn flag_off_before_schema_passes() {
    let o = run("flag-then-schema").await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    assert_eq!(status(&o, "schema"), OracleStatus::Passed);
    let steps: Vec<_> = o.steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(steps, ["flags-off", "switch-code", "migrate-down"]);
    assert_eq!(o.figures.rollback.failed, 0);
}

#[tokio::test]
async fn schema_before_flag_causes_new_harm_and_counts_it() {
    let o = run("schema-before-flag").await;
    assert_eq!(o.verdict, Verdict::CausedNewHarm, "{:#?}", o.oracles);
    assert_eq!(status(&o, "harm"), OracleStatus::Failed);
    assert!(
        o.figures.rollback.failed >= 3,
        "errors during the rollback: {:?}",
        o.figures.rollback
    );
    assert_eq!(
        o.figures.deployed.failed, 0,
        "the flagged release itself was healthy"
    );
}

#[tokio::test]
async fn moved_mutable_tag_fails_the_digest_oracle() {
    let o = run("mutable-tag").await;
    assert_eq!(o.verdict, Verdict::RestoredBadState);
    let digest = oracle(&o, "digest");
    assert_eq!(digest.status, OracleStatus::Failed);
    let engine = Engine::connect().await.unwrap();
    let bad = engine
        .image_id("rollcage/ledger:bad")
        .await
        .unwrap()
        .unwrap();
    let baseline = engine
        .image_id("rollcage/ledger:baseline")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.capture.image_id, baseline);
    // The end state names the build that runs: one the drill never served as any release.
    let end = o.end_state.as_ref().expect("end state");
    assert_eq!(
        (end.release.as_str(), end.image_id.as_str()),
        ("unknown image", bad.as_str())
    );
    assert!(
        digest.message.contains(&format!("running {bad}")),
        "{}",
        digest.message
    );
    // The run's own tag is gone with the run; the shared images were never moved.
    let run_tag = format!("rollcage-run-{}/baseline:current", o.run_id);
    assert_eq!(engine.image_id(&run_tag).await.unwrap(), None);
    assert_eq!(
        engine.image_id("rollcage/ledger:baseline").await.unwrap(),
        Some(baseline)
    );
}

#[tokio::test]
async fn missing_previous_image_fails_to_complete() {
    let o = run("missing-artifact").await;
    assert_eq!(o.verdict, Verdict::FailedToComplete);
    let failure = o.failure.as_deref().unwrap_or_default();
    assert!(failure.contains("artifact missing"), "{failure}");
    assert!(o.figures.recovery_time.is_none());
    // The shared image is untouched: only the run's own copy was removed.
    let engine = Engine::connect().await.unwrap();
    assert!(engine
        .image_id("rollcage/ledger:baseline")
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn forward_only_migration_cannot_be_rolled_back() {
    let o = run("forward-only-schema-rollback").await;
    assert_eq!(o.verdict, Verdict::FailedToComplete);
    let failure = o.failure.as_deref().unwrap_or_default();
    assert!(
        failure.contains("migration 2 (drop memo) has no down migration"),
        "{failure}"
    );
    assert_eq!(o.steps.len(), 1, "nothing runs after the failed step");
    // The case is reported with the exact state it was left in.
    let end = o.end_state.as_ref().expect("end state");
    assert_eq!(
        (end.release.as_str(), end.migration_version),
        ("forward-only", 2)
    );
    assert!(
        end.schema_diff
            .iter()
            .any(|l| l.starts_with("- column entries.memo")),
        "{:?}",
        end.schema_diff
    );
}

#[tokio::test]
async fn restore_from_snapshot_reports_the_recovery_point() {
    let o = run("restore-snapshot").await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    let rp = o.recovery_point.as_ref().expect("recovery point");
    assert!(rp.writes_lost > 0, "writes after the snapshot are gone");
    assert_eq!(rp.writes_lost, o.writes.lost_since_snapshot);
    assert_eq!(status(&o, "schema"), OracleStatus::Passed);
}

#[tokio::test]
async fn composite_trigger_catches_the_bad_release() {
    let o = run("auto-trigger-bad-release").await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    assert!(o
        .decision
        .as_deref()
        .unwrap_or_default()
        .contains("windows held"));
    let ttd = o.figures.time_to_detect.expect("time to detect");
    assert!(
        ttd > Duration::ZERO && ttd < Duration::from_secs(5),
        "{ttd:?}"
    );
    assert!(
        o.figures.deployed.error_rate > 0.1,
        "{:?}",
        o.figures.deployed
    );
}

#[tokio::test]
async fn composite_trigger_stays_quiet_on_a_healthy_release() {
    let o = run("auto-trigger-healthy-release").await;
    let f = &o.figures;
    let traffic = (&f.before_deploy, &f.deployed);
    assert_eq!(
        o.verdict,
        Verdict::NoRollback,
        "{:?} {traffic:?}",
        o.failure
    );
    assert!(o.matched, "the scenario expects the trigger not to fire");
    assert!(o
        .timeline
        .iter()
        .all(|e| e.kind != EventKind::RollbackDecision));
    assert_eq!(o.figures.deployed.failed, 0);
    assert!(o.failure.is_none(), "{:?}", o.failure);
    // Without a rollback the writes are still counted and read back.
    let w = &o.writes;
    assert!(w.acknowledged > 0, "{w:?}");
    assert_eq!(w.readable, w.acknowledged, "{w:?}");
    assert!(w.lost_writes.is_empty(), "{w:?}");
}

/// The bad release under a trigger too lax to fire: its silence is a failure, not a
/// `no-rollback`, because the traffic degraded beyond the pre-deploy baseline.
#[tokio::test]
async fn a_trigger_silent_through_a_bad_release_failed_to_trigger() {
    let mut s = load("auto-trigger-bad-release");
    let Trigger::Auto(auto) = &mut s.rollback.trigger else {
        panic!("an automatic trigger");
    };
    auto.conditions = vec![Condition::ErrorRateAbove(0.9)];
    auto.give_up_after = Duration::from_secs(4);
    s.expect.verdict = Verdict::FailedToTrigger;
    let o = drill(&s).await;
    assert_eq!(o.verdict, Verdict::FailedToTrigger, "{:?}", o.failure);
    let failure = o.failure.as_deref().unwrap_or_default();
    assert!(
        failure.contains("while traffic degraded: error rate"),
        "{failure}"
    );
    assert!(o.writes.acknowledged > 0, "{:?}", o.writes);
}

#[tokio::test]
async fn time_to_healthy_matches_the_configured_delay() {
    let s = load("slowstart-time-to-healthy");
    let mut errors = Vec::new();
    for i in 0..3 {
        let o = drill(&s).await;
        assert_eq!(o.verdict, Verdict::Pass, "run {i}: {:#?}", o.oracles);
        let t = o.figures.time_to_healthy.expect("time to healthy");
        errors.push(t.as_secs_f64() * 1000.0 - 1500.0);
    }
    // The release cannot answer healthy before its delay, so a figure under it means the clock
    // starts late; one far over it means it counts more than the process's own wait (creating
    // or starting the container, a coarse probe). The median run is held to that coarse margin;
    // how close the figure comes is printed by benches/time_to_healthy.sh, not asserted.
    errors.sort_by(f64::total_cmp);
    assert!(errors[0] >= -5.0, "errors (ms) {errors:?}");
    assert!(errors[1] <= 80.0, "errors (ms) {errors:?}");
}

#[tokio::test]
async fn a_wrong_expectation_does_not_match() {
    let mut s = load("notnull-code-only");
    s.expect.verdict = Verdict::Pass;
    s.expect.failing_oracles.clear();
    let o = drill(&s).await;
    assert!(!o.matched);
    assert_eq!(
        o.mismatch().unwrap(),
        "expected pass, got restored-bad-state"
    );
}
