//! Rule `change-column-type`: `ALTER COLUMN ... TYPE` on a column the previous release uses.
//! Its reads and writes assume the old type, so any change is an error — a numeric widening
//! (int2 → int4 → int8, float4 → float8) included: typed clients (sqlx, JDBC, anything that
//! decodes by the declared type) refuse an int8 where the code reads an int4. Where every
//! client reads values as text, `accept-widening` (a scenario's `[lint]` key, lint's
//! `--accept-widening`) turns a numeric widening into information. A longer varchar, or
//! varchar → text, stays a string for every client: information.

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
            match old.map(|old| widening(&old, &new)) {
                Some(Some(Widening::Text)) => {
                    hit.severity = Severity::Info;
                    hit.message
                        .push_str(" (a longer string: every client still reads a string)");
                }
                Some(Some(Widening::Numeric)) if ctx.accept_widening => {
                    hit.severity = Severity::Info;
                    hit.message
                        .push_str(" (a widening, accepted: clients read it as text)");
                }
                Some(Some(Widening::Numeric)) => hit.message.push_str(
                    " (a widening, but a typed client decodes by the declared type and \
                     refuses the wider one; accept-widening accepts it for text-protocol clients)",
                ),
                _ => {}
            }
            Some(hit)
        })
        .collect()
}

/// How every value of an old type is also a value of a new one, with the same text form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widening {
    /// A wider number: its client type changes (i32 → i64).
    Numeric,
    /// A longer string: still a string to every client.
    Text,
}

/// Whether `old` → `new` widens, and how; None for any other change.
pub fn widening(old: &str, new: &str) -> Option<Widening> {
    let width =
        |t: &str| -> Option<u32> { t.strip_prefix("varchar(")?.strip_suffix(')')?.parse().ok() };
    match (old, new) {
        ("int2", "int4" | "int8") | ("int4", "int8") | ("float4", "float8") => {
            Some(Widening::Numeric)
        }
        (o, "text" | "varchar") if o.starts_with("varchar") => Some(Widening::Text),
        (o, n) => {
            matches!((width(o), width(n)), (Some(a), Some(b)) if b >= a).then_some(Widening::Text)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::{up, up_with};
    use crate::lint::{Rule, Severity};

    const BEFORE: &str = "CREATE TABLE t (id int, name varchar(20), code text, n int2);";

    const SQL: &str = "ALTER TABLE t ALTER COLUMN code TYPE int USING code::int;\n\
                       ALTER TABLE t ALTER COLUMN id TYPE bigint;\n\
                       ALTER TABLE t ALTER COLUMN name TYPE varchar(50);\n\
                       ALTER TABLE t ALTER COLUMN n TYPE text;";

    #[test]
    fn any_change_is_an_error_numeric_widening_included_a_longer_string_info() {
        let r = Rule::ChangeColumnType;
        assert_eq!(
            up(BEFORE, SQL),
            vec![
                (r, Severity::Error, 1),
                (r, Severity::Error, 2),
                (r, Severity::Info, 3),
                (r, Severity::Error, 4),
            ]
        );
    }

    #[test]
    fn accept_widening_makes_a_numeric_widening_information() {
        let r = Rule::ChangeColumnType;
        let got: Vec<Severity> = up_with(BEFORE, SQL, true)
            .into_iter()
            .map(|h| h.1)
            .collect();
        let (e, i) = (Severity::Error, Severity::Info);
        assert_eq!(got, vec![e, i, i, e]);
        assert!(up_with(BEFORE, SQL, true).iter().all(|h| h.0 == r));
    }
}
