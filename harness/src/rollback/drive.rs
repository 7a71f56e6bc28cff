//! The drill's sequence, phase by phase: bring up the previous release, capture, deploy,
//! decide, roll back, verify. Timeline events are recorded as each happens.

use std::time::{Duration, Instant};

use super::env::DrillEnv;
use super::outcome::{Capture, DrillOutcome, RecoveryPoint};
use super::steps::{chain, run_step, step_name, StepEffects, StepInputs, StepRecord};
use super::trigger::{await_decision, onset, Decision};
use super::{snapshot, DrillError};
use crate::db::{applied_version, Catalog, MigrationSet, MigrationStep};
use crate::faults;
use crate::scenario::{Migrations, Phase, Release, Scenario, Step, Strategy};
use crate::timeline::{EventKind, Figures, Timeline};
use crate::traffic::{stats, Workload};
use crate::verify::{self, Observer, Progress, WriteAudit};

pub async fn drive(
    env: &mut DrillEnv,
    s: &Scenario,
    tl: &mut Timeline,
) -> Result<DrillOutcome, DrillError> {
    faults::prepare(env, s).await?;
    let (from, to) = (s.from_release(), s.to_release());
    let mut migrations = migrate_up(env, from).await?;
    let (c, _, probe) = env
        .launch(s, from, &env.images[&from.name].clone(), false)
        .await?;
    let Some(healthy_at) = probe.healthy_at else {
        return Err(DrillError::Setup(format!(
            "{} never became healthy before the deploy (last answer: {}); the scenario's environment is wrong",
            from.name, probe.last_answer
        )));
    };
    tl.record_at(healthy_at, EventKind::PreviousReleaseHealthy, &from.name);
    let capture_image_ref = env.images[&from.name].clone();
    let captured_image = c.image_id.clone();
    env.cut_over(s, c, &from.name).await?;

    let workload = Workload::start(
        &s.traffic,
        env.endpoint.clone(),
        env.sandbox.run_id().as_str(),
    );
    let observer = Observer::default();
    let (stop_observing, observing) = spawn_observer(env, s, &workload, &observer);
    let traffic_start = Instant::now();
    tokio::time::sleep(s.deploy.warmup).await;

    let capture = Capture {
        release: from.name.clone(),
        image_ref: capture_image_ref,
        image_id: captured_image,
        migration_version: applied_version(&env.pool).await?,
        schema: Catalog::capture(&env.pool).await?,
        env: env.app_env(s, from, false),
    };
    let wants_snapshot = s.rollback.strategy == Strategy::RestoreSnapshot;
    let snap = if wants_snapshot {
        Some(
            snapshot::take(env)
                .await
                .map_err(|e| DrillError::Setup(chain(&e)))?,
        )
    } else {
        None
    };
    tl.record(
        EventKind::Captured,
        format!(
            "{} at migration {}",
            capture.image_id, capture.migration_version
        ),
    );
    inject_faults(env, s, Phase::BeforeDeploy, tl).await?;

    let deploy_start = Instant::now();
    tl.record_at(
        deploy_start,
        EventKind::DeployStarted,
        format!("{} -> {}", from.name, to.name),
    );
    migrations.extend(migrate_up(env, to).await?);
    tl.record(
        EventKind::MigrationsApplied,
        format!(
            "{} at version {}",
            to.name,
            applied_version(&env.pool).await?
        ),
    );
    inject_faults(env, s, Phase::AfterMigrateUp, tl).await?;
    let (c, _, probe) = env
        .launch(s, to, &env.images[&to.name].clone(), false)
        .await?;
    match probe.healthy_at {
        Some(at) => tl.record_at(at, EventKind::NewReleaseHealthy, &to.name),
        None => tl.record(
            EventKind::NewReleaseHealthy,
            format!("{} NEVER healthy: {}", to.name, probe.last_answer),
        ),
    }
    env.cut_over(s, c, &to.name).await?;
    let serving_since = Instant::now();
    inject_faults(env, s, Phase::AfterDeploy, tl).await?;

    let decision = await_decision(&s.rollback.trigger, &workload, serving_since).await;
    let (decided_at, decision_text) = match &decision {
        Decision::Fired { at, reason } => (Some(*at), Some(reason.clone())),
        Decision::GaveUp { .. } => (None, None),
    };
    let _ = stop_observing.send(true);
    let _ = observing.await;

    let mut records = Vec::new();
    let mut effects = StepEffects::default();
    let mut failure = None;
    let progress = if let (Some(at), Some(reason)) = (decided_at, &decision_text) {
        let onset_at = workload.with_log(|log| onset(log, deploy_start, &s.rollback.trigger));
        if let Some(o) = onset_at.filter(|o| *o <= at) {
            tl.record_at(
                o,
                EventKind::DegradationOnset,
                "first failed or slow request",
            );
        }
        tl.record_at(at, EventKind::RollbackDecision, reason);
        inject_faults(env, s, Phase::BeforeRollback, tl).await?;
        let inputs = StepInputs {
            scenario: s,
            captured_image: &capture.image_id,
            captured_version: capture.migration_version,
        };
        let mut progress = Progress::Completed;
        for step in &s.rollback.steps {
            let name = step_name(*step);
            let started = Instant::now();
            tl.record_at(started, EventKind::StepStarted, name);
            let result = run_step(*step, env, &inputs, tl, &mut effects).await;
            let took = started.elapsed();
            let (ok, detail) = match result {
                Ok(d) => (true, d),
                Err(d) => (false, d),
            };
            tl.record(
                if ok {
                    EventKind::StepFinished
                } else {
                    EventKind::StepFailed
                },
                format!("{name}: {detail}"),
            );
            records.push(StepRecord {
                step: name,
                took,
                ok,
                detail: detail.clone(),
            });
            if !ok {
                failure = Some(format!("step {name} failed: {detail}"));
                progress = Progress::StepFailed;
                break;
            }
        }
        progress
    } else {
        Progress::NeverTriggered
    };
    migrations.extend(effects.migrations.iter().cloned());

    let mut oracles = Vec::new();
    let mut verified_at = None;
    if decided_at.is_some() {
        oracles.push(verify::check_health(
            &from.name,
            effects.previous_probe.as_ref(),
        ));
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
        if progress == Progress::Completed {
            let now = Instant::now();
            tl.record_at(
                now,
                EventKind::Verified,
                "health, smoke, digest and schema checked",
            );
            verified_at = Some(now);
        }
    }
    tokio::time::sleep(s.traffic.observe_after).await;
    let log = workload.stop().await;
    let end = Instant::now();

    let mut audit = WriteAudit::default();
    if decided_at.is_some() {
        let reader = verify::Reader {
            client: &env.client,
            addr: env.serving_addr(),
            pool: &env.pool,
            read_back: &s.traffic.read_back,
        };
        let (writes, a) = verify::check_writes(
            &reader,
            &log.acks,
            &observer,
            &s.allowed_loss,
            snap.map(|x| x.taken_at),
        )
        .await;
        audit = a;
        oracles.push(writes);
    }
    let decided = decided_at.unwrap_or(end);
    let deployed = log.window(serving_since, decided);
    let rollback = log.window(decided, verified_at.unwrap_or(end));
    let restoring: Vec<(Instant, Instant)> = restore_spans(tl, &records);
    let during = stats(log.samples.iter().filter(|x| {
        x.done >= decided
            && x.done < verified_at.unwrap_or(end)
            && !restoring.iter().any(|(a, b)| x.done >= *a && x.done <= *b)
    }));
    let after = verified_at.map(|v| log.window(v, end)).unwrap_or_default();
    let recovery_time = decided_at
        .zip(verified_at)
        .map(|(d, v)| v.duration_since(d));
    if decided_at.is_some() {
        oracles.push(verify::check_harm(&deployed, &during, &after));
        oracles.push(verify::check_budget(recovery_time, s.rollback.budget));
    }
    let figures = Figures {
        recovery_time,
        time_to_detect: tl
            .first(&EventKind::DegradationOnset)
            .zip(decided_at)
            .map(|(o, d)| d.duration_since(tl.origin() + o)),
        outage: log
            .failure_span(deploy_start, end)
            .map(|(a, b)| b.duration_since(a)),
        time_to_healthy: effects.time_to_healthy,
        before_deploy: log.window(traffic_start, deploy_start),
        deployed,
        rollback,
        failed_after_rollback: after.failed,
    };
    let verdict = verify::decide(&progress, &oracles);
    let mut outcome = DrillOutcome {
        scenario: s.name.clone(),
        file: s.source.display().to_string(),
        run_id: env.sandbox.run_id().to_string(),
        database_image: s.database.image.clone(),
        deploy: format!("{} -> {}", from.name, to.name),
        strategy: s.rollback.strategy.as_str().to_string(),
        verdict,
        expected: s.expect.verdict,
        expected_failing: s.expect.failing_oracles.clone(),
        matched: false,
        failure: failure.or_else(|| match decision {
            Decision::GaveUp { after } => Some(format!("the trigger never fired in {after:?}")),
            _ => None,
        }),
        decision: decision_text,
        oracles,
        steps: records,
        migrations,
        timeline: tl.events().to_vec(),
        figures,
        recovery_point: snap.map(|x| RecoveryPoint {
            snapshot_at: x.taken_at.duration_since(tl.origin()),
            writes_lost: audit.lost_since_snapshot,
        }),
        capture,
        writes: audit,
    };
    outcome.judge();
    Ok(outcome)
}

