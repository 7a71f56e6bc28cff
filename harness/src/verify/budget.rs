//! The `budget` oracle: recovery time (decision → verified) within the scenario's budget.

use std::time::Duration;

use super::OracleResult;
use crate::vocab::{human, Oracle};

pub fn check_budget(recovery: Option<Duration>, budget: Duration) -> OracleResult {
    match recovery {
        None => OracleResult::fail(Oracle::Budget, "recovery was never verified"),
        Some(t) if t <= budget => OracleResult::pass(
            Oracle::Budget,
            format!("recovered in {} (budget {})", human(t), human(budget)),
        ),
        Some(t) => OracleResult::fail(
            Oracle::Budget,
            format!(
                "recovery took {}, over the budget of {}",
                human(t),
                human(budget)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_and_over_budget() {
        let s = Duration::from_secs(1);
        assert!(!check_budget(Some(s), s).failed());
        assert!(check_budget(Some(s * 2), s).failed());
        assert!(check_budget(None, s).failed());
    }
}
