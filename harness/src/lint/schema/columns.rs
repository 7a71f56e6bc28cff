//! Reading column and constraint definitions off the parse tree: a column's type as text,
//! whether it has a default or is NOT NULL, and the constraints a CREATE or ALTER TABLE
//! declares (`Constraint`), named as PostgreSQL would name them when the author did not.

use pg_query::protobuf::{ColumnDef, ConstrType, TypeName};
use pg_query::{Node, NodeEnum};

use super::{Column, Constraint, ConstraintKind};
use crate::lint::rules::{column_refs, names_of, relname};

pub(super) fn column(d: &ColumnDef, version: i64) -> Column {
    Column {
        added: version,
        has_default: has_default(d),
        not_null: is_not_null(d),
        type_name: d.type_name.as_ref().map(type_string).unwrap_or_default(),
    }
}

/// A type as the parser resolved it, without schema: `int4`, `varchar(50)`, `numeric(10,2)`.
pub fn type_string(t: &TypeName) -> String {
    let base = t.names.last().map(last_name).unwrap_or_default();
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

fn last_name(n: &Node) -> String {
    names_of(n).pop().unwrap_or_default()
}

/// A DEFAULT clause, an identity or generated column, or a serial type: INSERTs that do
/// not name the column still get a value.
pub fn has_default(d: &ColumnDef) -> bool {
    let serial = d.type_name.as_ref().is_some_and(|t| {
        t.names.last().map(last_name).is_some_and(|n| {
            matches!(
                n.as_str(),
                "serial" | "bigserial" | "smallserial" | "serial2" | "serial4" | "serial8"
            )
        })
    });
    serial
        || d.raw_default.is_some()
        || !d.identity.is_empty()
        || !d.generated.is_empty()
        || kinds(d).any(|c| {
            matches!(
                c,
                ConstrType::ConstrDefault
                    | ConstrType::ConstrIdentity
                    | ConstrType::ConstrGenerated
            )
        })
}

/// Whether the column definition says NOT NULL (or PRIMARY KEY or an identity, which imply it).
pub fn is_not_null(d: &ColumnDef) -> bool {
    d.is_not_null
        || !d.identity.is_empty()
        || kinds(d).any(|c| {
            matches!(
                c,
                ConstrType::ConstrNotnull | ConstrType::ConstrPrimary | ConstrType::ConstrIdentity
            )
        })
}

fn kinds(d: &ColumnDef) -> impl Iterator<Item = ConstrType> + '_ {
    d.constraints.iter().filter_map(|n| match &n.node {
        Some(NodeEnum::Constraint(c)) => Some(c.contype()),
        _ => None,
    })
}

/// The constraints of a column definition (`column` is its name), as table constraints.
pub(super) fn column_constraints(table: &str, d: &ColumnDef, version: i64) -> Vec<Constraint> {
    d.constraints
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::Constraint(c)) => constraint(table, c, Some(&d.colname), version),
            _ => None,
        })
        .collect()
}

/// A table constraint (or a column's, when `column` is given) in the model's terms; None
/// for kinds the model does not follow (NOT NULL, DEFAULT, generated, identity).
pub(super) fn constraint(
    table: &str,
    c: &pg_query::protobuf::Constraint,
    column: Option<&str>,
    version: i64,
) -> Option<Constraint> {
    let strings = |v: &[Node]| -> Vec<String> { v.iter().flat_map(names_of).collect() };
    let own = |v: Vec<String>| match column {
        Some(col) if v.is_empty() => vec![col.to_string()],
        _ => v,
    };
    let (kind, columns, suffix) = match c.contype() {
        ConstrType::ConstrPrimary => (ConstraintKind::Unique, own(strings(&c.keys)), "pkey"),
        ConstrType::ConstrUnique => (ConstraintKind::Unique, own(strings(&c.keys)), "key"),
        ConstrType::ConstrCheck => {
            let cols = c.raw_expr.as_deref().map(column_refs).unwrap_or_default();
            (ConstraintKind::Check, own(cols), "check")
        }
        ConstrType::ConstrForeign => {
            let to = relname(&c.pktable).unwrap_or_default();
            let cascades = matches!(c.fk_del_action.as_str(), "c" | "n" | "d");
            let kind = ConstraintKind::ForeignKey { to, cascades };
            (kind, own(strings(&c.fk_attrs)), "fkey")
        }
        ConstrType::ConstrExclusion => (ConstraintKind::Unique, Vec::new(), "excl"),
        _ => return None,
    };
    let name = if !c.conname.is_empty() {
        c.conname.clone()
    } else if suffix == "pkey" {
        format!("{table}_pkey")
    } else {
        // PostgreSQL's default: table, the first column (check) or every column, kind.
        let cols = match (suffix, columns.first()) {
            ("check", Some(first)) => first.clone(),
            _ => columns.join("_"),
        };
        format!("{table}_{cols}_{suffix}")
    };
    Some(Constraint {
        name,
        kind,
        columns,
        added: version,
    })
}
