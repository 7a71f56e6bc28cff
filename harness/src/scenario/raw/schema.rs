//! The JSON Schema of scenario files, derived (schemars) from the raw types serde reads them
//! with, so the schema cannot drift from the reader. Written by hand here only for the types
//! whose reading is hand-written: durations as text, tables kept in file order, and
//! `[[fault]]` tables, whose keys come from the fault catalog the file is read against.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use super::{DurationText, Ordered, RawFault, RawScenario};
use crate::scenario::catalog::{fault_keys, FaultCatalog, ParamType};
use crate::vocab::Phase;

/// The schema of a scenario file whose `[[fault]]` kinds are those of `C`.
pub fn scenario_schema<C: FaultCatalog>() -> Value {
    let schema = schemars::schema_for!(RawScenario<C>);
    let mut value = schema.to_value();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "title".into(),
            json!("rollcage scenario (scenarios/reference.toml documents every key)"),
        );
    }
    value
}

fn duration() -> Value {
    json!({
        "type": "string",
        "description": "A duration such as \"20s\", \"150ms\" or \"1m 30s\".",
        "pattern": "^\\s*\\d",
    })
}

impl JsonSchema for DurationText {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::try_from(duration()).unwrap_or_default()
    }
}

impl<V: JsonSchema> JsonSchema for Ordered<V> {
    fn schema_name() -> Cow<'static, str> {
        format!("Table_of_{}", V::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<V>();
        json_schema!({ "type": "object", "additionalProperties": value })
    }
}

impl<C: FaultCatalog> JsonSchema for RawFault<C> {
    fn schema_name() -> Cow<'static, str> {
        "Fault".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let kinds: Vec<&str> = C::specs().iter().map(|s| s.kind.as_str()).collect();
        let phases: Vec<&str> = Phase::ALL.iter().map(|p| p.as_str()).collect();
        let mut properties = Map::new();
        for (name, ty) in fault_keys(C::specs()) {
            let schema = match (name, ty) {
                ("at", _) => json!({ "type": "string", "enum": phases }),
                ("kind", _) => json!({ "type": "string", "enum": kinds }),
                (_, Some(ParamType::Release)) => {
                    json!({ "type": "string", "description": "A key of [releases]." })
                }
                (_, Some(ParamType::Duration { .. })) => duration(),
                (_, Some(ParamType::Count { at_least, .. })) => {
                    let min = at_least.map_or(0, |(n, _)| n);
                    json!({ "type": "integer", "minimum": min })
                }
                (_, None) => json!({}),
            };
            properties.insert(name.to_string(), schema);
        }
        let value = json!({
            "type": "object",
            "description": "Which keys each kind takes is checked when the file is validated.",
            "properties": properties,
            "required": ["at", "kind"],
            "additionalProperties": false,
        });
        Schema::try_from(value).unwrap_or_default()
    }
}
