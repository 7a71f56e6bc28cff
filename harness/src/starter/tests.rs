//! The starter loads with rollcage's own loader, carries what it was given, and is never
//! written over an existing file unasked.

use std::fs;

use super::*;
use crate::vocab::Strategy;

fn starter() -> Starter {
    Starter {
        from: "shop/api:1.4.0".into(),
        to: "shop/api:1.5.0-rc1".into(),
        migrations: None,
        from_migrations: None,
        port: 3000,
        health: "/healthz".into(),
    }
}

/// A fresh folder of this test's own.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rollcage-starter-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_starter_loads_and_plans_with_what_it_was_given() {
    let dir = folder("plain");
    let out = dir.join("checkout.toml");
    starter().write(&out, false).unwrap();
    // Read back from disk, as `rollcage plan` and `rollcage drill` read it.
    let s = Scenario::load(&out).unwrap();
    assert_eq!(s.name, "checkout");
    assert_eq!(
        (s.deploy.from.as_str(), s.deploy.to.as_str()),
        ("current", "candidate")
    );
    let images: Vec<&str> = s.releases.iter().map(|r| r.image.as_str()).collect();
    assert_eq!(images, ["shop/api:1.4.0", "shop/api:1.5.0-rc1"]);
    assert_eq!((s.app.port, s.app.health_path.as_str()), (3000, "/healthz"));
    assert_eq!(s.rollback.strategy, Strategy::CodeOnly);
    let plan = s.plan();
    assert!(plan.contains("shop/api:1.5.0-rc1"), "{plan}");
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.contains("path = \"/items/{key}\""), "{text}");
    assert!(text.contains("\n# "), "the starter explains itself");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn migrations_folders_are_written_relative_to_the_scenario() {
    let dir = folder("migrations");
    fs::create_dir_all(dir.join("db/migrations")).unwrap();
    fs::create_dir_all(dir.join("prev/migrations")).unwrap();
    fs::create_dir_all(dir.join("drills")).unwrap();
    let s = Starter {
        migrations: Some(dir.join("db/migrations")),
        ..starter()
    };
    let out = dir.join("drills/rc.toml");
    s.write(&out, false).unwrap();
    let text = fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("migrations = \"../db/migrations\"\n"),
        "{text}"
    );
    // Without the running release's folder, the starter says where it would go.
    assert!(text.contains("# migrations = \"...\""), "{text}");
    let loaded = Scenario::load(&out).unwrap();
    assert_eq!(loaded.releases.len(), 2);

    let both = Starter {
        from_migrations: Some(dir.join("prev/migrations")),
        ..s
    };
    both.write(&out, true).unwrap();
    let text = fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("migrations = \"../prev/migrations\"\n"),
        "{text}"
    );
    assert!(!text.contains("# migrations = \"...\""), "{text}");
    Scenario::load(&out).unwrap();
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let dir = folder("force");
    let out = dir.join("drill.toml");
    fs::write(&out, "mine").unwrap();
    let e = starter().write(&out, false).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("{} exists; --force replaces it", out.display())
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "mine");
    starter().write(&out, true).unwrap();
    assert!(fs::read_to_string(&out)
        .unwrap()
        .starts_with("# A rollcage drill"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_folder_or_an_invalid_value_writes_nothing() {
    let dir = folder("invalid");
    let s = Starter {
        migrations: Some(dir.join("nowhere")),
        ..starter()
    };
    let out = dir.join("d.toml");
    let e = s.write(&out, false).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "migrations folder {} does not exist",
            dir.join("nowhere").display()
        )
    );
    let bad = Starter {
        health: "healthz".into(),
        ..starter()
    };
    let e = bad.write(&out, false).unwrap_err();
    assert!(matches!(e, StarterError::Invalid(_)), "{e}");
    assert!(!out.exists());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn values_are_quoted_as_toml_strings() {
    let s = Starter {
        to: "reg.example/a\"b'\nc".into(),
        ..starter()
    };
    let text = s.render("n", Path::new(".")).unwrap();
    let toml: toml::Table = text.parse().unwrap();
    assert_eq!(
        toml["releases"]["candidate"]["image"].as_str(),
        Some("reg.example/a\"b'\nc")
    );
}
