//! The schema model followed through tables, columns, renames, drops and constraints.

use super::*;
use crate::lint::parse_sql;

fn build(sql: &str) -> Schema {
    let mut s = Schema::default();
    for (i, stmt) in parse_sql(sql).unwrap().iter().enumerate() {
        s.apply(&stmt.node, i as i64 + 1);
    }
    s
}

#[test]
fn follows_columns_defaults_and_renames() {
    let s = build(
        "CREATE TABLE e (id bigserial PRIMARY KEY, memo text, at timestamptz NOT NULL DEFAULT now());
         ALTER TABLE e ADD COLUMN cur text;
         ALTER TABLE e ALTER COLUMN cur SET DEFAULT 'EUR';
         ALTER TABLE e RENAME COLUMN memo TO description;
         ALTER TABLE e RENAME TO entries;",
    );
    let col = |c| s.column("entries", c).cloned();
    let short = |c: Option<Column>| c.map(|c| (c.added, c.has_default, c.type_name));
    assert_eq!(col("at").map(|c| c.not_null), Some(true));
    assert_eq!(short(col("id")), Some((1, true, "bigserial".into())));
    assert_eq!(col("at").map(|c| c.has_default), Some(true));
    assert_eq!(short(col("cur")), Some((2, true, "text".into())));
    assert_eq!(col("description").map(|c| c.added), Some(1));
    assert!(col("memo").is_none() && s.table("e").is_none());
}

#[test]
fn drops_are_followed() {
    let s = build("CREATE TABLE a (x int, y int); ALTER TABLE a DROP COLUMN y; CREATE TABLE b (); DROP TABLE b;");
    assert!(s.column("a", "y").is_none() && s.column("a", "x").is_some());
    assert!(s.table("b").is_none());
}

#[test]
fn constraints_are_named_as_postgresql_names_them_and_followed() {
    let mut s = Schema::default();
    let sql = "CREATE TABLE a (id int PRIMARY KEY, code text UNIQUE);
               CREATE TABLE b (id int, a_id int REFERENCES a (id) ON DELETE CASCADE, n int CHECK (n > 0));
               CREATE TABLE c (a_id int, CONSTRAINT c_a FOREIGN KEY (a_id) REFERENCES a);
               ALTER TABLE c DROP CONSTRAINT c_a;
               ALTER TABLE b ALTER COLUMN n SET NOT NULL;";
    for (i, st) in parse_sql(sql).unwrap().iter().enumerate() {
        s.apply(&st.node, i as i64 + 1);
    }
    let names: Vec<&str> = s
        .table("a")
        .unwrap()
        .constraints
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, vec!["a_pkey", "a_code_key"]);
    assert!(s.constraint("b", "b_n_check").is_some());
    let refs: Vec<&str> = s
        .references_to("a")
        .iter()
        .map(|(t, c)| c.name.as_str().trim_start_matches(t))
        .collect();
    assert_eq!(refs, vec!["_a_id_fkey"]);
    assert!(matches!(
        &s.constraint("b", "b_a_id_fkey").unwrap().kind,
        ConstraintKind::ForeignKey { cascades: true, .. }
    ));
    assert!(s.column("b", "n").unwrap().not_null);
}
