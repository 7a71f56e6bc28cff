//! SQL text → `Statement`s, with PostgreSQL's own parser and scanner (pg_query): each
//! statement's parse tree, source text, line and column, and the rules its
//! `-- rollcage:allow <rule>[, <rule>...] <reason>` comments silence.

use pg_query::protobuf::{ScanToken, Token};
use pg_query::NodeEnum;

use super::Rule;

/// The marker that starts an allow directive inside a comment.
const ALLOW: &str = "rollcage:allow";

/// One top-level statement of a migration file.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Its parse tree, as pg_query gives it.
    pub node: NodeEnum,
    /// From its first token to its last (comments before it and the `;` excluded).
    pub text: String,
    /// 1-based line and character column of the first token.
    pub line: usize,
    /// 1-based character column of the first token.
    pub column: usize,
    /// Rules silenced for this statement by allow comments.
    pub allowed: Vec<Rule>,
}

/// Why a file did not parse: PostgreSQL's message at the statement that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses a whole file. Statement boundaries come from the parser (so function bodies with
/// semicolons stay whole); lines and comments come from the scanner's token offsets.
pub fn parse_sql(sql: &str) -> Result<Vec<Statement>, ParseFailure> {
    let parsed = pg_query::parse(sql).map_err(|e| locate_failure(sql, e))?;
    let tokens = pg_query::scan(sql)
        .map_err(|e| locate_failure(sql, e))?
        .tokens;
    let (code, comments): (Vec<&ScanToken>, Vec<&ScanToken>) =
        tokens.iter().partition(|t| !is_comment(t));

    // (first token start, last token end) of each statement, found among the code tokens.
    let mut spans = Vec::new();
    for raw in &parsed.protobuf.stmts {
        let start = raw.stmt_location.max(0) as usize;
        let end = match raw.stmt_len {
            0 => sql.len(),
            n => start + n as usize,
        };
        let inside: Vec<&&ScanToken> = code
            .iter()
            .filter(|t| t.start as usize >= start && (t.end as usize) <= end)
            .filter(|t| t.token != Token::Ascii59 as i32) // the `;` between statements
            .collect();
        let (Some(first), Some(last)) = (inside.first(), inside.last()) else {
            continue;
        };
        let node = raw.stmt.as_ref().and_then(|n| n.node.clone());
        spans.push((first.start as usize, last.end as usize, node));
    }

    let mut statements = Vec::new();
    for (i, (start, end, node)) in spans.iter().enumerate() {
        let Some(node) = node.clone() else { continue };
        let (line, column) = position(sql, *start);
        let prev_end = i.checked_sub(1).map(|p| spans[p].1);
        let next_start = spans.get(i + 1).map_or(sql.len(), |s| s.0);
        let allowed = directives(sql, &comments, prev_end, *start, *end, next_start);
        statements.push(Statement {
            node,
            text: sql[*start..*end].to_string(),
            line,
            column,
            allowed,
        });
    }
    Ok(statements)
}

