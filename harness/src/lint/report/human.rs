//! Findings for people: each with its location, message, the statement's source lines
//! numbered as in the file, and its remedy (`human`); or one line each (`brief`).

use std::io::{self, Write};

use console::Style;

use super::{fails, Counts};
use crate::lint::{Finding, Severity};

/// Each finding as `severity[rule] file:line:col (category)`, its message, the statement's
/// source lines numbered as in the file, and its remedy; then a one-line summary.
pub fn human(
    out: &mut impl Write,
    findings: &[Finding],
    fail_on: Severity,
    colour: bool,
) -> io::Result<()> {
    let paint = |text: &str, style: Style| style.force_styling(colour).apply_to(text).to_string();
    for f in findings {
        let style = match f.severity {
            Severity::Error => Style::new().red().bold(),
            Severity::Warning => Style::new().yellow().bold(),
            Severity::Info => Style::new().cyan(),
        };
        let head = format!("{}[{}]", f.severity.as_str(), f.rule);
        writeln!(
            out,
            "{} {} {}",
            paint(&head, style),
            paint(&f.location(), Style::new().bold()),
            paint(&format!("({})", f.category.as_str()), Style::new().dim())
        )?;
        writeln!(out, "  {}", f.message)?;
        if let Some(d) = &f.disposition {
            let kind = format!("{}:", d.as_str());
            writeln!(
                out,
                "  {} {}",
                paint(&kind, Style::new().cyan()),
                d.because()
            )?;
        }
        let lines: Vec<&str> = f.statement.lines().collect();
        let width = (f.line + lines.len()).to_string().len();
        for (i, text) in lines.iter().take(6).enumerate() {
            let number = format!("{:>width$} |", f.line + i);
            writeln!(out, "  {} {text}", paint(&number, Style::new().dim()))?;
        }
        if lines.len() > 6 {
            writeln!(out, "  {:>width$} | ...", "")?;
        }
        writeln!(
            out,
            "  {} {}",
            paint("remedy:", Style::new().green()),
            f.remedy
        )?;
        writeln!(out)?;
    }
    let c = Counts::of(findings);
    let verdict = if fails(findings, fail_on) {
        paint("failing", Style::new().red().bold())
    } else {
        paint("passing", Style::new().green())
    };
    let accounted = findings.iter().filter(|f| f.disposition.is_some()).count();
    let accounted = match accounted {
        0 => String::new(),
        n => format!("; {n} expected, declared or silenced, which never fail"),
    };
    if findings.is_empty() {
        writeln!(out, "no findings ({verdict})")
    } else {
        writeln!(
            out,
            "{} finding(s): {} error(s), {} warning(s), {} info{accounted} ({verdict} at --fail-on {})",
            findings.len(),
            c.error,
            c.warning,
            c.info,
            fail_on.as_str()
        )
    }
}

/// One line per finding (`severity[rule] file:line: message`), for reports that show
/// findings beside other things, such as a drill's.
pub fn brief(out: &mut impl Write, findings: &[Finding], indent: &str) -> io::Result<()> {
    for f in findings {
        writeln!(
            out,
            "{indent}{}[{}] {}: {}",
            f.severity.as_str(),
            f.rule,
            f.location(),
            f.message
        )?;
    }
    Ok(())
}
