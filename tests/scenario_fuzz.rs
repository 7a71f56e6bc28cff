//! Malformed scenario files never make rollcage panic: files derived from every bundled
//! scenario by random damage (lines deleted, doubled, values of another type, truncation,
//! stray and non-UTF-8 bytes, renamed keys), arbitrary bytes and TOML-like text all load to a
//! scenario or to diagnostics at real positions, with a message. No Docker.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use rollcage::scenario::{Scenario, ScenarioError};

#[path = "support/damage.rs"]
mod damage;

use damage::{apply, bundled, damage, root, Damage, VALUES};

/// A file of this test's own, in a folder of its own.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rollcage-fuzz-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("temp folder");
    dir.join(name)
}

/// Loads `bytes` as a file and checks what came back: a scenario, or diagnostics each inside
/// the file (line and column 1-based and within it) with a message.
fn check_load(path: &Path, bytes: &[u8]) -> Result<(), TestCaseError> {
    fs::write(path, bytes).expect("temp file written");
    check(Scenario::load(path), path, bytes)
}

/// Loads `bytes` as if written in `dir` (so its relative paths resolve as the original's did)
/// when they are text, else as a file.
fn check_beside(dir: &Path, bytes: &[u8]) -> Result<(), TestCaseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => check(
            Scenario::from_toml_str(text, dir),
            &dir.join("inline.toml"),
            bytes,
        ),
        Err(_) => check_load(&scratch("damaged.toml"), bytes),
    }
}

fn check(
    loaded: Result<Scenario, ScenarioError>,
    path: &Path,
    bytes: &[u8],
) -> Result<(), TestCaseError> {
    match loaded {
        Ok(_) => Ok(()),
        Err(ScenarioError::Invalid { diagnostics }) => {
            prop_assert!(!diagnostics.is_empty());
            let lines: Vec<usize> = bytes
                .split(|b| *b == b'\n')
                .map(|l| String::from_utf8_lossy(l).chars().count())
                .collect();
            for d in &diagnostics {
                prop_assert!(d.line >= 1 && d.line <= lines.len(), "{d}");
                prop_assert!(d.column >= 1 && d.column <= lines[d.line - 1] + 1, "{d}");
                prop_assert!(!d.message.trim().is_empty(), "{d}");
                prop_assert_eq!(d.file.as_path(), path);
            }
            let order: Vec<(usize, usize)> =
                diagnostics.iter().map(|d| (d.line, d.column)).collect();
            let mut sorted = order.clone();
            sorted.sort();
            prop_assert_eq!(order, sorted, "diagnostics are in file order");
            Ok(())
        }
        Err(other) => Err(TestCaseError::fail(format!("not a diagnostic: {other}"))),
    }
}

/// TOML-like text: table headers and keys a scenario has, values of any type, and junk.
fn tomlish() -> impl Strategy<Value = String> {
    let header = prop::sample::select(vec![
        "[database]",
        "[app]",
        "[releases.a]",
        "[releases.b]",
        "[deploy]",
        "[traffic]",
        "[traffic.write]",
        "[traffic.read-back]",
        "[[traffic.request]]",
        "[rollback]",
        "[rollback.trigger]",
        "[[smoke]]",
        "[[check]]",
        "[[fault]]",
        "[[service]]",
        "[allowed-loss]",
        "[lint]",
        "[[lint.allow]]",
        "[releases]",
        "[[releases]]",
    ])
    .prop_map(str::to_string);
    let key = prop::sample::select(vec![
        "name",
        "image",
        "port",
        "from",
        "to",
        "path",
        "json",
        "form",
        "key",
        "kind",
        "at",
        "strategy",
        "budget",
        "rate",
        "concurrency",
        "need",
        "of",
        "conditions",
        "release",
        "duration",
        "weight",
        "expect",
        "steps",
        "after",
        "sql",
        "env",
        "a.b",
        "\"q\"",
    ]);
    let value = prop_oneof![
        prop::sample::select(VALUES.to_vec()).prop_map(str::to_string),
        "\"[ -~]{0,12}\"",
        (0u64..100_000_000).prop_map(|n| n.to_string()),
        "\"[0-9]{1,12}(ms|s|m|h|years)\"",
    ];
    let line = prop_oneof![
        header,
        (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        "[ -~]{0,16}",
    ];
    prop::collection::vec(line, 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 320, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_bundled_scenarios_load_to_positioned_diagnostics(
        which in any::<usize>(),
        damages in prop::collection::vec(damage(), 1..4),
    ) {
        let files = bundled();
        let (path, original) = &files[which % files.len()];
        let mut bytes = original.clone();
        for d in &damages {
            bytes = apply(&bytes, d);
        }
        check_beside(path.parent().expect("in a folder"), &bytes)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check_load(&scratch("bytes.toml"), &bytes)?;
    }

    #[test]
    fn toml_like_text_never_panics(text in tomlish()) {
        check_load(&scratch("tomlish.toml"), text.as_bytes())?;
    }
}

#[test]
fn every_bundled_scenario_loads_as_written() {
    let files = bundled();
    assert!(files.len() >= 20, "{} bundled scenarios", files.len());
    for (path, _) in files {
        let loaded = Scenario::load(&path);
        assert!(loaded.is_ok(), "{}: {:?}", path.display(), loaded.err());
    }
}

#[test]
fn each_damage_is_reported_where_it_was_done() {
    let reference = fs::read(root().join("scenarios/reference.toml")).expect("readable");
    let path = scratch("one-damage.toml");
    let cases = [
        (
            Damage::SwapValue(0, 0),
            (13, "name", "expected a string, found integer 1"),
        ),
        (
            Damage::RenameKey(0, "nmae".into()),
            (13, "nmae", "unknown key; expected one of"),
        ),
        (
            Damage::Insert(0, vec![0xff]),
            (1, "", "the file is not UTF-8: byte 0xff at byte offset 0"),
        ),
    ];
    for (damage, (line, key, message)) in cases {
        fs::write(&path, apply(&reference, &damage)).expect("temp file written");
        let Err(ScenarioError::Invalid { diagnostics }) = Scenario::load(&path) else {
            panic!("{damage:?} loaded")
        };
        let d = &diagnostics[0];
        assert_eq!((d.line, d.key.as_str()), (line, key), "{damage:?}: {d}");
        assert!(d.message.starts_with(message), "{damage:?}: {d}");
    }
}
