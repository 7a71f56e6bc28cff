//! Rule `drop-object`: a view, materialized view, type or domain (errors), or a function,
//! procedure or sequence (warnings: the app may not call it itself) that the previous
//! release may use is dropped. After a code rollback its queries that name it fail. Objects
//! this release created are nobody else's.

use pg_query::NodeEnum;

use super::{Ctx, Hit};
use crate::lint::schema::{dropped_name, ObjectKind};
use crate::lint::{Rule, Severity};

const REMEDY: &str = "expand/contract: keep it until a later contract release; first ship \
code that stops using it, and drop it once no rollback target does";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let NodeEnum::DropStmt(d) = node else {
        return Vec::new();
    };
    let Some(kind) = ObjectKind::of(d.remove_type()) else {
        return Vec::new();
    };
    let (noun, severity) = match kind {
        ObjectKind::View => ("view", Severity::Error),
        ObjectKind::Type => ("type", Severity::Error),
        ObjectKind::Function => ("function", Severity::Warning),
        ObjectKind::Sequence => ("sequence", Severity::Warning),
    };
    d.objects
        .iter()
        .filter_map(dropped_name)
        .filter(|name| ctx.schema.object(kind, name).is_none_or(|v| v <= ctx.since))
        .map(|name| {
            let message = format!(
                "{noun} {name} is dropped: the previous release may still use it and fails \
                 on this schema"
            );
            Hit::new(Rule::DropObject, message, REMEDY).at(severity)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::up;
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::DropObject;

    #[test]
    fn old_views_and_types_are_errors_routines_and_sequences_warnings() {
        let before = "CREATE VIEW totals AS SELECT 1 AS n;\n\
                      CREATE TYPE mood AS ENUM ('ok');\n\
                      CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';";
        let sql = "DROP VIEW totals;\n\
                   DROP TYPE mood;\n\
                   DROP FUNCTION f();\n\
                   DROP SEQUENCE IF EXISTS s;\n\
                   CREATE VIEW fresh AS SELECT 2 AS n;\n\
                   DROP VIEW fresh;\n\
                   DROP MATERIALIZED VIEW report;";
        let got: Vec<_> = up(before, sql)
            .into_iter()
            .filter(|h| h.0 == RULE)
            .collect();
        let (e, w) = (Severity::Error, Severity::Warning);
        assert_eq!(
            got,
            vec![
                (RULE, e, 1),
                (RULE, e, 2),
                (RULE, w, 3),
                (RULE, w, 4),
                (RULE, e, 7)
            ]
        );
    }
}
