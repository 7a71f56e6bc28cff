//! Text shared by every layer: durations as milliseconds for serde (`millis`, `opt_millis`,
//! both ways, so a JSON report reads back) and for people (`human`), and an error with its
//! causes on one line (`chain`).

use std::time::Duration;

/// Serde helper: a `Duration` as fractional milliseconds.
pub mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes `d` as milliseconds with microsecond precision.
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64((d.as_secs_f64() * 1_000_000.0).round() / 1000.0)
    }

    /// Reads what `serialize` wrote: milliseconds, to the microsecond. A negative, infinite or
    /// absurd number is an error, not a panic.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        from_ms(f64::deserialize(d)?).map_err(serde::de::Error::custom)
    }

    /// `ms` milliseconds, rounded to the microsecond.
    pub fn from_ms(ms: f64) -> Result<Duration, String> {
        let micros = (ms * 1000.0).round();
        // Beyond u64 microseconds (585 000 years) no drill ran.
        if !(0.0..=u64::MAX as f64).contains(&micros) {
            return Err(format!("{ms} is not a duration in milliseconds"));
        }
        Ok(Duration::from_micros(micros as u64))
    }
}

/// Serde helper: an `Option<Duration>` as fractional milliseconds or null.
pub mod opt_millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes `d` as milliseconds, or null when absent.
    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::millis::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    /// Reads what `serialize` wrote: milliseconds or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        Option::<f64>::deserialize(d)?
            .map(super::millis::from_ms)
            .transpose()
            .map_err(serde::de::Error::custom)
    }
}

/// Formats a duration for people: `1.234s` or `87.3ms`.
pub fn human(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.3}s", ms / 1000.0)
    } else {
        format!("{ms:.1}ms")
    }
}

/// The one of `names` that `text` is, for a field the report writes as one of a few fixed
/// names.
pub fn one_of(text: &str, names: &[&'static str]) -> Result<&'static str, String> {
    names
        .iter()
        .copied()
        .find(|n| *n == text)
        .ok_or_else(|| format!("`{text}` is not one of {}", names.join(", ")))
}

/// An error with its causes, `: `-joined.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_for_people() {
        assert_eq!(human(Duration::from_micros(87_300)), "87.3ms");
        assert_eq!(human(Duration::from_millis(1234)), "1.234s");
    }

    #[test]
    fn milliseconds_read_back_to_the_microsecond() {
        let d = Duration::from_micros(1_234_567);
        let json = serde_json::to_string(&Wrapped(d)).unwrap();
        assert_eq!(json, "1234.567");
        let back: Wrapped = serde_json::from_str(&json).unwrap();
        assert_eq!(back.0, d);
        for bad in ["-1", "1e300", "\"12\""] {
            assert!(serde_json::from_str::<Wrapped>(bad).is_err(), "{bad}");
        }
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Wrapped(#[serde(with = "millis")] Duration);

    #[test]
    fn causes_are_joined() {
        let io = std::io::Error::other("disk gone");
        #[derive(Debug, thiserror::Error)]
        #[error("writing report")]
        struct W(#[source] std::io::Error);
        assert_eq!(chain(&W(io)), "writing report: disk gone");
    }
}
