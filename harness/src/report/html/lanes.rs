//! The span lanes of the timeline SVG: phases, faults, rollback steps, and requests per
//! phase, each a labelled bar on the shared time axis (`timeline_svg` draws the frame).

use std::fmt::{Result, Write};
use std::time::Duration;

use super::esc;
use super::timeline_svg::{lane_y, Axis, LANE};
use crate::events::{DrillEvent, DrillEventKind};
use crate::outcome::DrillOutcome;
use crate::timeline::{EventKind, WindowStats};

/// Where a span sits: its lane and its two ends on the axis, in px.
struct Place {
    lane: usize,
    from: f64,
    to: f64,
}

/// A labelled span in a lane; the label only when it fits.
fn span(out: &mut String, class: &str, at: Place, fill: &str, label: &str, title: &str) -> Result {
    let Place { lane, from, to } = at;
    let y = lane_y(lane) + 5.0;
    let w = (to - from).max(2.0);
    write!(
        out,
        "<g class=\"mark {class}\"><title>{}</title><rect x=\"{from:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{fill}\" rx=\"2\"/>",
        esc(title),
        LANE - 10.0
    )?;
    // About 6 px a character at 11 px.
    if w > label.chars().count() as f64 * 6.0 + 6.0 {
        write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            from + 3.0,
            y + 14.0,
            esc(label)
        )?;
    }
    writeln!(out, "</g>")
}

pub(super) fn phases(
    out: &mut String,
    axis: &Axis,
    stream: &[DrillEvent],
    end: Duration,
) -> Result {
    let entered: Vec<_> = stream
        .iter()
        .filter_map(|e| match &e.kind {
            DrillEventKind::PhaseEntered(p) => Some((e.at, *p)),
            _ => None,
        })
        .collect();
    for (i, (at, phase)) in entered.iter().enumerate() {
        let until = entered.get(i + 1).map_or(end, |n| n.0);
        let fill = if i % 2 == 0 { "#c8e1ff" } else { "#e8d5ff" };
        let title = format!("{phase} from +{}ms", at.as_millis());
        span(
            out,
            "phase",
            Place {
                lane: 0,
                from: axis.x(*at),
                to: axis.x(until),
            },
            fill,
            phase.as_str(),
            &title,
        )?;
    }
    Ok(())
}

/// Faults from the stream (they carry their kind); from the timeline when the stream is gone.
pub(super) fn faults(
    out: &mut String,
    o: &DrillOutcome,
    axis: &Axis,
    stream: &[DrillEvent],
    end: Duration,
) -> Result {
    let mut spans: Vec<(Duration, String)> = Vec::new();
    let mut healed: Vec<Duration> = Vec::new();
    for e in stream {
        match &e.kind {
            DrillEventKind::FaultInjected { kind, what, .. } => {
                spans.push((e.at, format!("{kind}: {what}")))
            }
            DrillEventKind::FaultHealed { .. } => healed.push(e.at),
            _ => {}
        }
    }
    if spans.is_empty() {
        for e in &o.timeline {
            match e.kind {
                EventKind::Fault => spans.push((e.at, e.detail.clone())),
                EventKind::FaultHealed => healed.push(e.at),
                _ => {}
            }
        }
    }
    for (at, what) in &spans {
        // The first heal after the injection ends it; an unhealed fault runs to the end.
        let until = healed.iter().copied().find(|h| h >= at).unwrap_or(end);
        let title = format!("{what} (+{}ms → +{}ms)", at.as_millis(), until.as_millis());
        let label = what.split(':').next().unwrap_or("");
        span(
            out,
            "fault",
            Place {
                lane: 1,
                from: axis.x(*at),
                to: axis.x(until),
            },
            "#ffb8b0",
            label,
            &title,
        )?;
    }
    Ok(())
}

pub(super) fn steps(out: &mut String, o: &DrillOutcome, axis: &Axis) -> Result {
    for s in &o.steps {
        let fill = if s.ok { "#aceebb" } else { "#ffb8b0" };
        let status = if s.ok { "ok" } else { "failed" };
        let title = format!("{} (attempt {}) {status}: {}", s.step, s.attempt, s.detail);
        let class = format!("step {status}");
        span(
            out,
            &class,
            Place {
                lane: 4,
                from: axis.x(s.at),
                to: axis.x(s.at + s.took),
            },
            fill,
            s.step.as_str(),
            &title,
        )?;
    }
    Ok(())
}

/// Per phase of traffic, a bar as long as the phase: green for served, red for failed, in
/// proportion — the outcome keeps counts per phase, not per request.
pub(super) fn requests(
    out: &mut String,
    o: &DrillOutcome,
    axis: &Axis,
    decision: Option<Duration>,
    end: Duration,
) -> Result {
    let f = &o.figures;
    let deploy = o
        .timeline
        .iter()
        .find(|e| e.kind == EventKind::DeployStarted)
        .map_or(Duration::ZERO, |e| e.at);
    let mut windows: Vec<(&str, Duration, Duration, &WindowStats)> =
        vec![("before deploy", Duration::ZERO, deploy, &f.before_deploy)];
    match decision {
        Some(d) => {
            windows.push(("deployed", deploy, d, &f.deployed));
            windows.push(("rollback", d, end, &f.rollback));
        }
        None => windows.push(("deployed", deploy, end, &f.deployed)),
    }
    let y = lane_y(5) + 5.0;
    let h = LANE - 10.0;
    for (label, from, to, w) in windows {
        let (x0, x1) = (axis.x(from), axis.x(to));
        let failed = if w.requests == 0 {
            0.0
        } else {
            w.failed as f64 / w.requests as f64
        };
        let title = format!(
            "{label}: {} requests, {} failed, p50 {}ms, p99 {}ms",
            w.requests,
            w.failed,
            w.p50.as_millis(),
            w.p99.as_millis()
        );
        let fh = h * failed;
        writeln!(
            out,
            "<g class=\"mark traffic\"><title>{title}</title><rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#aceebb\"/><rect class=\"failed\" x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{fh:.1}\" fill=\"#cf222e\"/></g>",
            (x1 - x0).max(1.0),
            (x1 - x0).max(1.0)
        )?;
    }
    Ok(())
}
