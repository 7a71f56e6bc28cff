//! The spinner on stderr while a drill runs ("drill 3/14: notnull-code-only"); hidden when
//! stderr is not a terminal or with `--quiet`, so logs and pipes get only the reports.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// One spinner at a time, replaced for each drill and cleared before its report prints.
pub struct Progress {
    total: usize,
    visible: bool,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// For `total` scenarios; shown only on a terminal and when not `quiet`.
    pub fn new(total: usize, quiet: bool) -> Progress {
        Progress {
            total,
            visible: !quiet && std::io::stderr().is_terminal(),
            bar: None,
        }
    }

    pub fn visible(&self) -> bool {
        self.visible
    }

    /// Shows the spinner for scenario number `index` (1-based), run `repetition` of `repeat`.
    pub fn start(&mut self, index: usize, scenario: &str, repetition: usize, repeat: usize) {
        self.clear();
        if !self.visible {
            return;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed:.dim}") {
            bar.set_style(style);
        }
        bar.set_message(message(index, self.total, scenario, repetition, repeat));
        bar.enable_steady_tick(Duration::from_millis(120));
        self.bar = Some(bar);
    }

    /// Removes the spinner, so what is printed next starts on a clean line.
    pub fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `drill 3/14: notnull-code-only`, with `(run 2/5)` when repeated.
pub fn message(
    index: usize,
    total: usize,
    scenario: &str,
    repetition: usize,
    repeat: usize,
) -> String {
    let mut m = format!("drill {index}/{total}: {scenario}");
    if repeat > 1 {
        m.push_str(&format!(" (run {repetition}/{repeat})"));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert_eq!(
            message(3, 14, "notnull-code-only", 1, 1),
            "drill 3/14: notnull-code-only"
        );
        assert_eq!(message(1, 2, "x", 2, 5), "drill 1/2: x (run 2/5)");
    }

    #[test]
    fn quiet_is_hidden() {
        let mut p = Progress::new(1, true);
        assert!(!p.visible());
        p.start(1, "x", 1, 1);
        assert!(p.bar.is_none());
    }
}
