//! The plan of a drill: the numbered steps it would take, told from a `Scenario` alone.
//! Nothing is started; only migration folders are listed, to count their migrations.

use std::fmt::Write;
use std::path::Path;
use std::time::Duration;

use super::catalog::{FaultCatalog, FaultSpec};
use super::model::*;
use crate::vocab::{Oracle, Verdict};
use warmup::warmup;

/// Numbered steps a drill of `s` would take, one per line, ending with the expected verdict.
/// Each fault's step is told by its kind's spec in `C`.
pub(crate) fn plan<C: FaultCatalog>(s: &Scenario) -> String {
    let (from, to) = (s.from_release(), s.to_release());
    let mut p = Plan {
        out: String::new(),
        n: 0,
        specs: C::specs(),
    };
    let _ = writeln!(p.out, "Drill `{}` ({})", s.name, s.source.display());
    if !s.description.trim().is_empty() {
        let _ = writeln!(p.out, "  {}", s.description.trim());
    }
    p.step("Create a private network for the drill".into());
    let db = &s.database;
    let ready = d(db.ready_timeout);
    p.step(format!(
        "Start database {} (database `{}`, user `{}`, port {}); \
         wait up to {ready} for it to accept connections",
        db.image, db.name, db.user, db.port
    ));
    for svc in &s.services {
        let cmd = if svc.cmd.is_empty() {
            String::new()
        } else {
            format!(", command `{}`", svc.cmd.join(" "))
        };
        p.step(format!("Start service `{}` ({}{cmd})", svc.name, svc.image));
    }
    p.step(migrations(from));
    p.step(start("Start release", from, &s.app));
    p.step(warmup(s));
    let snapshot = s.rollback.steps.contains(&Step::RestoreSnapshot);
    let capture = p.step(format!(
        "Capture the pre-deploy state: image digest of `{}`, schema snapshot, \
         migration version, env and flags{}",
        from.name,
        if snapshot { ", database snapshot" } else { "" }
    ));
    p.faults(s, Phase::BeforeDeploy);
    p.faults(s, Phase::DuringMigrateUp);
    p.step(migrations(to));
    p.faults(s, Phase::AfterMigrateUp);
    p.step(start("Switch the app to release", to, &s.app));
    p.faults(s, Phase::AfterDeploy);
    p.step(trigger(&s.rollback.trigger));
    p.faults(s, Phase::BeforeRollback);
    for step in &s.rollback.steps {
        match step {
            Step::MigrateDown => p.faults(s, Phase::DuringMigrateDown),
            Step::SwitchCode => p.faults(s, Phase::WhilePreviousStarts),
            _ => {}
        }
        p.step(format!(
            "Rollback step {}",
            rollback_step(s, *step, capture)
        ));
    }
    p.faults(s, Phase::DuringVerification);
    let after: Vec<String> = s
        .checks
        .iter()
        .filter(|c| c.at == Phase::DuringVerification)
        .map(|c| format!("{} {} → {:?}", c.method, c.path, c.expect_status))
        .collect();
    let smoke = if after.is_empty() {
        "no checks".into()
    } else {
        format!("the checks after the rollback: {}", after.join("; "))
    };
    p.step(format!("Wait until the app is healthy; run {smoke}"));
    p.step(format!("Run the oracles: {}", oracles(s)));
    p.step(format!(
        "Check recovery time (rollback decision → verified) against the budget of {}",
        d(s.rollback.budget)
    ));
    let failing = &s.expect.failing_oracles;
    let failing = if failing.is_empty() {
        String::new()
    } else {
        {
            let names: Vec<&str> = failing.iter().map(|o| o.as_str()).collect();
            format!(", with failing oracles including {}", names.join(", "))
        }
    };
    p.step(format!("Expect verdict `{}`{failing}", s.expect.verdict));
    p.out
}

fn start(what: &str, r: &Release, app: &App) -> String {
    let flags: Vec<String> = r.flags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!(" with flags {}", flags.join(", "))
    };
    format!(
        "{what} `{}` ({}){flags}; wait up to {} for GET {} on port {} to answer 2xx \
         (probing every {})",
        r.name,
        r.image,
        d(app.ready_timeout),
        app.health_path,
        app.port,
        d(app.probe_interval)
    )
}

/// What one rollback step does; `capture` is the step number that captured the digest.
fn rollback_step(s: &Scenario, step: Step, capture: usize) -> String {
    let (from, to) = (&s.deploy.from, s.to_release());
    match step {
        Step::FlagsOff => {
            let names: Vec<&str> = to.flags.keys().map(String::as_str).collect();
            let names = names.join(", ");
            format!(
                "flags-off: restart release `{}` without its flags ({names})",
                to.name
            )
        }
        Step::MigrateDown => format!(
            "migrate-down: revert the schema to release `{from}`'s migration version \
             with `{}`'s down migrations",
            to.name
        ),
        Step::SwitchCode => match s.rollback.image_ref {
            ImageRef::Digest => format!(
                "switch-code: replace the app with release `{from}` \
                 by the digest captured in step {capture}"
            ),
            ImageRef::Tag => format!(
                "switch-code: replace the app with release `{from}` by its tag {}",
                s.from_release().image
            ),
        },
        Step::RestoreSnapshot => {
            "restore-snapshot: restore the database from the pre-deploy snapshot".into()
        }
    }
}

