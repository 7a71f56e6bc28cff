//! Request kinds and their templates, as files give them.

use std::path::PathBuf;

use crate::scenario::validate::tests::{MANUAL, MINIMAL};
use crate::scenario::*;

/// MINIMAL with its `[traffic.write]` table replaced by `tables`.
fn with_requests(tables: &str) -> String {
    let start = MINIMAL.find("[traffic.write]").unwrap();
    let end = MINIMAL.find("[traffic.read-back]").unwrap();
    format!("{}{tables}{}{MANUAL}", &MINIMAL[..start], &MINIMAL[end..])
}

fn load(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    Scenario::from_toml_str(text, &base).map_err(|e| match e {
        ScenarioError::Invalid { diagnostics } => diagnostics,
        other => panic!("{other}"),
    })
}

/// Each problem as (line, column, key, message).
fn problems(text: &str) -> Vec<(usize, usize, String, String)> {
    let found = load(text).unwrap_err();
    found
        .into_iter()
        .map(|d| (d.line, d.column, d.key, d.message))
        .collect()
}

const MIX: &str = r#"[[traffic.request]]
kind = "write"
weight = 3
path = "/entries"
json = '{"account": "a-{seq}", "amount": {int -5..100}}'
key = "response:/id"
[[traffic.request]]
kind = "read"
path = "/entries/{key}"
[[traffic.request]]
kind = "plain"
weight = 2
path = "/entries?limit={int 1..5}"
expect-status = [200, 204]
"#;

#[test]
fn a_single_write_table_is_one_write_of_weight_one() {
    let s = load(&format!("{MINIMAL}{MANUAL}")).unwrap();
    assert_eq!(s.traffic.requests.len(), 1);
    assert_eq!(s.traffic.requests[0].weight, 1);
    assert_eq!(s.traffic.requests[0].request.kind(), RequestKind::Write);
    assert_eq!(s.traffic.seed, None);
}

#[test]
fn a_mix_keeps_its_kinds_weights_and_defaults() {
    let s = load(&with_requests(MIX).replace(
        "[traffic.read-back]",
        "[traffic]\nseed = 7\n[traffic.read-back]",
    ))
    .unwrap();
    let kinds: Vec<(RequestKind, u32)> = s
        .traffic
        .requests
        .iter()
        .map(|r| (r.request.kind(), r.weight))
        .collect();
    assert_eq!(
        kinds,
        [
            (RequestKind::Write, 3),
            (RequestKind::Read, 1),
            (RequestKind::Plain, 2)
        ]
    );
    assert_eq!(s.traffic.seed, Some(7));
    let TrafficRequest::Read(read) = &s.traffic.requests[1].request else {
        panic!("not a read");
    };
    assert_eq!(
        (read.method.as_str(), read.expect_status.as_slice()),
        ("GET", &[200][..])
    );
    // The file written from it reads back the same.
    let again = load(&to_toml(
        &s,
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
    ))
    .unwrap();
    assert_eq!(again.traffic, s.traffic);
}

#[test]
fn bad_mixes_are_refused_at_their_position() {
    let zero = with_requests(&MIX.replace("weight = 2", "weight = 0"));
    let found = problems(&zero);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2, "traffic.request[2].weight");
    assert!(found[0].3.starts_with("must be at least 1"));
    let only_reads =
        with_requests("[[traffic.request]]\nkind = \"read\"\npath = \"/entries/{key}\"\n");
    let found = problems(&only_reads);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0, found[0].1, found[0].2.as_str()),
        (11, 8, "traffic.request[0].kind")
    );
    assert!(
        found[0].3.contains("no request has kind = \"write\""),
        "{}",
        found[0].3
    );
    let no_key = with_requests(&MIX.replace("/entries/{key}", "/entries/1"));
    let found = problems(&no_key);
    assert_eq!(found[0].2, "traffic.request[1].path");
    assert!(found[0].3.starts_with("a read uses {key}"));
    let key_in_write = with_requests(&MIX.replace("\"/entries\"", "\"/entries/{key}\""));
    assert!(problems(&key_in_write)[0]
        .3
        .contains("{key} cannot be used here"));
    let unknown = with_requests(&MIX.replace("kind = \"plain\"", "kind = \"list\""));
    assert!(problems(&unknown)[0].3.starts_with("unknown value `list`"));
    let both = format!("{MINIMAL}{MANUAL}")
        .replace("[traffic.read-back]", &format!("{MIX}[traffic.read-back]"));
    assert!(problems(&both)[0]
        .3
        .starts_with("give either [traffic.write]"));
}

#[test]
fn bad_generators_are_refused_at_their_column() {
    let text = with_requests(
        &MIX.replace("{int -5..100}", "{int 100..-5}")
            .replace("{int 1..5}", "{choice }"),
    );
    let found = problems(&text);
    let at: Vec<(usize, usize, &str)> = found.iter().map(|p| (p.0, p.1, p.2.as_str())).collect();
    assert_eq!(
        at,
        [
            (14, 42, "traffic.request[0].json"),
            (22, 24, "traffic.request[2].path")
        ],
        "{found:?}"
    );
    assert!(found[0].3.contains("inverted range"), "{}", found[0].3);
    assert!(
        found[1].3.contains("needs at least one value"),
        "{}",
        found[1].3
    );
}

#[test]
fn the_reference_files_example_mix_is_valid() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("scenarios/reference.toml")).unwrap();
    let start = text.find("# [[traffic.request]]").unwrap();
    let example: String = text[start..]
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| format!("{}\n", l.trim_start_matches('#').trim_start()))
        .collect();
    let s = load(&with_requests(&example)).unwrap_or_else(|e| panic!("{e:#?}\n{example}"));
    let kinds: Vec<RequestKind> = s
        .traffic
        .requests
        .iter()
        .map(|r| r.request.kind())
        .collect();
    assert_eq!(
        kinds,
        [RequestKind::Write, RequestKind::Read, RequestKind::Plain]
    );
}
