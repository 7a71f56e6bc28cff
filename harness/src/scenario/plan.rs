//! The plan of a drill: the numbered steps it would take, told from a `Scenario` alone.
//! Nothing is started; only migration folders are listed, to count their migrations.

use std::fmt::Write;
use std::path::Path;
use std::time::Duration;

use super::model::*;
use super::validate::ORACLES;

/// Numbered steps a drill of `s` would take, one per line, ending with the expected verdict.
pub fn plan(s: &Scenario) -> String {
    let (from, to) = (s.from_release(), s.to_release());
    let mut p = Plan { out: String::new(), n: 0 };
    let _ = writeln!(p.out, "Drill `{}` ({})", s.name, s.source.display());
    if !s.description.trim().is_empty() {
        let _ = writeln!(p.out, "  {}", s.description.trim());
    }
    p.step("Create a private network for the drill".into());
    let db = &s.database;
    p.step(format!(
        "Start database {} (database `{}`, user `{}`, port {}); wait up to {} for it to accept connections",
        db.image, db.name, db.user, db.port, d(db.ready_timeout)
    ));
    for svc in &s.services {
        let cmd = if svc.cmd.is_empty() { String::new() } else { format!(", command `{}`", svc.cmd.join(" ")) };
        p.step(format!("Start service `{}` ({}{cmd})", svc.name, svc.image));
    }
    p.step(migrations(from));
    p.step(format!("Start release `{}` ({}){}; {}", from.name, from.image, flags(from), healthy(&s.app)));
    let t = &s.traffic;
    p.step(format!(
        "Warm up for {}: {} {} at {} req/s ({} in flight at most, {} timeout), acknowledged on {:?}, keyed by {}; \
         reads back via {} (traffic keeps running until the oracles)",
        d(s.deploy.warmup), t.write.method, t.write.path, t.rate, t.concurrency, d(t.request_timeout),
        t.write.ack_status, key_source(&t.write.key), read_back(&t.read_back)
    ));
    let snapshot = s.rollback.steps.contains(&Step::RestoreSnapshot);
    let capture = p.step(format!(
        "Capture the pre-deploy state: image digest of `{}`, schema snapshot, migration version, env and flags{}",
        from.name,
        if snapshot { ", database snapshot" } else { "" }
    ));
    p.faults(s, Phase::BeforeDeploy);
    p.step(migrations(to));
    p.faults(s, Phase::AfterMigrateUp);
    p.step(format!("Switch the app to release `{}` ({}){}; {}", to.name, to.image, flags(to), healthy(&s.app)));
    p.faults(s, Phase::AfterDeploy);
    p.step(trigger(&s.rollback.trigger));
    p.faults(s, Phase::BeforeRollback);
    for step in &s.rollback.steps {
        let what = match step {
            Step::FlagsOff => {
                let names: Vec<&str> = to.flags.keys().map(String::as_str).collect();
                format!("flags-off: restart release `{}` without its flags ({})", to.name, names.join(", "))
            }
            Step::MigrateDown => format!(
                "migrate-down: revert the schema to release `{}`'s migration version with `{}`'s down migrations",
                from.name, to.name
            ),
            Step::SwitchCode => match s.rollback.image_ref {
                ImageRef::Digest => format!("switch-code: replace the app with release `{}` by the digest captured in step {capture}", from.name),
                ImageRef::Tag => format!("switch-code: replace the app with release `{}` by its tag {}", from.name, from.image),
            },
            Step::RestoreSnapshot => "restore-snapshot: restore the database from the pre-deploy snapshot".into(),
        };
        p.step(format!("Rollback step {what}"));
    }
    let smoke: Vec<String> = s.smoke.iter().map(|c| format!("{} {} → {:?}", c.method, c.path, c.expect_status)).collect();
    let smoke = if smoke.is_empty() { "no smoke checks".into() } else { format!("smoke checks: {}", smoke.join("; ")) };
    p.step(format!("Wait until the app is healthy; run {smoke}"));
    p.step(format!("Run the oracles: {}", oracles(s)));
    p.step(format!("Check recovery time (rollback decision → verified) against the budget of {}", d(s.rollback.budget)));
    let failing = &s.expect.failing_oracles;
    let failing = if failing.is_empty() { String::new() } else { format!(", with failing oracles including {}", failing.join(", ")) };
    p.step(format!("Expect verdict `{}`{failing}", s.expect.verdict));
    p.out
}

