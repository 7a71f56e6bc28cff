//! No report or log carries a password: a real drill whose database password and app token
//! are known to the test, written out as every report rollcage has (the terminal with `-v`,
//! stderr, JSON, JUnit, HTML, Markdown), and searched for both values. The drill itself must
//! have used them, or the search would prove nothing: it must pass, which needs the app to
//! have reached the database with the password.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_rollcage");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const PASSWORD: &str = "Pw-7f3a9c-rollcage";
const TOKEN: &str = "tok-51e0b2d4";

#[test]
fn a_drill_with_a_password_and_a_token_writes_neither_in_any_report() {
    let dir = std::env::temp_dir().join(format!("rollcage-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let original =
        std::fs::read_to_string(Path::new(ROOT).join("scenarios/notnull-fixed-code-only.toml"))
            .unwrap();
    let text = original
        .replace(
            "image = \"rollcage/postgres:15\"",
            &format!("image = \"rollcage/postgres:15\"\npassword = \"{PASSWORD}\""),
        )
        .replace(
            "env = { DATABASE_URL = \"{db.url}\" }",
            &format!("env = {{ DATABASE_URL = \"{{db.url}}\", API_TOKEN = \"{TOKEN}\" }}"),
        )
        .replace("../fixtures/", &format!("{ROOT}/fixtures/"));
    assert!(text.contains(PASSWORD) && text.contains(TOKEN), "{text}");
    let scenario = dir.join("secrets.toml");
    std::fs::write(&scenario, text).unwrap();

    let reports = ["r.json", "r.xml", "r.html", "r.md"].map(|f| dir.join(f));
    let out = Command::new(BIN)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .arg("drill")
        .arg(&scenario)
        .args(["--verbose", "--quiet", "--seed", "3"])
        .arg("--json")
        .arg(&reports[0])
        .arg("--junit")
        .arg(&reports[1])
        .arg("--html")
        .arg(&reports[2])
        .arg("--markdown")
        .arg(&reports[3])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");

    let mut texts = vec![
        ("stdout".to_string(), stdout),
        ("stderr".to_string(), stderr),
    ];
    for r in &reports {
        let name = r.file_name().unwrap().to_string_lossy().into_owned();
        texts.push((name, std::fs::read_to_string(r).unwrap()));
    }
    for (name, text) in &texts {
        // stderr may be empty (quiet, seeded); every report must say something.
        assert!(name == "stderr" || !text.is_empty(), "{name} is empty");
        for secret in [PASSWORD, TOKEN] {
            assert!(!text.contains(secret), "{name} carries `{secret}`");
        }
    }
    let json = &texts[2].1;
    // The JSON keeps the captured environment, with what it hid marked.
    assert!(
        json.contains("[redacted]"),
        "the JSON report shows what it hid"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
