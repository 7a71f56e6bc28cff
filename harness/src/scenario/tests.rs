//! Tests of loading scenario files: the reference scenario, the invalid fixtures (exact
//! file:line:column and key path) and folders. Inline variations are in `validate/tests.rs`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;
use crate::vocab::Verdict;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

use validate::tests::{MANUAL, MINIMAL};

/// The loaders as the crate offers them, with the real fault kinds.
fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    Scenario::load(path)
}

fn load_all(path: &Path) -> Result<Vec<Scenario>, Vec<ScenarioError>> {
    Scenario::load_all(path)
}

#[test]
fn reference_scenario_yields_the_expected_values() {
    let s = load(&root().join("scenarios/reference.toml")).unwrap();
    assert_eq!(
        (s.name.as_str(), s.expect.verdict),
        ("reference", Verdict::Pass)
    );
    assert!(s.expect.failing_oracles.is_empty() && s.services.is_empty() && s.faults.is_empty());
    assert_eq!(s.database.image, "rollcage/postgres:15");
    assert_eq!(
        (
            s.database.port,
            s.database.user.as_str(),
            s.database.name.as_str()
        ),
        (5432, "postgres", "postgres")
    );
    assert_eq!(s.database.ready_timeout, Duration::from_secs(20));
    assert_eq!((s.app.port, s.app.health_path.as_str()), (8080, "/health"));
    assert_eq!(s.app.probe_interval, Duration::from_millis(5));
    assert_eq!(
        s.app.env["DATABASE_URL"],
        "postgres://{db.user}:{db.password}@{db.host}:{db.port}/{db.name}"
    );
    let names: Vec<&str> = s.releases.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["baseline", "expand"]);
    let folder = root().join("scenarios/../fixtures/ledger/migrations/expand");
    assert_eq!(s.to_release().migrations, Migrations::Folder(folder));
    assert_eq!(s.to_release().image, "rollcage/ledger:expand");
    assert_eq!(
        s.deploy,
        Deploy {
            from: "baseline".into(),
            to: "expand".into(),
            warmup: Duration::from_secs(1)
        }
    );
    assert_eq!((s.traffic.rate, s.traffic.concurrency), (50, 8));
    assert_eq!(s.traffic.writes().next().unwrap().ack_status, [201]);
    assert_eq!(
        s.traffic.writes().next().unwrap().key,
        KeySource::Response("/id".into())
    );
    assert!(
        matches!(&s.traffic.writes().next().unwrap().body, Body::Json(t) if t.as_str().contains("{seq}"))
    );
    let fields = vec!["/account".to_string(), "/amount".into(), "/memo".into()];
    let read_back = ReadBack::Http {
        method: "GET".into(),
        path: "/entries/{key}".into(),
        fields,
    };
    assert_eq!(s.traffic.read_back, read_back);
    // `[[smoke]]` requests are checks after the rollback, named by their place.
    let smoke: Vec<_> = s
        .checks
        .iter()
        .filter(|c| c.name.starts_with("smoke["))
        .collect();
    assert_eq!(smoke.len(), 2);
    assert_eq!(smoke[1].name, "smoke[1]");
    assert_eq!(smoke[1].at, Phase::DuringVerification);
    assert_eq!(smoke[1].expect_status, [201]);
    let rollback = Rollback {
        strategy: Strategy::CodeOnly,
        steps: vec![Step::SwitchCode],
        image_ref: ImageRef::Digest,
        trigger: Trigger::Manual {
            after: Duration::from_secs(1),
        },
        budget: Duration::from_secs(30),
    };
    assert_eq!(s.rollback, rollback);
    assert_eq!(s.allowed_loss, AllowedLoss::default());
}

#[test]
fn reference_scenario_documents_every_key() {
    let text = std::fs::read_to_string(root().join("scenarios/reference.toml")).unwrap();
    let keys = "name description expect expect-failing image port user password env \
        ready-timeout health probe-interval cmd migrations flags from to warmup rate concurrency \
        request-timeout observe-after method path json form ack-status key fields sql expect-status strategy \
        steps image-ref budget kind after window every need of give-up-after conditions \
        error-rate-above p99-above at release writes-since-snapshot duration delay after-statements megabytes \
        seed weight";
    for key in keys.split_whitespace() {
        let written = text.lines().any(|l| {
            l.trim_start_matches(['#', ' '])
                .starts_with(&format!("{key} = "))
        });
        assert!(
            written || text.contains(&format!("{{ {key} = ")),
            "{key} is not in reference.toml"
        );
    }
    for table in [
        "[database]",
        "[app]",
        "[[service]]",
        "[releases.",
        "[deploy]",
        "[traffic]",
        "[traffic.write]",
        "[[traffic.request]]",
        "[traffic.read-back]",
        "[[smoke]]",
        "[rollback]",
        "[rollback.trigger]",
        "[[fault]]",
        "[allowed-loss]",
    ] {
        assert!(text.contains(table), "{table} is not in reference.toml");
    }
}

