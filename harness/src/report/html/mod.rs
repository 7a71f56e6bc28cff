//! `HtmlReporter`: one self-contained HTML file per run of drills — inline CSS and SVG, no
//! scripts, nothing fetched. It keeps what the event stream says inside each drill (phases,
//! faults) beside each scenario's record, and renders everything at `finish`: the summary
//! table (`page`), then per drill its timelines (`timeline_svg`, `lanes`) and its tables
//! (`tables`).
//! Every text that comes from a scenario or a drill is escaped (`esc`).

mod lanes;
mod page;
mod tables;
mod timeline_svg;

#[cfg(test)]
mod browser;

use std::fs;
use std::path::PathBuf;

use crate::events::{DrillEvent, Event, Reporter, ReporterError};
use crate::outcome::DrillRecord;

pub use page::render;

/// What the stream said inside one run of one scenario, beside its outcome.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunMarks {
    /// 1-based position of the scenario in the run (its order in the report when read back).
    pub index: usize,
    /// The scenario's name.
    pub scenario: String,
    /// 1-based repetition.
    pub repetition: usize,
    /// The drill's events, in the order they arrived.
    pub events: Vec<DrillEvent>,
}

/// Writes the HTML report of every scenario that finished to `path` at `finish`.
pub struct HtmlReporter {
    path: PathBuf,
    records: Vec<DrillRecord>,
    marks: Vec<RunMarks>,
}

impl HtmlReporter {
    /// A reporter that will write its HTML report to `path`.
    pub fn new(path: impl Into<PathBuf>) -> HtmlReporter {
        HtmlReporter {
            path: path.into(),
            records: Vec::new(),
            marks: Vec::new(),
        }
    }
}

impl RunMarks {
    /// Keeps what `event` says inside a run in `marks`: a new run at `DrillStarted`, its
    /// events after, each to the run it names (drills may run in parallel).
    pub fn collect(marks: &mut Vec<RunMarks>, event: &Event) {
        match event {
            Event::DrillStarted {
                index,
                scenario,
                repetition,
                ..
            } => marks.push(RunMarks {
                index: *index,
                scenario: scenario.clone(),
                repetition: *repetition,
                events: Vec::new(),
            }),
            Event::Drill {
                index,
                repetition,
                event,
            } => {
                let run = marks
                    .iter_mut()
                    .rev()
                    .find(|m| m.index == *index && m.repetition == *repetition);
                if let Some(m) = run {
                    m.events.push(event.clone());
                }
            }
            _ => {}
        }
    }

    /// The events of `scenario`'s run `repetition`; none when nothing was kept of it.
    pub fn of<'a>(marks: &'a [RunMarks], scenario: &str, repetition: usize) -> &'a [DrillEvent] {
        marks
            .iter()
            .find(|m| m.scenario == scenario && m.repetition == repetition)
            .map_or(&[], |m| m.events.as_slice())
    }
}

impl Reporter for HtmlReporter {
    fn report(&mut self, event: &Event) {
        RunMarks::collect(&mut self.marks, event);
        if let Event::ScenarioFinished(record) = event {
            self.records.push(record.as_ref().clone());
        }
    }

    fn finish(&mut self) -> Result<(), ReporterError> {
        let html = render(&self.records, &self.marks);
        fs::write(&self.path, html).map_err(|source| ReporterError::Write {
            path: self.path.clone(),
            source,
        })
    }
}

/// `text` with the five characters HTML gives meaning to replaced by their references, safe
/// in element content and in quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::{outcome, record};

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            esc(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn names_and_messages_cannot_inject_markup() {
        let evil = "<img src=x onerror=alert(1)>";
        let mut o = outcome(true);
        o.scenario = evil.into();
        o.oracles[1].message = format!("</td>{evil}");
        o.timeline[0].detail = evil.into();
        let mut r = record(vec![Ok(o), Err(format!("boom {evil}"))]);
        r.scenario = evil.into();
        let html = render(&[r], &[]);
        assert!(!html.contains("<img"), "raw markup leaked");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn no_network_and_no_scripts() {
        let html = render(&[record(vec![Ok(outcome(true))])], &[]);
        for banned in ["<script", "http://", "https://", "<link", "src="] {
            // The SVG namespace is an identifier, not a fetch.
            let found = html
                .replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
                .contains(banned);
            assert!(!found, "`{banned}` in the report");
        }
    }
}
