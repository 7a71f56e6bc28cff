//! `Layout`: the migration tools whose folders `rollcage lint` reads, spelled once, and
//! offered to the command line as `--layout`.

use super::vocabulary;

vocabulary! {
    /// How a folder's file names (and, for dbmate, contents) lay out its migrations.
    Layout ("migration layout") {
        /// sqlx: `<VERSION>_<name>.up.sql` / `.down.sql`, or simple `<VERSION>_<name>.sql`.
        Sqlx = "sqlx",
        /// golang-migrate: `<VERSION>_<name>.up.sql` / `.down.sql` only.
        GolangMigrate = "golang-migrate",
        /// dbmate: one `<YYYYMMDDHHMMSS>_<name>.sql` per migration, with `-- migrate:up` and
        /// `-- migrate:down` sections.
        Dbmate = "dbmate",
        /// Flyway: `V<version>__<desc>.sql` up, `U<version>__<desc>.sql` undo, `R__<desc>.sql`
        /// repeatable.
        Flyway = "flyway",
    }
}

impl clap::ValueEnum for Layout {
    fn value_variants<'a>() -> &'a [Self] {
        Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

impl Layout {
    /// How this layout writes a down migration, for remedies that ask for one.
    pub fn down_hint(self) -> &'static str {
        match self {
            Layout::Sqlx | Layout::GolangMigrate => "a `<VERSION>_<name>.down.sql` file",
            Layout::Dbmate => "a `-- migrate:down` section",
            Layout::Flyway => "a `U<version>__<desc>.sql` undo file",
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    #[test]
    fn command_line_spellings_are_the_vocabulary_ones() {
        assert_eq!(
            Layout::value_variants()
                .iter()
                .filter_map(|l| l.to_possible_value())
                .map(|v| v.get_name().to_string())
                .collect::<Vec<_>>(),
            vec!["sqlx", "golang-migrate", "dbmate", "flyway"]
        );
        assert_eq!("dbmate".parse::<Layout>(), Ok(Layout::Dbmate));
        let err = "liquibase".parse::<Layout>().unwrap_err();
        assert!(err
            .to_string()
            .contains("unknown migration layout `liquibase`"));
    }
}
