//! `merge`: the JSON reports of a partitioned run's jobs (`--partition K/N`) as one run —
//! every scenario once, in file order as a single run over the same folder has them — for
//! `rollcage report merge` to render every report from.

use std::path::PathBuf;

use super::read::Shard;

/// Why shards cannot make one run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Two shards hold the same scenario: overlapping partitions, or a file given twice.
    #[error("scenario `{scenario}` is in both {} and {}", first.display(), second.display())]
    Duplicate {
        /// The scenario's name.
        scenario: String,
        /// The report that held it first.
        first: PathBuf,
        /// The report that held it again.
        second: PathBuf,
    },
    /// The shards were written by different rollcage versions, whose reports may differ.
    #[error("{} was written by rollcage {first_version}, {} by {second_version}", first.display(), second.display())]
    Versions {
        /// The first report.
        first: PathBuf,
        /// Its version.
        first_version: String,
        /// A report of another version.
        second: PathBuf,
        /// That version.
        second_version: String,
    },
}

/// One shard holding every scenario of `shards` (each with the report it came from), sorted
/// by scenario file; every problem is returned, not only the first.
pub fn merge(shards: Vec<(PathBuf, Shard)>) -> Result<Shard, Vec<MergeError>> {
    let mut problems = Vec::new();
    let mut merged = Shard::default();
    let mut origin: Vec<(String, PathBuf)> = Vec::new();
    let mut first_version: Option<(PathBuf, String)> = None;
    for (path, shard) in shards {
        match &first_version {
            None => first_version = Some((path.clone(), shard.version.clone())),
            Some((first, v)) if *v != shard.version => problems.push(MergeError::Versions {
                first: first.clone(),
                first_version: v.clone(),
                second: path.clone(),
                second_version: shard.version.clone(),
            }),
            Some(_) => {}
        }
        for record in shard.records {
            if let Some((_, first)) = origin.iter().find(|(s, _)| *s == record.scenario) {
                problems.push(MergeError::Duplicate {
                    scenario: record.scenario.clone(),
                    first: first.clone(),
                    second: path.clone(),
                });
                continue;
            }
            origin.push((record.scenario.clone(), path.clone()));
            merged.records.push(record);
        }
        merged.marks.extend(shard.marks);
        merged.version = shard.version;
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Stable: scenarios of one file keep their order.
    merged.records.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::super::read::parse;
    use super::*;
    use crate::outcome::fixture::{outcome, record};
    use crate::outcome::DrillRecord;
    use crate::report::{json, junit};

    fn named(name: &str, runs: Vec<Result<crate::outcome::DrillOutcome, String>>) -> DrillRecord {
        let mut r = record(runs);
        r.scenario = name.into();
        r.file = format!("scenarios/{name}.toml");
        for run in &mut r.runs {
            if let Ok(o) = &mut run.result {
                o.scenario = r.scenario.clone();
                o.file = r.file.clone();
            }
        }
        r
    }

    /// The JSON report of `records`, as a job writes it, read back.
    fn shard(records: &[DrillRecord]) -> Shard {
        let text = json::to_value(records, &[]).unwrap().to_string();
        parse(&text).unwrap()
    }

    #[test]
    fn two_shards_merge_into_the_run_they_were_split_from() {
        let (a, b, c) = (
            named("a-pass", vec![Ok(outcome(true))]),
            named("b-miss", vec![Ok(outcome(false))]),
            named(
                "c-error",
                vec![Err("creating container db: no such image".into())],
            ),
        );
        // Partition 1/2 ran a and c, 2/2 ran b.
        let one = shard(&[a.clone(), c.clone()]);
        let two = shard(std::slice::from_ref(&b));
        let merged = merge(vec![("1.json".into(), one), ("2.json".into(), two)]).unwrap();
        let whole = [a, b, c];
        assert_eq!(merged.records, whole);

        let v = json::to_value(&merged.records, &merged.marks).unwrap();
        assert_eq!(v, json::to_value(&whole, &[]).unwrap());
        assert_eq!(
            (
                v["summary"]["matched"].as_u64(),
                v["summary"]["mismatched"].as_u64(),
                v["summary"]["errors"].as_u64()
            ),
            (Some(1), Some(1), Some(1))
        );
        let names: Vec<&str> = v["drills"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["scenario"].as_str())
            .collect();
        assert_eq!(names, ["a-pass", "b-miss", "c-error"]);

        let xml = junit::to_string(&merged.records).unwrap();
        assert!(
            xml.contains(r#"<testsuite name="rollcage drills" tests="3" disabled="0" errors="1" failures="1""#),
            "{xml}"
        );
        for name in ["a-pass", "b-miss", "c-error"] {
            assert!(
                xml.contains(&format!(r#"<testcase name="{name}""#)),
                "{xml}"
            );
        }
    }

    #[test]
    fn a_scenario_in_two_shards_is_named_with_both_reports() {
        let a = named("a", vec![Ok(outcome(true))]);
        let e = merge(vec![
            ("1.json".into(), shard(std::slice::from_ref(&a))),
            ("2.json".into(), shard(&[a])),
        ])
        .unwrap_err();
        assert_eq!(
            e.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            ["scenario `a` is in both 1.json and 2.json"]
        );
    }

    #[test]
    fn shards_of_different_versions_do_not_merge() {
        let mut old = shard(&[named("a", vec![Ok(outcome(true))])]);
        old.version = "0.0.1".into();
        let new = shard(&[named("b", vec![Ok(outcome(true))])]);
        let e = merge(vec![("old.json".into(), old), ("new.json".into(), new)]).unwrap_err();
        assert_eq!(
            e[0].to_string(),
            format!(
                "old.json was written by rollcage 0.0.1, new.json by {}",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn truncated_or_foreign_json_is_an_error_saying_where() {
        let text = json::to_value(&[named("a", vec![Ok(outcome(true))])], &[])
            .unwrap()
            .to_string();
        let cut = parse(&text[..text.len() / 2]).unwrap_err();
        assert!(cut.to_string().contains("EOF while parsing"), "{cut}");
        let foreign = parse(r#"{"tests": 3}"#).unwrap_err();
        assert_eq!(
            foreign.to_string(),
            "missing field `rollcage` at line 1 column 12"
        );
        let wrong = parse(r#"{"rollcage": "0.1.0", "drills": [{"scenario": 3}]}"#).unwrap_err();
        assert_eq!(wrong.path().to_string(), "drills[0].scenario");
    }
}
