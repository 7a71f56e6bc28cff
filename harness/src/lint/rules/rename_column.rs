//! Rule `rename-column`: an in-place column rename. The previous release still names the old
//! column, so after a code rollback its queries fail (the `rename` trap).

use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{relname, Ctx, Hit};
use crate::lint::Rule;

const REMEDY: &str = "expand/contract: add the new column, write both and backfill, move reads \
to it, and drop the old one in a later contract release once no live or rollback-target \
release reads it";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let NodeEnum::RenameStmt(r) = node else {
        return Vec::new();
    };
    let Some(table) = relname(&r.relation) else {
        return Vec::new();
    };
    if r.rename_type() != ObjectType::ObjectColumn || ctx.new_column(&table, &r.subname) {
        return Vec::new();
    }
    vec![Hit::new(
        Rule::RenameColumn,
        format!(
            "column {table}.{} is renamed to {}: the previous release still uses `{}` and \
             fails on this schema",
            r.subname, r.newname, r.subname
        ),
        REMEDY,
    )]
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::{up, ENTRIES};
    use crate::lint::{Rule, Severity};

    #[test]
    fn renaming_an_old_column_is_an_error() {
        let sql =
            "-- move to a better name\nALTER TABLE entries RENAME COLUMN memo TO description;";
        assert_eq!(
            up(ENTRIES, sql),
            vec![(Rule::RenameColumn, Severity::Error, 2)]
        );
    }

    #[test]
    fn renaming_this_releases_own_column_is_not() {
        let sql = "ALTER TABLE entries ADD COLUMN draft text;\n\
                   ALTER TABLE entries RENAME COLUMN draft TO note;\n\
                   ALTER INDEX entries_pkey RENAME TO entries_pk;";
        assert_eq!(up(ENTRIES, sql), vec![]);
    }
}