struct Plan {
    out: String,
    n: usize,
    specs: &'static [&'static FaultSpec],
}

impl Plan {
    fn step(&mut self, text: String) -> usize {
        self.n += 1;
        let _ = writeln!(self.out, "{:>2}. {text}", self.n);
        self.n
    }

    fn faults(&mut self, s: &Scenario, at: Phase) {
        for f in s.faults.iter().filter(|f| f.at == at) {
            let spec = self.specs.iter().find(|spec| spec.kind == f.fault.kind);
            // Validation only lets kinds of the catalog through; a hand-built fault of another
            // kind is still named.
            let what = spec.map_or_else(
                || format!("{} (no such kind in the catalog)", f.fault.kind),
                |spec| (spec.plan)(&f.fault.params),
            );
            let heal = f
                .duration
                .map(|t| format!(", healed after {}", d(t)))
                .unwrap_or_default();
            self.step(format!("Fault ({}): {what}{heal}", f.at.as_str()));
        }
    }
}

pub(super) fn d(duration: Duration) -> String {
    humantime::format_duration(duration).to_string()
}

fn migrations(r: &Release) -> String {
    match &r.migrations {
        Migrations::None => format!("Release `{}` has no migrations to apply", r.name),
        Migrations::SelfManaged => format!("Release `{}` migrates itself when it starts", r.name),
        Migrations::Commands(c) => format!(
            "Migrate release `{}` up by command: {}",
            r.name,
            c.up.join(" ")
        ),
        Migrations::Folder(dir) => format!(
            "Apply migrations of release `{}`: {} ({})",
            r.name,
            dir.display(),
            count(dir)
        ),
    }
}

/// Migrations in a sqlx folder: `*.sql` files other than `*.down.sql`.
fn count(dir: &Path) -> String {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return "unreadable".into();
    };
    let n = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".sql") && !n.ends_with(".down.sql"))
        .count();
    format!("{n} migration{}", if n == 1 { "" } else { "s" })
}

fn trigger(t: &Trigger) -> String {
    match t {
        Trigger::Manual { after } => format!(
            "Trigger (manual): decide to roll back {} after the new release is healthy",
            d(*after)
        ),
        Trigger::Auto(a) => {
            let conditions: Vec<String> = a
                .conditions
                .iter()
                .map(|c| match c {
                    Condition::ErrorRateAbove(r) => format!("error rate above {r}"),
                    Condition::P99Above(p) => format!("p99 latency above {}", d(*p)),
                })
                .collect();
            let (every, window, give_up) = (d(a.every), d(a.window), d(a.give_up_after));
            format!(
                "Trigger (auto): every {every}, measure the last {window} of traffic; \
                 roll back once {} of the last {} measurements show {}; \
                 give up after {give_up} ({} when traffic held to the pre-deploy \
                 baseline, else {})",
                a.need,
                a.of,
                conditions.join(" or "),
                Verdict::NoRollback,
                Verdict::FailedToTrigger,
            )
        }
    }
}

fn oracles(s: &Scenario) -> String {
    let loss = &s.allowed_loss;
    let mut allowed = loss.fields.clone();
    allowed.extend(loss.tables.iter().map(|t| format!("table {t}")));
    allowed.extend(loss.columns.iter().map(|c| format!("column {c}")));
    if loss.writes_since_snapshot {
        allowed.push("writes since the snapshot".into());
    }
    let writes = if allowed.is_empty() {
        String::new()
    } else {
        format!("; allowed loss: {}", allowed.join(", "))
    };
    let what = |o: Oracle| match o {
        Oracle::Health => format!("health ({} answers)", s.app.health_path),
        Oracle::Smoke => {
            let after = s
                .checks
                .iter()
                .filter(|c| c.at == Phase::DuringVerification);
            format!("smoke ({} checks after the rollback pass)", after.count())
        }
        Oracle::Digest => format!(
            "digest (the app runs `{}`'s captured digest)",
            s.deploy.from
        ),
        Oracle::Schema => "schema (matches what the previous release understands)".to_string(),
        Oracle::Data => {
            "data (every row and value the database held before the decision is still there)"
                .to_string()
        }
        Oracle::Writes => format!("writes (every acknowledged write is still served{writes})"),
        Oracle::Traffic => {
            format!(
                "traffic (`{}` serves the workload as it did before the deploy)",
                s.deploy.from
            )
        }
        Oracle::Harm => {
            "harm (no more failed requests during the rollback than the new release failed)"
                .to_string()
        }
        Oracle::Budget => format!("budget (recovery within {})", d(s.rollback.budget)),
    };
    Oracle::ALL
        .iter()
        .map(|o| what(*o))
        .collect::<Vec<_>>()
        .join(", ")
}

mod warmup;

#[cfg(test)]
mod tests;
