//! The drill's timestamped events (`Timeline`), split at the rollback decision into the deploy
//! timeline and the rollback timeline, and the recovery figures computed from them.

mod events;
mod figures;

pub use events::{Event, EventKind, Segment, Timeline};
pub use figures::{Figures, Percentiles};

/// Serde helper: a `Duration` as fractional milliseconds.
pub mod millis {
    use std::time::Duration;

    use serde::Serializer;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64((d.as_secs_f64() * 1_000_000.0).round() / 1000.0)
    }
}

/// Serde helper: an `Option<Duration>` as fractional milliseconds or null.
pub mod opt_millis {
    use std::time::Duration;

    use serde::Serializer;

    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::millis::serialize(d, s),
            None => s.serialize_none(),
        }
    }
}

/// Formats a duration for people: `1.234s` or `87.3ms`.
pub fn human(d: std::time::Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.3}s", ms / 1000.0)
    } else {
        format!("{ms:.1}ms")
    }
}