struct Plan {
    out: String,
    n: usize,
}

impl Plan {
    fn step(&mut self, text: String) -> usize {
        self.n += 1;
        let _ = writeln!(self.out, "{:>2}. {text}", self.n);
        self.n
    }

    fn faults(&mut self, s: &Scenario, at: Phase) {
        for f in s.faults.iter().filter(|f| f.at == at) {
            let what = match &f.fault {
                Fault::MoveTag { release, to } => format!("move a run-owned copy of release `{release}`'s tag to release `{to}`'s image"),
                Fault::RemoveImage { release } => format!("remove (a run-owned copy of) release `{release}`'s image"),
            };
            self.step(format!("Fault: {what}"));
        }
    }
}

fn d(duration: Duration) -> String {
    humantime::format_duration(duration).to_string()
}

fn migrations(r: &Release) -> String {
    match &r.migrations {
        Migrations::None => format!("Release `{}` has no migrations to apply", r.name),
        Migrations::SelfManaged => format!("Release `{}` migrates itself when it starts", r.name),
        Migrations::Folder(dir) => format!("Apply migrations of release `{}`: {} ({})", r.name, dir.display(), count(dir)),
    }
}

/// Migrations in a sqlx folder: `*.sql` files other than `*.down.sql`.
fn count(dir: &Path) -> String {
    let Ok(entries) = std::fs::read_dir(dir) else { return "unreadable".into() };
    let n = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".sql") && !n.ends_with(".down.sql"))
        .count();
    format!("{n} migration{}", if n == 1 { "" } else { "s" })
}

fn flags(r: &Release) -> String {
    let flags: Vec<String> = r.flags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if flags.is_empty() { String::new() } else { format!(" with flags {}", flags.join(", ")) }
}

fn healthy(app: &App) -> String {
    format!(
        "wait up to {} for GET {} on port {} to answer 2xx (probing every {})",
        d(app.ready_timeout), app.health_path, app.port, d(app.probe_interval)
    )
}

fn key_source(k: &KeySource) -> String {
    match k {
        KeySource::Response(p) => format!("response {p}"),
        KeySource::Request(p) => format!("request {p}"),
    }
}

fn read_back(r: &ReadBack) -> String {
    match r {
        ReadBack::Http { method, path, fields } if fields.is_empty() => format!("{method} {path}"),
        ReadBack::Http { method, path, fields } => format!("{method} {path} comparing {}", fields.join(", ")),
        ReadBack::Sql { query } => format!("SQL `{query}`"),
    }
}

fn trigger(t: &Trigger) -> String {
    match t {
        Trigger::Manual { after } => format!("Trigger (manual): decide to roll back {} after the new release is healthy", d(*after)),
        Trigger::Auto(a) => {
            let conditions: Vec<String> = a
                .conditions
                .iter()
                .map(|c| match c {
                    Condition::ErrorRateAbove(r) => format!("error rate above {r}"),
                    Condition::P99Above(p) => format!("p99 latency above {}", d(*p)),
                })
                .collect();
            format!(
                "Trigger (auto): every {}, measure the last {} of traffic; roll back once {} of the last {} \
                 measurements show {}; give up after {} (failed-to-trigger)",
                d(a.every), d(a.window), a.need, a.of, conditions.join(" or "), d(a.give_up_after)
            )
        }
    }
}

fn oracles(s: &Scenario) -> String {
    let loss = &s.allowed_loss;
    let mut allowed = loss.fields.clone();
    if loss.writes_since_snapshot {
        allowed.push("writes since the snapshot".into());
    }
    let writes = if allowed.is_empty() { String::new() } else { format!("; allowed loss: {}", allowed.join(", ")) };
    let what = |o: &str| match o {
        "health" => format!("health ({} answers)", s.app.health_path),
        "smoke" => format!("smoke ({} checks pass)", s.smoke.len()),
        "digest" => format!("digest (the app runs `{}`'s captured digest)", s.deploy.from),
        "schema" => "schema (matches what the previous release understands)".to_string(),
        "writes" => format!("writes (every acknowledged write still reads back{writes})"),
        _ => format!("budget (recovery within {})", d(s.rollback.budget)),
    };
    ORACLES.iter().map(|o| what(o)).collect::<Vec<_>>().join(", ")
}
