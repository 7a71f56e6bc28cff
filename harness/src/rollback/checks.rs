//! Running the scenario's `[[check]]`s at their points: each request rendered with the values
//! earlier checks saved, sent to the release serving then, judged by its status, its saved
//! value kept, and the result emitted as a timeline event. The checks after the rollback are
//! the `smoke` oracle's evidence (`[[smoke]]` requests are such checks); the earlier ones say
//! what the new release served.

use super::drill::Drill;
use crate::scenario::{Check, Phase};
use crate::timeline::EventKind;
use crate::traffic::{fill, key_at, render_body, send, Draw};
use crate::verify::OracleResult;
use crate::vocab::{Oracle, OracleStatus};

/// Sequence numbers of checks' values start here, apart from the workload's.
const FIRST_SEQ: u64 = 2_000_000;

/// What the checks have done so far.
#[derive(Debug, Default)]
pub struct CheckLog {
    /// Saved values by check name.
    saved: Vec<(String, String)>,
    /// Each check that ran: its name, point, and whether it passed, with what it saw.
    pub results: Vec<CheckResult>,
}

/// One check's result.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// The check's name.
    pub name: String,
    /// Where it ran.
    pub at: Phase,
    /// It got an expected status (and saved what it was to save).
    pub ok: bool,
    /// What happened, for people.
    pub detail: String,
}

/// Runs the checks placed at `at`, in file order.
pub async fn run_at(d: &mut Drill<'_>, at: Phase) {
    let s = d.scenario;
    for (i, check) in s.checks.iter().enumerate().filter(|(_, c)| c.at == at) {
        let result = run_one(d, check, FIRST_SEQ + i as u64).await;
        let kind = match result.ok {
            true => EventKind::CheckPassed,
            false => EventKind::CheckFailed,
        };
        d.emit
            .milestone(kind, format!("{} ({}): {}", result.name, at, result.detail));
        d.checks.results.push(result);
    }
}

async fn run_one(d: &mut Drill<'_>, check: &Check, seq: u64) -> CheckResult {
    let result = |ok, detail: String| CheckResult {
        name: check.name.clone(),
        at: check.at,
        ok,
        detail,
    };
    if let Some(missing) = check
        .uses()
        .into_iter()
        .find(|n| !d.checks.saved.iter().any(|(s, _)| s == n))
    {
        let why = format!("not sent: check `{missing}` saved no value to read back");
        return result(false, why);
    }
    let Some(addr) = d.env.serving_addr() else {
        return result(false, "no release is serving".into());
    };
    let mut draw = Draw::new(0, seq, d.env.sandbox.run_id().as_str());
    draw.saved = d.checks.saved.clone();
    let path = fill(&check.path, &mut draw);
    let body = render_body(&check.body, &mut draw);
    let line = format!("{} {path}", check.method);
    let answer = match send(&d.env.client, addr, &check.method, &path, &body).await {
        Ok(a) => a,
        Err(e) => return result(false, format!("{line}: {e}")),
    };
    if !check.expect_status.contains(&answer.status) {
        let body: String = answer.body.chars().take(200).collect();
        let expected = &check.expect_status;
        let why = format!(
            "{line} answered {} (expected {expected:?}): {body}",
            answer.status
        );
        return result(false, why);
    }
    let Some(pointer) = &check.save else {
        return result(true, format!("{line} answered {}", answer.status));
    };
    match key_at(&answer.json(), pointer) {
        Some(value) => {
            let detail = format!(
                "{line} answered {}, saved {pointer} = {value}",
                answer.status
            );
            d.checks.saved.push((check.name.clone(), value));
            result(true, detail)
        }
        None => result(
            false,
            format!("{line}: the answer has no {pointer} to save"),
        ),
    }
}

/// The `smoke` oracle: every check after the rollback (`[[smoke]]` requests among them) got
/// what it expected from the restored release; the earlier checks are not its evidence.
pub fn smoke(results: &[CheckResult]) -> OracleResult {
    let after: Vec<&CheckResult> = results
        .iter()
        .filter(|r| r.at == Phase::DuringVerification)
        .collect();
    let failed: Vec<String> = after
        .iter()
        .filter(|r| !r.ok)
        .map(|r| format!("check {}: {}", r.name, r.detail))
        .collect();
    let passed = after.len() - failed.len();
    let summary = format!(
        "{passed} of {} check(s) after the rollback passed",
        after.len()
    );
    if failed.is_empty() {
        return OracleResult::pass(Oracle::Smoke, summary);
    }
    OracleResult {
        oracle: Oracle::Smoke,
        status: OracleStatus::Failed,
        message: format!("{summary}; {}", failed.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(name: &str, at: Phase, ok: bool) -> CheckResult {
        CheckResult {
            name: name.into(),
            at,
            ok,
            detail: format!("GET /entries/7 answered {}", if ok { 200 } else { 500 }),
        }
    }

    #[test]
    fn a_failed_check_after_the_rollback_fails_smoke_and_earlier_ones_do_not() {
        let written = result("written", Phase::AfterDeploy, false);
        let r = smoke(std::slice::from_ref(&written));
        assert!(
            !r.failed(),
            "a check before the rollback is not the restored release's"
        );
        assert_eq!(r.message, "0 of 0 check(s) after the rollback passed");
        let read = result("read-back", Phase::DuringVerification, false);
        let r = smoke(&[written, read]);
        assert!(r.failed());
        assert!(
            r.message
                .contains("0 of 1 check(s) after the rollback passed"),
            "{}",
            r.message
        );
        assert!(
            r.message
                .contains("check read-back: GET /entries/7 answered 500"),
            "{}",
            r.message
        );
        let ok = result("read-back", Phase::DuringVerification, true);
        let r = smoke(&[ok]);
        assert!(!r.failed());
        assert_eq!(r.message, "1 of 1 check(s) after the rollback passed");
    }
}
