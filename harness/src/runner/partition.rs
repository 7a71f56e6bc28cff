//! `Partition`: `--partition K/N`, a deterministic share of the scenario files for one job of
//! a CI matrix. Files are sorted by path and the i-th (from 0) goes to partition i % N + 1,
//! so N jobs given the same paths run every file exactly once between them, whatever order
//! the paths were given or the files were found in.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// Partition `index` of `count` (both 1-based: `1/3`, `2/3`, `3/3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    index: usize,
    count: usize,
}

/// Why `K/N` is not a partition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartitionError {
    /// Not two numbers around a slash.
    #[error("`{0}` is not K/N (e.g. 2/3)")]
    Syntax(String),
    /// K or N out of range.
    #[error("partition {index}/{count}: K must be between 1 and N")]
    Range {
        /// K as given.
        index: usize,
        /// N as given.
        count: usize,
    },
}

impl Partition {
    /// Partition `index` of `count`, when 1 ≤ index ≤ count.
    pub fn new(index: usize, count: usize) -> Result<Partition, PartitionError> {
        if index == 0 || index > count {
            return Err(PartitionError::Range { index, count });
        }
        Ok(Partition { index, count })
    }

    /// This partition's items of `items`, sorted by `path`; each keeps its place in that order.
    pub fn select<T>(self, mut items: Vec<T>, path: impl Fn(&T) -> &Path) -> Vec<T> {
        items.sort_by(|a, b| path(a).cmp(path(b)));
        items
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % self.count + 1 == self.index)
            .map(|(_, item)| item)
            .collect()
    }
}

impl FromStr for Partition {
    type Err = PartitionError;
    fn from_str(s: &str) -> Result<Partition, PartitionError> {
        let syntax = || PartitionError::Syntax(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(syntax)?;
        let number = |t: &str| t.trim().parse::<usize>().map_err(|_| syntax());
        Partition::new(number(k)?, number(n)?)
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::*;

    fn share(p: &str, files: &[&str]) -> Vec<String> {
        let items: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
        let p: Partition = p.parse().unwrap();
        p.select(items, |f| f.as_path())
            .iter()
            .map(|f| f.display().to_string())
            .collect()
    }

    #[test]
    fn the_ith_sorted_file_goes_to_partition_i_mod_n_plus_1() {
        let files = ["s/e.toml", "s/a.toml", "s/d.toml", "s/b.toml", "s/c.toml"];
        assert_eq!(share("1/2", &files), ["s/a.toml", "s/c.toml", "s/e.toml"]);
        assert_eq!(share("2/2", &files), ["s/b.toml", "s/d.toml"]);
        assert_eq!(share("3/3", &files), ["s/c.toml"]);
        assert_eq!(share("1/1", &files).len(), 5);
        // More partitions than files: the last ones are empty, not an error.
        assert!(share("6/6", &files).is_empty());
    }

    #[test]
    fn k_and_n_are_validated() {
        let parse = |s: &str| s.parse::<Partition>().map_err(|e| e.to_string());
        assert_eq!(parse("2/3").map(|p| p.to_string()), Ok("2/3".into()));
        assert_eq!(
            parse("0/3"),
            Err("partition 0/3: K must be between 1 and N".into())
        );
        assert_eq!(
            parse("4/3"),
            Err("partition 4/3: K must be between 1 and N".into())
        );
        assert_eq!(
            parse("1/0"),
            Err("partition 1/0: K must be between 1 and N".into())
        );
        for bad in ["2", "a/3", "2/", "-1/3", "1/2/3", ""] {
            assert_eq!(parse(bad), Err(format!("`{bad}` is not K/N (e.g. 2/3)")));
        }
    }

    proptest! {
        #[test]
        fn the_partitions_cover_every_file_once(
            names in proptest::collection::btree_set("[a-z]{1,8}", 0..40),
            count in 1usize..8,
            seed in any::<u64>(),
        ) {
            let mut files: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
            // Whatever order they were found in.
            let len = files.len().max(1);
            files.rotate_left((seed as usize) % len);
            let mut all: Vec<PathBuf> = (1..=count)
                .flat_map(|k| Partition::new(k, count).unwrap().select(files.clone(), |f| f.as_path()))
                .collect();
            all.sort();
            let mut want = files.clone();
            want.sort();
            prop_assert_eq!(all, want);
        }
    }
}