#[test]
fn each_invalid_fixture_points_at_its_problem() {
    let cases = [
        (
            "unknown-key",
            24,
            1,
            "rollback.stratgy",
            "unknown key; expected one of strategy, steps, image-ref, budget, trigger",
        ),
        (
            "bad-duration",
            25,
            10,
            "rollback.budget",
            "`30 parsecs` is not a duration such as \"20s\" or \"150ms\"",
        ),
        (
            "wrong-type",
            29,
            8,
            "rollback.trigger.need",
            "expected an integer, found string \"three\"",
        ),
        (
            "missing-required",
            2,
            1,
            "database.image",
            "missing required key",
        ),
        (
            "bad-reference",
            13,
            6,
            "deploy.to",
            "no release named `nope`; releases are baseline, expand",
        ),
        (
            "duplicate-steps",
            25,
            25,
            "rollback.steps[1]",
            "`switch-code` is listed twice",
        ),
        (
            "migrate-down-code-only",
            25,
            25,
            "rollback.steps[1]",
            "the migrate-down step needs strategy = \"code-and-schema\"",
        ),
    ];
    for (name, line, column, key, message) in cases {
        let path = root().join(format!("tests/fixtures/invalid/{name}.toml"));
        let Err(ScenarioError::Invalid { diagnostics }) = load(&path) else {
            panic!("{name} loaded")
        };
        assert_eq!(diagnostics.len(), 1, "{name}: {diagnostics:#?}");
        let d = &diagnostics[0];
        assert_eq!(
            (d.file.as_path(), d.line, d.column, d.key.as_str()),
            (path.as_path(), line, column, key),
            "{name}"
        );
        assert!(d.message.starts_with(message), "{name}: {}", d.message);
        let shown = format!("{}:{line}:{column}: {key}: {message}", path.display());
        assert!(d.to_string().starts_with(&shown), "{name}: {d}");
    }
}

#[test]
fn every_validation_problem_of_a_file_is_reported_in_file_order() {
    let Err(ScenarioError::Invalid { diagnostics }) =
        load(&root().join("tests/fixtures/invalid/many-problems.toml"))
    else {
        panic!("many-problems loaded")
    };
    let found: Vec<(usize, usize, &str)> = diagnostics
        .iter()
        .map(|d| (d.line, d.column, d.key.as_str()))
        .collect();
    let expected = [
        (10, 14, "releases.expand.migrations"),
        (13, 8, "deploy.from"),
        (26, 10, "rollback.budget"),
        (30, 8, "rollback.trigger.need"),
        (32, 36, "rollback.trigger.conditions[0].error-rate-above"),
        (35, 6, "fault[0].at"),
    ];
    assert_eq!(found, expected);
    assert!(diagnostics[0]
        .message
        .ends_with("no/such/folder does not exist"));
}

#[test]
fn load_all_validates_every_file_and_reports_each_bad_one() {
    let dir = root().join("tests/fixtures/invalid");
    let errors = load_all(&dir).unwrap_err();
    let mut files: Vec<String> = errors
        .iter()
        .map(|e| match e {
            ScenarioError::Invalid { diagnostics } => diagnostics[0]
                .file
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into(),
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(files.len(), 8, "{files:?}"); // _draft.toml is skipped
    files.dedup();
    assert_eq!(files.len(), 8);
    assert_eq!(
        load_all(&root().join("scenarios/reference.toml"))
            .unwrap()
            .len(),
        1
    );
    assert!(load_all(&root().join("scenarios"))
        .unwrap()
        .iter()
        .any(|s| s.name == "reference"));
}

#[test]
fn load_all_refuses_two_scenarios_with_one_name() {
    let dir = std::env::temp_dir().join(format!("rollcage-scenario-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["a.toml", "b.toml"] {
        std::fs::write(
            dir.join(file),
            format!("name = \"same\"\n{MINIMAL}{MANUAL}"),
        )
        .unwrap();
    }
    let errors = load_all(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .to_string()
            .contains("b.toml:1:8: name: scenario name `same` is already used by"),
        "{}",
        errors[0]
    );
    let missing = load(Path::new("no/such/file.toml")).unwrap_err();
    assert!(
        matches!(&missing, ScenarioError::Read { .. })
            && std::error::Error::source(&missing).is_some()
    );
}
