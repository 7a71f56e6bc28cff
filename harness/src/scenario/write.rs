//! `to_toml`: a validated `Scenario` written back as a scenario file that loads to the same
//! scenario — how exploration hands a minimal failing case back as a file to replay. The
//! output is canonical (fixed key order), so the same case always gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use super::model::*;

/// The scenario as TOML; paths are written relative to `dir`, where the file will live.
pub fn to_toml(s: &Scenario, dir: &Path) -> String {
    let mut o = String::new();
    let q = quote;
    let _ = writeln!(
        o,
        "name = {}\ndescription = {}",
        q(&s.name),
        q(&s.description)
    );
    let _ = writeln!(
        o,
        "expect = {}\nexpect-failing = {}",
        q(s.expect.verdict.as_str()),
        list(&s.expect.failing_oracles)
    );
    let d = &s.database;
    let _ = writeln!(
        o,
        "\n[database]\nimage = {}\nport = {}\nuser = {}",
        q(&d.image),
        d.port,
        q(&d.user)
    );
    let _ = writeln!(
        o,
        "password = {}\nname = {}\nenv = {}",
        q(&d.password),
        q(&d.name),
        table(&d.env)
    );
    let _ = writeln!(o, "ready-timeout = {}", dur(d.ready_timeout));
    let a = &s.app;
    let _ = writeln!(
        o,
        "\n[app]\nport = {}\nhealth = {}\nenv = {}",
        a.port,
        q(&a.health_path),
        table(&a.env)
    );
    let _ = writeln!(
        o,
        "ready-timeout = {}\nprobe-interval = {}",
        dur(a.ready_timeout),
        dur(a.probe_interval)
    );
    for svc in &s.services {
        let _ = writeln!(
            o,
            "\n[[service]]\nname = {}\nimage = {}",
            q(&svc.name),
            q(&svc.image)
        );
        let _ = writeln!(o, "env = {}\ncmd = {}", table(&svc.env), list(&svc.cmd));
    }
    for r in &s.releases {
        let _ = writeln!(o, "\n[releases.{}]\nimage = {}", key(&r.name), q(&r.image));
        match &r.migrations {
            Migrations::Folder(p) => {
                let _ = writeln!(o, "migrations = {}", q(&relative(p, dir).to_string_lossy()));
            }
            Migrations::SelfManaged => o.push_str("migrations = \"self\"\n"),
            Migrations::None => {}
        }
        let _ = writeln!(o, "env = {}\nflags = {}", table(&r.env), table(&r.flags));
    }
    let p = &s.deploy;
    let _ = writeln!(
        o,
        "\n[deploy]\nfrom = {}\nto = {}\nwarmup = {}",
        q(&p.from),
        q(&p.to),
        dur(p.warmup)
    );
    traffic(&mut o, &s.traffic);
    for c in &s.smoke {
        let _ = writeln!(
            o,
            "\n[[smoke]]\nmethod = {}\npath = {}",
            q(&c.method),
            q(&c.path)
        );
        body(&mut o, &c.body);
        let _ = writeln!(o, "expect-status = {:?}", c.expect_status);
    }
    rollback(&mut o, &s.rollback);
    for f in &s.faults {
        fault(&mut o, f);
    }
    let l = &s.allowed_loss;
    let _ = writeln!(
        o,
        "\n[allowed-loss]\nfields = {}\nwrites-since-snapshot = {}",
        list(&l.fields),
        l.writes_since_snapshot
    );
    o
}

fn traffic(o: &mut String, t: &Traffic) {
    let _ = writeln!(
        o,
        "\n[traffic]\nrate = {}\nconcurrency = {}",
        t.rate, t.concurrency
    );
    let _ = writeln!(
        o,
        "request-timeout = {}\nobserve-after = {}",
        dur(t.request_timeout),
        dur(t.observe_after)
    );
    let w = &t.write;
    let _ = writeln!(
        o,
        "\n[traffic.write]\nmethod = {}\npath = {}",
        quote(&w.method),
        quote(&w.path)
    );
    body(o, &w.body);
    let key = match &w.key {
        KeySource::Response(p) => format!("response:{p}"),
        KeySource::Request(p) => format!("request:{p}"),
    };
    let _ = writeln!(o, "ack-status = {:?}\nkey = {}", w.ack_status, quote(&key));
    o.push_str("\n[traffic.read-back]\n");
    match &t.read_back {
        ReadBack::Http {
            method,
            path,
            fields,
        } => {
            let _ = writeln!(
                o,
                "method = {}\npath = {}\nfields = {}",
                quote(method),
                quote(path),
                list(fields)
            );
        }
        ReadBack::Sql { query } => {
            let _ = writeln!(o, "sql = {}", quote(query));
        }
    }
}

