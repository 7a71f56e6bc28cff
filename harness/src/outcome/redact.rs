//! `Redactor`: keeps secrets out of every report and log. The database password, wherever it
//! appears in text (a connection URL, an error, a release's log line), and the value of every
//! environment variable whose name looks secret, become `[redacted]` before an outcome or an
//! event reaches a reporter.

use super::DrillOutcome;

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// Parts of an environment variable's name that mark its value secret.
const SECRET_NAMES: &[&str] = &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL"];

/// The secrets of one drill.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// Redacts each of `secrets` (empty ones ignored: they would match everywhere).
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(secrets: I) -> Redactor {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .map(Into::into)
            .filter(|s| !s.is_empty())
            .collect();
        // Longest first, so a secret containing another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Redactor { secrets }
    }

    /// `text` with every secret replaced. A secret that is a plain word (such as the default
    /// `postgres`, also an image and user name) is replaced only where it stands as a value:
    /// after `:` or `=` or alone, before `@`, a separator or the end. Any other secret is
    /// replaced wherever it appears.
    pub fn text(&self, text: &mut String) {
        for s in &self.secrets {
            if !text.contains(s.as_str()) {
                continue;
            }
            let word = s.len() < 12 && s.chars().all(|c| c.is_ascii_alphanumeric());
            *text = match word {
                false => text.replace(s.as_str(), REDACTED),
                true => replace_as_value(text, s),
            };
        }
    }

    /// Environment pairs: a secret-looking name hides the whole value; any other value has its
    /// secrets replaced.
    pub fn env(&self, pairs: &mut [(String, String)]) {
        for (key, value) in pairs {
            let upper = key.to_ascii_uppercase();
            if SECRET_NAMES.iter().any(|n| upper.contains(n)) {
                *value = REDACTED.to_string();
            } else {
                self.text(value);
            }
        }
    }

    /// Every text an outcome carries that can hold what the drill saw or was told.
    pub fn outcome(&self, o: &mut DrillOutcome) {
        self.env(&mut o.capture.env);
        for text in [&mut o.failure, &mut o.interrupted, &mut o.decision]
            .into_iter()
            .flatten()
        {
            self.text(text);
        }
        o.oracles.iter_mut().for_each(|r| self.text(&mut r.message));
        o.steps.iter_mut().for_each(|s| self.text(&mut s.detail));
        o.timeline.iter_mut().for_each(|e| self.text(&mut e.detail));
        let predictions = &mut o.predictions;
        predictions
            .predictions
            .iter_mut()
            .for_each(|p| self.text(&mut p.evidence));
        predictions
            .observations
            .iter_mut()
            .for_each(|x| self.text(&mut x.detail));
    }
}

/// `text` with `secret` replaced where it stands as a value, not inside another word or name.
fn replace_as_value(text: &str, secret: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(secret) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + secret.len()..].chars().next();
        let opens = before.is_none_or(|c| c == ':' || c == '=' || c.is_whitespace());
        let closes = after.is_none_or(|c| {
            c == '@' || c == '&' || c == ';' || c == '"' || c == '\'' || c.is_whitespace()
        });
        out.push_str(&rest[..i]);
        out.push_str(if opens && closes { REDACTED } else { secret });
        rest = &rest[i + secret.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::outcome;
    use crate::verify::OracleResult;
    use crate::vocab::Oracle;

    #[test]
    fn a_password_is_gone_from_every_text_and_secret_names_hide_their_values() {
        let r = Redactor::new(["hunter2", ""]);
        let mut o = outcome(false);
        o.capture.env = vec![
            (
                "DATABASE_URL".into(),
                "postgres://app:hunter2@db:5432/app".into(),
            ),
            ("API_TOKEN".into(), "tok-9f".into()),
            ("LOG_LEVEL".into(), "info".into()),
        ];
        o.failure = Some("connecting with hunter2 failed".into());
        o.oracles
            .push(OracleResult::fail(Oracle::Health, "log: password=hunter2"));
        o.steps[0].detail = "started with hunter2".into();
        r.outcome(&mut o);
        let json = serde_json::to_string(&o).unwrap();
        assert!(!json.contains("hunter2"), "{json}");
        assert!(!json.contains("tok-9f"), "{json}");
        assert!(
            json.contains("postgres://app:[redacted]@db:5432/app"),
            "{json}"
        );
        assert!(json.contains("\"info\""), "{json}");
    }

    #[test]
    fn a_plain_word_password_is_redacted_only_where_it_is_a_value() {
        let r = Redactor::new(["postgres"]);
        let mut url = "postgres://postgres:postgres@db:5432/postgres".to_string();
        r.text(&mut url);
        assert_eq!(url, "postgres://postgres:[redacted]@db:5432/postgres");
        let mut image = "database rollcage/postgres:15, password=postgres".to_string();
        r.text(&mut image);
        assert_eq!(image, "database rollcage/postgres:15, password=[redacted]");
        let mut alone = "postgres".to_string();
        r.text(&mut alone);
        assert_eq!(alone, REDACTED);
    }
}
