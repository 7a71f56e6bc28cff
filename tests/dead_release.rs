//! A release whose process dies at start is reported at once, with its exit code, OOM flag and
//! its own last log lines, instead of after the ready timeout: when launched on its own, as the
//! previous release before the deploy (the drill cannot run), and as the new release (the
//! deploy fails and its timeline says why).
//!
//! The ledger exits 1 at start when it cannot listen, saying why on stderr, so an unusable
//! `LISTEN_ADDR` on a release is a dead release built from the existing images.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use rollcage::internals::{faults, DrillEnv, EventKind};
use rollcage::runner::run_drill;
use rollcage::runtime::Engine;
use rollcage::scenario::Scenario;
use rollcage::vocab::{chain, Verdict};
use tokio::sync::Mutex;

/// Drills here run one at a time: their timings are what is checked.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// What the ledger prints before it exits 1 with `LISTEN_ADDR=nowhere`.
const SAID: &str = "cannot listen on nowhere";

/// The reference scenario with a 30 s ready timeout and `release` (if it names one) unable to
/// start.
fn with_dead(release: &str) -> Scenario {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut s = Scenario::load(&root.join("scenarios/reference.toml")).expect("reference.toml");
    s.app.ready_timeout = Duration::from_secs(30);
    if let Some(r) = s.releases.iter_mut().find(|r| r.name == release) {
        r.env.insert("LISTEN_ADDR".into(), "nowhere".into());
    }
    s
}

#[tokio::test]
async fn a_release_that_exits_at_start_is_reported_at_once() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let s = with_dead("expand");
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let env = DrillEnv::start(&engine, &s, faults::needs(&s))
        .await
        .expect("drill environment");
    let expand = s.to_release().clone();
    let image = env.images[&expand.name].clone();
    let waiting = Instant::now();
    let launched = env.launch(&s, &expand, &image, false).await;
    let (took, reported) = (waiting.elapsed(), SystemTime::now());
    let launched = launched.expect("the container was created and started");
    let exited = launched.container.expect_err("the release exited");
    let text = chain(&exited);
    println!("reported after {took:?}: {text}");
    assert!(took < Duration::from_secs(5), "waited {took:?}: {text}");
    assert!(launched.probe.healthy_at.is_none());
    assert_eq!(exited.exit.code, 1, "{text}");
    assert!(!exited.exit.oom_killed && !exited.exit.restarted, "{text}");
    assert!(
        exited.exit.log_tail.iter().any(|l| l.contains(SAID)),
        "{text}"
    );
    assert!(
        text.starts_with("expand exited before it became healthy: exit code 1, not OOM-killed"),
        "{text}"
    );
    // Within 2 s of the exit the engine recorded.
    let info = engine
        .docker()
        .inspect_container(&exited.container, None)
        .await
        .expect("the dead container is still there");
    let finished = info.state.and_then(|st| st.finished_at).expect("finished");
    let finished = humantime::parse_rfc3339_weak(&finished).expect("an RFC 3339 time");
    let after_exit = reported.duration_since(finished).unwrap_or_default();
    println!("reported {after_exit:?} after the container's exit");
    assert!(after_exit < Duration::from_secs(2), "{after_exit:?}");
    env.teardown().await.expect("teardown");
}

#[tokio::test]
async fn a_previous_release_that_exits_means_the_drill_cannot_run() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let s = with_dead("baseline");
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let started = Instant::now();
    let result = run_drill(&engine, &s).await;
    let took = started.elapsed();
    let Err(e) = result else {
        panic!("the drill ran with a release that cannot start");
    };
    let text = chain(&e);
    println!("drill error after {took:?}: {text}");
    assert!(
        text.contains("baseline exited before it became healthy: exit code 1, not OOM-killed"),
        "{text}"
    );
    assert!(text.contains(SAID), "{text}");
    // Database start and baseline's migrations, not the 30 s ready timeout.
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[tokio::test]
async fn a_new_release_that_exits_fails_the_deploy_and_the_timeline_says_why() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let s = with_dead("expand");
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let o = run_drill(&engine, &s).await.expect("the drill runs");
    o.timeline
        .iter()
        .for_each(|e| println!("{:?} {}", e.kind, e.detail));
    // expand is safe to roll back by code: the failed deploy is rolled back cleanly.
    assert_eq!(o.verdict, Verdict::Pass, "{:#?}", o.oracles);
    let event = o
        .timeline
        .iter()
        .find(|e| e.kind == EventKind::NewReleaseHealthy)
        .expect("the new release's start is on the timeline");
    assert!(
        event
            .detail
            .starts_with("expand exited before it became healthy: exit code 1, not OOM-killed"),
        "{}",
        event.detail
    );
    assert!(event.detail.contains(SAID), "{}", event.detail);
    let decision = o.decision.clone().unwrap_or_default();
    assert!(
        decision.contains("deploy failed: expand exited before it became healthy"),
        "{decision}"
    );
    // The failed deploy is decided at once: the rollback starts within a second of it.
    let deployed = o
        .timeline
        .iter()
        .find(|e| e.kind == EventKind::DeployStarted);
    let decided = o
        .timeline
        .iter()
        .find(|e| e.kind == EventKind::RollbackDecision);
    if let (Some(a), Some(b)) = (deployed, decided) {
        assert!(b.at.saturating_sub(a.at) < Duration::from_secs(5), "{o:#?}");
    }
}

#[tokio::test]
async fn the_watch_ends_when_a_running_release_stops_or_restarts() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut s = with_dead("none");
    // Without its table baseline never gets healthy; it need only be up before the watch.
    s.app.ready_timeout = Duration::from_millis(500);
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let env = DrillEnv::start(&engine, &s, faults::needs(&s))
        .await
        .expect("drill environment");
    let baseline = s.from_release().clone();
    let image = env.images[&baseline.name].clone();
    let launched = env.launch(&s, &baseline, &image, false).await;
    let launched = launched.expect("the container was created and started");
    let c = launched.container.expect("baseline runs");
    let restarting = engine.clone();
    let name = c.name.clone();
    let restart = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        restarting.restart(&name, Duration::from_secs(2)).await
    });
    let watching = Instant::now();
    let every = Duration::from_millis(100);
    let exit = tokio::time::timeout(Duration::from_secs(10), engine.until_exit(&c.name, every))
        .await
        .expect("the watch ended")
        .expect("the engine answered");
    let took = watching.elapsed();
    println!("watch ended after {took:?}: {exit}");
    restart.await.expect("restart task").expect("restarted");
    // SIGTERM ends the ledger cleanly; caught between stop and start it reads as an exit.
    assert!(exit.restarted || exit.code == 0, "{exit}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    // The app's own lines: its start, or (when its failed health checks fill the last 30
    // lines) its answers to them.
    assert!(
        exit.log_tail
            .iter()
            .any(|l| l.contains("listening on") || l.contains("GET /health")),
        "{exit}"
    );
    env.teardown().await.expect("teardown");
}
