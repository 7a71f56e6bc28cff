//! Drills whose verdict rests on the database and on the traffic, each written the natural way
//! (no field lists, no write smoke): data lost or kept, rows unreadable, a trap caught by the
//! workload itself, form bodies keyed by email.

use rollcage::internals::EventKind;
use rollcage::outcome::LossKind;
use rollcage::vocab::{OracleStatus, Verdict};

use super::{oracle, run, status};

#[tokio::test]
async fn undeclared_column_drop_loses_data() {
    let o = run("tags-down-undeclared").await;
    assert_eq!(o.verdict, Verdict::CausedNewHarm, "{:#?}", o.oracles);
    assert_eq!(status(&o, "data"), OracleStatus::Failed);
    let data = o
        .data
        .as_ref()
        .expect("the database's content was compared");
    let lost: Vec<_> = data.undeclared().collect();
    assert_eq!(lost.len(), 1, "{data:?}");
    assert_eq!(lost[0].place, "entries.tags");
    assert_eq!(lost[0].kind, LossKind::ColumnDropped);
    // Every write carried a tag; the ones in the table at the decision are the ones lost.
    assert!(lost[0].count > 20, "{data:?}");
    assert!(
        o.writes.lost_writes.is_empty() && o.writes.unreadable_writes.is_empty(),
        "rows survive, only the column is gone: {:?}",
        o.writes
    );
}

#[tokio::test]
async fn declared_column_drop_passes_and_counts_the_loss() {
    let o = run("tags-down-declared").await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    let data = o
        .data
        .as_ref()
        .expect("the database's content was compared");
    assert_eq!(data.undeclared().count(), 0, "{data:?}");
    let declared = &data.losses[0];
    assert_eq!(
        (declared.place.as_str(), declared.declared),
        ("entries.tags", true)
    );
    assert!(declared.count > 20, "{data:?}");
}

#[tokio::test]
async fn the_same_release_rolled_back_code_only_loses_nothing() {
    let o = run("tags-code-only").await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    let data = o
        .data
        .as_ref()
        .expect("the database's content was compared");
    assert!(data.losses.is_empty(), "{data:?}");
    assert!(data.rows_before > 20, "{data:?}");
    assert_eq!(status(&o, "traffic"), OracleStatus::Passed);
}

#[tokio::test]
async fn notnull_trap_with_a_get_smoke_is_caught_by_the_traffic() {
    let o = run("notnull-get-smoke").await;
    assert_eq!(o.verdict, Verdict::RestoredBadState, "{:#?}", o.oracles);
    assert_eq!(status(&o, "smoke"), OracleStatus::Passed);
    assert_eq!(status(&o, "traffic"), OracleStatus::Failed);
    let traffic = o
        .oracles
        .iter()
        .find(|r| r.oracle.as_str() == "traffic")
        .unwrap();
    assert!(
        traffic.message.contains("baseline served"),
        "{}",
        traffic.message
    );
    // With no settle time, the workload still runs until the restored release has served
    // enough requests to be judged.
    let served: u64 = traffic
        .message
        .split(' ')
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(served >= 20, "{}", traffic.message);
    assert_eq!(status(&o, "data"), OracleStatus::Passed);
}

#[tokio::test]
async fn numeric_amounts_are_intact_but_unreadable_after_a_code_only_rollback() {
    let o = run("decimal-code-only").await;
    assert_eq!(o.verdict, Verdict::RestoredBadState, "{:#?}", o.oracles);
    let writes = oracle(&o, "writes");
    assert_eq!(writes.status, OracleStatus::Failed, "{}", writes.message);
    assert!(
        !o.writes.unreadable_writes.is_empty() && o.writes.lost_writes.is_empty(),
        "unreadable, not lost: {:?}",
        o.writes
    );
    // The decode error; or, on a connection that prepared its SELECT on bigint, PostgreSQL's
    // refusal of the cached plan (the restored release starts afresh, so it should not).
    let cause = &writes.message;
    assert!(
        cause.contains("NUMERIC") || cause.contains("cached plan"),
        "{cause}"
    );
    // The database still holds every row and value: nothing was lost, only made unreadable.
    assert_eq!(status(&o, "data"), OracleStatus::Passed);
    let data = o
        .data
        .as_ref()
        .expect("the database's content was compared");
    assert!(data.losses.is_empty() && data.rows_before > 20, "{data:?}");
    // The restored release is healthy and its writes succeed: only its reads fail.
    assert_eq!(status(&o, "health"), OracleStatus::Passed);
    assert_eq!(status(&o, "traffic"), OracleStatus::Passed);
    assert_eq!(status(&o, "smoke"), OracleStatus::Failed);
}

#[tokio::test]
async fn form_writes_keyed_by_email_are_read_back_by_account() {
    let o = run("form-email-keys").await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    assert!(o.writes.acknowledged > 20, "{:?}", o.writes);
    assert_eq!(o.writes.readable, o.writes.acknowledged, "{:?}", o.writes);
    assert!(
        o.writes.lost_writes.is_empty()
            && o.writes.unreadable_writes.is_empty()
            && o.writes.lost_fields.is_empty(),
        "{:?}",
        o.writes
    );
    assert_eq!(status(&o, "data"), OracleStatus::Passed);
}

#[tokio::test]
async fn a_write_on_the_new_release_reads_back_on_the_restored_one() {
    let o = run("check-write-then-read").await;
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    let passed: Vec<&str> = o
        .timeline
        .iter()
        .filter(|e| e.kind == EventKind::CheckPassed)
        .map(|e| e.detail.as_str())
        .collect();
    // The `[[smoke]]` request is a check after the rollback too, run before the [[check]]s there.
    assert_eq!(passed.len(), 3, "{:#?}", o.timeline);
    assert!(
        passed[1].starts_with("smoke[0] (during-verification): GET /entries?limit=5 answered 200")
    );
    assert!(
        passed[0].starts_with("written (after-deploy): POST /entries answered 201, saved /id = "),
        "{}",
        passed[0]
    );
    let id = passed[0].rsplit(' ').next().unwrap();
    assert!(
        passed[2].contains(&format!("GET /entries/{id} answered 200")),
        "{}",
        passed[2]
    );
    let smoke = oracle(&o, "smoke");
    assert!(
        smoke
            .message
            .contains("2 of 2 check(s) after the rollback passed"),
        "{}",
        smoke.message
    );
}

#[tokio::test]
async fn only_the_generated_boundary_value_reaches_the_zero_as_null_hazard() {
    let o = run("zero-amount-generated").await;
    assert_eq!(o.verdict, Verdict::RestoredBadState, "{:#?}", o.oracles);
    assert!(!o.writes.unreadable_writes.is_empty(), "{:?}", o.writes);
    assert!(o.writes.lost_writes.is_empty(), "{:?}", o.writes);
    assert_eq!(status(&o, "data"), OracleStatus::Passed);
    let constant = run("zero-amount-constant").await;
    assert_eq!(constant.verdict, Verdict::Pass, "{:#?}", constant.oracles);
}
