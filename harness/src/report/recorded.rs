//! Snapshot tests of the reports as their reporters render a recorded run: the events of two
//! scenarios run twice each, built from `outcome::fixture`. What changes from one real run to
//! the next (durations, run ids, image digests, the version) is redacted by filters.

use std::fs;
use std::path::PathBuf;
use std::time::Duration;

use super::terminal::Palette;
use super::{HtmlReporter, JsonReporter, JunitReporter, LinesReporter, MarkdownReporter, Progress};
use crate::events::{DrillEvent, DrillEventKind, Event, Reporter};
use crate::outcome::fixture::{outcome, record};
use crate::outcome::{DrillOutcome, DrillRecord, Summary};
use crate::vocab::{FaultKind, Phase};

/// Regex and replacement, applied in order to every snapshot.
const REDACTIONS: &[(&str, &str)] = &[
    (r"sha256:[0-9a-f]+", "[digest]"),
    (r#""run_id": "[^"]*""#, r#""run_id": "[run-id]""#),
    (r#""rollcage": "[^"]*""#, r#""rollcage": "[version]""#),
    // Durations as people read them (`human`): 1.234s, 640.0ms.
    (r"\b\d+\.\d+m?s\b", "[duration]"),
    // Timeline offsets: `+  1234 verified`, `(… at +2000ms)`.
    (r"\+ *\d+(ms)?", "+[ms]"),
    // JUnit times, in seconds.
    (r#"time="[0-9.]+""#, r#"time="[duration]""#),
    // JSON durations, in milliseconds.
    (
        r#""(\w+_ms|at|took|p50|p95|p99|max|recovery_time|time_to_detect|time_to_healthy|outage|snapshot_at)": \d+(\.\d+)?"#,
        r#""$1": "[duration]""#,
    ),
];

fn in_drill(ms: u64, kind: DrillEventKind) -> DrillEvent {
    DrillEvent {
        at: Duration::from_millis(ms),
        kind,
    }
}

/// What the engine reports inside a drill that ended in `o`.
fn drill_events(o: &DrillOutcome) -> Vec<DrillEvent> {
    let mut events = vec![
        in_drill(0, DrillEventKind::PhaseEntered(Phase::BeforeDeploy)),
        in_drill(1200, DrillEventKind::PhaseEntered(Phase::AfterDeploy)),
        in_drill(
            1300,
            DrillEventKind::FaultInjected {
                kind: FaultKind::KillApp,
                phase: Phase::AfterDeploy,
                what: "app".into(),
            },
        ),
        in_drill(1500, DrillEventKind::FaultHealed { what: "app".into() }),
    ];
    if let Some(reason) = &o.decision {
        events.push(in_drill(
            2000,
            DrillEventKind::Decision {
                reason: reason.clone(),
            },
        ));
    }
    for s in &o.steps {
        let started = DrillEventKind::StepStarted {
            step: s.step,
            attempt: s.attempt,
        };
        events.push(in_drill(s.at.as_millis() as u64, started));
        let done = (s.at + s.took).as_millis() as u64;
        events.push(in_drill(done, DrillEventKind::StepFinished(s.clone())));
    }
    events.push(in_drill(
        3000,
        DrillEventKind::PhaseEntered(Phase::DuringVerification),
    ));
    for r in &o.oracles {
        events.push(in_drill(3200, DrillEventKind::OracleChecked(r.clone())));
    }
    events
}

/// Every run of `record` as the runner reports it, then the scenario's end.
fn scenario_events(index: usize, total: usize, record: &DrillRecord, repeat: usize) -> Vec<Event> {
    let mut events = Vec::new();
    for run in &record.runs {
        events.push(Event::DrillStarted {
            index,
            total,
            scenario: record.scenario.clone(),
            repetition: run.repetition,
            repeat,
        });
        if let Ok(o) = &run.result {
            events.extend(drill_events(o).into_iter().map(|event| Event::Drill {
                index,
                repetition: run.repetition,
                event,
            }));
        }
        events.push(Event::DrillFinished {
            index,
            scenario: record.scenario.clone(),
            repetition: run.repetition,
            wall: run.wall,
            result: run.result.clone().map(Box::new),
        });
    }
    events.push(Event::ScenarioFinished(Box::new(record.clone())));
    events
}

/// Two scenarios, two runs each: a match then a mismatch; a match then a run that could not
/// run.
fn recorded() -> Vec<Event> {
    let first = record(vec![Ok(outcome(true)), Ok(outcome(false))]);
    let mut second = record(vec![
        Ok(outcome(true)),
        Err("creating container db: no such image".into()),
    ]);
    second.scenario = "notnull-code-only-again".into();
    second.file = "scenarios/notnull-code-only-again.toml".into();
    for run in &mut second.runs {
        if let Ok(o) = &mut run.result {
            o.scenario = second.scenario.clone();
            o.file = second.file.clone();
        }
    }
    let mut events = vec![Event::RunStarted {
        scenarios: 2,
        repeat: 2,
    }];
    events.extend(scenario_events(1, 2, &first, 2));
    events.extend(scenario_events(2, 2, &second, 2));
    events.push(Event::RunFinished(Summary::of(&[first, second])));
    events
}

fn play(reporter: &mut dyn Reporter) {
    for e in recorded() {
        reporter.report(&e);
    }
    reporter.finish().unwrap();
}

fn snapshot(name: &str, text: &str) {
    let filters = REDACTIONS.to_vec();
    insta::with_settings!({ filters => filters }, {
        insta::assert_snapshot!(name, text);
    });
}

/// A file in a folder of this test's own, removed after it was read.
fn written(name: &str, make: impl FnOnce(PathBuf) -> Box<dyn Reporter>) -> String {
    let dir = std::env::temp_dir().join(format!("rollcage-recorded-{}-{name}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    play(make(path.clone()).as_mut());
    let text = fs::read_to_string(&path).unwrap();
    fs::remove_dir_all(&dir).unwrap();
    text
}

#[test]
fn terminal() {
    let mut r = LinesReporter::new(Vec::new(), Palette::PLAIN, false);
    play(&mut r);
    snapshot("terminal", &String::from_utf8(r.into_inner()).unwrap());
}

#[test]
fn terminal_verbose() {
    let mut r = LinesReporter::new(Vec::new(), Palette::PLAIN, true);
    play(&mut r);
    snapshot(
        "terminal_verbose",
        &String::from_utf8(r.into_inner()).unwrap(),
    );
}

#[test]
fn json() {
    let text = written("r.json", |p| Box::new(JsonReporter::new(p)));
    snapshot("json", &text);
}

#[test]
fn junit() {
    let text = written("r.xml", |p| Box::new(JunitReporter::new(p)));
    snapshot("junit", &text);
}

#[test]
fn html() {
    let text = written("r.html", |p| Box::new(HtmlReporter::new(p)));
    snapshot("html", &text);
}

#[test]
fn markdown() {
    let text = written("r.md", |p| Box::new(MarkdownReporter::new(Some(p), None)));
    snapshot("markdown", &text);
}

#[test]
fn progress() {
    // Hidden (quiet), but it still says what it would show.
    let mut p = Progress::new(0, true);
    let mut said = Vec::new();
    for e in recorded() {
        p.report(&e);
        let now = p
            .messages()
            .first()
            .copied()
            .unwrap_or("(cleared)")
            .to_string();
        if said.last() != Some(&now) {
            said.push(now);
        }
    }
    snapshot("progress", &said.join("\n"));
}

#[test]
fn a_json_report_read_back_renders_every_report_as_the_run_did() {
    // What `rollcage report merge` does with one shard: read it, play it to the reporters.
    let json = written("r.json", |p| Box::new(JsonReporter::new(p)));
    let shard = super::read::parse(&json).unwrap();
    assert_eq!(shard.records.len(), 2);
    assert_eq!(shard.marks.len(), 4, "every run's events came back");
    let replayed = |name: &str, make: fn(PathBuf) -> Box<dyn Reporter>| {
        let dir =
            std::env::temp_dir().join(format!("rollcage-replay-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        let mut r = make(path.clone());
        shard.replay(r.as_mut());
        r.finish().unwrap();
        let text = fs::read_to_string(&path).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        text
    };
    assert_eq!(replayed("r.json", |p| Box::new(JsonReporter::new(p))), json);
    let html = written("r.html", |p| Box::new(HtmlReporter::new(p)));
    assert_eq!(replayed("r.html", |p| Box::new(HtmlReporter::new(p))), html);
    let md = written("r.md", |p| Box::new(MarkdownReporter::new(Some(p), None)));
    let again = replayed("r.md", |p| Box::new(MarkdownReporter::new(Some(p), None)));
    assert_eq!(again, md);
    let xml = written("r.xml", |p| Box::new(JunitReporter::new(p)));
    assert_eq!(replayed("r.xml", |p| Box::new(JunitReporter::new(p))), xml);
}
