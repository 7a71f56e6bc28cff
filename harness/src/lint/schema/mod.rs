//! What the migrations so far have built (`Schema`): tables with their columns (the version
//! that added each, its type, default and NOT NULL) and constraints, indexes, views,
//! functions, sequences and types, so rules can tell "added in this release" from what an
//! older release already relied on. Columns and constraints are read in `columns.rs`,
//! the other objects followed in `objects.rs`.

mod columns;
mod objects;

use std::collections::BTreeMap;

use pg_query::protobuf::{AlterTableCmd, AlterTableType, ObjectType};
use pg_query::NodeEnum;

use super::rules::{names_of, relname};
pub use columns::{has_default, is_not_null, type_string};
pub use objects::{dropped_name, Label, ObjectKind};

#[derive(Debug, Clone, Default)]
pub struct Schema {
    tables: BTreeMap<String, Table>,
    /// Index name → (its table, whether it is unique, the version that created it).
    indexes: BTreeMap<String, (String, bool, i64)>,
    /// Views, functions, sequences and types by kind and name → the version that created it.
    objects: BTreeMap<(ObjectKind, String), i64>,
    /// Enum type → its labels in order.
    enums: BTreeMap<String, Vec<Label>>,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Version of the migration that created it.
    pub created: i64,
    pub columns: BTreeMap<String, Column>,
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Version of the migration that added it (the table's for columns it was created with).
    pub added: i64,
    pub has_default: bool,
    pub not_null: bool,
    /// `int4`, `varchar(50)`, `text`... (see `type_string`).
    pub type_name: String,
}

/// A table constraint the model follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// As written, or as PostgreSQL names it by default (`t_a_key`, `t_pkey`, `t_b_fkey`).
    pub name: String,
    pub kind: ConstraintKind,
    pub columns: Vec<String>,
    pub added: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintKind {
    /// PRIMARY KEY, UNIQUE or EXCLUDE: what `ON CONFLICT` can name.
    Unique,
    Check,
    /// A reference to table `to`; `cascades` when ON DELETE cascades or sets NULL/default.
    ForeignKey {
        to: String,
        cascades: bool,
    },
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    pub fn column(&self, table: &str, column: &str) -> Option<&Column> {
        self.tables.get(table)?.columns.get(column)
    }

    /// A constraint of `table` by name.
    pub fn constraint(&self, table: &str, name: &str) -> Option<&Constraint> {
        self.tables
            .get(table)?
            .constraints
            .iter()
            .find(|c| c.name == name)
    }

    /// Foreign keys of other tables that reference `table`: (referencing table, constraint).
    pub fn references_to(&self, table: &str) -> Vec<(&str, &Constraint)> {
        self.tables
            .iter()
            .filter(|(name, _)| name.as_str() != table)
            .flat_map(|(name, t)| t.constraints.iter().map(move |c| (name.as_str(), c)))
            .filter(
                |(_, c)| matches!(&c.kind, ConstraintKind::ForeignKey { to, .. } if to == table),
            )
            .collect()
    }

    /// The table, uniqueness and creating version of an index.
    pub fn index(&self, name: &str) -> Option<&(String, bool, i64)> {
        self.indexes.get(name)
    }

    /// The version that created a view, function, sequence or type.
    pub fn object(&self, kind: ObjectKind, name: &str) -> Option<i64> {
        self.objects.get(&(kind, name.to_string())).copied()
    }

    /// An enum type's labels, in order.
    pub fn labels(&self, enum_type: &str) -> Option<&[Label]> {
        self.enums.get(enum_type).map(Vec::as_slice)
    }

    /// Every enum type with its labels.
    pub fn enum_types(&self) -> impl Iterator<Item = (&String, &Vec<Label>)> {
        self.enums.iter()
    }

    /// Applies one statement of migration `version` (up or down). Statements the model does
    /// not follow (grants, comments, triggers...) leave it unchanged.
    pub fn apply(&mut self, node: &NodeEnum, version: i64) {
        match node {
            NodeEnum::CreateStmt(c) => {
                let Some(name) = relname(&c.relation) else {
                    return;
                };
                let mut table = Table {
                    created: version,
                    columns: BTreeMap::new(),
                    constraints: Vec::new(),
                };
                for n in &c.table_elts {
                    match &n.node {
                        Some(NodeEnum::ColumnDef(d)) => {
                            let cs = columns::column_constraints(&name, d, version);
                            table.constraints.extend(cs);
                            table
                                .columns
                                .insert(d.colname.clone(), columns::column(d, version));
                        }
                        Some(NodeEnum::Constraint(c)) => {
                            table
                                .constraints
                                .extend(columns::constraint(&name, c, None, version));
                        }
                        _ => {}
                    }
                }
                self.tables.insert(name, table);
            }
            NodeEnum::AlterTableStmt(a) if a.objtype() == ObjectType::ObjectTable => {
                let Some(table) = relname(&a.relation) else {
                    return;
                };
                for cmd in a.cmds.iter().filter_map(|n| match &n.node {
                    Some(NodeEnum::AlterTableCmd(c)) => Some(c.as_ref()),
                    _ => None,
                }) {
                    self.alter(&table, cmd, version);
                }
            }
            NodeEnum::RenameStmt(r) if r.rename_type() == ObjectType::ObjectTable => {
                let Some(table) = relname(&r.relation) else {
                    return;
                };
                if let Some(t) = self.tables.remove(&table) {
                    self.tables.insert(r.newname.clone(), t);
                }
            }
            NodeEnum::RenameStmt(r) if r.rename_type() == ObjectType::ObjectColumn => {
                let table = relname(&r.relation).unwrap_or_default();
                if let Some(t) = self.tables.get_mut(&table) {
                    if let Some(c) = t.columns.remove(&r.subname) {
                        t.columns.insert(r.newname.clone(), c);
                    }
                }
            }
            NodeEnum::DropStmt(d) if d.remove_type() == ObjectType::ObjectTable => {
                for name in d.objects.iter().filter_map(|o| names_of(o).pop()) {
                    self.tables.remove(&name);
                }
            }
            other => self.apply_object(other, version),
        }
    }

    fn alter(&mut self, table: &str, cmd: &AlterTableCmd, version: i64) {
        let def = cmd.def.as_ref().and_then(|d| d.node.as_ref());
        if let (AlterTableType::AtAddIndex, Some(NodeEnum::IndexStmt(i))) = (cmd.subtype(), def) {
            self.indexes
                .insert(i.idxname.clone(), (table.to_string(), i.unique, version));
        }
        let Some(t) = self.tables.get_mut(table) else {
            return;
        };
        let column = t.columns.get_mut(&cmd.name);
        match (cmd.subtype(), def) {
            (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(d))) => {
                t.constraints
                    .extend(columns::column_constraints(table, d, version));
                t.columns
                    .insert(d.colname.clone(), columns::column(d, version));
            }
            (AlterTableType::AtDropColumn, _) => {
                t.columns.remove(&cmd.name);
            }
            (AlterTableType::AtAlterColumnType, Some(NodeEnum::ColumnDef(d))) => {
                if let (Some(c), Some(new)) = (column, d.type_name.as_ref()) {
                    c.type_name = type_string(new);
                }
            }
            (AlterTableType::AtColumnDefault, _) => {
                if let Some(c) = column {
                    c.has_default = cmd.def.is_some();
                }
            }
            (AlterTableType::AtDropIdentity, _) => {
                if let Some(c) = column {
                    c.has_default = false;
                }
            }
            (AlterTableType::AtAddIdentity, _) => {
                if let Some(c) = column {
                    c.has_default = true;
                    c.not_null = true;
                }
            }
            (AlterTableType::AtSetNotNull | AlterTableType::AtDropNotNull, _) => {
                if let Some(c) = column {
                    c.not_null = cmd.subtype() == AlterTableType::AtSetNotNull;
                }
            }
            (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(c))) => {
                t.constraints
                    .extend(columns::constraint(table, c, None, version));
            }
            (AlterTableType::AtDropConstraint, _) => {
                t.constraints.retain(|c| c.name != cmd.name);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
