//! `RunId` and the `org.rollcage.*` labels every resource rollcage creates carries.
//!
//! Cleanup selects by these labels only, so nothing rollcage did not create is ever touched.

use std::collections::HashMap;
use std::fmt;

/// Identifies every container, network and image a run creates.
pub const LABEL_RUN: &str = "org.rollcage.run";
/// The process that owns the run, so `rollcage gc` can tell dead runs from live ones.
pub const LABEL_PID: &str = "org.rollcage.pid";
/// What a container is for in the drill (db, app, service...).
pub const LABEL_ROLE: &str = "org.rollcage.role";
/// The host the owning process runs on: a sweep judges only its own host's runs.
pub const LABEL_HOST: &str = "org.rollcage.host";
/// The kernel's start time of the owning pid, so a reused pid is not taken for the owner.
pub const LABEL_PID_START: &str = "org.rollcage.pid-start";
/// When the run started (seconds since the Unix epoch): other hosts' runs expire by age.
pub const LABEL_STARTED: &str = "org.rollcage.started";
/// On a run's tag record (a labelled volume): the `repo:tag` the run points at a shared
/// image. A tag has no labels of its own, so this record is how cleanup finds it by label.
pub const LABEL_TAG: &str = "org.rollcage.tag";

/// A short unique id per run: `rc` + 10 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(String);

impl RunId {
    /// A fresh random id.
    pub fn generate() -> Self {
        let raw = uuid::Uuid::new_v4().simple().to_string();
        RunId(format!("rc{}", &raw[..10]))
    }

    /// The id as text (`rc` + 10 hex digits).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Labels every resource of this run carries.
    pub fn labels(&self) -> HashMap<String, String> {
        let mut labels = super::owner::Owner::labels_of_this_process();
        labels.insert(LABEL_RUN.to_string(), self.0.clone());
        labels
    }

    /// Docker list filter selecting this run's resources.
    pub fn filter(&self) -> HashMap<String, Vec<String>> {
        HashMap::from([("label".to_string(), vec![format!("{LABEL_RUN}={}", self.0)])])
    }
}

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_are_unique_and_short() {
        let a = RunId::generate();
        let b = RunId::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 12);
        assert_eq!(a.labels()[LABEL_RUN], a.as_str());
        assert_eq!(a.labels()[LABEL_PID], std::process::id().to_string());
        assert!(a.labels().contains_key(LABEL_HOST));
        assert_eq!(a.filter()["label"], vec![format!("org.rollcage.run={a}")]);
    }
}
