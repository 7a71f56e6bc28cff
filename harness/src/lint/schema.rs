//! What the migrations so far have built (`Schema`): tables and columns with the version
//! that created them and whether they have a default, so rules can tell "added in this
//! release" and "has a default" apart from what an older release already relied on.

use std::collections::BTreeMap;

use pg_query::protobuf::{AlterTableType, ColumnDef, ConstrType, ObjectType, TypeName};
use pg_query::NodeEnum;

use super::rules::{names_of, relname};

#[derive(Debug, Clone, Default)]
pub struct Schema {
    tables: BTreeMap<String, Table>,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Version of the migration that created it.
    pub created: i64,
    pub columns: BTreeMap<String, Column>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Version of the migration that added it (the table's for columns it was created with).
    pub added: i64,
    pub has_default: bool,
    /// `int4`, `varchar(50)`, `text`... (see `type_string`).
    pub type_name: String,
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    pub fn column(&self, table: &str, column: &str) -> Option<&Column> {
        self.tables.get(table)?.columns.get(column)
    }

    /// Applies one up statement of migration `version`. Statements the model does not
    /// follow (indexes, grants, functions...) leave it unchanged.
    pub fn apply(&mut self, node: &NodeEnum, version: i64) {
        match node {
            NodeEnum::CreateStmt(c) => {
                let Some(name) = c.relation.as_ref().map(|r| r.relname.clone()) else {
                    return;
                };
                let columns = c
                    .table_elts
                    .iter()
                    .filter_map(|n| match &n.node {
                        Some(NodeEnum::ColumnDef(d)) => {
                            Some((d.colname.clone(), column(d, version)))
                        }
                        _ => None,
                    })
                    .collect();
                self.tables.insert(
                    name,
                    Table {
                        created: version,
                        columns,
                    },
                );
            }
            NodeEnum::AlterTableStmt(a) => {
                let Some(table) = relname(&a.relation) else {
                    return;
                };
                for cmd in a.cmds.iter().filter_map(|n| match &n.node {
                    Some(NodeEnum::AlterTableCmd(c)) => Some(c.as_ref()),
                    _ => None,
                }) {
                    let Some(t) = self.tables.get_mut(&table) else {
                        continue;
                    };
                    match cmd.subtype() {
                        AlterTableType::AtAddColumn => {
                            if let Some(NodeEnum::ColumnDef(d)) =
                                cmd.def.as_ref().and_then(|d| d.node.as_ref())
                            {
                                t.columns.insert(d.colname.clone(), column(d, version));
                            }
                        }
                        AlterTableType::AtDropColumn => {
                            t.columns.remove(&cmd.name);
                        }
                        AlterTableType::AtAlterColumnType => {
                            let new_type = match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                                Some(NodeEnum::ColumnDef(d)) => {
                                    d.type_name.as_ref().map(type_string)
                                }
                                _ => None,
                            };
                            if let (Some(c), Some(t)) = (t.columns.get_mut(&cmd.name), new_type) {
                                c.type_name = t;
                            }
                        }
                        AlterTableType::AtColumnDefault => {
                            if let Some(c) = t.columns.get_mut(&cmd.name) {
                                c.has_default = cmd.def.is_some();
                            }
                        }
                        _ => {}
                    }
                }
            }
            NodeEnum::RenameStmt(r) => {
                let Some(table) = relname(&r.relation) else {
                    return;
                };
                match r.rename_type() {
                    ObjectType::ObjectTable => {
                        if let Some(t) = self.tables.remove(&table) {
                            self.tables.insert(r.newname.clone(), t);
                        }
                    }
                    ObjectType::ObjectColumn => {
                        if let Some(t) = self.tables.get_mut(&table) {
                            if let Some(c) = t.columns.remove(&r.subname) {
                                t.columns.insert(r.newname.clone(), c);
                            }
                        }
                    }
                    _ => {}
                }
            }
            NodeEnum::DropStmt(d) if d.remove_type() == ObjectType::ObjectTable => {
                for name in d.objects.iter().filter_map(|o| names_of(o).pop()) {
                    self.tables.remove(&name);
                }
            }
            _ => {}
        }
    }
}

