//! Raw file → validated `Scenario`: defaults, value checks and cross-field checks, every
//! problem collected (with its line:column and key path) rather than stopping at the first.
//!
//! Section checks live in `validate/setup.rs` (expectation, database, app, services, releases,
//! deploy), `validate/faults.rs`, `validate/traffic.rs` and `validate/rollback.rs`; the small value checks
//! they share are on `Checker` here.

mod checks;
mod conflicts;
mod faults;
mod image;
pub use image::image_problem;
mod limits;
mod migrations;
mod names;
mod position;
mod requests;
mod rollback;
mod setup;
#[cfg(test)]
pub(super) mod tests;
mod traffic;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::catalog::FaultCatalog;
use super::diagnostics::{quote_key, Diagnostic, Source};
use super::model::*;
use super::raw::*;
use crate::vocab::Vocabulary;

/// The longest duration a scenario may give: a drill's timers add durations to the clock,
/// and a value of centuries would overflow it.
const LONGEST: Duration = Duration::from_secs(7 * 24 * 3600);

pub use names::{APP_ALIAS, DB_ALIAS};

/// Placeholders app and release env values may use; the engine fills them per run.
pub const DB_PLACEHOLDERS: [&str; 6] = [
    "db.host",
    "db.port",
    "db.user",
    "db.password",
    "db.name",
    "db.url",
];

/// A valid scenario plus where its name was written (for cross-file duplicate-name errors).
pub(crate) struct Validated {
    pub scenario: Scenario,
    pub name_position: (usize, usize),
}

pub(crate) fn validate<C: FaultCatalog>(
    raw: RawScenario<C>,
    src: &Source,
) -> Result<Validated, Vec<Diagnostic>> {
    let dir = src.file.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut c = Checker {
        src,
        dir,
        diags: Vec::new(),
    };
    let stem = src
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = raw.name.as_ref().map_or(stem, |n| n.get_ref().clone());
    if let Some(n) = raw.name.as_ref().filter(|n| n.get_ref().trim().is_empty()) {
        c.error(n.span(), "name", "must not be empty");
    }
    let name_position = src.position(raw.name.as_ref().map_or(0, |n| n.span().start));
    let expect = c.expectation(&raw);
    let database = c.database(&raw.database);
    let app = c.app(raw.app.as_ref());
    let services = c.services(&raw.services);
    let releases = c.releases(&raw.releases);
    let deploy = c.deploy(&raw.deploy, &releases);
    c.target_version(&raw.releases, &releases, &deploy);
    let traffic = c.traffic(&raw.traffic);
    // `[[smoke]]` requests are checks after the rollback, run before the `[[check]]`s there.
    let smoke = raw.smoke.iter().enumerate().map(|(i, s)| c.smoke(i, s));
    let mut checks: Vec<Check> = smoke.collect();
    checks.extend(c.checks(&raw.checks));
    let to = releases.iter().find(|r| r.name == deploy.to);
    let rollback = c.rollback(&raw.rollback, to);
    let faults = c.faults(&raw.faults, &releases, &rollback.steps);
    c.conflicts(&raw.faults);
    if let Some(v) = raw.expect.as_ref() {
        // Only an automatic trigger can stay quiet on purpose; a manual one always decides.
        if expect.verdict == Verdict::NoRollback
            && matches!(rollback.trigger, Trigger::Manual { .. })
        {
            let message = format!(
                "`{}` needs an automatic trigger ([rollback.trigger] kind = \"auto\"); a manual \
                 trigger always rolls back",
                Verdict::NoRollback
            );
            c.error(v.span(), "expect", message);
        }
    }
    let allowed_loss = AllowedLoss {
        fields: raw
            .allowed_loss
            .fields
            .iter()
            .map(|f| c.pointer(f, "allowed-loss.fields"))
            .collect(),
        writes_since_snapshot: raw.allowed_loss.writes_since_snapshot,
        tables: raw
            .allowed_loss
            .tables
            .iter()
            .map(|t| c.loss_place(t, "allowed-loss.tables", 1))
            .collect(),
        columns: raw
            .allowed_loss
            .columns
            .iter()
            .map(|t| c.loss_place(t, "allowed-loss.columns", 2))
            .collect(),
    };
    let lint = c.lint(&raw.lint);
    if !c.diags.is_empty() {
        // Checks run section by section; the author reads the file top to bottom.
        c.diags.sort_by_key(|d| (d.line, d.column));
        return Err(c.diags);
    }
    let (source, description) = (src.file.to_path_buf(), raw.description);
    let scenario = Scenario {
        name,
        description,
        source,
        expect,
        database,
        app,
        services,
        releases,
        deploy,
        traffic,
        checks,
        rollback,
        faults,
        allowed_loss,
        lint,
    };
    Ok(Validated {
        scenario,
        name_position,
    })
}

