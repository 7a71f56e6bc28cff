use super::*;
use crate::scenario::Shape;
use crate::vocab::Generator;

fn json(text: &str) -> Body {
    Body::Json(Template::parse(text, Shape::Json, Generator::ALL).unwrap())
}

fn form(text: &str) -> Body {
    Body::Form(Template::parse(text, Shape::Form, Generator::ALL).unwrap())
}

#[test]
fn renders_and_extracts_keys() {
    let r = render_body(
        &json(r#"{"account":"a-{seq}","amount":{seq},"run":"{run}"}"#),
        &mut Draw::new(0, 7, "rc1"),
    );
    assert_eq!(r.text, r#"{"account":"a-7","amount":7,"run":"rc1"}"#);
    let v = as_json(&r);
    assert_eq!(key_at(&v, "/account").as_deref(), Some("a-7"));
    assert_eq!(key_at(&v, "/amount").as_deref(), Some("7"));
    assert_eq!(key_at(&v, "/missing"), None);
    let r = render_body(&form("email=u{seq}@x&n=1"), &mut Draw::new(0, 3, "r"));
    assert_eq!(key_at(&as_json(&r), "/email").as_deref(), Some("u3@x"));
}

#[test]
fn form_values_are_url_decoded() {
    let body = form("email=u{seq}%40x.org&memo=two+words%21&a%2Fb=1&n=1&n=2");
    let v = as_json(&render_body(&body, &mut Draw::new(0, 5, "r")));
    assert_eq!(key_at(&v, "/email").as_deref(), Some("u5@x.org"));
    assert_eq!(key_at(&v, "/memo").as_deref(), Some("two words!"));
    // A decoded name with a slash is spelled `~1` in the pointer, as JSON pointers escape.
    assert_eq!(key_at(&v, "/a~1b").as_deref(), Some("1"));
    assert_eq!(key_at(&v, "/n").as_deref(), Some("2"));
}

#[test]
fn each_value_is_written_for_its_context() {
    let mut draw = Draw::new(1, 1, "r \"1\"");
    draw.key = Some("a/b c".into());
    let t = |text: &str, shape| Template::parse(text, shape, Generator::ALL).unwrap();
    // JSON: text quoted and escaped as a value, escaped alone inside a string.
    let out = fill(
        &t(r#"{"r": {run}, "s": "<{run}>", "k": {key}}"#, Shape::Json),
        &mut draw,
    );
    assert_eq!(out, r#"{"r": "r \"1\"", "s": "<r \"1\">", "k": "a/b c"}"#);
    // Numeric choices and keys are bare JSON numbers; others quoted.
    let out = fill(
        &t(
            r#"[{choice 12}, {choice x}, {choice true}, "{choice 12}"]"#,
            Shape::Json,
        ),
        &mut draw,
    );
    assert_eq!(out, r#"[12, "x", true, "12"]"#);
    // Path: percent-encoded, `/` too; query and form: URL-encoded.
    let out = fill(&t("/e/{key}?q={key}", Shape::Path), &mut draw);
    assert_eq!(out, "/e/a%2Fb%20c?q=a%2Fb+c");
    let out = fill(&t("k={key}&r={run}", Shape::Form), &mut draw);
    assert_eq!(out, "k=a%2Fb+c&r=r+%221%22");
}

#[test]
fn every_generated_json_body_parses_and_keeps_its_types() {
    let body = json(
        r#"{"n": {int -3..3}, "t": {text 0..40}, "in": "x{text 0..40}", "b": {bool},
            "u": {uuid}, "e": {email}, "at": {timestamp}, "c": {choice 1|two|3.5}}"#,
    );
    for seq in 1..500 {
        let r = render_body(&body, &mut Draw::new(42, seq, "run"));
        let v: Value = serde_json::from_str(&r.text).unwrap_or_else(|e| panic!("{e}: {}", r.text));
        let n = v["n"].as_i64().unwrap();
        assert!((-3..=3).contains(&n));
        assert!(v["t"].as_str().unwrap().chars().count() <= 40);
        assert!(v["b"].is_boolean());
        assert_eq!(v["u"].as_str().unwrap().len(), 36);
        assert!(v["e"].as_str().unwrap().ends_with("@example.com"));
        assert!(v["at"].as_str().unwrap().ends_with('Z'));
        assert!(v["c"].is_number() || v["c"] == "two");
    }
}
