//! Rule `drop-not-null`: `ALTER COLUMN … DROP NOT NULL` on a column the previous release
//! reads. Its code never met a NULL there; once the new release writes one, a typed client
//! decoding the column as a non-optional value fails on that row. A warning: whether the new
//! release writes NULLs is its code's business, not the migration's.

use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{cmds_of, Ctx, Hit};
use crate::lint::Rule;

const REMEDY: &str = "expand/contract: first ship a release that reads the column as \
optional, and write NULLs only in a later release, once no rollback target decodes it as \
non-null";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    cmds_of(node, AlterTableType::AtDropNotNull)
        .into_iter()
        .filter(|(table, cmd)| !ctx.new_column(table, &cmd.name))
        .filter(|(table, cmd)| {
            ctx.schema
                .column(table, &cmd.name)
                .is_none_or(|c| c.not_null)
        })
        .map(|(table, cmd)| {
            Hit::new(
                Rule::DropNotNull,
                format!(
                    "column {table}.{} may hold NULL from now on: the previous release never \
                     met one there, and fails to decode the rows where the new release writes it",
                    cmd.name
                ),
                REMEDY,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::up_hits;
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::DropNotNull;

    #[test]
    fn relaxing_an_old_not_null_column_is_a_warning() {
        let sql = "ALTER TABLE entries ALTER COLUMN account DROP NOT NULL;\n\
                   ALTER TABLE entries ALTER COLUMN memo DROP NOT NULL;\n\
                   ALTER TABLE entries ADD COLUMN c text NOT NULL DEFAULT '';\n\
                   ALTER TABLE entries ALTER COLUMN c DROP NOT NULL;";
        assert_eq!(up_hits(RULE, sql), vec![(RULE, Severity::Warning, 1)]);
    }
}
