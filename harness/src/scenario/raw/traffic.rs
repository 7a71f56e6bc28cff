//! The `[traffic]` table and the requests in it (`[traffic.write]`, `[[traffic.request]]`,
//! `[traffic.read-back]`) and `[[smoke]]` requests, as serde reads them: strict, spans kept.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{DurationText, S};
use crate::vocab::RequestKind;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Traffic")]
pub(crate) struct RawTraffic {
    #[schemars(with = "Option<u32>")]
    pub rate: Option<S<u32>>,
    #[schemars(with = "Option<u32>")]
    pub concurrency: Option<S<u32>>,
    #[schemars(with = "Option<DurationText>")]
    pub request_timeout: Option<S<DurationText>>,
    #[schemars(with = "Option<DurationText>")]
    pub observe_after: Option<S<DurationText>>,
    #[schemars(with = "Option<u64>")]
    pub seed: Option<S<u64>>,
    /// The one write of a single-write workload; `[[traffic.request]]` tables instead give a mix.
    #[schemars(with = "Option<RawWrite>")]
    pub write: Option<S<RawWrite>>,
    #[serde(default, rename = "request")]
    #[schemars(with = "Vec<RawRequest>")]
    pub requests: Vec<S<RawRequest>>,
    #[schemars(with = "RawReadBack")]
    pub read_back: S<RawReadBack>,
}

/// One `[[traffic.request]]`: every kind's keys; validation refuses those of other kinds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Request")]
pub(crate) struct RawRequest {
    #[schemars(with = "RequestKind")]
    pub kind: S<String>,
    #[schemars(with = "Option<u32>")]
    pub weight: Option<S<u32>>,
    #[schemars(with = "Option<String>")]
    pub method: Option<S<String>>,
    #[schemars(with = "String")]
    pub path: S<String>,
    #[schemars(with = "Option<String>")]
    pub json: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub form: Option<S<String>>,
    #[schemars(with = "Option<Vec<u16>>")]
    pub ack_status: Option<S<Vec<S<u16>>>>,
    #[schemars(with = "Option<String>")]
    pub key: Option<S<String>>,
    #[schemars(with = "Option<Vec<u16>>")]
    pub expect_status: Option<S<Vec<S<u16>>>>,
}

/// One `[[check]]`: a request with a name, a point to run at, and a value to save.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "PointCheck")]
pub(crate) struct RawPointCheck {
    #[schemars(with = "Option<String>")]
    pub name: Option<S<String>>,
    /// after-deploy, before-rollback or during-verification.
    #[schemars(with = "Option<String>")]
    pub at: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub method: Option<S<String>>,
    #[schemars(with = "String")]
    pub path: S<String>,
    #[schemars(with = "Option<String>")]
    pub json: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub form: Option<S<String>>,
    #[schemars(with = "Option<Vec<u16>>")]
    pub expect_status: Option<S<Vec<S<u16>>>>,
    #[schemars(with = "Option<String>")]
    pub save: Option<S<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Write")]
pub(crate) struct RawWrite {
    #[schemars(with = "Option<String>")]
    pub method: Option<S<String>>,
    #[schemars(with = "String")]
    pub path: S<String>,
    #[schemars(with = "Option<String>")]
    pub json: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub form: Option<S<String>>,
    #[schemars(with = "Option<Vec<u16>>")]
    pub ack_status: Option<S<Vec<S<u16>>>>,
    #[schemars(with = "String")]
    pub key: S<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "ReadBack")]
pub(crate) struct RawReadBack {
    #[schemars(with = "Option<String>")]
    pub method: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub path: Option<S<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub fields: Option<S<Vec<S<String>>>>,
    #[schemars(with = "Option<String>")]
    pub sql: Option<S<String>>,
}

/// One `[[smoke]]` request.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Check")]
pub(crate) struct RawCheck {
    #[schemars(with = "Option<String>")]
    pub method: Option<S<String>>,
    #[schemars(with = "String")]
    pub path: S<String>,
    #[schemars(with = "Option<String>")]
    pub json: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub form: Option<S<String>>,
    #[schemars(with = "Option<Vec<u16>>")]
    pub expect_status: Option<S<Vec<S<u16>>>>,
}
