//! Rule `no-down-migration`: a migration with no down (a simple, forward-only sqlx
//! migration; a dbmate file without a `-- migrate:down` section; a Flyway version without a
//! `U` undo file). The schema cannot be rolled back past it; sqlx's own `undo` would even
//! skip it silently. Reported at the migration's first statement, where an allow comment for
//! it goes. A down lint cannot see (`--sql-from` output) is not reported.

use super::Hit;
use crate::lint::{Layout, Migration, Rule};

const SPLIT: &str = "if it destroys data, split it expand/contract so the destructive part \
ships in a later contract release that no rollback needs to cross";

pub fn check(m: &Migration, layout: Option<Layout>) -> Option<Hit> {
    if m.down.is_some() || m.down_unseen {
        return None;
    }
    let hint = layout.unwrap_or(Layout::Sqlx).down_hint();
    Some(Hit::new(
        Rule::NoDownMigration,
        format!(
            "migration {} ({}) has no down migration: the schema cannot be rolled back past it",
            m.label, m.description
        ),
        &format!("give it a down migration ({hint}); {SPLIT}"),
    ))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::lint::Source;

    #[test]
    fn only_a_migration_without_down_is_reported() {
        let up = Source::whole(Path::new("0002_drop_memo.sql"), String::new());
        let mut m = Migration::new(2, "drop memo".into(), up.clone(), None);
        let hit = check(&m, Some(Layout::Sqlx)).unwrap();
        assert_eq!(hit.rule, Rule::NoDownMigration);
        assert!(hit.message.starts_with("migration 2 (drop memo)"));
        assert!(
            hit.remedy.contains("`<VERSION>_<name>.down.sql`"),
            "{}",
            hit.remedy
        );
        let flyway = check(&m, Some(Layout::Flyway)).unwrap();
        assert!(
            flyway.remedy.contains("`U<version>__<desc>.sql`"),
            "{}",
            flyway.remedy
        );
        m.down_unseen = true;
        assert_eq!(
            check(&m, None),
            None,
            "a down lint cannot see is not missing"
        );
        m.down_unseen = false;
        m.down = Some(up);
        assert_eq!(check(&m, None), None);
    }
}
