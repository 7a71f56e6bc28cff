//! The tables of one run in the HTML report: verdict, postmortem, timeline events and steps,
//! oracles with their evidence, predictions against observations, end state, and figures.

use std::fmt::{Result, Write};

use super::esc;
use crate::outcome::DrillOutcome;
use crate::report::postmortem::{Bucket, Postmortem};
use crate::timeline::{Event, Segment, WindowStats};
use crate::vocab::human;

/// The timeline's events sorted by time (stable), numbered from 1 in the SVG and the table.
pub(super) fn sorted_events(o: &DrillOutcome) -> Vec<&Event> {
    let mut events: Vec<&Event> = o.timeline.iter().collect();
    events.sort_by_key(|e| e.at);
    events
}

/// The kebab-case name of an event kind, as the JSON report spells it.
pub(super) fn kind_name(e: &Event) -> String {
    match serde_json::to_value(&e.kind) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{:?}", e.kind),
    }
}

fn pre(text: &str) -> String {
    format!("<pre>{}</pre>", esc(text))
}

/// Verdict against expectation, why it mismatched, the decision and any failure.
pub fn verdict(out: &mut String, o: &DrillOutcome) -> Result {
    let status = if o.matched { "matched" } else { "mismatched" };
    writeln!(
        out,
        "<p class=\"verdict\">verdict <strong>{}</strong> (expected {}) <span class=\"{status}\">{status}</span></p>",
        o.verdict, o.expected
    )?;
    let mut lines = Vec::new();
    if let Some(why) = o.mismatch() {
        lines.push(("mismatch", why));
    }
    if let Some(d) = &o.decision {
        lines.push(("decision", d.clone()));
    }
    if let Some(f) = &o.failure {
        lines.push(("failure", f.clone()));
    }
    if let Some(i) = &o.interrupted {
        lines.push(("interrupted", i.clone()));
    }
    for (label, text) in lines {
        writeln!(out, "<p><strong>{label}:</strong> {}</p>", esc(&text))?;
    }
    Ok(())
}

/// The deploy's failure, the rollback's, the trust gap and the action items by bucket.
pub fn postmortem(out: &mut String, o: &DrillOutcome) -> Result {
    let p = Postmortem::of(o);
    writeln!(out, "<section class=\"postmortem\"><h4>postmortem</h4>")?;
    writeln!(out, "<p><strong>deploy:</strong> {}</p>", esc(&p.deploy))?;
    writeln!(
        out,
        "<p><strong>rollback:</strong> {}</p>",
        esc(&p.rollback)
    )?;
    writeln!(
        out,
        "<p><strong>trust gap:</strong> {}</p>",
        esc(&p.trust_gap)
    )?;
    for bucket in Bucket::ALL {
        let items: Vec<_> = p.bucket(bucket).collect();
        writeln!(
            out,
            "<p><strong>action items, {}:</strong></p>",
            bucket.title()
        )?;
        if items.is_empty() {
            writeln!(out, "<p class=\"dim\">none</p>")?;
            continue;
        }
        writeln!(out, "<ul class=\"actions\">")?;
        for item in items {
            writeln!(
                out,
                "<li><code>{}</code> → {}</li>",
                esc(&item.source),
                esc(item.advice)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</section>")
}

/// Every timeline event (numbered as in the SVG), then the steps as they ran.
pub fn events(out: &mut String, o: &DrillOutcome) -> Result {
    writeln!(out, "<table class=\"events\"><tr><th>#</th><th>at</th><th>timeline</th><th>event</th><th>detail</th></tr>")?;
    for (n, e) in sorted_events(o).iter().enumerate() {
        let segment = match e.segment {
            Segment::Deploy => "deploy",
            Segment::Rollback => "rollback",
        };
        writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td class=\"num\">+{}ms</td><td>{segment}</td><td>{}</td><td>{}</td></tr>",
            n + 1,
            e.at.as_millis(),
            kind_name(e),
            pre(&e.detail)
        )?;
    }
    writeln!(out, "</table>")?;
    if o.steps.is_empty() {
        return writeln!(out, "<p class=\"dim\">no rollback step ran</p>");
    }
    writeln!(out, "<table class=\"steps\"><tr><th>step</th><th>at</th><th>took</th><th>status</th><th>detail</th></tr>")?;
    for s in &o.steps {
        let status = if s.ok { "ok" } else { "failed" };
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">+{}ms</td><td class=\"num\">{}</td><td class=\"{}\">{status}</td><td>{}</td></tr>",
            s.step,
            s.at.as_millis(),
            human(s.took),
            if s.ok { "passed" } else { "failed" },
            pre(&s.detail)
        )?;
    }
    writeln!(out, "</table>")
}

/// Each oracle, its status, and its evidence in full.
pub fn oracles(out: &mut String, o: &DrillOutcome) -> Result {
    writeln!(
        out,
        "<table class=\"oracles\"><tr><th>oracle</th><th>status</th><th>evidence</th></tr>"
    )?;
    if o.oracles.is_empty() {
        writeln!(
            out,
            "<tr><td colspan=\"3\" class=\"dim\">no oracle ran</td></tr>"
        )?;
    }
    for r in &o.oracles {
        let expected = if o.expected_failing.contains(&r.oracle) {
            " <span class=\"dim\">(expected to fail)</span>"
        } else {
            ""
        };
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"{1}\">{1}{expected}</td><td>{2}</td></tr>",
            r.oracle,
            r.status,
            pre(&r.message)
        )?;
    }
    writeln!(out, "</table>")
}

