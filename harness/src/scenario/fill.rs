//! One placeholder: what it fills in (`Fill`), read from its inside (`int 1..100`,
//! `choice a|b`) by `fill`, or the reason it cannot be (`FillError`), worded for the author.

use std::time::UNIX_EPOCH;

use crate::vocab::Generator;

/// The longest `{text}` a template may ask for, in characters: bodies stay small enough to
/// generate in microseconds.
pub const LONGEST_TEXT: u32 = 10_000;

/// `{timestamp}` without a range: the Unix epoch to the last second a signed 32-bit
/// `time_t` holds, the two edges where date handling most often breaks.
pub const TIMESTAMP_DEFAULT: (u64, u64) = (0, i32::MAX as u64);

/// The latest timestamp that can be written (9999-12-31T23:59:59Z).
const LATEST: u64 = 253_402_300_799;

/// What a placeholder fills in. Ranges are inclusive at both ends.
#[derive(Debug, Clone, PartialEq)]
pub enum Fill {
    /// `{seq}`: the request's sequence number.
    Seq,
    /// `{run}`: the run id.
    Run,
    /// `{key}`: the key of an earlier acknowledged write.
    Key,
    /// `{saved NAME}`: what the check named NAME saved from its answer.
    Saved(String),
    /// `{int LO..HI}`.
    Int {
        /// Lowest value.
        lo: i64,
        /// Highest value.
        hi: i64,
    },
    /// `{choice a|b|c}`: the values, in the order written (never empty).
    Choice(Vec<String>),
    /// `{bool}`.
    Bool,
    /// `{text MIN..MAX}` or `{text N}`: text of that many characters.
    Text {
        /// Fewest characters.
        min: u32,
        /// Most characters.
        max: u32,
    },
    /// `{uuid}`.
    Uuid,
    /// `{email}`.
    Email,
    /// `{timestamp}` or `{timestamp FROM..TO}`, as seconds since the Unix epoch.
    Timestamp {
        /// Earliest second.
        lo: u64,
        /// Latest second.
        hi: u64,
    },
}

impl Fill {
    /// The generator this fill is written with.
    pub fn generator(&self) -> Generator {
        match self {
            Fill::Seq => Generator::Seq,
            Fill::Run => Generator::Run,
            Fill::Key => Generator::Key,
            Fill::Saved(_) => Generator::Saved,
            Fill::Int { .. } => Generator::Int,
            Fill::Choice(_) => Generator::Choice,
            Fill::Bool => Generator::Bool,
            Fill::Text { .. } => Generator::Text,
            Fill::Uuid => Generator::Uuid,
            Fill::Email => Generator::Email,
            Fill::Timestamp { .. } => Generator::Timestamp,
        }
    }
}

/// Why a placeholder's inside is not a fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillError {
    /// No generator has this name.
    Unknown(String),
    /// A known generator the template may not use.
    NotHere(Generator),
    /// A known generator whose arguments are wrong, and why.
    Bad(Generator, String),
}

