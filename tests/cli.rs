//! The `rollcage` binary's contract: exit codes, diagnostics on stderr, `plan` and `--version`.
//! No drill is run here; invalid input must be refused before any container exists.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_rollcage");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// A socket that cannot exist: any attempt to reach Docker through it fails.
const NO_DOCKER: &str = "unix:///nonexistent/rollcage-cli-test/docker.sock";

fn rollcage(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(ROOT).env("NO_COLOR", "1");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Containers carrying the pid label of process `pid`: what a run of that process created.
fn containers_of(pid: u32) -> Vec<String> {
    let out = Command::new("docker")
        .args(["ps", "-a", "-q", "--filter", "label=org.rollcage.run"])
        .args(["--filter", &format!("label=org.rollcage.pid={pid}")])
        .output()
        .expect("running `docker ps`");
    assert!(
        out.status.success(),
        "docker ps failed: {}",
        text(&out.stderr)
    );
    text(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn invalid_scenario_exits_2_with_its_position_and_starts_nothing() {
    let child = rollcage(&["drill", "tests/fixtures/invalid/unknown-key.toml"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starting rollcage");
    let pid = child.id();
    let out = child.wait_with_output().expect("waiting for rollcage");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains("unknown-key.toml:24:1: rollback.stratgy: unknown key"),
        "{stderr}"
    );
    assert!(stderr.contains("no drill was started"), "{stderr}");
    // Other tests may run drills meanwhile, so a before/after count of every rollcage
    // container would be flaky: only containers labelled with this process's pid count.
    let created = containers_of(pid);
    assert!(created.is_empty(), "containers appeared: {created:?}");
}

#[test]
fn invalid_input_is_refused_without_contacting_docker() {
    // With Docker unreachable, exit 2 (not 3) shows validation came first.
    let out = rollcage(&["drill", "tests/fixtures/invalid"])
        .env("DOCKER_HOST", NO_DOCKER)
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // Every bad file is reported, not just the first.
    for file in [
        "bad-duration.toml:25:10",
        "unknown-key.toml:24:1",
        "wrong-type.toml:29:8",
    ] {
        assert!(stderr.contains(file), "{file} missing from:\n{stderr}");
    }
    assert!(!stderr.contains("_draft.toml"), "{stderr}");
}

#[test]
fn a_name_filter_that_matches_nothing_or_zero_jobs_is_invalid_input() {
    // Docker unreachable: exit 2, not 3, shows nothing was started.
    let out = rollcage(&["drill", "--name", "no-such-drill", "scenarios/"])
        .env("DOCKER_HOST", NO_DOCKER)
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--name no-such-drill: no scenario's name contains it"),
        "{stderr}"
    );
    let out = rollcage(&["drill", "-j", "0", "scenarios/"])
        .env("DOCKER_HOST", NO_DOCKER)
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--jobs"), "{stderr}");
}

#[test]
fn unreachable_engine_exits_3() {
    let out = rollcage(&["drill", "scenarios/reference.toml"])
        .env("DOCKER_HOST", NO_DOCKER)
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("cannot reach the Docker Engine"),
        "{stderr}"
    );
    // A run without a seed draws one and says so, so it can be sent again; --seed is taken.
    assert!(stderr.contains("rollcage: traffic seed "), "{stderr}");
    let out = rollcage(&["drill", "--seed", "7", "scenarios/reference.toml"])
        .env("DOCKER_HOST", NO_DOCKER)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(!text(&out.stderr).contains("traffic seed"));
    let out = rollcage(&["drill", "--seed", "-1", "scenarios/reference.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn report_in_a_missing_folder_is_invalid_input() {
    let args = [
        "drill",
        "scenarios/reference.toml",
        "--junit",
        "/nonexistent-rollcage/r.xml",
        "--html",
        "/nonexistent-rollcage/r.html",
        "--markdown",
        "/nonexistent-rollcage/r.md",
    ];
    let out = rollcage(&args)
        .env("DOCKER_HOST", NO_DOCKER)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for flag in ["--junit", "--html", "--markdown"] {
        let ext = &flag[2..].replace("junit", "xml").replace("markdown", "md");
        assert!(
            err.contains(&format!("{flag} /nonexistent-rollcage/r.{ext}")),
            "{err}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["drill"][..],
        &["drill", "scenarios/reference.toml", "--repeat", "0"],
        &["frobnicate"],
    ] {
        let out: Output = rollcage(args)
            .env("DOCKER_HOST", NO_DOCKER)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn plan_prints_the_steps() {
    let out = rollcage(&["plan", "scenarios/reference.toml"])
        .env("DOCKER_HOST", NO_DOCKER)
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stdout.starts_with("Drill `reference`"), "{stdout}");
    assert!(stdout.contains(" 1. Create a private network"), "{stdout}");
    assert!(stdout.contains("Rollback step switch-code"), "{stdout}");
    assert!(stdout.contains("Expect verdict `pass`"), "{stdout}");
}

#[test]
fn plan_into_a_closed_pipe_ends_quietly() {
    // `rollcage plan scenarios/ | head -1`: the reader is gone before most of the plan is out.
    let mut child = rollcage(&["plan", "scenarios/"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starting rollcage");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("rollcage ends");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn plan_of_an_invalid_file_exits_2() {
    let out = rollcage(&["plan", "tests/fixtures/invalid/unknown-key.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown-key.toml:24:1"));
}

#[test]
fn version() {
    let out = rollcage(&["--version"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout).trim(),
        format!("rollcage {}", env!("CARGO_PKG_VERSION"))
    );
}
