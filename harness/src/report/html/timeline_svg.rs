//! The two timelines of one run as one inline SVG on one time axis, split at the rollback
//! decision: lanes for phases, faults, the deploy's and the rollback's events, the rollback
//! steps and the requests per phase, the decision as a line across them, an axis below.
//! Every mark carries a class (`mark phase`, `mark fault`, `mark decision`, ...) and a
//! `<title>` that browsers show on hover.

use std::fmt::{Result, Write};
use std::time::Duration;

use super::esc;
use super::lanes::{faults, phases, requests, steps};
use super::tables::{kind_name, sorted_events};
use crate::events::DrillEvent;
use crate::outcome::DrillOutcome;
use crate::timeline::{EventKind, Segment};

const WIDTH: f64 = 960.0;
const LEFT: f64 = 120.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 22.0;
pub(super) const LANE: f64 = 30.0;
const LANES: [&str; 6] = [
    "phases", "faults", "deploy", "rollback", "steps", "requests",
];

/// Maps drill time to x.
pub(super) struct Axis {
    pub(super) end: f64,
}

impl Axis {
    pub(super) fn x(&self, at: Duration) -> f64 {
        let ms = at.as_secs_f64() * 1000.0;
        LEFT + (ms / self.end).clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT)
    }
}

pub(super) fn lane_y(lane: usize) -> f64 {
    TOP + lane as f64 * LANE
}

/// The whole figure: segments, lanes, marks, decision line and axis.
pub fn timelines(out: &mut String, o: &DrillOutcome, stream: &[DrillEvent]) -> Result {
    let last = o
        .timeline
        .iter()
        .map(|e| e.at)
        .chain(o.steps.iter().map(|s| s.at + s.took))
        .chain(stream.iter().map(|e| e.at))
        .max()
        .unwrap_or_default();
    // A little room after the last mark; never a zero-width axis.
    let end = (last.as_secs_f64() * 1000.0 * 1.04).max(1.0);
    let axis = Axis { end };
    let end_at = Duration::from_secs_f64(end / 1000.0);
    let height = lane_y(LANES.len()) + 34.0;
    let decision = o
        .timeline
        .iter()
        .find(|e| e.kind == EventKind::RollbackDecision)
        .map(|e| e.at);
    writeln!(
        out,
        "<figure><svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"deploy and rollback timelines\">"
    )?;
    // The two timelines as background bands, split at the decision.
    let split = decision.map_or(WIDTH - RIGHT, |d| axis.x(d));
    let bottom = lane_y(LANES.len());
    writeln!(
        out,
        "<rect class=\"segment deploy\" x=\"{LEFT}\" y=\"0\" width=\"{:.1}\" height=\"{bottom}\" fill=\"#fff8c5\"/><text x=\"{:.1}\" y=\"14\">deploy degradation</text>",
        split - LEFT,
        LEFT + 4.0
    )?;
    if decision.is_some() {
        writeln!(
            out,
            "<rect class=\"segment rollback\" x=\"{split:.1}\" y=\"0\" width=\"{:.1}\" height=\"{bottom}\" fill=\"#ddf4ff\"/><text x=\"{:.1}\" y=\"14\">rollback attempt</text>",
            WIDTH - RIGHT - split,
            split + 4.0
        )?;
    }
    for (i, name) in LANES.iter().enumerate() {
        let y = lane_y(i);
        writeln!(
            out,
            "<line x1=\"0\" x2=\"{WIDTH}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#d0d7de\"/><text x=\"6\" y=\"{:.1}\">{name}</text>",
            y + LANE / 2.0 + 4.0
        )?;
    }
    phases(out, &axis, stream, end_at)?;
    faults(out, o, &axis, stream, end_at)?;
    events(out, o, &axis)?;
    steps(out, o, &axis)?;
    requests(out, o, &axis, decision, end_at)?;
    if let Some(d) = decision {
        let x = axis.x(d);
        writeln!(
            out,
            "<g class=\"mark decision\"><title>rollback decision at +{}ms</title><line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"0\" y2=\"{bottom}\" stroke=\"#8250df\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/></g>",
            d.as_millis()
        )?;
    }
    ticks(out, &axis, bottom)?;
    let caption = match decision {
        Some(_) => "deploy degradation, then the rollback attempt, split at the decision",
        None => "deploy degradation; no rollback was decided",
    };
    writeln!(out, "</svg><figcaption>{caption} (ms since the drill started; event numbers as in the table below)</figcaption></figure>")
}

