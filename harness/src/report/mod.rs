//! Reports of drills, each a `Reporter` over the event stream: for people
//! (`terminal::TerminalReporter`), for tools (`json::JsonReporter`), for CI
//! (`junit::JunitReporter`), for browsers (`html::HtmlReporter`), for CI pages
//! (`markdown::MarkdownReporter`), and the spinner shown while a drill runs (`progress::Progress`). Each drill's postmortem is derived once
//! (`postmortem::Postmortem`) for all of them.
//! Their failures are `events::ReporterError`.

pub mod explore;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod postmortem;
pub mod predictions;
pub mod progress;
#[cfg(test)]
mod recorded;
pub mod terminal;

pub use crate::outcome::{DrillRecord, RepeatFigures, Run, Summary};

pub use crate::events::ReporterError;
pub use crate::vocab::Status;
pub use html::HtmlReporter;
pub use json::JsonReporter;
pub use junit::JunitReporter;
pub use markdown::MarkdownReporter;
pub use progress::Progress;
pub use terminal::TerminalReporter;
