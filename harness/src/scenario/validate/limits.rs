//! Upper bounds on the numbers a scenario gives, checked before anything starts: a drill
//! sized past them never finishes, or holds more than one machine can (`rate = 1000000`).
//! Durations are bounded in `Checker::duration` (at most `LONGEST`).

use std::time::Duration;

use super::super::raw::{DurationText, S};
use super::Checker;

/// Requests per second the workload can sustain from one process.
pub const MOST_RATE: u32 = 20_000;
/// Requests in flight at once.
pub const MOST_CONCURRENCY: u32 = 1_024;
/// A request's timeout: past a minute, a hung request is a finding, not a slow answer.
pub const LONGEST_REQUEST: Duration = Duration::from_secs(60);
/// A request kind's relative weight in a mix.
pub const MOST_WEIGHT: u32 = 1_000;
/// Samples an automatic trigger keeps (`of`).
pub const MOST_SAMPLES: u32 = 1_000;

impl Checker<'_> {
    /// A whole number from 1 to `most`, `default` when absent or out of bounds; `unit`
    /// follows the bound in the message (" requests per second").
    pub(super) fn bounded(
        &mut self,
        value: Option<&S<u32>>,
        key: &str,
        default: u32,
        bound: (u32, &str),
    ) -> u32 {
        let Some(v) = value else { return default };
        if *v.get_ref() == 0 {
            self.error(v.span(), key, "must be at least 1");
            return default;
        }
        if self.at_most(v, key, bound) {
            *v.get_ref()
        } else {
            default
        }
    }

    /// Whether `v` is at most `most`; reported when it is not.
    pub(super) fn at_most(&mut self, v: &S<u32>, key: &str, (most, unit): (u32, &str)) -> bool {
        let n = *v.get_ref();
        if n > most {
            let message = format!("{n} is more than a drill allows (at most {most}{unit})");
            self.error(v.span(), key, message);
        }
        n <= most
    }

    /// A duration no longer than `longest` (and than any duration may be).
    pub(super) fn short_duration(
        &mut self,
        value: Option<&S<DurationText>>,
        key: &str,
        default: Duration,
        longest: Duration,
    ) -> Duration {
        let d = self.duration(value, key, default, false);
        match value {
            Some(v) if d > longest => {
                let message = format!(
                    "`{}` is longer than a drill allows here (at most {})",
                    v.get_ref().0,
                    humantime::format_duration(longest)
                );
                self.error(v.span(), key, message);
                default
            }
            _ => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::validate::tests::{problem, MANUAL, MINIMAL};

    fn traffic(keys: &str) -> String {
        format!("{MINIMAL}{MANUAL}").replace(
            "[traffic.write]",
            &format!("[traffic]\n{keys}\n[traffic.write]"),
        )
    }

    #[test]
    fn rate_and_concurrency_have_upper_bounds() {
        let (line, column, key, message) = problem(&traffic("rate = 1000000"));
        assert_eq!((line, column, key.as_str()), (11, 8, "traffic.rate"));
        assert_eq!(
            message,
            "1000000 is more than a drill allows (at most 20000 requests per second)"
        );
        let (_, _, key, message) = problem(&traffic("concurrency = 5000"));
        assert_eq!(key, "traffic.concurrency");
        assert_eq!(
            message,
            "5000 is more than a drill allows (at most 1024 requests in flight)"
        );
        let (_, _, key, message) = problem(&traffic("rate = 0"));
        assert_eq!(
            (key.as_str(), message.as_str()),
            ("traffic.rate", "must be at least 1")
        );
        assert!(super::super::tests::inline(&traffic("rate = 20000\nconcurrency = 1024")).is_ok());
    }

    #[test]
    fn request_timeout_weight_and_samples_have_upper_bounds() {
        let (_, column, key, message) = problem(&traffic("request-timeout = \"2h\""));
        assert_eq!((column, key.as_str()), (19, "traffic.request-timeout"));
        assert_eq!(
            message,
            "`2h` is longer than a drill allows here (at most 1m)"
        );
        let mix = MINIMAL.replace(
            "[traffic.read-back]",
            "[[traffic.request]]\nkind = \"plain\"\npath = \"/health\"\nweight = 1001\n\
             [traffic.read-back]",
        );
        let found = super::super::tests::problems(&format!("{mix}{MANUAL}"));
        let weight = found.iter().find(|d| d.key == "traffic.request[0].weight");
        assert_eq!(
            weight.map(|d| (d.line, d.message.as_str())),
            Some((17, "1001 is more than a drill allows (at most 1000)")),
            "{found:#?}"
        );
        let auto = MANUAL.replace(
            "kind = \"manual\"",
            "kind = \"auto\"\nneed = 1\nof = 100000\nconditions = [{ error-rate-above = 0.5 }]",
        );
        let (_, _, key, message) = problem(&format!("{MINIMAL}{auto}"));
        assert_eq!(key, "rollback.trigger.of");
        assert_eq!(
            message,
            "100000 is more than a drill allows (at most 1000 samples)"
        );
    }

    #[test]
    fn a_zero_budget_and_port_zero_are_refused() {
        let zero = format!("{MINIMAL}{MANUAL}").replace("budget = \"30s\"", "budget = \"0s\"");
        let (_, _, key, message) = problem(&zero);
        assert_eq!(
            (key.as_str(), message.as_str()),
            ("rollback.budget", "must be longer than zero")
        );
        let port = format!("{MINIMAL}{MANUAL}").replace("[database]\n", "[database]\nport = 0\n");
        let (line, column, key, message) = problem(&port);
        assert_eq!((line, column, key.as_str()), (2, 8, "database.port"));
        assert_eq!(message, "port 0 cannot be connected to");
        let high =
            format!("{MINIMAL}{MANUAL}").replace("[database]\n", "[database]\nport = 70000\n");
        let (_, _, key, message) = problem(&high);
        assert_eq!(key, "database.port");
        assert_eq!(
            message,
            "integer 70000 is out of range; expected a port from 1 to 65535"
        );
    }

    #[test]
    fn text_lengths_past_the_longest_are_refused() {
        let long = MINIMAL.replace("\"acct-{seq}\"", "\"{text 20000}\"");
        let (_, _, key, message) = problem(&format!("{long}{MANUAL}"));
        assert_eq!(key, "traffic.write.json");
        assert!(
            message.contains("20000 characters is longer than 10000"),
            "{message}"
        );
    }
}
