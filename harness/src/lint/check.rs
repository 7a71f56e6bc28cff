//! Runs the rules over one release's migrations (`lint_set`): every up statement is judged
//! against the schema the migrations before it built, then applied to it; each down file is
//! judged statement by statement on the schema it reverts, and what it leaves behind at its
//! end; missing downs per migration; files not judged; allow comments and the scope filter
//! the hits.

use super::parse::Statement;
use super::rules::{self, enum_value_irreversible, no_down_migration, Ctx, Hit};
use super::schema::Schema;
use super::scope::Judged;
use super::{tidy, Category, Finding, LintError, MigrationSet, Rule, Scope, Severity, Source};

/// The findings for `set` within `scope`, ordered by file and line.
pub fn lint_set(set: &MigrationSet, scope: &Scope) -> Result<Vec<Finding>, LintError> {
    let mut schema = Schema::default();
    let mut findings = Vec::new();
    let mut previous = i64::MIN;
    let newest = set.latest_version();
    for m in &set.migrations {
        let (linted, since) = match scope.judged {
            Judged::Newest => (m.version == newest, previous),
            Judged::From(since) => (m.version > since, since),
            // Each migration as its own release, after the one before it.
            Judged::All => (true, previous),
        };
        previous = m.version;
        let up = readable(&m.up, &mut findings)?;
        let file = &m.up.file;
        let before = linted.then(|| schema.clone());
        for stmt in &up {
            if linted {
                let ctx = ctx(&schema, None, since, m.version, scope);
                let hits = rules::UP.iter().flat_map(|check| check(&stmt.node, &ctx));
                findings.extend(keep(hits, At::from(stmt), file, scope));
            }
            schema.apply(&stmt.node, m.version);
        }
        let Some(before) = before else { continue };
        if let Some(mut hit) = no_down_migration::check(m, set.layout) {
            if !scope.schema_rollback {
                hit.severity = Severity::Info;
            }
            // At the first statement, where an allow comment for it goes.
            let at = up.first().map_or(At::FILE, At::from);
            findings.extend(keep([hit], at, file, scope));
        }
        if let Some(down) = &m.down {
            let file = &down.file;
            let statements = readable(down, &mut findings)?;
            // The down is judged statement by statement on the schema it leaves so far.
            let mut reverted = schema.clone();
            for stmt in &statements {
                let ctx = ctx(&reverted, Some(&before), since, m.version, scope);
                let hits = rules::DOWN.iter().flat_map(|check| check(&stmt.node, &ctx));
                findings.extend(keep(hits, At::from(stmt), file, scope));
                reverted.apply(&stmt.node, m.version);
            }
            let left = enum_value_irreversible::check(&before, &reverted);
            let at = statements.first().map_or(At::FILE, At::from);
            findings.extend(keep(left, at, file, scope));
        }
    }
    for u in &set.unjudged {
        // Information: nothing is known to be wrong, only left unread.
        let hit = Hit::new(Rule::MigrationUnreadable, u.why.clone(), NOT_JUDGED_REMEDY)
            .at(Severity::Info);
        findings.extend(keep([hit], At::FILE, &u.file, scope));
    }
    Ok(tidy(findings))
}

fn ctx<'a>(
    schema: &'a Schema,
    before: Option<&'a Schema>,
    since: i64,
    version: i64,
    scope: &Scope,
) -> Ctx<'a> {
    Ctx {
        schema,
        before,
        since,
        version,
        accept_widening: scope.accept_widening,
    }
}

const NOT_JUDGED_REMEDY: &str = "review it by hand: keep it idempotent (CREATE OR REPLACE) and \
readable by the previous release, since a rollback does not revert it";

/// A text's statements; one PostgreSQL cannot parse is a finding at the statement it rejects
/// (with its own message), and the text counts as empty so the others are still judged.
fn readable(source: &Source, findings: &mut Vec<Finding>) -> Result<Vec<Statement>, LintError> {
    match source.statements() {
        Err(LintError::Parse {
            file,
            line,
            column,
            message,
        }) => {
            findings.push(Finding {
                rule: Rule::MigrationUnreadable,
                severity: Severity::Error,
                category: Rule::MigrationUnreadable.category(),
                file,
                line,
                column: Some(column),
                statement: String::new(),
                message: format!("PostgreSQL cannot parse this statement: {message}"),
                remedy: "fix the statement: a drill would fail on it too".into(),
                columns: Vec::new(),
                disposition: None,
            });
            Ok(Vec::new())
        }
        other => other,
    }
}

/// Where hits are reported: a statement, or the start of an empty file.
#[derive(Clone, Copy)]
struct At<'a> {
    line: usize,
    column: usize,
    text: &'a str,
    allowed: &'a [Rule],
}

impl At<'_> {
    const FILE: At<'static> = At {
        line: 1,
        column: 1,
        text: "",
        allowed: &[],
    };
}

impl<'a> From<&'a Statement> for At<'a> {
    fn from(s: &'a Statement) -> At<'a> {
        At {
            line: s.line,
            column: s.column,
            text: &s.text,
            allowed: &s.allowed,
        }
    }
}

/// Hits turned into findings, minus those silenced at the statement or outside the scope.
fn keep<'a>(
    hits: impl IntoIterator<Item = Hit> + 'a,
    at: At<'a>,
    file: &'a str,
    scope: &'a Scope,
) -> impl Iterator<Item = Finding> + 'a {
    hits.into_iter()
        .filter(move |h| !at.allowed.contains(&h.rule))
        .filter(|h| scope.categories.contains(&h.rule.category()))
        .map(move |h| Finding {
            rule: h.rule,
            severity: h.severity,
            category: h.rule.category(),
            file: file.to_string(),
            line: at.line,
            column: Some(at.column),
            statement: at.text.to_string(),
            message: h.message,
            remedy: h.remedy,
            columns: h.columns,
            disposition: None,
        })
}

/// Every category: what a bare folder is linted for.
pub const ALL_CATEGORIES: [Category; 2] = [Category::CodeRollback, Category::SchemaRollback];
