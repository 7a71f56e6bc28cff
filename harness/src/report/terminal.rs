//! Drill reports for people: `fmt_*` functions writing one drill's outcome (header, verdict,
//! oracles, preflight and its predictions, both timelines, steps, figures, postmortem), repeat
//! percentiles and the final summary to any `io::Write`, coloured only through a `Palette`,
//! scenario text escaped (`escape`); `report::lines` prints them as the events of a run arrive.

mod escape;
mod figures;
mod postmortem;
mod preflight;
mod summary;
#[cfg(test)]
mod tests;

pub use escape::escape;
pub use figures::fmt_figures;
pub use postmortem::fmt_postmortem;
pub use preflight::{fmt_end_state, fmt_preflight};
pub use summary::{fmt_record, fmt_repeat, fmt_summary};

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use console::Style;

use super::{DrillRecord, Run};
use crate::outcome::DrillOutcome;
use crate::timeline::{Event, Segment};
use crate::vocab::human;
use crate::vocab::{OracleStatus, Verdict};

/// Whether to colour; everything is written the same either way, only with or without ANSI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    colour: bool,
}

impl Palette {
    /// No colour, whatever the terminal.
    pub const PLAIN: Palette = Palette { colour: false };

    /// Colour only when stdout is a terminal and NO_COLOR is unset or empty (no-color.org).
    pub fn for_stdout() -> Palette {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Palette {
            colour: !no_color && io::stdout().is_terminal(),
        }
    }

    /// Colour when `colour` says so, whatever the terminal.
    pub const fn coloured(colour: bool) -> Palette {
        Palette { colour }
    }

    fn paint(self, text: &str, style: Style) -> String {
        style.force_styling(self.colour).apply_to(text).to_string()
    }
    pub(crate) fn good(self, text: &str) -> String {
        self.paint(text, Style::new().green())
    }
    pub(crate) fn bad(self, text: &str) -> String {
        self.paint(text, Style::new().red().bold())
    }
    pub(crate) fn dim(self, text: &str) -> String {
        self.paint(text, Style::new().dim())
    }
    fn bold(self, text: &str) -> String {
        self.paint(text, Style::new().bold())
    }
    pub(crate) fn mark(self, ok: bool) -> String {
        if ok {
            self.good("✓")
        } else {
            self.bad("✗")
        }
    }
}

/// `● name (baseline -> notnull, code-only) on rollcage/postgres:15`
pub fn fmt_header(
    out: &mut impl Write,
    name: &str,
    record: &DrillRecord,
    p: Palette,
) -> io::Result<()> {
    let what = format!(
        "({}, {}) on {}",
        record.deploy,
        record.strategy.map_or("", |s| s.as_str()),
        record.database_image
    );
    writeln!(
        out,
        "{} {} {}",
        p.bold("●"),
        p.bold(&escape(name)),
        escape(&what)
    )
}

/// The verdict line, then why it mismatched, the rollback decision and any step failure.
pub fn fmt_verdict(out: &mut impl Write, o: &DrillOutcome, p: Palette) -> io::Result<()> {
    writeln!(
        out,
        "  verdict: {} (expected {}) {}",
        p.bold(o.verdict.as_str()),
        o.expected,
        p.mark(o.matched)
    )?;
    if let Some(why) = o.mismatch() {
        writeln!(out, "  mismatch: {}", p.bad(&escape(&why)))?;
    }
    if let Some(decision) = &o.decision {
        writeln!(out, "  decision: {}", escape(decision))?;
    }
    if o.verdict == Verdict::NoRollback {
        let why = "the trigger stayed quiet and traffic held to the pre-deploy baseline";
        writeln!(out, "  decision: no rollback: {why}")?;
    }
    if let Some(failure) = &o.failure {
        writeln!(out, "  failure: {}", escape(failure))?;
    }
    Ok(())
}

/// One line per oracle: name, status, message; further message lines align under the first.
pub fn fmt_oracles(out: &mut impl Write, o: &DrillOutcome, p: Palette) -> io::Result<()> {
    writeln!(out, "  oracles:")?;
    for r in &o.oracles {
        let status = match r.status {
            OracleStatus::Passed => p.good(&format!("{:<8}", "passed")),
            OracleStatus::Failed => p.bad(&format!("{:<8}", "failed")),
            OracleStatus::Skipped => p.dim(&format!("{:<8}", "skipped")),
        };
        let expected = o.expected_failing.contains(&r.oracle);
        let note = if expected {
            p.dim(" (expected to fail)")
        } else {
            String::new()
        };
        let mut lines = r.message.lines();
        let first = escape(lines.next().unwrap_or(""));
        writeln!(out, "    {:<7} {status} {first}{note}", r.oracle)?;
        for line in lines {
            writeln!(out, "{:21}{}", "", escape(line))?;
        }
    }
    Ok(())
}

