//! Raw file → validated `Scenario`: defaults, value checks and cross-field checks, every
//! problem collected (with its line:column and key path) rather than stopping at the first.
//!
//! Traffic and smoke checks live in `validate/traffic.rs`, rollback and trigger checks in
//! `validate/rollback.rs`; small value checks shared by all are on `Checker` here.

mod rollback;
mod traffic;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::diagnostics::{quote_key, Diagnostic, Source};
use super::model::*;
use super::raw::*;
use crate::verify::Verdict;

/// Oracle names `expect-failing` may list.
pub const ORACLES: [&str; 6] = ["health", "smoke", "digest", "schema", "writes", "budget"];
/// Placeholders app and release env values may use; the engine fills them per run.
pub const DB_PLACEHOLDERS: [&str; 6] = ["db.host", "db.port", "db.user", "db.password", "db.name", "db.url"];

/// A valid scenario plus where its name was written (for cross-file duplicate-name errors).
pub(crate) struct Validated {
    pub scenario: Scenario,
    pub name_position: (usize, usize),
}

pub(crate) fn validate(raw: RawScenario, src: &Source) -> Result<Validated, Vec<Diagnostic>> {
    let dir = src.file.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut c = Checker { src, dir, diags: Vec::new() };
    let stem = src.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
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
    let traffic = c.traffic(&raw.traffic);
    let smoke = raw.smoke.iter().enumerate().map(|(i, s)| c.smoke(i, s)).collect();
    let to = releases.iter().find(|r| r.name == deploy.to);
    let rollback = c.rollback(&raw.rollback, to);
    let faults = c.faults(&raw.faults, &releases);
    let allowed_loss = AllowedLoss {
        fields: raw.allowed_loss.fields.iter().map(|f| c.pointer(f, "allowed-loss.fields")).collect(),
        writes_since_snapshot: raw.allowed_loss.writes_since_snapshot,
    };
    if !c.diags.is_empty() {
        return Err(c.diags);
    }
    let (source, description) = (src.file.to_path_buf(), raw.description);
    let scenario = Scenario {
        name, description, source, expect, database, app, services, releases, deploy, traffic, smoke,
        rollback, faults, allowed_loss,
    };
    Ok(Validated { scenario, name_position })
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
        self.diags.push(self.src.diagnostic(span, key, message.into()));
    }

    /// A duration, `default` when absent; zero is refused unless `zero_ok`.
    fn duration(&mut self, value: Option<&S<DurationText>>, key: &str, default: Duration, zero_ok: bool) -> Duration {
        let Some(value) = value else { return default };
        match humantime::parse_duration(value.get_ref().0.trim()) {
            Ok(d) if d.is_zero() && !zero_ok => {
                self.error(value.span(), key, "must be longer than zero");
                default
            }
            Ok(d) => d,
            Err(e) => {
                let text = &value.get_ref().0;
                self.error(value.span(), key, format!("`{text}` is not a duration such as \"20s\" or \"150ms\" ({e})"));
                default
            }
        }
    }

    /// One of a fixed set of kebab-case names.
    fn choose<T: Copy>(&mut self, value: &S<String>, key: &str, options: &[(&str, T)]) -> Option<T> {
        let found = options.iter().find(|(n, _)| n == value.get_ref()).map(|(_, t)| *t);
        if found.is_none() {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            let message = format!("unknown value `{}`; expected one of {}", value.get_ref(), names.join(", "));
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
                let expected = if list.is_empty() { "none are allowed here".into() } else { format!("expected {}", list.join(", ")) };
                self.error(value.span(), key, format!("unknown placeholder {{{name}}}; {expected}"));
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
            self.error(value.span(), key, format!("`{}` is not a JSON pointer; it starts with `/`, as in \"/id\"", value.get_ref()));
        }
        value.get_ref().clone()
    }

    fn expectation(&mut self, raw: &RawScenario) -> Expectation {
        let verdict = match &raw.expect {
            None => Verdict::Pass,
            Some(v) => v.get_ref().parse().unwrap_or_else(|e: String| {
                self.error(v.span(), "expect", e);
                Verdict::Pass
            }),
        };
        let mut failing: Vec<String> = Vec::new();
        for (i, o) in raw.expect_failing.iter().enumerate() {
            let key = format!("expect-failing[{i}]");
            if !ORACLES.contains(&o.get_ref().as_str()) {
                self.error(o.span(), &key, format!("unknown oracle `{}`; expected one of {}", o.get_ref(), ORACLES.join(", ")));
            } else if failing.contains(o.get_ref()) {
                self.error(o.span(), &key, format!("`{}` is listed twice", o.get_ref()));
            } else if verdict == Verdict::Pass {
                self.error(o.span(), &key, "a passing drill has no failing oracles; set `expect` to the verdict you expect");
            }
            failing.push(o.get_ref().clone());
        }
        Expectation { verdict, failing_oracles: failing }
    }

    fn database(&mut self, raw: &S<RawDatabase>) -> Database {
        let db = raw.get_ref();
        Database {
            image: self.non_empty(&db.image, "database.image"),
            port: self.port(db.port.as_ref(), "database.port", 5432),
            user: db.user.clone().unwrap_or_else(|| "postgres".into()),
            password: db.password.clone().unwrap_or_else(|| "postgres".into()),
            name: db.name.clone().unwrap_or_else(|| "postgres".into()),
            env: self.env(&db.env, "database.env", &[]),
            ready_timeout: self.duration(db.ready_timeout.as_ref(), "database.ready-timeout", secs(20), false),
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

    fn app(&mut self, raw: Option<&RawApp>) -> App {
        let empty = RawApp { port: None, health: None, ready_timeout: None, probe_interval: None, env: EnvTable::new() };
        let app = raw.unwrap_or(&empty);
        let health_path = match &app.health {
            Some(h) => self.http_path(h, "app.health", &[]),
            None => "/health".into(),
        };
        App {
            port: self.port(app.port.as_ref(), "app.port", 8080),
            health_path,
            env: self.env(&app.env, "app.env", &DB_PLACEHOLDERS),
            ready_timeout: self.duration(app.ready_timeout.as_ref(), "app.ready-timeout", secs(20), false),
            probe_interval: self.duration(app.probe_interval.as_ref(), "app.probe-interval", Duration::from_millis(5), false),
        }
    }

    fn services(&mut self, raw: &[S<RawService>]) -> Vec<Service> {
        let mut names = BTreeSet::new();
        let mut out = Vec::new();
        for (i, s) in raw.iter().map(S::get_ref).enumerate() {
            let key = format!("service[{i}]");
            let name = s.name.get_ref();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                self.error(s.name.span(), &format!("{key}.name"), "a service name is its host name: lowercase letters, digits and `-`");
            } else if !names.insert(name.clone()) {
                self.error(s.name.span(), &format!("{key}.name"), format!("another service is already named `{name}`"));
            }
            let image = self.non_empty(&s.image, &format!("{key}.image"));
            let env = s.env.iter().map(|(k, v)| (k.clone(), v.get_ref().clone())).collect();
            out.push(Service { name: name.clone(), image, env, cmd: s.cmd.clone() });
        }
        out
    }

    fn releases(&mut self, raw: &S<Ordered<RawRelease>>) -> Vec<Release> {
        let entries = &raw.get_ref().0;
        if entries.len() < 2 {
            let message = format!("at least 2 releases are needed (a deploy goes from one to another); found {}", entries.len());
            self.error(raw.span(), "releases", message);
        }
        let mut out = Vec::new();
        for (name, r) in entries {
            let key = format!("releases.{}", quote_key(name));
            let migrations = match &r.migrations {
                None => Migrations::None,
                Some(m) if m.get_ref() == "self" => Migrations::SelfManaged,
                Some(m) => {
                    let folder = self.dir.join(m.get_ref());
                    if !folder.is_dir() {
                        let what = if folder.exists() { "is not a folder" } else { "does not exist" };
                        self.error(m.span(), &format!("{key}.migrations"), format!("{} {what}", folder.display()));
                    }
                    Migrations::Folder(folder)
                }
            };
            out.push(Release {
                name: name.clone(),
                image: self.non_empty(&r.image, &format!("{key}.image")),
                migrations,
                env: self.env(&r.env, &format!("{key}.env"), &DB_PLACEHOLDERS),
                flags: self.env(&r.flags, &format!("{key}.flags"), &DB_PLACEHOLDERS),
            });
        }
        out
    }

    /// A release name that must exist.
    fn release_ref(&mut self, value: &S<String>, key: &str, releases: &[Release]) -> String {
        if !releases.iter().any(|r| &r.name == value.get_ref()) {
            let names: Vec<&str> = releases.iter().map(|r| r.name.as_str()).collect();
            self.error(value.span(), key, format!("no release named `{}`; releases are {}", value.get_ref(), names.join(", ")));
        }
        value.get_ref().clone()
    }

    fn deploy(&mut self, raw: &S<RawDeploy>, releases: &[Release]) -> Deploy {
        let d = raw.get_ref();
        let from = self.release_ref(&d.from, "deploy.from", releases);
        let to = self.release_ref(&d.to, "deploy.to", releases);
        if from == to {
            self.error(d.to.span(), "deploy.to", "a deploy goes to a different release than it comes from");
        }
        Deploy { from, to, warmup: self.duration(d.warmup.as_ref(), "deploy.warmup", secs(1), true) }
    }

    fn faults(&mut self, raw: &[S<RawFault>], releases: &[Release]) -> Vec<ScheduledFault> {
        const PHASES: [(&str, Phase); 4] = [
            ("before-deploy", Phase::BeforeDeploy),
            ("after-migrate-up", Phase::AfterMigrateUp),
            ("after-deploy", Phase::AfterDeploy),
            ("before-rollback", Phase::BeforeRollback),
        ];
        let mut out = Vec::new();
        for (i, f) in raw.iter().enumerate() {
            let (key, span, f) = (format!("fault[{i}]"), f.span(), f.get_ref());
            let at = self.choose(&f.at, &format!("{key}.at"), &PHASES);
            let kind = self.choose(&f.kind, &format!("{key}.kind"), &[("move-tag", true), ("remove-image", false)]);
            let release = match &f.release {
                Some(r) => self.release_ref(r, &format!("{key}.release"), releases),
                None => {
                    self.error(span.clone(), &format!("{key}.release"), "missing required key");
                    String::new()
                }
            };
            let fault = match (kind, &f.to) {
                (Some(true), Some(to)) => Fault::MoveTag { release, to: self.release_ref(to, &format!("{key}.to"), releases) },
                (Some(true), None) => {
                    self.error(span, &format!("{key}.to"), "missing required key (move-tag needs the release whose image the tag moves to)");
                    continue;
                }
                (Some(false), Some(to)) => {
                    self.error(to.span(), &format!("{key}.to"), "only kind = \"move-tag\" takes `to`");
                    continue;
                }
                (Some(false), None) => Fault::RemoveImage { release },
                (None, _) => continue,
            };
            out.extend(at.map(|at| ScheduledFault { at, fault }));
        }
        out
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
        let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))).unwrap_or(rest.len());
        if len > 0 && rest[len..].starts_with('}') {
            out.push(&rest[..len]);
        }
    }
    out
}
