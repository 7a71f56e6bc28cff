//! Interrupted drills leave nothing behind: drills of the binary stopped by SIGINT or SIGTERM
//! at random moments (a third within the first 500 ms), by a panic through the test hook, or
//! by SIGKILL followed by the next drill's sweep. After each, nothing of any kind labelled
//! with the stopped process remains: containers, networks, volumes (tag records), images.
//!
//! `interrupted_drills_leave_nothing` runs a bounded sample in CI; the ignored
//! `interrupted_drills_leave_nothing_loop` runs `ROLLCAGE_INTERRUPTS` of them
//! (`benches/interrupt_loop.sh`), against `ROLLCAGE_BIN` when set (the release binary).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SCENARIOS: [&str; 3] = [
    "scenarios/reference.toml",
    "scenarios/mutable-tag.toml",
    "scenarios/missing-artifact.toml",
];

/// How a drill is stopped.
#[derive(Debug, Clone, Copy)]
enum Stop {
    Signal(&'static str, i32),
    Panic,
    Kill,
}

fn binary() -> PathBuf {
    std::env::var_os("ROLLCAGE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_rollcage")))
}

/// A small seeded generator (xorshift), so a failing sequence can be run again by its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Everything of every kind labelled with this host and `pid`, as `kind id` lines.
fn leftovers(pid: u32) -> Vec<String> {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let (pid, host) = (
        format!("label=org.rollcage.pid={pid}"),
        format!("label=org.rollcage.host={}", host.trim()),
    );
    let mut found = Vec::new();
    for (kind, args) in [
        ("container", vec!["ps", "-aq"]),
        ("network", vec!["network", "ls", "-q"]),
        ("volume", vec!["volume", "ls", "-q"]),
        ("image", vec!["images", "-aq"]),
    ] {
        let out = Command::new("docker")
            .args(&args)
            .args(["--filter", &pid, "--filter", &host])
            .output()
            .expect("docker CLI");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        found.extend(text.lines().map(|id| format!("{kind} {id}")));
    }
    found
}

fn signal(pid: u32, name: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status();
}

/// Waits for the child's end (killing it after a minute); its exit code and its output.
fn finish(mut child: Child) -> (Option<i32>, String) {
    let started = Instant::now();
    while child.try_wait().ok().flatten().is_none() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    if child.try_wait().ok().flatten().is_none() {
        let _ = child.kill();
    }
    let out = child.wait_with_output().expect("the drill's output");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

/// Runs `n` stopped drills; returns (interrupted, left behind) and panics on a false report.
fn stop_drills(n: u32) -> (u32, usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let seed = std::env::var("ROLLCAGE_INTERRUPT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(now.as_nanos() as u64 | 1);
    eprintln!("interrupt loop: seed {seed} (ROLLCAGE_INTERRUPT_SEED={seed} repeats it)");
    let mut rng = Rng(seed);
    let (mut interrupted, mut left) = (0, 0);
    let mut killed: Option<u32> = None;
    // One more drill after the last: a SIGKILL is followed by the next drill's sweep.
    for i in 0..n + 1 {
        let last = i == n;
        let stop = match (last, rng.below(6)) {
            (true, _) | (_, 0) => Stop::Signal("INT", 130),
            (_, 1 | 2) => Stop::Signal("TERM", 143),
            (_, 3) => Stop::Panic,
            (_, 4) => Stop::Kill,
            _ => Stop::Signal("INT", 130),
        };
        // After a SIGKILL the next drill runs past its sweep before it is stopped.
        let delay = match (killed.is_some(), rng.below(3)) {
            (true, _) => 1500 + rng.below(1500),
            (false, 0) => rng.below(500),
            _ => 500 + rng.below(4500),
        };
        let mut cmd = Command::new(binary());
        cmd.args(["drill", "--quiet"])
            .arg(root.join(SCENARIOS[rng.below(3) as usize]))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Stop::Panic = stop {
            cmd.env(
                "ROLLCAGE_TEST_PANIC_AT_START",
                (1 + rng.below(3)).to_string(),
            );
        }
        let mut child = cmd.spawn().expect("rollcage starts");
        let pid = child.id();
        std::thread::sleep(Duration::from_millis(delay));
        let ran_out = child.try_wait().ok().flatten().is_some();
        match stop {
            Stop::Signal(name, _) if !ran_out => signal(pid, name),
            Stop::Kill if !ran_out => signal(pid, "KILL"),
            _ => {}
        }
        let (code, text) = finish(child);
        if let Stop::Signal(name, expected) = stop {
            if !ran_out {
                assert_eq!(code, Some(expected), "SIG{name} after {delay} ms:\n{text}");
                assert!(
                    !text.contains("could not run"),
                    "an interrupted drill reported a harness failure:\n{text}"
                );
            }
        }
        if !last {
            interrupted += u32::from(!ran_out || matches!(stop, Stop::Panic));
        }
        let mut now_left = Vec::new();
        if let Some(previous) = killed.take() {
            now_left.extend(leftovers(previous));
        }
        match stop {
            Stop::Kill if !ran_out => killed = Some(pid),
            _ => now_left.extend(leftovers(pid)),
        }
        if !now_left.is_empty() {
            eprintln!("drill {i} ({stop:?} after {delay} ms) left {now_left:?}:\n{text}");
        }
        left += now_left.len();
    }
    (interrupted, left)
}

#[test]
fn interrupted_drills_leave_nothing() {
    let (interrupted, left) = stop_drills(10);
    println!("{interrupted} interrupted, {left} left");
    assert_eq!(left, 0, "{interrupted} interrupted, {left} left");
}

#[test]
#[ignore = "long: run by benches/interrupt_loop.sh"]
fn interrupted_drills_leave_nothing_loop() {
    let n = std::env::var("ROLLCAGE_INTERRUPTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let (interrupted, left) = stop_drills(n);
    println!("{interrupted} interrupted, {left} left");
    assert_eq!(left, 0, "{interrupted} interrupted, {left} left");
}