/// The deploy timeline (times since the drill started), then the rollback timeline (times
/// since the decision, so its last event reads as the recovery time).
pub fn fmt_timelines(out: &mut impl Write, o: &DrillOutcome, p: Palette) -> io::Result<()> {
    let of = |segment| {
        let mut events: Vec<&Event> = o.timeline.iter().filter(|e| e.segment == segment).collect();
        // Stable: events measured at the same instant keep the order they were recorded in.
        events.sort_by_key(|e| e.at);
        events
    };
    let (deploy, rollback) = (of(Segment::Deploy), of(Segment::Rollback));
    writeln!(
        out,
        "  deploy timeline {}:",
        p.dim("(ms since the drill started)")
    )?;
    fmt_events(out, &deploy, Duration::ZERO)?;
    match rollback.first() {
        Some(decision) => {
            let since = format!("(ms since the decision at +{}ms)", decision.at.as_millis());
            writeln!(out, "  rollback timeline {}:", p.dim(&since))?;
            fmt_events(out, &rollback, decision.at)
        }
        None => writeln!(
            out,
            "  rollback timeline: {}",
            p.dim("none (no rollback decision)")
        ),
    }
}

fn fmt_events(out: &mut impl Write, events: &[&Event], origin: Duration) -> io::Result<()> {
    let kinds: Vec<String> = events.iter().map(|e| kind_name(e)).collect();
    let width = kinds.iter().map(String::len).max().unwrap_or(0);
    for (e, kind) in events.iter().zip(&kinds) {
        let ms = e.at.saturating_sub(origin).as_millis();
        let mut lines = e.detail.lines();
        let first = escape(lines.next().unwrap_or(""));
        let line = format!("    +{ms:>6} {kind:<width$} {first}");
        writeln!(out, "{}", line.trim_end())?;
        // A detail that runs over lines (a dead release's log) stays under its first line.
        let indent = 4 + 1 + 6 + 1 + width + 1;
        for more in lines {
            writeln!(out, "{:indent$}{}", "", escape(more))?;
        }
    }
    Ok(())
}

/// The kebab-case name the JSON report uses for an event kind.
fn kind_name(e: &Event) -> String {
    match serde_json::to_value(&e.kind) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{:?}", e.kind),
    }
}

/// The rollback steps in the order they ran, each with its duration.
pub fn fmt_steps(out: &mut impl Write, o: &DrillOutcome, p: Palette) -> io::Result<()> {
    if o.steps.is_empty() {
        return writeln!(out, "  steps: {}", p.dim("none ran"));
    }
    writeln!(out, "  steps:")?;
    for s in &o.steps {
        let status = if s.ok {
            p.good("ok    ")
        } else {
            p.bad("failed")
        };
        let mut lines = s.detail.lines();
        let first = escape(lines.next().unwrap_or(""));
        writeln!(
            out,
            "    {:<16} {:>9}  {status}  {first}",
            s.step,
            human(s.took),
        )?;
        for more in lines {
            writeln!(out, "{:40}{}", "", escape(more))?;
        }
    }
    Ok(())
}

/// Everything about one outcome, as printed after each drill.
pub fn fmt_outcome(
    out: &mut impl Write,
    name: &str,
    record: &DrillRecord,
    o: &DrillOutcome,
    p: Palette,
) -> io::Result<()> {
    fmt_header(out, name, record, p)?;
    fmt_verdict(out, o, p)?;
    fmt_oracles(out, o, p)?;
    fmt_end_state(out, o, p)?;
    fmt_preflight(out, o, p)?;
    fmt_timelines(out, o, p)?;
    fmt_steps(out, o, p)?;
    fmt_figures(out, o, p)?;
    fmt_postmortem(out, o, p)
}

/// One run: its full outcome, or the harness error that kept it from running.
pub fn fmt_run(
    out: &mut impl Write,
    record: &DrillRecord,
    run: &Run,
    p: Palette,
) -> io::Result<()> {
    let name = record.run_name(run);
    match &run.result {
        Ok(o) => fmt_outcome(out, &name, record, o, p),
        Err(e) => {
            fmt_header(out, &name, record, p)?;
            writeln!(
                out,
                "  error: {} {}",
                p.bad(&format!("could not run: {}", escape(e))),
                p.mark(false)
            )
        }
    }
}
