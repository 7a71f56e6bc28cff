//! Rule `down-drops-data`: a down migration that drops a table or column, or deletes rows.
//! Whatever the new release wrote there is lost when the schema is rolled back (the `tags`
//! trap). Silence it with an allow comment where the loss is intended.

use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{cmds_of, names_of, relname, Ctx, Hit};
use crate::lint::Rule;
use pg_query::protobuf::AlterTableType;

const REMEDY: &str = "compensate, don't revert: roll back the code only and leave the column \
or table in place; drop it in a later contract release once its data is known to be \
unneeded (or copy it somewhere first). If the loss is intended, say so with \
`-- rollcage:allow down-drops-data <reason>`";

pub fn check(node: &NodeEnum, _ctx: &Ctx) -> Vec<Hit> {
    let lost: Vec<String> = match node {
        NodeEnum::DropStmt(d) if d.remove_type() == ObjectType::ObjectTable => d
            .objects
            .iter()
            .filter_map(|o| names_of(o).pop())
            .map(|t| format!("drops table {t} and every row in it"))
            .collect(),
        NodeEnum::TruncateStmt(t) => vec![format!(
            "truncates {}",
            t.relations
                .iter()
                .filter_map(|r| match &r.node {
                    Some(NodeEnum::RangeVar(v)) => Some(v.relname.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(", ")
        )],
        NodeEnum::DeleteStmt(d) => relname(&d.relation)
            .map(|t| format!("deletes rows of {t}"))
            .into_iter()
            .collect(),
        _ => cmds_of(node, AlterTableType::AtDropColumn)
            .into_iter()
            .map(|(t, c)| format!("drops column {t}.{} and every value written to it", c.name))
            .collect(),
    };
    lost.into_iter()
        .map(|what| {
            Hit::new(
                Rule::DownDropsData,
                format!("the down migration {what}: data the new release wrote is lost on a schema rollback"),
                REMEDY,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::down;
    use crate::lint::{Rule, Severity};

    #[test]
    fn drops_and_deletes_in_a_down_migration_are_errors() {
        let sql = "-- Discards every tag.\nALTER TABLE entries DROP COLUMN tags;\n\
                   ALTER TABLE entries RENAME COLUMN description TO memo;\n\
                   DROP TABLE entries;\nDELETE FROM audit;";
        let e = (Rule::DownDropsData, Severity::Error);
        assert_eq!(down(sql), vec![(e.0, e.1, 2), (e.0, e.1, 4), (e.0, e.1, 5)]);
    }
}
