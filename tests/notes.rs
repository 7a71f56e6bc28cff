//! The notes app (Flask, psycopg2, Alembic) drilled through Alembic's own upgrade and
//! downgrade, run as command migrations: each bundled `notes-*` scenario's verdict and the
//! figures behind it, `kill-migrator` interrupting an Alembic downgrade and the re-run
//! converging, and migration commands that fail, are not found or hang.
//!
//! Drills run one at a time (a shared lock), as in `tests/drills.rs`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rollcage::outcome::{DrillOutcome, StepCause};
use rollcage::runner::run_drill;
use rollcage::runtime::{ContainerSpec, Ended, Engine, Sandbox};
use rollcage::scenario::{
    Fault, FaultKind, Migrations, ParamValue, Phase, Scenario, ScheduledFault,
};
use rollcage::vocab::{OracleStatus, Step, Verdict};
use tokio::sync::Mutex;

static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
    Scenario::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn drill(s: &Scenario) -> DrillOutcome {
    let _turn = ONE_AT_A_TIME.lock().await;
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    run_drill(&engine, s)
        .await
        .unwrap_or_else(|e| panic!("{}: drill could not run: {e}", s.name))
}

/// A bundled scenario as written, which must match its own expectation.
async fn run(name: &str) -> DrillOutcome {
    let o = drill(&load(name)).await;
    assert!(o.matched, "{name}: {:?} {:#?}", o.mismatch(), o.oracles);
    o
}

fn oracle(o: &DrillOutcome, name: &str) -> (OracleStatus, String) {
    let r = o.oracles.iter().find(|r| r.oracle.as_str() == name);
    let r = r.unwrap_or_else(|| panic!("no {name} oracle"));
    (r.status, r.message.clone())
}

/// The commands the drill ran, as `direction: command`.
fn commands(o: &DrillOutcome) -> Vec<String> {
    let ran = o.migrations.iter().filter(|m| m.command.is_some());
    ran.map(|m| format!("{}: {}", m.direction, m.description))
        .collect()
}

