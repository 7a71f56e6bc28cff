//! The crate's layers point down only: each top-level module may import (`crate::x`) only the
//! modules listed for it below, and the listed edges have no cycle. Test code (`tests.rs`,
//! `fixture.rs`, anything after `#[cfg(test)]`) may reach further and is not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Allowed imports, bottom layer first. A module may use anything it lists, nothing else.
const ALLOWED: &[(&str, &[&str])] = &[
    ("vocab", &[]),
    ("exit_codes", &[]),
    ("runtime", &["vocab"]),
    ("scenario", &["vocab"]),
    ("timeline", &["vocab"]),
    ("db", &["scenario", "vocab"]),
    ("lint", &["scenario", "vocab"]),
    ("traffic", &["scenario", "timeline", "vocab"]),
    ("env", &["db", "runtime", "scenario", "traffic", "vocab"]),
    (
        "verify",
        &["db", "scenario", "timeline", "traffic", "vocab"],
    ),
    (
        "faults",
        &["db", "env", "runtime", "scenario", "traffic", "vocab"],
    ),
    // The scenario loaders with the real fault kinds (`Scenario::load`): above faults.
    ("load", &["faults", "scenario"]),
    // `rollcage init`'s starter, checked with the loader above.
    ("starter", &["scenario", "vocab"]),
    (
        "outcome",
        &["db", "exit_codes", "lint", "timeline", "verify", "vocab"],
    ),
    // A drill's milestones are the timeline's event kinds, spelled once there.
    ("events", &["outcome", "timeline", "verify", "vocab"]),
    // Beside the engine: preflight reads the scenario and the engine's outcome types only.
    (
        "preflight",
        &["lint", "outcome", "runtime", "scenario", "vocab"],
    ),
    (
        "rollback",
        &[
            "db", "env", "events", "faults", "outcome", "runtime", "scenario", "timeline",
            "traffic", "verify", "vocab",
        ],
    ),
    (
        "runner",
        &[
            "events",
            "lint",
            "outcome",
            "preflight",
            "rollback",
            "runtime",
            "scenario",
            "vocab",
        ],
    ),
    (
        "explore",
        &[
            "events", "faults", "outcome", "rollback", "runner", "runtime", "scenario", "traffic",
            "vocab",
        ],
    ),
    // Drills as Rust tests: a scenario, images put in place, a drill run.
    (
        "testing",
        &["outcome", "rollback", "runner", "runtime", "scenario"],
    ),
    // The command line's arguments are typed with lint's and the runner's vocabulary.
    ("cli", &["lint", "runner", "vocab"]),
    // Reporters see events and outcome types (and lint's own findings), never the engine.
    (
        "report",
        &[
            "events",
            "exit_codes",
            "explore",
            "lint",
            "outcome",
            "timeline",
            "vocab",
        ],
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("harness/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`lib.rs`, `main.rs` and `cmd/` are the edge, and
/// `internals.rs` only re-exports internals for the integration tests).
fn module_of(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src()).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    let name = first.trim_end_matches(".rs").to_string();
    (!["lib", "main", "cmd", "internals"].contains(&name.as_str())).then_some(name)
}

/// `crate::x` names used by the non-test part of `text`.
fn imports(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut found = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let before = code[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue; // `$crate::` in a macro, or part of a longer path
        }
        let name: String = code[i + 7..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

fn actual_edges() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let name = file.file_name().unwrap().to_str().unwrap();
        if name == "tests.rs" || name == "fixture.rs" {
            continue;
        }
        let Some(module) = module_of(&file) else {
            continue;
        };
        let text = fs::read_to_string(&file).unwrap();
        let used: Vec<String> = imports(&text)
            .into_iter()
            .filter(|m| *m != module)
            .collect();
        edges.entry(module).or_default().extend(used);
    }
    edges
}

#[test]
fn every_import_follows_an_allowed_edge() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut wrong = Vec::new();
    for (module, used) in actual_edges() {
        let Some(ok) = allowed.get(module.as_str()) else {
            wrong.push(format!("{module}: not in the layer table"));
            continue;
        };
        for u in used {
            if !ok.contains(&u.as_str()) {
                wrong.push(format!("{module} -> {u}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_layer_table_points_down_only() {
    // Each module may only list modules that come before it in the table: no cycle possible.
    for (i, (module, deps)) in ALLOWED.iter().enumerate() {
        for d in *deps {
            let below = ALLOWED[..i].iter().any(|(m, _)| m == d);
            assert!(below, "{module} lists {d}, which is not below it");
        }
    }
}

#[test]
fn the_checker_sees_imports() {
    let text = "use crate::db::X;\nfn f() { crate::vocab::chain(e); $crate::vocab::Y }\n#[cfg(test)]\nuse crate::report;";
    let found: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(found, ["db", "vocab"]);
}
