//! Rule `add-enum-value`: `ALTER TYPE … ADD VALUE` on an enum the previous release already
//! used. Once the new release stores the new label, the previous release cannot decode those
//! rows: a typed client maps the enum to a closed set of variants, and even a text client
//! meets a value its code never handles. An enum created by this release is nobody else's.

use pg_query::NodeEnum;

use super::{names_of, Ctx, Hit};
use crate::lint::schema::ObjectKind;
use crate::lint::Rule;

const REMEDY: &str = "expand/contract: ship a release that reads the new label (and treats \
unknown labels gracefully) first, and start writing it only in a later release, once no \
rollback target predates the reader; or use a lookup table instead of an enum";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let NodeEnum::AlterEnumStmt(a) = node else {
        return Vec::new();
    };
    // An empty old value means ADD VALUE; a rename is rename-type's.
    let Some(name) = a.type_name.iter().flat_map(names_of).last() else {
        return Vec::new();
    };
    let created = ctx.schema.object(ObjectKind::Type, &name);
    if !a.old_val.is_empty() || created.is_some_and(|v| v > ctx.since) {
        return Vec::new();
    }
    vec![Hit::new(
        Rule::AddEnumValue,
        format!(
            "enum {name} gains the label '{}': the previous release cannot decode the rows \
             that hold it once the new release writes it",
            a.new_val
        ),
        REMEDY,
    )]
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::up;
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::AddEnumValue;

    #[test]
    fn a_label_added_to_an_old_enum_is_an_error() {
        let before = "CREATE TYPE status AS ENUM ('open', 'closed');";
        let sql = "ALTER TYPE status ADD VALUE 'held' AFTER 'open';\n\
                   CREATE TYPE fresh AS ENUM ('a');\n\
                   ALTER TYPE fresh ADD VALUE 'b';\n\
                   ALTER TYPE status RENAME VALUE 'held' TO 'paused';";
        let got: Vec<_> = up(before, sql)
            .into_iter()
            .filter(|h| h.0 == RULE)
            .collect();
        assert_eq!(got, vec![(RULE, Severity::Error, 1)]);
    }
}
