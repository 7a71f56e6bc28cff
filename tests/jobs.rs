//! Parallel drills and CI sharding against real containers: `drill -j 3` gives each scenario
//! the verdict it expects, reports list scenarios in file order with each run's own events,
//! and two partitions merged with `report merge` give the verdicts of the single run. Also
//! `--name` and `--fail-fast`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_rollcage");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Four quick drills: two expected to pass, two expected to fail in different ways.
const FILES: [&str; 4] = [
    "scenarios/missing-artifact.toml",
    "scenarios/notnull-code-only.toml",
    "scenarios/notnull-fixed-code-only.toml",
    "scenarios/tags-code-only.toml",
];

/// One test's drills at a time: the parallel run is the thing measured, not the tests.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn turn() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn rollcage(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("running rollcage")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rollcage-jobs-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn said(out: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Scenario name → (drill matched, verdict of each run), from a JSON report.
fn verdicts(report: &Value) -> BTreeMap<String, (bool, Vec<String>)> {
    let drills = report["drills"].as_array().expect("drills");
    drills
        .iter()
        .map(|d| {
            let runs = d["runs"].as_array().expect("runs");
            let verdicts = runs
                .iter()
                .map(|r| {
                    r["outcome"]["verdict"]
                        .as_str()
                        .unwrap_or("error")
                        .to_string()
                })
                .collect();
            let matched = d["matched"].as_bool().expect("matched");
            (
                d["scenario"].as_str().unwrap().to_string(),
                (matched, verdicts),
            )
        })
        .collect()
}

#[test]
fn three_jobs_then_two_shards_give_the_verdicts_each_scenario_expects() {
    let _turn = turn();
    let dir = scratch("parallel");
    let (report, html, md) = (dir.join("r.json"), dir.join("r.html"), dir.join("r.md"));
    let mut args = vec!["drill", "-j", "3", "--seed", "5", "--quiet"];
    args.extend(["--json", arg(&report), "--html", arg(&html)]);
    args.extend(["--markdown", arg(&md)]);
    args.extend(FILES);
    let out = rollcage(&args);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let single = json(&report);

    // File order in the report, whatever order the drills finished in.
    let names: Vec<&str> = single["drills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(names, FILES, "report order");
    let got = verdicts(&single);
    assert!(got.values().all(|(matched, _)| *matched), "{got:?}");
    assert_eq!(got["notnull-code-only"].1, ["restored-bad-state"]);
    assert_eq!(got["notnull-fixed-code-only"].1, ["pass"]);

    // Each run kept its own events: every phase entered once (another drill's would repeat
    // them).
    for d in single["drills"].as_array().unwrap() {
        let events = d["runs"][0]["events"].as_array().unwrap();
        let phases: Vec<&str> = events
            .iter()
            .filter(|e| e["kind"]["event"] == "phase-entered")
            .map(|e| e["kind"]["data"].as_str().unwrap())
            .collect();
        let unique: std::collections::BTreeSet<&str> = phases.iter().copied().collect();
        assert_eq!(phases.len(), unique.len(), "{}: {phases:?}", d["scenario"]);
        assert!(phases.len() >= 3, "{}: {phases:?}", d["scenario"]);
    }

    // One line per drill on stdout, and both report files with every drill.
    let stdout = String::from_utf8_lossy(&out.stdout);
    for file in FILES {
        let name = Path::new(file).file_stem().unwrap().to_str().unwrap();
        let lines = stdout.lines().filter(|l| l.contains(name)).count();
        assert!(lines >= 1, "{name} in\n{stdout}");
        let page = std::fs::read_to_string(&html).unwrap();
        assert!(page.contains(name), "{name} in the HTML report");
        let summary = std::fs::read_to_string(&md).unwrap();
        assert!(summary.contains(name), "{name} in the Markdown summary");
    }
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.matches("<svg").count() >= FILES.len(),
        "a timeline per drill"
    );

    // The same files as two CI jobs, merged: the verdicts of the single run.
    let shards: Vec<PathBuf> = (1..=2)
        .map(|k| dir.join(format!("shard-{k}.json")))
        .collect();
    for (k, shard) in shards.iter().enumerate() {
        let partition = format!("{}/2", k + 1);
        let mut args = vec!["drill", "--partition", &partition, "--seed", "5", "--quiet"];
        args.extend(["--json", arg(shard)]);
        args.extend(FILES);
        let out = rollcage(&args);
        assert_eq!(out.status.code(), Some(0), "{}", said(&out));
        assert_eq!(json(shard)["drills"].as_array().unwrap().len(), 2);
    }
    let merged = dir.join("merged.json");
    let junit = dir.join("merged.xml");
    let mut args = vec!["report", "merge", arg(&shards[0]), arg(&shards[1])];
    args.extend(["--json", arg(&merged), "--junit", arg(&junit)]);
    let out = rollcage(&args);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert_eq!(
        verdicts(&json(&merged)),
        got,
        "merged shards against the single run"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert_eq!(xml.matches("<testcase").count(), FILES.len(), "{xml}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn name_filter_and_fail_fast_do_what_they_say() {
    let _turn = turn();
    let dir = scratch("fail-fast");
    let report = dir.join("r.json");
    // A wrong expectation makes the first drill a mismatch; fail-fast must not start the
    // second. The wrong expectation lives in a copy, beside its migrations' real path.
    let original = std::fs::read_to_string(Path::new(ROOT).join(FILES[1])).unwrap();
    let wrong = original
        .replace("expect = \"restored-bad-state\"", "expect = \"pass\"")
        .replace("expect-failing = [\"smoke\"]", "expect-failing = []")
        .replace("../fixtures/", &format!("{ROOT}/fixtures/"));
    assert_ne!(wrong, original, "the copy changes the expectation");
    let copy = dir.join("a-wrong-expectation.toml");
    std::fs::write(&copy, wrong).unwrap();
    let mut args = vec!["drill", "--fail-fast", "--seed", "5", "--quiet"];
    args.extend(["--name", "notnull", "--json", arg(&report)]);
    args.extend([arg(&copy), FILES[2], FILES[3]]);
    let out = rollcage(&args);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // --name kept the two notnull files (the copy keeps its scenario's name).
    assert!(stderr.contains("--name: 2 of 3 scenario(s)"), "{stderr}");
    assert!(
        stderr.contains("--fail-fast: 1 of 2 scenario(s) not run"),
        "{stderr}"
    );
    let ran = verdicts(&json(&report));
    assert_eq!(ran.len(), 1, "{ran:?}");
    assert_eq!(
        ran["notnull-code-only"],
        (false, vec!["restored-bad-state".into()])
    );
    let _ = std::fs::remove_dir_all(&dir);
}
