//! Text shared by every layer: durations as milliseconds for serde (`millis`, `opt_millis`)
//! and for people (`human`), and an error with its causes on one line (`chain`).

use std::time::Duration;

/// Serde helper: a `Duration` as fractional milliseconds.
pub mod millis {
    use std::time::Duration;

    use serde::Serializer;

    /// Serializes `d` as milliseconds with microsecond precision.
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64((d.as_secs_f64() * 1_000_000.0).round() / 1000.0)
    }
}

/// Serde helper: an `Option<Duration>` as fractional milliseconds or null.
pub mod opt_millis {
    use std::time::Duration;

    use serde::Serializer;

    /// Serializes `d` as milliseconds, or null when absent.
    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::millis::serialize(d, s),
            None => s.serialize_none(),
        }
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
    fn causes_are_joined() {
        let io = std::io::Error::other("disk gone");
        #[derive(Debug, thiserror::Error)]
        #[error("writing report")]
        struct W(#[source] std::io::Error);
        assert_eq!(chain(&W(io)), "writing report: disk gone");
    }
}
