//! Rule `drop-column`: a column the previous release may read or write is dropped, so after
//! a code rollback its queries fail on this schema (the `forward-only` trap).

use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{cmds_of, Ctx, Hit};
use crate::lint::Rule;

const REMEDY: &str = "expand/contract: keep the old column until a later contract release; \
first ship code that stops using it, and drop it once no rollback target reads it";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    cmds_of(node, AlterTableType::AtDropColumn)
        .into_iter()
        .filter(|(table, cmd)| !ctx.new_column(table, &cmd.name))
        .map(|(table, cmd)| {
            Hit::new(
                Rule::DropColumn,
                format!(
                    "column {table}.{} is dropped: the previous release may still use it and \
                     fails on this schema",
                    cmd.name
                ),
                REMEDY,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::{up, ENTRIES};
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::DropColumn;

    #[test]
    fn dropping_an_old_column_is_an_error() {
        let got: Vec<_> = up(ENTRIES, "ALTER TABLE entries DROP COLUMN memo;")
            .into_iter()
            .filter(|h| h.0 == RULE)
            .collect();
        assert_eq!(got, vec![(RULE, Severity::Error, 1)]);
    }

    #[test]
    fn dropping_this_releases_own_column_is_not() {
        let sql = "ALTER TABLE entries ADD COLUMN scratch text;\nALTER TABLE entries DROP COLUMN scratch;";
        assert!(up(ENTRIES, sql).iter().all(|h| h.0 != RULE));
    }
}
