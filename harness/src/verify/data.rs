//! The `data` oracle: what the database held just before the rollback decision is still there
//! after the rollback — every row (by primary key, or whole row without one) and every value
//! in it — read from the database itself, with no field lists and no help from the app.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::OracleResult;
use crate::db::{DataSnapshot, TableData, MAX_ROWS};
use crate::scenario::AllowedLoss;
use crate::vocab::Oracle;

/// How data went missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LossKind {
    /// The whole table is gone.
    TableDropped,
    /// Rows are gone from a table that is still there.
    RowsGone,
    /// The column is gone, and with it the values it held.
    ColumnDropped,
    /// The column is there but values it held are NULL now.
    ValuesNulled,
    /// The column's type changed and values did not survive the conversion.
    ValuesConverted,
}

impl LossKind {
    /// In words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            LossKind::TableDropped => "table dropped",
            LossKind::RowsGone => "rows gone",
            LossKind::ColumnDropped => "column dropped",
            LossKind::ValuesNulled => "values nulled",
            LossKind::ValuesConverted => "values changed by a type conversion",
        }
    }
}

/// One kind of loss in one table or column, counted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DataLoss {
    /// `table` or `table.column`.
    pub place: String,
    /// How it went.
    pub kind: LossKind,
    /// Rows or values lost.
    pub count: u64,
    /// `[allowed-loss]` accepts it (by table, by column, or as writes since the snapshot).
    pub declared: bool,
}

/// What the comparison found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataAudit {
    /// Rows held before the rollback decision.
    pub rows_before: u64,
    /// Every loss found, declared or not.
    pub losses: Vec<DataLoss>,
    /// Values changed to another non-NULL value with the column's type unchanged: the app
    /// may have done that, so it is reported, not judged.
    pub changed_values: u64,
    /// Rows present after the rollback that were not before the decision (traffic goes on).
    pub rows_added: u64,
}

impl DataAudit {
    /// Losses not declared in `[allowed-loss]`.
    pub fn undeclared(&self) -> impl Iterator<Item = &DataLoss> {
        self.losses.iter().filter(|l| !l.declared)
    }
    /// Rows and values lost, declared or not.
    pub fn lost(&self) -> u64 {
        self.losses.iter().map(|l| l.count).sum()
    }
}

/// The content of the database before the decision (`before`) against after the rollback
/// (`after`). `deployed_from`: the pre-deploy content, which tells a row written since the
/// snapshot (allowed by `writes-since-snapshot`) from one that was in it.
pub fn compare(
    before: &DataSnapshot,
    after: &DataSnapshot,
    deployed_from: Option<&DataSnapshot>,
    allowed: &AllowedLoss,
) -> DataAudit {
    let mut audit = DataAudit {
        rows_before: before.rows,
        ..Default::default()
    };
    let mut counts: BTreeMap<(String, LossKind), u64> = BTreeMap::new();
    let mut since_snapshot = 0u64;
    for (name, was) in &before.tables {
        let Some(now) = after.tables.get(name) else {
            let rows = was.rows.values().map(|r| u64::from(r.count)).sum::<u64>();
            *counts
                .entry((name.clone(), LossKind::TableDropped))
                .or_default() += rows;
            continue;
        };
        let in_snapshot = |key: &u128| {
            deployed_from
                .and_then(|d| d.tables.get(name))
                .is_some_and(|t| t.rows.contains_key(key))
        };
        let columns = column_map(was, now);
        let restorable = |key: &u128| {
            allowed.writes_since_snapshot && deployed_from.is_some() && !in_snapshot(key)
        };
        for (key, row) in &was.rows {
            // A restore rewinds sequences: the key may now name another record.
            let replaced = now.rows.get(key).is_some_and(|k| k.values != row.values);
            if replaced && restorable(key) {
                since_snapshot += u64::from(row.count);
                continue;
            }
            let Some(kept) = now.rows.get(key) else {
                if restorable(key) {
                    since_snapshot += u64::from(row.count);
                } else {
                    *counts
                        .entry((name.clone(), LossKind::RowsGone))
                        .or_default() += u64::from(row.count);
                }
                continue;
            };
            let missing = row.count.saturating_sub(kept.count);
            if missing > 0 {
                *counts
                    .entry((name.clone(), LossKind::RowsGone))
                    .or_default() += u64::from(missing);
            }
            for (i, value) in row.values.iter().enumerate() {
                let Some(value) = value else { continue };
                let place = || format!("{name}.{}", was.columns[i]);
                match columns[i] {
                    None => {
                        *counts
                            .entry((place(), LossKind::ColumnDropped))
                            .or_default() += 1
                    }
                    Some((j, same_type)) => match kept.values[j] {
                        None => *counts.entry((place(), LossKind::ValuesNulled)).or_default() += 1,
                        Some(v) if v == *value => {}
                        Some(_) if same_type => audit.changed_values += 1,
                        Some(_) => {
                            *counts
                                .entry((place(), LossKind::ValuesConverted))
                                .or_default() += 1
                        }
                    },
                }
            }
        }
        audit.rows_added += now
            .rows
            .keys()
            .filter(|k| !was.rows.contains_key(k))
            .count() as u64;
    }
    audit.losses = counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|((place, kind), count)| DataLoss {
            declared: declared(allowed, &place),
            place,
            kind,
            count,
        })
        .collect();
    if since_snapshot > 0 {
        audit.losses.push(DataLoss {
            place: "rows written after the snapshot".into(),
            kind: LossKind::RowsGone,
            count: since_snapshot,
            declared: true,
        });
    }
    audit
}

/// For each column before: where it is after, and whether its type is unchanged.
fn column_map(was: &TableData, now: &TableData) -> Vec<Option<(usize, bool)>> {
    was.columns
        .iter()
        .zip(&was.types)
        .map(|(c, t)| now.position(c).map(|j| (j, now.types[j] == *t)))
        .collect()
}

fn declared(allowed: &AllowedLoss, place: &str) -> bool {
    let table = place.split('.').next().unwrap_or(place);
    allowed.tables.iter().any(|t| t == table) || allowed.columns.iter().any(|c| c == place)
}

/// The oracle's result for an audit; skipped when either side could not be captured whole.
pub fn check_data(before: &DataSnapshot, after: &DataSnapshot, audit: &DataAudit) -> OracleResult {
    if before.over_limit || after.over_limit {
        return OracleResult::skip(
            Oracle::Data,
            format!("more than {MAX_ROWS} rows: the database's content was not compared"),
        );
    }
    let line = |l: &DataLoss| {
        let mark = if l.declared { " (declared)" } else { "" };
        format!("{}: {}, {} lost{mark}", l.place, l.kind.describe(), l.count)
    };
    let mut notes = vec![format!(
        "{} rows in {} tables compared",
        audit.rows_before,
        before.tables.len()
    )];
    notes.extend(audit.losses.iter().map(line));
    if audit.changed_values > 0 {
        notes.push(format!(
            "{} values changed (not judged: the app may have written them)",
            audit.changed_values
        ));
    }
    match audit.undeclared().next() {
        Some(_) => OracleResult::fail(Oracle::Data, format!("data LOST: {}", notes.join("; "))),
        None => OracleResult::pass(Oracle::Data, notes.join("; ")),
    }
}

#[cfg(test)]
mod tests;
