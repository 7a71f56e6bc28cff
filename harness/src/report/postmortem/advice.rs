//! The advice table of the postmortem: for each lint or preflight rule, each oracle and each
//! way a step can fail, which bucket its action item belongs to and what to do. The one place
//! every reporter's action items come from.

use super::Bucket::{self, SaferDeploys, TrustworthyRollback};
use crate::outcome::StepCause;
use crate::vocab::{Oracle, Rule};

/// The bucket and advice for a finding of `rule`.
pub fn for_rule(rule: Rule) -> (Bucket, &'static str) {
    use Rule::*;
    match rule {
        AddNotNullWithoutDefault | SetNotNull => (
            TrustworthyRollback,
            "add the column with a default, or make the old code write it",
        ),
        RenameColumn => (
            TrustworthyRollback,
            "add the new column beside the old one and write both; drop the old one a release later",
        ),
        RenameTable => (
            TrustworthyRollback,
            "keep the old name readable (a view) until no release that uses it can return",
        ),
        ChangeColumnType => (
            TrustworthyRollback,
            "add a column of the new type and backfill it; keep the old one while the previous release can return",
        ),
        DropColumn | DropTable | DropObject => (
            TrustworthyRollback,
            "stop using it in one release and drop it in a later one",
        ),
        AddConstraint => (
            TrustworthyRollback,
            "make the previous release satisfy the constraint, or add it only once that release is retired",
        ),
        AddEnumValue => (
            TrustworthyRollback,
            "ship a release that reads the new label before the one that writes it",
        ),
        RenameType => (
            TrustworthyRollback,
            "add the new name beside the old one instead of renaming in place",
        ),
        DropDefault => (
            TrustworthyRollback,
            "keep the default until no release that leaves the column out can return",
        ),
        DropNotNull => (
            TrustworthyRollback,
            "make the previous release read NULLs before the new one writes them",
        ),
        DropUniqueConstraint => (
            TrustworthyRollback,
            "keep the constraint the previous release's ON CONFLICT names until it is retired",
        ),
        NoDownMigration => (
            TrustworthyRollback,
            "write the down migration, or roll this release back by code or by snapshot only",
        ),
        DownDropsData => (
            TrustworthyRollback,
            "compensate, don't revert: keep what the new release wrote (copy it aside) or declare the loss",
        ),
        DownAborts => (
            TrustworthyRollback,
            "make the down migration handle what the new release wrote before it restores the constraint",
        ),
        EnumValueIrreversible => (
            TrustworthyRollback,
            "leave the label in place on the way back and make the previous release read it",
        ),
        RollbackTargetMissing => (
            TrustworthyRollback,
            "keep the previous release's image: exempt it from retention until the next release is proven",
        ),
        RollbackTargetNotPinned => (
            TrustworthyRollback,
            "redeploy the previous release by digest, never by a mutable tag",
        ),
        DownBeforeSwitchCode => (
            TrustworthyRollback,
            "switch the code back (or turn the flags off) before migrating down",
        ),
        DestructiveUp => (
            SaferDeploys,
            "copy the old data aside before the deploy overwrites it, or leave it in place until the release is proven",
        ),
        MigrationUnreadable => (
            SaferDeploys,
            "make the migration readable to lint: an unread migration ships unchecked",
        ),
    }
}

/// The bucket and advice for a failing `oracle`.
pub fn for_oracle(oracle: Oracle) -> (Bucket, &'static str) {
    match oracle {
        Oracle::Health => (
            TrustworthyRollback,
            "make the previous release start on the schema the deploy leaves behind",
        ),
        Oracle::Smoke => (
            TrustworthyRollback,
            "keep the schema usable by the previous release's requests (expand now, contract later)",
        ),
        Oracle::Digest => (
            TrustworthyRollback,
            "redeploy by the digest captured before the deploy, not by tag",
        ),
        Oracle::Schema => (
            TrustworthyRollback,
            "make the down migrations restore the pre-deploy schema exactly",
        ),
        Oracle::Traffic => (
            TrustworthyRollback,
            "the restored release must serve what it served before: test it against the new schema",
        ),
        Oracle::Data => (
            TrustworthyRollback,
            "keep every row and value the database held: compensate instead of dropping",
        ),
        Oracle::Writes => (
            TrustworthyRollback,
            "keep acknowledged writes readable by the previous release",
        ),
        Oracle::Harm => (
            TrustworthyRollback,
            "order the rollback so it fails fewer requests than the bad release did (flags, code, then schema)",
        ),
        Oracle::Budget => (
            TrustworthyRollback,
            "make the rollback faster than its budget: keep the previous image local and its steps short",
        ),
    }
}

/// The bucket and advice for a step that failed with `cause`.
pub fn for_step(cause: StepCause) -> (Bucket, &'static str) {
    match cause {
        StepCause::ArtifactMissing => (
            TrustworthyRollback,
            "keep the previous release's image where the rollback can reach it",
        ),
        StepCause::DownMigrationsMissing => (
            TrustworthyRollback,
            "ship down migrations with the release, or choose a code-only or snapshot rollback",
        ),
        StepCause::MigrationFailed => (
            TrustworthyRollback,
            "run the down migrations against a copy of production data before the deploy",
        ),
        StepCause::MigratorStopped => (
            TrustworthyRollback,
            "make each down migration transactional or safe to run again",
        ),
        StepCause::SnapshotRestoreFailed => (
            TrustworthyRollback,
            "rehearse the snapshot restore itself; a snapshot never restored is not a backup",
        ),
        StepCause::Runtime => (
            TrustworthyRollback,
            "check that the platform can start the previous release while the new one runs",
        ),
        StepCause::ReleaseExited => (
            TrustworthyRollback,
            "make the previous release start on the state the deploy left behind",
        ),
    }
}

/// The item a rollback that never triggered calls for.
pub const TRIGGER: (Bucket, &str) = (
    SaferDeploys,
    "tighten the rollback trigger: it stayed quiet while the new release degraded",
);

/// The item a degraded deploy calls for.
pub const DEGRADED: (Bucket, &str) = (
    SaferDeploys,
    "expose the new release to a share of traffic first, so its failures reach fewer requests",
);
