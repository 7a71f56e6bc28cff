//! `rollcage lint --sql-from COMMAND`: lints the SQL a migration tool prints offline
//! (`alembic upgrade --sql base:head`). Alembic marks each revision with a
//! `-- Running upgrade <from> -> <to>` line; the output splits into one migration per marker
//! (named by its revision), or is one migration without them. Lines are counted in the whole
//! output, and the tool's own bookkeeping (`alembic_version`) is not judged.

mod command;

use std::path::PathBuf;
use std::time::Duration;

pub use command::SqlFromError;

use super::scope::{Options, Scope};
use super::{lint_set, Finding, LintError, Migration, MigrationSet, Source};

/// Tables migration tools keep their own state in: their writes are not the app's data.
const BOOKKEEPING: &[&str] = &["alembic_version"];

/// The marker line that starts a revision in Alembic's offline output.
const MARKER: &str = "-- Running upgrade ";

/// Runs `command` and lints what it prints, as a folder is linted with `options`.
pub fn lint_sql_from(
    command: &str,
    timeout: Duration,
    options: Options,
) -> Result<Vec<Finding>, LintError> {
    let set = read(command, timeout)?;
    lint_set(&set, &Scope::folder(options))
}

/// Runs `command` and splits what it prints into migrations.
pub fn read(command: &str, timeout: Duration) -> Result<MigrationSet, LintError> {
    let failed = |source| LintError::SqlFrom {
        command: command.to_string(),
        source,
    };
    let output = command::run(command, timeout).map_err(failed)?;
    let set = split(command, &output);
    let statements = set
        .migrations
        .iter()
        .map(|m| pg_query::split_with_scanner(&m.up.text).map_or(1, |s| s.len()))
        .sum::<usize>();
    if statements == 0 {
        return Err(failed(SqlFromError::NoSql));
    }
    Ok(set)
}

/// One migration per marker (what comes before the first belongs to the first), or the
/// whole output as one migration.
pub fn split(command: &str, output: &str) -> MigrationSet {
    let lines: Vec<&str> = output.lines().collect();
    let mut starts: Vec<(usize, String, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let (from, to) = l
                .trim()
                .strip_prefix(MARKER.trim_start())?
                .split_once("->")?;
            let (from, to) = (from.trim(), to.trim());
            let from = if from.is_empty() { "base" } else { from };
            Some((i, to.to_string(), format!("upgrade {from} -> {to}")))
        })
        .collect();
    if starts.is_empty() {
        starts.push((0, String::new(), format!("the SQL `{command}` printed")));
    }
    let count = starts.len();
    let migrations = (0..count)
        .map(|n| {
            let (at, revision, description) = &starts[n];
            let begin = if n == 0 { 0 } else { *at };
            let end = starts.get(n + 1).map_or(lines.len(), |s| s.0);
            let file = if revision.is_empty() {
                "sql-from".to_string()
            } else {
                format!("sql-from:{revision}")
            };
            let up = Source {
                path: PathBuf::from(command),
                file,
                first_line: begin,
                text: without_bookkeeping(&lines[begin..end].join("\n")),
            };
            let position = i64::try_from(n + 1).unwrap_or(i64::MAX);
            let mut m = Migration::new(position, description.clone(), up, None);
            if !revision.is_empty() {
                m.label = revision.clone();
            }
            // Alembic's downgrade() is Python this output does not show.
            m.down_unseen = true;
            m
        })
        .collect();
    MigrationSet {
        folder: PathBuf::from(command),
        layout: None,
        migrations,
        unjudged: Vec::new(),
    }
}

/// The text with statements on bookkeeping tables blanked out (line breaks kept, so the
/// lines of the others do not move).
fn without_bookkeeping(sql: &str) -> String {
    let Ok(pieces) = pg_query::split_with_scanner(sql) else {
        return sql.to_string();
    };
    let mut text = sql.to_string();
    for piece in pieces {
        let Ok(parsed) = pg_query::parse(piece) else {
            continue;
        };
        let tables = parsed.tables();
        let tool_only = !tables.is_empty()
            && tables.iter().all(|t| {
                let name = t.rsplit('.').next().unwrap_or(t);
                BOOKKEEPING.contains(&name)
            });
        if !tool_only {
            continue;
        }
        let start = piece.as_ptr() as usize - sql.as_ptr() as usize;
        let blank: String = piece
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        // Same length in bytes only for ASCII; otherwise keep the statement (lines matter more).
        if blank.len() == piece.len() {
            text.replace_range(start..start + piece.len(), &blank);
        }
    }
    text
}

#[cfg(test)]
mod tests;
