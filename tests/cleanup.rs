//! Sandbox cleanup: nothing labelled with a run survives teardown or a panic that drops it.
mod support;

use std::collections::HashMap;

use bollard::query_parameters::{ListContainersOptionsBuilder, ListNetworksOptionsBuilder};
use rollcage::runtime::{ContainerSpec, Engine, RunId, Sandbox, LABEL_RUN};
use support::PG15;

/// Containers (running or not) and networks labelled `org.rollcage.run=<run>`.
async fn leftovers(engine: &Engine, run: &RunId) -> (Vec<String>, Vec<String>) {
    // Built by hand rather than with `run.filter()`, so a wrong filter there cannot hide leftovers.
    let filter = HashMap::from([("label".to_string(), vec![format!("{LABEL_RUN}={run}")])]);
    let docker = engine.docker();
    let list = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&filter)
        .build();
    let containers = docker
        .list_containers(Some(list))
        .await
        .expect("listing containers");
    let list = ListNetworksOptionsBuilder::new().filters(&filter).build();
    let networks = docker
        .list_networks(Some(list))
        .await
        .expect("listing networks");
    (
        containers
            .into_iter()
            .filter_map(|c| c.names.and_then(|n| n.first().cloned()))
            .collect(),
        networks.into_iter().filter_map(|n| n.name).collect(),
    )
}

/// Creates a sandbox with a running database, checks the label filter sees both.
async fn populated(engine: &Engine) -> Sandbox {
    let sandbox = Sandbox::create(engine).await.expect("sandbox");
    sandbox
        .start(&ContainerSpec::new("db", PG15))
        .await
        .expect("db container");
    let (containers, networks) = leftovers(engine, sandbox.run_id()).await;
    // Otherwise the emptiness checks below would prove nothing.
    assert_eq!(containers.len(), 1, "{containers:?}");
    assert_eq!(networks, vec![sandbox.network().to_string()]);
    sandbox
}

#[tokio::test]
async fn no_leftovers() {
    let engine = Engine::connect().await.expect("Docker Engine reachable");

    // A panic in the task that owns the sandbox: Drop must clean up during unwinding.
    let sandbox = populated(&engine).await;
    let run = sandbox.run_id().clone();
    let task = tokio::spawn(async move {
        let _owned = sandbox;
        panic!("simulated test failure while the sandbox is live");
    });
    let joined = task.await;
    assert!(
        joined.is_err_and(|e| e.is_panic()),
        "the task must have panicked"
    );
    assert_eq!(
        leftovers(&engine, &run).await,
        (vec![], vec![]),
        "after a panic"
    );

    // The same on a plain thread, caught with catch_unwind as a test harness would.
    let sandbox = populated(&engine).await;
    let run = sandbox.run_id().clone();
    let caught = std::thread::spawn(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            let _owned = sandbox;
            panic!("simulated failure on a plain thread");
        }))
    })
    .join()
    .expect("the thread itself returns");
    assert!(caught.is_err(), "the closure must have panicked");
    assert_eq!(
        leftovers(&engine, &run).await,
        (vec![], vec![]),
        "after catch_unwind"
    );

    // The happy path: teardown removes everything, and a second look finds nothing either.
    let sandbox = populated(&engine).await;
    let run = sandbox.run_id().clone();
    sandbox.teardown().await.expect("teardown");
    assert_eq!(
        leftovers(&engine, &run).await,
        (vec![], vec![]),
        "after teardown"
    );
}
