//! `CommandRecord`: a migration tool's command as it ran — its words, exit code and last
//! output lines — kept with the `MigrationStep` it made, for the report.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::MigrationStep;

/// One migration command as it ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandRecord {
    /// The command, its words joined by spaces.
    pub command: String,
    /// Its exit code; None when it was killed (past its timeout, or by a fault).
    pub exit_code: Option<i64>,
    /// Its last output lines (stdout and stderr), oldest first.
    pub output: Vec<String>,
}

impl MigrationStep {
    /// The step a migration command made: `up`, `down` or `version`.
    pub fn by_command(direction: &'static str, record: CommandRecord, took: Duration) -> Self {
        MigrationStep {
            version: 0,
            description: record.command.clone(),
            direction,
            took,
            command: Some(record),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_step_serializes_its_command_and_leaves_sqlx_steps_as_they_were() {
        let record = CommandRecord {
            command: "alembic downgrade 1_baseline".into(),
            exit_code: Some(0),
            output: vec!["INFO Running downgrade 2_tags -> 1_baseline".into()],
        };
        let step = MigrationStep::by_command("down", record, Duration::from_millis(1200));
        let json = serde_json::to_value(&step).unwrap();
        assert_eq!(json["description"], "alembic downgrade 1_baseline");
        assert_eq!(json["took"].as_f64(), Some(1200.0));
        assert_eq!(json["command"]["exit_code"], 0);
        assert_eq!(
            json["command"]["output"][0],
            "INFO Running downgrade 2_tags -> 1_baseline"
        );
        let sqlx = MigrationStep {
            command: None,
            ..step
        };
        assert!(serde_json::to_value(&sqlx)
            .unwrap()
            .get("command")
            .is_none());
    }
}
