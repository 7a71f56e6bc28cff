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

/// `CodeOnly` → `code-only`: the scenario-file spelling of a variant name.
pub fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_in_kebab_case() {
        assert_eq!(kebab("CodeOnly"), "code-only");
        assert_eq!(kebab("RestoreSnapshot"), "restore-snapshot");
        assert_eq!(kebab("code-only"), "code-only");
    }
}
