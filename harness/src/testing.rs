//! Rollback drills as Rust tests: start from a scenario (a file, or TOML text), give the
//! releases, extra services and database as testcontainers images (any [`Image`]: its name,
//! tag and environment) or as image references, run the drill against the Docker Engine, and
//! assert on the verdict and the oracles of the [`DrillOutcome`] it returns.
//!
//! ```no_run
//! use rollcage::testing::{Drill, GenericImage};
//! use rollcage::vocab::{Oracle, Verdict};
//!
//! # async fn drill() -> Result<(), rollcage::testing::TestingError> {
//! let outcome = Drill::from_file("scenarios/notnull-code-only.toml")?
//!     .release("baseline", &GenericImage::new("rollcage/ledger", "baseline"))?
//!     .release("notnull", &GenericImage::new("rollcage/ledger", "notnull"))?
//!     .run()
//!     .await?;
//! assert_eq!(outcome.verdict, Verdict::RestoredBadState);
//! assert!(outcome.failing_oracles().contains(&Oracle::Smoke));
//! # Ok(())
//! # }
//! ```
//!
//! rollcage starts every container itself, in the drill's own sandbox and with its labels, so
//! an image's ready conditions give way to the scenario's health probe; its name, tag and
//! environment are what a drill takes from it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

pub use testcontainers::{GenericImage, Image};

use crate::outcome::DrillOutcome;
use crate::rollback::DrillError;
use crate::runtime::{Engine, RuntimeError};
use crate::scenario::{image_problem, Scenario, ScenarioError};

/// A drill being set up in a test: a scenario and what the test put in place of its images.
#[derive(Debug, Clone)]
pub struct Drill {
    scenario: Scenario,
}