/// Numbered marks per timeline; `verified` as a diamond.
fn events(out: &mut String, o: &DrillOutcome, axis: &Axis) -> Result {
    for (n, e) in sorted_events(o).iter().enumerate() {
        let (lane, seg) = match e.segment {
            Segment::Deploy => (2, "deploy"),
            Segment::Rollback => (3, "rollback"),
        };
        let kind = kind_name(e);
        let class = match e.kind {
            EventKind::Verified => "verified",
            EventKind::Fault | EventKind::DegradationOnset | EventKind::StepFailed => "trouble",
            _ => "event",
        };
        let (x, y) = (axis.x(e.at), lane_y(lane) + LANE / 2.0);
        let title = format!("#{} +{}ms {kind}: {}", n + 1, e.at.as_millis(), e.detail);
        write!(
            out,
            "<g class=\"mark {class} {seg}\" data-kind=\"{kind}\"><title>{}</title>",
            esc(&title)
        )?;
        let colour = if class == "trouble" {
            "#cf222e"
        } else {
            "#0969da"
        };
        if class == "verified" {
            write!(
                out,
                "<path d=\"M{x:.1} {:.1}l7 7l-7 7l-7 -7z\" fill=\"#1a7f37\"/>",
                y - 7.0
            )?;
        } else {
            write!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{colour}\"/>"
            )?;
        }
        // Numbers alternate above and below the mark so neighbours stay readable.
        let ty = if n % 2 == 0 { y - 8.0 } else { y + 14.0 };
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{ty:.1}\">{}</text></g>",
            x + 4.0,
            n + 1
        )?;
    }
    Ok(())
}

/// Round ticks (1, 2 or 5 times a power of ten ms), at most about ten of them.
fn ticks(out: &mut String, axis: &Axis, y: f64) -> Result {
    let raw = axis.end / 10.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(mag * 10.0);
    writeln!(out, "<g class=\"axis\"><line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#57606a\"/>", WIDTH - RIGHT)?;
    let (unit, suffix) = if axis.end >= 5000.0 {
        (1000.0, "s")
    } else {
        (1.0, "ms")
    };
    // Multiples of the step, not a running sum, so no rounding error creeps into labels.
    for k in 0..=((axis.end / step).floor() as u64).min(100) {
        let t = k as f64 * step;
        let x = axis.x(Duration::from_secs_f64(t / 1000.0));
        let v = t / unit;
        let label = if (v - v.round()).abs() < 1e-9 {
            format!("{v:.0}{suffix}")
        } else {
            format!("{v:.1}{suffix}")
        };
        writeln!(out, "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{y}\" y2=\"{:.1}\" stroke=\"#57606a\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>", y + 5.0, y + 18.0)?;
    }
    writeln!(out, "</g>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::outcome;

    fn svg(o: &DrillOutcome) -> String {
        let mut out = String::new();
        timelines(&mut out, o, &[]).unwrap();
        out
    }

    #[test]
    fn split_at_the_decision_with_every_event_numbered() {
        let o = outcome(true);
        let s = svg(&o);
        assert!(
            s.contains("<title>rollback decision at +2000ms</title>"),
            "{s}"
        );
        assert_eq!(s.matches("class=\"mark event deploy\"").count(), 3);
        assert_eq!(s.matches("class=\"mark verified rollback\"").count(), 1);
        assert_eq!(s.matches("class=\"mark step ok\"").count(), 1);
        // Three phases of traffic: before the deploy, deployed, rollback.
        assert_eq!(s.matches("class=\"mark traffic\"").count(), 3);
        assert!(s.contains(">rollback attempt</text>"));
    }

    #[test]
    fn no_decision_no_rollback_segment() {
        let mut o = outcome(true);
        o.timeline.retain(|e| e.segment == Segment::Deploy);
        o.steps.clear();
        let s = svg(&o);
        assert!(
            !s.contains("mark decision") && !s.contains(">rollback attempt</text>"),
            "{s}"
        );
        assert_eq!(s.matches("class=\"mark traffic\"").count(), 2);
    }

    #[test]
    fn long_drills_tick_in_seconds_and_empty_ones_still_draw() {
        let mut o = outcome(true);
        o.timeline[4].at = Duration::from_secs(42);
        assert!(svg(&o).contains(">40s</text>"));
        o.timeline.clear();
        o.steps.clear();
        assert!(svg(&o).contains(">0ms</text>"));
    }
}
