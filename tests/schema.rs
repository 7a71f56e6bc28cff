//! The JSON Schema `rollcage schema` prints accepts every bundled scenario file, refuses what
//! the reader refuses for its shape (an unknown key, a fault kind, verdict or strategy that
//! does not exist, a missing table), and is what the binary prints. No container is started.

use std::path::{Path, PathBuf};
use std::process::Command;

use rollcage::scenario::Scenario;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn as_json(text: &str) -> Value {
    let value: toml::Value = toml::from_str(text).unwrap();
    serde_json::to_value(value).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&Scenario::schema()).expect("the schema is a valid JSON Schema")
}

#[test]
fn every_bundled_scenario_validates() {
    let v = validator();
    let mut files = Vec::new();
    toml_files(&Path::new(ROOT).join("scenarios"), &mut files);
    assert!(files.len() >= 15, "bundled scenarios not found");
    let mut wrong = Vec::new();
    for f in &files {
        let doc = as_json(&std::fs::read_to_string(f).unwrap());
        for e in v.iter_errors(&doc) {
            wrong.push(format!("{}: {} at {}", f.display(), e, e.instance_path()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn shape_errors_the_reader_refuses_the_schema_refuses() {
    let v = validator();
    let base =
        std::fs::read_to_string(Path::new(ROOT).join("scenarios/notnull-code-only.toml")).unwrap();
    assert!(v.is_valid(&as_json(&base)));
    for (what, text) in [
        (
            "an unknown top-level key",
            format!("colour = \"red\"\n{base}"),
        ),
        (
            "an unknown fault kind",
            format!("{base}\n[[fault]]\nat = \"after-deploy\"\nkind = \"meteor\"\n"),
        ),
        (
            "a fault at no phase",
            format!("{base}\n[[fault]]\nat = \"lunchtime\"\nkind = \"kill-app\"\n"),
        ),
        (
            "an unknown verdict",
            base.replacen("expect = \"", "expect = \"fine\"\n# \"", 1),
        ),
        (
            "an unknown strategy",
            base.replacen("strategy = \"", "strategy = \"yolo\"\n# \"", 1),
        ),
        (
            "a number for a duration",
            base.replacen("budget = \"", "budget = 30\n# \"", 1),
        ),
    ] {
        assert!(!v.is_valid(&as_json(&text)), "{what} passed the schema");
    }
    let mut doc = as_json(&base);
    doc.as_object_mut().unwrap().remove("rollback");
    assert!(!v.is_valid(&doc), "a scenario without [rollback] passed");
}

#[test]
fn the_binary_prints_the_same_schema() {
    let out = Command::new(env!("CARGO_BIN_EXE_rollcage"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, Scenario::schema());
}
