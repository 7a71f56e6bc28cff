//! Checks for `[[fault]]`: the phase, the kind, and the keys each kind takes, as its
//! `FaultSpec` declares them (types, defaults, limits), where it may be placed and which
//! other kinds it cannot share a scenario with.

use super::super::catalog::{FaultCatalog, FaultSpec, ParamType, DEFAULT_DURATION, DURATION};
use super::super::model::{Fault, FaultKind, Phase, Release, ScheduledFault, Step};
use super::super::raw::{DurationText, RawFault, RawParam};
use super::{Checker, S};
use crate::scenario::fault::{FaultParams, ParamValue};
use crate::vocab::Vocabulary;

impl Checker<'_> {
    pub(super) fn faults<C: FaultCatalog>(
        &mut self,
        raw: &[S<RawFault<C>>],
        releases: &[Release],
        steps: &[Step],
    ) -> Vec<ScheduledFault> {
        let specs = C::specs();
        let mut present: Vec<&FaultSpec> = Vec::new();
        for f in raw {
            let spec = specs
                .iter()
                .find(|s| s.kind.as_str() == f.get_ref().kind.get_ref());
            if let Some(spec) = spec.filter(|s| !present.iter().any(|p| p.kind == s.kind)) {
                present.push(spec);
            }
        }
        let phases = Phase::table();
        let kinds: Vec<(&str, FaultKind)> =
            specs.iter().map(|s| (s.kind.as_str(), s.kind)).collect();
        let mut out = Vec::new();
        for (i, f) in raw.iter().enumerate() {
            let key = format!("fault[{i}]");
            let at = self.choose(&f.get_ref().at, &format!("{key}.at"), &phases);
            let kind = self.choose(&f.get_ref().kind, &format!("{key}.kind"), &kinds);
            let Some(spec) = kind.and_then(C::spec) else {
                continue;
            };
            let params = self.params(f, &key, spec, releases);
            let f = f.get_ref();
            self.placement(f, &key, spec, at, steps, &present);
            let duration = spec.heals.then(|| {
                let given = f.param(DURATION).and_then(duration_text);
                let key = format!("{key}.{DURATION}");
                self.duration(given.as_ref(), &key, DEFAULT_DURATION, false)
            });
            self.refuse_extra(f, &key, spec);
            out.extend(at.map(|at| ScheduledFault {
                at,
                fault: Fault {
                    kind: spec.kind,
                    params,
                },
                duration,
            }));
        }
        out
    }

    /// The keys `spec` declares, each checked, defaulted where it may be left out.
    fn params<C>(
        &mut self,
        f: &S<RawFault<C>>,
        key: &str,
        spec: &FaultSpec,
        releases: &[Release],
    ) -> FaultParams {
        let (span, f) = (f.span(), f.get_ref());
        let mut out = FaultParams::default();
        for p in spec.params {
            let (given, name) = (f.param(p.name), format!("{key}.{}", p.name));
            let value = match p.ty {
                ParamType::Release => match given.and_then(text) {
                    Some(v) => ParamValue::Release(self.release_ref(&v, &name, releases)),
                    None => {
                        let message = format!("missing required key ({} needs it)", spec.kind);
                        self.error(span.clone(), &name, message);
                        ParamValue::Release(String::new())
                    }
                },
                ParamType::Duration { default } => {
                    let given = given.and_then(duration_text);
                    ParamValue::Duration(self.duration(given.as_ref(), &name, default, false))
                }
                ParamType::Count { default, at_least } => {
                    let n = given.and_then(count);
                    if let (Some(n), Some((min, why))) = (n.as_ref(), at_least) {
                        if *n.get_ref() < min {
                            let message = format!("must be at least {min} ({why})");
                            self.error(n.span(), &name, message);
                        }
                    }
                    ParamValue::Count(n.map_or(default, |n| n.into_inner()))
                }
            };
            out.set(p.name, value);
        }
        out
    }

    /// A fault must be placed where it can act, or the drill would silently skip it.
    fn placement<C>(
        &mut self,
        f: &RawFault<C>,
        key: &str,
        spec: &FaultSpec,
        at: Option<Phase>,
        steps: &[Step],
        present: &[&FaultSpec],
    ) {
        let at_key = format!("{key}.at");
        if let (Some(rule), Some(at)) = (spec.acts_at, at) {
            if !rule.phases.contains(&at) {
                let phases: Vec<&str> = rule.phases.iter().map(|p| p.as_str()).collect();
                let why = rule.why.replace("{kind}", spec.kind.as_str());
                let message = format!("{why}: at must be {}", phases.join(" or "));
                self.error(f.at.span(), &at_key, message);
            }
        }
        if at == Some(Phase::DuringMigrateDown) && !steps.contains(&Step::MigrateDown) {
            self.error(
                f.at.span(),
                &at_key,
                "the rollback has no migrate-down step, so this phase never comes",
            );
        }
        for other in present {
            if let Some(ex) = other.excludes.filter(|ex| (ex.applies)(spec)) {
                let message = format!("cannot be combined with {}: {}", other.kind, ex.why);
                self.error(f.kind.span(), &format!("{key}.kind"), message);
            }
        }
    }

    /// Keys this kind does not take are errors, so a typo'd schedule never runs silently.
    fn refuse_extra<C>(&mut self, f: &RawFault<C>, key: &str, spec: &FaultSpec) {
        for (name, value) in &f.params {
            if spec.key(name).is_none() {
                self.error(
                    value.span(),
                    &format!("{key}.{name}"),
                    format!("kind = \"{}\" does not take `{name}`", spec.kind),
                );
            }
        }
    }
}

fn text(v: &S<RawParam>) -> Option<S<String>> {
    match v.get_ref() {
        RawParam::Text(t) => Some(S::new(v.span(), t.clone())),
        _ => None,
    }
}

fn duration_text(v: &S<RawParam>) -> Option<S<DurationText>> {
    match v.get_ref() {
        RawParam::Duration(d) => Some(S::new(v.span(), d.clone())),
        _ => None,
    }
}

fn count(v: &S<RawParam>) -> Option<S<u32>> {
    match v.get_ref() {
        RawParam::Count(n) => Some(S::new(v.span(), *n)),
        _ => None,
    }
}
