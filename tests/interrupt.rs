//! The drill as a gate, interrupted and failing: Ctrl-C removes everything the run started and
//! exits 130; a rollback whose migrator dies is run again and converges; a wrong expectation
//! exits 1 naming the drill; a scenario keyed by the request, read back by SQL, with a service.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rollcage::runner::run_drill;
use rollcage::runtime::Engine;
use rollcage::scenario::Scenario;
use rollcage::vocab::{OracleStatus, Verdict};

/// IDs of containers or networks carrying `org.rollcage.pid=<pid>`.
fn owned_by(pid: u32) -> Vec<String> {
    let label = format!("label=org.rollcage.pid={pid}");
    let mut ids = Vec::new();
    for args in [
        vec!["ps", "-aq", "--filter", &label],
        vec!["network", "ls", "-q", "--filter", &label],
    ] {
        let out = Command::new("docker")
            .args(&args)
            .output()
            .expect("docker CLI");
        ids.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_string),
        );
    }
    ids
}

/// Sends SIGINT to `pid` once it owns at least `resources` containers or networks.
fn interrupt_once_it_owns(pid: u32, resources: usize) {
    let started = Instant::now();
    while owned_by(pid).len() < resources {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the drill never started its containers"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn ctrl_c_mid_drill_leaves_nothing_behind() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let child = Command::new(env!("CARGO_BIN_EXE_rollcage"))
        .args(["drill", "--quiet"])
        .arg(root.join("scenarios/slowstart-time-to-healthy.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rollcage starts");
    let pid = child.id();
    // Once the drill has containers up (database and app).
    interrupt_once_it_owns(pid, 3);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    assert_eq!(
        owned_by(pid),
        Vec::<String>::new(),
        "containers or networks left behind"
    );
}

#[test]
fn ctrl_c_after_a_drill_finished_writes_it_to_the_json_marked_interrupted() {
    use std::io::{BufRead, BufReader};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report =
        std::env::temp_dir().join(format!("rollcage-interrupted-{}.json", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_rollcage"))
        .args(["drill", "--quiet", "--seed", "2", "--json"])
        .arg(&report)
        .arg(root.join("scenarios/notnull-fixed-code-only.toml"))
        .arg(root.join("scenarios/slowstart-time-to-healthy.toml"))
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rollcage starts");
    let pid = child.id();
    // The first drill's line, then the second drill's containers: interrupt mid-second.
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a line").unwrap();
    assert!(
        first.contains("PASS") && first.contains("notnull-fixed-code-only"),
        "{first}"
    );
    interrupt_once_it_owns(pid, 1);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("marked interrupted"), "{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let _ = std::fs::remove_file(&report);
    assert_eq!(json["interrupted"], true);
    let drills = json["drills"].as_array().unwrap();
    // Only what finished: the drill cut short is not guessed at.
    assert_eq!(drills.len(), 1, "{json}");
    assert_eq!(drills[0]["scenario"], "notnull-fixed-code-only");
    assert_eq!(drills[0]["runs"][0]["outcome"]["verdict"], "pass");
    assert_eq!(owned_by(pid), Vec::<String>::new(), "left behind");
}

#[tokio::test]
async fn an_interrupted_schema_rollback_is_run_again_and_converges() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scenarios/interrupted-schema-rollback.toml");
    let s = Scenario::load(&file).expect("valid scenario");
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let o = run_drill(&engine, &s).await.expect("the drill runs");
    assert!(
        o.interrupted
            .as_deref()
            .is_some_and(|w| w.contains("migrator stopped")),
        "{:?}",
        o.interrupted
    );
    let attempts: Vec<(&str, u32, bool)> = o
        .steps
        .iter()
        .map(|r| (r.step.as_str(), r.attempt, r.ok))
        .collect();
    assert_eq!(
        attempts,
        [
            ("switch-code", 1, true),
            ("migrate-down", 1, false),
            ("switch-code", 2, true),
            ("migrate-down", 2, true)
        ]
    );
    let schema = o
        .oracles
        .iter()
        .find(|r| r.oracle.as_str() == "schema")
        .unwrap();
    assert_eq!(schema.status, OracleStatus::Passed, "{}", schema.message);
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    let end = o.end_state.as_ref().expect("end state");
    assert_eq!(
        (end.release.as_str(), end.migration_version),
        ("baseline", 1)
    );
    assert!(end.schema_diff.is_empty(), "{:?}", end.schema_diff);
}

#[test]
fn a_wrong_expectation_exits_one_and_names_the_drill() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scenarios/wrong-expectation.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_rollcage"))
        .args(["drill", "--quiet"])
        .arg(&file)
        .output()
        .expect("rollcage runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("wrong-expectation")
            && stdout.contains("expected pass, got restored-bad-state"),
        "{stdout}"
    );
}

#[tokio::test]
async fn request_keys_sql_read_back_and_services_work() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scenarios/request-key-sql-readback.toml");
    let s = Scenario::load(&file).expect("valid scenario");
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let o = run_drill(&engine, &s).await.expect("the drill runs");
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    assert!(o.writes.acknowledged > 10);
    assert_eq!(o.writes.readable, o.writes.acknowledged);
    let ready = o
        .timeline
        .iter()
        .find(|e| e.kind == rollcage::internals::EventKind::EnvironmentReady)
        .unwrap();
    assert!(ready.detail.contains("services: cache"), "{}", ready.detail);
}
