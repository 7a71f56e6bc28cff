//! Workload exploration: kinds kept and values pinned, and every generated case's file loads
//! back to the case it was written from.

use std::path::Path;

use proptest::test_runner::{Config, TestRunner};

use super::*;
use crate::explore::Space;
use crate::scenario::{to_toml, Scenario, WeightedRequest};
use crate::vocab::{FaultKind, RequestKind};

fn space() -> Space {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/explore/zero-amount.toml");
    Space::new(Scenario::load(&file).unwrap(), FaultKind::ALL.to_vec(), 1).unwrap()
}

fn body(r: &WeightedRequest) -> String {
    match &r.request {
        TrafficRequest::Write(w) => match &w.body {
            Body::Json(t) | Body::Form(t) => t.as_str().to_string(),
            Body::None => String::new(),
        },
        TrafficRequest::Read(p) | TrafficRequest::Plain(p) => p.path.as_str().to_string(),
    }
}

#[test]
fn each_generated_value_is_a_site_with_its_edges() {
    let w = Workload::of(&space().base.traffic);
    let shown: Vec<(usize, bool, Vec<&str>)> = w
        .sites
        .iter()
        .map(|s| {
            (
                s.kind,
                s.body,
                s.literals.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (0, true, vec!["0", "1000"]),
            (0, true, vec!["", "xxxxxxxxxxxx"]),
            (2, false, vec!["1", "20"]),
        ]
    );
}

#[test]
fn the_simplest_case_is_one_write_with_every_value_at_its_first_edge() {
    let space = space();
    let w = Workload::of(&space.base.traffic);
    let mut t = space.base.traffic.clone();
    w.apply(&mut t, &[false, false, false], &[0, 0, 0]);
    assert_eq!(t.requests.len(), 1);
    assert_eq!(t.requests[0].weight, 1);
    assert_eq!(
        body(&t.requests[0]),
        r#"{"account": "acct-{seq}", "amount": 0, "memo": ""}"#
    );
}

#[test]
fn free_values_stay_generated_and_a_read_never_runs_without_a_write() {
    let space = space();
    let w = Workload::of(&space.base.traffic);
    let mut t = space.base.traffic.clone();
    w.apply(&mut t, &[false, true, false], &[99, 1, 99]);
    let kinds: Vec<_> = t.requests.iter().map(|r| r.request.kind()).collect();
    assert_eq!(kinds, [RequestKind::Write, RequestKind::Read]);
    assert_eq!(
        body(&t.requests[0]),
        r#"{"account": "acct-{seq}", "amount": {int 0..1000}, "memo": "xxxxxxxxxxxx"}"#
    );
    assert_eq!(t.requests[0].weight, 3, "weights stay while kinds mix");
}

/// A case's file is the case: written and loaded again, it is the same scenario, so
/// `rollcage drill` on it sends the same requests as the case did.
#[test]
fn every_generated_case_round_trips_through_its_file() {
    let space = space();
    let dir = std::env::temp_dir().join(format!("rollcage-workload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    runner
        .run(&space.strategy(), |case| {
            let s = space.scenario(&case, "case");
            let file = dir.join("case.toml");
            std::fs::write(&file, to_toml(&s, &dir)).unwrap();
            let mut again = Scenario::load(&file).map_err(|e| {
                proptest::test_runner::TestCaseError::fail(format!("{e}\n{}", to_toml(&s, &dir)))
            })?;
            again.source = s.source.clone();
            prop_assert_eq!(&again.traffic, &s.traffic);
            prop_assert!(s.traffic.writes().count() >= 1);
            Ok(())
        })
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
