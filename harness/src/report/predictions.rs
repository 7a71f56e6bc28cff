//! The prediction-versus-observation table of one drill, for the terminal: each hazard
//! preflight predicted with what the drill made of it, then each failing oracle or step
//! with the rules that predicted it (or "unpredicted").

use std::io::{self, Write};

use console::Style;

use super::terminal::Palette;
use crate::outcome::{PredictionStatus, PredictionTable};

/// Writes the table as an indented report section. Colour follows the palette.
pub fn fmt_predictions(out: &mut impl Write, t: &PredictionTable, p: Palette) -> io::Result<()> {
    let colour = p != Palette::PLAIN;
    let paint = |text: &str, style: Style| style.force_styling(colour).apply_to(text).to_string();
    if t.predictions.is_empty() && t.observations.is_empty() {
        return writeln!(
            out,
            "  predictions: {}",
            paint(
                "none (no hazard predicted, no failure observed)",
                Style::new().dim()
            )
        );
    }
    writeln!(out, "  predicted by preflight:")?;
    if t.predictions.is_empty() {
        writeln!(
            out,
            "    {}",
            paint("no hazard predicted", Style::new().dim())
        )?;
    }
    let rule_width = t
        .predictions
        .iter()
        .map(|r| r.rule.as_str().len())
        .max()
        .unwrap_or(0);
    for r in &t.predictions {
        let status = format!("{:<13}", r.status.as_str());
        let status = match r.status {
            PredictionStatus::Confirmed => paint(&status, Style::new().green()),
            PredictionStatus::NotConfirmed => paint(&status, Style::new().yellow()),
            PredictionStatus::NotExercised => paint(&status, Style::new().dim()),
        };
        writeln!(
            out,
            "    {:<rule_width$} {status} {} {}",
            r.rule.as_str(),
            clip(&r.evidence),
            paint(&format!("[{}]", r.location), Style::new().dim())
        )?;
    }
    writeln!(out, "  observed by the drill:")?;
    if t.observations.is_empty() {
        writeln!(
            out,
            "    {}",
            paint("no oracle or step failed", Style::new().dim())
        )?;
    }
    for o in &t.observations {
        let what = format!("{} {}", o.kind, o.name);
        let by = if o.predicted_by.is_empty() {
            paint("unpredicted", Style::new().red().bold())
        } else {
            let rules: Vec<&str> = o.predicted_by.iter().map(|r| r.as_str()).collect();
            paint(
                &format!("predicted by {}", rules.join(", ")),
                Style::new().green(),
            )
        };
        writeln!(out, "    {what:<19} {by}: {}", clip(&o.detail))?;
    }
    Ok(())
}

/// Messages can carry whole response bodies; the table keeps one short line each (the
/// oracles section above has them in full).
fn clip(text: &str) -> String {
    const MAX: usize = 120;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{Rule, Severity};
    use crate::outcome::{Observation, Prediction};

    #[test]
    fn rows_in_both_directions() {
        let t = PredictionTable {
            predictions: vec![Prediction {
                rule: Rule::SetNotNull,
                severity: Severity::Error,
                location: "m/0002.up.sql:5".into(),
                status: PredictionStatus::Confirmed,
                evidence: "after the code switch, smoke failed: POST /entries answered 500".into(),
            }],
            observations: vec![
                Observation {
                    kind: "oracle",
                    name: "smoke".into(),
                    detail: "POST /entries answered 500".into(),
                    predicted_by: vec![Rule::SetNotNull],
                },
                Observation {
                    kind: "oracle",
                    name: "budget".into(),
                    detail: "over".into(),
                    predicted_by: vec![],
                },
            ],
        };
        let mut out = Vec::new();
        fmt_predictions(&mut out, &t, Palette::PLAIN).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "  predicted by preflight:\n    set-not-null confirmed     after the code switch, smoke failed: POST /entries answered 500 [m/0002.up.sql:5]\n  observed by the drill:\n    oracle smoke        predicted by set-not-null: POST /entries answered 500\n    oracle budget       unpredicted: over\n"
        );
        assert_eq!(clip(&"x".repeat(130)).chars().count(), 121);
        let mut empty = Vec::new();
        fmt_predictions(&mut empty, &PredictionTable::default(), Palette::PLAIN).unwrap();
        assert!(String::from_utf8(empty).unwrap().contains("none"));
    }
}
