//! Checks for the drill's setup: expectation, `[database]`, `[app]`, `[[service]]`,
//! `[releases.*]`, `[deploy]` and `[[fault]]`.

use std::collections::BTreeSet;
use std::time::Duration;

use super::super::diagnostics::quote_key;
use super::super::model::*;
use super::super::raw::*;
use super::{secs, Checker, DB_PLACEHOLDERS};
use crate::vocab::{Oracle, UnknownName, Verdict};

impl Checker<'_> {
    pub(super) fn expectation<C>(&mut self, raw: &RawScenario<C>) -> Expectation {
        let verdict = match &raw.expect {
            None => Verdict::Pass,
            Some(v) => v.get_ref().parse().unwrap_or_else(|e: UnknownName| {
                self.error(v.span(), "expect", e.to_string());
                Verdict::Pass
            }),
        };
        let mut failing: Vec<Oracle> = Vec::new();
        for (i, o) in raw.expect_failing.iter().enumerate() {
            let key = format!("expect-failing[{i}]");
            let oracle = match o.get_ref().parse::<Oracle>() {
                Ok(oracle) => oracle,
                Err(e) => {
                    self.error(o.span(), &key, e.to_string());
                    continue;
                }
            };
            if failing.contains(&oracle) {
                self.error(o.span(), &key, format!("`{}` is listed twice", o.get_ref()));
            } else if verdict == Verdict::Pass {
                let message = "a passing drill has no failing oracles; \
                    set `expect` to the verdict you expect";
                self.error(o.span(), &key, message);
            }
            failing.push(oracle);
        }
        Expectation {
            verdict,
            failing_oracles: failing,
        }
    }

    pub(super) fn database(&mut self, raw: &S<RawDatabase>) -> Database {
        let db = raw.get_ref();
        Database {
            image: self.image(&db.image, "database.image"),
            port: self.port(db.port.as_ref(), "database.port", 5432),
            user: db.user.clone().unwrap_or_else(|| "postgres".into()),
            password: db.password.clone(),
            name: db.name.clone().unwrap_or_else(|| "postgres".into()),
            env: self.env(&db.env, "database.env", &[]),
            ready_timeout: self.duration(
                db.ready_timeout.as_ref(),
                "database.ready-timeout",
                secs(20),
                false,
            ),
        }
    }

    pub(super) fn app(&mut self, raw: Option<&RawApp>) -> App {
        let empty = RawApp {
            port: None,
            health: None,
            ready_timeout: None,
            probe_interval: None,
            env: EnvTable::new(),
        };
        let app = raw.unwrap_or(&empty);
        let health_path = match &app.health {
            Some(h) => self.http_path(h, "app.health", &[]),
            None => "/health".into(),
        };
        App {
            port: self.port(app.port.as_ref(), "app.port", 8080),
            health_path,
            env: self.env(&app.env, "app.env", &DB_PLACEHOLDERS),
            ready_timeout: self.duration(
                app.ready_timeout.as_ref(),
                "app.ready-timeout",
                secs(20),
                false,
            ),
            probe_interval: self.duration(
                app.probe_interval.as_ref(),
                "app.probe-interval",
                Duration::from_millis(5),
                false,
            ),
        }
    }

    pub(super) fn services(&mut self, raw: &[S<RawService>]) -> Vec<Service> {
        let mut names = BTreeSet::new();
        let mut out = Vec::new();
        for (i, s) in raw.iter().map(S::get_ref).enumerate() {
            let key = format!("service[{i}]");
            self.service_name(&s.name, &format!("{key}.name"), &mut names);
            let name = s.name.get_ref();
            let image = self.image(&s.image, &format!("{key}.image"));
            let env = s
                .env
                .iter()
                .map(|(k, v)| (k.clone(), v.get_ref().clone()))
                .collect();
            out.push(Service {
                name: name.clone(),
                image,
                env,
                cmd: s.cmd.clone(),
            });
        }
        out
    }

    pub(super) fn releases(&mut self, raw: &S<Ordered<S<RawRelease>>>) -> Vec<Release> {
        let entries = &raw.get_ref().0;
        if entries.len() < 2 {
            let message = format!(
                "at least 2 releases are needed (a deploy goes from one to another); found {}",
                entries.len()
            );
            self.error(raw.span(), "releases", message);
        }
        let mut out = Vec::new();
        for (name, r) in entries {
            self.release_name(name, r.span());
            let (key, r) = (format!("releases.{}", quote_key(name)), r.get_ref());
            let migrations = self.migrations(r.migrations.as_ref(), &key);
            out.push(Release {
                name: name.clone(),
                image: self.image(&r.image, &format!("{key}.image")),
                migrations,
                env: self.env(&r.env, &format!("{key}.env"), &DB_PLACEHOLDERS),
                flags: self.env(&r.flags, &format!("{key}.flags"), &DB_PLACEHOLDERS),
            });
        }
        out
    }

    /// A release name that must exist.
    pub(super) fn release_ref(
        &mut self,
        value: &S<String>,
        key: &str,
        releases: &[Release],
    ) -> String {
        if !releases.iter().any(|r| &r.name == value.get_ref()) {
            let names: Vec<&str> = releases.iter().map(|r| r.name.as_str()).collect();
            self.error(
                value.span(),
                key,
                format!(
                    "no release named `{}`; releases are {}",
                    value.get_ref(),
                    names.join(", ")
                ),
            );
        }
        value.get_ref().clone()
    }

    pub(super) fn deploy(&mut self, raw: &S<RawDeploy>, releases: &[Release]) -> Deploy {
        let d = raw.get_ref();
        let from = self.release_ref(&d.from, "deploy.from", releases);
        let to = self.release_ref(&d.to, "deploy.to", releases);
        if from == to {
            self.error(
                d.to.span(),
                "deploy.to",
                "a deploy goes to a different release than it comes from",
            );
        }
        Deploy {
            from,
            to,
            warmup: self.duration(d.warmup.as_ref(), "deploy.warmup", secs(1), true),
        }
    }
}
