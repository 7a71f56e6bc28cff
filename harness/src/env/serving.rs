//! `ServingLog`: which release served the workload from which instant, so each request can be
//! attributed to the release that answered it (by the instant it was sent), not to the phase
//! in which its answer happened to arrive.

use std::time::Instant;

/// The releases that served, in order, each from the instant traffic was cut over to it.
#[derive(Debug, Clone, Default)]
pub struct ServingLog {
    since: Vec<(Instant, String)>,
}

impl ServingLog {
    /// Traffic moved to `release` at `at`.
    pub fn record(&mut self, at: Instant, release: &str) {
        self.since.push((at, release.to_string()));
    }

    /// The release serving a request sent at `at`; `None` before the first cut-over.
    pub fn release_at(&self, at: Instant) -> Option<&str> {
        self.since
            .iter()
            .rev()
            .find(|(from, _)| *from <= at)
            .map(|(_, r)| r.as_str())
    }

    /// The last cut-over at or after `at`: from then on the release that ends the drill
    /// serves. `None` when traffic did not move after `at`.
    pub fn last_cut_over_since(&self, at: Instant) -> Option<(Instant, &str)> {
        self.since
            .last()
            .filter(|(from, _)| *from >= at)
            .map(|(from, r)| (*from, r.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_request_belongs_to_the_release_serving_when_it_was_sent() {
        let t0 = Instant::now();
        let s = |ms| t0 + Duration::from_millis(ms);
        let mut log = ServingLog::default();
        assert_eq!(log.release_at(s(5)), None);
        log.record(s(10), "baseline");
        log.record(s(100), "bad");
        log.record(s(300), "baseline");
        assert_eq!(log.release_at(s(5)), None);
        assert_eq!(log.release_at(s(10)), Some("baseline"));
        assert_eq!(log.release_at(s(299)), Some("bad"));
        assert_eq!(log.release_at(s(300)), Some("baseline"));
        assert_eq!(log.last_cut_over_since(s(200)), Some((s(300), "baseline")));
        assert_eq!(log.last_cut_over_since(s(301)), None);
    }
}
