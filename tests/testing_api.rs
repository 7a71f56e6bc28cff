//! A rollback drill written as a Rust test with `rollcage::testing`: the releases given as
//! testcontainers images, the drill run against the real engine, the verdict and oracles
//! asserted. The NOT NULL trap's rollback must restore a bad state, and say so through the
//! smoke oracle; the same drill with the fixed release must pass.

use rollcage::testing::{Drill, GenericImage};
use rollcage::vocab::{Oracle, Verdict};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn ledger(tag: &str) -> GenericImage {
    GenericImage::new("rollcage/ledger", tag)
}

#[tokio::test]
async fn a_drill_written_in_rust_catches_the_not_null_trap() {
    let outcome = Drill::from_file(format!("{ROOT}/scenarios/notnull-code-only.toml"))
        .unwrap()
        .release("baseline", &ledger("baseline"))
        .unwrap()
        .release("notnull", &ledger("notnull"))
        .unwrap()
        .seed(11)
        .run()
        .await
        .unwrap();
    assert_eq!(
        outcome.verdict,
        Verdict::RestoredBadState,
        "{:#?}",
        outcome.oracles
    );
    assert!(
        outcome.failing_oracles().contains(&Oracle::Smoke),
        "{:?}",
        outcome.failing_oracles()
    );
    assert!(outcome.matched, "{:?}", outcome.mismatch());
}

#[tokio::test]
async fn the_fixed_release_passes_the_same_drill() {
    // The same scenario text, the candidate swapped for the release that fills the column.
    let text =
        std::fs::read_to_string(format!("{ROOT}/scenarios/notnull-fixed-code-only.toml")).unwrap();
    let outcome = Drill::from_toml(&text, format!("{ROOT}/scenarios"))
        .unwrap()
        .release_named("notnull-fixed", "rollcage/ledger:notnull-fixed")
        .unwrap()
        .seed(11)
        .run()
        .await
        .unwrap();
    assert_eq!(outcome.verdict, Verdict::Pass, "{:#?}", outcome.oracles);
    assert!(outcome.failing_oracles().is_empty());
}
