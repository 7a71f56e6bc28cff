//! Checks of the schema rollback a scenario's steps perform: with `migrate-down`, every
//! migration it must cross has a down file (`no-down-migration`, whatever the lint scope),
//! and the down migrations do not pull the schema from under the new release while it still
//! serves (`down-before-switch-code`: the `schema-before-flag` trap).

use super::locate::{Key, Place};
use crate::lint::{release_version, schema_removal, Finding, MigrationSet, Rule, Severity};
use crate::scenario::{Migrations, Scenario, Step};

const NO_DOWN_REMEDY: &str = "give every migration of the release a down migration, or drop \
migrate-down from the steps and roll back code only (compensate, don't revert)";
const ORDER_REMEDY: &str = "switch the code back first (after flags-off, when the schema \
change is behind a flag), then migrate down; or roll back code only and keep the schema";

pub fn check(s: &Scenario) -> Vec<Finding> {
    let steps = &s.rollback.steps;
    let Some(down_at) = steps.iter().position(|st| *st == Step::MigrateDown) else {
        return Vec::new();
    };
    let Migrations::Folder(folder) = &s.to_release().migrations else {
        return Vec::new();
    };
    // Unreadable folders or files are reported by the lint (migration-unreadable).
    let (Ok(set), Ok(since)) = (
        MigrationSet::read(folder),
        release_version(&s.from_release().migrations),
    ) else {
        return Vec::new();
    };
    let crossed: Vec<_> = set
        .migrations
        .iter()
        .filter(|m| m.version > since)
        .collect();
    let mut findings = Vec::new();
    for m in crossed.iter().filter(|m| m.down.is_none()) {
        let first = m.up.statements().ok().and_then(|s| s.into_iter().next());
        let (line, column, text) = first.map_or((1, None, String::new()), |st| {
            (st.line, Some(st.column), st.text)
        });
        findings.push(Finding {
            rule: Rule::NoDownMigration,
            severity: Severity::Error,
            category: Rule::NoDownMigration.category(),
            file: m.up.file.clone(),
            line,
            column,
            statement: text,
            message: format!(
                "the rollback runs migrate-down, but migration {} ({}) has no down migration: \
                 the step will fail",
                m.label, m.description
            ),
            remedy: NO_DOWN_REMEDY.to_string(),
            columns: Vec::new(),
            disposition: None,
        });
    }

    let switch_at = steps.iter().position(|st| *st == Step::SwitchCode);
    if switch_at.is_some_and(|at| at < down_at) {
        return findings;
    }
    let removals: Vec<String> = crossed
        .iter()
        .filter_map(|m| m.down.as_ref())
        .flat_map(|down| {
            let statements = down.statements().unwrap_or_default();
            statements
                .into_iter()
                .filter_map(|st| {
                    let what = schema_removal(&st.node)?;
                    Some(format!("{what} ({}:{})", down.file, st.line))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    if removals.is_empty() {
        return findings;
    }
    let flags_first = steps[..down_at].contains(&Step::FlagsOff);
    let place = Place::of(s, &[Key::Name("rollback"), Key::Name("steps")]);
    let mut finding = place.finding(
        Rule::DownBeforeSwitchCode,
        format!(
            "migrate-down runs before switch-code, while `{}` still serves: the down migration {}; \
             the release still serving may use what goes",
            s.deploy.to,
            removals.join(", ")
        ),
        ORDER_REMEDY,
    );
    if flags_first {
        // Safe only if the flags gate every use of what goes; the author says they do.
        finding.severity = Severity::Info;
        finding
            .message
            .push_str(" (flags-off runs first: safe if the flags gate every use of it)");
    }
    findings.push(finding);
    findings
}
