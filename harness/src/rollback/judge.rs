//! After the rollback: the oracles that establish the end state (`verify_rollback`), the
//! write audit, harm and budget, the figures, and the assembled `DrillOutcome` (`finish`).
//! Each oracle is emitted as it is checked.

use std::time::{Duration, Instant};

use super::drill::{read_data, Drill};
use super::quiet;
use super::trigger::Decision;
use super::DrillError;
use crate::db::Catalog;
use crate::env::DrillEnv;
use crate::outcome::{Capture, Deployed, DrillOutcome, EndState, RecoveryPoint};
use crate::scenario::{Phase, Scenario, Step, Trigger};
use crate::timeline::{EventKind, Figures};
use crate::traffic::{probe_until_healthy, Probe, TrafficLog};
use crate::verify::{self, DataAudit, Observer, OracleResult, Progress, WriteAudit};
use crate::vocab::human;
use crate::vocab::Oracle;

/// What the drill saw besides the `Drill` itself, handed to `finish`.
pub struct Observed {
    pub decision: Decision,
    pub decided_at: Option<Instant>,
    pub verified_at: Option<Instant>,
    pub traffic_start: Instant,
    pub deploy_start: Instant,
    pub serving_since: Instant,
    pub progress: Progress,
    pub failure: Option<String>,
    pub interrupted: Option<String>,
    pub log: TrafficLog,
    pub observer: Observer,
}

/// Health (probed again, within what is left of the budget, since faults may have hit after
/// the switch), smoke, digest and schema. When the rollback completed, emits `Verified` and
/// returns its instant.
pub async fn verify_rollback(
    d: &mut Drill<'_>,
    progress: &Progress,
    decided_at: Option<Instant>,
) -> Result<Option<Instant>, DrillError> {
    let s = d.scenario;
    let probe = probe_again(d.env, s, d.effects.previous_probe.clone(), decided_at).await;
    let exited = d.effects.previous_exit.clone();
    let exited = exited.as_ref().map(|e| e as &dyn std::error::Error);
    d.checked(verify::check_health(
        &s.from_release().name,
        probe.as_ref(),
        exited,
    ));
    super::checks::run_at(d, Phase::DuringVerification).await;
    let smoke = super::checks::smoke(&d.checks.results);
    d.checked(smoke);
    let running = d
        .env
        .app
        .as_ref()
        .map(|(c, _)| c.image_id.clone())
        .unwrap_or_default();
    d.checked(verify::check_digest(&d.capture.image_id, &running));
    let reverts = s
        .rollback
        .steps
        .iter()
        .any(|st| matches!(st, Step::MigrateDown | Step::RestoreSnapshot));
    let now = Catalog::capture(&d.env.pool).await?;
    d.checked(verify::check_schema(reverts, &d.capture.schema, &now));
    if *progress != Progress::Completed {
        return Ok(None);
    }
    let now = Instant::now();
    let what = "health, smoke, digest and schema checked";
    d.emit.milestone_at(now, EventKind::Verified, what);
    Ok(Some(now))
}

/// The previous release's probe after the code switch, probed again if it was healthy.
async fn probe_again(
    env: &DrillEnv,
    s: &Scenario,
    probe: Option<Probe>,
    decided_at: Option<Instant>,
) -> Option<Probe> {
    let (Some(p), Some(addr)) = (&probe, env.serving_addr()) else {
        return probe;
    };
    if p.healthy_at.is_none() {
        return probe;
    }
    let spent = decided_at.map(|d| d.elapsed()).unwrap_or_default();
    let left = s
        .rollback
        .budget
        .saturating_sub(spent)
        .clamp(Duration::from_millis(500), s.app.ready_timeout);
    let interval = s.app.probe_interval;
    Some(probe_until_healthy(&env.client, addr, &s.app.health_path, interval, left).await)
}

/// The write audit, harm and budget oracles, the figures, and the outcome. The writes are
/// audited whether or not a rollback happened: a quiet trigger's report still counts what
/// was acknowledged and reads it back from the release that kept serving.
pub async fn finish(mut d: Drill<'_>, mut o: Observed) -> Result<DrillOutcome, DrillError> {
    let end = Instant::now();
    let data = match o.decided_at {
        Some(_) => judge_data(&mut d).await,
        None => None,
    };
    let intact = data
        .as_ref()
        .is_some_and(|a| a.undeclared().next().is_none());
    let audit = audit_writes(&mut d, &o, intact).await;
    let figures = super::attribute::judge_traffic(&mut d, &o, end);
    if let Decision::GaveUp { after } = o.decision {
        settle_quiet(d.scenario, &mut o, after, &figures);
    }
    let end_state = match o.decided_at {
        Some(_) => Some(end_state(d.env, &d.capture).await?),
        None => None,
    };
    let judged = Judged {
        figures,
        audit,
        data,
        end_state,
    };
    Ok(outcome(d, o, judged))
}

