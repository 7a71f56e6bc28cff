//! `LinesReporter`: the terminal report that scales to a folder of drills — one line per drill
//! as it finishes (`PASS [  12.3s] name verdict`), the full report (oracles, evidence,
//! postmortem) only for drills that did not match (every drill with `verbose`), and a
//! summary at the end. Everything a scenario or a drill wrote is escaped for the terminal.

use std::io::{self, Write};
use std::time::Duration;

use super::terminal::{escape, fmt_repeat, fmt_run, fmt_summary, Palette};
use crate::events::{Event, Reporter};
use crate::outcome::{DrillOutcome, DrillRecord};
use crate::vocab::Status;

/// Prints to any writer (stdout in the binary, a buffer in tests).
pub struct LinesReporter<W> {
    out: W,
    palette: Palette,
    verbose: bool,
    /// Runs per scenario: a repeated scenario's runs are named `name#2`.
    repeat: usize,
    /// The summary names every run that did not match, so it needs every record.
    records: Vec<DrillRecord>,
}

impl<W: Write> LinesReporter<W> {
    /// A reporter printing to `out`, coloured as `palette` says; `verbose` prints every
    /// drill's full report, not only those that did not match.
    pub fn new(out: W, palette: Palette, verbose: bool) -> LinesReporter<W> {
        LinesReporter {
            out,
            palette,
            verbose,
            repeat: 1,
            records: Vec::new(),
        }
    }

    /// The writer, with everything printed so far.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn details(&mut self, record: &DrillRecord) -> io::Result<()> {
        let shown: Vec<_> = record
            .runs
            .iter()
            .filter(|run| self.verbose || run.status() != Status::Matched)
            .collect();
        for run in &shown {
            fmt_run(&mut self.out, record, run, self.palette)?;
        }
        if record.repeated() {
            fmt_repeat(&mut self.out, record, self.palette)?;
        }
        if !shown.is_empty() || record.repeated() {
            writeln!(self.out)?;
        }
        Ok(())
    }
}

/// `PASS [  12.3s] name verdict`; a drill that did not match adds what was expected, one that
/// could not run says why (its first line).
pub fn fmt_line(
    out: &mut impl Write,
    name: &str,
    wall: Duration,
    result: Result<&DrillOutcome, &str>,
    p: Palette,
) -> io::Result<()> {
    let time = format!("[{:>6.1}s]", wall.as_secs_f64());
    let name = escape(name);
    match result {
        Ok(o) if o.matched => writeln!(out, "{} {time} {name} {}", p.good(" PASS"), o.verdict),
        Ok(o) => {
            let expected = if o.verdict != o.expected {
                format!("expected {}", o.expected)
            } else {
                o.mismatch().unwrap_or_default()
            };
            writeln!(
                out,
                "{} {time} {name} {} ({expected})",
                p.bad(" FAIL"),
                o.verdict
            )
        }
        Err(e) => {
            let first = e.lines().next().unwrap_or("");
            writeln!(
                out,
                "{} {time} {name} could not run: {}",
                p.bad("ERROR"),
                escape(first)
            )
        }
    }
}

impl<W: Write + Send> Reporter for LinesReporter<W> {
    fn report(&mut self, event: &Event) {
        // A closed stdout (a pipe to `head`) must not stop the drills or the report files,
        // so write errors are dropped here.
        let _ = match event {
            Event::RunStarted { repeat, .. } => {
                self.repeat = *repeat;
                Ok(())
            }
            Event::DrillFinished {
                scenario,
                repetition,
                wall,
                result,
                ..
            } => {
                let name = if self.repeat > 1 {
                    format!("{scenario}#{repetition}")
                } else {
                    scenario.clone()
                };
                let result = result.as_deref().map_err(String::as_str);
                fmt_line(&mut self.out, &name, *wall, result, self.palette)
            }
            Event::ScenarioFinished(record) => {
                let shown = self.details(record);
                self.records.push(record.as_ref().clone());
                shown
            }
            Event::RunFinished(_) => fmt_summary(&mut self.out, &self.records, self.palette),
            _ => Ok(()),
        };
        let _ = self.out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::{outcome, record};

    fn line(name: &str, wall_ms: u64, result: Result<&DrillOutcome, &str>) -> String {
        let mut out = Vec::new();
        let wall = Duration::from_millis(wall_ms);
        fmt_line(&mut out, name, wall, result, Palette::PLAIN).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_match_is_one_pass_line_with_its_time_right_aligned() {
        assert_eq!(
            line("notnull-code-only", 12_345, Ok(&outcome(true))),
            " PASS [  12.3s] notnull-code-only restored-bad-state\n"
        );
        assert_eq!(
            line("x", 123_456, Ok(&outcome(true))),
            " PASS [ 123.5s] x restored-bad-state\n"
        );
    }

    #[test]
    fn a_mismatch_names_the_expected_verdict_or_the_oracles() {
        assert_eq!(
            line("n", 5000, Ok(&outcome(false))),
            " FAIL [   5.0s] n restored-bad-state (expected pass)\n"
        );
        let mut o = outcome(true);
        o.expected_failing.push(crate::vocab::Oracle::Health);
        o.judge();
        assert_eq!(
            line("n", 5000, Ok(&o)),
            " FAIL [   5.0s] n restored-bad-state (expected oracle(s) health to fail; they did not)\n"
        );
    }

    #[test]
    fn a_drill_that_could_not_run_says_why_on_its_line() {
        assert_eq!(
            line("n", 900, Err("creating container db: no such image\nmore")),
            "ERROR [   0.9s] n could not run: creating container db: no such image\n"
        );
    }

    #[test]
    fn a_hostile_scenario_name_cannot_reach_the_terminal() {
        let t = line("a\u{1b}[2Jb\u{202e}", 1000, Err("image x\u{1b}]0;t\u{7}"));
        assert_eq!(
            t,
            "ERROR [   1.0s] a\\u{1b}[2Jb\\u{202e} could not run: image x\\u{1b}]0;t\\u{7}\n"
        );
    }

    #[test]
    fn colour_only_on_the_status_word() {
        let mut out = Vec::new();
        let colour = Palette::coloured(true);
        fmt_line(&mut out, "n", Duration::ZERO, Ok(&outcome(true)), colour).unwrap();
        let t = String::from_utf8(out).unwrap();
        assert!(t.starts_with("\u{1b}["), "{t:?}");
        assert!(t.ends_with("[   0.0s] n restored-bad-state\n"), "{t:?}");
    }

    #[test]
    fn details_only_for_drills_that_did_not_match_unless_verbose() {
        let play = |verbose: bool| {
            let mut r = LinesReporter::new(Vec::new(), Palette::PLAIN, verbose);
            let matched = record(vec![Ok(outcome(true))]);
            let mut missed = record(vec![Ok(outcome(false))]);
            missed.scenario = "missed".into();
            for rec in [&matched, &missed] {
                r.report(&Event::ScenarioFinished(Box::new(rec.clone())));
            }
            r.report(&Event::RunFinished(crate::outcome::Summary::default()));
            String::from_utf8(r.into_inner()).unwrap()
        };
        let quiet = play(false);
        assert!(!quiet.contains("● notnull-code-only"), "{quiet}");
        assert!(quiet.contains("● missed"), "{quiet}");
        assert!(
            quiet.contains("2 drills: 1 matched, 1 did not\n"),
            "{quiet}"
        );
        let verbose = play(true);
        assert!(verbose.contains("● notnull-code-only"), "{verbose}");
        assert!(verbose.contains("● missed"), "{verbose}");
    }
}
