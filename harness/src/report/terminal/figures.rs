//! The figures of one drill for people: recovery times, traffic per phase, late failures,
//! the write audit and the recovery point; a figure whose event never happened says so.

use std::io::{self, Write};

use super::Palette;
use crate::outcome::{DataAudit, DrillOutcome};
use crate::timeline::WindowStats;
use crate::vocab::{human, Oracle, Verdict};

/// Recovery figures, traffic per phase, the write audit and the recovery point.
pub fn fmt_figures(out: &mut impl Write, o: &DrillOutcome, p: Palette) -> io::Result<()> {
    let f = &o.figures;
    // Without a rollback its figures name nothing that happened: say so, not "not reached".
    let no_rollback = || p.dim("— (no rollback)");
    let rolled_back = rolled_back(o);
    writeln!(out, "  figures:")?;
    // Only a trigger detects; a decision by the clock after a degradation is labelled so.
    let manual = !f.detected_by_trigger;
    let detect = match manual && f.time_to_detect.is_some() {
        true => "onset → decision",
        false => "time to detect",
    };
    for (label, value, of_rollback) in [
        ("recovery time", f.recovery_time, true),
        (detect, f.time_to_detect, true),
        ("time to healthy", f.time_to_healthy, true),
        ("outage", f.outage, false),
    ] {
        let value = match value {
            // A rollback after which the restored release fails recovered nothing.
            Some(_) if label == "recovery time" && !f.recovered => {
                p.dim("— (not recovered: the restored release fails)")
            }
            Some(v) if label == "outage" && f.outage_ongoing => {
                format!("not over ({} so far: the last request failed)", human(v))
            }
            Some(v) => human(v),
            None if of_rollback && !rolled_back => no_rollback(),
            None if label == "time to detect" && manual => p.dim("— (manual decision)"),
            None => p.dim("— (not reached)"),
        };
        writeln!(out, "    {label:<18}{value}")?;
    }
    writeln!(
        out,
        "    {:<18}{:>8}  {:>7}  {:>10}  {:>9}  {:>9}",
        "traffic", "requests", "failed", "error rate", "p50", "p99"
    )?;
    for (label, w) in [
        ("before deploy", &f.before_deploy),
        ("deploying", &f.deploying),
        ("deployed", &f.deployed),
    ] {
        writeln!(out, "      {label:<16}{}", window(w))?;
    }
    let rollback = match rolled_back {
        true => window(&f.rollback),
        false => no_rollback(),
    };
    writeln!(out, "      {:<16}{rollback}", "rollback")?;
    // Zero late failures is a claim about a verified rollback; without one there is nothing
    // the figure measured.
    let late = if !rolled_back {
        no_rollback()
    } else if f.recovery_time.is_none() {
        p.dim("— (rollback not verified)")
    } else {
        format!(
            "{} requests failed after the rollback was verified",
            f.failed_after_rollback
        )
    };
    writeln!(out, "    {:<18}{late}", "late failures")?;
    let w = &o.writes;
    let mut writes = format!(
        "{} acknowledged, {} readable, {} lost",
        w.acknowledged,
        w.readable,
        w.lost_writes.len()
    );
    for (n, what) in [
        (
            w.unreadable_writes.len(),
            "unreadable by the restored release",
        ),
        (
            w.fields_not_returned,
            "fields not returned (the database holds them)",
        ),
        (w.lost_since_snapshot, "lost since the snapshot (allowed)"),
        (w.lost_fields.len(), "fields lost"),
        (w.allowed_lost_fields, "fields lost (allowed)"),
        (w.reused_keys, "keys reused"),
    ] {
        if n > 0 {
            writes.push_str(&format!(", {n} {what}"));
        }
    }
    writeln!(out, "    {:<18}{writes}", Oracle::Writes.as_str())?;
    if let Some(data) = &o.data {
        writeln!(out, "    {:<18}{}", Oracle::Data.as_str(), data_line(data))?;
    }
    if let Some(rp) = &o.recovery_point {
        let at = human(rp.snapshot_at);
        writeln!(
            out,
            "    {:<18}snapshot at +{at}, {} acknowledged writes lost",
            "recovery point", rp.writes_lost
        )?;
    }
    Ok(())
}

/// Whether a rollback was decided at all: the two verdicts of a trigger that gave up say not.
fn rolled_back(o: &DrillOutcome) -> bool {
    !matches!(o.verdict, Verdict::NoRollback | Verdict::FailedToTrigger)
}

fn window(w: &WindowStats) -> String {
    let rate = format!("{:.2}%", w.error_rate * 100.0);
    format!(
        "{:>8}  {:>7}  {rate:>10}  {:>9}  {:>9}",
        w.requests,
        w.failed,
        human(w.p50),
        human(w.p99)
    )
}

/// The data oracle's counts: rows compared, then each loss with its kind.
fn data_line(a: &DataAudit) -> String {
    let mut line = format!("{} rows compared", a.rows_before);
    if a.losses.is_empty() {
        line.push_str(", nothing lost");
    }
    for l in &a.losses {
        let kind = l.kind.describe();
        let declared = if l.declared { " (declared)" } else { "" };
        line.push_str(&format!(
            ", {} {} lost ({kind}){declared}",
            l.place, l.count
        ));
    }
    line
}