/// A trigger that gave up was right (`NotNeeded`) or wrong (`NeverTriggered`, with the
/// degradation as the failure) by the rule in `quiet`: the deployed traffic against the
/// pre-deploy baseline, and the trigger's conditions over the last window it measured.
fn settle_quiet(s: &Scenario, o: &mut Observed, after: Duration, figures: &Figures) {
    let Trigger::Auto(auto) = &s.rollback.trigger else {
        return;
    };
    let gave_up_at = o.serving_since + after;
    let from = gave_up_at
        .checked_sub(auto.window)
        .unwrap_or(o.serving_since)
        .max(o.serving_since);
    let last = o.log.window(from, gave_up_at);
    let (before, deployed) = (&figures.before_deploy, &figures.deployed);
    let never = format!("the trigger never fired in {}", human(after));
    match quiet::degradation(before, deployed, &last, &auto.conditions) {
        Some(how) => {
            o.progress = Progress::NeverTriggered;
            o.failure = Some(format!("{never} while traffic degraded: {how}"));
        }
        // Not a failure: the verdict and the traffic figures say why none was needed.
        None => o.progress = Progress::NotNeeded,
    }
}

/// What `finish` established after the rollback, for the outcome.
struct Judged {
    figures: Figures,
    audit: WriteAudit,
    data: Option<DataAudit>,
    end_state: Option<EndState>,
}

/// The database's content after the rollback against just before the decision: the data
/// oracle. `None` (the oracle skipped, saying why) when either side could not be read.
async fn judge_data(d: &mut Drill<'_>) -> Option<DataAudit> {
    let after = read_data(d.env).await;
    let data = &d.data;
    let (before, after) = match (&data.before_decision, &after) {
        (Some(Ok(b)), Ok(a)) => (b, a),
        (Some(Err(e)), _) | (_, Err(e)) => {
            let why = format!("the database's content could not be read: {e}");
            d.checked(OracleResult::skip(Oracle::Data, why));
            return None;
        }
        (None, _) => return None,
    };
    let deployed_from = data.deployed_from.as_ref().and_then(|r| r.as_ref().ok());
    let audit = verify::compare_data(before, after, deployed_from, &d.scenario.allowed_loss);
    let result = verify::check_data(before, after, &audit);
    d.checked(result);
    Some(audit)
}

/// Reads every acknowledged write back and checks it against what the observer saw.
/// `data_intact`: the data oracle found nothing lost, so a field the restored release does
/// not return is one it does not know, not one destroyed.
async fn audit_writes(d: &mut Drill<'_>, o: &Observed, data_intact: bool) -> WriteAudit {
    let s = d.scenario;
    let reader = verify::Reader {
        client: &d.env.client,
        addr: d.env.serving_addr(),
        pool: &d.env.pool,
        read_back: &s.traffic.read_back,
    };
    let since_snapshot = d.snapshot.map(|x| x.taken_at);
    let (writes, audit) = verify::check_writes(
        &reader,
        &o.log.acks,
        &o.observer,
        &s.allowed_loss,
        since_snapshot,
        data_intact,
    )
    .await;
    d.checked(writes);
    audit
}

/// The assembled outcome, judged against the scenario's expectation.
fn outcome(d: Drill<'_>, o: Observed, judged: Judged) -> DrillOutcome {
    let Judged {
        figures,
        audit,
        data,
        end_state,
    } = judged;
    let s = d.scenario;
    let tl = d.emit.timeline();
    let (from, to) = (s.from_release(), s.to_release());
    let mut outcome = DrillOutcome {
        scenario: s.name.clone(),
        file: s.source.display().to_string(),
        run_id: d.env.sandbox.run_id().to_string(),
        database_image: s.database.image.clone(),
        deploy: Deployed {
            from: from.name.clone(),
            to: to.name.clone(),
        },
        strategy: s.rollback.strategy,
        verdict: verify::decide(&o.progress, &d.oracles),
        expected: s.expect.verdict,
        expected_failing: s.expect.failing_oracles.clone(),
        matched: false,
        failure: o.failure,
        interrupted: o.interrupted,
        decision: match &o.decision {
            Decision::Fired { reason, .. } => Some(reason.clone()),
            Decision::GaveUp { .. } => None,
        },
        steps: d.records,
        migrations: d.migrations,
        timeline: tl.events().to_vec(),
        figures,
        recovery_point: d.snapshot.map(|x| RecoveryPoint {
            snapshot_at: x.taken_at.duration_since(tl.origin()),
            writes_lost: audit.lost_since_snapshot,
        }),
        oracles: d.oracles,
        capture: d.capture,
        writes: audit,
        data,
        end_state,
        // Set by the caller, which ran preflight before the environment existed.
        preflight: Vec::new(),
        predictions: Default::default(),
    };
    outcome.judge();
    outcome
}

/// What runs now, at which version, and the schema against the pre-deploy snapshot.
async fn end_state(env: &DrillEnv, capture: &Capture) -> Result<EndState, DrillError> {
    // Named by the build that runs, not by the release the scenario started it as.
    let (release, image_id) = env
        .app
        .as_ref()
        .map(|(c, _)| {
            let release = env.serving.release_of(&c.image_id);
            let release = release.unwrap_or("unknown image").to_string();
            (release, c.image_id.clone())
        })
        .unwrap_or_default();
    Ok(EndState {
        release,
        image_id,
        migration_version: crate::db::applied_version(&env.pool).await?,
        schema_diff: capture
            .schema
            .diff(&Catalog::capture(&env.pool).await?)
            .lines,
    })
}
