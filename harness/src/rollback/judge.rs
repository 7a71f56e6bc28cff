//! After the rollback: the oracles that establish the end state (`verify_rollback`), the
//! write audit, harm and budget, the figures, and the assembled `DrillOutcome` (`finish`).

use std::time::{Duration, Instant};

use super::snapshot::Snapshot;
use super::steps::StepEffects;
use super::trigger::Decision;
use super::DrillError;
use crate::db::{Catalog, MigrationStep};
use crate::env::DrillEnv;
use crate::outcome::StepRecord;
use crate::outcome::{Capture, Deployed, DrillOutcome, EndState, RecoveryPoint};
use crate::scenario::{Scenario, Step};
use crate::timeline::{EventKind, Figures, Timeline};
use crate::traffic::{probe_until_healthy, stats, TrafficLog, Workload};
use crate::verify::{self, Observer, OracleResult, Progress};

/// How long after a fault heals its aftermath is still the fault's (pools reconnecting).
const FAULT_GRACE: Duration = Duration::from_millis(500);

/// What the drill saw, handed to `finish`.
pub struct Observed {
    pub capture: Capture,
    pub snapshot: Option<Snapshot>,
    pub decision: Decision,
    pub decided_at: Option<Instant>,
    pub verified_at: Option<Instant>,
    pub traffic_start: Instant,
    pub deploy_start: Instant,
    pub serving_since: Instant,
    pub progress: Progress,
    pub failure: Option<String>,
    pub interrupted: Option<String>,
    pub records: Vec<StepRecord>,
    pub migrations: Vec<MigrationStep>,
    pub effects: StepEffects,
    pub log: TrafficLog,
    pub observer: Observer,
    /// When injected faults were in effect.
    pub fault_spans: Vec<(Instant, Instant)>,
}

pub struct Verification {
    pub oracles: Vec<OracleResult>,
    pub verified_at: Option<Instant>,
}

/// Health (probed again, within what is left of the budget, since faults may have hit after
/// the switch), smoke, digest and schema. Records `Verified` when the rollback completed.
pub async fn verify_rollback(
    env: &mut DrillEnv,
    s: &Scenario,
    capture: &Capture,
    effects: &StepEffects,
    progress: &Progress,
    decided_at: Option<Instant>,
    tl: &mut Timeline,
) -> Result<Verification, DrillError> {
    let from = s.from_release();
    let mut probe = effects.previous_probe.clone();
    if let (Some(p), Some(addr)) = (&probe, env.serving_addr()) {
        if p.healthy_at.is_some() {
            let spent = decided_at.map(|d| d.elapsed()).unwrap_or_default();
            let left = s
                .rollback
                .budget
                .saturating_sub(spent)
                .clamp(Duration::from_millis(500), s.app.ready_timeout);
            let again = probe_until_healthy(
                &env.client,
                addr,
                &s.app.health_path,
                s.app.probe_interval,
                left,
            )
            .await;
            probe = Some(again);
        }
    }
    let mut oracles = vec![verify::check_health(&from.name, probe.as_ref())];
    let smoke = verify::check_smoke(
        &env.client,
        env.serving_addr(),
        &s.smoke,
        env.sandbox.run_id().as_str(),
    )
    .await;
    if !smoke.failed() {
        tl.record(EventKind::SmokePassed, &smoke.message);
    }
    oracles.push(smoke);
    let running = env
        .app
        .as_ref()
        .map(|(c, _)| c.image_id.clone())
        .unwrap_or_default();
    oracles.push(verify::check_digest(&capture.image_id, &running));
    let reverts = s
        .rollback
        .steps
        .iter()
        .any(|st| matches!(st, Step::MigrateDown | Step::RestoreSnapshot));
    oracles.push(verify::check_schema(
        reverts,
        &capture.schema,
        &Catalog::capture(&env.pool).await?,
    ));
    let mut verified_at = None;
    if *progress == Progress::Completed {
        let now = Instant::now();
        tl.record_at(
            now,
            EventKind::Verified,
            "health, smoke, digest and schema checked",
        );
        verified_at = Some(now);
    }
    Ok(Verification {
        oracles,
        verified_at,
    })
}

