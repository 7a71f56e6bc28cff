//! The ledger fixture's rollback traps, each proved against real containers and PostgreSQL.
mod support;

use std::time::{Duration, Instant};

use futures_util::{future::join_all, stream, StreamExt};
use rollcage::db::{applied_version, DbError, DbTarget};
use serde_json::json;
use support::*;

/// Every release starts on its own schema, and its migrations go up, down and up again.
#[tokio::test]
async fn every_release_starts_and_migrates_both_ways() {
    let world = World::new(PG15).await;
    // One database per release in one server: schemas differ, and ten servers would be slow.
    let w = &world;
    let check = move |release: &'static str| async move {
        sqlx::query(&format!("CREATE DATABASE \"{release}\"")).execute(&w.db.pool).await.unwrap();
        let target = DbTarget { name: release.into(), ..w.db.target.clone() };
        let pool = target.connect(Duration::from_secs(5)).await.unwrap();
        let set = migrations(release).await;
        set.apply(&pool).await.unwrap();
        assert_eq!(applied_version(&pool).await.unwrap(), set.latest_version(), "{release}");
        let url = format!("postgres://postgres:postgres@db:5432/{release}");
        let delay = [("LEDGER_READY_DELAY_MS", "0")];
        let app = start_app(&w.sandbox, &w.client, release, &url, &delay).await;
        wait_healthy(&w.client, &w.engine, &app).await;
        let version = get_ok(&w.client, app.addr, "/version").await.json();
        assert_eq!(version["release"], release);
        assert_eq!(version["schema_version"], set.latest_version(), "{release}");

        if release == "forward-only" {
            // Refused before touching anything: version 2 stays applied, memo stays gone.
            match set.revert_to(&pool, 0).await {
                Err(e @ DbError::NoDownMigration { version: 2, .. }) => {
                    assert!(e.to_string().contains("migration 2"), "{e}")
                }
                other => panic!("forward-only revert_to(0) must fail on version 2: {other:?}"),
            }
            assert_eq!(applied_version(&pool).await.unwrap(), 2);
            assert_eq!(set.irreversible_above(0).len(), 1);
        } else {
            set.revert_to(&pool, 0).await.unwrap();
            assert_eq!(applied_version(&pool).await.unwrap(), 0, "{release}");
            let health = get_ok(&w.client, app.addr, "/health").await;
            assert_eq!(health.status, 503, "{release} without a table: {}", health.body);
            set.apply(&pool).await.unwrap();
            assert_eq!(applied_version(&pool).await.unwrap(), set.latest_version());
            assert_eq!(get_ok(&w.client, app.addr, "/health").await.status, 200, "{release}");
        }
        pool.close().await;
    };
    join_all(RELEASES.map(check)).await;
    world.teardown().await;
}

