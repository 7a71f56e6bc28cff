//! `rollcage init`'s starter scenario: a commented file built from the two release images,
//! the migrations folders, the app's port and health path, with a write/read workload on
//! `/items` for the user to edit. It is validated by rollcage's own loader before it is
//! written, and an existing file is only replaced when asked.

use std::fs;
use std::path::{Path, PathBuf};

use crate::scenario::{Scenario, ScenarioError};
use crate::vocab::chain;

/// What `rollcage init` was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Starter {
    /// The image of the release running now, rolled back to.
    pub from: String,
    /// The release candidate's image.
    pub to: String,
    /// The release candidate's sqlx migrations folder.
    pub migrations: Option<PathBuf>,
    /// The running release's migrations folder (a checkout of its tag).
    pub from_migrations: Option<PathBuf>,
    /// The port the app listens on in its container.
    pub port: u16,
    /// The path probed for health.
    pub health: String,
}

/// Why no starter was written.
#[derive(Debug, thiserror::Error)]
pub enum StarterError {
    /// The file is there and `--force` was not given.
    #[error("{} exists; --force replaces it", .0.display())]
    Exists(PathBuf),
    /// A folder the starter names does not exist.
    #[error("{what} {} does not exist", path.display())]
    Missing {
        /// Which folder.
        what: &'static str,
        /// As given.
        path: PathBuf,
    },
    /// What was given does not make a valid scenario (an image name, a health path).
    #[error("the starter for these arguments is not a valid scenario: {}", chain(.0))]
    Invalid(#[source] ScenarioError),
    /// Writing the file failed.
    #[error("writing {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl Starter {
    /// Writes the starter to `out` (replacing a file there only with `force`) and returns the
    /// scenario it loads as.
    pub fn write(&self, out: &Path, force: bool) -> Result<Scenario, StarterError> {
        if out.exists() && !force {
            return Err(StarterError::Exists(out.to_path_buf()));
        }
        let dir = out
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(StarterError::Missing {
                what: "folder",
                path: dir.to_path_buf(),
            });
        }
        let name = out
            .file_stem()
            .map_or("starter".into(), |s| s.to_string_lossy().into_owned());
        let text = self.render(&name, dir)?;
        let scenario = Scenario::from_toml_str(&text, dir).map_err(StarterError::Invalid)?;
        fs::write(out, text).map_err(|source| StarterError::Write {
            path: out.to_path_buf(),
            source,
        })?;
        Ok(scenario)
    }

    /// The starter's text, named `name`, its relative paths resolved from `dir`.
    pub fn render(&self, name: &str, dir: &Path) -> Result<String, StarterError> {
        let folder = |what, p: &Option<PathBuf>| -> Result<String, StarterError> {
            match p {
                None => Ok(String::new()),
                Some(p) => Ok(format!(
                    "migrations = {}\n",
                    quote(&relative(what, p, dir)?)
                )),
            }
        };
        let to_migrations = folder("migrations folder", &self.migrations)?;
        let from_migrations = match &self.from_migrations {
            Some(_) => folder("migrations folder", &self.from_migrations)?,
            None if self.migrations.is_some() => "# The running release's own migrations folder \
                 (a checkout of its tag), so the drill\n# starts from its schema; without it the \
                 deploy applies every migration above.\n# migrations = \"...\"\n"
                .to_string(),
            None => String::new(),
        };
        Ok(template::TEMPLATE
            .replace("{name}", &quote(name))
            .replace("{from}", &quote(&self.from))
            .replace("{to}", &quote(&self.to))
            .replace("{port}", &self.port.to_string())
            .replace("{health}", &quote(&self.health))
            .replace("{from_migrations}", &from_migrations)
            .replace("{to_migrations}", &to_migrations))
    }
}

/// A TOML basic string: quoted, with quotes, backslashes and control characters escaped.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// `path` as the scenario file in `dir` must write it: relative to `dir` where one exists.
fn relative(what: &'static str, path: &Path, dir: &Path) -> Result<String, StarterError> {
    let missing = || StarterError::Missing {
        what,
        path: path.to_path_buf(),
    };
    let target = path.canonicalize().map_err(|_| missing())?;
    if !target.is_dir() {
        return Err(missing());
    }
    let base = dir.canonicalize().map_err(|_| missing())?;
    let rel = pathdiff::diff_paths(&target, &base).unwrap_or(target);
    Ok(rel.to_string_lossy().into_owned())
}

mod template;
#[cfg(test)]
mod tests;
