use proptest::prelude::*;

use super::*;
use crate::scenario::{Body, Shape, Template};
use crate::traffic::render_body;
use crate::vocab::Generator;

fn int(lo: i64, hi: i64) -> Fill {
    Fill::Int { lo, hi }
}

/// How often each value of `fill` came up in `n` requests with seed 9.
fn counts(fill: &Fill, n: u64) -> std::collections::BTreeMap<String, u64> {
    let mut seen = std::collections::BTreeMap::new();
    for seq in 1..=n {
        let mut draw = Draw::new(9, seq, "run");
        let v = match draw.value(fill) {
            Drawn::Int(i) => i.to_string(),
            Drawn::Bool(b) => b.to_string(),
            Drawn::Text(t) | Drawn::Written(t) => t.into_owned(),
        };
        *seen.entry(v).or_insert(0) += 1;
    }
    seen
}

#[test]
fn ranges_hold_and_their_edges_come_up_a_quarter_of_the_time() {
    let n = 20_000;
    let seen = counts(&int(-1000, 1000), n);
    assert!(seen
        .keys()
        .all(|k| (-1000..=1000).contains(&k.parse::<i64>().unwrap())));
    // A quarter of draws are edges, split over -1000, 0 and 1000; the rest spread over 2001.
    let edges = seen["-1000"] + seen["0"] + seen["1000"];
    let share = edges as f64 / n as f64;
    assert!((0.23..0.28).contains(&share), "edge share {share}");
    for edge in ["-1000", "0", "1000"] {
        assert!(seen[edge] > n / 16, "{edge}: {}", seen[edge]);
    }
}

#[test]
fn every_generator_reaches_its_edges() {
    let seen = counts(&Fill::Text { min: 0, max: 50 }, 2000);
    assert!(seen.contains_key(""));
    assert!(seen.keys().any(|t| t.chars().count() == 50));
    let seen = counts(
        &Fill::Choice(vec!["a".into(), "b".into(), "c".into(), "d".into()]),
        2000,
    );
    assert!(seen["a"] > seen["b"] && seen["d"] > seen["c"], "{seen:?}");
    let seen = counts(&Fill::Uuid, 2000);
    assert!(seen.contains_key("00000000-0000-0000-0000-000000000000"));
    assert!(seen.contains_key("ffffffff-ffff-ffff-ffff-ffffffffffff"));
    let seen = counts(&Fill::Email, 2000);
    assert!(seen.keys().any(|e| e.len() == 1 + "@example.com".len()));
    assert!(seen.keys().any(|e| e.len() == 64 + "@example.com".len()));
    let seen = counts(
        &Fill::Timestamp {
            lo: 0,
            hi: i32::MAX as u64,
        },
        2000,
    );
    assert!(seen.contains_key("1970-01-01T00:00:00Z"));
    assert!(seen.contains_key("2038-01-19T03:14:07Z"));
    let seen = counts(&int(5, 5), 10);
    assert_eq!(seen.keys().collect::<Vec<_>>(), ["5"]);
}

proptest! {
    /// The same seed renders the same requests; the values of request n depend on n alone.
    #[test]
    fn the_same_seed_renders_the_same_requests(seed in any::<u64>(), first in 1u64..1_000_000) {
        let t = Template::parse(
            r#"{"n": {int 0..9}, "t": "{text 0..8}", "u": {uuid}, "c": {choice a|b}, "b": {bool}}"#,
            Shape::Json,
            Generator::ALL,
        )
        .unwrap();
        let body = Body::Json(t);
        let run = |order: &mut dyn Iterator<Item = u64>| {
            let mut out: Vec<(u64, String)> = order
                .map(|seq| (seq, render_body(&body, &mut Draw::new(seed, seq, "r")).text))
                .collect();
            out.sort();
            out
        };
        let forward = run(&mut (first..first + 20));
        let backward = run(&mut (first..first + 20).rev());
        prop_assert_eq!(&forward, &backward);
        let evens_first = (first..first + 20).filter(|s| s % 2 == 0);
        let other = run(&mut evens_first.chain((first..first + 20).filter(|s| s % 2 == 1)));
        prop_assert_eq!(&forward, &other);
        let another_seed: Vec<String> = (first..first + 20)
            .map(|seq| render_body(&body, &mut Draw::new(seed ^ 1, seq, "r")).text)
            .collect();
        let texts: Vec<String> = forward.into_iter().map(|(_, t)| t).collect();
        prop_assert_ne!(texts, another_seed);
    }
}

/// Every value a placeholder can be pinned to is one its generator draws at an edge, simplest
/// first; values that are not drawn cannot be pinned.
#[test]
fn pinnable_edges_are_drawn_edges_simplest_first() {
    let show = |f: &Fill| -> Vec<String> {
        edges(f)
            .iter()
            .map(|d| match d {
                Drawn::Int(i) => i.to_string(),
                Drawn::Bool(b) => b.to_string(),
                Drawn::Text(t) | Drawn::Written(t) => t.to_string(),
            })
            .collect()
    };
    assert_eq!(show(&int(0, 1000)), ["0", "1000"]);
    assert_eq!(show(&int(-5, 5)), ["0", "-5", "5"]);
    assert_eq!(show(&int(7, 7)), ["7"]);
    assert_eq!(
        show(&Fill::Choice(vec!["a".into(), "b".into(), "c".into()])),
        ["a", "c"]
    );
    assert_eq!(show(&Fill::Text { min: 0, max: 3 }), ["", "xxx"]);
    assert_eq!(show(&Fill::Bool), ["false", "true"]);
    assert!(edges(&Fill::Seq).is_empty() && edges(&Fill::Key).is_empty());
    let seen = counts(&int(-5, 5), 2_000);
    for edge in show(&int(-5, 5)) {
        assert!(seen.contains_key(&edge), "{edge} is never drawn");
    }
}
