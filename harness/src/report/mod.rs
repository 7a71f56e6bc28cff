//! Reports of drills, each a `Reporter` over the event stream: for people
//! (`terminal::TerminalReporter`), for tools (`json::JsonReporter`), for CI
//! (`junit::JunitReporter`), and the spinner shown while a drill runs (`progress::Progress`).
//! Their failures are `events::ReporterError`.

pub mod explore;
pub mod json;
pub mod junit;
pub mod predictions;
pub mod progress;
#[cfg(test)]
mod recorded;
pub mod terminal;

pub use crate::outcome::{DrillRecord, RepeatFigures, Run, Summary};

pub use crate::events::ReporterError;
pub use crate::vocab::Status;
pub use json::JsonReporter;
pub use junit::JunitReporter;
pub use progress::Progress;
pub use terminal::TerminalReporter;
