//! Fault `latency`: every chunk between the app and the database is held for `delay`, each
//! direction, by the fault proxy (a congested link, a far-away replica); healed by switching
//! the delay off.

use std::time::Duration;

use futures_util::future::BoxFuture;

use super::{FaultError, Heal, HealContext, Injected, Kind, ProxyHandle};
use crate::env::{DrillEnv, EnvNeeds};
use crate::scenario::{FaultParams, FaultSpec, Param, ParamType, ParamValue, Scenario};
use crate::vocab::FaultKind;

/// How long each chunk is held, each direction.
const DELAY: Param = Param {
    name: "delay",
    ty: ParamType::Duration {
        default: Duration::from_millis(200),
    },
};

static SPEC: FaultSpec = FaultSpec::new(FaultKind::Latency, plan)
    .params(&[DELAY])
    .heals();

fn plan(p: &FaultParams) -> String {
    let delay = humantime::format_duration(DELAY.duration(p));
    format!("delay app ↔ database traffic by {delay}")
}

pub struct Latency;

impl Kind for Latency {
    fn spec(&self) -> &'static FaultSpec {
        &SPEC
    }

    /// 50 ms to 350 ms.
    fn generate(&self, _s: &Scenario, choice: u32) -> FaultParams {
        let mut p = FaultParams::default();
        let delay = Duration::from_millis(50 + 100 * u64::from(choice));
        DELAY.set(&mut p, ParamValue::Duration(delay));
        p
    }

    /// The fault proxy in the app ↔ database path.
    fn needs(&self) -> EnvNeeds {
        EnvNeeds {
            proxy: true,
            ..EnvNeeds::default()
        }
    }

    fn inject<'a>(
        &'a self,
        env: &'a mut DrillEnv,
        p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>> {
        let delay = DELAY.duration(p);
        let injected = super::require_proxy(env, FaultKind::Latency).map(|proxy| {
            proxy.set_latency(delay);
            let what = format!(
                "app <-> database delayed by {delay:?} each way (proxy {})",
                proxy.addr()
            );
            Injected::healed_by(what, EndLatency { proxy })
        });
        Box::pin(async move { injected })
    }
}

#[derive(Debug)]
struct EndLatency {
    proxy: ProxyHandle,
}

impl Heal for EndLatency {
    fn heal(self: Box<Self>, _ctx: &HealContext) -> BoxFuture<'_, Result<String, FaultError>> {
        self.proxy.set_latency(Duration::ZERO);
        let done = format!("proxy {} no longer delays", self.proxy.addr());
        Box::pin(async move { Ok(done) })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::net::SocketAddr;
    use std::time::{Duration, Instant};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    use super::super::ProxyHandle;

    /// A loopback echo server: what comes in goes back out.
    pub(crate) async fn echo_server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 1024];
                    while let Ok(n @ 1..) = s.read(&mut buf).await {
                        if s.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        addr
    }

    async fn round_trip(s: &mut TcpStream) -> Duration {
        let start = Instant::now();
        s.write_all(b"ping").await.unwrap();
        let mut buf = [0u8; 4];
        s.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"ping");
        start.elapsed()
    }

    #[tokio::test]
    async fn delays_each_direction_on_open_connections_until_switched_off() {
        let upstream = echo_server().await;
        let proxy = ProxyHandle::start("127.0.0.1:0".parse().unwrap(), upstream)
            .await
            .unwrap();
        let mut s = TcpStream::connect(proxy.addr()).await.unwrap();
        assert!(round_trip(&mut s).await < Duration::from_millis(50));
        proxy.set_latency(Duration::from_millis(100));
        let slow = round_trip(&mut s).await;
        // One chunk each way: twice the delay.
        assert!(slow >= Duration::from_millis(200), "{slow:?}");
        assert!(slow < Duration::from_millis(400), "{slow:?}");
        proxy.pass_through();
        assert!(round_trip(&mut s).await < Duration::from_millis(50));
    }
}