/// Preflight's predictions with what the drill made of them, then each failure observed.
pub fn predictions(out: &mut String, o: &DrillOutcome) -> Result {
    let t = &o.predictions;
    writeln!(out, "<table class=\"predictions\"><tr><th>predicted by preflight</th><th>at</th><th>status</th><th>evidence</th></tr>")?;
    if t.predictions.is_empty() {
        writeln!(
            out,
            "<tr><td colspan=\"4\" class=\"dim\">no hazard predicted</td></tr>"
        )?;
    }
    for p in &t.predictions {
        let class = p.status.as_str().replace(' ', "-");
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td></tr>",
            p.rule,
            esc(&p.location),
            p.status.as_str(),
            esc(&p.evidence)
        )?;
    }
    writeln!(out, "</table>")?;
    writeln!(out, "<table class=\"observations\"><tr><th>observed by the drill</th><th>detail</th><th>predicted by</th></tr>")?;
    if t.observations.is_empty() {
        writeln!(
            out,
            "<tr><td colspan=\"3\" class=\"dim\">no oracle or step failed</td></tr>"
        )?;
    }
    for ob in &t.observations {
        let by: Vec<&str> = ob.predicted_by.iter().map(|r| r.as_str()).collect();
        let by = if by.is_empty() {
            "unpredicted".to_string()
        } else {
            by.join(", ")
        };
        writeln!(
            out,
            "<tr><td>{} {}</td><td>{}</td><td>{by}</td></tr>",
            ob.kind,
            esc(&ob.name),
            esc(&ob.detail)
        )?;
    }
    writeln!(out, "</table>")
}

/// What runs at the end, at which migration, and the schema against the pre-deploy one.
pub fn end_state(out: &mut String, o: &DrillOutcome) -> Result {
    let Some(e) = &o.end_state else {
        return writeln!(out, "<p><strong>end state:</strong> <span class=\"dim\">no rollback, so none recorded</span></p>");
    };
    writeln!(
        out,
        "<p class=\"end-state\"><strong>end state:</strong> {} (<code>{}</code>) at migration {}</p>",
        esc(&e.release),
        esc(&e.image_id),
        e.migration_version
    )?;
    if e.schema_diff.is_empty() {
        return writeln!(out, "<p>schema as before the deploy</p>");
    }
    writeln!(
        out,
        "<p>schema against before the deploy:</p>{}",
        pre(&e.schema_diff.join("\n"))
    )
}

fn window_row(out: &mut String, label: &str, w: &WindowStats) -> Result {
    writeln!(
        out,
        "<tr><td>{label}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}%</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        w.requests,
        w.failed,
        w.error_rate * 100.0,
        human(w.p50),
        human(w.p99)
    )
}

/// Recovery figures, traffic per phase, and the write audit.
pub fn figures(out: &mut String, o: &DrillOutcome) -> Result {
    let f = &o.figures;
    writeln!(
        out,
        "<table class=\"figures\"><tr><th>figure</th><th>value</th></tr>"
    )?;
    // Without a decision the rollback's figures name nothing that happened: say so.
    let rolled_back = o.decision.is_some();
    for (label, v, of_rollback) in [
        ("recovery time", f.recovery_time, true),
        ("time to detect", f.time_to_detect, true),
        ("time to healthy", f.time_to_healthy, true),
        ("outage", f.outage, false),
    ] {
        let why = if of_rollback && !rolled_back {
            "no rollback"
        } else {
            "not reached"
        };
        let v = v.map_or_else(|| format!("<span class=\"dim\">— ({why})</span>"), human);
        writeln!(out, "<tr><td>{label}</td><td class=\"num\">{v}</td></tr>")?;
    }
    let w = &o.writes;
    writeln!(
        out,
        "<tr><td>writes</td><td>{} acknowledged, {} readable, {} lost</td></tr></table>",
        w.acknowledged,
        w.readable,
        w.lost_writes.len()
    )?;
    writeln!(out, "<table class=\"traffic\"><tr><th>traffic</th><th>requests</th><th>failed</th><th>error rate</th><th>p50</th><th>p99</th></tr>")?;
    window_row(out, "before deploy", &f.before_deploy)?;
    window_row(out, "deployed", &f.deployed)?;
    if rolled_back {
        window_row(out, "rollback", &f.rollback)?;
    } else {
        writeln!(
            out,
            "<tr><td>rollback</td><td colspan=\"5\" class=\"dim\">— (no rollback)</td></tr>"
        )?;
    }
    writeln!(out, "</table>")
}
