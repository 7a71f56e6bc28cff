//! Lint's speed over a generated 500-migration history (every migration reversible, a mix of
//! tables, columns, indexes, backfills and type changes): judging every migration (`--all`)
//! and the newest only (the default), which still parses and follows all 500.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use rollcage::lint::{lint_path_with, Judged, Options};
use rollcage::scenario::Scenario;

const MIGRATIONS: usize = 500;

/// Writes the history into a fresh folder under the system temp dir.
fn history() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rollcage-bench-lint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
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
        std::fs::write(dir.join(format!("{v:04}_m.up.sql")), up).unwrap();
        std::fs::write(dir.join(format!("{v:04}_m.down.sql")), down).unwrap();
    }
    dir
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
    group.finish();
    let _ = std::fs::remove_dir_all(&folder);
}

criterion_group!(benches, bench);
criterion_main!(benches);