fn rollback(o: &mut String, r: &Rollback) {
    let steps: Vec<String> = r.steps.iter().map(|s| step_name(*s).to_string()).collect();
    let image_ref = match r.image_ref {
        ImageRef::Digest => "digest",
        ImageRef::Tag => "tag",
    };
    let _ = writeln!(
        o,
        "\n[rollback]\nstrategy = {}\nsteps = {}",
        quote(r.strategy.as_str()),
        list(&steps)
    );
    let _ = writeln!(
        o,
        "image-ref = {}\nbudget = {}",
        quote(image_ref),
        dur(r.budget)
    );
    o.push_str("\n[rollback.trigger]\n");
    match &r.trigger {
        Trigger::Manual { after } => {
            let _ = writeln!(o, "kind = \"manual\"\nafter = {}", dur(*after));
        }
        Trigger::Auto(a) => {
            let conditions: Vec<String> = a
                .conditions
                .iter()
                .map(|c| match c {
                    Condition::ErrorRateAbove(x) => format!("{{ error-rate-above = {x:?} }}"),
                    Condition::P99Above(d) => format!("{{ p99-above = {} }}", dur(*d)),
                })
                .collect();
            let _ = writeln!(
                o,
                "kind = \"auto\"\nwindow = {}\nevery = {}",
                dur(a.window),
                dur(a.every)
            );
            let _ = writeln!(
                o,
                "need = {}\nof = {}\ngive-up-after = {}",
                a.need,
                a.of,
                dur(a.give_up_after)
            );
            let _ = writeln!(o, "conditions = [{}]", conditions.join(", "));
        }
    }
}

fn fault(o: &mut String, f: &ScheduledFault) {
    let _ = writeln!(
        o,
        "\n[[fault]]\nat = {}\nkind = {}",
        quote(f.at.as_str()),
        quote(f.fault.kind())
    );
    match &f.fault {
        Fault::MoveTag { release, to } => {
            let _ = writeln!(o, "release = {}\nto = {}", quote(release), quote(to));
        }
        Fault::RemoveImage { release } => {
            let _ = writeln!(o, "release = {}", quote(release));
        }
        Fault::Latency { delay } => {
            let _ = writeln!(o, "delay = {}", dur(*delay));
        }
        Fault::KillMigrator { after_statements } => {
            let _ = writeln!(o, "after-statements = {after_statements}");
        }
        Fault::AppMemoryLimit { megabytes } => {
            let _ = writeln!(o, "megabytes = {megabytes}");
        }
        _ => {}
    }
    if let Some(d) = f.duration {
        let _ = writeln!(o, "duration = {}", dur(d));
    }
}

fn body(o: &mut String, b: &Body) {
    match b {
        Body::None => {}
        Body::Json(t) => {
            let _ = writeln!(o, "json = {}", quote(t));
        }
        Body::Form(t) => {
            let _ = writeln!(o, "form = {}", quote(t));
        }
    }
}

pub(crate) fn step_name(s: Step) -> &'static str {
    match s {
        Step::FlagsOff => "flags-off",
        Step::MigrateDown => "migrate-down",
        Step::SwitchCode => "switch-code",
        Step::RestoreSnapshot => "restore-snapshot",
    }
}

/// A TOML string literal with every escape TOML needs.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn key(s: &str) -> String {
    let bare = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        s.to_string()
    } else {
        quote(s)
    }
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

fn table(map: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{} = {}", key(k), quote(v)))
        .collect();
    if pairs.is_empty() {
        "{}".into()
    } else {
        format!("{{ {} }}", pairs.join(", "))
    }
}

fn dur(d: Duration) -> String {
    quote(&humantime::format_duration(d).to_string())
}

/// `path` relative to `dir` (both made absolute against the working directory first).
fn relative(path: &Path, dir: &Path) -> PathBuf {
    let abs = |p: &Path| {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        p.components().fold(PathBuf::new(), |mut acc, c| {
            match c {
                Component::ParentDir => {
                    acc.pop();
                }
                Component::CurDir => {}
                other => acc.push(other),
            }
            acc
        })
    };
    let (path, dir) = (abs(path), abs(dir));
    let common = path
        .components()
        .zip(dir.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = dir.components().count() - common;
    let mut out: PathBuf = std::iter::repeat_n("..", ups).collect();
    out.extend(path.components().skip(common));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths and the source file differ by where a file lives; everything else must survive.
    fn normalized(mut s: Scenario) -> Scenario {
        s.source = PathBuf::new();
        for r in &mut s.releases {
            if let Migrations::Folder(p) = &r.migrations {
                r.migrations =
                    Migrations::Folder(p.canonicalize().expect("migrations folder exists"));
            }
        }
        s
    }

    #[test]
    fn every_bundled_scenario_round_trips() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = std::env::temp_dir().join(format!("rollcage-write-{}", std::process::id()));
        let nested = out.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        let scenarios =
            super::super::load_all(&root.join("scenarios")).expect("bundled scenarios load");
        assert!(scenarios.len() > 10);
        for s in scenarios {
            let text = to_toml(&s, &nested);
            let file = nested.join(format!("{}.toml", s.name));
            std::fs::write(&file, &text).unwrap();
            let again =
                super::super::load(&file).unwrap_or_else(|e| panic!("{}: {e}\n{text}", s.name));
            assert_eq!(
                normalized(again.clone()),
                normalized(s.clone()),
                "{}",
                s.name
            );
            assert_eq!(
                to_toml(&again, &nested),
                text,
                "{}: writing is canonical",
                s.name
            );
        }
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        assert_eq!(
            relative(Path::new("/a/b/c/m"), Path::new("/a/x/y")),
            PathBuf::from("../../b/c/m")
        );
        let text = "say \"hi\"\n\\ and 'this'";
        let parsed: toml::Table = toml::from_str(&format!("k = {}", quote(text))).unwrap();
        assert_eq!(parsed["k"].as_str(), Some(text));
    }
}
