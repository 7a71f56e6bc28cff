//! Reports of drills, each a `Reporter` over the event stream: for people
//! (`lines::LinesReporter`, a line per drill over `terminal`'s full reports), for tools (`json::JsonReporter`), for CI
//! (`junit::JunitReporter`), for browsers (`html::HtmlReporter`), for CI pages
//! (`markdown::MarkdownReporter`), and the spinner shown while a drill runs (`progress::Progress`). Each drill's postmortem is derived once
//! (`postmortem::Postmortem`) for all of them.
//! Their failures are `events::ReporterError`.

pub mod explore;
pub mod html;
pub mod json;
pub mod junit;
pub mod lines;
pub mod markdown;
pub mod merge;
pub mod postmortem;
pub mod predictions;
pub mod progress;
pub mod read;
#[cfg(test)]
mod recorded;
pub mod terminal;

pub use crate::outcome::{DrillRecord, RepeatFigures, Run, Summary};

pub use crate::events::ReporterError;
pub use crate::vocab::Status;
pub use html::HtmlReporter;
pub use json::JsonReporter;
pub use junit::JunitReporter;
pub use lines::LinesReporter;
pub use markdown::MarkdownReporter;
pub use progress::Progress;
