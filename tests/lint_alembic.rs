//! `rollcage lint --sql-from` over the notes app's real Alembic history: Alembic itself, in the
//! release's image, prints the offline SQL (`alembic upgrade --sql base:head`), and lint judges
//! each revision. Needs the notes images (`./setup.sh`); the container is removed on exit.

use std::time::Duration;

use rollcage::lint::{lint_sql_from, Judged, Options, Rule};

/// The offline SQL of `release`'s history, as Alembic prints it inside the release's image.
fn offline(release: &str) -> String {
    // Offline mode never connects; the URL only names the dialect.
    format!(
        "docker run --rm -e DATABASE_URL=postgresql://notes@localhost/notes \
         rollcage/notes:{release} alembic upgrade --sql base:head"
    )
}

fn findings(release: &str) -> Vec<(Rule, String)> {
    let options = Options {
        judged: Judged::All,
        ..Options::default()
    };
    let found = lint_sql_from(&offline(release), Duration::from_secs(120), options)
        .unwrap_or_else(|e| panic!("lint of {release}'s Alembic history: {e}"));
    found.iter().map(|f| (f.rule, f.file.clone())).collect()
}

#[test]
fn the_notnull_revision_is_found_in_alembics_own_offline_sql() {
    let found = findings("notnull");
    assert!(
        found
            .iter()
            .any(|(rule, file)| *rule == Rule::SetNotNull && file.contains("2_notnull")),
        "{found:?}"
    );
    assert!(
        found.iter().all(|(_, file)| file != "sql-from:1_baseline"),
        "the baseline revision creates its table and is safe: {found:?}"
    );
}

#[test]
fn the_expand_revision_has_no_rollback_hazard() {
    let found = findings("expand");
    let hazards: Vec<_> = found
        .iter()
        .filter(|(rule, _)| matches!(rule, Rule::AddNotNullWithoutDefault | Rule::DropColumn))
        .collect();
    assert!(hazards.is_empty(), "{found:?}");
}
