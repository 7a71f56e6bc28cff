use super::*;

const ALL: &[Generator] = Generator::ALL;
const NO_KEY: &[Generator] = WITHOUT_KEY;

fn fills(text: &str, shape: Shape) -> Vec<(Fill, Context)> {
    let t = Template::parse(text, shape, ALL).unwrap();
    t.parts()
        .iter()
        .filter_map(|p| match p {
            Part::Fill(f, c) => Some((f.clone(), *c)),
            Part::Text(_) => None,
        })
        .collect()
}

fn error(text: &str, allowed: &[Generator]) -> (usize, String) {
    let e = Template::parse(text, Shape::Json, allowed).unwrap_err();
    (e[0].offset, e[0].message.clone())
}

#[test]
fn placeholders_know_their_json_context() {
    let f = fills(
        r#"{"n": {int -5..5}, "memo": "a \"{text 3}\" b", "ok": {bool}, "c": "{choice x|y}"}"#,
        Shape::Json,
    );
    assert_eq!(
        f,
        [
            (Fill::Int { lo: -5, hi: 5 }, Context::JsonValue),
            (Fill::Text { min: 3, max: 3 }, Context::JsonString),
            (Fill::Bool, Context::JsonValue),
            (
                Fill::Choice(vec!["x".into(), "y".into()]),
                Context::JsonString
            ),
        ]
    );
}

#[test]
fn paths_split_at_the_query_and_forms_are_forms() {
    let f = fills("/a/{key}?q={email}", Shape::Path);
    assert_eq!(
        f,
        [(Fill::Key, Context::Path), (Fill::Email, Context::Query)]
    );
    let f = fills("a={uuid}&t={timestamp 2020-01-01..2020-01-02}", Shape::Form);
    assert_eq!(f[0], (Fill::Uuid, Context::Form));
    assert_eq!(
        f[1].0,
        Fill::Timestamp {
            lo: 1_577_836_800,
            hi: 1_577_923_200
        }
    );
}

#[test]
fn braces_that_are_not_placeholders_stay_literal() {
    let t = Template::parse(r#"{"a": {"b": {}}, "s": "{{seq}"}"#, Shape::Json, ALL).unwrap();
    assert_eq!(t.fills().count(), 0);
    assert_eq!(t.stand_in(), r#"{"a": {"b": {}}, "s": "{seq}"}"#);
    assert_eq!(t.as_str(), r#"{"a": {"b": {}}, "s": "{{seq}"}"#);
}

#[test]
fn stand_ins_make_valid_json_whatever_the_generator() {
    let t = Template::parse(
        r#"{"r": {run}, "q": "{run}-{seq}", "t": {timestamp}, "c": {choice a b|c}}"#,
        Shape::Json,
        ALL,
    )
    .unwrap();
    serde_json::from_str::<serde_json::Value>(&t.stand_in()).unwrap();
}

#[test]
fn each_bad_placeholder_is_named_at_its_offset() {
    let (at, m) = error(r#"{"n": {seq%2}}"#, ALL);
    assert_eq!(at, 6);
    assert_eq!(
        m,
        "`{seq%2}`: {seq} takes nothing after its name; found `%2`"
    );
    let (at, m) = error(r#"{"n": {intt 1..2}}"#, ALL);
    assert_eq!(at, 6);
    assert!(
        m.starts_with("`{intt 1..2}`: unknown generator `intt`; expected one of {seq}"),
        "{m}"
    );
    assert!(error("{int 5..1}", ALL)
        .1
        .contains("inverted range: 5 is above 1"));
    assert!(error("{int 1..}", ALL).1.contains("empty range"));
    assert!(error("{int}", ALL).1.contains("needs an integer range"));
    assert!(error("{int a..2}", ALL).1.contains("`a` is not an integer"));
    assert!(error("{choice}", ALL)
        .1
        .contains("needs at least one value"));
    assert!(error("{choice a||b}", ALL)
        .1
        .contains("empty value (number 2)"));
    assert!(error("{text}", ALL).1.contains("needs a length"));
    assert!(error("{text 99999}", ALL).1.contains("longer than 10000"));
    assert!(error("{timestamp 1960-01-01..2000-01-01}", ALL)
        .1
        .contains("before 1970"));
    assert!(error("{timestamp soon..later}", ALL)
        .1
        .contains("not a date"));
    let (_, m) = error("/e/{key}", NO_KEY);
    assert!(m.contains("{key} cannot be used here"), "{m}");
    let (at, m) = error(r#"{"a": "x", "b": {seq"#, ALL);
    assert_eq!(at, 16);
    assert!(m.contains("never closed"), "{m}");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let e = Template::parse("{nope} {int 2..1} {seq}", Shape::Form, ALL).unwrap_err();
    let offsets: Vec<usize> = e.iter().map(|e| e.offset).collect();
    assert_eq!(offsets, [0, 7]);
}

proptest::proptest! {
    /// Any text parses to a template or to errors, never a panic, in every shape.
    #[test]
    fn any_text_parses_or_is_refused(text in "[{}a-z0-9 .|:\"\\\\-]{0,40}|.{0,20}") {
        for shape in [Shape::Json, Shape::Form, Shape::Path] {
            match Template::parse(&text, shape, ALL) {
                Ok(t) => {
                    let _ = t.source_offset(t.stand_in().len());
                }
                Err(errors) => proptest::prop_assert!(errors.iter().all(|e| e.offset <= text.len())),
            }
        }
    }
}
