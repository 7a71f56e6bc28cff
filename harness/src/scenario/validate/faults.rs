//! Checks for `[[fault]]`: the phase, the kind, and the keys each kind takes — a release for
//! image faults, a duration for faults that heal, a delay, a statement count, a memory cap.

use std::time::Duration;

use super::super::model::{Fault, FaultKind, Phase, Release, ScheduledFault, Step};
use super::super::raw::RawFault;
use super::{Checker, S};
use crate::vocab::Vocabulary;

impl Checker<'_> {
    pub(super) fn faults(
        &mut self,
        raw: &[S<RawFault>],
        releases: &[Release],
        steps: &[Step],
    ) -> Vec<ScheduledFault> {
        let disk_full = raw
            .iter()
            .any(|f| f.get_ref().kind.get_ref() == FaultKind::DiskFull.as_str());
        let phases = Phase::table();
        let kinds = FaultKind::table();
        let mut out = Vec::new();
        for (i, f) in raw.iter().enumerate() {
            let (key, span, f) = (format!("fault[{i}]"), f.span(), f.get_ref());
            let at = self.choose(&f.at, &format!("{key}.at"), &phases);
            let Some(kind) = self.choose(&f.kind, &format!("{key}.kind"), &kinds) else {
                continue;
            };
            let mut takes = vec!["at", "kind"];
            let release = |c: &mut Self, name: &str| -> String {
                match name {
                    "release" => f.release.as_ref(),
                    _ => f.to.as_ref(),
                }
                .map(|r| c.release_ref(r, &format!("{key}.{name}"), releases))
                .unwrap_or_else(|| {
                    let message = format!("missing required key ({kind} needs it)");
                    c.error(span.clone(), &format!("{key}.{name}"), message);
                    String::new()
                })
            };
            let fault = match kind {
                FaultKind::MoveTag => {
                    takes.extend(["release", "to"]);
                    let r = release(self, "release");
                    Fault::MoveTag {
                        release: r,
                        to: release(self, "to"),
                    }
                }
                FaultKind::RemoveImage => {
                    takes.push("release");
                    Fault::RemoveImage {
                        release: release(self, "release"),
                    }
                }
                FaultKind::KillApp => Fault::KillApp,
                FaultKind::KillDatabase => Fault::KillDatabase,
                FaultKind::RestartDatabase => Fault::RestartDatabase,
                FaultKind::PauseDatabase => Fault::PauseDatabase,
                FaultKind::Partition => Fault::Partition,
                FaultKind::Latency => {
                    takes.push("delay");
                    let delay = self.duration(
                        f.delay.as_ref(),
                        &format!("{key}.delay"),
                        Duration::from_millis(200),
                        false,
                    );
                    Fault::Latency { delay }
                }
                FaultKind::ResetConnections => Fault::ResetConnections,
                FaultKind::KillMigrator => {
                    takes.push("after-statements");
                    Fault::KillMigrator {
                        after_statements: f
                            .after_statements
                            .as_ref()
                            .map(|n| *n.get_ref())
                            .unwrap_or(0),
                    }
                }
                FaultKind::DiskFull => Fault::DiskFull,
                FaultKind::AppMemoryLimit => {
                    takes.push("megabytes");
                    let mb = f.megabytes.as_ref().map(|n| *n.get_ref()).unwrap_or(16);
                    if let Some(n) = f.megabytes.as_ref().filter(|_| mb < 6) {
                        self.error(
                            n.span(),
                            &format!("{key}.megabytes"),
                            "must be at least 6 (the engine's smallest memory limit)",
                        );
                    }
                    Fault::AppMemoryLimit { megabytes: mb }
                }
            };
            self.placement(f, &key, &fault, at, steps, disk_full);
            let duration = if fault.heals() {
                takes.push("duration");
                Some(self.duration(
                    f.duration.as_ref(),
                    &format!("{key}.duration"),
                    Duration::from_secs(1),
                    false,
                ))
            } else {
                None
            };
            self.refuse_extra(f, &key, kind.as_str(), &takes);
            out.extend(at.map(|at| ScheduledFault {
                at,
                fault,
                duration,
            }));
        }
        out
    }

    /// A fault must be placed where it can act, or the drill would silently skip it.
    fn placement(
        &mut self,
        f: &RawFault,
        key: &str,
        fault: &Fault,
        at: Option<Phase>,
        steps: &[Step],
        disk_full: bool,
    ) {
        let at_key = format!("{key}.at");
        let migrator = matches!(fault, Fault::KillMigrator { .. });
        if migrator
            && !matches!(
                at,
                Some(Phase::DuringMigrateUp | Phase::DuringMigrateDown) | None
            )
        {
            let message = "kill-migrator acts while a migrator runs: at must be during-migrate-up or during-migrate-down";
            self.error(f.at.span(), &at_key, message);
        }
        if matches!(fault, Fault::RemoveImage { .. })
            && !matches!(at, Some(Phase::AfterDeploy | Phase::BeforeRollback) | None)
        {
            let message = "an image can only be removed once no container runs it: at must be after-deploy or before-rollback";
            self.error(f.at.span(), &at_key, message);
        }
        if at == Some(Phase::DuringMigrateDown) && !steps.contains(&Step::MigrateDown) {
            self.error(
                f.at.span(),
                &at_key,
                "the rollback has no migrate-down step, so this phase never comes",
            );
        }
        if disk_full && matches!(fault, Fault::KillDatabase | Fault::RestartDatabase) {
            let message = "cannot be combined with disk-full: a restarted database finds its tmpfs data directory empty";
            self.error(f.kind.span(), &format!("{key}.kind"), message);
        }
    }

    /// Keys this kind does not take are errors, so a typo'd schedule never runs silently.
    fn refuse_extra(&mut self, f: &RawFault, key: &str, kind: &str, takes: &[&str]) {
        let given = [
            ("release", f.release.as_ref().map(|v| v.span())),
            ("to", f.to.as_ref().map(|v| v.span())),
            ("duration", f.duration.as_ref().map(|v| v.span())),
            ("delay", f.delay.as_ref().map(|v| v.span())),
            (
                "after-statements",
                f.after_statements.as_ref().map(|v| v.span()),
            ),
            ("megabytes", f.megabytes.as_ref().map(|v| v.span())),
        ];
        for (name, span) in given {
            if let Some(span) = span.filter(|_| !takes.contains(&name)) {
                self.error(
                    span,
                    &format!("{key}.{name}"),
                    format!("kind = \"{kind}\" does not take `{name}`"),
                );
            }
        }
    }
}
