//! A hand-built `DrillOutcome` and `DrillRecord` for the reporters' unit tests and the report
//! benches (through `testing::fixture`).

use std::time::Duration;

use super::{
    Deployed, DrillOutcome, DrillRecord, EndState, RecoveryPoint, RepeatFigures, Run, StepRecord,
};
use crate::lint::{Finding, Rule, Severity};
use crate::preflight::compare;
use crate::timeline::{Event, EventKind, Figures, Segment, WindowStats};
use crate::verify::{DataAudit, DataLoss, LossKind, OracleResult, WriteAudit};
use crate::vocab::{Oracle, Step, Strategy, Verdict};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn event(at: u64, segment: Segment, kind: EventKind, detail: &str) -> Event {
    Event {
        at: ms(at),
        segment,
        kind,
        detail: detail.into(),
    }
}

fn window(requests: u64, failed: u64, p50: u64, p99: u64) -> WindowStats {
    WindowStats {
        requests,
        failed,
        error_rate: failed as f64 / requests as f64,
        p50: ms(p50),
        p99: ms(p99),
        max: ms(p99 + 5),
    }
}

/// What preflight finds in the notnull release's migration.
fn set_not_null() -> Finding {
    Finding {
        rule: Rule::SetNotNull,
        severity: Severity::Error,
        category: Rule::SetNotNull.category(),
        file: "fixtures/ledger/migrations/notnull/0002_add_currency.up.sql".into(),
        line: 5,
        column: Some(1),
        statement: "ALTER TABLE entries ALTER COLUMN currency SET NOT NULL".into(),
        message: "column entries.currency is made NOT NULL".into(),
        remedy: "give the column a default first".into(),
        columns: Vec::new(),
        disposition: None,
    }
}

/// The notnull-code-only drill: restored-bad-state because smoke fails, as preflight
/// predicted. With `matched` false the scenario expected `pass` instead.
pub fn outcome(matched: bool) -> DrillOutcome {
    let mut o = drill(matched);
    o.preflight = vec![set_not_null()];
    o.predictions = compare(&o.preflight, &o);
    o
}

fn drill(matched: bool) -> DrillOutcome {
    let expected = if matched {
        Verdict::RestoredBadState
    } else {
        Verdict::Pass
    };
    DrillOutcome {
        scenario: "notnull-code-only".into(),
        file: "scenarios/notnull-code-only.toml".into(),
        run_id: "rc-test".into(),
        database_image: "rollcage/postgres:15".into(),
        deploy: Deployed {
            from: "baseline".into(),
            to: "notnull".into(),
        },
        strategy: Strategy::CodeOnly,
        verdict: Verdict::RestoredBadState,
        expected,
        expected_failing: if matched { vec![Oracle::Smoke] } else { vec![] },
        matched,
        failure: None,
        interrupted: None,
        decision: Some("manual, 1s after healthy".into()),
        oracles: vec![
            OracleResult::pass(Oracle::Health, "GET /health answered 200"),
            OracleResult::fail(
                Oracle::Smoke,
                "POST /entries answered 500\nnull value in column \"currency\"",
            ),
            OracleResult::skip(Oracle::Schema, "code-only rollback keeps the new schema"),
        ],
        steps: vec![StepRecord {
            step: Step::SwitchCode,
            at: ms(2000),
            took: ms(1234),
            ok: true,
            detail: "baseline started from sha256:abc".into(),
            attempt: 1,
            cause: None,
        }],
        migrations: vec![],
        timeline: vec![
            event(10, Segment::Deploy, EventKind::EnvironmentReady, "db ready"),
            event(900, Segment::Deploy, EventKind::DeployStarted, "notnull"),
            // Recorded after deploy-started but measured earlier: reports sort by time.
            event(
                450,
                Segment::Deploy,
                EventKind::Captured,
                "baseline sha256:abc",
            ),
            event(
                2000,
                Segment::Rollback,
                EventKind::RollbackDecision,
                "manual",
            ),
            event(3234, Segment::Rollback, EventKind::Verified, "oracles ran"),
        ],
        figures: Figures {
            recovery_time: Some(ms(1234)),
            recovered: true,
            time_to_detect: None,
            detected_by_trigger: false,
            outage_ongoing: false,
            outage: Some(ms(87)),
            time_to_healthy: Some(ms(640)),
            before_deploy: window(50, 0, 3, 9),
            deploying: window(20, 0, 3, 9),
            deployed: window(60, 0, 4, 11),
            rollback: window(70, 7, 5, 40),
            failed_after_rollback: 7,
        },
        capture: Default::default(),
        writes: WriteAudit {
            acknowledged: 120,
            readable: 118,
            lost_writes: vec!["e-1".into(), "e-2".into()],
            ..Default::default()
        },
        data: Some(DataAudit {
            rows_before: 150,
            losses: vec![DataLoss {
                place: "entries.currency".into(),
                kind: LossKind::ColumnDropped,
                count: 40,
                declared: false,
            }],
            changed_values: 0,
            rows_added: 12,
        }),
        recovery_point: Some(RecoveryPoint {
            snapshot_at: ms(880),
            writes_lost: 0,
        }),
        preflight: vec![],
        predictions: Default::default(),
        end_state: Some(EndState {
            release: "baseline".into(),
            image_id: "sha256:abc".into(),
            migration_version: 2,
            schema_diff: vec!["+ column entries.currency: text NOT NULL".into()],
        }),
    }
}

/// A record of the given runs, numbered from 1, each taking 5s of wall time.
pub fn record(results: Vec<Result<DrillOutcome, String>>) -> DrillRecord {
    let runs: Vec<Run> = results
        .into_iter()
        .enumerate()
        .map(|(i, result)| Run {
            repetition: i + 1,
            wall: Duration::from_secs(5),
            result,
        })
        .collect();
    DrillRecord {
        scenario: "notnull-code-only".into(),
        file: "scenarios/notnull-code-only.toml".into(),
        deploy: Deployed {
            from: "baseline".into(),
            to: "notnull".into(),
        },
        strategy: Some(Strategy::CodeOnly),
        database_image: "rollcage/postgres:15".into(),
        percentiles: RepeatFigures::of(&runs),
        runs,
    }
}
