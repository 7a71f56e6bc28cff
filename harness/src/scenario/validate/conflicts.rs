//! Faults that cannot share a schedule, beyond the kinds a `FaultSpec` excludes: faults at one
//! phase are injected back to back, so two of a kind that heals would overlap (the engine
//! refuses to pause a paused container), only the first kill-migrator of a migration acts,
//! and a release's image can be removed once.

use super::super::catalog::{FaultCatalog, FaultSpec};
use super::super::fault::RELEASE;
use super::super::model::Phase;
use super::super::raw::{RawFault, RawParam, S};
use super::Checker;
use crate::vocab::{FaultKind, Vocabulary};

/// One fault as far as conflicts go: its index, kind, phase and the release it names.
struct Placed<'a> {
    index: usize,
    spec: &'static FaultSpec,
    at: Phase,
    release: Option<&'a str>,
}

impl Checker<'_> {
    /// Reports each fault that conflicts with an earlier one, at its `kind`.
    pub(super) fn conflicts<C: FaultCatalog>(&mut self, raw: &[S<RawFault<C>>]) {
        let placed: Vec<Placed> = raw
            .iter()
            .enumerate()
            .filter_map(|(index, f)| {
                let f = f.get_ref();
                let spec = C::specs()
                    .iter()
                    .copied()
                    .find(|s| s.kind.as_str() == f.kind.get_ref())?;
                let at = Phase::table()
                    .into_iter()
                    .find(|(name, _)| name == f.at.get_ref())?
                    .1;
                let release = f.param(RELEASE).and_then(|v| match v.get_ref() {
                    RawParam::Text(t) => Some(t.as_str()),
                    _ => None,
                });
                Some(Placed {
                    index,
                    spec,
                    at,
                    release,
                })
            })
            .collect();
        for (n, later) in placed.iter().enumerate() {
            let Some(why) = placed[..n]
                .iter()
                .find_map(|earlier| conflict(earlier, later))
            else {
                continue;
            };
            let kind = &raw[later.index].get_ref().kind;
            self.error(kind.span(), &format!("fault[{}].kind", later.index), why);
        }
    }
}

/// Why `later` cannot be scheduled alongside `earlier`, if it cannot.
fn conflict(earlier: &Placed, later: &Placed) -> Option<String> {
    let (kind, first) = (later.spec.kind, earlier.index);
    if earlier.spec.kind != kind {
        return None;
    }
    if earlier.at == later.at && later.spec.heals {
        return Some(format!(
            "fault[{first}] is a {kind} at {} too, still in effect when this one is injected; \
             two cannot overlap, so place one at another phase",
            later.at.as_str()
        ));
    }
    if earlier.at == later.at && kind == FaultKind::KillMigrator {
        return Some(format!(
            "fault[{first}] already stops the migrator at {}; only one kill-migrator acts per \
             migration",
            later.at.as_str()
        ));
    }
    if kind == FaultKind::RemoveImage
        && earlier.release.is_some()
        && earlier.release == later.release
    {
        return Some(format!(
            "fault[{first}] already removes the image of release `{}`",
            later.release.unwrap_or_default()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::scenario::validate::tests::{inline, problem, MANUAL, MINIMAL};

    fn faults(body: &str) -> String {
        format!("{MINIMAL}{MANUAL}{body}")
    }

    fn fault(at: &str, kind: &str) -> String {
        format!("[[fault]]\nat = \"{at}\"\nkind = \"{kind}\"\n")
    }

    #[test]
    fn two_healing_faults_of_a_kind_cannot_share_a_phase() {
        let text = faults(
            &(fault("after-deploy", "pause-database") + &fault("after-deploy", "pause-database")),
        );
        let (line, column, key, message) = problem(&text);
        assert_eq!((line, column, key.as_str()), (26, 8, "fault[1].kind"));
        assert_eq!(
            message,
            "fault[0] is a pause-database at after-deploy too, still in effect when this one is \
             injected; two cannot overlap, so place one at another phase"
        );
        let apart = faults(
            &(fault("after-deploy", "pause-database")
                + &fault("before-rollback", "pause-database")),
        );
        assert!(inline(&apart).is_ok());
        let kinds =
            faults(&(fault("after-deploy", "pause-database") + &fault("after-deploy", "latency")));
        assert!(inline(&kinds).is_ok());
    }

    #[test]
    fn one_image_is_removed_once_and_one_migrator_killed_once() {
        let gone = |at: &str| format!("{}release = \"baseline\"\n", fault(at, "remove-image"));
        let (_, _, key, message) =
            problem(&faults(&(gone("after-deploy") + &gone("before-rollback"))));
        assert_eq!(
            (key.as_str(), message.as_str()),
            (
                "fault[1].kind",
                "fault[0] already removes the image of release `baseline`"
            )
        );
        let migrations = "[releases.expand]\nimage = \"rollcage/ledger:expand\"\n\
                          migrations = \"../fixtures/ledger/migrations/expand\"\n";
        let text = MINIMAL.replace(
            "[releases.expand]\nimage = \"rollcage/ledger:expand\"\n",
            migrations,
        );
        let kill = fault("during-migrate-up", "kill-migrator");
        let (_, _, key, message) = problem(&format!("{text}{MANUAL}{kill}{kill}"));
        assert_eq!(key, "fault[1].kind");
        assert_eq!(
            message,
            "fault[0] already stops the migrator at during-migrate-up; only one kill-migrator \
             acts per migration"
        );
    }
}
