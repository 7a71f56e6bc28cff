//! Reports of drills: the record of each scenario's runs (`DrillRecord`), and its renderings
//! for people (`terminal`), for tools (`json`) and for CI (`junit`), plus the spinner shown
//! while a drill runs (`progress`) and running a scenario `--repeat` times (`repeat`).

pub mod explore;
pub mod json;
pub mod junit;
pub mod predictions;
pub mod progress;
pub mod terminal;

use std::io;
use std::path::PathBuf;

pub use crate::outcome::{DrillRecord, RepeatFigures, Run, Summary};

pub use crate::vocab::Status;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("writing report {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("encoding the JSON report")]
    Json(#[source] serde_json::Error),
    #[error("encoding the JUnit report")]
    Junit(#[source] quick_junit::SerializeError),
}

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
