//! Reading past structural errors, through the whole load path: every wrong type, unknown key
//! and missing key of a file at once, in file order, and the parts that did parse still judged.

use crate::scenario::validate::tests::{MANUAL, MINIMAL};
use crate::scenario::*;

fn problems(text: &str) -> Vec<(usize, usize, String, String)> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    match Scenario::from_toml_str(text, &dir) {
        Err(ScenarioError::Invalid { diagnostics }) => diagnostics
            .into_iter()
            .map(|d| (d.line, d.column, d.key, d.message))
            .collect(),
        other => panic!("expected diagnostics, got {other:?}"),
    }
}

fn keys(found: &[(usize, usize, String, String)]) -> Vec<(usize, &str)> {
    found.iter().map(|(l, _, k, _)| (*l, k.as_str())).collect()
}

#[test]
fn three_type_errors_give_three_diagnostics_in_file_order() {
    let text = format!("{MINIMAL}{MANUAL}")
        .replace(
            "[traffic.write]",
            "[traffic]\nrate = \"fast\"\nconcurrency = [1]\n[traffic.write]",
        )
        .replace("budget = \"30s\"", "budget = 30");
    let found = problems(&text);
    assert_eq!(
        keys(&found),
        [
            (11, "traffic.rate"),
            (12, "traffic.concurrency"),
            (21, "rollback.budget")
        ],
        "{found:#?}"
    );
    assert_eq!(found[0].3, "expected an integer, found string \"fast\"");
    assert_eq!((found[0].1, found[2].1), (8, 10));
    // The removed budget is not reported a second time as missing.
    assert!(found.iter().all(|f| f.3 != "missing required key"));
}

#[test]
fn every_missing_key_and_unknown_key_is_named_and_a_misspelt_key_once() {
    let text = format!("nmae = \"x\"\n{MINIMAL}{MANUAL}")
        .replace("image = \"rollcage/postgres:15\"\n", "")
        .replace("to = \"expand\"\n", "tu = \"expand\"\n")
        .replace("from = \"baseline\"\n", "")
        .replace("strategy = \"code-only\"\n", "");
    let found = problems(&text);
    let want = [
        (1, "nmae", "unknown key; expected one of"),
        (2, "database.image", "missing required key"),
        (7, "deploy.from", "missing required key"),
        (
            8,
            "deploy.tu",
            "unknown key; expected one of from, to, warmup",
        ),
        (15, "rollback.strategy", "missing required key"),
    ];
    assert_eq!(found.len(), want.len(), "{found:#?}");
    for ((line, _, key, message), (l, k, m)) in found.iter().zip(want) {
        assert_eq!((*line, key.as_str()), (l, k), "{found:#?}");
        assert!(message.starts_with(m), "{key}: {message}");
    }
}

#[test]
fn a_missing_table_is_named_once_and_its_keys_are_not() {
    let text = MINIMAL.to_string();
    let found = problems(&text);
    assert_eq!(
        found,
        [(
            1,
            1,
            "rollback".to_string(),
            "missing required key".to_string()
        )]
    );
}

#[test]
fn what_did_parse_is_still_validated() {
    let text = format!("{MINIMAL}{MANUAL}")
        .replace("budget = \"30s\"", "budget = \"30 parsecs\"")
        .replace("from = \"baseline\"", "from = \"nope\"")
        .replace("[traffic.write]", "[traffic]\nrate = -1\n[traffic.write]");
    let found = problems(&text);
    assert_eq!(
        keys(&found),
        [
            (8, "deploy.from"),
            (11, "traffic.rate"),
            (20, "rollback.budget")
        ],
        "{found:#?}"
    );
    assert!(found[0].3.starts_with("no release named `nope`"));
    assert!(found[2].3.starts_with("`30 parsecs` is not a duration"));
}

#[test]
fn a_repaired_release_does_not_echo_into_references() {
    // Without its image the release is dropped; deploy.to naming it is not a second problem.
    let text =
        format!("{MINIMAL}{MANUAL}").replace("image = \"rollcage/ledger:expand\"", "image = 3");
    let found = problems(&text);
    assert_eq!(keys(&found), [(6, "releases.expand.image")], "{found:#?}");
}

#[test]
fn a_wrong_element_drops_its_whole_array_so_indices_stay_true() {
    let text = format!(
        "{MINIMAL}{MANUAL}[[smoke]]\npath = \"/a\"\nexpect-status = [200, \"ok\"]\n\
         [[smoke]]\npath = 7\n"
    );
    let found = problems(&text);
    assert_eq!(
        keys(&found),
        [(23, "smoke[0].expect-status[1]"), (25, "smoke[1].path")],
        "{found:#?}"
    );
}

#[test]
fn findings_where_a_repaired_value_is_read_are_echoes() {
    use crate::scenario::raw::echoes;
    assert!(echoes("traffic.read-back.fields[0]", "traffic.write.json"));
    assert!(echoes("deploy.to", "releases.expand.image"));
    assert!(echoes("fault[1].at", "rollback.steps"));
    assert!(echoes("expect", "rollback.trigger"));
    assert!(echoes("check[1].path", "check[0].save"));
    assert!(!echoes("traffic.concurrency", "traffic.rate"));
    assert!(!echoes("rollback.budget", "traffic.rate"));
    assert!(!echoes("releases.expand.migrations", "deploy.to"));
    assert!(!echoes("check[0].path", "smoke[0].path"));
    assert!(echoes("smoke[0].json", "smoke[0].method"));
    assert!(!echoes("smoke[1].path", "smoke[0].method"));
}

#[test]
fn a_type_error_beside_a_bound_leaves_the_bound_reported() {
    let text = format!("{MINIMAL}{MANUAL}").replace(
        "[traffic.write]",
        "[traffic]\nrate = \"fast\"\nconcurrency = 5000\n[traffic.write]",
    );
    let found = problems(&text);
    assert_eq!(
        keys(&found),
        [(11, "traffic.rate"), (12, "traffic.concurrency")],
        "{found:#?}"
    );
}
