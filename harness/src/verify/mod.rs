//! Oracles run after a rollback, one file each, and the `Verdict` they add up to.

mod verdict;

pub use verdict::Verdict;
