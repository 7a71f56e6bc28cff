//! The scenario file's shape as serde reads it: strict (unknown keys are errors), values kept
//! as written with their spans, so validation can check meaning and point at the exact spot.
//!
//! Enumerations, durations and cross-references stay strings here on purpose: checking them
//! in validation reports every bad one at once instead of stopping at the first.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::catalog::FaultCatalog;
use super::diagnostics::{Diagnostic, Source};
use crate::vocab::{ImageRef, Oracle, Rule, Step, Strategy, Verdict};

mod fault;
mod migrations;
mod repair;
mod schema;
mod syntax;
mod text;
mod traffic;

pub(crate) use fault::{RawFault, RawParam};
pub(crate) use migrations::{RawCommands, RawMigrations};
pub(crate) use repair::echoes;
pub use schema::scenario_schema;
pub(crate) use text::{DurationText, Ordered};
pub(crate) use traffic::{RawCheck, RawPointCheck, RawReadBack, RawRequest, RawTraffic};

/// A value with the byte span it was written at.
pub(crate) type S<T> = Spanned<T>;

/// Env-like tables: names to string values (spans kept for placeholder errors).
pub(crate) type EnvTable = BTreeMap<String, S<String>>;

/// What reading a file gave: every syntax and structural error, and the scenario as read
/// past them (None when the text is not TOML or could not be repaired).
pub(crate) struct Parsed<C> {
    pub raw: Option<RawScenario<C>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Key paths removed or stood in for while reading past errors.
    pub repaired: Vec<String>,
}

/// Reads a whole file, every structural error (syntax, unknown key, wrong type, missing key)
/// reported at once. `[[fault]]` tables are read against the kinds of `C`.
pub(crate) fn parse<C: FaultCatalog>(src: &Source) -> Parsed<C> {
    let doc = match syntax::document(src) {
        Ok(doc) => doc,
        Err(diagnostics) => {
            return Parsed {
                raw: None,
                diagnostics,
                repaired: Vec::new(),
            }
        }
    };
    let read = repair::read::<RawScenario<C>>(src, doc);
    Parsed {
        raw: read.value,
        diagnostics: read.diagnostics,
        repaired: read.repaired,
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    bound = "C: FaultCatalog"
)]
#[schemars(rename = "Scenario", bound = "C: FaultCatalog")]
pub(crate) struct RawScenario<C> {
    #[schemars(with = "Option<String>")]
    pub name: Option<S<String>>,
    #[serde(default)]
    pub description: String,
    #[schemars(with = "Option<Verdict>")]
    pub expect: Option<S<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<Oracle>")]
    pub expect_failing: Vec<S<String>>,
    #[schemars(with = "RawDatabase")]
    pub database: S<RawDatabase>,
    pub app: Option<RawApp>,
    #[serde(default, rename = "service")]
    #[schemars(with = "Vec<RawService>")]
    pub services: Vec<S<RawService>>,
    /// Each release spanned, so a bad name can be pointed at its table.
    #[schemars(with = "Ordered<RawRelease>")]
    pub releases: S<Ordered<S<RawRelease>>>,
    #[schemars(with = "RawDeploy")]
    pub deploy: S<RawDeploy>,
    #[schemars(with = "RawTraffic")]
    pub traffic: S<RawTraffic>,
    #[serde(default)]
    #[schemars(with = "Vec<RawCheck>")]
    pub smoke: Vec<S<RawCheck>>,
    #[serde(default, rename = "check")]
    #[schemars(with = "Vec<RawPointCheck>")]
    pub checks: Vec<S<RawPointCheck>>,
    #[schemars(with = "RawRollback")]
    pub rollback: S<RawRollback>,
    #[serde(default, rename = "fault")]
    #[schemars(with = "Vec<RawFault<C>>")]
    pub faults: Vec<S<RawFault<C>>>,
    #[serde(default)]
    pub allowed_loss: RawAllowedLoss,
    #[serde(default)]
    pub lint: RawLint,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Database")]
pub(crate) struct RawDatabase {
    #[schemars(with = "String")]
    pub image: S<String>,
    #[schemars(with = "Option<u16>")]
    pub port: Option<S<u16>>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub env: EnvTable,
    #[schemars(with = "Option<DurationText>")]
    pub ready_timeout: Option<S<DurationText>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "App")]
