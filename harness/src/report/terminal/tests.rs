//! Terminal formatting of a hand-built outcome, without a terminal.

use super::*;
use crate::outcome::fixture::{outcome, record};

fn text(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn position(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in:\n{haystack}"))
}

#[test]
fn header_and_verdict_lines() {
    let r = record(vec![Ok(outcome(true))]);
    let t = text(|out| fmt_run(out, &r, &r.runs[0], Palette::PLAIN));
    let mut lines = t.lines();
    assert_eq!(
        lines.next().unwrap(),
        "● notnull-code-only (baseline -> notnull, code-only) on rollcage/postgres:15"
    );
    assert_eq!(
        lines.next().unwrap(),
        "  verdict: restored-bad-state (expected restored-bad-state) ✓"
    );
    assert!(!t.contains("mismatch:"));
    assert!(!t.contains('\u{1b}'), "plain palette must not colour");
}

#[test]
fn a_mismatch_says_why() {
    let t = text(|out| fmt_verdict(out, &outcome(false), Palette::PLAIN));
    assert!(
        t.starts_with("  verdict: restored-bad-state (expected pass) ✗\n"),
        "{t}"
    );
    assert!(
        t.contains("  mismatch: expected pass, got restored-bad-state\n"),
        "{t}"
    );
    assert!(t.contains("  decision: manual, 1s after healthy\n"));
}

#[test]
fn oracle_lines_with_indented_continuations() {
    let t = text(|out| fmt_oracles(out, &outcome(true), Palette::PLAIN));
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines[0], "  oracles:");
    assert_eq!(lines[1], "    health  passed   GET /health answered 200");
    assert_eq!(
        lines[2],
        "    smoke   failed   POST /entries answered 500 (expected to fail)"
    );
    // The second message line sits under the first message line's text.
    assert_eq!(
        lines[3],
        format!("{:21}null value in column \"currency\"", "")
    );
    assert_eq!(
        lines[4],
        "    schema  skipped  code-only rollback keeps the new schema"
    );
}

#[test]
fn timelines_split_by_segment_and_sorted_by_time() {
    let t = text(|out| fmt_timelines(out, &outcome(true), Palette::PLAIN));
    let deploy = position(&t, "deploy timeline");
    let rollback = position(&t, "rollback timeline (ms since the decision at +2000ms)");
    let ready = position(&t, "+    10 environment-ready");
    let captured = position(&t, "+   450 captured");
    let started = position(&t, "+   900 deploy-started");
    assert!(
        deploy < ready && ready < captured && captured < started && started < rollback,
        "{t}"
    );
    // Rollback events are measured from the decision.
    assert!(position(&t, "+     0 rollback-decision manual") > rollback);
    assert!(position(&t, "+  1234 verified") > rollback);
}

#[test]
fn no_decision_no_rollback_timeline() {
    let mut o = outcome(true);
    o.timeline.retain(|e| e.segment == Segment::Deploy);
    let t = text(|out| fmt_timelines(out, &o, Palette::PLAIN));
    assert!(
        t.contains("  rollback timeline: none (no rollback decision)\n"),
        "{t}"
    );
}

#[test]
fn steps_and_figures_text() {
    let o = outcome(true);
    let t = text(|out| fmt_steps(out, &o, Palette::PLAIN));
    assert!(
        t.contains("    switch-code         1.234s  ok      baseline started from sha256:abc"),
        "{t}"
    );
    let t = text(|out| fmt_figures(out, &o, Palette::PLAIN));
    assert!(t.contains("    recovery time     1.234s\n"), "{t}");
    assert!(
        t.contains("    time to detect    — (manual decision)\n"),
        "{t}"
    );
    assert!(t.contains("    time to healthy   640.0ms\n"), "{t}");
    assert!(t.contains("    outage            87.0ms\n"), "{t}");
    let rollback = t
        .lines()
        .find(|l| l.trim_start().starts_with("rollback"))
        .unwrap();
    let cells: Vec<&str> = rollback.split_whitespace().collect();
    assert_eq!(cells, ["rollback", "70", "7", "10.00%", "5.0ms", "40.0ms"]);
    assert!(
        t.contains("    writes            120 acknowledged, 118 readable, 2 lost\n"),
        "{t}"
    );
    assert!(
        t.contains("    recovery point    snapshot at +880.0ms, 0 acknowledged writes lost\n"),
        "{t}"
    );

    // Figures that would mislead say what they are instead.
    let mut o = outcome(true);
    o.figures.recovered = false;
    o.figures.outage_ongoing = true;
    o.figures.time_to_detect = Some(std::time::Duration::from_millis(300));
    let t = text(|out| fmt_figures(out, &o, Palette::PLAIN));
    assert!(
        t.contains("recovery time     — (not recovered: the restored release fails)"),
        "{t}"
    );
    assert!(
        t.contains("outage            not over (87.0ms so far: the last request failed)"),
        "{t}"
    );
    assert!(t.contains("onset → decision  300.0ms"), "{t}");
    o.figures.detected_by_trigger = true;
    let t = text(|out| fmt_figures(out, &o, Palette::PLAIN));
    assert!(t.contains("time to detect    300.0ms"), "{t}");
}

