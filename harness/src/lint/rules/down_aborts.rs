//! Rule `down-aborts`: a down migration that PostgreSQL will refuse halfway on what the new
//! release wrote, so the schema rollback fails to complete (not a loss: nothing is removed,
//! the rollback stops). Errors: rows removed while another table's foreign key still
//! references them; NOT NULL, a constraint or a unique index re-added after the up had
//! relaxed it; a type narrowed back after the up widened it. Warnings: the same without
//! the up having relaxed it, and type changes whose cast may fail on new values.

use pg_query::protobuf::{AlterTableType, ConstrType, DropBehavior, ObjectType};
use pg_query::NodeEnum;

use super::change_column_type::widening;
use super::{alter_table, names_of, relname, Ctx, Hit};
use crate::lint::schema::{Constraint, ConstraintKind};
use crate::lint::{Rule, Severity};

const REMEDY: &str = "compensate, don't revert: make the down migration fit the data the new \
release wrote (delete or fix the referencing rows first, add the constraint NOT VALID, cast \
with a fallback), or leave the relaxed schema in place and roll back code only";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let mut hits = removals(node, ctx);
    if let Some((table, cmds)) = alter_table(node) {
        hits.extend(cmds.into_iter().filter_map(|cmd| {
            let (relaxed, what) = match cmd.subtype() {
                AlterTableType::AtSetNotNull => {
                    let col = ctx.schema.column(&table, &cmd.name);
                    if col.is_some_and(|c| c.not_null) {
                        return None;
                    }
                    let was = ctx.before.and_then(|b| b.column(&table, &cmd.name));
                    let what = format!("makes {table}.{} NOT NULL again", cmd.name);
                    (was.is_some_and(|c| c.not_null), what)
                }
                AlterTableType::AtAddConstraint => {
                    let Some(NodeEnum::Constraint(c)) = cmd.def.as_ref()?.node.as_ref() else {
                        return None;
                    };
                    let checked = matches!(
                        c.contype(),
                        ConstrType::ConstrCheck
                            | ConstrType::ConstrUnique
                            | ConstrType::ConstrPrimary
                            | ConstrType::ConstrForeign
                            | ConstrType::ConstrExclusion
                    );
                    if !checked || c.skip_validation {
                        return None; // NOT VALID leaves existing rows alone
                    }
                    let was = ctx.before.and_then(|b| b.constraint(&table, &c.conname));
                    let name = if c.conname.is_empty() {
                        "a constraint"
                    } else {
                        &c.conname
                    };
                    (was.is_some(), format!("adds {name} to {table} again"))
                }
                AlterTableType::AtAlterColumnType => {
                    let Some(NodeEnum::ColumnDef(d)) = cmd.def.as_ref()?.node.as_ref() else {
                        return None;
                    };
                    let to = d.type_name.as_ref().map(crate::lint::schema::type_string)?;
                    let now = ctx.schema.column(&table, &cmd.name)?.type_name.clone();
                    let what = format!(
                        "casts every value of {table}.{} from {now} to {to}",
                        cmd.name
                    );
                    (widening(&to, &now).is_some(), what)
                }
                _ => return None,
            };
            Some(hit(relaxed, what))
        }));
    }
    if let NodeEnum::IndexStmt(i) = node {
        if i.unique {
            let table = relname(&i.relation).unwrap_or_default();
            let was = ctx.before.and_then(|b| b.index(&i.idxname)).is_some();
            hits.push(hit(
                was,
                format!("builds unique index {} on {table}", i.idxname),
            ));
        }
    }
    hits
}

/// A hit; an error when the up relaxed what the down restores (the new release was then
/// free to write what the down refuses), a warning otherwise.
fn hit(relaxed: bool, what: String) -> Hit {
    let (severity, why) = if relaxed {
        (
            Severity::Error,
            "the up relaxed it, so rows the new release wrote may violate it",
        )
    } else {
        (Severity::Warning, "a row the new release wrote may not fit")
    };
    let message = format!(
        "the down migration {what}: {why}, and then it aborts and the schema rollback fails to complete"
    );
    Hit::new(Rule::DownAborts, message, REMEDY).at(severity)
}

