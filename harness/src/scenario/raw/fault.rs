//! A `[[fault]]` table as serde reads it: `at`, `kind`, and the keys the catalog's kinds
//! take, each read with the type its kind declares. Keys no kind takes are refused here, like
//! an unknown key in any other table; which keys belong to which kind is checked in validation.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::{DurationText, S};
use crate::scenario::catalog::{fault_keys, FaultCatalog, ParamType};

/// One `[[fault]]` table, read against the kinds of `C`.
pub(crate) struct RawFault<C> {
    pub at: S<String>,
    pub kind: S<String>,
    /// Every other key, in file order.
    pub params: Vec<(&'static str, S<RawParam>)>,
    catalog: PhantomData<fn() -> C>,
}

/// A parameter's value as written, typed as its key is declared.
#[derive(Debug, Clone)]
pub(crate) enum RawParam {
    Text(String),
    Duration(DurationText),
    Count(u32),
}

impl<C> RawFault<C> {
    pub fn param(&self, name: &str) -> Option<&S<RawParam>> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

type Keys = Vec<(&'static str, Option<ParamType>)>;

impl<'de, C: FaultCatalog> Deserialize<'de> for RawFault<C> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(Table::<C>(PhantomData))
    }
}

struct Table<C>(PhantomData<fn() -> C>);

impl<'de, C: FaultCatalog> Visitor<'de> for Table<C> {
    type Value = RawFault<C>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // As serde says it for a derived struct, so the author reads "expected a table".
        f.write_str("struct RawFault")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFault<C>, A::Error> {
        let keys = fault_keys(C::specs());
        let (mut at, mut kind, mut params) = (None, None, Vec::new());
        while let Some((name, ty)) = map.next_key_seed(Key(&keys))? {
            match (name, ty) {
                ("at", _) => at = Some(map.next_value()?),
                ("kind", _) => kind = Some(map.next_value()?),
                (_, Some(ty)) => params.push((name, value(&mut map, ty)?)),
                (_, None) => {}
            }
        }
        Ok(RawFault {
            at: at.ok_or_else(|| de::Error::missing_field("at"))?,
            kind: kind.ok_or_else(|| de::Error::missing_field("kind"))?,
            params,
            catalog: PhantomData,
        })
    }
}

fn value<'de, A: MapAccess<'de>>(map: &mut A, ty: ParamType) -> Result<S<RawParam>, A::Error> {
    Ok(match ty {
        ParamType::Release => {
            let v: S<String> = map.next_value()?;
            S::new(v.span(), RawParam::Text(v.into_inner()))
        }
        ParamType::Duration { .. } => {
            let v: S<DurationText> = map.next_value()?;
            S::new(v.span(), RawParam::Duration(v.into_inner()))
        }
        ParamType::Count { .. } => {
            let v: S<u32> = map.next_value()?;
            S::new(v.span(), RawParam::Count(v.into_inner()))
        }
    })
}

/// Reads a key and refuses it, at the key, unless some kind takes it.
struct Key<'a>(&'a Keys);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = (&'static str, Option<ParamType>);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let name = String::deserialize(d)?;
        if let Some(found) = self.0.iter().find(|(k, _)| *k == name) {
            return Ok(*found);
        }
        // serde's own wording for an unknown field, which diagnostics rewrite for the author.
        let expected: Vec<String> = self.0.iter().map(|(k, _)| format!("`{k}`")).collect();
        Err(de::Error::custom(format!(
            "unknown field `{name}`, expected one of {}",
            expected.join(", ")
        )))
    }
}
