//! Shared helpers for the Docker-backed integration tests: a sandbox with a PostgreSQL
//! container, a release's migrations, ledger containers, and small HTTP/SQL shortcuts.
#![allow(dead_code)] // each test file uses a different subset

pub mod drill_env;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bollard::container::LogOutput;
use bollard::query_parameters::LogsOptionsBuilder;
use futures_util::StreamExt;
use rollcage::internals::{probe_until_healthy, send, Client, Rendered, Response};
use rollcage::internals::{DbTarget, MigrationSet};
use rollcage::runtime::{Container, ContainerSpec, Engine, Sandbox};
use serde_json::Value;
use sqlx::PgPool;

pub const PG15: &str = "rollcage/postgres:15";
pub const PG17: &str = "rollcage/postgres:17";
/// How a ledger container reaches the sandbox's database (role "db" is its network alias).
pub const DATABASE_URL: &str = "postgres://postgres:postgres@db:5432/postgres";
pub const DEFAULT_CREDS: (&str, &str, &str) = ("postgres", "postgres", "postgres");
pub const RELEASES: [&str; 12] = [
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
    "decimal",
    "zero-as-null",
];

/// A started PostgreSQL container and a pool on it, connected from the host.
pub struct Db {
    pub container: Container,
    pub target: DbTarget,
    pub pool: PgPool,
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
        let db = start_db(&sandbox, "db", image, DEFAULT_CREDS).await;
        let client = Client::new(Duration::from_secs(5));
        World {
            engine,
            db,
            client,
            sandbox,
        }
    }

    /// Applies `release`'s migrations (its full history) and returns the set for reverting.
    pub async fn migrate(&self, release: &str) -> MigrationSet {
        let set = migrations(release).await;
        let applied = set.apply(&self.db.pool).await;
        applied.unwrap_or_else(|e| panic!("applying {release}'s migrations: {e:#}"));
        set
    }

    /// Starts `release` against the sandbox's database; returns once it listens.
    pub async fn app(&self, release: &str, env: &[(&str, &str)]) -> App {
        start_app(&self.sandbox, &self.client, release, DATABASE_URL, env).await
    }

    /// Like `app`, then waits until /health is 200.
    pub async fn healthy_app(&self, release: &str, env: &[(&str, &str)]) -> App {
        let app = self.app(release, env).await;
        app.wait_healthy(&self.engine).await;
        app
    }

    pub async fn sql(&self, statement: &str) {
        let done = sqlx::query(statement).execute(&self.db.pool).await;
        done.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }

    /// One `entries` row as JSON, with whatever columns the table has now.
    pub async fn row(&self, id: i64) -> Value {
        let sql = "SELECT to_jsonb(e)::text FROM entries e WHERE id = $1";
        let text: String = sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(&self.db.pool)
            .await
            .unwrap();
        serde_json::from_str(&text).expect("row as JSON")
    }

    pub async fn has_column(&self, column: &str) -> bool {
        let sql = "SELECT EXISTS (SELECT 1 FROM information_schema.columns \
                   WHERE table_name = 'entries' AND column_name = $1)";
        sqlx::query_scalar(sql)
            .bind(column)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    pub async fn teardown(self) {
        self.db.pool.close().await;
        self.sandbox.teardown().await.expect("teardown");
    }
}

/// Starts PostgreSQL with the given (user, password, database) and connects to it.
pub async fn start_db(sb: &Sandbox, role: &str, image: &str, creds: (&str, &str, &str)) -> Db {
    let (user, password, name) = creds;
    let spec = ContainerSpec::new(role, image)
        .env("POSTGRES_USER", user)
        .env("POSTGRES_PASSWORD", password)
        .env("POSTGRES_DB", name);
    let container = sb.start(&spec).await.expect("database container");
    let (user, password, name) = (user.into(), password.into(), name.into());
    let target = DbTarget {
        host: container.ip,
        port: 5432,
        user,
        password,
        name,
    };
    let pool = target.connect(Duration::from_secs(10)).await;
    let pool = pool.unwrap_or_else(|e| panic!("connecting to {image}: {e:#}"));
    Db {
        container,
        target,
        pool,
    }
}

pub fn migrations_dir(release: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    root.join("fixtures/ledger/migrations").join(release)
}

