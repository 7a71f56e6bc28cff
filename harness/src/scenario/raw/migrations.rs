//! A release's `migrations` as written: a string (a sqlx folder, or `"self"`) or a table of
//! commands. Read by hand so the table's values keep their spans (serde's untagged enums
//! would buffer them and lose the positions validation points at).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, value::MapAccessDeserializer, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::{DurationText, EnvTable, S};

/// `migrations = "path"` or `[releases.<name>.migrations]` with commands.
#[derive(Debug)]
pub(crate) enum RawMigrations {
    /// A folder path, or `self`.
    Text(String),
    /// A migration tool's commands.
    Commands(Box<RawCommands>),
}

/// `[releases.<name>.migrations]`: the commands that migrate the release up, down and report
/// its version. `folder` is read only to refuse it: a release's migrations are a folder or
/// commands, never both.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "MigrationCommands")]
pub(crate) struct RawCommands {
    #[schemars(with = "Vec<String>")]
    pub up: S<Vec<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub down: Option<S<Vec<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub version: Option<S<Vec<String>>>,
    #[schemars(with = "Option<String>")]
    pub image: Option<S<String>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub env: EnvTable,
    #[schemars(with = "Option<String>")]
    pub workdir: Option<S<String>>,
    #[schemars(with = "Option<DurationText>")]
    pub timeout: Option<S<DurationText>>,
    #[schemars(skip)]
    pub folder: Option<S<String>>,
}

impl<'de> Deserialize<'de> for RawMigrations {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = RawMigrations;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a migrations folder, \"self\", or a table of commands (up, down, version...)",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawMigrations, E> {
                Ok(RawMigrations::Text(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawMigrations, A::Error> {
                let commands = RawCommands::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RawMigrations::Commands(Box::new(commands)))
            }
        }
        d.deserialize_any(Either)
    }
}

impl JsonSchema for RawMigrations {
    fn schema_name() -> Cow<'static, str> {
        "Migrations".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let commands = generator.subschema_for::<RawCommands>();
        json_schema!({
            "description": "A sqlx migrations folder, \"self\", or a migration tool's commands.",
            "anyOf": [{ "type": "string" }, commands],
        })
    }
}
