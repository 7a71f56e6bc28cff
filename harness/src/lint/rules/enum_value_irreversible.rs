//! Rule `enum-value-irreversible`: an enum label the migration's up added is still there
//! after its down migration. PostgreSQL has no `ALTER TYPE … DROP VALUE`, so a down that
//! does nothing about it leaves a schema that differs from before the deploy, with rows that
//! may hold the label; only recreating the type (and casting every column, which aborts on
//! rows holding it) takes it out. Judged once the whole down has been applied.

use super::Hit;
use crate::lint::schema::Schema;
use crate::lint::Rule;

const REMEDY: &str = "compensate, don't revert: leave the label in place on a schema rollback \
(the previous release must then tolerate it, see add-enum-value), or recreate the type in \
the down migration after mapping the rows that hold it to an old label";

/// Labels of enums that existed before the up which the schema after the down still has
/// and the schema before the up did not.
pub fn check(before_up: &Schema, after_down: &Schema) -> Vec<Hit> {
    before_up
        .enum_types()
        .flat_map(|(t, old)| {
            let labels = after_down.labels(t).unwrap_or_default();
            labels
                .iter()
                .filter(|l| !old.iter().any(|o| o.name == l.name))
                .map(move |l| {
                    Hit::new(
                        Rule::EnumValueIrreversible,
                        format!(
                            "label '{}' of enum {t}, added by the up, is still there after \
                             this down migration: PostgreSQL cannot drop an enum value, so the \
                             schema rollback does not restore the schema",
                            l.name
                        ),
                        REMEDY,
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::parse_sql;

    fn schema(sql: &str) -> Schema {
        let mut s = Schema::default();
        for st in parse_sql(sql).unwrap() {
            s.apply(&st.node, 1);
        }
        s
    }

    #[test]
    fn a_label_the_down_leaves_is_reported_a_recreated_type_is_not() {
        let before = schema("CREATE TYPE mood AS ENUM ('ok');");
        let kept = schema("CREATE TYPE mood AS ENUM ('ok'); ALTER TYPE mood ADD VALUE 'sad';");
        let hits = check(&before, &kept);
        assert_eq!(hits.len(), 1);
        assert!(hits[0].message.contains("'sad'"), "{}", hits[0].message);
        let recreated = schema(
            "CREATE TYPE mood AS ENUM ('ok'); ALTER TYPE mood ADD VALUE 'sad'; \
             DROP TYPE mood; CREATE TYPE mood AS ENUM ('ok');",
        );
        assert!(check(&before, &recreated).is_empty());
    }
}
