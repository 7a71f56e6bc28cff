//! Rule `down-drops-data`: a down migration that drops a table or column, or deletes rows.
//! Whatever the new release wrote there is lost when the schema is rolled back (the `tags`
//! trap). Silence it with an allow comment where the loss is intended. Not reported: the
//! DROP TABLE of a table the same migration's up created (the expected inverse), and
//! removals another table's foreign key refuses (those abort instead: `down-aborts`).

use pg_query::protobuf::{AlterTableType, DropBehavior, ObjectType};
use pg_query::NodeEnum;

use super::down_aborts::blocked_by;
use super::{cmds_of, names_of, relname, Ctx, Hit};
use crate::lint::Rule;

const REMEDY: &str = "compensate, don't revert: roll back the code only and leave the column \
or table in place; drop it in a later contract release once its data is known to be \
unneeded (or copy it somewhere first). If the loss is intended, say so with \
`-- rollcage:allow down-drops-data <reason>`";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let goes = |t: &String, all: &[String], delete| blocked_by(ctx, t, all, delete).is_empty();
    let lost: Vec<(String, Vec<String>)> = match node {
        NodeEnum::DropStmt(d) if d.remove_type() == ObjectType::ObjectTable => {
            let all: Vec<String> = d.objects.iter().filter_map(|o| names_of(o).pop()).collect();
            let cascade = d.behavior() == DropBehavior::DropCascade;
            all.iter()
                // The inverse of this migration's own CREATE TABLE is expected.
                .filter(|t| ctx.schema.table(t).is_none_or(|t| t.created != ctx.version))
                .filter(|t| cascade || goes(t, &all, false))
                .map(|t| {
                    (
                        format!("drops table {t} and every row in it"),
                        columns(ctx, t),
                    )
                })
                .collect()
        }
        NodeEnum::TruncateStmt(t) => {
            let all: Vec<String> = t
                .relations
                .iter()
                .filter_map(|r| match &r.node {
                    Some(NodeEnum::RangeVar(v)) => Some(v.relname.clone()),
                    _ => None,
                })
                .collect();
            let cascade = t.behavior() == DropBehavior::DropCascade;
            let gone: Vec<&String> = all
                .iter()
                .filter(|t| cascade || goes(t, &all, false))
                .collect();
            if gone.is_empty() {
                Vec::new()
            } else {
                let names: Vec<&str> = gone.iter().map(|s| s.as_str()).collect();
                let cols = gone.iter().flat_map(|t| columns(ctx, t)).collect();
                vec![(format!("truncates {}", names.join(", ")), cols)]
            }
        }
        NodeEnum::DeleteStmt(d) => relname(&d.relation)
            .filter(|t| goes(t, std::slice::from_ref(t), true))
            .map(|t| {
                let cascades: Vec<&str> = ctx
                    .schema
                    .references_to(&t)
                    .into_iter()
                    .map(|(f, _)| f)
                    .collect();
                let also = if cascades.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (and, through ON DELETE, the rows of {} that reference them)",
                        cascades.join(", ")
                    )
                };
                let rows = if d.where_clause.is_some() {
                    "rows"
                } else {
                    "every row"
                };
                (format!("deletes {rows} of {t}{also}"), columns(ctx, &t))
            })
            .into_iter()
            .collect(),
        _ => cmds_of(node, AlterTableType::AtDropColumn)
            .into_iter()
            .map(|(t, c)| {
                let what = format!("drops column {t}.{} and every value written to it", c.name);
                (what, vec![format!("{t}.{}", c.name)])
            })
            .collect(),
    };
    lost.into_iter()
        .map(|(what, cols)| {
            Hit::new(
                Rule::DownDropsData,
                format!("the down migration {what}: data the new release wrote is lost on a schema rollback"),
                REMEDY,
            )
            .losing(cols)
        })
        .collect()
}

/// Every column of `table` the model knows, as `table.column`.
fn columns(ctx: &Ctx, table: &str) -> Vec<String> {
    let t = ctx.schema.table(table);
    t.map(|t| t.columns.keys().map(|c| format!("{table}.{c}")).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::{down, down_after};
    use crate::lint::{Rule, Severity};

    #[test]
    fn drops_and_deletes_in_a_down_migration_are_errors() {
        let sql = "-- Discards every tag.\nALTER TABLE entries DROP COLUMN tags;\n\
                   ALTER TABLE entries RENAME COLUMN description TO memo;\n\
                   DROP TABLE entries;\nDELETE FROM audit;";
        let e = (Rule::DownDropsData, Severity::Error);
        assert_eq!(down(sql), vec![(e.0, e.1, 2), (e.0, e.1, 4), (e.0, e.1, 5)]);
    }

    #[test]
    fn the_inverse_of_a_create_table_and_refused_removals_lose_nothing() {
        let up = "CREATE TABLE kinds (id int PRIMARY KEY);\n\
                  CREATE TABLE items (kind int REFERENCES kinds);";
        let e = (Rule::DownDropsData, Severity::Error);
        assert_eq!(
            down_after("", up, "DROP TABLE items;\nDROP TABLE kinds;"),
            vec![]
        );
        let old = "CREATE TABLE kinds (id int PRIMARY KEY);";
        let up = "CREATE TABLE items (kind int REFERENCES kinds);";
        let got = down_after(old, up, "DELETE FROM kinds;\nTRUNCATE kinds CASCADE;");
        let lost: Vec<_> = got.into_iter().filter(|h| h.0 == e.0).collect();
        assert_eq!(lost, vec![(e.0, e.1, 2)]);
    }
}
