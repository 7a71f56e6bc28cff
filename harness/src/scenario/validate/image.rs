//! Image references as Docker accepts them, `name[:tag][@sha256:<64 hex>]`, checked before
//! anything starts: the engine would refuse a bad one only once containers are running.

use super::super::raw::S;
use super::Checker;

/// The longest tag Docker accepts.
const LONGEST_TAG: usize = 128;
/// The longest repository name Docker accepts.
const LONGEST_NAME: usize = 255;

impl Checker<'_> {
    /// An image reference: not empty, and one Docker accepts.
    pub(super) fn image(&mut self, value: &S<String>, key: &str) -> String {
        let text = self.non_empty(value, key);
        if let Some(why) = (!text.trim().is_empty())
            .then(|| image_problem(&text))
            .flatten()
        {
            let message = format!("`{text}` is not an image reference Docker accepts: {why}");
            self.error(value.span(), key, message);
        }
        text
    }
}

/// Why `text` is not an image reference Docker accepts, if it is not.
pub fn image_problem(text: &str) -> Option<String> {
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (text, None),
    };
    if let Some(d) = digest {
        let hex = d.strip_prefix("sha256:").unwrap_or_default();
        if hex.len() != 64 || !hex.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
            return Some("a digest is `@sha256:` and 64 lowercase hex digits".into());
        }
    }
    // The tag follows the last `:` that is not part of a registry's port.
    let (name, tag) = match rest.rfind(':') {
        Some(i) if !rest[i + 1..].contains('/') => (&rest[..i], Some(&rest[i + 1..])),
        _ => (rest, None),
    };
    if let Some(why) = tag.and_then(tag_problem) {
        return Some(why);
    }
    if name.is_empty() {
        return Some("the repository name is missing".into());
    }
    if name.len() > LONGEST_NAME {
        return Some(format!(
            "the repository name is longer than {LONGEST_NAME} characters"
        ));
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    let registry = parts.len() > 1
        && (parts[0].contains(['.', ':']) || parts[0] == "localhost" || has_upper(parts[0]));
    if registry {
        let host = parts.remove(0);
        if let Some(why) = host_problem(host) {
            return Some(why);
        }
    }
    parts.into_iter().find_map(path_problem)
}

fn has_upper(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_uppercase())
}

fn tag_problem(tag: &str) -> Option<String> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if tag.is_empty() {
        Some("the tag after `:` is empty".into())
    } else if tag.len() > LONGEST_TAG {
        Some(format!("the tag is longer than {LONGEST_TAG} characters"))
    } else if !tag.starts_with(word) || !tag.chars().all(|c| word(c) || c == '.' || c == '-') {
        Some(format!(
            "the tag `{tag}` takes letters, digits, `_`, `.` and `-`, and starts with a letter, \
             digit or `_`"
        ))
    } else {
        None
    }
}

/// A registry host, `name[:port]`.
fn host_problem(host: &str) -> Option<String> {
    let (name, port) = match host.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if !name.split('.').all(label_ok) {
        return Some(format!("`{host}` is not a registry host"));
    }
    match port {
        Some(p) if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) => {
            Some(format!("`{p}` is not a registry port"))
        }
        _ => None,
    }
}

/// One `/`-separated part of the repository: lowercase letters and digits, joined by `.`,
/// `_`, `__` or dashes.
fn path_problem(part: &str) -> Option<String> {
    if part.is_empty() {
        return Some("the repository name has an empty part between `/`".into());
    }
    if has_upper(part) {
        return Some("the repository name must be lowercase".into());
    }
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let chars: Vec<char> = part.chars().collect();
    let mut ok = chars
        .iter()
        .all(|c| alnum(*c) || matches!(c, '.' | '_' | '-'))
        && chars.first().copied().is_some_and(alnum)
        && chars.last().copied().is_some_and(alnum);
    // Separators between letters: one `.`, one or two `_`, or any number of `-`.
    for run in part.split(alnum).filter(|s| !s.is_empty()) {
        ok &= matches!(run, "." | "_" | "__") || run.chars().all(|c| c == '-');
    }
    (!ok).then(|| {
        format!("`{part}` takes lowercase letters and digits, joined by `.`, `_`, `__` or `-`")
    })
}

#[cfg(test)]
mod tests {
    use super::image_problem;
    use crate::scenario::validate::tests::{problem as one_problem, MANUAL, MINIMAL};

    #[test]
    fn references_docker_accepts_pass() {
        let hex = "a".repeat(64);
        for ok in [
            "postgres",
            "rollcage/postgres:15",
            "library/postgres:15.4-alpine",
            "localhost:5000/team/app:v1",
            "registry.example:443/a__b/c-d/e.f:latest",
            &format!("rollcage/ledger@sha256:{hex}"),
            &format!("rollcage/ledger:baseline@sha256:{hex}"),
            &format!("x:{}", "t".repeat(128)),
        ] {
            assert_eq!(image_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn references_docker_refuses_say_why() {
        let cases = [
            ("Rollcage/Ledger:x", "the repository name must be lowercase"),
            ("rollcage/ledger:", "the tag after `:` is empty"),
            ("a:-x", "the tag `-x` takes letters"),
            ("a:b c", "the tag `b c` takes letters"),
            (
                "a@sha256:abc",
                "a digest is `@sha256:` and 64 lowercase hex digits",
            ),
            ("a//b", "the repository name has an empty part between `/`"),
            ("a/b_-c", "`b_-c` takes lowercase letters and digits"),
            ("a/-b", "`-b` takes lowercase letters and digits"),
            (":tag", "the repository name is missing"),
            ("host:x/a", "`x` is not a registry port"),
        ];
        for (bad, why) in cases {
            let found = image_problem(bad).unwrap_or_default();
            assert!(found.starts_with(why), "{bad}: {found}");
        }
        let long = format!("x:{}", "t".repeat(129));
        assert_eq!(
            image_problem(&long).as_deref(),
            Some("the tag is longer than 128 characters")
        );
    }

    #[test]
    fn a_bad_image_is_reported_at_its_key() {
        let text = format!("{MINIMAL}{MANUAL}")
            .replace("rollcage/ledger:expand", "Rollcage/Ledger:expand");
        let (line, column, key, message) = one_problem(&text);
        assert_eq!(
            (line, column, key.as_str()),
            (6, 9, "releases.expand.image")
        );
        assert_eq!(
            message,
            "`Rollcage/Ledger:expand` is not an image reference Docker accepts: the repository \
             name must be lowercase"
        );
    }
}
