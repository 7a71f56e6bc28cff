//! Rule `destructive-up`: an up migration that deletes or overwrites data the previous
//! release wrote — DELETE, TRUNCATE, DROP TABLE, DROP COLUMN (errors), or an UPDATE of old
//! columns (a warning). No down migration can bring those values back. An UPDATE that only
//! backfills columns this release added destroys nothing and is not reported; one whose
//! WHERE clause requires every old column it sets to be NULL fills only NULLs and overwrites
//! no value (information).

use pg_query::protobuf::{AlterTableType, BoolExprType, NullTestType, ObjectType};
use pg_query::{Node, NodeEnum};

use super::{cmds_of, column_refs, names_of, relname, Ctx, Hit};
use crate::lint::{Rule, Severity};

const REMEDY: &str = "compensate, don't revert: copy what goes away first (a side table or \
column the down migration can restore from), or leave the data in place and remove it in a \
later contract release once no rollback target needs it";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let hit = |what: String| {
        Hit::new(
            Rule::DestructiveUp,
            format!("{what}; a schema rollback cannot bring it back"),
            REMEDY,
        )
    };
    let old_table = |t: &String| !ctx.new_table(t);
    match node {
        NodeEnum::DeleteStmt(d) => relname(&d.relation)
            .filter(old_table)
            .map(|t| {
                let rows = if d.where_clause.is_some() {
                    "rows"
                } else {
                    "every row"
                };
                hit(format!("DELETE removes {rows} of {t}"))
            })
            .into_iter()
            .collect(),
        NodeEnum::TruncateStmt(t) => t
            .relations
            .iter()
            .filter_map(|r| match &r.node {
                Some(NodeEnum::RangeVar(v)) => Some(v.relname.clone()),
                _ => None,
            })
            .filter(old_table)
            .map(|t| hit(format!("TRUNCATE removes every row of {t}")))
            .collect(),
        NodeEnum::DropStmt(d) if d.remove_type() == ObjectType::ObjectTable => d
            .objects
            .iter()
            .filter_map(|o| names_of(o).pop())
            .filter(old_table)
            .map(|t| hit(format!("DROP TABLE discards table {t} and its rows")))
            .collect(),
        NodeEnum::UpdateStmt(u) => {
            let Some(table) = relname(&u.relation).filter(old_table) else {
                return Vec::new();
            };
            let old: Vec<String> = u
                .target_list
                .iter()
                .filter_map(|t| match &t.node {
                    Some(NodeEnum::ResTarget(r)) => Some(r.name.clone()),
                    _ => None,
                })
                .filter(|c| !ctx.new_column(&table, c))
                .collect();
            if old.is_empty() {
                return Vec::new();
            }
            let nulls = u.where_clause.as_deref().map(null_only).unwrap_or_default();
            let columns = format!("{table}.{}", old.join(", "));
            if old.iter().all(|c| nulls.contains(c)) {
                let message = format!(
                    "UPDATE fills only the NULLs of {columns}: no value the previous release \
                     wrote is overwritten (a down migration cannot tell the filled rows from others)"
                );
                return vec![Hit::new(Rule::DestructiveUp, message, REMEDY).at(Severity::Info)];
            }
            let h = hit(format!("UPDATE overwrites existing values of {columns}"));
            vec![h.at(Severity::Warning)]
        }
        _ => cmds_of(node, AlterTableType::AtDropColumn)
            .into_iter()
            .filter(|(t, c)| !ctx.new_column(t, &c.name))
            .map(|(t, c)| {
                hit(format!(
                    "DROP COLUMN discards every value of {t}.{}",
                    c.name
                ))
            })
            .collect(),
    }
}

/// The columns a WHERE clause requires to be NULL: `c IS NULL`, alone or ANDed with others.
fn null_only(node: &Node) -> Vec<String> {
    match &node.node {
        Some(NodeEnum::NullTest(t)) if t.nulltesttype() == NullTestType::IsNull => {
            t.arg.as_deref().map(column_refs).unwrap_or_default()
        }
        Some(NodeEnum::BoolExpr(b)) if b.boolop() == BoolExprType::AndExpr => {
            b.args.iter().flat_map(null_only).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::up_hits;
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::DestructiveUp;

    fn hits(sql: &str) -> Vec<(Rule, Severity, usize)> {
        up_hits(RULE, sql)
    }

    #[test]
    fn deletes_truncates_drops_are_errors_rewrites_warnings() {
        let sql = "DELETE FROM entries WHERE amount = 0;\n\
                   TRUNCATE entries;\n\
                   ALTER TABLE entries DROP COLUMN memo;\n\
                   UPDATE entries SET account = lower(account);\n\
                   DROP TABLE entries;";
        let (e, w) = (Severity::Error, Severity::Warning);
        assert_eq!(
            hits(sql),
            vec![
                (RULE, e, 1),
                (RULE, e, 2),
                (RULE, e, 3),
                (RULE, w, 4),
                (RULE, e, 5)
            ]
        );
    }

    #[test]
    fn filling_only_nulls_of_an_old_column_is_information() {
        let sql = "UPDATE entries SET memo = '' WHERE memo IS NULL AND amount > 0;\n\
                   UPDATE entries SET memo = '', account = 'x' WHERE memo IS NULL;\n\
                   UPDATE entries SET memo = '' WHERE memo IS NULL OR memo = 'n/a';";
        let (i, w) = (Severity::Info, Severity::Warning);
        assert_eq!(hits(sql), vec![(RULE, i, 1), (RULE, w, 2), (RULE, w, 3)]);
    }

    #[test]
    fn backfilling_this_releases_column_is_not_destructive() {
        let sql = "ALTER TABLE entries ADD COLUMN currency text;\n\
                   UPDATE entries SET currency = 'EUR' WHERE currency IS NULL;\n\
                   CREATE TABLE scratch (id int);\n\
                   DELETE FROM scratch;";
        assert_eq!(hits(sql), vec![]);
    }
}
