//! `ServingLog`: which release served the workload from which instant, so each request can be
//! attributed to the release that answered it (by the instant it was sent), not to the phase
//! in which its answer happened to arrive.

use std::time::Instant;

/// The releases that served, in order, each from the instant traffic was cut over to it.
#[derive(Debug, Clone, Default)]
pub struct ServingLog {
    since: Vec<(Instant, String)>,
    /// Each image the drill served, with the release it was first served as: a tag moved
    /// later does not rename the build behind it.
    images: Vec<(String, String)>,
}

impl ServingLog {
    /// Traffic moved to `release`, running `image_id`, at `at`.
    pub fn record(&mut self, at: Instant, release: &str, image_id: &str) {
        self.since.push((at, release.to_string()));
        // A release's build is the one it first served: a later, different build started
        // under its name (a moved tag) is not that release.
        let known = self
            .images
            .iter()
            .any(|(id, r)| id == image_id || r == release);
        if !known {
            self.images
                .push((image_id.to_string(), release.to_string()));
        }
    }

    /// The release an image was first served as; `None` for a build the drill never served.
    pub fn release_of(&self, image_id: &str) -> Option<&str> {
        self.images
            .iter()
            .find(|(id, _)| id == image_id)
            .map(|(_, r)| r.as_str())
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
        log.record(s(10), "baseline", "sha256:b");
        log.record(s(100), "bad", "sha256:x");
        // The baseline tag moved to the bad build: it is still the bad build.
        log.record(s(300), "baseline", "sha256:x");
        assert_eq!(log.release_of("sha256:x"), Some("bad"));
        assert_eq!(log.release_of("sha256:b"), Some("baseline"));
        assert_eq!(log.release_of("sha256:new"), None);
        assert_eq!(log.release_at(s(5)), None);
        assert_eq!(log.release_at(s(10)), Some("baseline"));
        assert_eq!(log.release_at(s(299)), Some("bad"));
        assert_eq!(log.release_at(s(300)), Some("baseline"));
        assert_eq!(log.last_cut_over_since(s(200)), Some((s(300), "baseline")));
        assert_eq!(log.last_cut_over_since(s(301)), None);
        log.record(s(400), "baseline", "sha256:y");
        assert_eq!(
            log.release_of("sha256:y"),
            None,
            "another build under baseline's name"
        );
    }
}
