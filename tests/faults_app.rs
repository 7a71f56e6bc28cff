//! App-side faults against real containers: each test shows the fault took effect (what the
//! app's clients see) and that healing it restores service.
//!
//! One test at a time (a shared lock): latency is measured, and a killed app's outage timed.

mod support;

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use rollcage::scenario::{Fault, FaultKind, ParamValue};
use support::drill_env::{drill, Drill};
use tokio::sync::Mutex;

static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// Median wall time of `n` sequential acknowledged POSTs.
async fn median_post(d: &Drill, n: u64) -> Duration {
    let mut times = Vec::new();
    for i in 0..n {
        let start = Instant::now();
        d.create(i).await;
        times.push(start.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

#[tokio::test]
async fn kill_app_is_an_outage_until_started_again() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut d = drill(Fault::new(FaultKind::KillApp)).await;
    let app = d.app_name();
    let injected = d.inject().await;
    let state = d.env.sandbox.engine().container_state(&app).await.unwrap();
    assert!(!state.running, "app still running after SIGKILL");
    let answer = d.health().await;
    assert!(answer.is_err(), "a killed app answered: {answer:?}");
    let start = Instant::now();
    let healed = d.heal(injected).await;
    eprintln!("kill-app: {healed} (heal took {:?})", start.elapsed());
    assert!(healed.contains("listening after"), "{healed}");
    assert!(
        d.env
            .sandbox
            .engine()
            .container_state(&app)
            .await
            .unwrap()
            .running
    );
    // The heal moved the endpoint to wherever the container came back.
    let took = d.until_healthy().await;
    eprintln!(
        "kill-app: healthy {took:?} after the heal, at {:?}",
        d.env.endpoint.get()
    );
    d.until_writes().await;
    d.teardown().await;
}

#[tokio::test]
async fn app_memory_limit_caps_the_container_until_raised() {
    let _turn = ONE_AT_A_TIME.lock().await;
    // 4 MB is below the engine's minimum: the fault caps at that minimum, 6 MB, and says so.
    let mut d =
        drill(Fault::new(FaultKind::AppMemoryLimit).with("megabytes", ParamValue::Count(4))).await;
    let app = d.app_name();
    let engine = d.env.sandbox.engine().clone();
    let injected = d.inject().await;
    assert!(
        injected.what.contains("minimum is 6 MB"),
        "{}",
        injected.what
    );
    let state = engine.container_state(&app).await.unwrap();
    assert_eq!(state.memory, 6 << 20, "{state:?}");
    // Concurrent 1 MB writes: the app buffers each body, far more than the cap leaves.
    let memo = "x".repeat(1 << 20);
    let big = |n: u64| {
        let body = serde_json::json!({ "account": format!("big-{n}"), "amount": n, "memo": memo });
        d.request("POST", "/entries", Some(body.to_string()))
    };
    let burst = join_all((0..16).map(big)).await;
    let failed = burst
        .iter()
        .filter(|r| !matches!(r, Ok(r) if r.status == 201))
        .count();
    assert!(failed > 0, "every 1 MB write fit in 6 MB");
    let oom = || async { engine.container_state(&app).await.unwrap().oom_killed };
    let took = d
        .until("OOM kill recorded", Duration::from_secs(3), oom)
        .await;
    eprintln!(
        "app-memory-limit: {failed}/16 writes failed; OOM kill recorded {took:?} after the burst"
    );
    let healed = d.heal(injected).await;
    eprintln!("app-memory-limit: {healed}");
    let state = engine.container_state(&app).await.unwrap();
    assert_eq!(state.memory, 1 << 30, "{state:?}");
    assert!(state.running);
    d.until_healthy().await;
    d.until_writes().await;
    d.teardown().await;
}

#[tokio::test]
async fn latency_slows_every_write_until_healed() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let delay = Duration::from_millis(300);
    let mut d =
        drill(Fault::new(FaultKind::Latency).with("delay", ParamValue::Duration(delay))).await;
    assert!(d.env.proxy.is_some(), "the drill has a fault proxy");
    let before = median_post(&d, 7).await;
    let injected = d.inject().await;
    let during = median_post(&d, 3).await;
    let healed = d.heal(injected).await;
    let after = median_post(&d, 7).await;
    eprintln!("latency: median POST {before:?} before, {during:?} with {delay:?}, {after:?} after ({healed})");
    assert!(during >= before + delay, "{during:?} vs {before:?}");
    assert!(
        after < before + Duration::from_millis(100),
        "{after:?} vs {before:?}"
    );
    d.teardown().await;
}

#[tokio::test]
async fn reset_connections_fails_requests_until_healed() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut d = drill(Fault::new(FaultKind::ResetConnections)).await;
    d.create(1).await;
    let injected = d.inject().await;
    let r = d.post(2).await.expect("the app answers");
    eprintln!("reset-connections: POST answered {}: {}", r.status, r.body);
    assert_eq!(r.status, 500, "{}", r.body);
    let health = d.health().await;
    assert_eq!(health, Ok(503));
    let healed = d.heal(injected).await;
    let took = d.until_writes().await;
    eprintln!("reset-connections: {healed}; writes again after {took:?}");
    d.teardown().await;
}
