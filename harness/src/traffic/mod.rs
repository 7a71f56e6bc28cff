//! The workload that runs through a whole drill (`Workload`): writes at a fixed rate against
//! whichever release currently serves (`Endpoint`), each one logged with its outcome.

mod http;
mod log;
mod template;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;

pub use crate::timeline::WindowStats;
pub use http::{probe_unless, probe_until_healthy, send, Client, Probe, Response};
pub use log::{stats, Ack, Outcome, Sample, TrafficLog};
pub use template::{as_json, key_at, render, Rendered};

use crate::scenario::{KeySource, Traffic};

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
    pub fn start(spec: &Traffic, endpoint: Endpoint, run: &str) -> Workload {
        let log = Arc::new(Mutex::new(TrafficLog::default()));
        let (stop, mut stopped) = watch::channel(false);
        let client = Client::new(spec.request_timeout);
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
                let (client, spec, run, log, addr) = (
                    client.clone(),
                    spec.clone(),
                    run.clone(),
                    shared.clone(),
                    endpoint.get(),
                );
                inflight.push(tokio::spawn(async move {
                    let (sample, ack) = write_once(&client, &spec, addr, seq, &run).await;
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

/// Sends one write and classifies it.
async fn write_once(
    client: &Client,
    spec: &Traffic,
    addr: Option<SocketAddr>,
    seq: u64,
    run: &str,
) -> (Sample, Option<Ack>) {
    let w = &spec.write;
    let rendered = render(&w.body, seq, run);
    let sent = Instant::now();
    let result = match addr {
        Some(addr) => send(client, addr, &w.method, &w.path, &rendered).await,
        None => Err("no release serving".to_string()),
    };
    let done = Instant::now();
    let (outcome, ack) = match result {
        Ok(resp) if w.ack_status.contains(&resp.status) => {
            let request = as_json(&rendered);
            let key = match &w.key {
                KeySource::Response(p) => key_at(&resp.json(), p),
                KeySource::Request(p) => key_at(&request, p),
            };
            match key {
                Some(key) => {
                    let ack = Ack {
                        seq,
                        key: key.clone(),
                        at: done,
                    };
                    (Outcome::Acked { key }, Some(ack))
                }
                None => (
                    Outcome::Failed {
                        error: "acknowledged without a key".into(),
                    },
                    None,
                ),
            }
        }
        Ok(resp) => (
            Outcome::Rejected {
                status: resp.status,
            },
            None,
        ),
        Err(error) => (Outcome::Failed { error }, None),
    };
    (
        Sample {
            seq,
            sent,
            done,
            outcome,
        },
        ack,
    )
}
