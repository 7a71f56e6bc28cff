//! Database faults against real containers: each test shows the fault took effect (the app or
//! the harness sees it) and that healing it restores service, data included.
//!
//! One test at a time (a shared lock): they measure outages and time out queries.

mod support;

use std::time::{Duration, Instant};

use rollcage::scenario::{Fault, FaultKind};
use support::drill_env::{drill, Drill};
use tokio::sync::Mutex;

static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

async fn row_count(d: &Drill, id: i64) -> i64 {
    let sql = "SELECT count(*) FROM entries WHERE id = $1";
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&d.env.pool)
        .await
        .expect("counting rows")
}

#[tokio::test]
async fn kill_database_fails_writes_until_healed_and_keeps_committed_rows() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut d = drill(Fault::new(FaultKind::KillDatabase)).await;
    let before = d.create(1).await;
    let injected = d.inject().await;
    assert!(injected.what.starts_with("SIGKILL"), "{}", injected.what);
    let db = d.env.db.name.clone();
    let state = d.env.sandbox.engine().container_state(&db).await.unwrap();
    assert!(!state.running, "database still running after SIGKILL");
    let start = Instant::now();
    let r = d.post(2).await.expect("the app answers");
    assert_eq!(
        r.status, 500,
        "write while the database is dead: {}",
        r.body
    );
    eprintln!(
        "kill-database: POST answered {} after {:?}",
        r.status,
        start.elapsed()
    );
    let healed = d.heal(injected).await;
    assert!(healed.contains("accepting connections after"), "{healed}");
    eprintln!("kill-database: {healed}");
    d.env
        .refresh()
        .await
        .expect("harness finds the database again");
    assert_eq!(
        row_count(&d, before).await,
        1,
        "row written before the kill is gone"
    );
    let took = d.until_writes().await;
    eprintln!("kill-database: app writes again {took:?} after the heal");
    d.teardown().await;
}

#[tokio::test]
async fn restart_database_comes_back_with_its_data() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut d = drill(Fault::new(FaultKind::RestartDatabase)).await;
    let before = d.create(1).await;
    let engine = d.env.sandbox.engine().clone();
    let started = |info: bollard::models::ContainerInspectResponse| info.state.unwrap().started_at;
    let first = started(
        engine
            .docker()
            .inspect_container(&d.env.db.name, None)
            .await
            .unwrap(),
    );
    let injected = d.inject().await;
    assert!(injected.heal.is_none(), "restart-database does not heal");
    eprintln!("restart-database: {}", injected.what);
    let second = started(
        engine
            .docker()
            .inspect_container(&d.env.db.name, None)
            .await
            .unwrap(),
    );
    assert_ne!(first, second, "the container was not restarted");
    // Inject returned once the server accepted connections: the harness's pool works at once.
    assert_eq!(row_count(&d, before).await, 1);
    let took = d.until_writes().await;
    eprintln!("restart-database: app writes again {took:?} after the restart");
    d.teardown().await;
}

#[tokio::test]
async fn pause_database_stalls_queries_until_thawed() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut d = drill(Fault::new(FaultKind::PauseDatabase)).await;
    let injected = d.inject().await;
    let state = d
        .env
        .sandbox
        .engine()
        .container_state(&d.env.db.name)
        .await
        .unwrap();
    assert!(state.paused && state.running, "{state:?}");
    let query = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&d.env.pool);
    let stalled = tokio::time::timeout(Duration::from_secs(1), query).await;
    assert!(
        stalled.is_err(),
        "a query answered while the database was frozen"
    );
    let healed = d.heal(injected).await;
    assert!(healed.starts_with("thawed"), "{healed}");
    let start = Instant::now();
    let query = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&d.env.pool);
    let answered = tokio::time::timeout(Duration::from_secs(1), query).await;
    assert_eq!(
        answered
            .expect("answered within 1 s of the thaw")
            .expect("SELECT 1"),
        1
    );
    eprintln!(
        "pause-database: SELECT 1 answered {:?} after the thaw",
        start.elapsed()
    );
    d.until_writes().await;
    d.teardown().await;
}

#[tokio::test]
async fn partition_makes_the_app_unhealthy_until_reconnected() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut d = drill(Fault::new(FaultKind::Partition)).await;
    let injected = d.inject().await;
    let network = d.env.sandbox.network().to_string();
    let engine = d.env.sandbox.engine().clone();
    let ip = engine.container_ip(&d.env.db.name, &network).await.unwrap();
    assert_eq!(ip, None, "database still on the drill network");
    let start = Instant::now();
    let health = d.health().await;
    eprintln!(
        "partition: /health gave {health:?} after {:?}",
        start.elapsed()
    );
    assert_eq!(
        health,
        Ok(503),
        "the app's database check must fail while partitioned"
    );
    let healed = d.heal(injected).await;
    eprintln!("partition: {healed}");
    assert!(healed.contains("as \"db\""), "{healed}");
    let took = d.until_healthy().await;
    eprintln!("partition: healthy again {took:?} after the heal");
    d.until_writes().await;
    d.teardown().await;
}

#[tokio::test]
async fn disk_full_fails_writes_with_no_space_until_the_fill_is_removed() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut d = drill(Fault::new(FaultKind::DiskFull)).await;
    let before = d.create(1).await;
    let injected = d.inject().await;
    eprintln!("disk-full: {}", injected.what);
    assert!(
        injected.what.contains("No space left on device"),
        "{}",
        injected.what
    );
    // Rows still fit in pages already allocated; the first one that needs a new page fails.
    let mut failed = None;
    for n in 2..2000 {
        let r = d.post(n).await.expect("the app answers");
        if r.status != 201 {
            failed = Some((n, r));
            break;
        }
    }
    let (n, r) = failed.expect("writes kept succeeding on a full disk");
    eprintln!("disk-full: POST {n} answered {}: {}", r.status, r.body);
    assert_eq!(r.status, 500);
    assert!(r.body.contains("No space left on device"), "{}", r.body);
    let healed = d.heal(injected).await;
    eprintln!("disk-full: {healed}");
    d.until_writes().await;
    assert_eq!(row_count(&d, before).await, 1);
    d.teardown().await;
}
