//! Scenario files: reading TOML drill descriptions into validated `Scenario`s (`load_with`,
//! `load_all_with`) and describing the steps a drill would take (`plan`).
//!
//! The pipeline is bytes → text (`read`: UTF-8) → `raw` (serde, strict, spans kept, read on
//! past each structural error) → `validate` (defaults and cross-field checks) → `model`; every
//! problem becomes a `Diagnostic` at file:line:column, all of a file's at once.
//! Fault kinds are read against a `FaultCatalog` given as a type parameter: the kinds live
//! above this layer (`faults/`), and the `load` module above hands their registry in.

pub mod catalog;
mod diagnostics;
mod fault;
mod fill;
pub mod model;
mod plan;
mod raw;
mod read;
pub mod template;
#[cfg(test)]
mod tests;
mod validate;
mod write;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub use catalog::{FaultCatalog, FaultSpec, Param, ParamType};
pub use diagnostics::{Diagnostic, ScenarioError};
pub use fault::RELEASE;
pub use fill::{rfc3339, LONGEST_TEXT, TIMESTAMP_DEFAULT};
pub use model::*;
pub(crate) use plan::plan;
pub use raw::scenario_schema;
pub use template::{Context, Fill, Part, Shape, Template};
pub use validate::{image_problem, APP_ALIAS, DB_ALIAS, DB_PLACEHOLDERS};
pub use write::to_toml;

use diagnostics::Source;
use validate::Validated;

/// Reads and validates one scenario file, its faults against the kinds of `C`.
pub(crate) fn load_with<C: FaultCatalog>(path: &Path) -> Result<Scenario, ScenarioError> {
    load_one::<C>(path).map(|v| v.scenario)
}

/// Reads a scenario file, or every `*.toml` directly inside a folder (by name; names starting
/// with `_` are skipped, for shared drafts). All files are validated before anything is
/// returned, so a caller starts no drill while any file is invalid; errors come from every
/// bad file, and two scenarios may not share a name.
pub(crate) fn load_all_with<C: FaultCatalog>(
    path: &Path,
) -> Result<Vec<Scenario>, Vec<ScenarioError>> {
    let files = if path.is_dir() {
        scenario_files(path).map_err(|e| vec![e])?
    } else {
        vec![path.to_path_buf()]
    };
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    let mut names: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files {
        match load_one::<C>(&file) {
            Ok(Validated {
                scenario,
                name_position: (line, column),
            }) => {
                if let Some(first) = names.get(&scenario.name) {
                    let message = format!(
                        "scenario name `{}` is already used by {}",
                        scenario.name,
                        first.display()
                    );
                    let diagnostic = Diagnostic {
                        file: file.clone(),
                        line,
                        column,
                        key: "name".into(),
                        message,
                    };
                    errors.push(ScenarioError::Invalid {
                        diagnostics: vec![diagnostic],
                    });
                    continue;
                }
                names.insert(scenario.name.clone(), file);
                scenarios.push(scenario);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(scenarios)
    } else {
        Err(errors)
    }
}

fn load_one<C: FaultCatalog>(path: &Path) -> Result<Validated, ScenarioError> {
    load_text::<C>(path, &read::text(path)?)
}

/// Parses and validates `text` as if read from `path` (relative paths resolve against its folder).
pub(crate) fn load_text<C: FaultCatalog>(
    path: &Path,
    text: &str,
) -> Result<Validated, ScenarioError> {
    let src = Source { file: path, text };
    let parsed = raw::parse::<C>(&src);
    let mut diagnostics = parsed.diagnostics;
    // The parts that did parse are judged too, but not what a repair could have changed.
    if let Some(raw) = parsed.raw {
        match validate::validate(raw, &src) {
            Ok(v) if diagnostics.is_empty() => return Ok(v),
            Ok(_) => {}
            Err(found) => diagnostics.extend(
                found
                    .into_iter()
                    .filter(|d| !parsed.repaired.iter().any(|r| raw::echoes(&d.key, r))),
            ),
        }
    }
    // The author reads the file top to bottom.
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Err(ScenarioError::Invalid { diagnostics })
}

fn scenario_files(dir: &Path) -> Result<Vec<PathBuf>, ScenarioError> {
    let read_error = |io| ScenarioError::Read {
        path: dir.to_path_buf(),
        io,
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.extension().is_some_and(|e| e == "toml") && !name.starts_with('_') && path.is_file()
        {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(ScenarioError::Empty {
            path: dir.to_path_buf(),
        });
    }
    files.sort();
    Ok(files)
}
