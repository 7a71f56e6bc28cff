//! Rule `rename-table`: an in-place table rename. The previous release still queries the
//! old name, so after a code rollback every query on it fails.

use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{relname, Ctx, Hit};
use crate::lint::Rule;

const REMEDY: &str = "expand/contract: create the new table (or leave a view under the old \
name), write both and backfill, move reads, and drop the old name in a later contract \
release once no rollback target uses it";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let NodeEnum::RenameStmt(r) = node else {
        return Vec::new();
    };
    let Some(table) = relname(&r.relation) else {
        return Vec::new();
    };
    if r.rename_type() != ObjectType::ObjectTable || ctx.new_table(&table) {
        return Vec::new();
    }
    vec![Hit::new(
        Rule::RenameTable,
        format!(
            "table {table} is renamed to {}: the previous release still queries `{table}` and \
             fails on this schema",
            r.newname
        ),
        REMEDY,
    )]
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::{up, ENTRIES};
    use crate::lint::{Rule, Severity};

    #[test]
    fn renaming_an_old_table_is_an_error_a_new_one_is_not() {
        let sql = "ALTER TABLE entries RENAME TO ledger_entries;\n\
                   CREATE TABLE tmp (id int);\n\
                   ALTER TABLE tmp RENAME TO staging;";
        assert_eq!(
            up(ENTRIES, sql),
            vec![(Rule::RenameTable, Severity::Error, 1)]
        );
    }
}
