//! Dispositions on the bundled scenarios: every hazard there is expected, declared or
//! silenced, and a hazard the scenario does not account for still counts.

use std::path::{Path, PathBuf};

use crate::lint::{report::fails, Disposition, Rule, Severity};
use crate::preflight::static_checks;
use crate::scenario::Scenario;

fn scenario(name: &str) -> Scenario {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    Scenario::load(&root.join("scenarios").join(format!("{name}.toml"))).unwrap()
}

/// (rule, disposition kind) of each finding at warning or above.
fn disposed(name: &str) -> Vec<(Rule, Option<&'static str>)> {
    static_checks(&scenario(name))
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| (f.rule, f.disposition.as_ref().map(Disposition::as_str)))
        .collect()
}

#[test]
fn every_bundled_hazard_is_expected_declared_or_silenced() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let s = Scenario::load(&path).unwrap();
            let findings = static_checks(&s);
            assert!(
                !fails(&findings, Severity::Info),
                "{}: {findings:#?}",
                s.name
            );
        }
    }
}

#[test]
fn each_trap_is_accounted_for_in_its_own_way() {
    use Rule::*;
    let e = Some("expected");
    assert_eq!(disposed("notnull-code-only"), vec![(SetNotNull, e)]);
    assert_eq!(disposed("tags-down-undeclared"), vec![(DownDropsData, e)]);
    assert_eq!(
        disposed("tags-down-declared"),
        vec![(DownDropsData, Some("declared"))]
    );
    // The drop of memo is never reached: migrate-down fails first.
    let forward = disposed("forward-only-schema-rollback");
    assert!(forward.contains(&(NoDownMigration, e)), "{forward:?}");
    assert!(forward.contains(&(DropColumn, e)), "{forward:?}");
    let flag = disposed("schema-before-flag");
    assert!(flag.contains(&(DownBeforeSwitchCode, e)), "{flag:?}");
    assert!(
        flag.contains(&(DownDropsData, Some("silenced"))),
        "{flag:?}"
    );
}

#[test]
fn an_unaccounted_hazard_still_counts() {
    let mut s = scenario("tags-down-declared");
    s.allowed_loss.columns = vec!["entries.memo".into()];
    let findings = static_checks(&s);
    assert!(fails(&findings, Severity::Error), "{findings:#?}");
    let mut s = scenario("notnull-code-only");
    s.expect.failing_oracles = vec![crate::scenario::Oracle::Digest];
    assert!(fails(&static_checks(&s), Severity::Error));
    assert!(Path::new(&s.source).exists());
}
