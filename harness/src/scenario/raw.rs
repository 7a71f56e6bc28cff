//! The scenario file's shape as serde reads it: strict (unknown keys are errors), values kept
//! as written with their spans, so validation can check meaning and point at the exact spot.
//!
//! Enumerations, durations and cross-references stay strings here on purpose: checking them
//! in validation reports every bad one at once instead of stopping at the first.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::catalog::FaultCatalog;
use super::diagnostics::{Diagnostic, Source};

mod fault;

pub(crate) use fault::{RawFault, RawParam};

/// A value with the byte span it was written at.
pub(crate) type S<T> = Spanned<T>;

/// Env-like tables: names to string values (spans kept for placeholder errors).
pub(crate) type EnvTable = BTreeMap<String, S<String>>;

/// Reads a whole file; the first structural error (syntax, unknown key, wrong type) is returned.
/// `[[fault]]` tables are read against the kinds of `C`.
pub(crate) fn parse<C: FaultCatalog>(src: &Source) -> Result<RawScenario<C>, Diagnostic> {
    let de = toml::Deserializer::parse(src.text).map_err(|e| src.toml_diagnostic(&e, None))?;
    serde_path_to_error::deserialize(de).map_err(|e| src.toml_diagnostic(e.inner(), Some(e.path())))
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    bound = "C: FaultCatalog"
)]
pub(crate) struct RawScenario<C> {
    pub name: Option<S<String>>,
    #[serde(default)]
    pub description: String,
    pub expect: Option<S<String>>,
    #[serde(default)]
    pub expect_failing: Vec<S<String>>,
    pub database: S<RawDatabase>,
    pub app: Option<RawApp>,
    #[serde(default, rename = "service")]
    pub services: Vec<S<RawService>>,
    pub releases: S<Ordered<RawRelease>>,
    pub deploy: S<RawDeploy>,
    pub traffic: S<RawTraffic>,
    #[serde(default)]
    pub smoke: Vec<S<RawCheck>>,
    #[serde(default, rename = "check")]
    pub checks: Vec<S<RawPointCheck>>,
    pub rollback: S<RawRollback>,
    #[serde(default, rename = "fault")]
    pub faults: Vec<S<RawFault<C>>>,
    #[serde(default)]
    pub allowed_loss: RawAllowedLoss,
    #[serde(default)]
    pub lint: RawLint,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawDatabase {
    pub image: S<String>,
    pub port: Option<S<u16>>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub env: EnvTable,
    pub ready_timeout: Option<S<DurationText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawApp {
    pub port: Option<S<u16>>,
    pub health: Option<S<String>>,
    pub ready_timeout: Option<S<DurationText>>,
    pub probe_interval: Option<S<DurationText>>,
    #[serde(default)]
    pub env: EnvTable,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawService {
    pub name: S<String>,
    pub image: S<String>,
    #[serde(default)]
    pub env: EnvTable,
    #[serde(default)]
    pub cmd: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawRelease {
    pub image: S<String>,
    pub migrations: Option<S<String>>,
    #[serde(default)]
    pub env: EnvTable,
    #[serde(default)]
    pub flags: EnvTable,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawDeploy {
    pub from: S<String>,
    pub to: S<String>,
    pub warmup: Option<S<DurationText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawTraffic {
    pub rate: Option<S<u32>>,
    pub concurrency: Option<S<u32>>,
    pub request_timeout: Option<S<DurationText>>,
    pub observe_after: Option<S<DurationText>>,
    pub seed: Option<S<u64>>,
    /// The one write of a single-write workload; `[[traffic.request]]` tables instead give a mix.
    pub write: Option<S<RawWrite>>,
    #[serde(default, rename = "request")]
    pub requests: Vec<S<RawRequest>>,
    pub read_back: S<RawReadBack>,
}

/// One `[[traffic.request]]`: every kind's keys; validation refuses those of other kinds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawRequest {
    pub kind: S<String>,
    pub weight: Option<S<u32>>,
    pub method: Option<S<String>>,
    pub path: S<String>,
    pub json: Option<S<String>>,
    pub form: Option<S<String>>,
    pub ack_status: Option<S<Vec<S<u16>>>>,
    pub key: Option<S<String>>,
    pub expect_status: Option<S<Vec<S<u16>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawWrite {
    pub method: Option<S<String>>,
    pub path: S<String>,
    pub json: Option<S<String>>,
    pub form: Option<S<String>>,
    pub ack_status: Option<S<Vec<S<u16>>>>,
    pub key: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawReadBack {
    pub method: Option<S<String>>,
    pub path: Option<S<String>>,
    pub fields: Option<S<Vec<S<String>>>>,
    pub sql: Option<S<String>>,
}

/// One `[[smoke]]` request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawCheck {
    pub method: Option<S<String>>,
    pub path: S<String>,
    pub json: Option<S<String>>,
    pub form: Option<S<String>>,
    pub expect_status: Option<S<Vec<S<u16>>>>,
}

/// One `[[check]]`: a smoke request with a name, a point to run at, and a value to save.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawPointCheck {
    pub name: Option<S<String>>,
    pub at: Option<S<String>>,
    pub method: Option<S<String>>,
    pub path: S<String>,
    pub json: Option<S<String>>,
    pub form: Option<S<String>>,
    pub expect_status: Option<S<Vec<S<u16>>>>,
    pub save: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawRollback {
    pub strategy: S<String>,
    pub steps: Option<S<Vec<S<String>>>>,
    pub image_ref: Option<S<String>>,
    pub budget: S<DurationText>,
    pub trigger: S<RawTrigger>,
}

/// Both trigger kinds' keys; validation rejects keys that belong to the other kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawTrigger {
    pub kind: S<String>,
    pub after: Option<S<DurationText>>,
    pub window: Option<S<DurationText>>,
    pub every: Option<S<DurationText>>,
    pub need: Option<S<u32>>,
    pub of: Option<S<u32>>,
    pub give_up_after: Option<S<DurationText>>,
    pub conditions: Option<S<Vec<S<RawCondition>>>>,
}

/// `{ error-rate-above = 0.05 }` or `{ p99-above = "200ms" }`: exactly one key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawCondition {
    pub error_rate_above: Option<S<f64>>,
    pub p99_above: Option<S<DurationText>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawAllowedLoss {
    #[serde(default)]
    pub fields: Vec<S<String>>,
    #[serde(default)]
    pub writes_since_snapshot: bool,
    #[serde(default)]
    pub tables: Vec<S<String>>,
    #[serde(default)]
    pub columns: Vec<S<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawLint {
    #[serde(default)]
    pub accept_widening: bool,
    #[serde(default)]
    pub allow: Vec<S<RawSilence>>,
}

/// One `[[lint.allow]]`: a rule and the reason it does not apply.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawSilence {
    pub rule: S<String>,
    pub reason: Option<S<String>>,
}

/// A duration as written ("20s", "150ms"). Only strings are accepted, so `budget = 30` reads
/// "expected a duration such as ..."; the text itself is parsed during validation.
#[derive(Debug, Clone)]
pub(crate) struct DurationText(pub String);

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = DurationText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as \"20s\" or \"150ms\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DurationText, E> {
                Ok(DurationText(v.to_string()))
            }
        }
        d.deserialize_str(Text)
    }
}

/// A table whose entries keep the order they were written in (toml's `preserve_order`).
#[derive(Debug)]
pub(crate) struct Ordered<V>(pub Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<V>, A::Error> {
                let mut entries = Vec::new();
                // Plain String keys (not Spanned) so serde_path_to_error can name them in paths.
                while let Some((key, value)) = map.next_entry::<String, V>()? {
                    entries.push((key, value));
                }
                Ok(Ordered(entries))
            }
        }
        d.deserialize_map(Entries(PhantomData))
    }
}
