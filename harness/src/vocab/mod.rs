//! The vocabulary every layer shares, as pure data: `Verdict`, `Oracle`, `OracleStatus`,
//! `Step`, `Strategy`, `Phase`, `FaultKind`, `Status`, `ImageRef`, `Generator`,
//! `RequestKind`, `Rule` and `Layout`, each spelled once by the `vocabulary!` tables, plus
//! the text helpers (`millis`, `human`, `chain`) reports and errors share. It imports nothing
//! from the rest of the crate.

mod layout;
mod table;
mod text;

pub use layout::Layout;
pub use table::{
    FaultKind, Generator, ImageRef, Oracle, OracleStatus, Phase, RequestKind, Rule, Status, Step,
    Strategy, Verdict,
};
pub use text::{chain, human, millis, one_of, opt_millis};

/// A name that is not in a vocabulary: which vocabulary, what was written, and what would do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{given}`; expected one of {}", expected.join(", "))]
pub struct UnknownName {
    /// `verdict`, `oracle`, `fault kind`, ...
    pub what: &'static str,
    /// The name as written.
    pub given: String,
    /// Every name the vocabulary has.
    pub expected: Vec<&'static str>,
}

/// What every vocabulary enum offers generically (validation looks names up through it).
pub trait Vocabulary: Copy + Sized + 'static {
    /// Every value, in declaration order.
    fn all() -> &'static [Self];
    /// The value's one spelling.
    fn name(self) -> &'static str;
    /// `(spelling, value)` for every value, in declaration order.
    fn table() -> Vec<(&'static str, Self)> {
        Self::all().iter().map(|v| (v.name(), *v)).collect()
    }
}

/// Generates a kebab-case vocabulary enum: `ALL`, `as_str`, `Display`, `FromStr`
/// (`UnknownName` for anything else), and serde both ways with the same spelling.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident ($what:literal) {
        $($(#[$vmeta:meta])* $variant:ident = $text:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The one spelling used in scenario files, reports and signatures.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// Every spelling, in declaration order.
            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl $crate::vocab::Vocabulary for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn name(self) -> &'static str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    $crate::vocab::UnknownName {
                        what: $what,
                        given: s.to_string(),
                        expected: Self::names(),
                    }
                })
            }
        }

        // The JSON Schema of a name: one of its spellings (scenario files' schema uses it).
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let names = Self::names();
                schemars::json_schema!({ "type": "string", "enum": names })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use vocabulary;
