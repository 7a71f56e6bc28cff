//! `Check`: a request the drill sends at a named point — after the deploy, before the
//! rollback, or after it — with the statuses it must get, and optionally a value saved from
//! its answer for later checks (`{saved NAME}`), so "write on the new release, read it back on
//! the restored one" can be written.

use super::{Body, Phase};
use crate::scenario::template::Template;

/// The points a check may run at, in drill order.
pub const CHECK_POINTS: [Phase; 3] = [
    Phase::AfterDeploy,
    Phase::BeforeRollback,
    Phase::DuringVerification,
];

/// One `[[check]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Its name, which `{saved NAME}` refers to (`check[i]` when none is given).
    pub name: String,
    /// When it runs: one of `CHECK_POINTS` (default: after the rollback).
    pub at: Phase,
    /// HTTP method, upper case (default `GET`).
    pub method: String,
    /// Request path template.
    pub path: Template,
    /// Request body template.
    pub body: Body,
    /// Status codes that count as a pass (default `[200]`).
    pub expect_status: Vec<u16>,
    /// A JSON pointer into the answer whose value is saved under the check's name.
    pub save: Option<String>,
}

impl Check {
    /// The names of the checks whose saved values this one uses.
    pub fn uses(&self) -> Vec<&str> {
        let fills = self.path.fills().chain(
            match &self.body {
                Body::Json(t) | Body::Form(t) => Some(t.fills()),
                Body::None => None,
            }
            .into_iter()
            .flatten(),
        );
        fills
            .filter_map(|f| match f {
                crate::scenario::Fill::Saved(name) => Some(name.as_str()),
                _ => None,
            })
            .collect()
    }
}