/// Why a drill in a test could not be set up or run. A drill that ran and gave a verdict is
/// never an error: the verdict is in the outcome.
#[derive(Debug, thiserror::Error)]
pub enum TestingError {
    /// The scenario file or text is not valid.
    #[error("the scenario is not valid")]
    Scenario(#[source] ScenarioError),
    /// The scenario names no release or service by that name.
    #[error("the scenario has no {what} named `{name}`")]
    Unknown {
        /// `release` or `service`.
        what: &'static str,
        /// The name asked for.
        name: String,
    },
    /// The image given is not a reference Docker accepts.
    #[error("`{reference}` is not an image reference Docker accepts: {why}")]
    Image {
        /// The reference built from the image's name and tag.
        reference: String,
        /// What is wrong with it.
        why: String,
    },
    /// The Docker Engine could not be reached.
    #[error("connecting to the Docker Engine")]
    Engine(#[source] RuntimeError),
    /// The harness, the engine or the scenario's environment stopped the drill.
    #[error("the drill could not run")]
    Drill(#[source] DrillError),
}

impl Drill {
    /// Starts from the scenario file at `path`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Drill, TestingError> {
        let scenario = Scenario::load(path.as_ref()).map_err(TestingError::Scenario)?;
        Ok(Drill { scenario })
    }

    /// Starts from scenario text; relative paths in it resolve against `base_dir`.
    pub fn from_toml(text: &str, base_dir: impl AsRef<Path>) -> Result<Drill, TestingError> {
        let scenario =
            Scenario::from_toml_str(text, base_dir.as_ref()).map_err(TestingError::Scenario)?;
        Ok(Drill { scenario })
    }

    /// Runs release `name` from `image`, with the image's environment under the scenario's
    /// own (the scenario's value wins where both set one).
    pub fn release(mut self, name: &str, image: &impl Image) -> Result<Drill, TestingError> {
        let reference = reference(image)?;
        let r = self.scenario.releases.iter_mut().find(|r| r.name == name);
        let r = r.ok_or_else(|| unknown("release", name))?;
        r.image = reference;
        under(&mut r.env, image);
        Ok(self)
    }

    /// Runs release `name` from the image reference `reference` (`repo:tag`).
    pub fn release_named(self, name: &str, reference: &str) -> Result<Drill, TestingError> {
        let image = named(reference)?;
        self.release(name, &image)
    }

    /// Runs the extra service `name` from `image`, its environment as for a release.
    pub fn service(mut self, name: &str, image: &impl Image) -> Result<Drill, TestingError> {
        let reference = reference(image)?;
        let s = self.scenario.services.iter_mut().find(|s| s.name == name);
        let s = s.ok_or_else(|| unknown("service", name))?;
        s.image = reference;
        under(&mut s.env, image);
        Ok(self)
    }

    /// Runs the database from `image` (a PostgreSQL image taking `POSTGRES_USER`,
    /// `POSTGRES_PASSWORD` and `POSTGRES_DB`), its environment as for a release.
    pub fn database(mut self, image: &impl Image) -> Result<Drill, TestingError> {
        self.scenario.database.image = reference(image)?;
        under(&mut self.scenario.database.env, image);
        Ok(self)
    }

    /// Seeds the traffic's generated values: the same seed sends the same requests.
    pub fn seed(mut self, seed: u64) -> Drill {
        self.scenario.traffic.seed = Some(seed);
        self
    }

    /// The scenario as the test has set it up.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Runs the drill (preflight first) and removes everything it started.
    pub async fn run(self) -> Result<DrillOutcome, TestingError> {
        let engine = Engine::connect().await.map_err(TestingError::Engine)?;
        crate::runner::run_drill(&engine, &self.scenario)
            .await
            .map_err(TestingError::Drill)
    }
}

fn unknown(what: &'static str, name: &str) -> TestingError {
    TestingError::Unknown {
        what,
        name: name.to_string(),
    }
}

/// `name:tag` of `image` (`name` alone when the tag is empty), checked as Docker would.
fn reference(image: &impl Image) -> Result<String, TestingError> {
    let reference = match image.tag() {
        "" => image.name().to_string(),
        tag => format!("{}:{tag}", image.name()),
    };
    match image_problem(&reference) {
        Some(why) => Err(TestingError::Image { reference, why }),
        None => Ok(reference),
    }
}

/// A reference as a testcontainers image: `repo:tag`, or `repo` alone.
fn named(reference: &str) -> Result<GenericImage, TestingError> {
    if let Some(why) = image_problem(reference) {
        let reference = reference.to_string();
        return Err(TestingError::Image { reference, why });
    }
    let (name, tag) = match reference.rfind(':') {
        Some(i) if !reference[i + 1..].contains('/') => (&reference[..i], &reference[i + 1..]),
        _ => (reference, ""),
    };
    Ok(GenericImage::new(name, tag))
}

/// Adds `image`'s environment to `env` where `env` does not set the name already.
fn under(env: &mut BTreeMap<String, String>, image: &impl Image) {
    for (k, v) in image.env_vars() {
        let (k, v): (Cow<'_, str>, Cow<'_, str>) = (k.into(), v.into());
        env.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ledger() -> Drill {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Drill::from_file(root.join("scenarios/notnull-code-only.toml")).unwrap()
    }

    #[test]
    fn an_image_replaces_a_releases_reference() {
        let d = ledger()
            .release("notnull", &GenericImage::new("shop/api", "1.5.0-rc1"))
            .unwrap()
            .release_named("baseline", "registry.local:5000/shop/api:1.4.0")
            .unwrap();
        let s = d.scenario();
        assert_eq!(s.release("notnull").unwrap().image, "shop/api:1.5.0-rc1");
        assert_eq!(
            s.release("baseline").unwrap().image,
            "registry.local:5000/shop/api:1.4.0"
        );
    }

    #[test]
    fn unknown_names_and_bad_references_are_errors() {
        let e = ledger().release("nope", &GenericImage::new("a", "b"));
        assert!(matches!(
            e,
            Err(TestingError::Unknown {
                what: "release",
                ..
            })
        ));
        let e = ledger().service("cache", &GenericImage::new("a", "b"));
        assert!(matches!(
            e,
            Err(TestingError::Unknown {
                what: "service",
                ..
            })
        ));
        let e = ledger().release("notnull", &GenericImage::new("Shop/API", "x y"));
        let Err(TestingError::Image { reference, .. }) = e else {
            panic!("{e:?}")
        };
        assert_eq!(reference, "Shop/API:x y");
    }
}
