//! Rule `no-down-migration`: a migration with no down file (a simple, forward-only sqlx
//! migration). The schema cannot be rolled back past it; sqlx's own `undo` would even skip
//! it silently. Reported at the migration's first statement, where an allow comment for it
//! goes.

use super::Hit;
use crate::lint::{Migration, Rule};

const REMEDY: &str = "give it a down migration (`NNNN_name.up.sql` + `.down.sql`); if it \
destroys data, split it expand/contract so the destructive part ships in a later contract \
release that no rollback needs to cross";

pub fn check(m: &Migration) -> Option<Hit> {
    m.down.is_none().then(|| {
        Hit::new(
            Rule::NoDownMigration,
            format!(
                "migration {} ({}) has no down migration: the schema cannot be rolled back past it",
                m.version, m.description
            ),
            REMEDY,
        )
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn only_a_migration_without_down_is_reported() {
        let mut m = Migration {
            version: 2,
            description: "drop memo".into(),
            up: PathBuf::from("0002_drop_memo.sql"),
            down: None,
        };
        let hit = check(&m).unwrap();
        assert_eq!(hit.rule, Rule::NoDownMigration);
        assert!(hit.message.starts_with("migration 2 (drop memo)"));
        m.down = Some(PathBuf::from("0002_drop_memo.down.sql"));
        assert_eq!(check(&m), None);
    }
}
