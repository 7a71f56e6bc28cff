//! Reading an outcome back from the JSON report where a type cannot derive it: `Deployed`
//! (written as `from -> to`) and preflight's `Finding`s, whose type belongs to lint and is
//! read here through a mirror of its JSON shape. `report merge` needs every outcome back
//! whole, so a merged report renders as a single run's would.

use serde::{Deserialize, Deserializer};

use super::Deployed;
use crate::lint::{Category, Disposition, Finding, Rule, Severity};

impl<'de> Deserialize<'de> for Deployed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match text.split_once(" -> ") {
            Some((from, to)) => Ok(Deployed {
                from: from.to_string(),
                to: to.to_string(),
            }),
            None => Err(serde::de::Error::custom(format!(
                "`{text}` is not a deploy (`from -> to`)"
            ))),
        }
    }
}

/// A finding as the JSON report writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingJson {
    rule: Rule,
    severity: String,
    category: String,
    file: String,
    line: usize,
    #[serde(default)]
    column: Option<usize>,
    statement: String,
    message: String,
    remedy: String,
    #[serde(default)]
    columns: Vec<String>,
    #[serde(default)]
    disposition: Option<DispositionJson>,
}

#[derive(Deserialize)]
#[serde(tag = "as", content = "because", rename_all = "kebab-case")]
enum DispositionJson {
    Declared(String),
    Expected(String),
    Silenced(String),
}

impl FindingJson {
    fn finding(self) -> Result<Finding, String> {
        let category = match self.category.as_str() {
            "code-rollback" => Category::CodeRollback,
            "schema-rollback" => Category::SchemaRollback,
            other => return Err(format!("unknown finding category `{other}`")),
        };
        Ok(Finding {
            rule: self.rule,
            severity: self.severity.parse::<Severity>()?,
            category,
            file: self.file,
            line: self.line,
            column: self.column,
            statement: self.statement,
            message: self.message,
            remedy: self.remedy,
            columns: self.columns,
            disposition: self.disposition.map(|d| match d {
                DispositionJson::Declared(w) => Disposition::Declared(w),
                DispositionJson::Expected(w) => Disposition::Expected(w),
                DispositionJson::Silenced(w) => Disposition::Silenced(w),
            }),
        })
    }
}

/// `deserialize_with` for `DrillOutcome::preflight`.
pub(super) fn findings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Finding>, D::Error> {
    Vec::<FindingJson>::deserialize(d)?
        .into_iter()
        .map(FindingJson::finding)
        .collect::<Result<_, _>>()
        .map_err(serde::de::Error::custom)
}

/// `deserialize_with` for a `Severity` (lint's type, read by its own `FromStr`).
pub(super) fn severity<'de, D: Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
    String::deserialize(d)?
        .parse()
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::fixture::outcome;
    use crate::outcome::DrillOutcome;

    #[test]
    fn an_outcome_reads_back_equal_to_what_was_written() {
        let mut o = outcome(false);
        o.preflight[0].disposition = Some(Disposition::Expected("verdict".into()));
        o.preflight[0].columns = vec!["entries.currency".into()];
        let json = serde_json::to_string(&o).unwrap();
        let back: DrillOutcome = serde_json::from_str(&json).unwrap();
        assert_eq!(back, o);
    }

    #[test]
    fn a_deploy_without_its_arrow_is_an_error_naming_it() {
        let e = serde_json::from_str::<Deployed>("\"baseline notnull\"").unwrap_err();
        assert!(
            e.to_string().contains("`baseline notnull` is not a deploy"),
            "{e}"
        );
        let d: Deployed = serde_json::from_str("\"a -> b\"").unwrap();
        assert_eq!((d.from.as_str(), d.to.as_str()), ("a", "b"));
    }

    #[test]
    fn an_unknown_category_or_severity_is_an_error() {
        let o = outcome(true);
        let mut v = serde_json::to_value(&o).unwrap();
        v["preflight"][0]["category"] = "sideways".into();
        let e = serde_json::from_value::<DrillOutcome>(v.clone()).unwrap_err();
        assert!(
            e.to_string()
                .contains("unknown finding category `sideways`"),
            "{e}"
        );
        v["preflight"][0]["category"] = "code-rollback".into();
        v["preflight"][0]["severity"] = "dire".into();
        let e = serde_json::from_value::<DrillOutcome>(v).unwrap_err();
        assert!(e.to_string().contains("unknown severity `dire`"), "{e}");
    }
}
