//! Rule `rename-table`: a table, view or materialized view renamed in place or moved to
//! another schema. The previous release still queries it where it was, so after a code
//! rollback every query on it fails.

use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{relname, Ctx, Hit};
use crate::lint::schema::ObjectKind;
use crate::lint::Rule;

const REMEDY: &str = "expand/contract: create the new table (or leave a view under the old \
name), write both and backfill, move reads, and drop the old name in a later contract \
release once no rollback target uses it";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let (kind, relation, to) = match node {
        NodeEnum::RenameStmt(r) => (r.rename_type(), &r.relation, r.newname.clone()),
        NodeEnum::AlterObjectSchemaStmt(s) => (
            s.object_type(),
            &s.relation,
            format!("schema {}", s.newschema),
        ),
        _ => return Vec::new(),
    };
    let Some(name) = relname(relation) else {
        return Vec::new();
    };
    let (noun, new) = match kind {
        ObjectType::ObjectTable => ("table", ctx.new_table(&name)),
        ObjectType::ObjectView | ObjectType::ObjectMatview => (
            "view",
            ctx.schema
                .object(ObjectKind::View, &name)
                .is_some_and(|v| v > ctx.since),
        ),
        _ => return Vec::new(),
    };
    if new {
        return Vec::new();
    }
    let verb = match node {
        NodeEnum::AlterObjectSchemaStmt(_) => "moves to",
        _ => "is renamed to",
    };
    vec![Hit::new(
        Rule::RenameTable,
        format!(
            "{noun} {name} {verb} {to}: the previous release still queries `{name}` and \
             fails on this schema"
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
                   ALTER TABLE tmp RENAME TO staging;\n\
                   ALTER TABLE ledger_entries SET SCHEMA archive;\n\
                   ALTER VIEW totals RENAME TO sums;";
        let e = (Rule::RenameTable, Severity::Error);
        assert_eq!(
            up(ENTRIES, sql),
            vec![(e.0, e.1, 1), (e.0, e.1, 4), (e.0, e.1, 5)]
        );
    }
}