/// Both PostgreSQL images run their own major version and honour custom credentials.
#[tokio::test]
async fn postgres_images_versions_and_credentials() {
    let w = World::new(PG15).await;
    // PG17 takes role "db" in a second sandbox, so the ledger's `db` alias is unambiguous.
    let sb17 = rollcage::runtime::Sandbox::create(&w.engine).await.unwrap();
    let creds15 = ("ledger_admin", "it's-secret", "books");
    let creds17 = ("owner17", "pw17", "ledger17");
    let pg15 = start_db(&w.sandbox, "pg15", PG15, creds15).await;
    let pg17 = start_db(&sb17, "db", PG17, creds17).await;
    for (db, major, (user, _, name)) in [(&pg15, "15", creds15), (&pg17, "17", creds17)] {
        let version: String = sqlx::query_scalar("SELECT version()").fetch_one(&db.pool).await.unwrap();
        assert!(version.starts_with(&format!("PostgreSQL {major}.")), "{version}");
        let (who, dbname): (String, String) = sqlx::query_as("SELECT current_user::text, current_database()::text")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!((who.as_str(), dbname.as_str()), (user, name));
        // The password is really checked (scram over TCP), not trusted.
        let wrong = DbTarget { password: "wrong".into(), ..db.target.clone() };
        assert!(wrong.connect(Duration::ZERO).await.is_err(), "PG{major} accepted a wrong password");
    }

    migrations("baseline").await.apply(&pg17.pool).await.unwrap();
    let url = "postgres://owner17:pw17@db:5432/ledger17";
    let app = start_app(&sb17, &w.client, "baseline", url, &[]).await;
    wait_healthy(&w.client, &w.engine, &app).await;
    let created = post_ok(&w.client, app.addr, &json!({"account": "a", "amount": 17})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(row_json(&pg17.pool, created.json()["id"].as_i64().unwrap()).await["amount"], 17);

    pg15.pool.close().await;
    pg17.pool.close().await;
    sb17.teardown().await.unwrap();
    w.teardown().await;
}

/// notnull: baseline stays "healthy" while every write fails; notnull-fixed's default saves it.
#[tokio::test]
async fn notnull_breaks_baseline_writes_but_not_health() {
    let w = World::new(PG15).await;
    let notnull = w.migrate("notnull").await;
    let app = w.healthy_app("baseline", &[]).await;
    let entry = json!({"account": "acc", "amount": 5, "memo": "m"});
    let failed = post_ok(&w.client, app.addr, &entry).await;
    assert_eq!(failed.status, 500, "{}", failed.body);
    assert!(failed.body.contains(r#"null value in column \"currency\""#), "{}", failed.body);
    assert!(failed.body.contains("not-null constraint"), "{}", failed.body);
    // The trap: health and reads still look fine.
    assert_eq!(get_ok(&w.client, app.addr, "/health").await.status, 200);
    assert_eq!(get_ok(&w.client, app.addr, "/entries").await.status, 200);

    // Swap in the fixed migration (same version, DEFAULT 'EUR') under the running baseline.
    notnull.revert_to(&w.db.pool, 1).await.unwrap();
    w.migrate("notnull-fixed").await;
    let created = post_ok(&w.client, app.addr, &entry).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let read = get_ok(&w.client, app.addr, &format!("/entries/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!((read.json()["account"].clone(), read.json()["memo"].clone()), (json!("acc"), json!("m")));
    assert_eq!(row_json(&w.db.pool, id).await["currency"], "EUR");
    w.teardown().await;
}

/// rename: baseline cannot run on the renamed column; the down migration restores it.
#[tokio::test]
async fn rename_breaks_baseline_until_reverted() {
    let w = World::new(PG15).await;
    let rename = w.migrate("rename").await;
    sqlx::query("INSERT INTO entries (account, amount, description) VALUES ('old', 1, 'kept')")
        .execute(&w.db.pool)
        .await
        .unwrap();
    let app = w.app("baseline", &[]).await;
    let health = get_ok(&w.client, app.addr, "/health").await;
    assert_eq!(health.status, 503);
    assert!(health.body.contains("missing columns: memo"), "{}", health.body);
    let list = get_ok(&w.client, app.addr, "/entries").await;
    assert_eq!(list.status, 500);
    assert!(list.body.contains(r#"column \"memo\" does not exist"#), "{}", list.body);

    rename.revert_to(&w.db.pool, 1).await.unwrap();
    assert_eq!(get_ok(&w.client, app.addr, "/health").await.status, 200);
    let list = get_ok(&w.client, app.addr, "/entries").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json()[0]["memo"], "kept", "renaming back keeps the data");
    let created = post_ok(&w.client, app.addr, &json!({"account": "new", "amount": 2})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    w.teardown().await;
}

/// forward-only: memo is dropped for good; baseline breaks and the schema cannot go back.
#[tokio::test]
async fn forward_only_cannot_be_reverted() {
    let w = World::new(PG15).await;
    let set = w.migrate("forward-only").await;
    let app = w.app("baseline", &[]).await;
    let health = get_ok(&w.client, app.addr, "/health").await;
    assert_eq!(health.status, 503);
    assert!(health.body.contains("missing columns: memo"), "{}", health.body);
    let post = post_ok(&w.client, app.addr, &json!({"account": "a", "amount": 1, "memo": "m"})).await;
    assert_eq!(post.status, 500);
    assert!(post.body.contains(r#"column \"memo\" of relation \"entries\" does not exist"#), "{}", post.body);

    let err = set.revert_to(&w.db.pool, 1).await.expect_err("no down migration");
    assert!(matches!(err, DbError::NoDownMigration { version: 2, .. }), "{err:?}");
    assert_eq!(applied_version(&w.db.pool).await.unwrap(), 2);
    assert!(!has_column(&w.db.pool, "memo").await);
    assert_eq!(get_ok(&w.client, app.addr, "/health").await.status, 503);
    w.teardown().await;
}

/// tags: the down migration silently discards every tag written.
#[tokio::test]
async fn tags_down_migration_discards_data() {
    let w = World::new(PG15).await;
    let set = w.migrate("tags").await;
    let app = w.healthy_app("tags", &[]).await;
    let created = post_ok(&w.client, app.addr, &json!({"account": "t", "amount": 3, "tags": "red,blue"})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    assert_eq!(row_json(&w.db.pool, id).await["tags"], "red,blue");

    set.revert_to(&w.db.pool, 1).await.unwrap();
    let row = row_json(&w.db.pool, id).await;
    assert_eq!(row["account"], "t", "the row survives");
    assert!(row.get("tags").is_none(), "the column and its data are gone: {row}");

    // Re-deploying tags finds the row without its tags.
    set.apply(&w.db.pool).await.unwrap();
    let read = get_ok(&w.client, app.addr, &format!("/entries/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json()["tags"], serde_json::Value::Null);
    w.teardown().await;
}

/// bad: healthy, but ~30% of writes fail (writing nothing) and every write is slow.
#[tokio::test]
async fn bad_release_fails_a_fraction_of_writes_slowly() {
    const N: usize = 300;
    const LATENCY_MS: u64 = 100;
    let w = World::new(PG15).await;
    w.migrate("bad").await;
    let env = [("LEDGER_FAIL_RATE", "0.3"), ("LEDGER_EXTRA_LATENCY_MS", "100")];
    let app = w.healthy_app("bad", &env).await;
    let (client, addr) = (&w.client, app.addr);
    let results: Vec<(u16, String, Duration)> = stream::iter(0..N)
        .map(|i| async move {
            let sent = Instant::now();
            let r = post_ok(client, addr, &json!({"account": format!("b{i}"), "amount": i})).await;
            (r.status, r.body, sent.elapsed())
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let created = results.iter().filter(|r| r.0 == 201).count();
    let failed: Vec<_> = results.iter().filter(|r| r.0 == 500).collect();
    assert_eq!(created + failed.len(), N, "only 201 and 500 expected");
    assert!(failed.iter().all(|r| r.1.contains("injected failure")), "{:?}", failed.first());
    // sd = sqrt(0.3 * 0.7 / 300) ≈ 0.026; ±0.09 is ~3.4 sd.
    let fraction = failed.len() as f64 / N as f64;
    assert!((fraction - 0.3).abs() <= 0.09, "500 fraction {fraction}");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM entries").fetch_one(&w.db.pool).await.unwrap();
    assert_eq!(rows as usize, created, "a failed write must leave no row");
    let mut latencies: Vec<Duration> = results.iter().map(|r| r.2).collect();
    latencies.sort();
    assert!(latencies[N / 2] >= Duration::from_millis(LATENCY_MS), "median {:?}", latencies[N / 2]);
    w.teardown().await;
}

/// slowstart: listens at once, answers 503 until the delay has passed, then 200.
#[tokio::test]
async fn slowstart_is_unready_for_its_delay() {
    const DELAY: Duration = Duration::from_millis(1500);
    let w = World::new(PG15).await;
    w.migrate("slowstart").await;
    let spec = rollcage::runtime::ContainerSpec::new("app", "rollcage/ledger:slowstart")
        .env("DATABASE_URL", DATABASE_URL)
        .env("LEDGER_READY_DELAY_MS", "1500");
    // Taken before the engine is asked, so the process cannot have started earlier.
    let started = Instant::now();
    let container = w.sandbox.start(&spec).await.unwrap();
    let addr = std::net::SocketAddr::from((container.ip, 8080));
    let mut answers = Vec::new();
    let healthy_after = loop {
        let r = get(&w.client, addr, "/health").await;
        let elapsed = started.elapsed();
        match r {
            Ok(r) if r.status == 200 => break elapsed,
            other => answers.push(other),
        }
        assert!(elapsed < Duration::from_secs(5), "never healthy: {:?}", answers.last());
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert!(healthy_after >= DELAY, "healthy after {healthy_after:?}");
    assert!(healthy_after <= DELAY + Duration::from_millis(600), "healthy after {healthy_after:?}");
    // Connection errors only before the first answer; every answer until ready is a 503.
    let listening = answers.iter().position(Result::is_ok).expect("some 503 before ready");
    for a in &answers[listening..] {
        let r = a.as_ref().expect("no transport error once listening");
        assert_eq!(r.status, 503, "{}", r.body);
        assert!(r.body.contains("starting: ready in"), "{}", r.body);
    }
    w.teardown().await;
}

/// flagged: the schema may only be reverted once the flag is off.
#[tokio::test]
async fn flagged_schema_revert_needs_flag_off() {
    let w = World::new(PG15).await;
    let set = w.migrate("flagged").await;
    let on = w.healthy_app("flagged", &[("LEDGER_FLAG_CHANNEL", "on")]).await;
    assert_eq!(get_ok(&w.client, on.addr, "/version").await.json()["flags"]["channel"], "on");
    let created = post_ok(&w.client, on.addr, &json!({"account": "f", "amount": 1, "channel": "web"})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    assert_eq!(get_ok(&w.client, on.addr, &format!("/entries/{id}")).await.json()["channel"], "web");

    set.revert_to(&w.db.pool, 1).await.unwrap();
    let health = get_ok(&w.client, on.addr, "/health").await;
    assert_eq!(health.status, 503);
    assert!(health.body.contains("missing columns: channel"), "{}", health.body);
    let post = post_ok(&w.client, on.addr, &json!({"account": "f", "amount": 2, "channel": "web"})).await;
    assert_eq!(post.status, 500);
    assert!(post.body.contains(r#"column \"channel\" of relation \"entries\" does not exist"#), "{}", post.body);

    // The same release with the flag off is baseline-compatible.
    let off = w.healthy_app("flagged", &[("LEDGER_FLAG_CHANNEL", "off")]).await;
    assert_eq!(get_ok(&w.client, off.addr, "/version").await.json()["flags"]["channel"], "off");
    let post = post_ok(&w.client, off.addr, &json!({"account": "f", "amount": 3})).await;
    assert_eq!(post.status, 201, "{}", post.body);
    w.teardown().await;
}
