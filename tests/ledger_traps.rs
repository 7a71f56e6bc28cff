//! The ledger fixture's rollback traps, each proved against real containers and PostgreSQL.
mod support;

use std::time::{Duration, Instant};

use futures_util::{future::join_all, stream, StreamExt};
use rollcage::internals::{applied_version, DbError};
use rollcage::runtime::{ContainerSpec, Sandbox};
use serde_json::{json, Value};
use sqlx::PgPool;
use support::*;

async fn version(pool: &PgPool) -> i64 {
    applied_version(pool).await.unwrap()
}

/// Every release starts on its own schema, and its migrations go up, down and up again.
#[tokio::test]
async fn every_release_starts_and_migrates_both_ways() {
    let world = World::new(PG15).await;
    let w = &world;
    // One database per release in one server: schemas differ, and ten servers would be slow.
    // Created one at a time: CREATE DATABASE copies a template, and ten at once can hold the
    // world's small pool past its acquire timeout on a busy machine.
    for release in RELEASES {
        w.sql(&format!("CREATE DATABASE \"{release}\"")).await;
    }
    let check = move |release: &'static str| async move {
        let mut target = w.db.target.clone();
        target.name = release.into();
        let pool = &target.connect(Duration::from_secs(5)).await.unwrap();
        let set = migrations(release).await;
        set.apply(pool).await.unwrap();
        assert_eq!(version(pool).await, set.latest_version(), "{release}");
        let url = format!("postgres://postgres:postgres@db:5432/{release}");
        let env = [("LEDGER_READY_DELAY_MS", "0")];
        let app = start_app(&w.sandbox, &w.client, release, &url, &env).await;
        app.wait_healthy(&w.engine).await;
        let about = app.get("/version").await.json();
        assert_eq!(about["release"], release);
        assert_eq!(about["schema_version"], set.latest_version(), "{release}");

        if release == "forward-only" {
            // Refused before touching anything: version 2 stays applied.
            let err = set.revert_to(pool, 0).await.expect_err("no down migration");
            assert!(matches!(err, DbError::NoDownMigration { version: 2, .. }));
            assert!(err.to_string().starts_with("migration 2 "), "{err}");
            assert_eq!(version(pool).await, 2);
        } else {
            set.revert_to(pool, 0).await.unwrap();
            assert_eq!(version(pool).await, 0, "{release}");
            app.check("/health", 503, "entries does not exist").await;
            set.apply(pool).await.unwrap();
            assert_eq!(version(pool).await, set.latest_version(), "{release}");
            app.check("/health", 200, release).await;
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
    // PG17 is role "db" of a second sandbox, so the ledger's `db` alias is unambiguous.
    let sb17 = Sandbox::create(&w.engine).await.unwrap();
    let creds15 = ("ledger_admin", "it's-secret", "books");
    let creds17 = ("owner17", "pw17", "ledger17");
    let pg15 = start_db(&w.sandbox, "pg15", PG15, creds15).await;
    let pg17 = start_db(&sb17, "db", PG17, creds17).await;
    for (db, major, (user, _, name)) in [(&pg15, 15, creds15), (&pg17, 17, creds17)] {
        let sql = "SELECT version(), current_user::text, current_database()::text";
        let row: (String, String, String) = sqlx::query_as(sql).fetch_one(&db.pool).await.unwrap();
        let prefix = format!("PostgreSQL {major}.");
        assert!(row.0.starts_with(&prefix), "{}", row.0);
        assert_eq!((row.1.as_str(), row.2.as_str()), (user, name));
        // The password is really checked over TCP, not trusted.
        let mut wrong = db.target.clone();
        wrong.password = "wrong".into();
        let refused = wrong.connect(Duration::ZERO).await.is_err();
        assert!(refused, "PG{major} accepted a wrong password");
    }

    let baseline = migrations("baseline").await;
    baseline.apply(&pg17.pool).await.unwrap();
    let url = "postgres://owner17:pw17@db:5432/ledger17";
    let app = start_app(&sb17, &w.client, "baseline", url, &[]).await;
    app.wait_healthy(&w.engine).await;
    let id = app.create(json!({"account": "a", "amount": 17})).await;
    let path = format!("/entries/{id}");
    app.check(&path, 200, "\"amount\":17").await;

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
    let failed = app.post(entry.clone()).await;
    expect(&failed, 500, r#"null value in column "currency""#);
    expect(&failed, 500, "violates not-null constraint");
    // The trap: health and reads still look fine.
    app.check("/health", 200, "ok").await;
    app.check("/entries", 200, "[]").await;

    // Swap in the fixed migration (same version, DEFAULT 'EUR') under the running baseline.
    notnull.revert_to(&w.db.pool, 1).await.unwrap();
    w.migrate("notnull-fixed").await;
    let id = app.create(entry).await;
    let read = app.get(&format!("/entries/{id}")).await.json();
    assert_eq!(
        (&read["account"], &read["memo"]),
        (&"acc".into(), &"m".into())
    );
    assert_eq!(w.row(id).await["currency"], "EUR");
    w.teardown().await;
}

/// rename: baseline cannot run on the renamed column; the down migration restores it.
#[tokio::test]
async fn rename_breaks_baseline_until_reverted() {
    let w = World::new(PG15).await;
    let rename = w.migrate("rename").await;
    w.sql("INSERT INTO entries (account, amount, description) VALUES ('o', 1, 'm')")
        .await;
    let app = w.app("baseline", &[]).await;
    app.check("/health", 503, "missing columns: memo").await;
    app.check("/entries", 500, r#""memo" does not exist"#).await;

    rename.revert_to(&w.db.pool, 1).await.unwrap();
    app.check("/health", 200, "baseline").await;
    // Renaming back keeps the data written under the new name.
    app.check("/entries", 200, r#""memo":"m""#).await;
    app.create(json!({"account": "new", "amount": 2})).await;
    w.teardown().await;
}

/// forward-only: memo is dropped for good; baseline breaks and the schema cannot go back.
#[tokio::test]
async fn forward_only_cannot_be_reverted() {
    let w = World::new(PG15).await;
    let set = w.migrate("forward-only").await;
    let app = w.app("baseline", &[]).await;
    app.check("/health", 503, "missing columns: memo").await;
    let entry = json!({"account": "a", "amount": 1, "memo": "m"});
    let missing = r#"column "memo" of relation "entries" does not exist"#;
    app.check_post(entry, 500, missing).await;

    let err = set.revert_to(&w.db.pool, 1).await.unwrap_err();
    let no_down = matches!(err, DbError::NoDownMigration { version: 2, .. });
    assert!(no_down, "{err:?}");
    assert_eq!(set.irreversible_above(1).len(), 1);
    // Nothing was touched: still at version 2, memo still gone, baseline still broken.
    assert_eq!(version(&w.db.pool).await, 2);
    assert!(!w.has_column("memo").await);
    app.check("/health", 503, "missing columns: memo").await;
    w.teardown().await;
}

/// tags: the down migration silently discards every tag written.
#[tokio::test]
async fn tags_down_migration_discards_data() {
    let w = World::new(PG15).await;
    let set = w.migrate("tags").await;
    let app = w.healthy_app("tags", &[]).await;
    let tagged = json!({"account": "t", "amount": 3, "tags": "red"});
    let id = app.create(tagged).await;
    assert_eq!(w.row(id).await["tags"], "red");

    set.revert_to(&w.db.pool, 1).await.unwrap();
    let row = w.row(id).await;
    assert_eq!(row["account"], "t", "the row survives");
    assert_eq!(row.get("tags"), None, "tags and their data are gone");

    // Re-deploying tags' schema finds the row without its tags.
    set.apply(&w.db.pool).await.unwrap();
    let read = app.check(&format!("/entries/{id}"), 200, "\"tags\"").await;
    assert_eq!(read.json()["tags"], Value::Null);
    w.teardown().await;
}

/// bad: healthy, but ~30% of writes fail (writing nothing) and every write is slow.
#[tokio::test]
async fn bad_release_fails_a_fraction_of_writes_slowly() {
    const N: usize = 300;
    let w = World::new(PG15).await;
    w.migrate("bad").await;
    let fail = ("LEDGER_FAIL_RATE", "0.3");
    let slow = ("LEDGER_EXTRA_LATENCY_MS", "100");
    let app = &w.healthy_app("bad", &[fail, slow]).await;
    let timed = |i: usize| async move {
        let sent = Instant::now();
        let body = json!({"account": format!("b{i}"), "amount": i});
        let r = app.post(body).await;
        (r, sent.elapsed())
    };
    let requests = stream::iter(0..N).map(timed);
    let results: Vec<_> = requests.buffer_unordered(16).collect().await;
    let created = results.iter().filter(|(r, _)| r.status == 201).count();
    for (r, _) in results.iter().filter(|(r, _)| r.status != 201) {
        expect(r, 500, "injected failure");
    }
    // sd = sqrt(0.3 * 0.7 / 300) ≈ 0.026, so ±0.09 is ~3.4 sd.
    let fraction = (N - created) as f64 / N as f64;
    assert!((fraction - 0.3).abs() <= 0.09, "500 fraction {fraction}");
    let sql = "SELECT count(*) FROM entries";
    let rows: i64 = sqlx::query_scalar(sql).fetch_one(&w.db.pool).await.unwrap();
    assert_eq!(rows as usize, created, "a failed write must leave no row");
    let mut latencies: Vec<Duration> = results.iter().map(|(_, took)| *took).collect();
    latencies.sort();
    let median = latencies[N / 2];
    eprintln!("bad: 500 fraction {fraction:.3}, median POST latency {median:?}");
    assert!(median >= Duration::from_millis(100), "median {median:?}");
    w.teardown().await;
}

/// slowstart: listens at once, answers 503 until the delay has passed, then 200.
#[tokio::test]
async fn slowstart_is_unready_for_its_delay() {
    const DELAY: Duration = Duration::from_millis(1500);
    let w = World::new(PG15).await;
    w.migrate("slowstart").await;
    let spec = ContainerSpec::new("app", "rollcage/ledger:slowstart")
        .env("DATABASE_URL", DATABASE_URL)
        .env("LEDGER_READY_DELAY_MS", "1500");
    // The process starts between these two instants, so they bracket its ready time.
    let started = Instant::now();
    let container = w.sandbox.start(&spec).await.unwrap();
    let start_took = started.elapsed();
    let app = App::new(container, &w.client);
    let mut answers = Vec::new();
    let healthy_after = loop {
        let answer = app.try_get("/health").await;
        let elapsed = started.elapsed();
        match answer {
            Ok(r) if r.status == 200 => break elapsed,
            other => answers.push(other),
        }
        assert!(elapsed.as_secs() < 5, "unready: {:?}", answers.last());
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    eprintln!("slowstart: 200 after {healthy_after:?}; start() took {start_took:?}");
    assert!(healthy_after >= DELAY, "healthy after {healthy_after:?}");
    // Bounded from start()'s return: container creation under load is not the app's delay.
    let late = healthy_after - start_took;
    let budget = DELAY + Duration::from_millis(600);
    assert!(late <= budget, "{late:?} after start() returned");
    // Connection errors only until it listens; from then on every answer is a 503.
    let listening = answers.iter().position(Result::is_ok);
    let listening = listening.expect("a 503 before ready");
    for answer in &answers[listening..] {
        let r = answer.as_ref().expect("no transport error once listening");
        expect(r, 503, "starting: ready in");
    }
    w.teardown().await;
}

/// flagged: the schema may only be reverted once the flag is off.
#[tokio::test]
async fn flagged_schema_revert_needs_flag_off() {
    const FLAG: &str = "LEDGER_FLAG_CHANNEL";
    let w = World::new(PG15).await;
    let set = w.migrate("flagged").await;
    let on = w.healthy_app("flagged", &[(FLAG, "on")]).await;
    on.check("/version", 200, r#""channel":"on""#).await;
    let entry = json!({"account": "f", "amount": 1, "channel": "web"});
    let id = on.create(entry.clone()).await;
    let path = format!("/entries/{id}");
    on.check(&path, 200, r#""channel":"web""#).await;

    set.revert_to(&w.db.pool, 1).await.unwrap();
    on.check("/health", 503, "missing columns: channel").await;
    let missing = r#"column "channel" of relation "entries" does not exist"#;
    on.check_post(entry, 500, missing).await;

    // The same release with the flag off is baseline-compatible.
    let off = w.healthy_app("flagged", &[(FLAG, "off")]).await;
    off.check("/version", 200, r#""channel":"off""#).await;
    off.create(json!({"account": "f", "amount": 3})).await;
    w.teardown().await;
}
