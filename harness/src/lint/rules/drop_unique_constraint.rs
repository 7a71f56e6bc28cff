//! Rule `drop-unique-constraint`: a PRIMARY KEY, UNIQUE or EXCLUDE constraint, or a unique
//! index, that the previous release may rely on is dropped. Its `INSERT … ON CONFLICT`
//! needs one to infer the conflict target and fails without it, and its reads may assume a
//! key finds one row. A warning: lint cannot see whether its queries do either. Constraints
//! the model cannot tell the kind of (created outside these migrations) are reported too.

use pg_query::protobuf::{AlterTableType, ObjectType};
use pg_query::NodeEnum;

use super::{cmds_of, Ctx, Hit};
use crate::lint::schema::{dropped_name, ConstraintKind};
use crate::lint::Rule;

const REMEDY: &str = "expand/contract: keep the constraint (or index) until a later \
contract release, once no rollback target upserts on it or assumes the key is unique";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let mut dropped: Vec<(String, String)> = Vec::new();
    for (table, cmd) in cmds_of(node, AlterTableType::AtDropConstraint) {
        let old = match ctx.schema.constraint(&table, &cmd.name) {
            Some(c) => c.kind == ConstraintKind::Unique && c.added <= ctx.since,
            None => !ctx.new_table(&table),
        };
        if old {
            dropped.push((format!("constraint {}", cmd.name), table));
        }
    }
    if let NodeEnum::DropStmt(d) = node {
        if d.remove_type() == ObjectType::ObjectIndex {
            for name in d.objects.iter().filter_map(dropped_name) {
                if let Some((table, true, added)) = ctx.schema.index(&name) {
                    if *added <= ctx.since {
                        dropped.push((format!("unique index {name}"), table.clone()));
                    }
                }
            }
        }
    }
    dropped
        .into_iter()
        .map(|(what, table)| {
            Hit::new(
                Rule::DropUniqueConstraint,
                format!(
                    "{what} of {table} is dropped: the previous release's INSERT … ON CONFLICT \
                     on it fails, and its reads may count on the key being unique"
                ),
                REMEDY,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::up;
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::DropUniqueConstraint;

    #[test]
    fn unique_constraints_and_indexes_of_old_tables_are_warnings() {
        let before =
            "CREATE TABLE u (id int PRIMARY KEY, email text UNIQUE, n int CHECK (n > 0));\n\
                      CREATE UNIQUE INDEX u_lower ON u (lower(email));\n\
                      CREATE INDEX u_n ON u (n);";
        let sql = "ALTER TABLE u DROP CONSTRAINT u_email_key;\n\
                   ALTER TABLE u DROP CONSTRAINT u_n_check;\n\
                   DROP INDEX u_lower;\n\
                   DROP INDEX u_n;\n\
                   ALTER TABLE u DROP CONSTRAINT made_elsewhere;";
        let got: Vec<_> = up(before, sql)
            .into_iter()
            .filter(|h| h.0 == RULE)
            .collect();
        let w = Severity::Warning;
        assert_eq!(got, vec![(RULE, w, 1), (RULE, w, 3), (RULE, w, 5)]);
    }
}
