//! Plan tests: the reference drill's steps in order, and faults, flags and an auto trigger
//! placed where they belong.

use super::*;
use std::path::PathBuf;

fn reference() -> Scenario {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    Scenario::load(&root.join("scenarios/reference.toml")).unwrap()
}

/// Each fragment appears on its own numbered line, in this order.
fn assert_in_order(plan: &str, fragments: &[&str]) {
    let mut lines = plan.lines().enumerate();
    for fragment in fragments {
        let found = lines.by_ref().find(|(_, l)| l.contains(fragment));
        assert!(
            found.is_some(),
            "`{fragment}` missing or out of order in:\n{plan}"
        );
    }
}

#[test]
fn reference_plan_lists_each_step_in_order() {
    let plan = reference().plan();
    assert!(
        plan.contains("migrations/baseline (1 migration)\n")
            && plan.contains("migrations/expand (2 migrations)\n")
    );
    assert_in_order(
        &plan,
        &[
            " 1. Create a private network",
            " 2. Start database rollcage/postgres:15",
            " 3. Apply migrations of release `baseline`: ",
            " 4. Start release `baseline` (rollcage/ledger:baseline)",
            " 5. Warm up for 1s: POST /entries at 50 req/s",
            " 6. Capture the pre-deploy state: image digest of `baseline`, schema snapshot",
            " 7. Apply migrations of release `expand`: ",
            " 8. Switch the app to release `expand`",
            " 9. Trigger (manual): decide to roll back 1s after",
            "10. Rollback step switch-code: replace the app with release `baseline` \
             by the digest captured in step 6",
            "11. Wait until the app is healthy; run the checks after the rollback: GET /entries?limit=5 → [200]; POST /entries → [201]",
            "12. Run the oracles: health",
            "13. Check recovery time",
            "14. Expect verdict `pass`",
        ],
    );
}

#[test]
fn plan_places_faults_flags_and_auto_trigger() {
    let mut s = reference();
    let to = s.releases.iter_mut().find(|r| r.name == "expand").unwrap();
    to.flags.insert("LEDGER_FLAG_CHANNEL".into(), "on".into());
    s.rollback.strategy = Strategy::CodeAndSchema;
    s.rollback.steps = vec![Step::FlagsOff, Step::SwitchCode, Step::MigrateDown];
    s.rollback.image_ref = ImageRef::Tag;
    s.rollback.trigger = Trigger::Auto(AutoTrigger {
        window: Duration::from_secs(1),
        every: Duration::from_millis(250),
        need: 3,
        of: 4,
        conditions: vec![
            Condition::ErrorRateAbove(0.05),
            Condition::P99Above(Duration::from_millis(200)),
        ],
        give_up_after: Duration::from_secs(20),
    });
    let remove = |at| ScheduledFault {
        at,
        fault: Fault::new(FaultKind::RemoveImage).with(
            crate::scenario::RELEASE,
            ParamValue::Release("baseline".into()),
        ),
        duration: None,
    };
    s.faults = vec![remove(Phase::BeforeRollback), remove(Phase::AfterMigrateUp)];
    s.expect.verdict = crate::vocab::Verdict::FailedToComplete;
    s.expect.failing_oracles = vec![crate::vocab::Oracle::Digest];
    assert_in_order(
        &s.plan(),
        &[
            "Apply migrations of release `expand`",
            "Fault (after-migrate-up): remove (a run-owned copy of) release `baseline`'s image",
            "with flags LEDGER_FLAG_CHANNEL=on",
            "Trigger (auto): every 250ms, measure the last 1s of traffic; \
             roll back once 3 of the last 4 measurements show \
             error rate above 0.05 or p99 latency above 200ms; give up after 20s",
            "Fault (before-rollback): remove",
            "Rollback step flags-off: restart release `expand` without its flags \
             (LEDGER_FLAG_CHANNEL)",
            "Rollback step switch-code: replace the app with release `baseline` \
             by its tag rollcage/ledger:baseline",
            "Rollback step migrate-down: revert the schema to release `baseline`'s migration",
            "Expect verdict `failed-to-complete`, with failing oracles including digest",
        ],
    );
}

#[test]
fn every_bundled_scenario_has_a_plan_ending_in_its_verdict() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for s in Scenario::load_all(&root.join("scenarios")).unwrap() {
        let plan = s.plan();
        let last = plan.lines().last().unwrap_or_default();
        let expected = format!("Expect verdict `{}`", s.expect.verdict);
        assert!(last.contains(&expected), "{}: {last}", s.name);
    }
}
