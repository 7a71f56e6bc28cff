//! Lint and preflight findings rendered for people (`human`: source lines and remedies), for
//! tools (JSON) and for CI (JUnit), in the format the command line picks; and the counts
//! that decide the exit code.

mod human;
mod machine;
#[cfg(test)]
mod tests;

pub use human::{brief, human};
pub use machine::{json, json_groups, junit};

use serde::Serialize;

use super::{Finding, Severity};

/// The JUnit suite of a lint run.
pub const JUNIT_SUITE: &str = "rollcage lint";

/// How findings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text for people: each finding with its source line and remedy.
    Human,
    /// A JSON document, for tools.
    Json,
    /// A JUnit XML report, for CI.
    Junit,
}

/// Why findings could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The JUnit XML could not be serialized.
    #[error("encoding the JUnit report")]
    Junit(#[source] quick_junit::SerializeError),
}

/// Findings per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Findings of severity error.
    pub error: usize,
    /// Findings of severity warning.
    pub warning: usize,
    /// Findings of severity info.
    pub info: usize,
}

impl Counts {
    /// Counts `findings` by severity.
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Error => c.error += 1,
                Severity::Warning => c.warning += 1,
                Severity::Info => c.info += 1,
            }
        }
        c
    }
}

/// Whether any finding the scenario does not account for (declared, expected, silenced) is
/// at or above `fail_on`: what makes `lint` and `preflight` exit 1.
pub fn fails(findings: &[Finding], fail_on: Severity) -> bool {
    findings
        .iter()
        .any(|f| f.severity >= fail_on && f.disposition.is_none())
}

/// The findings of one scenario's preflight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The scenario's name (the JUnit suite).
    #[serde(rename = "scenario")]
    pub name: String,
    /// The scenario file, as displayed.
    pub file: String,
    /// The line above its findings for people: `mutable-tag (baseline -> expand, code-only)`.
    #[serde(skip)]
    pub heading: String,
    /// What its preflight found.
    pub findings: Vec<Finding>,
}

/// A lint run's findings as text in `format`.
pub fn render_lint(
    format: Format,
    findings: &[Finding],
    fail_on: Severity,
    colour: bool,
) -> Result<String, RenderError> {
    match format {
        Format::Human => {
            let mut text = Vec::new();
            human(&mut text, findings, fail_on, colour).expect("writing to memory");
            Ok(String::from_utf8_lossy(&text).into_owned())
        }
        Format::Json => Ok(json(findings, fail_on) + "\n"),
        Format::Junit => {
            let group = Group {
                name: JUNIT_SUITE.into(),
                file: String::new(),
                heading: String::new(),
                findings: findings.to_vec(),
            };
            junit(&[group], fail_on).map_err(RenderError::Junit)
        }
    }
}

/// Preflight's findings, scenario by scenario, as text in `format`.
pub fn render_preflight(
    format: Format,
    groups: &[Group],
    fail_on: Severity,
    colour: bool,
) -> Result<String, RenderError> {
    match format {
        Format::Human => {
            let mut text = Vec::new();
            for g in groups {
                text.extend(format!("● {}\n", g.heading).into_bytes());
                human(&mut text, &g.findings, fail_on, colour).expect("writing to memory");
                text.push(b'\n');
            }
            Ok(String::from_utf8_lossy(&text).into_owned())
        }
        Format::Json => Ok(json_groups(groups, fail_on) + "\n"),
        Format::Junit => junit(groups, fail_on).map_err(RenderError::Junit),
    }
}
