//! `to_toml`: a validated `Scenario` written back as a scenario file that loads to the same
//! scenario — how exploration hands a minimal failing case back as a file to replay. The
//! output is canonical (fixed key order), so the same case always gives the same bytes.

use std::fmt::Write;
use std::path::Path;

use super::model::*;

mod values;

use values::{commands, dur, key, list, quote, relative, table};

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
        list(
            &s.expect
                .failing_oracles
                .iter()
                .map(|o| o.to_string())
                .collect::<Vec<_>>()
        )
    );
    let d = &s.database;
    let _ = writeln!(
        o,
        "\n[database]\nimage = {}\nport = {}\nuser = {}",
        q(&d.image),
        d.port,
        q(&d.user)
    );
    // A drawn password stays unwritten, so the written file draws its own again.
    if let Some(password) = &d.password {
        let _ = writeln!(o, "password = {}", q(password));
    }
    let _ = writeln!(o, "name = {}\nenv = {}", q(&d.name), table(&d.env));
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
            Migrations::Commands(c) => o.push_str(&format!("migrations = {}\n", commands(c))),
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
    for c in &s.checks {
        let _ = writeln!(
            o,
            "\n[[check]]\nname = {}\nat = {}\nmethod = {}\npath = {}",
            q(&c.name),
            q(c.at.as_str()),
            q(&c.method),
            q(c.path.as_str())
        );
        body(&mut o, &c.body);
        let _ = writeln!(o, "expect-status = {:?}", c.expect_status);
        if let Some(save) = &c.save {
            let _ = writeln!(o, "save = {}", q(save));
        }
    }
    rollback(&mut o, &s.rollback);
    for f in &s.faults {
        fault(&mut o, f);
    }
    let l = &s.allowed_loss;
    let _ = writeln!(
        o,
        "\n[allowed-loss]\ntables = {}\ncolumns = {}\nfields = {}\nwrites-since-snapshot = {}",
        list(&l.tables),
        list(&l.columns),
        list(&l.fields),
        l.writes_since_snapshot
    );
    let lint = &s.lint;
    if lint.accept_widening || !lint.allow.is_empty() {
        let _ = writeln!(o, "\n[lint]\naccept-widening = {}", lint.accept_widening);
        for a in &lint.allow {
            let rule = q(a.rule.as_str());
            let _ = writeln!(
                o,
                "\n[[lint.allow]]\nrule = {rule}\nreason = {}",
                q(&a.reason)
            );
        }
    }
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
    if let Some(seed) = t.seed {
        let _ = writeln!(o, "seed = {seed}");
    }
    match t.requests.as_slice() {
        [WeightedRequest {
            weight: 1,
            request: TrafficRequest::Write(w),
        }] => {
            o.push_str("\n[traffic.write]\n");
            write(o, w);
        }
        requests => {
            for r in requests {
                let kind = quote(r.request.kind().as_str());
                let _ = writeln!(
                    o,
                    "\n[[traffic.request]]\nkind = {kind}\nweight = {}",
                    r.weight
                );
                match &r.request {
                    TrafficRequest::Write(w) => write(o, w),
                    TrafficRequest::Read(p) | TrafficRequest::Plain(p) => {
                        let (method, path) = (quote(&p.method), quote(p.path.as_str()));
                        let _ = writeln!(o, "method = {method}\npath = {path}");
                        body(o, &p.body);
                        let _ = writeln!(o, "expect-status = {:?}", p.expect_status);
                    }
                }
            }
        }
    }
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

fn write(o: &mut String, w: &WriteRequest) {
    let (method, path) = (quote(&w.method), quote(w.path.as_str()));
    let _ = writeln!(o, "method = {method}\npath = {path}");
    body(o, &w.body);
    let key = match &w.key {
        KeySource::Response(p) => format!("response:{p}"),
        KeySource::Request(p) => format!("request:{p}"),
    };
    let _ = writeln!(o, "ack-status = {:?}\nkey = {}", w.ack_status, quote(&key));
}

fn rollback(o: &mut String, r: &Rollback) {
    let steps: Vec<String> = r.steps.iter().map(|s| s.as_str().to_string()).collect();
    let image_ref = r.image_ref.as_str();
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
        quote(f.fault.kind.as_str())
    );
    // Validation fills every key a kind declares, in declaration order: written as is.
    for (name, value) in f.fault.params.iter() {
        let _ = match value {
            ParamValue::Release(r) => writeln!(o, "{name} = {}", quote(r)),
            ParamValue::Duration(d) => writeln!(o, "{name} = {}", dur(*d)),
            ParamValue::Count(n) => writeln!(o, "{name} = {n}"),
        };
    }
    if let Some(d) = f.duration {
        let _ = writeln!(o, "duration = {}", dur(d));
    }
}

fn body(o: &mut String, b: &Body) {
    match b {
        Body::None => {}
        Body::Json(t) => {
            let _ = writeln!(o, "json = {}", quote(t.as_str()));
        }
        Body::Form(t) => {
            let _ = writeln!(o, "form = {}", quote(t.as_str()));
        }
    }
}

#[cfg(test)]
mod tests;