/// Reads `inner` (the text between the braces) as a fill allowed in `allowed`.
pub fn fill(inner: &str, allowed: &[Generator]) -> Result<Fill, FillError> {
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(inner.len());
    let (name, args) = (&inner[..name_len], inner[name_len..].trim());
    let generator: Generator = name
        .parse()
        .map_err(|_| FillError::Unknown(name.to_string()))?;
    if !allowed.contains(&generator) {
        return Err(FillError::NotHere(generator));
    }
    let bad = |why: String| FillError::Bad(generator, why);
    let none = |fill: Fill| {
        if args.is_empty() {
            Ok(fill)
        } else {
            Err(bad(format!("takes nothing after its name; found `{args}`")))
        }
    };
    match generator {
        Generator::Seq => none(Fill::Seq),
        Generator::Run => none(Fill::Run),
        Generator::Key => none(Fill::Key),
        Generator::Saved => {
            let named = !args.is_empty()
                && args
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            match named {
                true => Ok(Fill::Saved(args.to_string())),
                false => Err(bad(format!(
                    "needs the name of a check that saves a value, as in {{saved order}}; found `{args}`"
                ))),
            }
        }
        Generator::Bool => none(Fill::Bool),
        Generator::Uuid => none(Fill::Uuid),
        Generator::Email => none(Fill::Email),
        Generator::Int => {
            let (lo, hi) = range(args, "an integer range such as {int 1..100}", |t| {
                t.parse::<i64>()
                    .map_err(|_| format!("`{t}` is not an integer"))
            })
            .map_err(bad)?;
            Ok(Fill::Int { lo, hi })
        }
        Generator::Text => {
            let length = |t: &str| match t.parse::<u32>() {
                Ok(n) if n <= LONGEST_TEXT => Ok(n),
                Ok(n) => Err(format!("{n} characters is longer than {LONGEST_TEXT}")),
                Err(_) => Err(format!("`{t}` is not a length in characters")),
            };
            let need = "a length such as {text 0..20} or {text 8}";
            let (min, max) = if args.contains("..") {
                range(args, need, length).map_err(bad)?
            } else if args.is_empty() {
                return Err(bad(format!("needs {need}")));
            } else {
                let n = length(args).map_err(bad)?;
                (n, n)
            };
            Ok(Fill::Text { min, max })
        }
        Generator::Choice => {
            if args.is_empty() {
                return Err(bad("needs at least one value, as in {choice a|b|c}".into()));
            }
            let values: Vec<String> = args.split('|').map(|v| v.trim().to_string()).collect();
            if let Some(i) = values.iter().position(String::is_empty) {
                return Err(bad(format!(
                    "has an empty value (number {}); list values between `|`",
                    i + 1
                )));
            }
            Ok(Fill::Choice(values))
        }
        Generator::Timestamp if args.is_empty() => {
            let (lo, hi) = TIMESTAMP_DEFAULT;
            Ok(Fill::Timestamp { lo, hi })
        }
        Generator::Timestamp => {
            let need = "a range such as {timestamp 2020-01-01..2030-12-31T23:59:59Z}";
            let (lo, hi) = range(args, need, instant).map_err(bad)?;
            Ok(Fill::Timestamp { lo, hi })
        }
    }
}

/// `LO..HI`, both ends read by `one`, and `LO <= HI`.
fn range<T: PartialOrd + std::fmt::Display>(
    args: &str,
    need: &str,
    one: impl Fn(&str) -> Result<T, String>,
) -> Result<(T, T), String> {
    let Some((lo, hi)) = args.split_once("..") else {
        return Err(if args.is_empty() {
            format!("needs {need}")
        } else {
            format!("`{args}` is not {need}")
        });
    };
    let (lo, hi) = (lo.trim(), hi.trim());
    if lo.is_empty() || hi.is_empty() {
        return Err(format!(
            "`{args}` is an empty range; give both ends, as in {need}"
        ));
    }
    let (lo, hi) = (one(lo)?, one(hi)?);
    if lo > hi {
        return Err(format!(
            "`{args}` is an inverted range: {lo} is above {hi}; write the lower end first"
        ));
    }
    Ok((lo, hi))
}

/// A date (`2020-01-01`, midnight UTC) or an RFC 3339 time, as seconds since the epoch.
fn instant(text: &str) -> Result<u64, String> {
    let full = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_string()
    };
    let early = || format!("`{text}` is before 1970-01-01, the earliest time it writes");
    if text
        .get(..4)
        .and_then(|y| y.parse::<u32>().ok())
        .is_some_and(|y| y < 1970)
    {
        return Err(early());
    }
    let not = || format!("`{text}` is not a date (2020-01-01) or an RFC 3339 time");
    let at = humantime::parse_rfc3339_weak(&full).map_err(|_| not())?;
    let secs = at
        .duration_since(UNIX_EPOCH)
        .map_err(|_| early())?
        .as_secs();
    if secs > LATEST {
        return Err(format!("`{text}` is after 9999-12-31T23:59:59Z"));
    }
    Ok(secs)
}

/// A timestamp as RFC 3339 UTC text with whole seconds (`2020-01-01T00:00:00Z`).
pub fn rfc3339(secs: u64) -> String {
    let at = UNIX_EPOCH + std::time::Duration::from_secs(secs.min(LATEST));
    humantime::format_rfc3339_seconds(at).to_string()
}
