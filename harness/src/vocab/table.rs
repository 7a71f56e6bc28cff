//! The vocabulary table: every enum name and its one spelling.

use super::vocabulary;

vocabulary! {
    /// How a rollback ended, in the rollback-failure taxonomy.
    Verdict ("verdict") {
        /// The previous release runs, on a schema it understands, nothing acknowledged lost,
        /// in budget.
        Pass = "pass",
        /// The trigger never decided to roll back, and the new release's traffic degraded
        /// beyond the pre-deploy baseline: a rollback was needed.
        FailedToTrigger = "failed-to-trigger",
        /// The trigger never decided to roll back, and rightly: the new release's traffic held
        /// to the pre-deploy baseline (the false-positive check of a trigger).
        NoRollback = "no-rollback",
        /// A rollback step errored: artifact missing, down migration failed or absent.
        FailedToComplete = "failed-to-complete",
        /// The rollback completed but left a bad state: an oracle failed.
        RestoredBadState = "restored-bad-state",
        /// The rollback made things worse than the bad release: more errors, lost writes.
        CausedNewHarm = "caused-new-harm",
        /// Everything held, but recovery took longer than the budget.
        OverBudget = "over-budget",
    }
}

vocabulary! {
    /// One check after a rollback.
    Oracle ("oracle") {
        /// The previous release answers its health check.
        Health = "health",
        /// The scenario's smoke requests get the statuses they expect.
        Smoke = "smoke",
        /// The image running is the one captured before the deploy.
        Digest = "digest",
        /// The schema equals the pre-deploy snapshot (schema rollbacks).
        Schema = "schema",
        /// The restored release serves the workload as it did before the deploy.
        Traffic = "traffic",
        /// Every row and value the database held before the decision is still there.
        Data = "data",
        /// Every acknowledged write is still served by the restored release.
        Writes = "writes",
        /// The rollback did not fail more requests than the bad release did.
        Harm = "harm",
        /// Recovery time within the budget.
        Budget = "budget",
    }
}

vocabulary! {
    /// What one oracle found.
    OracleStatus ("oracle status") {
        /// The check held.
        Passed = "passed",
        /// The check did not hold; the run's verdict says how bad that is.
        Failed = "failed",
        /// Not applicable to this drill (e.g. schema equality for a code-only rollback).
        Skipped = "skipped",
    }
}

vocabulary! {
    /// One rollback step.
    Step ("step") {
        /// Restart the running (new) release without its flags.
        FlagsOff = "flags-off",
        /// Revert the schema to the previous release's migration version.
        MigrateDown = "migrate-down",
        /// Replace the app container with the previous release.
        SwitchCode = "switch-code",
        /// Restore the database from the pre-deploy snapshot.
        RestoreSnapshot = "restore-snapshot",
    }
}

vocabulary! {
    /// How a rollback is done: which steps it takes by default.
    Strategy ("strategy") {
        /// Switch the app back to the previous release; the schema stays as the deploy left it.
        CodeOnly = "code-only",
        /// Switch the code back and run the new release's down migrations (`migrate-down`).
        CodeAndSchema = "code-and-schema",
        /// Switch the code back and restore the database from the pre-deploy snapshot.
        RestoreSnapshot = "restore-snapshot",
    }
}

vocabulary! {
    /// Points in a drill where a fault can be placed, in drill order. `During*` phases inject
    /// the fault as the phase starts, so the phase's work runs under it.
    Phase ("phase") {
        /// After the warmup, with traffic on the previous release, before the deploy starts.
        BeforeDeploy = "before-deploy",
        /// As the new release's up migrations start.
        DuringMigrateUp = "during-migrate-up",
        /// Between the up migration and the switch to the new release.
        AfterMigrateUp = "after-migrate-up",
        /// Once traffic is cut over to the new release, while the trigger decides.
        AfterDeploy = "after-deploy",
        /// After the decision, before the first rollback step.
        BeforeRollback = "before-rollback",
        /// As the `migrate-down` step's down migrations start.
        DuringMigrateDown = "during-migrate-down",
        /// As the `switch-code` step starts the previous release.
        WhilePreviousStarts = "while-previous-starts",
        /// After the rollback steps, as the oracles check the end state.
        DuringVerification = "during-verification",
    }
}

