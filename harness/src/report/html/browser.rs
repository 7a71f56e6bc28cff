//! The HTML report as a real browser renders it: headless Chromium (installed by `setup.sh`)
//! loads the report of the recorded fixture run and dumps its DOM, which must hold the
//! timelines with their marks, the oracle table and the summary table. Chromium missing is a
//! failure, not a skip: the suite must really check the page.

use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use super::{render, RunMarks};
use crate::events::{DrillEvent, DrillEventKind};
use crate::outcome::fixture::{outcome, record};
use crate::vocab::{FaultKind, Phase};

fn at(ms: u64, kind: DrillEventKind) -> DrillEvent {
    DrillEvent {
        at: Duration::from_millis(ms),
        kind,
    }
}

/// How the browser exited, or a failure if it has not by `limit` (it is killed first): a
/// hung browser must fail the suite, not stall it.
fn finished(mut child: Child, limit: Duration) -> ExitStatus {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status,
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within {limit:?}");
            }
        }
    }
}

fn report_file() -> PathBuf {
    let r = record(vec![Ok(outcome(true)), Ok(outcome(false))]);
    let marks: Vec<RunMarks> = (1..=2)
        .map(|repetition| RunMarks {
            index: 1,
            scenario: r.scenario.clone(),
            repetition,
            events: vec![
                at(0, DrillEventKind::PhaseEntered(Phase::BeforeDeploy)),
                at(1200, DrillEventKind::PhaseEntered(Phase::AfterDeploy)),
                at(
                    1300,
                    DrillEventKind::FaultInjected {
                        kind: FaultKind::KillApp,
                        phase: Phase::AfterDeploy,
                        what: "app".into(),
                    },
                ),
                at(1500, DrillEventKind::FaultHealed { what: "app".into() }),
                at(
                    3000,
                    DrillEventKind::PhaseEntered(Phase::DuringVerification),
                ),
            ],
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("rollcage-html-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.html");
    std::fs::write(&path, render(&[r], &marks)).unwrap();
    path
}

#[test]
fn chromium_renders_timelines_marks_and_tables() {
    let path = report_file();
    let profile = path.with_file_name("profile");
    let (dom_file, err_file) = (
        path.with_file_name("dom.html"),
        path.with_file_name("stderr"),
    );
    let child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
        ])
        .arg(format!("file://{}", path.display()))
        // Files, not pipes: a DOM larger than a pipe's buffer would block the browser.
        .stdout(std::fs::File::create(&dom_file).unwrap())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) => panic!(
            "chromium could not be started ({e}); setup.sh installs it: apt-get install chromium"
        ),
    };
    let status = finished(child, Duration::from_secs(90));
    let dom = std::fs::read_to_string(&dom_file).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_file).unwrap_or_default();
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    assert!(
        status.success() && dom.contains("</html>"),
        "chromium failed ({status}):\n{stderr}"
    );
    // The DOM is the browser's own serialization: elements it parsed, not our text.
    let count = |needle: &str| dom.matches(needle).count();
    assert_eq!(count("<svg class=\"timeline\""), 2, "one SVG per run");
    for mark in [
        "class=\"mark phase\"",
        "class=\"mark fault\"",
        "class=\"mark decision\"",
        "class=\"mark step ok\"",
        "class=\"mark verified rollback\"",
        "class=\"mark event deploy\"",
        "class=\"mark traffic\"",
        "class=\"segment deploy\"",
        "class=\"segment rollback\"",
    ] {
        assert!(count(mark) >= 2, "`{mark}` missing from the rendered DOM");
    }
    assert!(dom.contains(">after-deploy</text>"), "phase label missing");
    assert_eq!(count("<table class=\"oracles\">"), 2);
    assert!(dom.contains("<table id=\"summary\" class=\"summary\">"));
    assert!(dom.contains("null value in column \"currency\""));
    assert!(dom.contains("<section class=\"postmortem\">"));
    assert!(dom
        .contains("set-not-null (fixtures/ledger/migrations/notnull/0002_add_currency.up.sql:5)"));
}
