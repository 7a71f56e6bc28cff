//! The live-run registry and the Ctrl-C / SIGTERM handler that removes live runs' resources
//! before the process exits.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

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
/// that is not itself driving a tokio runtime. Each failure is printed with its causes.
pub(crate) fn cleanup_blocking(runs: &[RunId]) {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        eprintln!("rollcage: cleanup could not start its runtime; `rollcage gc` removes the rest");
        return;
    };
    rt.block_on(async {
        let engine = match Engine::connect().await {
            Ok(engine) => engine,
            Err(e) => return eprintln!("rollcage: cleanup: {}", with_causes(&e)),
        };
        for run in runs {
            if let Err(e) = remove_run(&engine, run).await {
                eprintln!("rollcage: {}", with_causes(&e));
            }
        }
    });
}

/// An error and its chain of causes on one line.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(&format!(": {c}"));
        cause = c.source();
    }
    out
}

/// What runs after a signal's cleanup, before the process exits.
type LastWord = Box<dyn FnOnce() + Send>;
static LAST_WORDS: std::sync::Mutex<Vec<LastWord>> = std::sync::Mutex::new(Vec::new());

/// Registers `f` to run when a signal stops rollcage, after every resource is removed and
/// before the process exits (e.g. writing what finished as a report marked interrupted).
pub fn on_interrupt(f: impl FnOnce() + Send + 'static) {
    LAST_WORDS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(Box::new(f));
}

/// Installs the SIGINT / SIGTERM handler (call once from the binary, inside its runtime).
/// On a signal it shuts the closing gate, so the drill creates nothing more, waits for the
/// creations in flight, removes every live run's resources, and exits with 130 (SIGINT) or
/// 143 (SIGTERM). The handlers are registered before this returns: a signal that arrives
/// while the first network is being created is already caught.
pub fn install_signal_cleanup() {
    let signals = Signals::register();
    tokio::spawn(async move {
        let code = signals.wait().await;
        super::closing::close();
        if !super::closing::settled(Duration::from_secs(20)).await {
            eprintln!("rollcage: a container creation is still in flight; removing anyway");
        }
        let runs = live_runs();
        eprintln!(
            "rollcage: interrupted; removing the resources of {} run(s)",
            runs.len()
        );
        let _ = std::thread::spawn(move || cleanup_blocking(&runs)).join();
        // Once nothing is left: what finished before the signal may still be written down.
        for last in std::mem::take(&mut *LAST_WORDS.lock().unwrap_or_else(|e| e.into_inner())) {
            last();
        }
        std::process::exit(code);
    });
}

/// The signal streams, registered up front.
struct Signals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    #[cfg(unix)]
    fn register() -> Signals {
        use tokio::signal::unix::{signal, SignalKind};
        let streams = match (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            (Ok(int), Ok(term)) => Some((int, term)),
            _ => {
                eprintln!("rollcage: cannot install the signal handlers; `rollcage gc` cleans up after a signal");
                None
            }
        };
        Signals { streams }
    }

    #[cfg(unix)]
    async fn wait(self) -> i32 {
        let Some((mut int, mut term)) = self.streams else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = int.recv() => 130,
            _ = term.recv() => 143,
        }
    }

    #[cfg(not(unix))]
    fn register() -> Signals {
        Signals {}
    }

    #[cfg(not(unix))]
    async fn wait(self) -> i32 {
        let _ = tokio::signal::ctrl_c().await;
        130
    }
}
