//! The fault proxy: a TCP relay inside rollcage between the app and PostgreSQL, so the
//! `latency` and `reset-connections` faults act on app ↔ database traffic only.
//!
//! It listens on the drill network's gateway (the host as containers see it) and forwards to
//! the database container. Normally a pass-through; a delay holds every chunk, each direction,
//! for that long (chunks stay pipelined, in order); a reset closes every relayed connection
//! with an RST (SO_LINGER 0) and refuses new ones the same way until it is lifted.
//!
//! Written here rather than taken from `noxious` (the Rust toxiproxy port), which was evaluated:
//! its last release (1.0.4) dates from April 2021 and pins tokio-util 0.6, rand 0.8 and
//! thiserror 1 beside ours; its runner is driven through the request channels of its REST
//! server; and none of its toxics resets open connections. What rollcage needs is this file.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::{DrillEnv, EnvError};

/// What the proxy does now; every relayed connection watches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mode {
    upstream: SocketAddr,
    delay: Duration,
    reset: bool,
}

#[derive(Debug)]
struct Shared {
    addr: SocketAddr,
    /// Dropped with the last handle, which stops the listener and every connection.
    mode: watch::Sender<Mode>,
}

/// A running proxy; cheap to clone. It stops when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct ProxyHandle(Arc<Shared>);

impl ProxyHandle {
    /// A pass-through relay from `listen` (port 0: any free one) to `upstream`.
    pub async fn start(listen: SocketAddr, upstream: SocketAddr) -> io::Result<ProxyHandle> {
        let listener = TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let idle = Mode {
            upstream,
            delay: Duration::ZERO,
            reset: false,
        };
        let (mode, watching) = watch::channel(idle);
        tokio::spawn(accept_loop(listener, watching));
        Ok(ProxyHandle(Arc::new(Shared { addr, mode })))
    }

    /// Where the app must connect instead of the database.
    pub fn addr(&self) -> SocketAddr {
        self.0.addr
    }
    /// Holds every chunk, each direction, for `delay` (zero: none).
    pub fn set_latency(&self, delay: Duration) {
        self.0.mode.send_modify(|m| m.delay = delay);
    }
    /// `true`: resets every open connection now and each new one until `false`.
    pub fn reset_all(&self, on: bool) {
        self.0.mode.send_modify(|m| m.reset = on);
    }
    /// Back to a plain relay: no delay, no resets.
    pub fn pass_through(&self) {
        self.0
            .mode
            .send_modify(|m| (m.delay, m.reset) = (Duration::ZERO, false));
    }
    /// The database moved (restarted or reconnected with another address); new connections go
    /// there.
    pub fn set_upstream(&self, upstream: SocketAddr) {
        self.0.mode.send_modify(|m| m.upstream = upstream);
    }
    pub fn upstream(&self) -> SocketAddr {
        self.0.mode.borrow().upstream
    }
}

/// Starts a proxy in front of `env`'s database, listening on its network's gateway.
pub(super) async fn start(env: &DrillEnv) -> Result<ProxyHandle, EnvError> {
    let network = env.sandbox.network();
    let gateway = env.sandbox.engine().network_gateway(network).await?;
    let gateway = gateway.ok_or_else(|| EnvError::Proxy {
        what: format!("network {network} has no gateway address"),
        source: None,
    })?;
    let upstream = SocketAddr::new(env.db.ip.into(), env.target.port);
    let listen = SocketAddr::new(gateway.into(), 0);
    let proxy = ProxyHandle::start(listen, upstream)
        .await
        .map_err(|source| EnvError::Proxy {
            what: format!("listening on {gateway}"),
            source: Some(source),
        })?;
    Ok(proxy)
}

async fn accept_loop(listener: TcpListener, mut mode: watch::Receiver<Mode>) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            closed = mode.changed() => match closed {
                Ok(()) => continue,
                Err(_) => return, // the last handle is gone
            },
        };
        let Ok((client, _)) = accepted else {
            // Out of descriptors, most likely: give the relays a moment to finish.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        if mode.borrow().reset {
            reset(&client);
            continue;
        }
        tokio::spawn(relay(client, mode.clone()));
    }
}

/// Closing a socket with SO_LINGER 0 sends an RST instead of a FIN: the peer sees
/// "connection reset", as when a middlebox or a crashed host drops it.
fn reset(stream: &TcpStream) {
    let _ = stream.set_zero_linger();
}

async fn relay(client: TcpStream, mut mode: watch::Receiver<Mode>) {
    let upstream = mode.borrow().upstream;
    let Ok(server) = TcpStream::connect(upstream).await else {
        reset(&client);
        return;
    };
    // Small protocol messages must not wait for Nagle's algorithm on top of a fault's delay.
    let _ = (client.set_nodelay(true), server.set_nodelay(true));
    let (mut client_rd, mut client_wr) = client.into_split();
    let (mut server_rd, mut server_wr) = server.into_split();
    let (up, down) = (mode.clone(), mode.clone());
    let reset_ordered = tokio::select! {
        _ = async {
            tokio::try_join!(
                pipe(&mut client_rd, &mut server_wr, up),
                pipe(&mut server_rd, &mut client_wr, down),
            )
        } => false,
        // A reset, or the proxy is gone: either way both sides are cut.
        _ = mode.wait_for(|m| m.reset) => true,
    };
    if reset_ordered {
        reset(client_wr.as_ref());
        reset(server_wr.as_ref());
    }
}

/// Copies one direction, each chunk held until its due time; on end of stream, passes the
/// end on (half-close).
async fn pipe(
    from: &mut OwnedReadHalf,
    to: &mut OwnedWriteHalf,
    mode: watch::Receiver<Mode>,
) -> io::Result<()> {
    let (queue, mut due) = mpsc::channel::<(Instant, Vec<u8>)>(64);
    let read = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = from.read(&mut buf).await?;
            if n == 0 {
                return Ok(()); // dropping `queue` ends the writer once it has drained
            }
            let at = Instant::now() + mode.borrow().delay;
            if queue.send((at, buf[..n].to_vec())).await.is_err() {
                return Ok(());
            }
        }
    };
    let write = async {
        while let Some((at, chunk)) = due.recv().await {
            tokio::time::sleep_until(at).await;
            to.write_all(&chunk).await?;
        }
        to.shutdown().await
    };
    tokio::try_join!(read, write).map(|_| ())
}