/// The write audit, harm and budget oracles, the figures, and the outcome.
pub async fn finish(
    env: &DrillEnv,
    s: &Scenario,
    tl: &Timeline,
    o: Observed,
    mut oracles: Vec<OracleResult>,
) -> Result<DrillOutcome, DrillError> {
    let end = Instant::now();
    let mut audit = verify::WriteAudit::default();
    if o.decided_at.is_some() {
        let reader = verify::Reader {
            client: &env.client,
            addr: env.serving_addr(),
            pool: &env.pool,
            read_back: &s.traffic.read_back,
        };
        let since_snapshot = o.snapshot.map(|x| x.taken_at);
        let (writes, a) = verify::check_writes(
            &reader,
            &o.log.acks,
            &o.observer,
            &s.allowed_loss,
            since_snapshot,
        )
        .await;
        audit = a;
        oracles.push(writes);
    }
    let log = &o.log;
    let decided = o.decided_at.unwrap_or(end);
    let verified_or_end = o.verified_at.unwrap_or(end);
    let deployed = log.window(o.serving_since, decided);
    // Announced outages (a snapshot restore) and injected faults, plus a moment for the app to
    // reconnect after a fault heals, are not the rollback's harm.
    let mut excused = restore_spans(tl, &o.records);
    excused.extend(o.fault_spans.iter().map(|(a, b)| (*a, *b + FAULT_GRACE)));
    let judged =
        |x: &&crate::traffic::Sample| !excused.iter().any(|(a, b)| x.sent <= *b && x.done >= *a);
    let during = stats(
        log.samples
            .iter()
            .filter(|x| x.done >= decided && x.done < verified_or_end)
            .filter(judged),
    );
    let after = match o.verified_at {
        Some(v) => stats(
            log.samples
                .iter()
                .filter(|x| x.done >= v && x.done < end)
                .filter(judged),
        ),
        None => Default::default(),
    };
    let recovery_time = o
        .decided_at
        .zip(o.verified_at)
        .map(|(d, v)| v.duration_since(d));
    if o.decided_at.is_some() {
        oracles.push(verify::check_harm(&deployed, &during, &after));
        oracles.push(verify::check_budget(recovery_time, s.rollback.budget));
    }
    let onset = tl
        .first(&EventKind::DegradationOnset)
        .map(|at| tl.origin() + at);
    let figures = Figures {
        recovery_time,
        time_to_detect: onset.zip(o.decided_at).map(|(on, d)| d.duration_since(on)),
        outage: log
            .failure_span(o.deploy_start, end)
            .map(|(a, b)| b.duration_since(a)),
        time_to_healthy: o.effects.time_to_healthy,
        before_deploy: log.window(o.traffic_start, o.deploy_start),
        deployed,
        rollback: log.window(decided, verified_or_end),
        failed_after_rollback: after.failed,
    };
    let end_state = match o.decided_at {
        Some(_) => Some(end_state(env, &o.capture).await?),
        None => None,
    };
    let verdict = verify::decide(&o.progress, &oracles);
    let (from, to) = (s.from_release(), s.to_release());
    let mut outcome = DrillOutcome {
        scenario: s.name.clone(),
        file: s.source.display().to_string(),
        run_id: env.sandbox.run_id().to_string(),
        database_image: s.database.image.clone(),
        deploy: Deployed {
            from: from.name.clone(),
            to: to.name.clone(),
        },
        strategy: s.rollback.strategy,
        verdict,
        expected: s.expect.verdict,
        expected_failing: s.expect.failing_oracles.clone(),
        matched: false,
        failure: o.failure.or_else(|| match &o.decision {
            Decision::GaveUp { after } => Some(format!("the trigger never fired in {after:?}")),
            _ => None,
        }),
        interrupted: o.interrupted,
        decision: match &o.decision {
            Decision::Fired { reason, .. } => Some(reason.clone()),
            Decision::GaveUp { .. } => None,
        },
        oracles,
        steps: o.records,
        migrations: o.migrations,
        timeline: tl.events().to_vec(),
        figures,
        recovery_point: o.snapshot.map(|x| RecoveryPoint {
            snapshot_at: x.taken_at.duration_since(tl.origin()),
            writes_lost: audit.lost_since_snapshot,
        }),
        capture: o.capture,
        writes: audit,
        end_state,
        // Set by the caller, which ran preflight before the environment existed.
        preflight: Vec::new(),
        predictions: Default::default(),
    };
    outcome.judge();
    Ok(outcome)
}

/// What runs now, at which version, and the schema against the pre-deploy snapshot.
async fn end_state(env: &DrillEnv, capture: &Capture) -> Result<EndState, DrillError> {
    let (release, image_id) = env
        .app
        .as_ref()
        .map(|(c, r)| (r.clone(), c.image_id.clone()))
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

/// When each restore-snapshot step ran (its announced outage), as instants.
fn restore_spans(tl: &Timeline, records: &[StepRecord]) -> Vec<(Instant, Instant)> {
    records
        .iter()
        .filter(|r| r.step == Step::RestoreSnapshot)
        .map(|r| (tl.origin() + r.at, tl.origin() + r.at + r.took))
        .collect()
}

/// The background reader that records what each acknowledged write looked like before the
/// rollback decision.
pub struct Observing {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Observing {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Reads back acknowledged writes every 100 ms until stopped.
pub fn spawn_observer(
    env: &DrillEnv,
    s: &Scenario,
    workload: &Workload,
    observer: &Observer,
) -> Observing {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let (client, endpoint, read_back, observer) = (
        env.client.clone(),
        env.endpoint.clone(),
        s.traffic.read_back.clone(),
        observer.clone(),
    );
    let log = workload.log_handle();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                _ = stopped.changed() => break,
            }
            let acks = log.lock().unwrap_or_else(|e| e.into_inner()).acks.clone();
            if let Some(addr) = endpoint.get() {
                observer.observe(&client, addr, &read_back, &acks).await;
            }
        }
    });
    Observing { stop, task }
}
