//! `TerminalReporter`: the terminal report as a reporter — each scenario's record when it
//! finishes, the summary of all of them when the run finishes.

use std::io::Write;

use super::{fmt_record, fmt_summary, Palette};
use crate::events::{Event, Reporter};
use crate::report::DrillRecord;

/// Prints to any writer (stdout in the binary, a buffer in tests).
pub struct TerminalReporter<W> {
    out: W,
    palette: Palette,
    /// The summary names every run that did not match, so it needs every record.
    records: Vec<DrillRecord>,
}

impl<W: Write> TerminalReporter<W> {
    /// A reporter printing to `out`, coloured as `palette` says.
    pub fn new(out: W, palette: Palette) -> TerminalReporter<W> {
        TerminalReporter {
            out,
            palette,
            records: Vec::new(),
        }
    }

    /// The writer, with everything printed so far.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write + Send> Reporter for TerminalReporter<W> {
    fn report(&mut self, event: &Event) {
        // A closed stdout (a pipe to `head`) must not stop the drills or the report files,
        // so write errors are dropped here.
        match event {
            Event::ScenarioFinished(record) => {
                let _ = fmt_record(&mut self.out, record, self.palette);
                let _ = self.out.flush();
                self.records.push(record.as_ref().clone());
            }
            Event::RunFinished(_) => {
                let _ = fmt_summary(&mut self.out, &self.records, self.palette);
                let _ = self.out.flush();
            }
            _ => {}
        }
    }
}
