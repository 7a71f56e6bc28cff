//! The engine named by `DOCKER_HOST`: a real drill through `tcp://` (the local engine exposed
//! by a relay in this test, which counts the connections it carried), and a scheme rollcage
//! cannot speak refused by name with exit 3 before anything is started.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::Value;
use tokio::net::{TcpListener, UnixStream};

const BIN: &str = env!("CARGO_BIN_EXE_rollcage");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SCENARIO: &str = "scenarios/notnull-fixed-code-only.toml";
const SOCKET: &str = "/var/run/docker.sock";

fn rollcage(args: &[&str], docker_host: &str) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env("DOCKER_HOST", docker_host)
        .env_remove("DOCKER_TLS_VERIFY")
        .env_remove("DOCKER_TLS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("running rollcage")
}

fn said(out: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Listens on a free port of 127.0.0.1 and carries each connection to the engine's unix
/// socket byte for byte. Returns the port and the count of connections accepted.
async fn relay() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding");
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let Ok(mut unix) = UnixStream::connect(SOCKET).await else {
                    return;
                };
                // Either side closing ends the pair; a reset mid-stream is the client's doing.
                let _ = tokio::io::copy_bidirectional(&mut tcp, &mut unix).await;
            });
        }
    });
    (port, accepted)
}

#[test]
fn a_drill_runs_against_the_engine_docker_host_names_over_tcp() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (port, accepted) = rt.block_on(relay());
    let report: PathBuf =
        std::env::temp_dir().join(format!("rollcage-engine-tcp-{}.json", std::process::id()));
    let host = format!("tcp://127.0.0.1:{port}");
    let args = ["drill", SCENARIO, "--quiet", "--json"];
    let out = rollcage(&[&args[..], &[report.to_str().unwrap()]].concat(), &host);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    // The relay carried the drill's engine calls: the local socket was not used instead.
    let carried = accepted.load(Ordering::SeqCst);
    assert!(carried > 0, "no connection went through {host}");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let _ = std::fs::remove_file(&report);
    assert_eq!(
        json["drills"][0]["runs"][0]["outcome"]["verdict"], "pass",
        "{json:#}"
    );
    drop(rt);
}

/// Containers carrying the pid label of process `pid`: what a run of that process created.
fn containers_of(pid: u32) -> Vec<String> {
    let out = Command::new("docker")
        .args(["ps", "-a", "-q", "--filter", "label=org.rollcage.run"])
        .args(["--filter", &format!("label=org.rollcage.pid={pid}")])
        .env_remove("DOCKER_HOST")
        .output()
        .expect("running `docker ps`");
    assert!(out.status.success(), "docker ps failed: {}", said(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_docker_host_rollcage_cannot_speak_exits_3_and_starts_nothing() {
    let child = Command::new(BIN)
        .args(["drill", SCENARIO])
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env("DOCKER_HOST", "ssh://x")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starting rollcage");
    let pid = child.id();
    let out = child.wait_with_output().expect("waiting for rollcage");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{}", said(&out));
    assert!(
        stderr.contains("DOCKER_HOST=ssh://x cannot be used: "),
        "{stderr}"
    );
    assert!(containers_of(pid).is_empty(), "{stderr}");
}
