//! The lint rules, one file each, and what they share: the context a statement is judged in
//! (`Ctx`), what a rule reports (`Hit`) and the registries of up and down rules. Readers of
//! the parse tree are in `tree.rs`.

mod add_constraint;
mod add_enum_value;
mod add_not_null_without_default;
mod change_column_type;
mod destructive_up;
mod down_aborts;
mod down_drops_data;
mod drop_column;
mod drop_default;
mod drop_not_null;
mod drop_object;
mod drop_table;
mod drop_unique_constraint;
pub mod enum_value_irreversible;
pub mod no_down_migration;
mod rename_column;
mod rename_table;
mod rename_type;
mod set_not_null;
#[cfg(test)]
pub(crate) mod testing;
mod tree;

use pg_query::NodeEnum;

pub use tree::{alter_table, cmds_of, column_refs, names_of, relname, schema_removal};

use super::schema::Schema;
use super::{Rule, Severity};

/// What a statement is judged against.
pub struct Ctx<'a> {
    /// The schema as the statements before this one left it.
    pub schema: &'a Schema,
    /// For a down migration: the schema before its up ran (what the down must restore).
    pub before: Option<&'a Schema>,
    /// Migrations with a version above this belong to the release being linted; what they
    /// create the previous release never knew.
    pub since: i64,
    /// The version of the migration the statement belongs to.
    pub version: i64,
    /// A type change that only widens is accepted (text-protocol clients read it as before).
    pub accept_widening: bool,
}

impl Ctx<'_> {
    /// The table was created by this release (the previous release never uses it).
    pub fn new_table(&self, table: &str) -> bool {
        self.schema
            .table(table)
            .is_some_and(|t| t.created > self.since)
    }

    /// The column (or its table) was added by this release.
    pub fn new_column(&self, table: &str, column: &str) -> bool {
        self.new_table(table)
            || self
                .schema
                .column(table, column)
                .is_some_and(|c| c.added > self.since)
    }
}

/// One rule's verdict on one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub remedy: String,
    /// For losses: the columns (`table.column`) whose data goes.
    pub columns: Vec<String>,
}

impl Hit {
    /// A hit with the rule's default severity.
    pub fn new(rule: Rule, message: String, remedy: &str) -> Hit {
        Hit {
            rule,
            severity: rule.severity(),
            message,
            remedy: remedy.to_string(),
            columns: Vec::new(),
        }
    }

    /// The same hit, naming the columns whose data it loses.
    pub fn losing(mut self, columns: Vec<String>) -> Hit {
        self.columns = columns;
        self
    }

    /// The same hit at another severity.
    pub fn at(mut self, severity: Severity) -> Hit {
        self.severity = severity;
        self
    }
}

pub type Check = fn(&NodeEnum, &Ctx) -> Vec<Hit>;

/// Rules for up (and simple) migrations.
pub const UP: &[Check] = &[
    add_not_null_without_default::check,
    set_not_null::check,
    rename_column::check,
    rename_table::check,
    rename_type::check,
    change_column_type::check,
    drop_column::check,
    drop_table::check,
    drop_object::check,
    drop_default::check,
    drop_not_null::check,
    drop_unique_constraint::check,
    add_constraint::check,
    add_enum_value::check,
    destructive_up::check,
];

/// Rules for down migrations.
pub const DOWN: &[Check] = &[down_drops_data::check, down_aborts::check];