vocabulary! {
    /// Every fault kind a scenario can schedule.
    FaultKind ("fault kind") {
        /// The tag a release was deployed from is moved to another image.
        MoveTag = "move-tag",
        /// The previous release's image disappears, so a rollback finds no artifact.
        RemoveImage = "remove-image",
        /// The serving app container is SIGKILLed.
        KillApp = "kill-app",
        /// The PostgreSQL container is SIGKILLed (and started again when the fault heals).
        KillDatabase = "kill-database",
        /// The PostgreSQL container is stopped and started again.
        RestartDatabase = "restart-database",
        /// Every PostgreSQL process is frozen: connections stay open, nothing answers.
        PauseDatabase = "pause-database",
        /// The database container is cut off the drill network.
        Partition = "partition",
        /// App ↔ database traffic is delayed by the fault proxy.
        Latency = "latency",
        /// Every app ↔ database connection is reset, and new ones too while the fault lasts.
        ResetConnections = "reset-connections",
        /// The migrator dies after a number of statements, leaving the schema part-migrated.
        KillMigrator = "kill-migrator",
        /// The database's disk fills up, so writes needing new space fail.
        DiskFull = "disk-full",
        /// The serving app container's memory is capped (it may slow down or be OOM-killed).
        AppMemoryLimit = "app-memory-limit",
    }
}

vocabulary! {
    /// How a run, or a scenario over all its runs, ended against its expectation.
    Status ("status") {
        /// The verdict (and any expected failing oracles) matched the expectation.
        Matched = "matched",
        /// A verdict (or expected failing oracle) differed from the expectation.
        Mismatched = "mismatched",
        /// The drill could not run: a harness error, not a verdict.
        Error = "error",
    }
}

vocabulary! {
    /// How the previous release's image is referenced when it is redeployed.
    ImageRef ("image reference") {
        /// By the digest captured before the deploy (what a careful pipeline does).
        Digest = "digest",
        /// By the tag as written in the scenario (a moved mutable tag bites here).
        Tag = "tag",
    }
}

vocabulary! {
    /// A value a request template fills in: `{seq}`, `{run}`, `{key}`, or a generator drawn
    /// from the run's seed (`{int 1..100}`, `{choice a|b}`, ...).
    Generator ("generator") {
        /// The request's sequence number in the workload, from 1.
        Seq = "seq",
        /// The run id.
        Run = "run",
        /// The key of an earlier acknowledged write (read requests only).
        Key = "key",
        /// An integer in an inclusive range.
        Int = "int",
        /// One of a list of values.
        Choice = "choice",
        /// `true` or `false`.
        Bool = "bool",
        /// Text whose length in characters is in an inclusive range.
        Text = "text",
        /// A version-4 UUID.
        Uuid = "uuid",
        /// An email address.
        Email = "email",
        /// An RFC 3339 UTC timestamp in an inclusive range.
        Timestamp = "timestamp",
        /// A value an earlier check saved from its answer (checks only).
        Saved = "saved",
    }
}

