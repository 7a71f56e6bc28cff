//! The postmortem part of a drill's terminal report: the deploy's failure and the rollback's
//! apart, the trust gap, and the action items in their two buckets with their sources, as
//! `report::postmortem` derives them.

use std::io::{self, Write};

use super::Palette;
use crate::outcome::DrillOutcome;
use crate::report::postmortem::{Bucket, Postmortem};

/// `postmortem:` and its lines; a bucket without items says so.
pub fn fmt_postmortem(out: &mut impl Write, o: &DrillOutcome, p: Palette) -> io::Result<()> {
    let pm = Postmortem::of(o);
    writeln!(out, "  postmortem:")?;
    writeln!(out, "    deploy:    {}", pm.deploy)?;
    let rollback = match pm.failure {
        Some(_) => p.bad(&pm.rollback),
        None => pm.rollback.clone(),
    };
    writeln!(out, "    rollback:  {rollback}")?;
    writeln!(out, "    trust gap: {}", pm.trust_gap)?;
    for bucket in Bucket::ALL {
        let items: Vec<_> = pm.bucket(bucket).collect();
        if items.is_empty() {
            writeln!(out, "    {}: {}", bucket.title(), p.dim("no action item"))?;
            continue;
        }
        writeln!(out, "    {}:", bucket.title())?;
        for item in items {
            writeln!(out, "      {} → {}", item.source, item.advice)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::outcome;

    #[test]
    fn the_not_null_drill_lists_its_items_with_their_sources() {
        let mut out = Vec::new();
        fmt_postmortem(&mut out, &outcome(true), Palette::PLAIN).unwrap();
        let t = String::from_utf8(out).unwrap();
        let expected = "  postmortem:
    deploy:    held: none of 60 requests failed before the decision
    rollback:  restored a bad state: smoke (POST /entries answered 500)
    trust gap: this rollback path was exercised under these conditions before: the scenario expects restored-bad-state and the drill reproduced it
    safer deploys: no action item
    trustworthy rollback:
      set-not-null (fixtures/ledger/migrations/notnull/0002_add_currency.up.sql:5) → add the column with a default, or make the old code write it
      oracle smoke: POST /entries answered 500 → keep the schema usable by the previous release's requests (expand now, contract later)
";
        assert_eq!(t, expected);
    }
}
