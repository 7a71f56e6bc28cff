//! The CI examples under `examples/ci/` are valid YAML, and every `rollcage` command line in
//! their scripts parses with rollcage's own command-line parser (`rollcage::cli`), so an
//! example cannot drift from the flags the binary takes.

use std::path::Path;

use rollcage::cli::{parse_args, Command, ReportCommand};
use yaml_rust2::{Yaml, YamlLoader};

/// Keys whose values are shell: GitHub's `run`, GitLab's `script` and its neighbours.
const SHELL_KEYS: &[&str] = &["run", "script", "before_script", "after_script"];

fn load(name: &str) -> Yaml {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/ci")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut docs = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{}: not YAML: {e}", path.display()));
    assert_eq!(docs.len(), 1, "{name}: one document");
    docs.remove(0)
}

/// Every shell script in the document, in document order.
fn scripts(node: &Yaml, out: &mut Vec<String>) {
    match node {
        Yaml::Hash(h) => {
            for (k, v) in h {
                let shell = k.as_str().is_some_and(|k| SHELL_KEYS.contains(&k));
                match v {
                    Yaml::String(s) if shell => out.push(s.clone()),
                    Yaml::Array(items) if shell => {
                        out.extend(items.iter().filter_map(|i| i.as_str().map(String::from)))
                    }
                    _ => scripts(v, out),
                }
            }
        }
        Yaml::Array(items) => items.iter().for_each(|i| scripts(i, out)),
        _ => {}
    }
}

/// The `rollcage` command lines of a script, backslash-continued lines joined.
fn commands(script: &str) -> Vec<String> {
    script
        .replace("\\\n", " ")
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("rollcage "))
        .map(String::from)
        .collect()
}

/// The arguments a shell would pass: CI expressions and variables stand for `1` (a partition
/// index or count, or part of a file name).
fn argv(line: &str) -> Vec<String> {
    let mut text = line.to_string();
    while let Some(start) = text.find("${{") {
        let end = text[start..]
            .find("}}")
            .map_or(text.len(), |e| start + e + 2);
        text.replace_range(start..end, "1");
    }
    let words = shlex::split(&text).unwrap_or_else(|| panic!("not shell words: {line}"));
    words
        .into_iter()
        .map(|w| {
            let mut out = String::new();
            let mut chars = w.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '$' {
                    while chars
                        .next_if(|c| c.is_alphanumeric() || "_{}".contains(*c))
                        .is_some()
                    {}
                    out.push('1');
                } else {
                    out.push(c);
                }
            }
            out
        })
        .collect()
}

/// Every rollcage command of `file`, parsed.
fn parsed(file: &str) -> Vec<(String, Command)> {
    let mut all = Vec::new();
    scripts(&load(file), &mut all);
    let lines: Vec<String> = all.iter().flat_map(|s| commands(s)).collect();
    lines
        .into_iter()
        .map(|line| match parse_args(argv(&line)) {
            Ok(cli) => (line, cli.command),
            Err(e) => panic!("{file}: `{line}` does not parse:\n{e}"),
        })
        .collect()
}

/// What a gate needs: a partitioned drill writing JSON, and a merge writing JUnit, Markdown
/// and HTML.
fn assert_gates(file: &str) {
    let commands = parsed(file);
    let drill = commands
        .iter()
        .find_map(|(_, c)| match c {
            Command::Drill(a) => Some(a),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{file}: no `rollcage drill`"));
    assert_eq!(drill.paths, [Path::new("drills/")], "{file}");
    // `${{ matrix.partition }}/3` on GitHub, `$CI_NODE_INDEX/$CI_NODE_TOTAL` on GitLab.
    let partition = drill.partition.map(|p| p.to_string());
    assert!(
        partition.as_deref().is_some_and(|p| p.starts_with("1/")),
        "{file}: {partition:?}"
    );
    assert!(
        drill.reports.json.is_some() && drill.reports.junit.is_some(),
        "{file}"
    );
    let merge = commands
        .iter()
        .find_map(|(_, c)| match c {
            Command::Report {
                command: ReportCommand::Merge(a),
            } => Some(a),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{file}: no `rollcage report merge`"));
    assert_eq!(merge.files.len(), 1, "{file}: the shell expands the glob");
    assert!(
        merge.files[0].to_string_lossy().ends_with("drill-*.json"),
        "{file}"
    );
    let r = &merge.reports;
    assert!(
        r.junit.is_some() && r.markdown.is_some() && r.html.is_some(),
        "{file}: the gate writes JUnit, Markdown and HTML"
    );
    assert_eq!(
        commands.len(),
        2,
        "{file}: {:?}",
        commands.iter().map(|c| &c.0).collect::<Vec<_>>()
    );
}

#[test]
fn the_github_actions_workflow_gates_on_merged_drills() {
    assert_gates("github-actions.yml");
    let doc = load("github-actions.yml");
    let matrix = &doc["jobs"]["drill"]["strategy"]["matrix"]["partition"];
    assert_eq!(
        matrix.as_vec().map(Vec::len),
        Some(3),
        "three partitions, as `--partition K/3`"
    );
    assert_eq!(doc["jobs"]["gate"]["needs"].as_str(), Some("drill"));
    assert_eq!(doc["jobs"]["gate"]["if"].as_str(), Some("always()"));
}

#[test]
fn the_gitlab_job_gates_on_merged_drills() {
    assert_gates("gitlab-ci.yml");
    let doc = load("gitlab-ci.yml");
    assert_eq!(doc["drill"]["parallel"].as_i64(), Some(3));
    assert_eq!(
        doc["rollback-gate"]["artifacts"]["reports"]["junit"].as_str(),
        Some("rollcage.xml")
    );
}

#[test]
fn a_command_line_the_binary_refuses_fails_here_too() {
    let bad = argv("rollcage drill drills/ --partition 4/3");
    let e = parse_args(bad).err().expect("4/3 is refused");
    assert!(e.to_string().contains("K must be between 1 and N"), "{e}");
    assert!(parse_args(argv("rollcage drill drills/ --jnuit r.xml")).is_err());
}
