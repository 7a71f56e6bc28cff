//! `gc` and the sweep select by labels only: a run's tag goes with its record and never takes
//! the shared image with it; a dead run of this host is removed; another host's young run
//! and a live run are kept.

use std::collections::HashMap;

use bollard::models::NetworkCreateRequest;
use bollard::query_parameters::ListVolumesOptionsBuilder;
use rollcage::runtime::{
    gc, this_host, Engine, RunId, Sandbox, LABEL_HOST, LABEL_PID, LABEL_RUN, LABEL_STARTED,
};

const SHARED: &str = "rollcage/ledger:baseline";

/// A network carrying a run's labels as another owner would have written them.
async fn owned_network(engine: &Engine, run: &str, host: &str, pid: u32) -> String {
    let name = format!("rollcage-{run}");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let labels = HashMap::from([
        (LABEL_RUN.to_string(), run.to_string()),
        (LABEL_HOST.to_string(), host.to_string()),
        (LABEL_PID.to_string(), pid.to_string()),
        (LABEL_STARTED.to_string(), now.to_string()),
    ]);
    let request = NetworkCreateRequest {
        name: name.clone(),
        labels: Some(labels),
        ..Default::default()
    };
    engine
        .docker()
        .create_network(request)
        .await
        .expect("network");
    name
}

async fn network_exists(engine: &Engine, name: &str) -> bool {
    engine.docker().inspect_network(name, None).await.is_ok()
}

#[tokio::test]
async fn a_run_tag_goes_by_its_record_and_the_shared_image_stays() {
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let shared = engine
        .image_id(SHARED)
        .await
        .unwrap()
        .expect("shared image");
    let sandbox = Sandbox::create(&engine).await.expect("sandbox");
    let run = sandbox.run_id().clone();
    let run = &run;
    let repo = format!("rollcage-run-{run}/baseline");
    engine
        .tag_image(run, &shared, &repo, "current")
        .await
        .expect("tag");
    let tag = format!("{repo}:current");
    assert_eq!(engine.image_id(&tag).await.unwrap(), Some(shared.clone()));
    let records = |engine: Engine| async move {
        let filter = run.filter();
        let list = ListVolumesOptionsBuilder::new().filters(&filter).build();
        let volumes = engine.docker().list_volumes(Some(list)).await.unwrap();
        volumes.volumes.unwrap_or_default().len()
    };
    assert_eq!(records(engine.clone()).await, 1, "the tag is recorded");
    sandbox.teardown().await.expect("teardown");
    assert_eq!(
        engine.image_id(&tag).await.unwrap(),
        None,
        "the tag is gone"
    );
    assert_eq!(engine.image_id(SHARED).await.unwrap(), Some(shared));
    assert_eq!(records(engine.clone()).await, 0, "the record is gone");
}

#[tokio::test]
async fn gc_removes_dead_runs_of_this_host_only() {
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    // A pid that has just ended: its run is dead.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let dead_run = RunId::generate();
    let dead_net = owned_network(&engine, dead_run.as_str(), &this_host(), dead).await;
    // The same dead pid on another host means nothing here.
    let foreign_run = RunId::generate();
    let elsewhere = format!("{}-elsewhere", this_host());
    let foreign_net = owned_network(&engine, foreign_run.as_str(), &elsewhere, dead).await;
    // This test's own process is alive.
    let live = Sandbox::create(&engine).await.expect("sandbox");

    let report = gc(&engine, false).await.expect("gc");
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert!(report.runs_removed.contains(&dead_run.to_string()));
    assert!(!network_exists(&engine, &dead_net).await);
    assert!(report.runs_foreign.contains(&foreign_run.to_string()));
    assert!(network_exists(&engine, &foreign_net).await);
    assert!(report.runs_alive.contains(&live.run_id().to_string()));
    assert!(network_exists(&engine, live.network()).await);

    live.teardown().await.expect("teardown");
    // The foreign network is this test's own: removed by its own name, not by gc --all,
    // which would take other processes' live runs too.
    engine.docker().remove_network(&foreign_net).await.unwrap();
}
