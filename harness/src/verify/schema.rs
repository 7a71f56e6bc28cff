//! The `schema` oracle: after a rollback that reverts the schema, the catalog equals the
//! pre-deploy snapshot; otherwise a readable diff.

use super::OracleResult;
use crate::db::Catalog;
use crate::vocab::Oracle;

/// `reverts_schema`: whether the strategy promised to bring the schema back.
pub fn check_schema(reverts_schema: bool, before: &Catalog, after: &Catalog) -> OracleResult {
    let diff = before.diff(after);
    if !reverts_schema {
        let note = if diff.is_empty() {
            "unchanged"
        } else {
            "left as migrated"
        };
        return OracleResult::skip(
            Oracle::Schema,
            format!("strategy keeps the schema ({note})"),
        );
    }
    if diff.is_empty() {
        OracleResult::pass(Oracle::Schema, "schema equals the pre-deploy snapshot")
    } else {
        OracleResult::fail(
            Oracle::Schema,
            format!("schema differs from the pre-deploy snapshot:\n{diff}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_passes_diff_fails_and_code_only_skips() {
        let mut a = Catalog::default();
        a.columns.insert("t.c".into(), "text".into());
        let b = Catalog::default();
        assert!(!check_schema(true, &a, &a.clone()).failed());
        let r = check_schema(true, &a, &b);
        assert!(r.failed() && r.message.contains("- column t.c: text"));
        assert_eq!(
            check_schema(false, &a, &b).status,
            super::super::OracleStatus::Skipped
        );
    }
}