vocabulary! {
    /// What one kind of request in the workload does with keys.
    RequestKind ("request kind") {
        /// A write: acknowledged by its status, its key kept for reads and the audit.
        Write = "write",
        /// A read of the key of an earlier acknowledged write, picked at random.
        Read = "read",
        /// A request with no key, such as a list.
        Plain = "plain",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + PartialEq + std::fmt::Debug + std::fmt::Display + std::str::FromStr,
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        for v in all {
            let text = v.to_string();
            assert_eq!(text.parse::<T>().ok(), Some(*v));
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *v);
        }
    }

    #[test]
    fn every_name_round_trips() {
        round_trips(Verdict::ALL);
        round_trips(Oracle::ALL);
        round_trips(OracleStatus::ALL);
        round_trips(Step::ALL);
        round_trips(Strategy::ALL);
        round_trips(Phase::ALL);
        round_trips(FaultKind::ALL);
        round_trips(Status::ALL);
        round_trips(ImageRef::ALL);
        round_trips(Generator::ALL);
        round_trips(RequestKind::ALL);
    }

    #[test]
    fn an_unknown_name_is_an_error_listing_the_known_ones() {
        let e = "passed".parse::<Verdict>().unwrap_err();
        assert_eq!(e.what, "verdict");
        assert!(e.to_string().contains("failed-to-trigger"), "{e}");
        assert!("kill-everything".parse::<FaultKind>().is_err());
        assert!(serde_json::from_str::<Oracle>("\"speed\"").is_err());
    }
}

vocabulary! {
    /// A lint or preflight rule: its name in findings, allow comments, `[lint]` tables and
    /// JSON. Its category and default severity are lint's (`lint::Rule`).
    Rule ("rule") {
        /// A NOT NULL column added with nothing to fill it: the previous release's INSERTs fail.
        AddNotNullWithoutDefault = "add-not-null-without-default",
        /// `SET NOT NULL` on a column without a default: the previous release's INSERTs fail.
        SetNotNull = "set-not-null",
        /// A column renamed in place: the previous release still names the old one.
        RenameColumn = "rename-column",
        /// A table renamed in place: the previous release still queries the old name.
        RenameTable = "rename-table",
        /// The type of a column the previous release uses changed.
        ChangeColumnType = "change-column-type",
        /// A column the previous release may use dropped.
        DropColumn = "drop-column",
        /// A table the previous release may use dropped.
        DropTable = "drop-table",
        /// A constraint over columns the previous release writes, which its writes may violate.
        AddConstraint = "add-constraint",
        /// A label added to an enum the previous release decodes: rows holding it fail its reads.
        AddEnumValue = "add-enum-value",
        /// A type or one of its enum labels renamed in place: the previous release names the old.
        RenameType = "rename-type",
        /// A column's default dropped: the previous release's INSERTs that leave it out fail.
        DropDefault = "drop-default",
        /// NOT NULL dropped: the new release's NULLs reach a previous release that never saw one.
        DropNotNull = "drop-not-null",
        /// A unique constraint or index dropped: the previous release's ON CONFLICT names it.
        DropUniqueConstraint = "drop-unique-constraint",
        /// A view, function, sequence or type the previous release may use dropped.
        DropObject = "drop-object",
        /// A migration with no down file: the schema cannot be rolled back past it.
        NoDownMigration = "no-down-migration",
        /// A down migration that drops a table or column or deletes rows the new release wrote.
        DownDropsData = "down-drops-data",
        /// An up migration that deletes or overwrites data the previous release wrote.
        DestructiveUp = "destructive-up",
        /// A down migration that aborts on what the new release wrote (a constraint it re-adds,
        /// rows still referenced): the schema rollback fails to complete.
        DownAborts = "down-aborts",
        /// An enum label the down migration leaves in place: PostgreSQL cannot drop one.
        EnumValueIrreversible = "enum-value-irreversible",
        /// Preflight: the previous release's image is not on this machine, or a fault removes it.
        RollbackTargetMissing = "rollback-target-missing",
        /// Preflight: the rollback redeploys the previous release by a mutable tag.
        RollbackTargetNotPinned = "rollback-target-not-pinned",
        /// Preflight: migrate-down runs before switch-code and removes what the serving release uses.
        DownBeforeSwitchCode = "down-before-switch-code",
        /// Preflight: the new release's migrations could not be linted.
        MigrationUnreadable = "migration-unreadable",
    }
}
