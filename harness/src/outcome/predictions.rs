//! `PredictionTable`: preflight's findings held against what one drill observed — each
//! predicted hazard with its status, each failing oracle or step with the rules that
//! predicted it. Preflight computes it (`preflight::compare`); reports render it.

use serde::{Deserialize, Serialize};

use crate::lint::{Rule, Severity};

/// Both directions of the comparison for one drill.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PredictionTable {
    /// Each predicted hazard, with whether the drill confirmed it.
    pub predictions: Vec<Prediction>,
    /// Each failing oracle or failed step, with the rules that predicted it.
    pub observations: Vec<Observation>,
}

/// One predicted hazard (a finding at warning or above) and what the drill made of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The lint or preflight rule that found the hazard.
    pub rule: Rule,
    /// How serious the finding is (warning or above).
    #[serde(deserialize_with = "super::read::severity")]
    pub severity: Severity,
    /// `file:line` of the finding.
    pub location: String,
    /// Whether the drill bore the prediction out.
    pub status: PredictionStatus,
    /// The observation that decided the status.
    pub evidence: String,
}

/// What a drill made of one predicted hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PredictionStatus {
    /// The drill failed the way the finding predicted.
    Confirmed,
    /// The drill took the hazard's path and did not fail that way.
    NotConfirmed,
    /// The drill never took the path the hazard is on (e.g. no migrate-down ran).
    NotExercised,
}

impl PredictionStatus {
    /// The status as reports spell it: `confirmed`, `not confirmed` or `not exercised`.
    pub fn as_str(self) -> &'static str {
        match self {
            PredictionStatus::Confirmed => "confirmed",
            PredictionStatus::NotConfirmed => "not confirmed",
            PredictionStatus::NotExercised => "not exercised",
        }
    }
}

/// One failing oracle or failed step, and the rules that predicted it (none: unpredicted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    /// `oracle` or `step`.
    pub kind: &'static str,
    /// The oracle's or step's name.
    pub name: String,
    /// The first line of its message.
    pub detail: String,
    /// Rules whose findings predicted it; empty when none did.
    pub predicted_by: Vec<Rule>,
}

/// An `Observation` as the JSON report writes it, its kind still text.
#[derive(Deserialize)]
struct ObservationJson {
    kind: String,
    name: String,
    detail: String,
    predicted_by: Vec<Rule>,
}

// By hand: derived, serde would take the `&'static str` as borrowed from the input.
impl<'de> Deserialize<'de> for Observation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ObservationJson::deserialize(d)?
            .try_into()
            .map_err(serde::de::Error::custom)
    }
}

impl TryFrom<ObservationJson> for Observation {
    type Error = String;
    fn try_from(j: ObservationJson) -> Result<Observation, String> {
        Ok(Observation {
            kind: crate::vocab::one_of(&j.kind, &["oracle", "step"])?,
            name: j.name,
            detail: j.detail,
            predicted_by: j.predicted_by,
        })
    }
}

impl PredictionTable {
    /// Observations no finding predicted.
    pub fn unpredicted(&self) -> Vec<&Observation> {
        self.observations
            .iter()
            .filter(|o| o.predicted_by.is_empty())
            .collect()
    }
}
