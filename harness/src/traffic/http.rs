//! Plain HTTP against the app: one request (`send`), and the health probe that timestamps the
//! first healthy answer (`probe_until_healthy`).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Rendered;

/// A shared HTTP client with the drill's request timeout.
#[derive(Clone, Debug)]
pub struct Client(reqwest::Client);

impl Client {
    /// A client whose requests time out after `timeout` (connecting after at most 500 ms).
    pub fn new(timeout: Duration) -> Client {
        let inner = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_millis(500)))
            .pool_idle_timeout(Duration::from_secs(2))
            .build()
            .expect("a plain HTTP client always builds");
        Client(inner)
    }
}

/// An HTTP answer from the app.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

impl Response {
    /// The body parsed as JSON; `Null` when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    /// The status is 2xx.
    pub fn success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Sends one request; transport failures come back as text.
pub async fn send(
    client: &Client,
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &Rendered,
) -> Result<Response, String> {
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
    let mut req = client.0.request(method, format!("http://{addr}{path}"));
    if let Some(ct) = body.content_type {
        req = req.header("content-type", ct).body(body.text.clone());
    }
    let resp = req.send().await.map_err(|e| describe(&e))?;
    let status = resp.status().as_u16();
    let body = resp.text().await.map_err(|e| describe(&e))?;
    Ok(Response { status, body })
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else {
        e.to_string()
    }
}

/// The outcome of waiting for health.
#[derive(Debug, Clone, Default)]
pub struct Probe {
    /// When the app first answered healthy (None: never within the timeout).
    pub healthy_at: Option<Instant>,
    /// How many health requests were sent.
    pub attempts: u32,
    /// The last answer (status and body) or transport error, for people.
    pub last_answer: String,
}

/// Probes `GET path` every `interval` until it answers 2xx or `timeout` passes. The probe
/// interval bounds the measurement error of time-to-healthy.
pub async fn probe_until_healthy(
    client: &Client,
    addr: SocketAddr,
    path: &str,
    interval: Duration,
    timeout: Duration,
) -> Probe {
    let never = std::future::pending::<std::convert::Infallible>();
    let (probe, _) = probe_unless(client, addr, path, interval, timeout, never).await;
    probe
}

/// Probes like `probe_until_healthy`, but stops at once when `gone` resolves (the process
/// behind `addr` died, say), handing back what it resolved to: there is nothing left to wait
/// for, and the rest of the timeout would only hide why.
pub async fn probe_unless<T>(
    client: &Client,
    addr: SocketAddr,
    path: &str,
    interval: Duration,
    timeout: Duration,
    gone: impl std::future::Future<Output = T>,
) -> (Probe, Option<T>) {
    let mut probe = Probe::default();
    let ended = {
        let rounds = probe_rounds(client, addr, path, interval, timeout, &mut probe);
        tokio::select! {
            () = rounds => None,
            ended = gone => Some(ended),
        }
    };
    (probe, ended)
}

/// The probing itself, recording each answer in `probe` as it comes.
async fn probe_rounds(
    client: &Client,
    addr: SocketAddr,
    path: &str,
    interval: Duration,
    timeout: Duration,
    probe: &mut Probe,
) {
    let start = Instant::now();
    let none = Rendered {
        content_type: None,
        text: String::new(),
    };
    while start.elapsed() < timeout {
        probe.attempts += 1;
        let sent = Instant::now();
        match send(client, addr, "GET", path, &none).await {
            Ok(r) if r.success() => {
                // The app answered somewhere inside the round trip; its midpoint is the best
                // estimate of when it did.
                probe.healthy_at = Some(sent + sent.elapsed() / 2);
                probe.last_answer = format!("{} {}", r.status, r.body);
                return;
            }
            Ok(r) => probe.last_answer = format!("{} {}", r.status, r.body),
            Err(e) => probe.last_answer = e,
        }
        tokio::time::sleep(interval).await;
    }
}
