//! Rule `change-column-type`: `ALTER COLUMN ... TYPE` on a column the previous release uses.
//! Its reads and writes assume the old type. A known widening (int4 → int8, varchar(n) →
//! text or a longer varchar, float4 → float8) is a warning; anything else an error.

use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

use super::{cmds_of, Ctx, Hit};
use crate::lint::schema::type_string;
use crate::lint::{Rule, Severity};

const REMEDY: &str = "expand/contract: add a column of the new type, write both and backfill \
in a separate step, move reads, and drop the old column in a later contract release";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    cmds_of(node, AlterTableType::AtAlterColumnType)
        .into_iter()
        .filter(|(table, cmd)| !ctx.new_column(table, &cmd.name))
        .filter_map(|(table, cmd)| {
            let NodeEnum::ColumnDef(d) = cmd.def.as_ref()?.node.as_ref()? else {
                return None;
            };
            let new = d.type_name.as_ref().map(type_string)?;
            let old = ctx
                .schema
                .column(&table, &cmd.name)
                .map(|c| c.type_name.clone());
            let from = old.as_deref().unwrap_or("its old type");
            let mut hit = Hit::new(
                Rule::ChangeColumnType,
                format!(
                    "column {table}.{} changes type from {from} to {new}: the previous release \
                     reads and writes it as before",
                    cmd.name
                ),
                REMEDY,
            );
            if old.is_some_and(|old| widens(&old, &new)) {
                hit.severity = Severity::Warning;
                hit.message
                    .push_str(" (a widening: usually still compatible)");
            }
            Some(hit)
        })
        .collect()
}

/// Whether every value of `old` is a value of `new` with the same text form.
fn widens(old: &str, new: &str) -> bool {
    let width =
        |t: &str| -> Option<u32> { t.strip_prefix("varchar(")?.strip_suffix(')')?.parse().ok() };
    match (old, new) {
        ("int2", "int4" | "int8") | ("int4", "int8") | ("float4", "float8") => true,
        (o, "text" | "varchar") => o.starts_with("varchar"),
        (o, n) => matches!((width(o), width(n)), (Some(a), Some(b)) if b >= a),
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::up;
    use crate::lint::{Rule, Severity};

    const BEFORE: &str = "CREATE TABLE t (id int, name varchar(20), code text, n int2);";

    #[test]
    fn narrowing_or_unknown_is_an_error_widening_a_warning() {
        let sql = "ALTER TABLE t ALTER COLUMN code TYPE int USING code::int;\n\
                   ALTER TABLE t ALTER COLUMN id TYPE bigint;\n\
                   ALTER TABLE t ALTER COLUMN name TYPE varchar(50);\n\
                   ALTER TABLE t ALTER COLUMN n TYPE text;";
        let r = Rule::ChangeColumnType;
        assert_eq!(
            up(BEFORE, sql),
            vec![
                (r, Severity::Error, 1),
                (r, Severity::Warning, 2),
                (r, Severity::Warning, 3),
                (r, Severity::Error, 4),
            ]
        );
    }
}
