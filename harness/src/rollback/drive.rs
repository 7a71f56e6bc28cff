//! The drill's sequence, phase by phase: bring up the previous release, capture, deploy,
//! decide, roll back, verify. Timeline events are recorded as each happens; faults are
//! injected as their phase starts.

use std::time::Instant;

use super::judge::{self, Observed};
use super::schedule::FaultSchedule;
use super::steps::{roll_back, StepEffects, StepInputs};
use super::trigger::{await_decision, onset, Decision};
use super::{snapshot, DrillError, DrillOutcome};
use crate::db::{applied_version, Catalog, MigrationSet, MigrationStep};
use crate::env::DrillEnv;
use crate::faults;
use crate::outcome::Capture;
use crate::scenario::{Migrations, Phase, Release, Scenario, Strategy};
use crate::timeline::{EventKind, Timeline};
use crate::traffic::Workload;
use crate::verify::{Observer, Progress};
use crate::vocab::chain;

pub async fn drive(
    env: &mut DrillEnv,
    s: &Scenario,
    tl: &mut Timeline,
) -> Result<DrillOutcome, DrillError> {
    faults::prepare(env, s).await?;
    let services: Vec<&str> = s.services.iter().map(|x| x.name.as_str()).collect();
    let ready = format!(
        "database {}, services: {}",
        s.database.image,
        if services.is_empty() {
            "none".into()
        } else {
            services.join(", ")
        }
    );
    tl.record(EventKind::EnvironmentReady, ready);
    let mut faults = FaultSchedule::new(env, s);
    let (from, to) = (s.from_release(), s.to_release());
    let (mut migrations, _) = migrate_up(env, from, None).await?;
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
    let capture_ref = env.images[&from.name].clone();
    let captured_image = c.image_id.clone();
    env.cut_over(s, c, &from.name).await?;

    let workload = Workload::start(
        &s.traffic,
        env.endpoint.clone(),
        env.sandbox.run_id().as_str(),
    );
    let observer = Observer::default();
    let observing = judge::spawn_observer(env, s, &workload, &observer);
    let traffic_start = Instant::now();
    tokio::time::sleep(s.deploy.warmup).await;

    let capture = Capture {
        release: from.name.clone(),
        image_ref: capture_ref,
        image_id: captured_image,
        migration_version: applied_version(&env.pool).await?,
        schema: Catalog::capture(&env.pool).await?,
        env: env.app_env(s, from, false),
    };
    let snap = match s.rollback.strategy {
        Strategy::RestoreSnapshot => Some(
            snapshot::take(env)
                .await
                .map_err(|e| DrillError::Setup(chain(&e)))?,
        ),
        _ => None,
    };
    tl.record(
        EventKind::Captured,
        format!(
            "{} at migration {}",
            capture.image_id, capture.migration_version
        ),
    );
    faults.at(env, Phase::BeforeDeploy, tl).await?;

    let deploy_start = Instant::now();
    tl.record_at(
        deploy_start,
        EventKind::DeployStarted,
        format!("{} -> {}", from.name, to.name),
    );
    faults.at(env, Phase::DuringMigrateUp, tl).await?;
    let stop = faults.migrator_stop(Phase::DuringMigrateUp);
    let (steps, stopped) = migrate_up(env, to, stop).await?;
    migrations.extend(steps);
    // A migrator that died means a failed deploy: the decision to roll back is immediate.
    let deploy_failed = stopped.then(|| {
        format!(
            "deploy failed: the migrator stopped after {} statement(s)",
            stop.unwrap_or(0)
        )
    });
    match &deploy_failed {
        Some(why) => tl.record(EventKind::Fault, why),
        None => tl.record(
            EventKind::MigrationsApplied,
            format!(
                "{} at version {}",
                to.name,
                applied_version(&env.pool).await?
            ),
        ),
    }
    faults.at(env, Phase::AfterMigrateUp, tl).await?;
    if deploy_failed.is_none() {
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
    }
    let serving_since = Instant::now();
    faults.at(env, Phase::AfterDeploy, tl).await?;

    let decision = match deploy_failed {
        Some(reason) => Decision::Fired {
            at: Instant::now(),
            reason,
        },
        None => await_decision(&s.rollback.trigger, &workload, serving_since).await,
    };
    observing.stop().await;

    let mut records = Vec::new();
    let mut effects = StepEffects::default();
    let mut failure = None;
    let mut interrupted = None;
    let decided_at = match &decision {
        Decision::Fired { at, reason } => {
            let onset_at = workload.with_log(|log| onset(log, deploy_start, &s.rollback.trigger));
            if let Some(o) = onset_at.filter(|o| o <= at) {
                tl.record_at(
                    o,
                    EventKind::DegradationOnset,
                    "first failed or slow request",
                );
            }
            tl.record_at(*at, EventKind::RollbackDecision, reason);
            Some(*at)
        }
        Decision::GaveUp { .. } => None,
    };
    let progress = if decided_at.is_some() {
        faults.at(env, Phase::BeforeRollback, tl).await?;
        let inputs = StepInputs {
            scenario: s,
            captured_image: &capture.image_id,
            captured_version: capture.migration_version,
        };
        let done = roll_back(env, &inputs, &mut faults, tl, &mut effects, &mut records).await?;
        interrupted = done.interrupted;
        let result = done.result;
        match result {
            Ok(()) => Progress::Completed,
            Err(why) => {
                failure = Some(why);
                Progress::StepFailed
            }
        }
    } else {
        Progress::NeverTriggered
    };
    migrations.extend(effects.migrations.iter().cloned());

    faults.heal_all(env, tl).await?;
    faults.at(env, Phase::DuringVerification, tl).await?;
    let mut oracles = Vec::new();
    let mut verified_at = None;
    if decided_at.is_some() {
        let v =
            judge::verify_rollback(env, s, &capture, &effects, &progress, decided_at, tl).await?;
        oracles = v.oracles;
        verified_at = v.verified_at;
    }
    faults.heal_all(env, tl).await?;
    tokio::time::sleep(s.traffic.observe_after).await;
    let log = workload.stop().await;
    let observed = Observed {
        capture,
        snapshot: snap,
        decision,
        decided_at,
        verified_at,
        traffic_start,
        deploy_start,
        serving_since,
        progress,
        failure,
        interrupted,
        records,
        migrations,
        effects,
        log,
        observer,
        fault_spans: faults.spans(),
    };
    judge::finish(env, s, tl, observed, oracles).await
}

async fn migrate_up(
    env: &DrillEnv,
    release: &Release,
    stop: Option<u32>,
) -> Result<(Vec<MigrationStep>, bool), DrillError> {
    let Migrations::Folder(path) = &release.migrations else {
        return Ok((Vec::new(), false));
    };
    let set = MigrationSet::load(path).await?;
    Ok(match stop {
        Some(k) => set.apply_stopping(&env.pool, k).await?,
        None => (set.apply(&env.pool).await?, false),
    })
}
