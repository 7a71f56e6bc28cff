//! Findings for tools and CI: JSON (`json` for a lint run, `json_groups` for preflight's
//! scenarios) and JUnit XML (`junit`: one suite per group, one case per finding, failing at
//! or above the chosen severity).

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;

use super::{fails, Counts, Group};
use crate::lint::{Finding, Severity};

#[derive(Serialize)]
struct Document<'a> {
    rollcage: &'static str,
    fail_on: Severity,
    failed: bool,
    counts: Counts,
    findings: &'a [Finding],
}

/// `{ rollcage, fail_on, failed, counts: {error, warning, info}, findings: [Finding...] }`.
pub fn json(findings: &[Finding], fail_on: Severity) -> String {
    let doc = Document {
        rollcage: env!("CARGO_PKG_VERSION"),
        fail_on,
        failed: fails(findings, fail_on),
        counts: Counts::of(findings),
        findings,
    };
    serde_json::to_string_pretty(&doc).expect("findings serialize to JSON")
}

#[derive(Serialize)]
struct GroupsDocument<'a> {
    rollcage: &'static str,
    fail_on: Severity,
    failed: bool,
    scenarios: Vec<GroupJson<'a>>,
}

#[derive(Serialize)]
struct GroupJson<'a> {
    #[serde(flatten)]
    group: &'a Group,
    failed: bool,
    counts: Counts,
}

/// Preflight's JSON: `{ rollcage, fail_on, failed, scenarios: [ { scenario, file, findings,
/// failed, counts } ] }`.
pub fn json_groups(groups: &[Group], fail_on: Severity) -> String {
    let doc = GroupsDocument {
        rollcage: env!("CARGO_PKG_VERSION"),
        fail_on,
        failed: groups.iter().any(|g| fails(&g.findings, fail_on)),
        scenarios: groups
            .iter()
            .map(|g| GroupJson {
                group: g,
                failed: fails(&g.findings, fail_on),
                counts: Counts::of(&g.findings),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).expect("findings serialize to JSON")
}

/// One suite per group (named after it), one test case per finding (`rule at file:line`,
/// classname = file): a failure at or above `fail_on` unless the scenario accounts for
/// it (declared, expected, silenced), else a passing case carrying the
/// finding as its output; a clean group gets one passing "no findings" case.
pub fn junit(groups: &[Group], fail_on: Severity) -> Result<String, quick_junit::SerializeError> {
    let mut report = Report::new("rollcage");
    for g in groups {
        let mut suite = TestSuite::new(g.name.as_str());
        for f in &g.findings {
            suite.add_test_case(case(f, fail_on));
        }
        if g.findings.is_empty() {
            suite.add_test_case(TestCase::new("no findings", TestCaseStatus::success()));
        }
        report.add_test_suite(suite);
    }
    report.to_string()
}

fn case(f: &Finding, fail_on: Severity) -> TestCase {
    let mut text = format!("{}\n{}\nremedy: {}", f.message, f.statement, f.remedy);
    if let Some(d) = &f.disposition {
        text.push_str(&format!("\n{}: {}", d.as_str(), d.because()));
    }
    let failing = fails(std::slice::from_ref(f), fail_on);
    let status = if failing {
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
        s.set_message(f.message.as_str())
            .set_type(f.severity.as_str())
            .set_description(text.as_str());
        s
    } else {
        TestCaseStatus::success()
    };
    let mut case = TestCase::new(format!("{} at {}", f.rule, f.location()), status);
    case.set_classname(f.file.as_str());
    if !failing {
        case.set_system_out(text.as_str());
    }
    case
}
