//! Rule `drop-table`: a table the previous release may use is dropped, so after a code
//! rollback every query on it fails.

use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

use super::{names_of, Ctx, Hit};
use crate::lint::Rule;

const REMEDY: &str = "expand/contract: keep the table until a later contract release; first \
ship code that stops using it, and drop it once no rollback target reads it";

pub fn check(node: &NodeEnum, ctx: &Ctx) -> Vec<Hit> {
    let NodeEnum::DropStmt(d) = node else {
        return Vec::new();
    };
    if d.remove_type() != ObjectType::ObjectTable {
        return Vec::new();
    }
    d.objects
        .iter()
        .filter_map(|o| names_of(o).pop())
        .filter(|table| !ctx.new_table(table))
        .map(|table| {
            Hit::new(
                Rule::DropTable,
                format!("table {table} is dropped: the previous release may still use it and fails on this schema"),
                REMEDY,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::testing::{up, ENTRIES};
    use crate::lint::{Rule, Severity};

    const RULE: Rule = Rule::DropTable;

    #[test]
    fn dropping_an_old_table_is_an_error_a_new_one_is_not() {
        let sql =
            "CREATE TABLE tmp (id int);\nDROP TABLE tmp;\nDROP TABLE IF EXISTS public.entries;";
        let got: Vec<_> = up(ENTRIES, sql)
            .into_iter()
            .filter(|h| h.0 == RULE)
            .collect();
        assert_eq!(got, vec![(RULE, Severity::Error, 3)]);
    }
}