#[test]
fn late_failures_are_claimed_only_after_a_verified_rollback() {
    let o = outcome(true);
    let t = text(|out| fmt_figures(out, &o, Palette::PLAIN));
    assert!(
        t.contains("    late failures     7 requests failed after the rollback was verified\n"),
        "{t}"
    );
    let mut quiet = outcome(true);
    quiet.verdict = Verdict::NoRollback;
    quiet.figures.recovery_time = None;
    quiet.figures.failed_after_rollback = 0;
    let t = text(|out| fmt_figures(out, &quiet, Palette::PLAIN));
    assert!(t.contains("    late failures     — (no rollback)\n"), "{t}");
    assert!(t.contains("    recovery time     — (no rollback)\n"), "{t}");
    assert!(t.contains("      rollback        — (no rollback)\n"), "{t}");
    assert!(t.contains("    outage            87.0ms\n"), "{t}");
    // The writes are counted and read back whether or not a rollback happened.
    assert!(t.contains("    writes            120 acknowledged"), "{t}");
    let t = text(|out| fmt_verdict(out, &quiet, Palette::PLAIN));
    assert!(
        t.contains("  decision: no rollback: the trigger stayed quiet and traffic held"),
        "{t}"
    );
    let mut unfinished = outcome(true);
    unfinished.verdict = Verdict::FailedToComplete;
    unfinished.figures.recovery_time = None;
    let t = text(|out| fmt_figures(out, &unfinished, Palette::PLAIN));
    assert!(
        t.contains("    late failures     — (rollback not verified)\n"),
        "{t}"
    );
}

#[test]
fn an_error_run_is_reported_as_such() {
    let r = record(vec![Err("creating container db: no such image".into())]);
    let t = text(|out| fmt_record(out, &r, Palette::PLAIN));
    assert!(
        t.contains("  error: could not run: creating container db: no such image ✗"),
        "{t}"
    );
    let t = text(|out| fmt_summary(out, &[r], Palette::PLAIN));
    assert!(
        t.starts_with("1 drill: 0 matched, 1 did not (1 could not run)\n"),
        "{t}"
    );
    assert!(
        t.contains("  ! notnull-code-only: could not run: creating container db"),
        "{t}"
    );
}

#[test]
fn repeated_runs_show_percentiles_and_name_the_bad_run() {
    let r = record(vec![
        Ok(outcome(true)),
        Ok(outcome(true)),
        Ok(outcome(false)),
    ]);
    let t = text(|out| fmt_record(out, &r, Palette::PLAIN));
    // Run 1 and the mismatched run 3 in full, run 2 in one line.
    assert!(t.contains("● notnull-code-only#1 ("), "{t}");
    assert!(
        t.contains("● notnull-code-only#2: verdict restored-bad-state ✓ recovery 1.234s\n"),
        "{t}"
    );
    assert!(t.contains("● notnull-code-only#3 ("), "{t}");
    assert!(t.contains(
        "over 3 runs of notnull-code-only: 2 matched, 1 mismatched, 0 could not run → mismatched ✗"
    ));
    assert!(
        t.contains(
            "    recovery time     p50    1.234s  p95    1.234s  max    1.234s  (3 samples)"
        ),
        "{t}"
    );
    assert!(t.contains("    time to detect    — (never reached)"), "{t}");
    let t = text(|out| fmt_summary(out, &[r], Palette::PLAIN));
    assert!(
        t.contains("  ✗ notnull-code-only#3: expected pass, got restored-bad-state\n"),
        "{t}"
    );
    assert!(!t.contains("#1"), "{t}");
}

#[test]
fn colour_only_when_asked() {
    let coloured = Palette { colour: true };
    let t = text(|out| fmt_verdict(out, &outcome(false), coloured));
    assert!(t.contains('\u{1b}'), "{t:?}");
}

#[test]
fn a_dead_release_log_stays_under_its_step_and_event() {
    let mut o = outcome(true);
    o.steps[0].ok = false;
    o.steps[0].detail = "baseline exited before it became healthy: exit code 1\n  | bye".into();
    let t = text(|out| fmt_steps(out, &o, Palette::PLAIN));
    let lines: Vec<&str> = t.lines().collect();
    let first = position(lines[1], "baseline exited");
    assert_eq!(position(lines[2], "  | bye"), first, "{t}");
    o.timeline[0].detail = "expand exited before it became healthy\n  | bye".into();
    let t = text(|out| fmt_timelines(out, &o, Palette::PLAIN));
    let lines: Vec<&str> = t.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("expand exited"))
        .unwrap();
    let first = position(lines[at], "expand exited");
    assert_eq!(position(lines[at + 1], "  | bye"), first, "{t}");
}

#[test]
fn a_hostile_scenario_name_is_escaped_in_the_header() {
    let mut r = record(vec![Ok(outcome(true))]);
    r.scenario = "evil\u{1b}[2J\u{1b}]0;pwned\u{7}".into();
    let t = text(|out| fmt_record(out, &r, Palette::PLAIN));
    assert!(
        t.starts_with("● evil\\u{1b}[2J\\u{1b}]0;pwned\\u{7} (baseline -> notnull"),
        "{t}"
    );
    assert!(!t.contains('\u{1b}'), "{t:?}");
}