/// The rules named by allow comments that belong to the statement at `start..end`: comments
/// inside it, on its last line after it, and the unbroken run of comment lines directly
/// above it (a comment that trails the previous statement's last line is that one's).
fn directives(
    sql: &str,
    comments: &[&ScanToken],
    prev_end: Option<usize>,
    start: usize,
    end: usize,
    next_start: usize,
) -> Vec<Rule> {
    let line_of = |offset: usize| position(sql, offset).0;
    let end_line = line_of(end);
    let mut mine: Vec<&ScanToken> = comments
        .iter()
        .filter(|c| {
            let at = c.start as usize;
            at > start && at < next_start && (at < end || line_of(at) == end_line)
        })
        .copied()
        .collect();
    // Walk upwards from the statement while only whitespace with one line break separates.
    let mut upper = start;
    for c in comments.iter().rev().filter(|c| (c.end as usize) <= start) {
        let gap = &sql[c.end as usize..upper];
        let trails_previous = prev_end.is_some_and(|p| line_of(c.start as usize) == line_of(p));
        if !gap.trim().is_empty() || gap.matches('\n').count() > 1 || trails_previous {
            break;
        }
        mine.push(c);
        upper = c.start as usize;
    }
    let mut rules: Vec<Rule> = mine
        .iter()
        .flat_map(|c| allow_list(&sql[c.start as usize..c.end as usize]))
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

/// The rules an allow comment names: after the marker, names separated by commas or spaces
/// until the first word that is not a rule name (the reason starts there).
pub fn allow_list(comment: &str) -> Vec<Rule> {
    let Some(at) = comment.find(ALLOW) else {
        return Vec::new();
    };
    comment[at + ALLOW.len()..]
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map_while(|w| w.trim_end_matches("*/").parse::<Rule>().ok())
        .collect()
}

fn is_comment(t: &ScanToken) -> bool {
    t.token == Token::SqlComment as i32 || t.token == Token::CComment as i32
}

/// 1-based line and character column of a byte offset.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The parser's message does not say where; the statement that fails on its own does.
fn locate_failure(sql: &str, error: pg_query::Error) -> ParseFailure {
    let message = match &error {
        pg_query::Error::Parse(m) | pg_query::Error::Scan(m) | pg_query::Error::Split(m) => {
            m.clone()
        }
        other => other.to_string(),
    };
    let pieces = pg_query::split_with_scanner(sql).unwrap_or_default();
    for piece in pieces {
        if pg_query::parse(piece).is_err() {
            let offset = piece.as_ptr() as usize - sql.as_ptr() as usize;
            // Point at the statement's first token, past any comments before it.
            let lead = pg_query::scan(piece)
                .ok()
                .and_then(|r| r.tokens.into_iter().find(|t| !is_comment(t)))
                .map_or(0, |t| t.start as usize);
            let (line, column) = position(sql, offset + lead);
            return ParseFailure {
                line,
                column,
                message,
            };
        }
    }
    ParseFailure {
        line: 1,
        column: 1,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_carry_their_first_line_and_text() {
        let sql = "-- header\nCREATE TABLE t (a int);\n\n  ALTER TABLE t\n    ADD COLUMN b int;\nSELECT 1";
        let s = parse_sql(sql).unwrap();
        let got: Vec<_> = s
            .iter()
            .map(|s| (s.line, s.column, s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, 1, "CREATE TABLE t (a int)"),
                (4, 3, "ALTER TABLE t\n    ADD COLUMN b int"),
                (6, 1, "SELECT 1"),
            ]
        );
    }

    #[test]
    fn allow_comments_above_and_trailing_belong_to_one_statement() {
        let sql = "-- rollcage:allow drop-column, drop-table old data archived\n\
                   -- second line of the same block\n\
                   ALTER TABLE t DROP COLUMN a;\n\
                   DROP TABLE u; -- rollcage:allow down-drops-data kept in backups\n\
                   \n\
                   -- rollcage:allow rename-table not directly above\n\
                   \n\
                   DROP TABLE v;";
        let s = parse_sql(sql).unwrap();
        assert_eq!(s[0].allowed, vec![Rule::DropColumn, Rule::DropTable]);
        assert_eq!(s[1].allowed, vec![Rule::DownDropsData]);
        assert!(s[2].allowed.is_empty(), "{:?}", s[2].allowed);
    }

    #[test]
    fn allow_list_stops_at_the_reason_and_ignores_strings() {
        assert_eq!(
            allow_list("-- rollcage:allow set-not-null because"),
            vec![Rule::SetNotNull]
        );
        assert!(allow_list("-- rollcage:allow reasons only").is_empty());
        // A marker inside a string literal is not a comment, so it silences nothing.
        let s = parse_sql("SELECT '-- rollcage:allow drop-table'; DROP TABLE t;").unwrap();
        assert!(s.iter().all(|s| s.allowed.is_empty()));
    }

    #[test]
    fn a_syntax_error_is_located_at_its_statement() {
        let f = parse_sql("CREATE TABLE t (a int);\n-- why\n  ALTER TABLE t ADD COLUMN;\n")
            .unwrap_err();
        assert_eq!((f.line, f.column), (3, 3));
        assert!(f.message.contains("syntax error"), "{}", f.message);
    }
}