/// When each restore-snapshot step ran (its announced outage), as instants.
fn restore_spans(tl: &Timeline, records: &[StepRecord]) -> Vec<(Instant, Instant)> {
    let started = tl
        .events()
        .iter()
        .filter(|e| e.kind == EventKind::StepStarted && e.detail == "restore-snapshot");
    started
        .zip(records.iter().filter(|r| r.step == "restore-snapshot"))
        .map(|(e, r)| (tl.origin() + e.at, tl.origin() + e.at + r.took))
        .collect()
}

async fn migrate_up(env: &DrillEnv, release: &Release) -> Result<Vec<MigrationStep>, DrillError> {
    match &release.migrations {
        Migrations::Folder(path) => Ok(MigrationSet::load(path).await?.apply(&env.pool).await?),
        Migrations::None | Migrations::SelfManaged => Ok(Vec::new()),
    }
}

async fn inject_faults(
    env: &mut DrillEnv,
    s: &Scenario,
    phase: Phase,
    tl: &mut Timeline,
) -> Result<(), DrillError> {
    for f in s.faults.iter().filter(|f| f.at == phase) {
        let what = faults::inject(env, &f.fault).await?;
        tl.record(EventKind::Fault, what);
    }
    Ok(())
}

/// Reads back acknowledged writes every 100 ms until told to stop, so the audit knows what
/// each write looked like before the rollback.
fn spawn_observer(
    env: &DrillEnv,
    s: &Scenario,
    workload: &Workload,
    observer: &Observer,
) -> (
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<()>,
) {
    let (tx, mut rx) = tokio::sync::watch::channel(false);
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
                _ = rx.changed() => break,
            }
            let acks = log.lock().unwrap_or_else(|e| e.into_inner()).acks.clone();
            if let Some(addr) = endpoint.get() {
                observer.observe(&client, addr, &read_back, &acks).await;
            }
        }
    });
    (tx, task)
}
