//! Rule `add-not-null-without-default`: a NOT NULL column added with nothing to fill it, so
//! the previous release's INSERTs, which do not name it, fail after a code rollback.

use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{cmds_of, Ctx, Hit};
use crate::lint::schema::{has_default, is_not_null};
use crate::lint::Rule;

const REMEDY: &str = "compensate, don't revert: add the column nullable or with a DEFAULT, \
backfill in a separate step, and make it NOT NULL only in a later contract release, once no \
rollback target inserts without it";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    cmds_of(node, AlterTableType::AtAddColumn)
        .into_iter()
        .filter(|(table, _)| !ctx.new_table(table))
        .filter_map(|(table, cmd)| match cmd.def.as_ref()?.node.as_ref()? {
            NodeEnum::ColumnDef(d) if is_not_null(d) && !has_default(d) => Some(Hit::new(
                Rule::AddNotNullWithoutDefault,
                format!(
                    "column {table}.{} is added NOT NULL without a default: the previous \
                     release's INSERTs do not name it and fail",
                    d.colname
                ),
                REMEDY,
            )),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::{up, ENTRIES};
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::AddNotNullWithoutDefault;

    #[test]
    fn flags_not_null_without_default_only() {
        let sql = "ALTER TABLE entries ADD COLUMN a text NOT NULL;\n\
                   ALTER TABLE entries ADD COLUMN b text NOT NULL DEFAULT 'x';\n\
                   ALTER TABLE entries ADD COLUMN c text;\n\
                   ALTER TABLE entries ADD COLUMN d bigserial NOT NULL;\n\
                   ALTER TABLE entries ADD COLUMN e int GENERATED ALWAYS AS IDENTITY;";
        let hits: Vec<_> = up(ENTRIES, sql)
            .into_iter()
            .filter(|h| h.0 == RULE)
            .collect();
        assert_eq!(hits, vec![(RULE, Severity::Error, 1)]);
    }

    #[test]
    fn a_table_of_this_release_is_nobody_elses() {
        let sql = "CREATE TABLE fresh (id int);\nALTER TABLE fresh ADD COLUMN a text NOT NULL;";
        assert!(up(ENTRIES, sql).iter().all(|h| h.0 != RULE));
    }
}
