//! The renderings of a handful of findings.

use super::*;
use crate::lint::{Category, Rule};

fn finding(rule: Rule, severity: Severity) -> Finding {
    Finding {
        rule,
        severity,
        category: Category::CodeRollback,
        file: "m/0002_x.up.sql".into(),
        line: 5,
        column: Some(1),
        statement: "ALTER TABLE entries\n  ALTER COLUMN currency SET NOT NULL".into(),
        message: "column entries.currency is made NOT NULL".into(),
        remedy: "give it a DEFAULT".into(),
        columns: Vec::new(),
        disposition: None,
    }
}

#[test]
fn human_shows_numbered_source_lines_and_the_remedy() {
    let f = [finding(Rule::SetNotNull, Severity::Error)];
    let mut out = Vec::new();
    human(&mut out, &f, Severity::Error, false).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with("error[set-not-null] m/0002_x.up.sql:5:1 (code-rollback)\n"),
        "{text}"
    );
    assert!(
        text.contains("  5 | ALTER TABLE entries\n  6 |   ALTER COLUMN"),
        "{text}"
    );
    assert!(text.contains("remedy: give it a DEFAULT"), "{text}");
    assert!(
        text.ends_with(
            "1 finding(s): 1 error(s), 0 warning(s), 0 info (failing at --fail-on error)\n"
        ),
        "{text}"
    );
}

#[test]
fn json_and_junit_follow_fail_on() {
    let f = [
        finding(Rule::SetNotNull, Severity::Error),
        finding(Rule::AddConstraint, Severity::Warning),
    ];
    let v: serde_json::Value = serde_json::from_str(&json(&f, Severity::Error)).unwrap();
    assert_eq!(v["failed"], true);
    assert_eq!(v["counts"]["warning"], 1);
    assert_eq!(v["findings"][0]["rule"], "set-not-null");
    assert_eq!(v["findings"][0]["category"], "code-rollback");
    let group = |findings: &[Finding]| Group {
        name: JUNIT_SUITE.into(),
        file: String::new(),
        heading: String::new(),
        findings: findings.to_vec(),
    };
    let xml = junit(&[group(&f)], Severity::Error).unwrap();
    assert_eq!(xml.matches("<failure").count(), 1, "{xml}");
    assert!(xml.contains("set-not-null at m/0002_x.up.sql:5:1"), "{xml}");
    let clean = junit(&[group(&[])], Severity::Error).unwrap();
    assert!(clean.contains("no findings") && !clean.contains("<failure"));
    let v: serde_json::Value =
        serde_json::from_str(&json_groups(&[group(&f)], Severity::Warning)).unwrap();
    assert_eq!(v["scenarios"][0]["scenario"], JUNIT_SUITE);
    assert_eq!(v["scenarios"][0]["counts"]["error"], 1);
    assert_eq!(v["failed"], true);
    let mut line = Vec::new();
    brief(&mut line, &f[..1], "  ").unwrap();
    assert_eq!(
        String::from_utf8(line).unwrap(),
        "  error[set-not-null] m/0002_x.up.sql:5:1: column entries.currency is made NOT NULL\n"
    );
}

#[test]
fn accounted_findings_show_why_and_never_fail() {
    let mut f = finding(Rule::DownDropsData, Severity::Error);
    f.disposition = Some(crate::lint::Disposition::Declared(
        "[allowed-loss] fields /tags".into(),
    ));
    let mut text = Vec::new();
    human(&mut text, &[f.clone()], Severity::Error, false).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("  declared: [allowed-loss] fields /tags"),
        "{text}"
    );
    assert!(text.contains("which never fail (passing"), "{text}");
    assert!(!fails(&[f], Severity::Info));
}
