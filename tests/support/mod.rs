//! Shared helpers for the Docker-backed integration tests: a sandbox with a PostgreSQL
//! container, a release's migrations, ledger containers, and small HTTP/SQL shortcuts.
#![allow(dead_code)] // each test file uses a different subset

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bollard::query_parameters::LogsOptionsBuilder;
use futures_util::StreamExt;
use rollcage::db::{DbTarget, MigrationSet};
use rollcage::runtime::{Container, ContainerSpec, Engine, Sandbox};
use rollcage::traffic::{send, Client, Rendered, Response};
use serde_json::Value;
use sqlx::PgPool;

pub const PG15: &str = "rollcage/postgres:15";
pub const PG17: &str = "rollcage/postgres:17";
/// How a ledger container reaches the sandbox's database (role "db" is its network alias).
pub const DATABASE_URL: &str = "postgres://postgres:postgres@db:5432/postgres";
pub const RELEASES: [&str; 10] = [
    "baseline",
    "expand",
    "notnull",
    "notnull-fixed",
    "rename",
    "forward-only",
    "tags",
    "bad",
    "slowstart",
    "flagged",
];

/// A started PostgreSQL container and a pool on it, connected from the host.
pub struct Db {
    pub container: Container,
    pub target: DbTarget,
    pub pool: PgPool,
}

/// A started ledger container and its HTTP address.
pub struct App {
    pub container: Container,
    pub addr: SocketAddr,
}

/// One test's world: its own sandbox (network + containers), a database, an HTTP client.
pub struct World {
    pub engine: Engine,
    pub db: Db,
    pub client: Client,
    // Last, so on a panic the pool closes before the sandbox removes the database.
    pub sandbox: Sandbox,
}

impl World {
    /// A fresh sandbox with a default-credentials database of `image` under role "db".
    pub async fn new(image: &str) -> World {
        let engine = Engine::connect().await.expect("Docker Engine reachable");
        let sandbox = Sandbox::create(&engine).await.expect("sandbox network");
        let db = start_db(&sandbox, "db", image, ("postgres", "postgres", "postgres")).await;
        World { engine, db, client: client(), sandbox }
    }

    /// Applies `release`'s migrations (its full history) and returns the set for reverting.
    pub async fn migrate(&self, release: &str) -> MigrationSet {
        let set = migrations(release).await;
        set.apply(&self.db.pool)
            .await
            .unwrap_or_else(|e| panic!("applying {release}'s migrations: {e:#}"));
        set
    }

    /// Starts `release` against the sandbox's database and waits until it listens.
    pub async fn app(&self, release: &str, env: &[(&str, &str)]) -> App {
        start_app(&self.sandbox, &self.client, release, DATABASE_URL, env).await
    }

    /// Like `app`, then waits until /health is 200.
    pub async fn healthy_app(&self, release: &str, env: &[(&str, &str)]) -> App {
        let app = self.app(release, env).await;
        wait_healthy(&self.client, &self.engine, &app).await;
        app
    }

    pub async fn teardown(self) {
        self.db.pool.close().await;
        self.sandbox.teardown().await.expect("teardown");
    }
}

pub fn client() -> Client {
    Client::new(Duration::from_secs(5))
}

/// Starts PostgreSQL with the given (user, password, database) and connects to it.
pub async fn start_db(sb: &Sandbox, role: &str, image: &str, creds: (&str, &str, &str)) -> Db {
    let (user, password, name) = creds;
    let spec = ContainerSpec::new(role, image)
        .env("POSTGRES_USER", user)
        .env("POSTGRES_PASSWORD", password)
        .env("POSTGRES_DB", name);
    let container = sb.start(&spec).await.expect("database container");
    let target = DbTarget {
        host: container.ip,
        port: 5432,
        user: user.into(),
        password: password.into(),
        name: name.into(),
    };
    let pool = target
        .connect(Duration::from_secs(10))
        .await
        .unwrap_or_else(|e| panic!("connecting to {image}: {e:#}"));
    Db { container, target, pool }
}

pub fn migrations_dir(release: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/ledger/migrations").join(release)
}

pub async fn migrations(release: &str) -> MigrationSet {
    MigrationSet::load(&migrations_dir(release)).await.expect("loading migrations")
}

/// Starts `rollcage/ledger:<release>`; returns once it answers HTTP (/version needs no database).
pub async fn start_app(
    sb: &Sandbox,
    client: &Client,
    release: &str,
    database_url: &str,
    env: &[(&str, &str)],
) -> App {
    let mut spec =
        ContainerSpec::new("app", format!("rollcage/ledger:{release}")).env("DATABASE_URL", database_url);
    for (k, v) in env {
        spec = spec.env(*k, *v);
    }
    let container = sb.start(&spec).await.expect("ledger container");
    let addr = SocketAddr::from((container.ip, 8080));
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if get(client, addr, "/version").await.is_ok() {
            return App { container, addr };
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{release} never listened; logs:\n{}", logs(sb.engine(), &container).await)
}

/// Polls /health until 200 (10 s at most); panics with the last answer and the logs.
pub async fn wait_healthy(client: &Client, engine: &Engine, app: &App) {
    let probe = rollcage::traffic::probe_until_healthy(
        client,
        app.addr,
        "/health",
        Duration::from_millis(10),
        Duration::from_secs(10),
    )
    .await;
    if probe.healthy_at.is_none() {
        let logs = logs(engine, &app.container).await;
        panic!("{} never healthy: {}; logs:\n{logs}", app.container.name, probe.last_answer);
    }
}

/// A container's stdout and stderr so far, for failure messages.
pub async fn logs(engine: &Engine, c: &Container) -> String {
    let options = LogsOptionsBuilder::new().stdout(true).stderr(true).build();
    let chunks: Vec<_> = engine.docker().logs(&c.name, Some(options)).collect().await;
    chunks.into_iter().map(|r| r.map_or_else(|e| format!("<{e}>"), |l| l.to_string())).collect()
}

pub async fn get(client: &Client, addr: SocketAddr, path: &str) -> Result<Response, String> {
    send(client, addr, "GET", path, &Rendered { content_type: None, text: String::new() }).await
}

pub async fn post(client: &Client, addr: SocketAddr, path: &str, body: &Value) -> Result<Response, String> {
    let body = Rendered { content_type: Some("application/json"), text: body.to_string() };
    send(client, addr, "POST", path, &body).await
}

/// GET that must get an HTTP answer; transport errors fail the test.
pub async fn get_ok(client: &Client, addr: SocketAddr, path: &str) -> Response {
    get(client, addr, path).await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

pub async fn post_ok(client: &Client, addr: SocketAddr, body: &Value) -> Response {
    post(client, addr, "/entries", body).await.unwrap_or_else(|e| panic!("POST /entries: {e}"))
}

/// One `entries` row as JSON (whatever columns the table has now), read with SQL.
pub async fn row_json(pool: &PgPool, id: i64) -> Value {
    let text: String = sqlx::query_scalar("SELECT to_jsonb(e)::text FROM entries e WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .expect("reading the row");
    serde_json::from_str(&text).expect("row as JSON")
}

/// Whether `entries` has `column` now.
pub async fn has_column(pool: &PgPool, column: &str) -> bool {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM information_schema.columns \
         WHERE table_name = 'entries' AND column_name = $1)",
    )
    .bind(column)
    .fetch_one(pool)
    .await
    .expect("reading the catalog")
}
