//! The drill's sequence, one function per phase: bring up the previous release, capture,
//! deploy (`deploy.rs`), decide, roll back, verify. Events are emitted as each thing happens;
//! faults are injected as their phase is entered.

use std::time::Instant;

use super::attribute;
use super::commands;
use super::deploy::{deploy, migrate_up, Deploy};
use super::drill::{read_data, DataCaptures, Drill};
use super::emit::Emitter;
use super::judge::{self, Observed};
use super::observe::{spawn_observer, Observing};
use super::schedule::FaultSchedule;
use super::snapshot::{self, Snapshot};
use super::steps;
use super::trigger::{await_decision, onset, Decision};
use super::{DrillError, DrillOutcome};
use crate::db::{applied_version, Catalog, MigrationStep};
use crate::env::DrillEnv;
use crate::events::DrillEventKind;
use crate::faults;
use crate::outcome::Capture;
use crate::scenario::{Migrations, Phase, Scenario, Strategy};
use crate::timeline::EventKind;
use crate::traffic::Workload;
use crate::verify::{Observer, Progress};
use crate::vocab::chain;

/// How the rollback went: how far it got, why it stopped, and what interrupted it first.
struct Rollback {
    progress: Progress,
    failure: Option<String>,
    interrupted: Option<String>,
}

/// Runs the drill in `env`, which the caller set up and tears down, emitting every event.
pub async fn drive(
    env: &mut DrillEnv,
    s: &Scenario,
    mut emit: Emitter<'_>,
) -> Result<DrillOutcome, DrillError> {
    faults::prepare(env, s).await?;
    emit.milestone(EventKind::EnvironmentReady, environment(s));
    let faults = FaultSchedule::new(env, s);
    let (migrations, image_id, tool_version) = bring_up_previous(env, s, &mut emit).await?;
    let workload = Workload::start(
        &s.traffic,
        env.endpoint.clone(),
        env.sandbox.run_id().as_str(),
    );
    let observer = Observer::new(&s.traffic.read_back);
    let observing = spawn_observer(env, &workload, &observer);
    let traffic_start = Instant::now();
    tokio::time::sleep(s.deploy.warmup).await;
    // Read before the snapshot is taken: every row it holds is then also in the snapshot.
    let deployed_from = read_data(env).await;
    let (capture, snapshot) = capture(env, s, (image_id, tool_version), &mut emit).await?;
    let mut d = Drill {
        env,
        scenario: s,
        capture,
        snapshot,
        faults,
        emit,
        migrations,
        effects: Default::default(),
        records: Vec::new(),
        oracles: Vec::new(),
        data: DataCaptures {
            deployed_from: Some(deployed_from),
            before_decision: None,
        },
        checks: Default::default(),
    };
    d.enter(Phase::BeforeDeploy).await?;
    let deploy = deploy(&mut d).await?;
    let (decision, decided_at) =
        decide(&mut d, &deploy, (&workload, traffic_start), observing).await;
    let rollback = roll_back(&mut d, decided_at.is_some()).await?;
    let verified_at = verify(&mut d, decided_at, &rollback.progress).await?;
    let restored = decided_at.and_then(|at| d.env.serving.last_cut_over_since(at));
    if let Some((cut, _)) = restored {
        let_restored_serve(&workload, cut).await;
    }
    let observed = Observed {
        decision,
        decided_at,
        verified_at,
        traffic_start,
        deploy_start: deploy.start,
        serving_since: deploy.serving_since,
        progress: rollback.progress,
        failure: rollback.failure,
        interrupted: rollback.interrupted,
        log: workload.stop().await,
        observer,
    };
    judge::finish(d, observed).await
}

