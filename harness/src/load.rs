//! The scenario loaders with the real fault kinds: `Scenario::load`, `Scenario::load_all`,
//! `Scenario::from_toml_str` and `Scenario::plan` read against `faults::Registry`.
//!
//! They live above `faults` because the scenario layer sits below it: `scenario` knows fault
//! kinds only through the `FaultCatalog` it is handed.

use std::path::Path;

use crate::faults::Registry;
use crate::scenario::{self, Scenario, ScenarioError};

/// The file name `from_toml_str` reads text as, inside its base folder.
const INLINE: &str = "inline.toml";

impl Scenario {
    /// Reads and validates one scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        scenario::load_with::<Registry>(path)
    }

    /// Reads a scenario file, or every `*.toml` directly inside a folder (by name; names
    /// starting with `_` are skipped, for shared drafts). All files are validated before
    /// anything is returned, so a caller starts no drill while any file is invalid; errors
    /// come from every bad file, and two scenarios may not share a name.
    pub fn load_all(path: &Path) -> Result<Vec<Scenario>, Vec<ScenarioError>> {
        scenario::load_all_with::<Registry>(path)
    }

    /// Validates `text` as a scenario file `inline.toml` in `base_dir`: relative paths resolve
    /// against `base_dir`, diagnostics name that file, and the name defaults to `inline`.
    pub fn from_toml_str(text: &str, base_dir: &Path) -> Result<Scenario, ScenarioError> {
        scenario::load_text::<Registry>(&base_dir.join(INLINE), text).map(|v| v.scenario)
    }

    /// The JSON Schema of scenario files, fault kinds and their keys included.
    pub fn schema() -> serde_json::Value {
        scenario::scenario_schema::<Registry>()
    }

    /// Numbered steps a drill of this scenario would take, one per line, ending with the
    /// expected verdict.
    pub fn plan(&self) -> String {
        scenario::plan::<Registry>(self)
    }
}
