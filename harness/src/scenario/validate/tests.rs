//! Validation tests on inline variations of a minimal scenario: defaults, structural and
//! cross-field problems with their positions, and fuzzing of the whole load path.

use std::path::PathBuf;
use std::time::Duration;

use proptest::prelude::{prop_assert, prop_assert_eq, proptest};

use crate::scenario::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A valid scenario without [rollback], for inline variations.
pub(crate) const MINIMAL: &str = r#"[database]
image = "rollcage/postgres:15"
[releases.baseline]
image = "rollcage/ledger:baseline"
[releases.expand]
image = "rollcage/ledger:expand"
[deploy]
from = "baseline"
to = "expand"
[traffic.write]
path = "/entries"
json = '{"account": "acct-{seq}", "amount": {seq}}'
key = "response:/id"
[traffic.read-back]
path = "/entries/{key}"
"#;
pub(crate) const MANUAL: &str = r#"[rollback]
strategy = "code-only"
budget = "30s"
[rollback.trigger]
kind = "manual"
"#;

pub(crate) fn inline(text: &str) -> Result<Scenario, ScenarioError> {
    Scenario::from_toml_str(text, &root().join("scenarios"))
}

pub(crate) fn problems(text: &str) -> Vec<Diagnostic> {
    match inline(text) {
        Err(ScenarioError::Invalid { diagnostics }) => diagnostics,
        other => panic!("expected diagnostics, got {other:?}"),
    }
}

