//! A drill environment for the fault tests, built by the library itself: the reference
//! scenario with one fault, `DrillEnv::start` (so a fault proxy or a tmpfs comes with the
//! faults that need them), baseline's migrations applied and baseline serving.

use std::path::Path;
use std::time::{Duration, Instant};

use rollcage::internals::faults;
use rollcage::internals::DrillEnv;
use rollcage::internals::MigrationSet;
use rollcage::internals::{send, Client, Rendered, Response};
use rollcage::internals::{HealContext, Injected};
use rollcage::runtime::Engine;
use rollcage::scenario::{Fault, Phase, Scenario, ScheduledFault};
use serde_json::json;

/// One fault test's world. `teardown` removes it; the sandbox's drop guard does on a panic.
pub struct Drill {
    pub s: Scenario,
    pub env: DrillEnv,
    pub ctx: HealContext,
    pub client: Client,
}

/// Starts the reference drill's database and baseline release, with `fault` scheduled.
pub async fn drill(fault: Fault) -> Drill {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut s = Scenario::load(&root.join("scenarios/reference.toml")).expect("reference.toml");
    let duration = faults::heals(&fault).then_some(Duration::from_secs(1));
    s.faults = vec![ScheduledFault {
        at: Phase::AfterDeploy,
        fault,
        duration,
    }];
    let engine = Engine::connect().await.expect("Docker Engine reachable");
    let mut env = DrillEnv::start(&engine, &s, faults::needs(&s))
        .await
        .expect("drill environment");
    let migrations = MigrationSet::load(&root.join("fixtures/ledger/migrations/baseline")).await;
    let applied = migrations
        .expect("baseline migrations")
        .apply(&env.pool)
        .await;
    applied.expect("applying baseline's migrations");
    let baseline = s.from_release().clone();
    let image = env.images[&baseline.name].clone();
    let launched = env
        .launch(&s, &baseline, &image, false)
        .await
        .expect("baseline app");
    let probe = &launched.probe;
    assert!(
        probe.healthy_at.is_some(),
        "baseline never healthy: {}",
        probe.last_answer
    );
    let app = launched.container.expect("baseline running");
    env.cut_over(&s, app, &baseline.name)
        .await
        .expect("cut over");
    let ctx = HealContext::of(&env, &s);
    let client = Client::new(Duration::from_secs(3));
    Drill {
        s,
        env,
        ctx,
        client,
    }
}

impl Drill {
    /// Injects the scheduled fault.
    pub async fn inject(&mut self) -> Injected {
        let f = self.s.faults[0].clone();
        let injected = faults::inject(&mut self.env, &f).await;
        injected.unwrap_or_else(|e| panic!("injecting {}: {e:#?}", f.fault.kind()))
    }

    /// Heals it, as the engine's background task would.
    pub async fn heal(&self, injected: Injected) -> String {
        let action = injected.heal.expect("the fault heals");
        faults::heal(&self.ctx, action)
            .await
            .unwrap_or_else(|e| panic!("healing: {e:#?}"))
    }

    /// The serving container's name.
    pub fn app_name(&self) -> String {
        self.env.app.as_ref().expect("an app serves").0.name.clone()
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<Response, String> {
        let addr = self.env.endpoint.get().ok_or("no endpoint")?;
        let content_type = body.as_ref().map(|_| "application/json");
        let body = Rendered {
            content_type,
            text: body.unwrap_or_default(),
        };
        send(&self.client, addr, method, path, &body).await
    }

    /// POST /entries with a fresh account name.
    pub async fn post(&self, n: u64) -> Result<Response, String> {
        let body = json!({ "account": format!("fault-{n}"), "amount": n, "memo": "fault test" });
        self.request("POST", "/entries", Some(body.to_string()))
            .await
    }

    /// POST /entries that must be acknowledged; returns the new row's id.
    pub async fn create(&self, n: u64) -> i64 {
        let r = self.post(n).await.expect("POST /entries answered");
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_i64().expect("numeric id")
    }

    pub async fn health(&self) -> Result<u16, String> {
        self.request("GET", "/health", None).await.map(|r| r.status)
    }

    /// Polls `check` every 20 ms until it holds; returns how long that took. Panics after
    /// `within`, naming `what`.
    pub async fn until<F, Fut>(&self, what: &str, within: Duration, mut check: F) -> Duration
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let start = Instant::now();
        while start.elapsed() < within {
            if check().await {
                return start.elapsed();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("{what}: not within {within:?}")
    }

    /// Until /health answers 200 (10 s at most).
    pub async fn until_healthy(&self) -> Duration {
        self.until("healthy", Duration::from_secs(10), || async {
            self.health().await == Ok(200)
        })
        .await
    }

    /// Until POST /entries is acknowledged (10 s at most).
    pub async fn until_writes(&self) -> Duration {
        let ok = || async { self.post(0).await.is_ok_and(|r| r.status == 201) };
        self.until("writes acknowledged", Duration::from_secs(10), ok)
            .await
    }

    pub async fn teardown(self) {
        self.env.teardown().await.expect("teardown");
    }
}
