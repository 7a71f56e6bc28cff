//! Rule `set-not-null`: `ALTER COLUMN ... SET NOT NULL` on a column with no default. After a
//! code rollback the previous release's INSERTs leave it NULL and fail — the `notnull` trap:
//! add nullable, backfill, then SET NOT NULL. With a default it is safe and not reported.

use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{cmds_of, Ctx, Hit};
use crate::lint::{Rule, Severity};

const REMEDY: &str = "compensate, don't revert: give the column a DEFAULT before (or instead \
of) SET NOT NULL so older INSERTs still get a value, or keep it nullable until a later \
contract release no rollback target predates";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    cmds_of(node, AlterTableType::AtSetNotNull)
        .into_iter()
        .filter(|(table, _)| !ctx.new_table(table))
        .filter_map(|(table, cmd)| {
            let column = &cmd.name;
            let (severity, why) = match ctx.schema.column(&table, column) {
                Some(c) if c.has_default => return None,
                Some(c) if c.added > ctx.since => (
                    Severity::Error,
                    "it was added by this release, so the previous release's INSERTs never name it and fail",
                ),
                Some(_) => (
                    Severity::Error,
                    "it has no default, so the previous release's INSERTs that leave it out (or write NULL) fail",
                ),
                None => (
                    Severity::Warning,
                    "its default is unknown to these migrations; without one, the previous release's INSERTs that leave it out fail",
                ),
            };
            let mut hit = Hit::new(
                Rule::SetNotNull,
                format!("column {table}.{column} is made NOT NULL: {why}"),
                REMEDY,
            );
            hit.severity = severity;
            Some(hit)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::up_hits;
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::SetNotNull;

    fn hits(sql: &str) -> Vec<(Rule, Severity, usize)> {
        up_hits(RULE, sql)
    }

    #[test]
    fn the_notnull_trap_is_an_error_at_the_set_not_null_line() {
        let sql = "ALTER TABLE entries ADD COLUMN currency text;\n\
                   UPDATE entries SET currency = 'EUR' WHERE currency IS NULL;\n\
                   ALTER TABLE entries ALTER COLUMN currency SET NOT NULL;";
        assert_eq!(hits(sql), vec![(RULE, Severity::Error, 3)]);
    }

    #[test]
    fn a_default_makes_it_safe() {
        let sql = "ALTER TABLE entries ADD COLUMN currency text DEFAULT 'EUR';\n\
                   ALTER TABLE entries ALTER COLUMN currency SET NOT NULL;\n\
                   ALTER TABLE entries ALTER COLUMN memo SET DEFAULT '';\n\
                   ALTER TABLE entries ALTER COLUMN memo SET NOT NULL;";
        assert_eq!(hits(sql), vec![]);
    }

    #[test]
    fn old_columns_without_default_are_errors_and_unknown_ones_warnings() {
        let sql = "ALTER TABLE entries ALTER COLUMN memo SET NOT NULL;\n\
                   ALTER TABLE entries ALTER COLUMN mystery SET NOT NULL;";
        assert_eq!(
            hits(sql),
            vec![(RULE, Severity::Error, 1), (RULE, Severity::Warning, 2)]
        );
    }
}
