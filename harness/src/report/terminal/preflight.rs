//! The preflight part of a drill's terminal report: the findings preflight raised before
//! anything started, one line each, then the prediction-versus-observation table.

use std::io::{self, Write};

use super::Palette;
use crate::lint::report::brief;
use crate::outcome::DrillOutcome;
use crate::report::predictions::fmt_predictions;

/// `end state:` what the drill left running, at which migration, and the schema against the
/// pre-deploy snapshot.
pub fn fmt_end_state(out: &mut impl Write, o: &DrillOutcome, p: Palette) -> io::Result<()> {
    let Some(e) = &o.end_state else { return Ok(()) };
    let schema = if e.schema_diff.is_empty() {
        "schema as before the deploy".to_string()
    } else {
        format!(
            "schema differs from before the deploy in {} place(s)",
            e.schema_diff.len()
        )
    };
    writeln!(
        out,
        "  end state: {} ({}) at migration {}, {}",
        e.release,
        p.dim(&e.image_id),
        e.migration_version,
        schema
    )?;
    for line in &e.schema_diff {
        writeln!(out, "    {line}")?;
    }
    Ok(())
}

/// `preflight:` with each finding (or "no findings"), then the predictions table.
pub fn fmt_preflight(out: &mut impl Write, o: &DrillOutcome, p: Palette) -> io::Result<()> {
    if o.preflight.is_empty() {
        writeln!(out, "  preflight: {}", p.dim("no findings"))?;
    } else {
        writeln!(out, "  preflight:")?;
        brief(out, &o.preflight, "    ")?;
    }
    fmt_predictions(out, &o.predictions, p)
}

#[cfg(test)]
mod tests {
    use super::super::fmt_outcome;
    use super::*;
    use crate::outcome::fixture::{outcome, record};

    fn text(o: &DrillOutcome) -> String {
        let mut out = Vec::new();
        let r = record(vec![Ok(o.clone())]);
        fmt_outcome(&mut out, "notnull-code-only", &r, o, Palette::PLAIN).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn findings_and_predictions_sit_between_oracles_and_timelines() {
        let t = text(&outcome(true));
        let at = |needle: &str| t.find(needle).unwrap_or_else(|| panic!("`{needle}`:\n{t}"));
        let finding = "    error[set-not-null] fixtures/ledger/migrations/notnull/0002_add_currency.up.sql:5:1: column entries.currency is made NOT NULL\n";
        let observed =
            "    oracle smoke        predicted by set-not-null: POST /entries answered 500\n";
        assert!(at("  oracles:") < at("  preflight:\n"), "{t}");
        assert!(at("  preflight:\n") < at(finding), "{t}");
        assert!(at(finding) < at("  predicted by preflight:\n"), "{t}");
        assert!(at("    set-not-null confirmed") < at(observed), "{t}");
        assert!(at(observed) < at("  deploy timeline"), "{t}");
    }

    #[test]
    fn a_drill_without_findings_says_so() {
        let mut o = outcome(true);
        o.preflight.clear();
        o.predictions = crate::preflight::compare(&[], &o);
        let t = text(&o);
        assert!(t.contains("  preflight: no findings\n"), "{t}");
        assert!(
            t.contains("    no hazard predicted\n")
                && t.contains("    oracle smoke        unpredicted: POST /entries answered 500\n"),
            "{t}"
        );
    }
}