/// Collects diagnostics while values are checked; each check returns a usable value anyway
/// (a default) so checking goes on and later problems are found too.
pub(crate) struct Checker<'a> {
    src: &'a Source<'a>,
    dir: PathBuf,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, span: Range<usize>, key: &str, message: impl Into<String>) {
        self.diags
            .push(self.src.diagnostic(span, key, message.into()));
    }

    /// A duration, `default` when absent; zero is refused unless `zero_ok`.
    fn duration(
        &mut self,
        value: Option<&S<DurationText>>,
        key: &str,
        default: Duration,
        zero_ok: bool,
    ) -> Duration {
        let Some(value) = value else { return default };
        match humantime::parse_duration(value.get_ref().0.trim()) {
            Ok(d) if d.is_zero() && !zero_ok => {
                self.error(value.span(), key, "must be longer than zero");
                default
            }
            Ok(d) if d > LONGEST => {
                let text = &value.get_ref().0;
                let message = format!(
                    "`{text}` is longer than a drill waits for anything (at most {})",
                    humantime::format_duration(LONGEST)
                );
                self.error(value.span(), key, message);
                default
            }
            Ok(d) => d,
            Err(e) => {
                let text = &value.get_ref().0;
                // humantime's message ends in a long list of unit spellings; the reason is enough.
                let e = e.to_string();
                let reason = e.split(", supported units").next().unwrap_or_default();
                self.error(
                    value.span(),
                    key,
                    format!("`{text}` is not a duration such as \"20s\" or \"150ms\" ({reason})"),
                );
                default
            }
        }
    }

    /// One of a fixed set of kebab-case names.
    fn choose<T: Copy>(
        &mut self,
        value: &S<String>,
        key: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let found = options
            .iter()
            .find(|(n, _)| n == value.get_ref())
            .map(|(_, t)| *t);
        if found.is_none() {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            let message = format!(
                "unknown value `{}`; expected one of {}",
                value.get_ref(),
                names.join(", ")
            );
            self.error(value.span(), key, message);
        }
        found
    }

    fn non_empty(&mut self, value: &S<String>, key: &str) -> String {
        if value.get_ref().trim().is_empty() {
            self.error(value.span(), key, "must not be empty");
        }
        value.get_ref().clone()
    }

    /// `{name}` placeholders in `text` must all be in `allowed`.
    fn placeholders(&mut self, value: &S<String>, key: &str, allowed: &[&str]) {
        for name in placeholders(value.get_ref()) {
            if !allowed.contains(&name) {
                let list: Vec<String> = allowed.iter().map(|a| format!("{{{a}}}")).collect();
                let expected = if list.is_empty() {
                    "none are allowed here".into()
                } else {
                    format!("expected {}", list.join(", "))
                };
                self.error(
                    value.span(),
                    key,
                    format!("unknown placeholder {{{name}}}; {expected}"),
                );
            }
        }
    }

    fn env(&mut self, table: &EnvTable, key: &str, allowed: &[&str]) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (name, value) in table {
            self.placeholders(value, &format!("{key}.{}", quote_key(name)), allowed);
            out.insert(name.clone(), value.get_ref().clone());
        }
        out
    }

    /// A JSON pointer (`/id`, `/tags/0`).
    fn pointer(&mut self, value: &S<String>, key: &str) -> String {
        if !value.get_ref().starts_with('/') {
            self.error(
                value.span(),
                key,
                format!(
                    "`{}` is not a JSON pointer; it starts with `/`, as in \"/id\"",
                    value.get_ref()
                ),
            );
        }
        value.get_ref().clone()
    }

    /// A table (`parts` 1) or `table.column` (`parts` 2) named in `[allowed-loss]`.
    fn loss_place(&mut self, value: &S<String>, key: &str, parts: usize) -> String {
        let text = value.get_ref();
        let names: Vec<&str> = text.split('.').collect();
        if names.len() != parts || names.iter().any(|n| n.trim().is_empty()) {
            let want = if parts == 1 {
                "a table name, as in \"entries\""
            } else {
                "`table.column`, as in \"entries.tags\""
            };
            self.error(value.span(), key, format!("`{text}` is not {want}"));
        }
        text.clone()
    }

    /// `[lint]`: each silenced rule a known one, with a reason.
    fn lint(&mut self, raw: &RawLint) -> LintSettings {
        let mut allow = Vec::new();
        for (i, entry) in raw.allow.iter().enumerate() {
            let e = entry.get_ref();
            let key = format!("lint.allow[{i}]");
            let rule = self.choose(&e.rule, &format!("{key}.rule"), &Rule::table());
            let reason = match &e.reason {
                Some(r) => self.non_empty(r, &format!("{key}.reason")),
                None => {
                    let message = "a reason is required: say why this rule's findings do not apply";
                    self.error(entry.span(), &key, message);
                    String::new()
                }
            };
            if let Some(rule) = rule {
                allow.push(Silence { rule, reason });
            }
        }
        LintSettings {
            accept_widening: raw.accept_widening,
            allow,
        }
    }

    fn port(&mut self, value: Option<&S<u16>>, key: &str, default: u16) -> u16 {
        match value {
            Some(p) if *p.get_ref() == 0 => {
                self.error(p.span(), key, "port 0 cannot be connected to");
                default
            }
            Some(p) => *p.get_ref(),
            None => default,
        }
    }
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Names of `{name}` placeholders; braces around anything else (JSON objects) are literal.
pub(crate) fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
            .unwrap_or(rest.len());
        if len > 0 && rest[len..].starts_with('}') {
            out.push(&rest[..len]);
        }
    }
    out
}
