//! Release and service names, checked before anything starts: a release's name goes into image
//! tags and container names, and a service's name is its host name on the drill's network, so
//! it cannot be one another container already answers to.

use std::collections::BTreeSet;
use std::ops::Range;

use super::super::diagnostics::quote_key;
use super::super::raw::S;
use super::Checker;

/// The network alias the database answers to from the app's side.
pub const DB_ALIAS: &str = "db";
/// The network alias of the serving app.
pub const APP_ALIAS: &str = "app";

/// The longest name a DNS label (and so a network alias) may be.
const LONGEST_NAME: usize = 63;

impl Checker<'_> {
    /// A `[releases.NAME]` key: safe in an image tag, a container name and a DNS alias.
    pub(super) fn release_name(&mut self, name: &str, span: Range<usize>) {
        let key = format!("releases.{}", quote_key(name));
        let first = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
        let rest = |c: char| first(c) || matches!(c, '_' | '.' | '-');
        let ok = name.starts_with(first) && name.chars().all(rest);
        if !ok || name.len() > LONGEST_NAME {
            let message = format!(
                "`{name}` cannot name a release: it goes into image tags and container names, \
                 so it takes lowercase letters, digits, `_`, `.` and `-`, starts with a letter \
                 or digit, and is at most {LONGEST_NAME} characters"
            );
            self.error(span, &key, message);
        }
    }

    /// A `[[service]]` name: its host name on the drill network, unique among the containers
    /// there. `taken` holds the names given so far.
    pub(super) fn service_name(
        &mut self,
        name: &S<String>,
        key: &str,
        taken: &mut BTreeSet<String>,
    ) {
        let (span, text) = (name.span(), name.get_ref());
        let first = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
        let ok = text.starts_with(first)
            && text.chars().all(|c| first(c) || c == '-')
            && !text.ends_with('-')
            && text.len() <= LONGEST_NAME;
        if !ok {
            let message = format!(
                "a service name is its host name: lowercase letters, digits and `-`, starting \
                 and ending with a letter or digit, at most {LONGEST_NAME} characters"
            );
            self.error(span, key, message);
        } else if let Some(role) = [(DB_ALIAS, "database"), (APP_ALIAS, "app")]
            .into_iter()
            .find(|(alias, _)| *alias == text.as_str())
            .map(|(_, role)| role)
        {
            let message = format!("`{text}` is the {role}'s host name on the drill network; name the service otherwise");
            self.error(span, key, message);
        } else if !taken.insert(text.clone()) {
            self.error(
                span,
                key,
                format!("another service is already named `{text}`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::validate::tests::{inline, problem, problems, MANUAL, MINIMAL};

    fn service(name: &str) -> String {
        format!("{MINIMAL}{MANUAL}[[service]]\nname = \"{name}\"\nimage = \"redis:7\"\n")
    }

    #[test]
    fn release_names_fit_in_tags_and_container_names() {
        let text = format!("{MINIMAL}{MANUAL}")
            .replace("[releases.expand]", "[releases.\"Base Line!\"]")
            .replace("to = \"expand\"", "to = \"Base Line!\"");
        let (line, column, key, message) = problem(&text);
        assert_eq!(
            (line, column, key.as_str()),
            (5, 1, "releases.\"Base Line!\"")
        );
        assert!(
            message.starts_with("`Base Line!` cannot name a release: it goes into image tags"),
            "{message}"
        );
        let long = "r".repeat(64);
        let text = format!("{MINIMAL}{MANUAL}")
            .replace("[releases.expand]", &format!("[releases.{long}]"))
            .replace("to = \"expand\"", &format!("to = \"{long}\""));
        assert_eq!(problem(&text).2, format!("releases.{long}"));
        let fine = format!("{MINIMAL}{MANUAL}")
            .replace("[releases.expand]", "[releases.\"v2_0.1-rc\"]")
            .replace("to = \"expand\"", "to = \"v2_0.1-rc\"");
        assert!(inline(&fine).is_ok());
    }

    #[test]
    fn a_service_cannot_take_the_database_or_app_host_name() {
        let (line, column, key, message) = problem(&service("db"));
        assert_eq!((line, column, key.as_str()), (22, 8, "service[0].name"));
        assert_eq!(
            message,
            "`db` is the database's host name on the drill network; name the service otherwise"
        );
        assert!(problem(&service("app"))
            .3
            .starts_with("`app` is the app's host name"));
        assert!(inline(&service("cache-1")).is_ok());
    }

    #[test]
    fn service_names_are_host_names_and_unique() {
        for bad in ["-cache", "cache-", "Cache", "ca_che", &"c".repeat(64)] {
            let (_, _, key, message) = problem(&service(bad));
            assert_eq!(key, "service[0].name", "{bad}");
            assert!(
                message.starts_with("a service name is its host name"),
                "{bad}: {message}"
            );
        }
        let twice = format!(
            "{}[[service]]\nname = \"cache\"\nimage = \"redis:7\"\n",
            service("cache")
        );
        let found = problems(&twice);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            (found[0].key.as_str(), found[0].message.as_str()),
            (
                "service[1].name",
                "another service is already named `cache`"
            )
        );
    }
}
