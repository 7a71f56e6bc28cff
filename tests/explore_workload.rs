//! `rollcage explore` over the workload, against real containers: the zero-as-null release's
//! hazard needs one input (a zero amount). Exploring a mixed workload finds it, shrinks it to
//! a single write kind with the amount pinned to 0 (keeping one reading kind only when the
//! failed reads are part of the defect), and the written file replays the verdict.

use std::path::{Path, PathBuf};

use rollcage::explore::{explore, generate, ExploreOptions, Space};
use rollcage::runner::run_drill;
use rollcage::runtime::Engine;
use rollcage::scenario::{Body, Scenario, TrafficRequest};
use rollcage::vocab::{Oracle, Verdict};

const SEED: u64 = 3;

fn space() -> Space {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/explore/zero-amount.toml");
    let base = Scenario::load(&file).expect("the space file is valid");
    Space::new(base, Vec::new(), 0).expect("no fault kinds is a valid space")
}

fn options(out: PathBuf) -> ExploreOptions {
    ExploreOptions {
        cases: 1,
        seed: SEED,
        time_budget: None,
        out_dir: out,
        fault_kinds: Vec::new(),
        max_faults: 0,
        max_shrink_runs: 16,
        reuse: true,
    }
}

/// The write kinds' bodies, as written.
fn write_bodies(s: &Scenario) -> Vec<String> {
    s.traffic
        .requests
        .iter()
        .filter_map(|r| match &r.request {
            TrafficRequest::Write(w) => match &w.body {
                Body::Json(t) | Body::Form(t) => Some(t.as_str().to_string()),
                Body::None => None,
            },
            _ => None,
        })
        .collect()
}

/// The seed's first case mixes kinds and pins the amount to the edge 0, so what the
/// exploration below shrinks away is the rest of the workload.
#[test]
fn the_first_case_mixes_kinds_and_pins_the_amount_to_its_edge() {
    let cases = generate(&space(), SEED, 1);
    let first = &cases[0];
    assert!(first.traffic.requests.len() > 1, "several kinds");
    assert!(
        write_bodies(first)[0].contains(r#""amount": 0,"#),
        "{:?}",
        write_bodies(first)
    );
}

#[tokio::test]
async fn finds_the_zero_amount_hazard_and_shrinks_it_to_one_write_with_the_edge() {
    let out = std::env::temp_dir().join(format!("rollcage-explore-w-{}", std::process::id()));
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let report = explore(&engine, &space(), &options(out.clone()), |_, _| {})
        .await
        .expect("exploration ran");
    let found = report
        .failures
        .first()
        .unwrap_or_else(|| panic!("no failure found: {:#?}", report.runs));
    let replay = Scenario::load(&found.file).expect("the minimal case loads");
    let kinds: Vec<&str> = replay
        .traffic
        .requests
        .iter()
        .map(|r| match r.request {
            TrafficRequest::Write(_) => "write",
            TrafficRequest::Read(_) => "read",
            TrafficRequest::Plain(_) => "plain",
        })
        .collect();
    // Shrinking keeps the defect's failing oracles. The acknowledged zero-amount writes fail
    // `writes` on their own, so one write kind is enough for that; when the found case's
    // reads or lists after the rollback also failed often enough to fail `traffic`, that is
    // part of its defect, and one kind that reads stays beside the write.
    let minimal = found.minimal.as_ref().expect("minimal outcome kept");
    let failing = minimal.failing_oracles();
    if failing.contains(&Oracle::Traffic) {
        assert!(kinds.len() <= 2, "{kinds:?} for {failing:?}");
        assert!(kinds.contains(&"write"), "{kinds:?}");
    } else {
        assert_eq!(kinds, ["write"], "{failing:?}");
    }
    let bodies = write_bodies(&replay);
    assert!(
        bodies[0].contains(r#""amount": 0,"#),
        "the amount pinned to the edge that reaches the hazard: {bodies:?}"
    );
    assert!(
        !bodies[0].contains("{int"),
        "no amount left to draw: {bodies:?}"
    );
    assert_ne!(minimal.verdict, Verdict::Pass);

    // The file replays the verdict with `rollcage drill`'s own runner.
    let again = run_drill(&engine, &replay).await.expect("the replay runs");
    assert_eq!(again.verdict, minimal.verdict);
    assert!(again.matched, "{:?}", again.mismatch());
    let _ = std::fs::remove_dir_all(&out);
}
