//! Runs rules on SQL: `before` builds the previous release's schema (version 1), `sql` is
//! the release under test (version 2).

use super::*;
use crate::lint::parse_sql;

pub fn up(before: &str, sql: &str) -> Vec<(Rule, Severity, usize)> {
    up_with(before, sql, false)
}

/// `up`, with widening accepted or not.
pub fn up_with(before: &str, sql: &str, accept_widening: bool) -> Vec<(Rule, Severity, usize)> {
    let mut schema = Schema::default();
    for s in parse_sql(before).unwrap() {
        schema.apply(&s.node, 1);
    }
    let mut out = Vec::new();
    for s in parse_sql(sql).unwrap() {
        let ctx = Ctx {
            accept_widening,
            ..ctx(&schema, None)
        };
        for check in UP {
            out.extend(
                check(&s.node, &ctx)
                    .into_iter()
                    .map(|h| (h.rule, h.severity, s.line)),
            );
        }
        schema.apply(&s.node, 2);
    }
    out
}

/// The hits of one rule on `sql`, after the `ENTRIES` schema of the previous release.
pub fn up_hits(rule: Rule, sql: &str) -> Vec<(Rule, Severity, usize)> {
    up(ENTRIES, sql)
        .into_iter()
        .filter(|h| h.0 == rule)
        .collect()
}

pub fn down(sql: &str) -> Vec<(Rule, Severity, usize)> {
    down_after("", "", sql)
}

/// The down rules' hits on `sql`, after `before` (version 1) and the up `up` (version 2).
pub fn down_after(before: &str, up: &str, sql: &str) -> Vec<(Rule, Severity, usize)> {
    let mut first = Schema::default();
    for s in parse_sql(before).unwrap() {
        first.apply(&s.node, 1);
    }
    let mut schema = first.clone();
    for s in parse_sql(up).unwrap() {
        schema.apply(&s.node, 2);
    }
    let mut out = Vec::new();
    for s in parse_sql(sql).unwrap() {
        let ctx = ctx(&schema, Some(&first));
        for check in DOWN {
            out.extend(
                check(&s.node, &ctx)
                    .into_iter()
                    .map(|h| (h.rule, h.severity, s.line)),
            );
        }
        schema.apply(&s.node, 2);
    }
    out
}

/// The context of release 2 after release 1.
fn ctx<'a>(schema: &'a Schema, before: Option<&'a Schema>) -> Ctx<'a> {
    Ctx {
        schema,
        before,
        since: 1,
        version: 2,
        accept_widening: false,
    }
}

/// The ledger's baseline table.
pub const ENTRIES: &str = "CREATE TABLE entries (id bigserial PRIMARY KEY, account text NOT NULL, amount bigint NOT NULL, memo text);";
