//! Small readers of pg_query's parse tree that rules share: an ALTER TABLE's commands, the
//! names a statement lists, the columns an expression mentions, and what a statement takes
//! out of the schema.

use pg_query::protobuf::{AlterTableCmd, AlterTableType, ObjectType, RangeVar};
use pg_query::{Node, NodeEnum};

/// The table an ALTER TABLE names and its commands (None for other statements and for
/// ALTER INDEX / VIEW / SEQUENCE, which parse to the same node).
pub fn alter_table(node: &NodeEnum) -> Option<(String, Vec<&AlterTableCmd>)> {
    let NodeEnum::AlterTableStmt(a) = node else {
        return None;
    };
    if a.objtype() != ObjectType::ObjectTable {
        return None;
    }
    let cmds = a
        .cmds
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::AlterTableCmd(c)) => Some(c.as_ref()),
            _ => None,
        })
        .collect();
    Some((relname(&a.relation)?, cmds))
}

/// The commands of an ALTER TABLE with the given subtype.
pub fn cmds_of(node: &NodeEnum, subtype: AlterTableType) -> Vec<(String, &AlterTableCmd)> {
    alter_table(node)
        .map(|(table, cmds)| {
            cmds.into_iter()
                .filter(|c| c.subtype() == subtype)
                .map(|c| (table.clone(), c))
                .collect()
        })
        .unwrap_or_default()
}

/// A relation's name without its schema (the parser already folded unquoted case).
pub fn relname(r: &Option<RangeVar>) -> Option<String> {
    r.as_ref().map(|r| r.relname.clone())
}

/// The strings of a name list (`List` of `String`, or a lone `String`): `public.t` → [public, t].
pub fn names_of(node: &Node) -> Vec<String> {
    match &node.node {
        Some(NodeEnum::List(l)) => l.items.iter().flat_map(names_of).collect(),
        Some(NodeEnum::String(s)) => vec![s.sval.clone()],
        _ => Vec::new(),
    }
}

/// Every column an expression names (walked generically, through the tree's JSON form, so
/// no expression node type is missed).
pub fn column_refs(node: &Node) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(fields) = map.get("ColumnRef").and_then(|c| c.get("fields")) {
                    let last = fields.as_array().and_then(|f| f.last());
                    if let Some(name) = last.and_then(|n| n.pointer("/node/String/sval")) {
                        out.extend(name.as_str().map(str::to_string));
                    }
                }
                map.values().for_each(|v| walk(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(json) = serde_json::to_value(node) {
        walk(&json, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// What a statement takes out of the schema (drops, renames, type changes), described;
/// None when it takes nothing. Preflight uses it on down migrations: code still running
/// against the reverted schema breaks on exactly these.
pub fn schema_removal(node: &NodeEnum) -> Option<String> {
    if let Some((table, cmds)) = alter_table(node) {
        let what: Vec<String> = cmds
            .iter()
            .filter_map(|c| match c.subtype() {
                AlterTableType::AtDropColumn => Some(format!("drops column {table}.{}", c.name)),
                AlterTableType::AtAlterColumnType => {
                    Some(format!("changes the type of {table}.{}", c.name))
                }
                _ => None,
            })
            .collect();
        return (!what.is_empty()).then(|| what.join(", "));
    }
    match node {
        NodeEnum::DropStmt(d) if d.remove_type() == ObjectType::ObjectTable => {
            let names: Vec<String> = d.objects.iter().map(|o| names_of(o).join(".")).collect();
            Some(format!("drops table {}", names.join(", ")))
        }
        NodeEnum::RenameStmt(r) => {
            let table = relname(&r.relation)?;
            match r.rename_type() {
                ObjectType::ObjectColumn => Some(format!(
                    "renames column {table}.{} to {}",
                    r.subname, r.newname
                )),
                ObjectType::ObjectTable => Some(format!("renames table {table} to {}", r.newname)),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::parse_sql;

    fn node(sql: &str) -> NodeEnum {
        parse_sql(sql).unwrap().remove(0).node
    }

    #[test]
    fn column_refs_finds_names_in_nested_expressions() {
        let n = node("ALTER TABLE t ADD CONSTRAINT c CHECK (amount > 0 AND (lower(t.memo) <> '' OR x IS NULL))");
        let Some((_, cmds)) = alter_table(&n) else {
            panic!()
        };
        let def = cmds[0].def.as_deref().unwrap();
        assert_eq!(column_refs(def), vec!["amount", "memo", "x"]);
    }

    #[test]
    fn schema_removal_names_what_goes() {
        let got = |sql| schema_removal(&node(sql));
        assert_eq!(
            got("ALTER TABLE e DROP COLUMN note").as_deref(),
            Some("drops column e.note")
        );
        assert_eq!(
            got("DROP TABLE public.e").as_deref(),
            Some("drops table public.e")
        );
        assert!(got("ALTER TABLE e RENAME COLUMN a TO b")
            .unwrap()
            .starts_with("renames column"));
        assert_eq!(got("ALTER TABLE e ADD COLUMN n text"), None);
        assert_eq!(got("DROP INDEX i"), None);
    }
}
