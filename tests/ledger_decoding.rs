//! The ledger's decoding against real containers and PostgreSQL: the `decimal` trap (rows
//! intact, unreadable by baseline), form bodies, and reading an entry back by account.
mod support;

use rollcage::internals::{send, Rendered, Response};
use serde_json::{json, Value};
use support::*;

/// POST /entries with a form body, as a browser or rollcage's `form =` sends it.
async fn post_form(app: &App, form: &str) -> Response {
    let body = Rendered {
        content_type: Some("application/x-www-form-urlencoded"),
        text: form.to_string(),
    };
    let answer = send(&app.client, app.addr, "POST", "/entries", &body).await;
    answer.unwrap_or_else(|e| panic!("POST /entries (form): {e}"))
}

/// The stored amount as a number, whether the column is bigint or numeric.
fn amount(row: &Value) -> Option<f64> {
    row["amount"].as_f64()
}

/// decimal: baseline, started on the numeric column, stays healthy and keeps writing, but
/// reads no row; the rows are intact, and the down migration brings back whole amounts.
#[tokio::test]
async fn decimal_rows_are_intact_but_unreadable_by_baseline() {
    let w = World::new(PG15).await;
    w.migrate("baseline").await;
    w.sql("INSERT INTO entries (account, amount, memo) VALUES ('old', 5, 'm')")
        .await;
    let set = w.migrate("decimal").await;
    let app = w.healthy_app("baseline", &[]).await;

    // Its int8 goes into numeric by assignment cast: writes still commit.
    let id = app
        .create(json!({"account": "new@x.org", "amount": 7}))
        .await;
    assert_eq!(amount(&w.row(id).await), Some(7.0));
    let old = "SELECT id FROM entries WHERE account = 'old'";
    let old_id: i64 = sqlx::query_scalar(old).fetch_one(&w.db.pool).await.unwrap();
    assert_eq!(amount(&w.row(old_id).await), Some(5.0), "converted exactly");

    // The trap: healthy, every column there, and no row readable.
    app.check("/health", 200, "ok").await;
    let numeric = "not compatible with SQL type `NUMERIC`";
    app.check(&format!("/entries/{old_id}"), 500, numeric).await;
    app.check(&format!("/entries/{id}"), 500, numeric).await;
    app.check("/entries?limit=5", 500, numeric).await;
    app.check("/entries/by-account/new@x.org", 500, numeric)
        .await;

    // Back to bigint, rounded; a baseline started afresh reads every row again.
    w.sql("UPDATE entries SET amount = 2.5 WHERE account = 'old'")
        .await;
    set.revert_to(&w.db.pool, 1).await.unwrap();
    let fresh = w.healthy_app("baseline", &[]).await;
    let read = fresh.check(&format!("/entries/{old_id}"), 200, "old").await;
    assert_eq!(read.json()["amount"], 3);
    fresh.check("/entries?limit=5", 200, "new@x.org").await;
    w.teardown().await;
}

/// decimal serves its own rows on the numeric column, and keeps serving them while the down
/// migration takes the column back to bigint (its SELECT casts, so the result type holds).
#[tokio::test]
async fn decimal_reads_through_its_own_down_migration() {
    let w = World::new(PG15).await;
    let set = w.migrate("decimal").await;
    let app = w.healthy_app("decimal", &[]).await;
    app.check("/version", 200, "\"schema_version\":2").await;
    let id = app
        .create(json!({"account": "d", "amount": 12, "memo": "m"}))
        .await;
    let read = app
        .check(&format!("/entries/{id}"), 200, "\"memo\":\"m\"")
        .await;
    assert_eq!(read.json()["amount"], 12);
    set.revert_to(&w.db.pool, 1).await.unwrap();
    let read = app.check(&format!("/entries/{id}"), 200, "\"d\"").await;
    assert_eq!(read.json()["amount"], 12);
    app.check("/entries/by-account/d", 200, "\"amount\":12")
        .await;
    w.teardown().await;
}

/// Form bodies are URL-decoded; by-account finds the newest entry of a percent-decoded
/// account, whether the path carries `@` as it is or as `%40`; 422 and 404 as documented.
#[tokio::test]
async fn form_bodies_and_reads_by_account() {
    let w = World::new(PG15).await;
    w.migrate("expand").await;
    let app = w.healthy_app("expand", &[]).await;
    let first = post_form(&app, "account=u7%40x.org&amount=7&memo=two+words").await;
    expect(&first, 201, "\"id\"");
    let form = "account=u7%40x.org&amount=8&memo=newer&note=n%26b";
    let newest = post_form(&app, form).await.json()["id"].as_i64();
    let newest = newest.expect("numeric id");
    let row = w.row(newest).await;
    assert_eq!(
        (&row["account"], &row["note"]),
        (&json!("u7@x.org"), &json!("n&b"))
    );
    for path in [
        "/entries/by-account/u7@x.org",
        "/entries/by-account/u7%40x.org",
    ] {
        let read = app.check(path, 200, "newer").await.json();
        assert_eq!((&read["id"], &read["amount"]), (&json!(newest), &json!(8)));
    }
    let earlier = first.json()["id"].as_i64().expect("numeric id");
    let by_id = app
        .check(&format!("/entries/{earlier}"), 200, "two words")
        .await;
    assert_eq!(by_id.json()["account"], "u7@x.org");

    app.check("/entries/by-account/nobody%40x.org", 404, "nobody@x.org")
        .await;
    expect(
        &post_form(&app, "account=a&amount=1.5").await,
        422,
        "amount",
    );
    expect(&post_form(&app, "amount=1").await, 422, "account");
    // Every release takes forms: baseline too, on expand's schema.
    let baseline = w.healthy_app("baseline", &[]).await;
    expect(
        &post_form(&baseline, "account=b%40x.org&amount=2").await,
        201,
        "baseline",
    );
    baseline
        .check("/entries/by-account/b@x.org", 200, "\"amount\":2")
        .await;
    w.teardown().await;
}