pub(crate) struct RawApp {
    #[schemars(with = "Option<u16>")]
    pub port: Option<S<u16>>,
    #[schemars(with = "Option<String>")]
    pub health: Option<S<String>>,
    #[schemars(with = "Option<DurationText>")]
    pub ready_timeout: Option<S<DurationText>>,
    #[schemars(with = "Option<DurationText>")]
    pub probe_interval: Option<S<DurationText>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub env: EnvTable,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Service")]
pub(crate) struct RawService {
    #[schemars(with = "String")]
    pub name: S<String>,
    #[schemars(with = "String")]
    pub image: S<String>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub env: EnvTable,
    #[serde(default)]
    pub cmd: Vec<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Release")]
pub(crate) struct RawRelease {
    #[schemars(with = "String")]
    pub image: S<String>,
    #[schemars(with = "Option<RawMigrations>")]
    pub migrations: Option<S<RawMigrations>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub env: EnvTable,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub flags: EnvTable,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Deploy")]
pub(crate) struct RawDeploy {
    #[schemars(with = "String")]
    pub from: S<String>,
    #[schemars(with = "String")]
    pub to: S<String>,
    #[schemars(with = "Option<DurationText>")]
    pub warmup: Option<S<DurationText>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Rollback")]
pub(crate) struct RawRollback {
    #[schemars(with = "Strategy")]
    pub strategy: S<String>,
    #[schemars(with = "Option<Vec<Step>>")]
    pub steps: Option<S<Vec<S<String>>>>,
    #[schemars(with = "Option<ImageRef>")]
    pub image_ref: Option<S<String>>,
    #[schemars(with = "DurationText")]
    pub budget: S<DurationText>,
    #[schemars(with = "RawTrigger")]
    pub trigger: S<RawTrigger>,
}

/// Both trigger kinds' keys; validation rejects keys that belong to the other kind.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Trigger")]
pub(crate) struct RawTrigger {
    #[schemars(with = "String")]
    pub kind: S<String>,
    #[schemars(with = "Option<DurationText>")]
    pub after: Option<S<DurationText>>,
    #[schemars(with = "Option<DurationText>")]
    pub window: Option<S<DurationText>>,
    #[schemars(with = "Option<DurationText>")]
    pub every: Option<S<DurationText>>,
    #[schemars(with = "Option<u32>")]
    pub need: Option<S<u32>>,
    #[schemars(with = "Option<u32>")]
    pub of: Option<S<u32>>,
    #[schemars(with = "Option<DurationText>")]
    pub give_up_after: Option<S<DurationText>>,
    #[schemars(with = "Option<Vec<RawCondition>>")]
    pub conditions: Option<S<Vec<S<RawCondition>>>>,
}

/// `{ error-rate-above = 0.05 }` or `{ p99-above = "200ms" }`: exactly one key.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Condition")]
pub(crate) struct RawCondition {
    #[schemars(with = "Option<f64>")]
    pub error_rate_above: Option<S<f64>>,
    #[schemars(with = "Option<DurationText>")]
    pub p99_above: Option<S<DurationText>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "AllowedLoss")]
pub(crate) struct RawAllowedLoss {
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub fields: Vec<S<String>>,
    #[serde(default)]
    pub writes_since_snapshot: bool,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tables: Vec<S<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub columns: Vec<S<String>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Lint")]
pub(crate) struct RawLint {
    #[serde(default)]
    pub accept_widening: bool,
    #[serde(default)]
    #[schemars(with = "Vec<RawSilence>")]
    pub allow: Vec<S<RawSilence>>,
}

/// One `[[lint.allow]]`: a rule and the reason it does not apply.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Silence")]
pub(crate) struct RawSilence {
    #[schemars(with = "Rule")]
    pub rule: S<String>,
    #[schemars(with = "Option<String>")]
    pub reason: Option<S<String>>,
}
