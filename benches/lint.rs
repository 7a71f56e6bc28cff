//! Lint's speed over a generated 500-migration history (every migration reversible, a mix of
//! tables, columns, indexes, backfills and type changes): judging every migration (`--all`)
//! and the newest only (the default), which still parses and follows all 500; and the same
//! history as a dbmate folder (one file per migration, split at its section markers).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use rollcage::lint::{lint_path_with, Judged, Options};
use rollcage::scenario::Scenario;

const MIGRATIONS: usize = 500;

/// A fresh folder under the system temp dir.
fn folder(kind: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("rollcage-bench-lint-{kind}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the history as sqlx up/down pairs.
fn history() -> PathBuf {
    let dir = folder("sqlx");
    for (v, (up, down)) in migrations().into_iter().enumerate() {
        let v = v + 1;
        std::fs::write(dir.join(format!("{v:04}_m.up.sql")), up).unwrap();
        std::fs::write(dir.join(format!("{v:04}_m.down.sql")), down).unwrap();
    }
    dir
}

/// Writes the history as dbmate files, versions one second apart.
fn dbmate_history() -> PathBuf {
    let dir = folder("dbmate");
    for (v, (up, down)) in migrations().into_iter().enumerate() {
        let (minutes, seconds) = (v / 60, v % 60);
        let name = format!("202401010{minutes:03}{seconds:02}_m.sql");
        let text = format!("-- migrate:up\n{up}\n-- migrate:down\n{down}");
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

/// Each migration's up and down SQL.
fn migrations() -> Vec<(String, String)> {
    let mut all = Vec::new();
    for v in 1..=MIGRATIONS {
        let t = format!("t{}", v / 10);
        let (mut up, mut down) = (String::new(), String::new());
        match v % 10 {
            0 => {
                let _ = writeln!(
                    up,
                    "CREATE TABLE {t} (id bigserial PRIMARY KEY, name text NOT NULL, n int);"
                );
                let _ = writeln!(down, "DROP TABLE {t};");
            }
            1..=3 => {
                let _ = writeln!(up, "ALTER TABLE {t} ADD COLUMN c{v} text DEFAULT 'x';");
                let _ = writeln!(down, "ALTER TABLE {t} DROP COLUMN c{v};");
            }
            4 => {
                let _ = writeln!(up, "CREATE INDEX i{v} ON {t} (name);");
                let _ = writeln!(down, "DROP INDEX i{v};");
            }
            5 => {
                let _ = writeln!(up, "UPDATE {t} SET n = 0 WHERE n IS NULL;");
                let _ = writeln!(down, "SELECT 1;");
            }
            6 => {
                let _ = writeln!(
                    up,
                    "ALTER TABLE {t} ADD CONSTRAINT k{v} CHECK (n >= 0) NOT VALID;"
                );
                let _ = writeln!(down, "ALTER TABLE {t} DROP CONSTRAINT k{v};");
            }
            7 => {
                let _ = writeln!(up, "CREATE VIEW v{v} AS SELECT id, name FROM {t};");
                let _ = writeln!(down, "DROP VIEW v{v};");
            }
            8 => {
                let _ = writeln!(up, "ALTER TABLE {t} ALTER COLUMN n TYPE bigint;");
                let _ = writeln!(down, "ALTER TABLE {t} ALTER COLUMN n TYPE int;");
            }
            _ => {
                let _ = writeln!(
                    up,
                    "BEGIN;\nINSERT INTO {t} (name) VALUES ('seed');\nCOMMIT;"
                );
                let _ = writeln!(down, "DELETE FROM {t} WHERE name = 'seed';");
            }
        }
        all.push((up, down));
    }
    all
}

fn lint(folder: &Path, judged: Judged) -> usize {
    let options = Options {
        judged,
        ..Options::default()
    };
    lint_path_with(folder, Scenario::load, options)
        .unwrap()
        .len()
}

fn bench(c: &mut Criterion) {
    let folder = history();
    let mut group = c.benchmark_group("lint 500 migrations");
    group.sample_size(20);
    group.bench_function("every migration (--all)", |b| {
        b.iter(|| lint(&folder, Judged::All))
    });
    group.bench_function("newest migration (default)", |b| {
        b.iter(|| lint(&folder, Judged::Newest))
    });
    let dbmate = dbmate_history();
    group.bench_function("dbmate folder, every migration (--all)", |b| {
        b.iter(|| lint(&dbmate, Judged::All))
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&folder);
    let _ = std::fs::remove_dir_all(&dbmate);
}

criterion_group!(benches, bench);
criterion_main!(benches);
