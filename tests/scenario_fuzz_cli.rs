//! Damaged copies of `scenarios/reference.toml` given to the `rollcage drill` binary with the
//! Docker Engine out of reach: a malformed file exits 2 with file:line:column diagnostics and
//! starts nothing (exit 2 comes before any engine call); one the damage left valid reaches for
//! the engine and exits 3. Never a panic (exit 101). No Docker.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use proptest::prelude::*;

#[path = "support/damage.rs"]
mod damage;

use damage::{apply, damage, root};

const BIN: &str = env!("CARGO_BIN_EXE_rollcage");
/// A socket that cannot exist: a drill that gets past validation fails to reach the engine.
const NO_DOCKER: &str = "unix:///nonexistent/rollcage-fuzz-cli/docker.sock";

/// A `scenarios/` folder of this test's own beside a link to the fixtures, so the reference
/// file's relative migrations folders resolve from a copy as from the original.
fn scenarios_dir() -> PathBuf {
    let base = std::env::temp_dir().join(format!("rollcage-fuzz-cli-{}", std::process::id()));
    let dir = base.join("scenarios");
    fs::create_dir_all(&dir).expect("temp folder");
    let link = base.join("fixtures");
    if !link.exists() {
        std::os::unix::fs::symlink(root().join("fixtures"), &link).expect("fixtures link");
    }
    dir
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_damaged_reference_file_exits_2_at_its_positions_or_is_valid(
        damages in prop::collection::vec(damage(), 1..4),
    ) {
        let mut bytes = fs::read(root().join("scenarios/reference.toml")).expect("readable");
        for d in &damages {
            bytes = apply(&bytes, d);
        }
        let path = scenarios_dir().join("damaged.toml");
        fs::write(&path, &bytes).expect("temp file written");
        let out = Command::new(BIN)
            .args(["drill", "--seed", "1"])
            .arg(&path)
            .env("DOCKER_HOST", NO_DOCKER)
            .env("NO_COLOR", "1")
            .output()
            .expect("running rollcage");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        prop_assert!(code == Some(2) || code == Some(3), "exit {code:?}: {stderr}");
        if code == Some(2) {
            prop_assert!(stderr.contains("no drill was started"), "{stderr}");
            let shown = format!("{}:", path.display());
            let placed: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&shown)).collect();
            prop_assert!(!placed.is_empty(), "no file:line:column in: {stderr}");
            for line in placed {
                let mut parts = line[shown.len()..].splitn(3, ':');
                let number = |p: Option<&str>| p.and_then(|n| n.parse::<usize>().ok());
                let (l, c) = (number(parts.next()), number(parts.next()));
                prop_assert!(l >= Some(1) && c >= Some(1), "{line}");
                prop_assert!(!parts.next().unwrap_or_default().trim().is_empty(), "{line}");
            }
        } else {
            prop_assert!(stderr.contains("cannot reach the Docker Engine"), "{stderr}");
        }
    }
}