#[tokio::test]
async fn notnull_through_alembic_restores_a_bad_state() {
    let o = run("notes-notnull-code-only").await;
    assert_eq!(o.verdict, Verdict::RestoredBadState);
    let (smoke, message) = oracle(&o, "smoke");
    assert_eq!(smoke, OracleStatus::Failed);
    assert!(
        message.contains(r#"null value in column \"author\""#),
        "{message}"
    );
    assert_eq!(oracle(&o, "health").0, OracleStatus::Passed);
    assert!(o.figures.failed_after_rollback > 0);
    // Both releases migrated by Alembic itself; the previous one's revision recorded.
    assert_eq!(
        commands(&o),
        [
            "up: alembic upgrade head",
            "version: alembic current",
            "up: alembic upgrade head"
        ]
    );
    assert_eq!(o.capture.tool_version.as_deref(), Some("1_baseline"));
    let up = o
        .migrations
        .last()
        .and_then(|m| m.command.as_ref())
        .unwrap();
    assert_eq!(up.exit_code, Some(0));
    assert!(
        up.output
            .iter()
            .any(|l| l.contains("Running upgrade 1_baseline -> 2_notnull")),
        "{:?}",
        up.output
    );
}

#[tokio::test]
async fn expand_and_contract_pass_code_only_on_15_and_17() {
    for name in ["notes-expand-code-only", "notes-contract-code-only-pg17"] {
        let o = run(name).await;
        assert_eq!(o.verdict, Verdict::Pass, "{name}: {:#?}", o.oracles);
        assert_eq!(o.figures.failed_after_rollback, 0, "{name}");
        assert!(o.writes.acknowledged > 20, "{name}");
        assert!(o.writes.lost_writes.is_empty(), "{name}");
        assert_eq!(oracle(&o, "data").0, OracleStatus::Passed, "{name}");
    }
    assert!(load("notes-contract-code-only-pg17")
        .database
        .image
        .ends_with(":17"));
}

#[tokio::test]
async fn a_destructive_alembic_downgrade_causes_new_harm() {
    let o = run("notes-tags-down").await;
    assert_eq!(o.verdict, Verdict::CausedNewHarm, "{:#?}", o.oracles);
    let (data, message) = oracle(&o, "data");
    assert_eq!(data, OracleStatus::Failed);
    assert!(message.contains("notes.tags: column dropped"), "{message}");
    // The downgrade itself worked: the schema is back where it was.
    assert_eq!(oracle(&o, "schema").0, OracleStatus::Passed);
    let down = o
        .steps
        .iter()
        .find(|s| s.step == Step::MigrateDown)
        .unwrap();
    assert!(down.ok);
    assert!(
        down.detail
            .starts_with("ran `alembic downgrade 1_baseline` in "),
        "{}",
        down.detail
    );
    let record = o.migrations.iter().rev().find(|m| m.direction == "down");
    let record = record
        .and_then(|m| m.command.clone())
        .expect("the down command's record");
    assert_eq!(record.exit_code, Some(0));
    assert!(
        record
            .output
            .iter()
            .any(|l| l.contains("Running downgrade 2_tags -> 1_baseline")),
        "{:?}",
        record.output
    );
}

#[tokio::test]
async fn kill_migrator_interrupts_an_alembic_downgrade_and_the_rerun_converges() {
    let o = run("notes-expand-down-killed").await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    let steps: Vec<_> = o
        .steps
        .iter()
        .map(|s| (s.step, s.attempt, s.ok, s.cause))
        .collect();
    assert_eq!(
        steps,
        [
            (Step::SwitchCode, 1, true, None),
            (
                Step::MigrateDown,
                1,
                false,
                Some(StepCause::MigratorStopped)
            ),
            (Step::SwitchCode, 2, true, None),
            (Step::MigrateDown, 2, true, None),
        ]
    );
    let killed = &o.steps[1].detail;
    assert!(
        killed.starts_with(
            "the migrator running `alembic downgrade 1_baseline` was killed after 12s (kill-migrator)"
        ),
        "{killed}"
    );
    // Killed inside the downgrade, not before Alembic got to it.
    assert!(
        killed.contains("| INFO Running downgrade 2_expand -> 1_baseline"),
        "{killed}"
    );
    let interrupted = o.interrupted.as_deref().unwrap_or_default();
    assert!(interrupted.contains("kill-migrator"), "{interrupted}");
    // Converged: the schema is the pre-deploy one, and only the declared copy is gone.
    assert_eq!(oracle(&o, "schema").0, OracleStatus::Passed);
    let (_, data) = oracle(&o, "data");
    assert!(data.contains("notes.content: column dropped"), "{data}");
    assert!(o.writes.lost_writes.is_empty());
}

#[tokio::test]
async fn kill_migrator_during_an_alembic_upgrade_fails_the_deploy_and_the_rollback_holds() {
    let mut s = load("notes-tags-down");
    s.expect.verdict = Verdict::Pass;
    s.expect.failing_oracles.clear();
    // The upgrade waits 5 s before adding the column, so the kill at 800 ms always lands
    // before anything changed, however fast Alembic gets there.
    let to = s.releases.iter_mut().find(|r| r.name == "tags").unwrap();
    let Migrations::Commands(c) = &mut to.migrations else {
        panic!("tags migrates by command");
    };
    c.env.insert("NOTES_MIGRATION_PAUSE".into(), "5".into());
    let fault = Fault::new(FaultKind::KillMigrator)
        .with("after", ParamValue::Duration(Duration::from_millis(800)));
    s.faults.push(ScheduledFault {
        at: Phase::DuringMigrateUp,
        fault,
        duration: None,
    });
    let o = drill(&s).await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    let decision = o.decision.as_deref().unwrap_or_default();
    // Its last output lines follow when Alembic had printed some before the kill.
    assert!(
        decision.starts_with(
            "deploy failed: the migrator running `alembic upgrade head` was killed after 800ms \
             (kill-migrator)"
        ),
        "{decision}"
    );
    // The killed upgrade changed nothing: the downgrade has nothing to undo, the schema is
    // the pre-deploy one, and no tag was ever written.
    assert_eq!(oracle(&o, "schema").0, OracleStatus::Passed);
    assert_eq!(oracle(&o, "data").0, OracleStatus::Passed);
    // The killed command leaves no record of a run, only the decision above.
    assert_eq!(
        commands(&o),
        [
            "up: alembic upgrade head",
            "version: alembic current",
            "down: alembic downgrade 1_baseline"
        ]
    );
}

/// The tags drill with another `down` command (and timeout).
fn with_down(down: &[&str], timeout: Duration) -> Scenario {
    let mut s = load("notes-tags-down");
    s.expect.verdict = Verdict::FailedToComplete;
    s.expect.failing_oracles.clear();
    let to = s.releases.iter_mut().find(|r| r.name == "tags").unwrap();
    let Migrations::Commands(c) = &mut to.migrations else {
        panic!("tags migrates by command");
    };
    c.down = down.iter().map(|w| w.to_string()).collect();
    c.timeout = timeout;
    s
}

#[tokio::test]
async fn a_down_command_that_fails_is_not_found_or_hangs_fails_its_step() {
    let long = Duration::from_secs(60);
    let cases = [
        (
            with_down(&["sh", "-c", "echo cannot go back >&2; exit 3"], long),
            vec!["exited with code 3", "| cannot go back"],
        ),
        (
            with_down(&["alembic-nowhere", "downgrade"], long),
            vec![
                "could not be started from image rollcage/notes:tags",
                "alembic-nowhere",
            ],
        ),
        (
            // The timeout is the table's, `up`'s included: long enough for Alembic's upgrade.
            with_down(&["sleep", "300"], Duration::from_secs(25)),
            vec!["migration command `sleep 300` ran past its timeout of 25s and was killed"],
        ),
    ];
    for (s, expected) in cases {
        let o = drill(&s).await;
        assert_eq!(o.verdict, Verdict::FailedToComplete, "{:#?}", o.steps);
        let down = o
            .steps
            .iter()
            .find(|s| s.step == Step::MigrateDown)
            .unwrap();
        assert!(!down.ok);
        assert_eq!(down.cause, Some(StepCause::MigrationFailed));
        for text in expected {
            assert!(
                down.detail.contains(text),
                "{text:?} not in {}",
                down.detail
            );
        }
        assert!(o
            .failure
            .as_deref()
            .unwrap_or_default()
            .contains("step migrate-down failed"));
    }
}

/// Migrator containers left on this run's network, by the engine's own listing.
fn migrators(run: &str) -> Vec<String> {
    let out = Command::new("docker")
        .args(["ps", "-aq", "--filter"])
        .arg(format!("label=org.rollcage.run={run}"))
        .args(["--filter", "label=org.rollcage.role=migrator"])
        .output()
        .expect("docker CLI");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.lines().map(str::to_string).collect()
}

#[tokio::test]
async fn a_one_shot_command_leaves_nothing_behind_however_it_ends() {
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let sandbox = Sandbox::create(&engine).await.expect("sandbox");
    let run = sandbox.run_id().to_string();
    let mut spec = ContainerSpec::new("migrator", "rollcage/notes:baseline");
    spec.entrypoint = vec!["sh".into()];
    spec.cmd = vec![
        "-c".into(),
        "echo one; sleep 0.3; echo two >&2; sleep 30".into(),
    ];
    let hung = sandbox
        .run_once(&spec, Duration::from_millis(1500), None)
        .await
        .unwrap();
    assert_eq!(hung.ended, Ended::TimedOut);
    assert_eq!(hung.stdout, "one\n");
    assert_eq!(hung.tail, ["one", "two"]);
    assert!(
        migrators(&run).is_empty(),
        "a hung command's container stayed"
    );
    let killed = sandbox
        .run_once(
            &spec,
            Duration::from_secs(10),
            Some(Duration::from_millis(500)),
        )
        .await
        .unwrap();
    assert_eq!(killed.ended, Ended::Killed);
    spec.cmd = vec!["-c".into(), "exit 4".into()];
    let failed = sandbox.run_once(&spec, Duration::from_secs(10), None).await;
    assert_eq!(failed.unwrap().ended, Ended::Exited(4));
    spec.entrypoint = vec!["no-such-program".into()];
    let err = sandbox.run_once(&spec, Duration::from_secs(10), None).await;
    assert!(err.is_err());
    assert!(migrators(&run).is_empty(), "a one-shot container stayed");
    sandbox.teardown().await.expect("teardown");
}
