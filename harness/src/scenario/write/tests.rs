//! Writer tests: every bundled scenario round-trips through a file; paths and quoting.

use std::path::PathBuf;

use super::values::{quote, relative};
use super::*;

/// Paths and the source file differ by where a file lives; everything else must survive.
fn normalized(mut s: Scenario) -> Scenario {
    s.source = PathBuf::new();
    for r in &mut s.releases {
        if let Migrations::Folder(p) = &r.migrations {
            r.migrations = Migrations::Folder(p.canonicalize().expect("migrations folder exists"));
        }
    }
    s
}

#[test]
fn every_bundled_scenario_round_trips() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("rollcage-write-{}", std::process::id()));
    let nested = out.join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    let scenarios = Scenario::load_all(&root.join("scenarios")).expect("bundled scenarios load");
    assert!(scenarios.len() > 10);
    for s in scenarios {
        let text = to_toml(&s, &nested);
        let file = nested.join(format!("{}.toml", s.name));
        std::fs::write(&file, &text).unwrap();
        let again = Scenario::load(&file).unwrap_or_else(|e| panic!("{}: {e}\n{text}", s.name));
        assert_eq!(
            normalized(again.clone()),
            normalized(s.clone()),
            "{}",
            s.name
        );
        assert_eq!(
            to_toml(&again, &nested),
            text,
            "{}: writing is canonical",
            s.name
        );
    }
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn relative_paths_climb_to_the_common_folder() {
    assert_eq!(
        relative(Path::new("/a/b/c/m"), Path::new("/a/x/y")),
        PathBuf::from("../../b/c/m")
    );
    let text = "say \"hi\"\n\\ and 'this'";
    let parsed: toml::Table = toml::from_str(&format!("k = {}", quote(text))).unwrap();
    assert_eq!(parsed["k"].as_str(), Some(text));
}
