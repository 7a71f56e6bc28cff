//! Rule `rename-type`: a type renamed or moved to another schema, or one of an enum's labels
//! renamed, in place. The previous release still writes the old label and names the old
//! type in casts and in its client's type mapping, so it fails on this schema.

use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{names_of, Ctx, Hit};
use crate::lint::schema::ObjectKind;
use crate::lint::Rule;

const REMEDY: &str = "expand/contract: add the new label (or type) beside the old one, move \
writes and reads to it, and remove the old one in a later contract release once no rollback \
target uses it";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let old_type = |name: &str| {
        ctx.schema
            .object(ObjectKind::Type, name)
            .is_none_or(|v| v <= ctx.since)
    };
    let (name, what) = match node {
        NodeEnum::AlterEnumStmt(a) if !a.old_val.is_empty() => {
            let Some(name) = a.type_name.iter().flat_map(names_of).last() else {
                return Vec::new();
            };
            let what = format!(
                "label '{}' of enum {name} is renamed to '{}': the previous release still \
                 writes and expects '{}'",
                a.old_val, a.new_val, a.old_val
            );
            (name, what)
        }
        NodeEnum::RenameStmt(r)
            if matches!(
                r.rename_type(),
                ObjectType::ObjectType | ObjectType::ObjectDomain
            ) =>
        {
            let Some(name) = r.object.as_deref().and_then(|o| names_of(o).pop()) else {
                return Vec::new();
            };
            let what = format!(
                "type {name} is renamed to {}: the previous release still names {name}",
                r.newname
            );
            (name, what)
        }
        NodeEnum::AlterObjectSchemaStmt(s)
            if matches!(
                s.object_type(),
                ObjectType::ObjectType | ObjectType::ObjectDomain
            ) =>
        {
            let Some(name) = s.object.as_deref().and_then(|o| names_of(o).pop()) else {
                return Vec::new();
            };
            let what = format!(
                "type {name} moves to schema {}: the previous release still finds it where it was",
                s.newschema
            );
            (name, what)
        }
        _ => return Vec::new(),
    };
    if !old_type(&name) {
        return Vec::new();
    }
    vec![Hit::new(Rule::RenameType, what, REMEDY)]
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::up;
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::RenameType;

    #[test]
    fn renames_of_old_types_and_labels_are_errors() {
        let before = "CREATE TYPE status AS ENUM ('open', 'closed');";
        let sql = "ALTER TYPE status RENAME VALUE 'open' TO 'active';\n\
                   ALTER TYPE status RENAME TO state;\n\
                   CREATE TYPE fresh AS ENUM ('a');\n\
                   ALTER TYPE fresh RENAME VALUE 'a' TO 'b';\n\
                   ALTER TYPE state SET SCHEMA archive;";
        let got: Vec<_> = up(before, sql)
            .into_iter()
            .filter(|h| h.0 == RULE)
            .collect();
        let e = Severity::Error;
        assert_eq!(got, vec![(RULE, e, 1), (RULE, e, 2), (RULE, e, 5)]);
    }
}
