//! The schema objects besides tables that the model follows: indexes, views, functions,
//! sequences and types (enum labels one by one, with the version that added each), as
//! CREATE, ALTER TYPE, RENAME and DROP change them.

use pg_query::protobuf::{ObjectType, RangeVar};
use pg_query::{Node, NodeEnum};

use super::Schema;
use crate::lint::rules::{names_of, relname};

/// A kind of schema object other than a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectKind {
    /// A view or a materialized view: queried like a table.
    View,
    /// A function or procedure.
    Function,
    Sequence,
    /// An enum, composite or domain type.
    Type,
}

impl ObjectKind {
    /// The kind of object a DROP or RENAME names, when the model follows it.
    pub fn of(t: ObjectType) -> Option<ObjectKind> {
        match t {
            ObjectType::ObjectView | ObjectType::ObjectMatview => Some(ObjectKind::View),
            ObjectType::ObjectFunction
            | ObjectType::ObjectProcedure
            | ObjectType::ObjectRoutine => Some(ObjectKind::Function),
            ObjectType::ObjectSequence => Some(ObjectKind::Sequence),
            ObjectType::ObjectType | ObjectType::ObjectDomain => Some(ObjectKind::Type),
            _ => None,
        }
    }
}

/// One enum label and the version of the migration that added it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub name: String,
    pub added: i64,
}

/// The name a DROP lists an object by: a qualified name, a type name, or a function's
/// name with its arguments; the last part, without schema.
pub fn dropped_name(o: &Node) -> Option<String> {
    match &o.node {
        Some(NodeEnum::ObjectWithArgs(f)) => f.objname.iter().flat_map(names_of).last(),
        Some(NodeEnum::TypeName(t)) => t.names.iter().flat_map(names_of).last(),
        _ => names_of(o).pop(),
    }
}

fn last(names: &[Node]) -> Option<String> {
    names.iter().flat_map(names_of).last()
}

fn rel(r: &Option<RangeVar>) -> Option<String> {
    relname(r)
}

impl Schema {
    pub(super) fn apply_object(&mut self, node: &NodeEnum, version: i64) {
        let mut create = |kind, name: Option<String>| {
            if let Some(name) = name {
                self.objects.entry((kind, name)).or_insert(version);
            }
        };
        match node {
            NodeEnum::ViewStmt(v) => create(ObjectKind::View, rel(&v.view)),
            NodeEnum::CreateTableAsStmt(c) if c.objtype() == ObjectType::ObjectMatview => {
                create(ObjectKind::View, c.into.as_ref().and_then(|i| rel(&i.rel)))
            }
            NodeEnum::CreateFunctionStmt(f) => create(ObjectKind::Function, last(&f.funcname)),
            NodeEnum::CreateSeqStmt(s) => create(ObjectKind::Sequence, rel(&s.sequence)),
            NodeEnum::CompositeTypeStmt(t) => create(ObjectKind::Type, rel(&t.typevar)),
            NodeEnum::CreateDomainStmt(d) => create(ObjectKind::Type, last(&d.domainname)),
            NodeEnum::CreateEnumStmt(e) => {
                let Some(name) = last(&e.type_name) else {
                    return;
                };
                create(ObjectKind::Type, Some(name.clone()));
                let labels = e
                    .vals
                    .iter()
                    .flat_map(names_of)
                    .map(|name| Label {
                        name,
                        added: version,
                    })
                    .collect();
                self.enums.insert(name, labels);
            }
            NodeEnum::AlterEnumStmt(a) => {
                let Some(labels) = last(&a.type_name).and_then(|t| self.enums.get_mut(&t)) else {
                    return;
                };
                if !a.old_val.is_empty() {
                    if let Some(l) = labels.iter_mut().find(|l| l.name == a.old_val) {
                        l.name = a.new_val.clone();
                    }
                } else if !labels.iter().any(|l| l.name == a.new_val) {
                    labels.push(Label {
                        name: a.new_val.clone(),
                        added: version,
                    });
                }
            }
            NodeEnum::IndexStmt(i) => {
                let table = rel(&i.relation).unwrap_or_default();
                self.indexes
                    .insert(i.idxname.clone(), (table, i.unique, version));
            }
            NodeEnum::DropStmt(d) if d.remove_type() == ObjectType::ObjectIndex => {
                for name in d.objects.iter().filter_map(dropped_name) {
                    self.indexes.remove(&name);
                }
            }
            NodeEnum::DropStmt(d) => {
                let Some(kind) = ObjectKind::of(d.remove_type()) else {
                    return;
                };
                for name in d.objects.iter().filter_map(dropped_name) {
                    if kind == ObjectKind::Type {
                        self.enums.remove(&name);
                    }
                    self.objects.remove(&(kind, name));
                }
            }
            NodeEnum::RenameStmt(r) => {
                let Some(kind) = ObjectKind::of(r.rename_type()) else {
                    return;
                };
                let old = rel(&r.relation).or_else(|| r.object.as_deref().and_then(dropped_name));
                let Some(old) = old else { return };
                if let Some(v) = self.objects.remove(&(kind, old.clone())) {
                    self.objects.insert((kind, r.newname.clone()), v);
                }
                if let Some(labels) = self.enums.remove(&old) {
                    self.enums.insert(r.newname.clone(), labels);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::parse_sql;

    #[test]
    fn objects_and_enum_labels_carry_their_version() {
        let mut s = Schema::default();
        let sql = "CREATE TYPE mood AS ENUM ('sad', 'ok');
                   CREATE VIEW v AS SELECT 1;
                   ALTER TYPE mood ADD VALUE 'happy';
                   CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
                   DROP FUNCTION f();
                   CREATE UNIQUE INDEX u ON t (a);";
        for (i, st) in parse_sql(sql).unwrap().iter().enumerate() {
            s.apply(&st.node, i as i64 + 1);
        }
        let labels: Vec<(&str, i64)> = s
            .labels("mood")
            .unwrap()
            .iter()
            .map(|l| (l.name.as_str(), l.added))
            .collect();
        assert_eq!(labels, vec![("sad", 1), ("ok", 1), ("happy", 3)]);
        assert_eq!(s.object(ObjectKind::View, "v"), Some(2));
        assert_eq!(s.object(ObjectKind::Function, "f"), None);
        assert_eq!(s.index("u"), Some(&("t".to_string(), true, 6)));
    }
}
