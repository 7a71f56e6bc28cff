//! `rollcage explore` from the command line: a defect found exits 1, and the exploration lands
//! in the same JSON, JUnit, HTML and Markdown reports as drills, its minimal case as a failing
//! test case.

use std::path::Path;
use std::process::Command;

#[test]
fn exploration_reports_go_to_json_and_junit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("rollcage-explore-cli-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let (json, junit) = (out.join("report.json"), out.join("report.xml"));
    let (html, markdown) = (out.join("report.html"), out.join("report.md"));
    let run = Command::new(env!("CARGO_BIN_EXE_rollcage"))
        .args([
            "explore",
            "--quiet",
            "--cases",
            "1",
            "--seed",
            "3",
            "--faults",
            "pause-database,kill-app",
        ])
        .args(["--max-faults", "1", "--max-shrink-runs", "0", "--out"])
        .arg(out.join("cases"))
        .arg("--json")
        .arg(&json)
        .arg("--junit")
        .arg(&junit)
        .arg("--html")
        .arg(&html)
        .arg("--markdown")
        .arg(&markdown)
        .arg(root.join("tests/fixtures/explore/notnull-space.toml"))
        .output()
        .expect("rollcage runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    // Seed 3's first case deploys the NOT NULL trap: a defect, so exit 1.
    assert_eq!(
        run.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("1 distinct defect(s)") && stdout.contains("baseline -> notnull"),
        "{stdout}"
    );

    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["matched"], false);
    let drills = report["drills"].as_array().unwrap();
    let defect = drills
        .iter()
        .find(|d| d["scenario"] == "explore-notnull-space-s3-c1")
        .expect("the defect's record");
    assert_eq!(
        defect["runs"][0]["outcome"]["verdict"],
        "restored-bad-state"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("explore-notnull-space-s3-c1") && xml.contains("<failure"),
        "{xml}"
    );
    // The defect's minimal case, with its timelines, in the HTML; its row in the Markdown.
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("explore-notnull-space-s3-c1") && page.contains("<svg class=\"timeline\""),
        "{page}"
    );
    let md = std::fs::read_to_string(&markdown).unwrap();
    assert!(md.contains("| ✗ | explore-notnull-space-s3-c1 |"), "{md}");
    // The minimal case file is there to replay.
    assert!(out.join("cases/explore-notnull-space-s3-c1.toml").is_file());
    let _ = std::fs::remove_dir_all(&out);
}