/// The single problem's (line, column, key, message).
pub(crate) fn problem(text: &str) -> (usize, usize, String, String) {
    let found = problems(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    (d.line, d.column, d.key.clone(), d.message.clone())
}

#[test]
fn defaults_fill_what_the_file_leaves_out() {
    let s = inline(&format!("{MINIMAL}{MANUAL}")).unwrap();
    assert_eq!(s.name, "inline");
    assert_eq!(s.traffic.writes().next().unwrap().method, "POST");
    assert_eq!(s.traffic.writes().next().unwrap().ack_status, [200, 201]);
    assert_eq!(s.checks, []);
    assert_eq!(s.releases[0].migrations, Migrations::None);
    let flagged = MINIMAL.replace(
        "image = \"rollcage/ledger:expand\"",
        r#"image = "rollcage/ledger:expand"
migrations = "../fixtures/ledger/migrations/expand"
flags = { F = "on" }"#,
    );
    let s = inline(&format!(
        "{flagged}{}",
        MANUAL.replace("code-only", "code-and-schema")
    ))
    .unwrap();
    assert_eq!(
        s.rollback.steps,
        [Step::FlagsOff, Step::SwitchCode, Step::MigrateDown]
    );
}

#[test]
fn structural_problems_name_their_key() {
    assert_eq!(
        problem(&format!("nmae = \"x\"\n{MINIMAL}{MANUAL}")).2,
        "nmae"
    );
    let (line, column, key, message) = problem(&format!(
        "{MINIMAL}{MANUAL}[[smoke]]\npath = \"/x\"\nexpect-status = 200\n"
    ));
    assert_eq!(
        (line, column, key.as_str()),
        (23, 17, "smoke[0].expect-status")
    );
    assert_eq!(message, "expected an array, found integer 200");
    // Below [rollback.trigger], a key belongs to that table.
    let (line, key) = (
        problem(&format!("{MINIMAL}{MANUAL}budget = 30\n")).0,
        problem(&format!("{MINIMAL}{MANUAL}budget = 30\n")).2,
    );
    assert_eq!((line, key.as_str()), (21, "rollback.trigger.budget"));
    let (line, column, key, _) = problem(&format!("{MINIMAL}{}", MANUAL.replace("\"30s\"", "30")));
    assert_eq!((line, column, key.as_str()), (18, 10, "rollback.budget"));
    let (line, column, key, message) = problem("[database]\nimage = \"x\nport = 1\n");
    assert_eq!((line, column, key.as_str()), (2, 11, ""), "{message}");
}

#[test]
fn cross_field_problems_point_at_the_value() {
    let text = format!("{MINIMAL}{MANUAL}").replace(
        "[deploy]",
        "[app]\nenv = { DATABASE_URL = \"postgres://{db.hots}/x\" }\n[deploy]",
    );
    let (line, column, key, message) = problem(&text);
    assert_eq!(
        (line, column, key.as_str()),
        (8, 24, "app.env.DATABASE_URL")
    );
    assert!(
        message.starts_with("unknown placeholder {db.hots}; expected {db.host}"),
        "{message}"
    );
    let both = MINIMAL.replace(
        "key = \"response:/id\"",
        "form = \"a={seq}\"\nkey = \"request:/nope\"",
    );
    let found = problems(&format!("{both}{MANUAL}"));
    let keys: Vec<&str> = found.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(
        keys,
        ["traffic.write.form", "traffic.write.key"],
        "{found:#?}"
    );
    let sql = MINIMAL.replace(
        "path = \"/entries/{key}\"",
        "path = \"/entries/{key}\"\nsql = \"SELECT 1\"",
    );
    let found = problems(&format!("{sql}{MANUAL}"));
    assert_eq!(found[0].key, "traffic.read-back.sql");
    let manual_with_need = format!("{MINIMAL}{MANUAL}need = 3\n");
    assert_eq!(problem(&manual_with_need).2, "rollback.trigger.need");
    let no_switch = MANUAL.replace("budget", "steps = []\nbudget");
    let (_, _, key, message) = problem(&format!("{MINIMAL}{no_switch}"));
    assert_eq!(
        (key.as_str(), message.starts_with("switch-code is missing")),
        ("rollback.steps", true)
    );
    let pass_failing = format!("expect-failing = [\"digest\"]\n{MINIMAL}{MANUAL}");
    assert_eq!(problem(&pass_failing).2, "expect-failing[0]");
}

#[test]
fn no_rollback_needs_an_automatic_trigger() {
    let text = format!("expect = \"no-rollback\"\n{MINIMAL}{MANUAL}");
    let (line, column, key, message) = problem(&text);
    assert_eq!((line, column, key.as_str()), (1, 10, "expect"));
    assert!(message.contains("needs an automatic trigger"), "{message}");
}

#[test]
fn durations_longer_than_a_week_are_refused_before_anything_starts() {
    let text = format!("{MINIMAL}{MANUAL}").replace(
        "kind = \"manual\"",
        "kind = \"manual\"\nafter = \"300000000000years\"",
    );
    let (line, _, key, message) = problem(&text);
    assert_eq!(key, "rollback.trigger.after");
    assert_eq!(
        line,
        text.lines().position(|l| l.starts_with("after")).unwrap() + 1
    );
    assert!(message.contains("at most 7days"), "{message}");
    let day = format!("{MINIMAL}{MANUAL}").replace("budget = \"30s\"", "budget = \"24h\"");
    assert_eq!(
        inline(&day).unwrap().rollback.budget,
        Duration::from_secs(86_400)
    );
}

#[test]
fn write_bodies_are_templates_and_request_keys_point_into_them() {
    let json = r#"json = '{"account": "acct-{seq}", "amount": {seq}}'"#;
    let form = |key: &str| {
        MINIMAL
            .replace(json, "form = \"account=a-{seq}&amount={seq}\"")
            .replace("response:/id", key)
    };
    let s = inline(&format!("{}{MANUAL}", form("request:/account"))).unwrap();
    assert_eq!(
        s.traffic.writes().next().unwrap().key,
        KeySource::Request("/account".into())
    );
    let (_, _, key, message) = problem(&format!("{}{MANUAL}", form("request:/nope")));
    assert_eq!(key, "traffic.write.key");
    assert_eq!(message, "`/nope` is not in the traffic.write.form body");
    let json_key = MINIMAL.replace("response:/id", "request:/account");
    assert!(inline(&format!("{json_key}{MANUAL}")).is_ok());
    // A placeholder in a JSON value position is written as JSON: {run} there is quoted.
    let unquoted_run = MINIMAL.replace("\"acct-{seq}\"", "{run}");
    assert!(inline(&format!("{unquoted_run}{MANUAL}")).is_ok());
    // A placeholder that is wrong is named, at its own column; a literal mistake is the JSON's.
    let modulo = MINIMAL.replace("\"amount\": {seq}", "\"amount\": {seq%2}");
    let (line, column, key, message) = problem(&format!("{modulo}{MANUAL}"));
    assert_eq!((line, column, key.as_str()), (12, 45, "traffic.write.json"));
    assert_eq!(
        message,
        "`{seq%2}`: {seq} takes nothing after its name; found `%2`"
    );
    let no_comma = MINIMAL.replace("\"acct-{seq}\", ", "\"acct-{seq}\" ");
    let (line, column, _, message) = problem(&format!("{no_comma}{MANUAL}"));
    assert_eq!((line, column), (12, 34), "{message}");
    assert!(
        message.starts_with("not valid JSON: expected `,` or `}`"),
        "{message}"
    );
    let smoke = "[[smoke]]\nmethod = \"POST\"\npath = \"/entries\"\njson = '{\"n\": {seq}}'\n";
    assert!(inline(&format!("{MINIMAL}{MANUAL}{smoke}")).is_ok());
}

#[test]
fn auto_trigger_is_read_whole() {
    let auto = r#"[rollback]
strategy = "code-only"
budget = "30s"
[rollback.trigger]
kind = "auto"
every = "100ms"
need = 2
of = 2
conditions = [{ error-rate-above = 0.5 }, { p99-above = "200ms" }]
"#;
    let s = inline(&format!("{MINIMAL}{auto}")).unwrap();
    let Trigger::Auto(a) = s.rollback.trigger else {
        panic!("not auto")
    };
    assert_eq!(
        (a.window, a.every, a.need, a.of),
        (Duration::from_secs(1), Duration::from_millis(100), 2, 2)
    );
    assert_eq!(
        a.conditions,
        [
            Condition::ErrorRateAbove(0.5),
            Condition::P99Above(Duration::from_millis(200))
        ]
    );
    assert_eq!(a.give_up_after, Duration::from_secs(20));
}

#[test]
fn fault_keys_are_checked_as_each_kind_declares_them() {
    let fault = |body: &str| format!("{MINIMAL}{MANUAL}[[fault]]\n{body}");
    let unknown = problem(&fault(
        "at = \"after-deploy\"\nkind = \"kill-app\"\nmegabits = 3\n",
    ));
    assert_eq!(
        unknown,
        (
            24,
            1,
            "fault[0].megabits".into(),
            "unknown key; expected one of at, kind, release, to, duration, delay, \
             after-statements, after, megabytes"
                .into()
        )
    );
    let memory = "at = \"after-deploy\"\nkind = \"app-memory-limit\"\n";
    let (_, column, key, message) = problem(&fault(&format!("{memory}megabytes = \"four\"\n")));
    assert_eq!(
        (column, key.as_str(), message.as_str()),
        (
            13,
            "fault[0].megabytes",
            "expected an integer, found string \"four\""
        )
    );
    let (_, _, key, message) = problem(&fault(&format!("{memory}megabytes = 4\n")));
    assert_eq!(
        (key.as_str(), message.as_str()),
        (
            "fault[0].megabytes",
            "must be at least 6 (the engine's smallest memory limit)"
        )
    );
    let (_, _, key, message) = problem(&fault(
        "at = \"after-deploy\"\nkind = \"move-tag\"\nrelease = \"baseline\"\n",
    ));
    assert_eq!(
        (key.as_str(), message.as_str()),
        ("fault[0].to", "missing required key (move-tag needs it)")
    );
    let (_, _, key, message) = problem(&fault("at = \"after-deploy\"\nkind = \"kill-migrator\"\n"));
    assert_eq!(
        (key.as_str(), message.as_str()),
        (
            "fault[0].at",
            "kill-migrator acts while a migrator runs: at must be during-migrate-up or \
             during-migrate-down"
        )
    );
    let both = fault(
        "at = \"after-deploy\"\nkind = \"disk-full\"\n\
         [[fault]]\nat = \"after-deploy\"\nkind = \"restart-database\"\n",
    );
    let (_, _, key, message) = problem(&both);
    assert_eq!(
        (key.as_str(), message.as_str()),
        (
            "fault[1].kind",
            "cannot be combined with disk-full: a restarted database finds its tmpfs data \
             directory empty"
        )
    );
    let (_, _, key, message) = problem(&fault(
        "at = \"after-deploy\"\nkind = \"kill-app\"\ndelay = \"1s\"\n",
    ));
    assert_eq!(
        (key.as_str(), message.as_str()),
        (
            "fault[0].delay",
            "kind = \"kill-app\" does not take `delay`"
        )
    );
    let (_, _, key, message) = problem(&fault("kind = \"kill-app\"\n"));
    assert_eq!(
        (key.as_str(), message.as_str()),
        ("fault[0].at", "missing required key")
    );
    let s = inline(&fault("at = \"after-deploy\"\nkind = \"latency\"\n")).unwrap();
    let f = &s.faults[0];
    assert_eq!(
        (f.fault.params.duration("delay"), f.duration),
        (
            Some(Duration::from_millis(200)),
            Some(Duration::from_secs(1))
        )
    );
}

proptest! {
    #[test]
    fn durations_round_trip(ms in 1u64..400_000_000) {
        let written = humantime::format_duration(Duration::from_millis(ms)).to_string();
        let s = inline(&format!("{MINIMAL}{}", MANUAL.replace("30s", &written))).unwrap();
        prop_assert_eq!(s.rollback.budget, Duration::from_millis(ms));
    }

    /// Cut and spliced reference files: loading answers Ok or diagnostics at real positions.
    #[test]
    fn damaged_files_never_panic(cut in 0usize..6000, len in 0usize..40, junk in "[ -~\n]{0,12}") {
        let text = std::fs::read_to_string(root().join("scenarios/reference.toml")).unwrap();
        let (start, end) = (cut.min(text.len()), (cut + len).min(text.len()));
        let damaged = format!("{}{junk}{}", &text[..start], &text[end..]);
        let file = root().join("scenarios/x.toml");
        match crate::scenario::load_text::<crate::faults::Registry>(&file, &damaged) {
            Ok(_) => {}
            Err(ScenarioError::Invalid { diagnostics }) => {
                prop_assert!(!diagnostics.is_empty());
                let lines = damaged.lines().count() + 1;
                let placed = |d: &Diagnostic| d.line >= 1 && d.line <= lines && d.column >= 1;
                prop_assert!(diagnostics.iter().all(placed));
            }
            Err(other) => prop_assert!(false, "{}", other),
        }
    }
}

#[test]
fn lint_silences_name_a_known_rule_and_give_a_reason() {
    let ok = format!(
        "{MINIMAL}{MANUAL}[lint]\naccept-widening = true\n[[lint.allow]]\nrule = \"add-constraint\"\nreason = \"checked by the app\"\n"
    );
    let s = inline(&ok).unwrap();
    assert!(s.lint.accept_widening);
    assert_eq!(s.lint.allow[0].rule, Rule::AddConstraint);
    let base = MINIMAL.lines().count() + MANUAL.lines().count();
    let unknown = format!("{MINIMAL}{MANUAL}[[lint.allow]]\nrule = \"no-such\"\nreason = \"x\"\n");
    let (line, column, key, message) = problem(&unknown);
    assert_eq!(
        (line, column, key.as_str()),
        (base + 2, 8, "lint.allow[0].rule")
    );
    assert!(message.starts_with("unknown value `no-such`"), "{message}");
    let silent = format!("{MINIMAL}{MANUAL}[[lint.allow]]\nrule = \"add-constraint\"\n");
    let (line, _, key, message) = problem(&silent);
    assert_eq!((line, key.as_str()), (base + 1, "lint.allow[0]"));
    assert!(message.starts_with("a reason is required"), "{message}");
}

#[test]
fn allowed_loss_names_tables_and_table_columns() {
    let good = format!(
        "{MINIMAL}{MANUAL}\n[allowed-loss]\ntables = [\"audit\"]\ncolumns = [\"entries.tags\"]\n"
    );
    let s = inline(&good).unwrap();
    assert_eq!(s.allowed_loss.tables, ["audit"]);
    assert_eq!(s.allowed_loss.columns, ["entries.tags"]);
    let bad =
        format!("{MINIMAL}{MANUAL}\n[allowed-loss]\ntables = [\"a.b\"]\ncolumns = [\"tags\"]\n");
    let found = problems(&bad);
    let keys: Vec<(&str, &str)> = found
        .iter()
        .map(|d| (d.key.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            (
                "allowed-loss.tables",
                "`a.b` is not a table name, as in \"entries\""
            ),
            (
                "allowed-loss.columns",
                "`tags` is not `table.column`, as in \"entries.tags\""
            ),
        ]
    );
    assert!(
        found.iter().all(|d| d.line > 1 && d.column > 1),
        "{found:#?}"
    );
}

#[test]
fn checks_read_only_what_earlier_checks_saved() {
    let checks = r#"
[[check]]
name = "written"
at = "before-rollback"
method = "POST"
path = "/entries"
json = '{"account": "c", "amount": 1}'
save = "/id"

[[check]]
path = "/entries/{saved written}"
"#;
    let s = inline(&format!("{MINIMAL}{checks}{MANUAL}")).unwrap();
    assert_eq!(s.checks.len(), 2);
    assert_eq!(s.checks[1].name, "check[1]");
    assert_eq!(s.checks[1].at, Phase::DuringVerification);
    assert_eq!(s.checks[1].uses(), ["written"]);

    let bad = r#"
[[check]]
at = "after-deploy"
path = "/entries/{saved later}"
save = "id"

[[check]]
name = "later"
at = "whenever"
path = "/entries"
save = "/id"
"#;
    let found = problems(&format!("{MINIMAL}{bad}{MANUAL}"));
    let keys: Vec<(&str, &str)> = found
        .iter()
        .map(|d| (d.key.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("check[0].path", "no earlier check is named `later`"),
            ("check[0].save", "a check that saves a value needs a name to be read back by"),
            ("check[0].save", "`id` is not a JSON pointer; it starts with `/`, as in \"/id\""),
            ("check[1].at", "unknown value `whenever`; expected one of after-deploy, before-rollback, during-verification"),
        ]
    );
}