/// DELETE, TRUNCATE or DROP TABLE of a table another table still references without a
/// cascading action: the new release's referencing rows stop it.
fn removals(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let (verb, tables, cascade) = match node {
        NodeEnum::DeleteStmt(d) => (
            "deletes rows of",
            relname(&d.relation).into_iter().collect(),
            false,
        ),
        NodeEnum::TruncateStmt(t) => {
            let names = t.relations.iter().filter_map(|r| match &r.node {
                Some(NodeEnum::RangeVar(v)) => Some(v.relname.clone()),
                _ => None,
            });
            (
                "truncates",
                names.collect(),
                t.behavior() == DropBehavior::DropCascade,
            )
        }
        NodeEnum::DropStmt(d) if d.remove_type() == ObjectType::ObjectTable => {
            let names = d.objects.iter().filter_map(|o| names_of(o).pop());
            (
                "drops",
                names.collect::<Vec<_>>(),
                d.behavior() == DropBehavior::DropCascade,
            )
        }
        _ => return Vec::new(),
    };
    if cascade {
        return Vec::new();
    }
    let is_delete = matches!(node, NodeEnum::DeleteStmt(_));
    tables
        .iter()
        .flat_map(|t| {
            blocked_by(ctx, t, &tables, is_delete)
                .into_iter()
                .map(move |(from, c)| {
                    let message = format!(
                        "the down migration {verb} {t} while {from}.{} still references it \
                         ({}): PostgreSQL refuses it once the new release wrote a referencing \
                         row, and the schema rollback fails to complete",
                        c.columns.join(", "),
                        c.name
                    );
                    Hit::new(Rule::DownAborts, message, REMEDY)
                })
        })
        .collect()
}

/// The foreign keys of tables other than `removed` that stop rows of `table` from going:
/// every one for a DROP or TRUNCATE, those without ON DELETE CASCADE / SET NULL / SET
/// DEFAULT for a DELETE.
pub fn blocked_by<'a>(
    ctx: &'a Ctx,
    table: &str,
    removed: &[String],
    is_delete: bool,
) -> Vec<(&'a str, &'a Constraint)> {
    ctx.schema
        .references_to(table)
        .into_iter()
        .filter(|(from, _)| !removed.iter().any(|t| t == from))
        .filter(|(_, c)| {
            !is_delete || !matches!(c.kind, ConstraintKind::ForeignKey { cascades: true, .. })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::down_after;
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::DownAborts;

    fn hits(before: &str, up: &str, down: &str) -> Vec<(Rule, Severity, usize)> {
        down_after(before, up, down)
            .into_iter()
            .filter(|h| h.0 == RULE)
            .collect()
    }

    #[test]
    fn removing_referenced_rows_aborts_unless_the_reference_goes_first_or_cascades() {
        let up = "CREATE TABLE kinds (id int PRIMARY KEY);\n\
                  CREATE TABLE items (id int, kind int REFERENCES kinds (id));\n\
                  CREATE TABLE notes (kind int REFERENCES kinds ON DELETE CASCADE);";
        let down = "DELETE FROM kinds WHERE id > 2;\n\
                    TRUNCATE kinds;\n\
                    ALTER TABLE items DROP CONSTRAINT items_kind_fkey;\n\
                    DELETE FROM kinds;";
        let e = Severity::Error;
        // The truncate is refused by both references; a DELETE only by the one without cascade.
        assert_eq!(
            hits("", up, down),
            vec![(RULE, e, 1), (RULE, e, 2), (RULE, e, 2)]
        );
        assert_eq!(hits("", up, "DROP TABLE notes, items, kinds;"), vec![]);
    }

    #[test]
    fn restoring_what_the_up_relaxed_is_an_error_anything_else_a_warning() {
        let before = "CREATE TABLE t (id int, a text NOT NULL, b text, n int4, \
                      CONSTRAINT pos CHECK (id > 0));";
        let up = "ALTER TABLE t ALTER COLUMN a DROP NOT NULL;\n\
                  ALTER TABLE t DROP CONSTRAINT pos;\n\
                  ALTER TABLE t ALTER COLUMN n TYPE int8;";
        let down = "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n\
                    ALTER TABLE t ADD CONSTRAINT pos CHECK (id > 0);\n\
                    ALTER TABLE t ALTER COLUMN n TYPE int4;\n\
                    ALTER TABLE t ALTER COLUMN b SET NOT NULL;\n\
                    ALTER TABLE t ADD CONSTRAINT b_set CHECK (b <> '') NOT VALID;\n\
                    CREATE UNIQUE INDEX t_b ON t (b);";
        let (e, w) = (Severity::Error, Severity::Warning);
        assert_eq!(
            hits(before, up, down),
            vec![
                (RULE, e, 1),
                (RULE, e, 2),
                (RULE, e, 3),
                (RULE, w, 4),
                (RULE, w, 6)
            ]
        );
    }
}
