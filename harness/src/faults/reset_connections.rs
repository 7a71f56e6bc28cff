//! Fault `reset-connections`: every app ↔ database connection is reset at once (RST), and
//! each new one too while the fault lasts (a failover of a load balancer, a firewall
//! dropping state); healed by letting connections through again.

use futures_util::future::BoxFuture;

use super::{FaultError, Heal, HealContext, Injected, Kind, ProxyHandle};
use crate::env::{DrillEnv, EnvNeeds};
use crate::scenario::{FaultParams, FaultSpec};
use crate::vocab::FaultKind;

static SPEC: FaultSpec = FaultSpec::new(FaultKind::ResetConnections, |_| {
    "reset app ↔ database connections".into()
})
.heals();

pub struct ResetConnections;

impl Kind for ResetConnections {
    fn spec(&self) -> &'static FaultSpec {
        &SPEC
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
        _p: &'a FaultParams,
    ) -> BoxFuture<'a, Result<Injected, FaultError>> {
        let injected = super::require_proxy(env, FaultKind::ResetConnections).map(|proxy| {
            proxy.reset_all(true);
            let what = format!(
                "every app <-> database connection reset, new ones too (proxy {})",
                proxy.addr()
            );
            Injected::healed_by(what, EndResets { proxy })
        });
        Box::pin(async move { injected })
    }
}

#[derive(Debug)]
struct EndResets {
    proxy: ProxyHandle,
}

impl Heal for EndResets {
    fn heal(self: Box<Self>, _ctx: &HealContext) -> BoxFuture<'_, Result<String, FaultError>> {
        self.proxy.reset_all(false);
        let done = format!("proxy {} lets connections through again", self.proxy.addr());
        Box::pin(async move { Ok(done) })
    }
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::super::latency::tests::echo_server;
    use super::super::ProxyHandle;

    /// What a peer sees once an RST arrived: the call that meets it fails with "reset", a
    /// later write with "broken pipe". A FIN alone fails neither.
    const RESET: [ErrorKind; 2] = [ErrorKind::ConnectionReset, ErrorKind::BrokenPipe];

    async fn echoes(s: &mut TcpStream) -> std::io::Result<()> {
        s.write_all(b"ping").await?;
        let mut buf = [0u8; 4];
        s.read_exact(&mut buf).await.map(|_| ())
    }

    #[tokio::test]
    async fn resets_open_and_new_connections_until_lifted() {
        let upstream = echo_server().await;
        let proxy = ProxyHandle::start("127.0.0.1:0".parse().unwrap(), upstream)
            .await
            .unwrap();
        let mut open = TcpStream::connect(proxy.addr()).await.unwrap();
        echoes(&mut open).await.unwrap();
        proxy.reset_all(true);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let err = echoes(&mut open).await.expect_err("open connection reset");
        assert!(RESET.contains(&err.kind()), "{err}");
        // A new connection is accepted by the kernel, then reset by the proxy.
        let mut new = TcpStream::connect(proxy.addr()).await.unwrap();
        let err = echoes(&mut new).await.expect_err("new connection reset");
        assert!(RESET.contains(&err.kind()), "{err}");
        proxy.reset_all(false);
        let mut after = TcpStream::connect(proxy.addr()).await.unwrap();
        echoes(&mut after).await.unwrap();
    }
}
