//! Splitting a migration's SQL into statements, so a migrator can be stopped after statement k
//! the way a killed process would stop. Quotes, dollar quotes and comments are respected.

/// The statements of `sql`, trimmed, without empty ones.
pub fn split(sql: &str) -> Vec<String> {
    let bytes = sql.as_bytes();
    let (mut out, mut start, mut i) = (Vec::new(), 0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' => i = skip_quoted(bytes, i, bytes[i]),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
            }
            b'$' => i = skip_dollar(sql, i),
            b';' => {
                push(&mut out, &sql[start..i]);
                start = i + 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    push(&mut out, &sql[start..]);
    out
}

fn push(out: &mut Vec<String>, piece: &str) {
    let has_code = piece.lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with("--")
    });
    if has_code {
        out.push(piece.trim().to_string());
    }
}

fn skip_quoted(bytes: &[u8], open: usize, quote: u8) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            // A doubled quote is an escaped quote, not the end.
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// `$tag$ ... $tag$` bodies (functions, DO blocks); a lone `$1` is a parameter, not a quote.
fn skip_dollar(sql: &str, at: usize) -> usize {
    let rest = &sql[at + 1..];
    let Some(close) = rest.find('$') else {
        return at + 1;
    };
    let tag = &rest[..close];
    if !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        || tag.starts_with(|c: char| c.is_ascii_digit())
    {
        return at + 1;
    }
    let delimiter = format!("${tag}$");
    let body = at + delimiter.len();
    sql[body..]
        .find(&delimiter)
        .map_or(sql.len(), |n| body + n + delimiter.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let sql = "ALTER TABLE t ADD COLUMN c text; -- note; not a split\n\
                   UPDATE t SET c = 'a;b';\n/* x; y */ ALTER TABLE t ALTER c SET NOT NULL;\n";
        assert_eq!(
            split(sql),
            vec![
                "ALTER TABLE t ADD COLUMN c text",
                "-- note; not a split\nUPDATE t SET c = 'a;b'",
                "/* x; y */ ALTER TABLE t ALTER c SET NOT NULL",
            ]
        );
    }

    #[test]
    fn dollar_quoted_bodies_stay_whole() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT $1;";
        assert_eq!(split(sql).len(), 2);
        assert!(split("-- only a comment\n").is_empty());
    }
}
