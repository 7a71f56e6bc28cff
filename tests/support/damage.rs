//! Damage done to scenario files for the fuzz tests: bundled files, and random edits of them
//! (a line deleted or doubled, a value of another type, truncation, stray bytes, a renamed key).
#![allow(dead_code)] // each test file uses a different subset

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every bundled scenario's bytes (those of `scenarios/` and the folders in it).
pub fn bundled() -> Vec<(PathBuf, Vec<u8>)> {
    let listed = |dir: &Path| -> Vec<PathBuf> {
        let entries = fs::read_dir(dir).expect("scenarios/ is readable");
        entries.filter_map(|e| e.ok().map(|e| e.path())).collect()
    };
    let mut files: Vec<PathBuf> = listed(&root().join("scenarios"))
        .into_iter()
        .flat_map(|p| if p.is_dir() { listed(&p) } else { vec![p] })
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).expect("readable");
            (p, bytes)
        })
        .collect()
}

/// One kind of damage, with the random numbers it draws on.
#[derive(Debug, Clone)]
pub enum Damage {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapValue(usize, usize),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    RenameKey(usize, String),
}

/// Values of every TOML type, to put where another type was.
pub const VALUES: [&str; 10] = [
    "1",
    "\"x\"",
    "[1, \"a\"]",
    "{ a = 1 }",
    "true",
    "1.5",
    "1979-05-27T07:32:00Z",
    "-1",
    "99999999999999999999",
    "\"\"",
];

pub fn damage() -> impl Strategy<Value = Damage> {
    let bytes = prop::collection::vec(
        prop_oneof![
            any::<u8>(),
            Just(0u8),
            Just(0xff),
            Just(0xc3),
            Just(b'\n'),
            Just(b'"')
        ],
        1..8,
    );
    prop_oneof![
        any::<usize>().prop_map(Damage::DeleteLine),
        any::<usize>().prop_map(Damage::DuplicateLine),
        (any::<usize>(), 0..VALUES.len()).prop_map(|(l, v)| Damage::SwapValue(l, v)),
        any::<usize>().prop_map(Damage::Truncate),
        (any::<usize>(), bytes).prop_map(|(at, b)| Damage::Insert(at, b)),
        (any::<usize>(), "[a-z][a-z_-]{0,10}|\"[ -~]{0,6}\"")
            .prop_map(|(l, k)| Damage::RenameKey(l, k)),
    ]
}

/// `bytes` with `d` done to it.
pub fn apply(bytes: &[u8], d: &Damage) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    let pick = |n: usize, lines: &[Vec<u8>]| n % lines.len().max(1);
    // The lines that hold `key = value`, for the damage that needs one.
    let assignment = |n: usize, lines: &[Vec<u8>]| {
        let found: Vec<usize> = (0..lines.len())
            .filter(|i| lines[*i].windows(3).any(|w| w == b" = ") && !lines[*i].starts_with(b"#"))
            .collect();
        (!found.is_empty()).then(|| found[n % found.len()])
    };
    match d {
        Damage::DeleteLine(n) => {
            let i = pick(*n, &lines);
            lines.remove(i);
        }
        Damage::DuplicateLine(n) => {
            let i = pick(*n, &lines);
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        Damage::SwapValue(n, v) => {
            if let Some(i) = assignment(*n, &lines) {
                let at = lines[i].windows(3).position(|w| w == b" = ").unwrap_or(0);
                lines[i].truncate(at + 3);
                lines[i].extend_from_slice(VALUES[*v].as_bytes());
            }
        }
        Damage::RenameKey(n, key) => {
            if let Some(i) = assignment(*n, &lines) {
                let at = lines[i].windows(3).position(|w| w == b" = ").unwrap_or(0);
                let mut line = key.as_bytes().to_vec();
                line.extend_from_slice(&lines[i][at..]);
                lines[i] = line;
            }
        }
        Damage::Truncate(n) => return bytes[..n % (bytes.len() + 1)].to_vec(),
        Damage::Insert(n, junk) => {
            let at = n % (bytes.len() + 1);
            return [&bytes[..at], junk.as_slice(), &bytes[at..]].concat();
        }
    }
    lines.join(&b'\n')
}