fn column(d: &ColumnDef, version: i64) -> Column {
    Column {
        added: version,
        has_default: has_default(d),
        type_name: d.type_name.as_ref().map(type_string).unwrap_or_default(),
    }
}

/// A type as the parser resolved it, without schema: `int4`, `varchar(50)`, `numeric(10,2)`.
pub fn type_string(t: &TypeName) -> String {
    let base = t
        .names
        .last()
        .and_then(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let mods: Vec<String> = t
        .typmods
        .iter()
        .filter_map(|m| match &m.node {
            Some(NodeEnum::AConst(c)) => match &c.val {
                Some(pg_query::protobuf::a_const::Val::Ival(i)) => Some(i.ival.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let arrays = "[]".repeat(t.array_bounds.len());
    if mods.is_empty() {
        format!("{base}{arrays}")
    } else {
        format!("{base}({}){arrays}", mods.join(","))
    }
}

/// A DEFAULT clause, an identity or generated column, or a serial type: INSERTs that do
/// not name the column still get a value.
pub fn has_default(d: &ColumnDef) -> bool {
    let serial = d.type_name.as_ref().is_some_and(|t| {
        t.names
            .last()
            .and_then(|n| match &n.node {
                Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
                _ => None,
            })
            .is_some_and(|n| {
                matches!(
                    n,
                    "serial" | "bigserial" | "smallserial" | "serial2" | "serial4" | "serial8"
                )
            })
    });
    serial
        || d.raw_default.is_some()
        || !d.identity.is_empty()
        || !d.generated.is_empty()
        || constraints(d).any(|c| {
            matches!(
                c,
                ConstrType::ConstrDefault
                    | ConstrType::ConstrIdentity
                    | ConstrType::ConstrGenerated
            )
        })
}

/// Whether the column definition says NOT NULL (or PRIMARY KEY, which implies it).
pub fn is_not_null(d: &ColumnDef) -> bool {
    d.is_not_null
        || constraints(d)
            .any(|c| matches!(c, ConstrType::ConstrNotnull | ConstrType::ConstrPrimary))
}

fn constraints(d: &ColumnDef) -> impl Iterator<Item = ConstrType> + '_ {
    d.constraints.iter().filter_map(|n| match &n.node {
        Some(NodeEnum::Constraint(c)) => Some(c.contype()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::parse_sql;

    fn build(sql: &str) -> Schema {
        let mut s = Schema::default();
        for (i, stmt) in parse_sql(sql).unwrap().iter().enumerate() {
            s.apply(&stmt.node, i as i64 + 1);
        }
        s
    }

    #[test]
    fn follows_columns_defaults_and_renames() {
        let s = build(
            "CREATE TABLE e (id bigserial PRIMARY KEY, memo text, at timestamptz NOT NULL DEFAULT now());
             ALTER TABLE e ADD COLUMN cur text;
             ALTER TABLE e ALTER COLUMN cur SET DEFAULT 'EUR';
             ALTER TABLE e RENAME COLUMN memo TO description;
             ALTER TABLE e RENAME TO entries;",
        );
        let col = |c| s.column("entries", c).cloned();
        let short = |c: Option<Column>| c.map(|c| (c.added, c.has_default, c.type_name));
        assert_eq!(short(col("id")), Some((1, true, "bigserial".into())));
        assert_eq!(col("at").map(|c| c.has_default), Some(true));
        assert_eq!(short(col("cur")), Some((2, true, "text".into())));
        assert_eq!(col("description").map(|c| c.added), Some(1));
        assert!(col("memo").is_none() && s.table("e").is_none());
    }

    #[test]
    fn drops_are_followed() {
        let s = build("CREATE TABLE a (x int, y int); ALTER TABLE a DROP COLUMN y; CREATE TABLE b (); DROP TABLE b;");
        assert!(s.column("a", "y").is_none() && s.column("a", "x").is_some());
        assert!(s.table("b").is_none());
    }
}
