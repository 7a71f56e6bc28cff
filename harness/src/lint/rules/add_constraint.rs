//! Rule `add-constraint`: a CHECK, UNIQUE, PRIMARY KEY, FOREIGN KEY or EXCLUDE constraint (or
//! a unique index) over columns the previous release writes. Its writes were never held to
//! it, so after a code rollback some may be refused. A warning: whether they are depends on
//! the data. Constraints over columns this release added are not reported (older code leaves
//! them NULL, which these constraints accept).

use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::{Node, NodeEnum};

use super::{alter_table, column_refs, names_of, relname, Ctx, Hit};
use crate::lint::Rule;

const REMEDY: &str = "compensate, don't revert: make sure the previous release's writes \
satisfy it (or add it NOT VALID and validate it only in a later contract release, once no \
rollback target writes violating rows)";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    // (table, constraint kind, columns it covers; None when they cannot be told)
    let mut found: Vec<(String, &str, Option<Vec<String>>)> = Vec::new();
    if let Some((table, cmds)) = alter_table(node) {
        for cmd in cmds {
            match cmd.subtype() {
                AlterTableType::AtAddConstraint => {
                    if let Some(NodeEnum::Constraint(c)) =
                        cmd.def.as_ref().and_then(|d| d.node.as_ref())
                    {
                        let strings = |v: &[Node]| Some(v.iter().flat_map(names_of).collect());
                        let (kind, columns) = match c.contype() {
                            ConstrType::ConstrCheck => {
                                ("CHECK", c.raw_expr.as_deref().map(column_refs))
                            }
                            ConstrType::ConstrUnique => ("UNIQUE", strings(&c.keys)),
                            ConstrType::ConstrPrimary => ("PRIMARY KEY", strings(&c.keys)),
                            ConstrType::ConstrForeign => ("FOREIGN KEY", strings(&c.fk_attrs)),
                            ConstrType::ConstrExclusion => ("EXCLUDE", None),
                            _ => continue,
                        };
                        found.push((table.clone(), kind, columns));
                    }
                }
                AlterTableType::AtAddIndexConstraint => found.push((table.clone(), "UNIQUE", None)),
                _ => {}
            }
        }
    }
    if let NodeEnum::IndexStmt(i) = node {
        if let (true, Some(table)) = (i.unique, relname(&i.relation)) {
            let columns = i.index_params.iter().map(|p| match &p.node {
                Some(NodeEnum::IndexElem(e)) if !e.name.is_empty() => vec![e.name.clone()],
                _ => column_refs(p),
            });
            found.push((table, "unique index", Some(columns.flatten().collect())));
        }
    }
    found
        .into_iter()
        .filter(|(table, _, columns)| {
            let all_new = columns.as_ref().is_some_and(|cs| {
                !cs.is_empty() && cs.iter().all(|c| ctx.new_column(table, c))
            });
            !ctx.new_table(table) && !all_new
        })
        .map(|(table, kind, columns)| {
            let over = columns.map(|c| format!(" over ({})", c.join(", "))).unwrap_or_default();
            Hit::new(
                Rule::AddConstraint,
                format!("a {kind} constraint is added to {table}{over}: the previous release's writes were never held to it and may be refused"),
                REMEDY,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::{up, ENTRIES};
    use crate::lint::{Rule, Severity};

    #[test]
    fn constraints_over_old_columns_are_warnings() {
        let sql = "ALTER TABLE entries ADD CONSTRAINT pos CHECK (amount > 0);\n\
                   CREATE UNIQUE INDEX one_memo ON entries (account, memo);\n\
                   ALTER TABLE entries ADD COLUMN ref text;\n\
                   ALTER TABLE entries ADD CONSTRAINT ref_u UNIQUE (ref);\n\
                   CREATE INDEX plain ON entries (memo);";
        let w = (Rule::AddConstraint, Severity::Warning);
        assert_eq!(up(ENTRIES, sql), vec![(w.0, w.1, 1), (w.0, w.1, 2)]);
    }
}
