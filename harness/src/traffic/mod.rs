//! The workload that runs through a whole drill (`Workload`): requests of the scenario's kinds
//! at a fixed rate against whichever release currently serves (`Endpoint`), each one logged
//! with its outcome.
//!
//! Request n (`seq`, from 1 for the first request the workload sends) is rendered in order
//! before it is sent, from the run's seed and n alone: the same seed sends the same kinds
//! with the same values. Which key a read picks depends on the writes acknowledged by then.

mod generate;
mod http;
mod log;
mod request;
mod template;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};

use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;

pub use crate::timeline::WindowStats;
pub use generate::{edges, Draw, EDGE_SHARE_OF};
pub use http::{probe_unless, probe_until_healthy, send, Client, Probe, Response};
pub use log::{stats, Ack, Outcome, Sample, TrafficLog};
pub use request::{prepare, send_prepared, total_weight, Prepared};
pub use template::{fill, key_at, render_body, rendered, Rendered};

use crate::scenario::Traffic;

/// The address of the release serving now; `None` while no release serves.
#[derive(Clone, Debug, Default)]
pub struct Endpoint(Arc<RwLock<Option<SocketAddr>>>);

impl Endpoint {
    pub fn set(&self, addr: Option<SocketAddr>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = addr;
    }
    pub fn get(&self) -> Option<SocketAddr> {
        *self.0.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running workload. `stop` ends it and hands back the full log.
pub struct Workload {
    log: Arc<Mutex<TrafficLog>>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Workload {
    /// Starts sending `spec`'s requests to whichever release `endpoint` names, with the
    /// traffic's seed (0 when it has none).
    pub fn start(spec: &Traffic, endpoint: Endpoint, run: &str) -> Workload {
        let log = Arc::new(Mutex::new(TrafficLog::default()));
        let (stop, mut stopped) = watch::channel(false);
        let client = Client::new(spec.request_timeout);
        let requests = Arc::new(spec.requests.clone());
        let (seed, total) = (spec.seed.unwrap_or(0), total_weight(&spec.requests));
        let spec = spec.clone();
        let run = run.to_string();
        let shared = log.clone();
        let task = tokio::spawn(async move {
            let permits = Arc::new(Semaphore::new(spec.concurrency.max(1) as usize));
            let period = std::time::Duration::from_secs_f64(1.0 / f64::from(spec.rate.max(1)));
            let mut ticker = tokio::time::interval(period);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut inflight = Vec::new();
            for seq in 1u64.. {
                tokio::select! {
                    _ = ticker.tick() => {}
                    _ = stopped.changed() => break,
                }
                let Ok(permit) = permits.clone().acquire_owned().await else {
                    break;
                };
                let mut draw = Draw::new(seed, seq, &run);
                let prepared = prepare(&requests, total, &mut draw, |draw| {
                    let log = shared.lock().unwrap_or_else(|e| e.into_inner());
                    let n = log.acks.len() as u64;
                    let i = (n > 0).then(|| draw.below(n) as usize)?;
                    log.acks.get(i).map(|a| a.key.clone())
                });
                // A read before the first acknowledged write has no key to read: not sent.
                let Some(prepared) = prepared else { continue };
                let (client, requests, log, addr) = (
                    client.clone(),
                    requests.clone(),
                    shared.clone(),
                    endpoint.get(),
                );
                inflight.push(tokio::spawn(async move {
                    let (sample, ack) =
                        send_prepared(&client, &requests, addr, seq, &prepared).await;
                    log.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(sample, ack);
                    drop(permit);
                }));
                inflight.retain(|h: &JoinHandle<()>| !h.is_finished());
            }
            for h in inflight {
                let _ = h.await;
            }
        });
        Workload { log, stop, task }
    }

    /// The shared log, for tasks that read it while the workload runs.
    pub fn log_handle(&self) -> Arc<Mutex<TrafficLog>> {
        self.log.clone()
    }

    /// Reads the log while the workload runs.
    pub fn with_log<T>(&self, f: impl FnOnce(&TrafficLog) -> T) -> T {
        f(&self.log.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Stops sending, waits for requests in flight, returns the log.
    pub async fn stop(self) -> TrafficLog {
        let _ = self.stop.send(true);
        let _ = self.task.await;
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        let mut taken = std::mem::take(&mut *log);
        taken.samples.sort_by_key(|s| s.seq);
        taken.acks.sort_by_key(|a| a.seq);
        taken
    }
}
