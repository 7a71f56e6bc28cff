use std::collections::HashMap;

use super::*;
use crate::db::RowHashes;

/// A table from rows of optional values; the key is the first column unless `keyless`.
fn table(columns: &[(&str, &str)], keyless: bool, rows: &[&[Option<u64>]]) -> TableData {
    let mut t = TableData {
        columns: columns.iter().map(|(c, _)| c.to_string()).collect(),
        types: columns.iter().map(|(_, t)| t.to_string()).collect(),
        key: if keyless {
            vec![]
        } else {
            vec![columns[0].0.to_string()]
        },
        rows: HashMap::new(),
    };
    for r in rows {
        let key = match keyless {
            true => r
                .iter()
                .fold(7u128, |k, v| k * 31 + u128::from(v.unwrap_or(999))),
            false => u128::from(r[0].unwrap_or(0)),
        };
        t.rows
            .entry(key)
            .and_modify(|x| x.count += 1)
            .or_insert(RowHashes {
                values: r.to_vec().into_boxed_slice(),
                count: 1,
            });
    }
    t
}

fn snap(tables: Vec<(&str, TableData)>) -> DataSnapshot {
    let rows = tables
        .iter()
        .map(|(_, t)| t.rows.values().map(|r| u64::from(r.count)).sum::<u64>())
        .sum();
    DataSnapshot {
        tables: tables
            .into_iter()
            .map(|(n, t)| (n.to_string(), t))
            .collect(),
        rows,
        over_limit: false,
    }
}

const ENTRIES: &[(&str, &str)] = &[("id", "bigint"), ("memo", "text"), ("tags", "text")];
const BASE: &[(&str, &str)] = &[("id", "bigint"), ("memo", "text")];

fn before() -> DataSnapshot {
    snap(vec![(
        "entries",
        table(
            ENTRIES,
            false,
            &[
                &[Some(1), Some(10), Some(100)],
                &[Some(2), Some(20), None],
                &[Some(3), Some(30), Some(300)],
            ],
        ),
    )])
}

#[test]
fn a_dropped_column_loses_exactly_the_values_it_held() {
    let after = snap(vec![(
        "entries",
        table(
            BASE,
            false,
            &[
                &[Some(1), Some(10)],
                &[Some(2), Some(20)],
                &[Some(3), Some(30)],
            ],
        ),
    )]);
    let audit = compare(&before(), &after, None, &AllowedLoss::default());
    assert_eq!(
        audit.losses,
        vec![DataLoss {
            place: "entries.tags".into(),
            kind: LossKind::ColumnDropped,
            count: 2,
            declared: false,
        }]
    );
    let r = check_data(&before(), &after, &audit);
    assert!(r.failed());
    assert!(
        r.message.contains("entries.tags: column dropped, 2 lost"),
        "{}",
        r.message
    );
    let declared = AllowedLoss {
        columns: vec!["entries.tags".into()],
        ..Default::default()
    };
    let audit = compare(&before(), &after, None, &declared);
    let r = check_data(&before(), &after, &audit);
    assert!(!r.failed(), "{}", r.message);
    assert!(r.message.contains("2 lost (declared)"), "{}", r.message);
}

#[test]
fn an_unchanged_database_with_more_rows_passes() {
    let mut after = before();
    let t = after.tables.get_mut("entries").unwrap();
    t.rows.insert(
        4,
        RowHashes {
            values: vec![Some(4), Some(40), None].into_boxed_slice(),
            count: 1,
        },
    );
    let audit = compare(&before(), &after, None, &AllowedLoss::default());
    assert!(audit.losses.is_empty(), "{audit:?}");
    assert_eq!(audit.rows_added, 1);
    assert!(!check_data(&before(), &after, &audit).failed());
}

#[test]
fn rows_gone_nulled_and_converted_values_are_each_counted() {
    let after = snap(vec![(
        "entries",
        table(
            &[("id", "bigint"), ("memo", "varchar(1)"), ("tags", "text")],
            false,
            &[&[Some(1), Some(11), None], &[Some(2), Some(20), None]],
        ),
    )]);
    let audit = compare(&before(), &after, None, &AllowedLoss::default());
    let kinds: Vec<_> = audit
        .losses
        .iter()
        .map(|l| (l.place.as_str(), l.kind, l.count))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("entries", LossKind::RowsGone, 1),
            ("entries.memo", LossKind::ValuesConverted, 1),
            ("entries.tags", LossKind::ValuesNulled, 1),
        ]
    );
    let whole = AllowedLoss {
        tables: vec!["entries".into()],
        ..Default::default()
    };
    assert_eq!(
        compare(&before(), &after, None, &whole)
            .undeclared()
            .count(),
        0
    );
}

#[test]
fn a_value_changed_in_place_is_reported_not_judged() {
    let after = snap(vec![(
        "entries",
        table(
            ENTRIES,
            false,
            &[
                &[Some(1), Some(11), Some(100)],
                &[Some(2), Some(20), None],
                &[Some(3), Some(30), Some(300)],
            ],
        ),
    )]);
    let audit = compare(&before(), &after, None, &AllowedLoss::default());
    assert!(audit.losses.is_empty());
    assert_eq!(audit.changed_values, 1);
}

#[test]
fn a_table_without_a_key_counts_duplicate_rows() {
    let rows: &[&[Option<u64>]] = &[&[Some(5), Some(6)], &[Some(5), Some(6)], &[Some(7), None]];
    let cols = &[("a", "int"), ("b", "int")];
    let was = snap(vec![("log", table(cols, true, rows))]);
    let now = snap(vec![("log", table(cols, true, &rows[1..]))]);
    let audit = compare(&was, &now, None, &AllowedLoss::default());
    assert_eq!(audit.losses.len(), 1);
    assert_eq!(
        (audit.losses[0].kind, audit.losses[0].count),
        (LossKind::RowsGone, 1)
    );
    let gone = snap(vec![]);
    let audit = compare(&was, &gone, None, &AllowedLoss::default());
    assert_eq!(
        (audit.losses[0].kind, audit.losses[0].count),
        (LossKind::TableDropped, 3)
    );
}

#[test]
fn rows_written_after_the_snapshot_are_allowed_only_when_declared() {
    let deployed_from = snap(vec![(
        "entries",
        table(ENTRIES, false, &[&[Some(1), Some(10), Some(100)]]),
    )]);
    let mut after = deployed_from.clone();
    // Key 2 handed out again after the restore, to another record.
    let t = after.tables.get_mut("entries").unwrap();
    t.rows.insert(
        2,
        RowHashes {
            values: vec![Some(2), Some(77), None].into_boxed_slice(),
            count: 1,
        },
    );
    let allowed = AllowedLoss {
        writes_since_snapshot: true,
        ..Default::default()
    };
    let audit = compare(&before(), &after, Some(&deployed_from), &allowed);
    assert_eq!(audit.undeclared().count(), 0, "{audit:?}");
    assert_eq!(audit.lost(), 2);
    let audit = compare(
        &before(),
        &after,
        Some(&deployed_from),
        &AllowedLoss::default(),
    );
    assert_eq!(audit.undeclared().count(), 1);
}

#[test]
fn an_over_limit_snapshot_is_not_judged() {
    let mut big = before();
    big.over_limit = true;
    let audit = compare(&big, &before(), None, &AllowedLoss::default());
    let r = check_data(&big, &before(), &audit);
    assert_eq!(r.status, crate::vocab::OracleStatus::Skipped);
}