pub async fn migrations(release: &str) -> MigrationSet {
    MigrationSet::load(&migrations_dir(release))
        .await
        .expect("loading migrations")
}

/// A started ledger container, and HTTP against it.
pub struct App {
    pub container: Container,
    pub addr: SocketAddr,
    pub client: Client,
}

/// Starts `rollcage/ledger:<release>`; returns once it answers /version (no database needed).
pub async fn start_app(
    sb: &Sandbox,
    client: &Client,
    release: &str,
    database_url: &str,
    env: &[(&str, &str)],
) -> App {
    let image = format!("rollcage/ledger:{release}");
    let mut spec = ContainerSpec::new("app", image).env("DATABASE_URL", database_url);
    let owned = env.iter().map(|(k, v)| (k.to_string(), v.to_string()));
    spec.env.extend(owned);
    let app = App::new(sb.start(&spec).await.expect("ledger container"), client);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if app.try_get("/version").await.is_ok() {
            return app;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "{release} never listened; logs:\n{}",
        logs(sb.engine(), &app.container).await
    )
}

impl App {
    pub fn new(container: Container, client: &Client) -> App {
        let addr = SocketAddr::from((container.ip, 8080));
        let client = client.clone();
        App {
            container,
            addr,
            client,
        }
    }

    pub async fn try_get(&self, path: &str) -> Result<Response, String> {
        let none = Rendered {
            content_type: None,
            text: String::new(),
        };
        send(&self.client, self.addr, "GET", path, &none).await
    }

    /// GET that must get an HTTP answer; transport errors fail the test.
    pub async fn get(&self, path: &str) -> Response {
        let answer = self.try_get(path).await;
        answer.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// POST /entries with a JSON body.
    pub async fn post(&self, body: Value) -> Response {
        let body = Rendered {
            content_type: Some("application/json"),
            text: body.to_string(),
        };
        let answer = send(&self.client, self.addr, "POST", "/entries", &body).await;
        answer.unwrap_or_else(|e| panic!("POST /entries: {e}"))
    }

    /// GET `path`, asserting its status and that the body mentions `needle`.
    pub async fn check(&self, path: &str, status: u16, needle: &str) -> Response {
        let r = self.get(path).await;
        let what = format!("GET {path} on {}", self.container.name);
        expect_in(&what, &r, status, needle);
        r
    }

    /// POST /entries, asserting its status and that the body mentions `needle`.
    pub async fn check_post(&self, body: Value, status: u16, needle: &str) -> Response {
        let r = self.post(body).await;
        expect_in("POST /entries", &r, status, needle);
        r
    }

    /// POST /entries that must answer 201; returns the new row's id.
    pub async fn create(&self, body: Value) -> i64 {
        let r = self.check_post(body, 201, "\"id\"").await;
        r.json()["id"].as_i64().expect("numeric id")
    }

    /// Polls /health until 200 (10 s at most); panics with the last answer and the logs.
    pub async fn wait_healthy(&self, engine: &Engine) {
        let (every, within) = (Duration::from_millis(10), Duration::from_secs(10));
        let probe = probe_until_healthy(&self.client, self.addr, "/health", every, within).await;
        if probe.healthy_at.is_none() {
            let logs = logs(engine, &self.container).await;
            panic!(
                "{} never healthy: {}; logs:\n{logs}",
                self.container.name, probe.last_answer
            );
        }
    }
}

/// Asserts a response's status and that its body mentions `needle` (JSON quotes unescaped).
#[track_caller]
pub fn expect(r: &Response, status: u16, needle: &str) {
    expect_in("response", r, status, needle)
}

#[track_caller]
fn expect_in(what: &str, r: &Response, status: u16, needle: &str) {
    let text = r.body.replace("\\\"", "\"");
    assert_eq!(r.status, status, "{what}: {}", r.body);
    assert!(
        text.contains(needle),
        "{what}: expected {needle:?} in {}",
        r.body
    );
}

/// A container's stdout and stderr so far, for failure messages.
pub async fn logs(engine: &Engine, c: &Container) -> String {
    let options = LogsOptionsBuilder::new().stdout(true).stderr(true).build();
    let chunks: Vec<_> = engine.docker().logs(&c.name, Some(options)).collect().await;
    let text = |r: Result<LogOutput, _>| r.map_or_else(|e| format!("<{e}>"), |l| l.to_string());
    chunks.into_iter().map(text).collect()
}
