//! TOML values for the scenario writer: strings with every escape, keys, lists, inline tables,
//! durations, and paths relative to where the file will live.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use crate::scenario::model::MigrationCommands;

/// A TOML string literal with every escape TOML needs.
pub(super) fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

pub(super) fn key(s: &str) -> String {
    let bare = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        s.to_string()
    } else {
        quote(s)
    }
}

pub(super) fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

pub(super) fn table(map: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{} = {}", key(k), quote(v)))
        .collect();
    if pairs.is_empty() {
        "{}".into()
    } else {
        format!("{{ {} }}", pairs.join(", "))
    }
}

pub(super) fn dur(d: Duration) -> String {
    quote(&humantime::format_duration(d).to_string())
}

/// `path` relative to `dir` (both made absolute against the working directory first).
pub(super) fn relative(path: &Path, dir: &Path) -> PathBuf {
    let abs = |p: &Path| {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        p.components().fold(PathBuf::new(), |mut acc, c| {
            match c {
                Component::ParentDir => {
                    acc.pop();
                }
                Component::CurDir => {}
                other => acc.push(other),
            }
            acc
        })
    };
    let (path, dir) = (abs(path), abs(dir));
    let common = path
        .components()
        .zip(dir.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = dir.components().count() - common;
    let mut out: PathBuf = std::iter::repeat_n("..", ups).collect();
    out.extend(path.components().skip(common));
    out
}

/// A release's migration commands as one inline table, only the keys that differ from the
/// defaults beside `up`.
pub(super) fn commands(c: &MigrationCommands) -> String {
    let mut pairs = vec![format!("up = {}", list(&c.up))];
    for (name, words) in [("down", &c.down), ("version", &c.version)] {
        if !words.is_empty() {
            pairs.push(format!("{name} = {}", list(words)));
        }
    }
    if let Some(image) = &c.image {
        pairs.push(format!("image = {}", quote(image)));
    }
    if !c.env.is_empty() {
        pairs.push(format!("env = {}", table(&c.env)));
    }
    if let Some(workdir) = &c.workdir {
        pairs.push(format!("workdir = {}", quote(workdir)));
    }
    pairs.push(format!("timeout = {}", dur(c.timeout)));
    format!("{{ {} }}", pairs.join(", "))
}
