//! Checks for `[rollback]`: strategy, steps (defaults per strategy and the rules that tie
//! steps to strategy and releases), image-ref, budget and `[rollback.trigger]`.

use std::time::Duration;

use super::super::model::*;
use super::super::raw::*;
use super::limits::MOST_SAMPLES;
use super::{secs, Checker};
use crate::vocab::Vocabulary;

impl Checker<'_> {
    /// `to` is the release deployed; None when deploy.to is itself invalid (its checks are
    /// skipped then).
    pub(super) fn rollback(&mut self, raw: &S<RawRollback>, to: Option<&Release>) -> Rollback {
        let r = raw.get_ref();
        let strategy = self.choose(&r.strategy, "rollback.strategy", &Strategy::table());
        let steps = match (&r.steps, strategy) {
            (Some(list), _) => self.steps(list, strategy, to),
            (None, Some(strategy)) => {
                let steps = default_steps(strategy, to);
                if steps.contains(&Step::MigrateDown) {
                    self.down_migrations(to, r.strategy.span(), "rollback.strategy");
                }
                steps
            }
            (None, None) => vec![Step::SwitchCode],
        };
        let image_ref = match &r.image_ref {
            Some(v) => self.choose(v, "rollback.image-ref", &ImageRef::table()),
            None => Some(ImageRef::Digest),
        };
        Rollback {
            strategy: strategy.unwrap_or(Strategy::CodeOnly),
            steps,
            image_ref: image_ref.unwrap_or(ImageRef::Digest),
            trigger: self.trigger(&r.trigger),
            budget: self.duration(Some(&r.budget), "rollback.budget", secs(30), false),
        }
    }

    fn steps(
        &mut self,
        list: &S<Vec<S<String>>>,
        strategy: Option<Strategy>,
        to: Option<&Release>,
    ) -> Vec<Step> {
        let mut steps = Vec::new();
        for (i, name) in list.get_ref().iter().enumerate() {
            let key = format!("rollback.steps[{i}]");
            let Some(step) = self.choose(name, &key, &Step::table()) else {
                continue;
            };
            let (span, written) = (name.span(), name.get_ref());
            if steps.contains(&step) {
                self.error(span, &key, format!("`{written}` is listed twice"));
                continue;
            }
            let needs = match step {
                Step::MigrateDown => Some(Strategy::CodeAndSchema),
                Step::RestoreSnapshot => Some(Strategy::RestoreSnapshot),
                Step::FlagsOff | Step::SwitchCode => None,
            };
            if let (Some(needed), Some(strategy)) = (needs, strategy) {
                if needed != strategy {
                    let message = format!(
                        "the {written} step needs strategy = \"{}\"; this rollback is {}",
                        needed.as_str(),
                        strategy.as_str()
                    );
                    self.error(span, &key, message);
                    // One problem per step: whether it could run is moot once it does not belong.
                    steps.push(step);
                    continue;
                }
            }
            match (step, to) {
                (Step::FlagsOff, Some(to)) if to.flags.is_empty() => {
                    self.error(
                        span,
                        &key,
                        format!("release `{}` (deploy.to) has no flags to turn off", to.name),
                    );
                }
                (Step::MigrateDown, _) => self.down_migrations(to, span, &key),
                _ => {}
            }
            steps.push(step);
        }
        let mut require = |step: Step, why: &str| {
            if !steps.contains(&step) {
                self.error(list.span(), "rollback.steps", why.to_string());
            }
        };
        require(
            Step::SwitchCode,
            "switch-code is missing; every rollback switches the app back to deploy.from",
        );
        match strategy {
            Some(Strategy::CodeAndSchema) => require(
                Step::MigrateDown,
                "strategy code-and-schema needs a migrate-down step",
            ),
            Some(Strategy::RestoreSnapshot) => require(
                Step::RestoreSnapshot,
                "strategy restore-snapshot needs a restore-snapshot step",
            ),
            _ => {}
        }
        steps
    }

    /// migrate-down runs the deployed release's down migrations, so it needs a folder of them
    /// or a `down` command.
    fn down_migrations(&mut self, to: Option<&Release>, span: std::ops::Range<usize>, key: &str) {
        let can_go_down = |r: &Release| match &r.migrations {
            Migrations::Folder(_) => true,
            Migrations::Commands(c) => !c.down.is_empty(),
            Migrations::None | Migrations::SelfManaged => false,
        };
        if let Some(to) = to.filter(|to| !can_go_down(to)) {
            let message = format!(
                "migrate-down runs the down migrations of release `{}` (deploy.to), \
                 which has no migrations folder and no `down` command",
                to.name
            );
            self.error(span, key, message);
        }
    }

    fn trigger(&mut self, raw: &S<RawTrigger>) -> Trigger {
        let t = raw.get_ref();
        let auto = self.choose(
            &t.kind,
            "rollback.trigger.kind",
            &[("manual", false), ("auto", true)],
        );
        let auto_only = [
            ("window", t.window.as_ref().map(|v| v.span())),
            ("every", t.every.as_ref().map(|v| v.span())),
            ("need", t.need.as_ref().map(|v| v.span())),
            ("of", t.of.as_ref().map(|v| v.span())),
            ("give-up-after", t.give_up_after.as_ref().map(|v| v.span())),
            ("conditions", t.conditions.as_ref().map(|v| v.span())),
        ];
        if auto != Some(true) {
            for (name, span) in auto_only.into_iter().filter_map(|(n, s)| Some((n, s?))) {
                self.error(
                    span,
                    &format!("rollback.trigger.{name}"),
                    "only kind = \"auto\" takes this key",
                );
            }
            let after = self.duration(t.after.as_ref(), "rollback.trigger.after", secs(1), true);
            return Trigger::Manual { after };
        }
        if let Some(after) = &t.after {
            self.error(
                after.span(),
                "rollback.trigger.after",
                "only kind = \"manual\" takes this key",
            );
        }
        let need = t.need.as_ref().map_or(3, |n| *n.get_ref());
        let of = match &t.of {
            Some(n) if self.at_most(n, "rollback.trigger.of", (MOST_SAMPLES, " samples")) => {
                *n.get_ref()
            }
            Some(_) => need.max(4),
            None => 4,
        };
        let need_span = t
            .need
            .as_ref()
            .or(t.of.as_ref())
            .map_or(raw.span(), |n| n.span());
        if need == 0 {
            self.error(need_span, "rollback.trigger.need", "must be at least 1");
        } else if need > of {
            self.error(
                need_span,
                "rollback.trigger.need",
                format!("need ({need}) cannot exceed of ({of})"),
            );
        }
        let mut conditions = Vec::new();
        match &t.conditions {
            None => self.error(
                raw.span(),
                "rollback.trigger.conditions",
                "missing required key (an auto trigger needs a condition)",
            ),
            Some(list) if list.get_ref().is_empty() => self.error(
                list.span(),
                "rollback.trigger.conditions",
                "list at least one condition",
            ),
            Some(list) => {
                for (i, c) in list.get_ref().iter().enumerate() {
                    conditions
                        .extend(self.condition(c, &format!("rollback.trigger.conditions[{i}]")));
                }
            }
        }
        Trigger::Auto(AutoTrigger {
            window: self.duration(t.window.as_ref(), "rollback.trigger.window", secs(1), false),
            every: self.duration(
                t.every.as_ref(),
                "rollback.trigger.every",
                Duration::from_millis(250),
                false,
            ),
            need,
            of,
            conditions,
            give_up_after: self.duration(
                t.give_up_after.as_ref(),
                "rollback.trigger.give-up-after",
                secs(20),
                false,
            ),
        })
    }

    fn condition(&mut self, raw: &S<RawCondition>, key: &str) -> Option<Condition> {
        match (&raw.get_ref().error_rate_above, &raw.get_ref().p99_above) {
            (Some(rate), None) => {
                let r = *rate.get_ref();
                if !(r > 0.0 && r <= 1.0) {
                    self.error(
                        rate.span(),
                        &format!("{key}.error-rate-above"),
                        format!("{r} is not a rate in (0, 1]"),
                    );
                }
                Some(Condition::ErrorRateAbove(r))
            }
            (None, Some(p99)) => {
                let d = self.duration(Some(p99), &format!("{key}.p99-above"), secs(1), false);
                Some(Condition::P99Above(d))
            }
            _ => {
                let message = "a condition is exactly one of { error-rate-above = 0.05 } \
                    or { p99-above = \"200ms\" }";
                self.error(raw.span(), key, message);
                None
            }
        }
    }
}

/// The steps a strategy runs when the file lists none.
fn default_steps(strategy: Strategy, to: Option<&Release>) -> Vec<Step> {
    match strategy {
        Strategy::CodeOnly => vec![Step::SwitchCode],
        Strategy::CodeAndSchema if to.is_some_and(|to| !to.flags.is_empty()) => {
            vec![Step::FlagsOff, Step::SwitchCode, Step::MigrateDown]
        }
        Strategy::CodeAndSchema => vec![Step::SwitchCode, Step::MigrateDown],
        Strategy::RestoreSnapshot => vec![Step::SwitchCode, Step::RestoreSnapshot],
    }
}
