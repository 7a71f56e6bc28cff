//! The bundled restore-snapshot drill is stable: repeated back to back, every run restores the
//! snapshot with nothing writing into it and gives the expected verdict. CI runs a bounded
//! sample (`restore_snapshot_repeats`); the ignored `restore_snapshot_loop` runs
//! `ROLLCAGE_RESTORES` of them (100 by default, `benches/restore_loop.sh`), against
//! `ROLLCAGE_BIN` when set (the release binary).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn binary() -> PathBuf {
    std::env::var_os("ROLLCAGE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_rollcage")))
}

/// Runs the drill `runs` times in one process; returns each run's verdict, in order.
fn verdicts(runs: usize) -> Vec<String> {
    let report = std::env::temp_dir().join(format!("rollcage-restore-{}.json", std::process::id()));
    let out = Command::new(binary())
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["drill", "scenarios/restore-snapshot.toml", "--quiet"])
        .args(["--repeat", &runs.to_string(), "--json"])
        .arg(&report)
        .output()
        .expect("running rollcage");
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let _ = std::fs::remove_file(&report);
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}); stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    json["drills"][0]["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .map(|r| match r["outcome"]["verdict"].as_str() {
            Some(v) => v.to_string(),
            None => format!("error: {}", r["error"]),
        })
        .collect()
}

fn assert_all_pass(runs: usize) {
    let got = verdicts(runs);
    let passed = got.iter().filter(|v| *v == "pass").count();
    eprintln!("restore-snapshot: {passed} of {runs} passed");
    assert_eq!(got.len(), runs, "{got:?}");
    assert_eq!(passed, runs, "{got:?}");
}

#[test]
fn restore_snapshot_repeats() {
    assert_all_pass(3);
}

#[test]
#[ignore = "long: run by benches/restore_loop.sh"]
fn restore_snapshot_loop() {
    let runs = std::env::var("ROLLCAGE_RESTORES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    assert_all_pass(runs);
}
