//! The drill's timestamped events (`Timeline`), split at the rollback decision into the deploy
//! timeline and the rollback timeline, and the recovery figures computed from them.

mod events;
mod figures;

pub use events::{Event, EventKind, Segment, Timeline};
pub use figures::{Figures, Percentiles, WindowStats};