/// Requests the restored release serves, at least, before its traffic is judged.
const MIN_SERVED: usize = 20;
/// The longest that wait lasts: a workload too slow to send them is judged on what it sent.
const MIN_SERVED_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Keeps the workload running until the restored release has served `MIN_SERVED` requests
/// since the cut-over at `cut`: with `observe-after = "0s"` a fast verification would leave
/// one or two, too few for the traffic oracle to tell a failing release from bad luck.
async fn let_restored_serve(workload: &Workload, cut: Instant) {
    let until = Instant::now() + MIN_SERVED_WITHIN;
    while Instant::now() < until {
        let served = workload.with_log(|log| log.samples.iter().filter(|x| x.sent >= cut).count());
        if served >= MIN_SERVED {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The environment-ready line: the database and the scenario's services.
fn environment(s: &Scenario) -> String {
    let services: Vec<&str> = s.services.iter().map(|x| x.name.as_str()).collect();
    format!(
        "database {}, services: {}",
        s.database.image,
        if services.is_empty() {
            "none".into()
        } else {
            services.join(", ")
        }
    )
}

/// The previous release migrated, started, healthy and serving: its migrations, the image id
/// it runs, and the version its `version` command printed (command migrations that have one).
/// A previous release that dies or never gets healthy means the scenario is wrong.
async fn bring_up_previous(
    env: &mut DrillEnv,
    s: &Scenario,
    emit: &mut Emitter<'_>,
) -> Result<(Vec<MigrationStep>, String, Option<String>), DrillError> {
    let from = s.from_release();
    let (mut migrations, _) = migrate_up(env, s, from, None).await?;
    let mut tool_version = None;
    if let Migrations::Commands(c) = &from.migrations {
        if let Some((version, step)) = commands::version(env, s, (from, c)).await? {
            migrations.push(step);
            tool_version = Some(version);
        }
    }
    let image = env.images[&from.name].clone();
    let launched = env.launch(s, from, &image, false).await?;
    let c = launched.container.map_err(DrillError::PreviousExited)?;
    let Some(healthy_at) = launched.probe.healthy_at else {
        return Err(DrillError::PreviousNeverHealthy {
            release: from.name.clone(),
            last_answer: launched.probe.last_answer,
        });
    };
    emit.milestone_at(healthy_at, EventKind::PreviousReleaseHealthy, &from.name);
    let image_id = c.image_id.clone();
    env.cut_over(s, c, &from.name).await?;
    Ok((migrations, image_id, tool_version))
}

/// What the previous release is before the deploy, and the snapshot a restore needs.
async fn capture(
    env: &DrillEnv,
    s: &Scenario,
    (image_id, tool_version): (String, Option<String>),
    emit: &mut Emitter<'_>,
) -> Result<(Capture, Option<Snapshot>), DrillError> {
    let from = s.from_release();
    let capture = Capture {
        release: from.name.clone(),
        image_ref: env.images[&from.name].clone(),
        image_id,
        migration_version: applied_version(&env.pool).await?,
        tool_version,
        schema: Catalog::capture(&env.pool).await?,
        env: env.app_env(s, from, false),
    };
    let snapshot = match s.rollback.strategy {
        Strategy::RestoreSnapshot => Some(snapshot::take(env).await.map_err(DrillError::Snapshot)?),
        _ => None,
    };
    emit.milestone(
        EventKind::Captured,
        match &capture.tool_version {
            Some(v) => format!("{} at migration {v}", capture.image_id),
            None => format!(
                "{} at migration {}",
                capture.image_id, capture.migration_version
            ),
        },
    );
    Ok((capture, snapshot))
}

/// Waits for the rollback decision (at once after a failed deploy), stops reading writes back,
/// and emits the previous release failing while the deploy ran (if it did), the degradation
/// onset and the decision. The decision and, if it fired, when.
async fn decide(
    d: &mut Drill<'_>,
    deploy: &Deploy,
    (workload, traffic_start): (&Workload, Instant),
    observing: Observing,
) -> (Decision, Option<Instant>) {
    let trigger = &d.scenario.rollback.trigger;
    let decision = match &deploy.failed {
        Some(reason) => Decision::Fired {
            at: Instant::now(),
            reason: reason.clone(),
        },
        None => await_decision(trigger, workload, deploy.serving_since).await,
    };
    observing.stop().await;
    let Decision::Fired { at, reason } = &decision else {
        return (decision, None);
    };
    let from = d.scenario.deploy.from.as_str();
    let windows = (
        (traffic_start, deploy.start),
        (deploy.start, deploy.serving_since),
    );
    let finding = workload
        .with_log(|log| attribute::failing_while_deploying(log, windows.0, windows.1, from));
    if let Some((at, what)) = finding {
        d.emit
            .milestone_at(at, EventKind::PreviousFailingOnNewSchema, what);
    }
    let onset_at = workload.with_log(|log| onset(log, deploy.start, trigger));
    if let Some(o) = onset_at.filter(|o| o <= at) {
        let what = "first failed or slow request";
        d.emit.milestone_at(o, EventKind::DegradationOnset, what);
    }
    let (at, reason) = (*at, reason.clone());
    d.emit.at(at, DrillEventKind::Decision { reason });
    d.data.before_decision = Some(read_data(d.env).await);
    (decision, Some(at))
}

/// Runs the rollback steps once the decision is made.
async fn roll_back(d: &mut Drill<'_>, decided: bool) -> Result<Rollback, DrillError> {
    if !decided {
        return Ok(Rollback {
            progress: Progress::NeverTriggered,
            failure: None,
            interrupted: None,
        });
    }
    d.enter(Phase::BeforeRollback).await?;
    let done = steps::roll_back(d).await?;
    let interrupted = done.interrupted.map(|e| chain(&e));
    Ok(match done.result {
        Ok(()) => Rollback {
            progress: Progress::Completed,
            failure: None,
            interrupted,
        },
        Err(e) => Rollback {
            progress: Progress::StepFailed,
            failure: Some(chain(&e)),
            interrupted,
        },
    })
}

/// Heals every fault, checks the end state (after a decision), heals what verification's own
/// faults did, and lets traffic run on. When the rollback was verified, if it was.
async fn verify(
    d: &mut Drill<'_>,
    decided_at: Option<Instant>,
    progress: &Progress,
) -> Result<Option<Instant>, DrillError> {
    d.heal_all().await?;
    d.enter(Phase::DuringVerification).await?;
    let mut verified_at = None;
    if decided_at.is_some() {
        verified_at = judge::verify_rollback(d, progress, decided_at).await?;
    }
    d.heal_all().await?;
    tokio::time::sleep(d.scenario.traffic.observe_after).await;
    Ok(verified_at)
}
