//! The live-run registry and the Ctrl-C / SIGTERM handler that removes live runs' resources
//! before the process exits.

use std::collections::BTreeSet;
use std::sync::Mutex;

use super::gc::remove_run;
use super::{Engine, RunId};

static LIVE: Mutex<BTreeSet<RunId>> = Mutex::new(BTreeSet::new());

pub(crate) fn register(run: &RunId) {
    LIVE.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(run.clone());
}

pub(crate) fn deregister(run: &RunId) {
    LIVE.lock().unwrap_or_else(|e| e.into_inner()).remove(run);
}

fn live_runs() -> Vec<RunId> {
    LIVE.lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .cloned()
        .collect()
}

/// Removes the given runs' resources from a private runtime; safe to call from any thread
/// that is not itself driving a tokio runtime.
pub(crate) fn cleanup_blocking(runs: &[RunId]) {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    rt.block_on(async {
        let Ok(engine) = Engine::connect().await else {
            return;
        };
        for run in runs {
            if let Err(e) = remove_run(&engine, run).await {
                eprintln!("rollcage: cleanup of run {run} incomplete: {e}");
            }
        }
    });
}

/// Spawns a task that, on SIGINT or SIGTERM, removes every live run's resources and exits
/// with 130 (SIGINT) or 143 (SIGTERM). Call once from the binary, inside its runtime.
pub fn install_signal_cleanup() {
    tokio::spawn(async {
        let code = wait_for_signal().await;
        let runs = live_runs();
        if !runs.is_empty() {
            eprintln!(
                "rollcage: interrupted; removing {} run(s)' containers and networks",
                runs.len()
            );
        }
        let _ = std::thread::spawn(move || cleanup_blocking(&runs)).join();
        std::process::exit(code);
    });
}

#[cfg(unix)]
async fn wait_for_signal() -> i32 {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("installing the SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => 130,
        _ = term.recv() => 143,
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() -> i32 {
    let _ = tokio::signal::ctrl_c().await;
    130
}
