//! `Observing`: the background reader that records what each acknowledged write looked like
//! before the rollback decision, for the write audit to compare against afterwards.

use std::time::Duration;

use crate::env::DrillEnv;
use crate::traffic::Workload;
use crate::verify::Observer;

/// The reader while it runs; `stop` ends it.
pub struct Observing {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Observing {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Reads back acknowledged writes every 100 ms until stopped.
pub fn spawn_observer(env: &DrillEnv, workload: &Workload, observer: &Observer) -> Observing {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let (client, endpoint, observer) = (env.client.clone(), env.endpoint.clone(), observer.clone());
    let log = workload.log_handle();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                _ = stopped.changed() => break,
            }
            observer.take(&log.lock().unwrap_or_else(|e| e.into_inner()).acks);
            if let Some(addr) = endpoint.get() {
                observer.observe(&client, addr).await;
            }
        }
    });
    Observing { stop, task }
}
