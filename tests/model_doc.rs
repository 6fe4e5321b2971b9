//! The data model document (`docs/model.md`) says what the graph holds: its example queries answer on the shipped
//! data through the `query` command, it names every term of the ontology, and no file of the repository sends a
//! reader to a document outside it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn model() -> String {
    std::fs::read_to_string(root().join("docs/model.md")).unwrap()
}

/// The fenced blocks of a language in a Markdown text.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim() == format!("```{lang}") => current = Some(String::new()),
            Some(block) if line.trim() == "```" => {
                out.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn every_example_query_answers_on_the_shipped_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let bin = env!("CARGO_BIN_EXE_akimat-kg");
    let run = |args: &[&str]| {
        let out = Command::new(bin)
            .arg("--store")
            .arg(&store)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "akimat-kg {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&[
        "ingest",
        "--quiet",
        root().join("data/regulations").to_str().unwrap(),
    ]);
    let queries = blocks(&model(), "sparql");
    assert!(queries.len() >= 5, "{} example queries", queries.len());
    for q in &queries {
        let csv = run(&["query", "--format", "csv", "-e", q]);
        let rows = csv.lines().count().saturating_sub(1);
        assert!(rows >= 1, "no answer to the example query\n{q}");
    }
}

#[test]
fn every_term_of_the_ontology_is_named_in_the_model_document() {
    let ontology = std::fs::read_to_string(root().join("ontology/akg.ttl")).unwrap();
    let model = model();
    let declared: Vec<&str> = ontology
        .lines()
        .filter_map(|l| l.strip_prefix("akg:"))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect();
    assert!(declared.len() > 80, "{} terms", declared.len());
    let missing: Vec<&&str> = declared
        .iter()
        .filter(|t| {
            let name = format!("akg:{t}");
            !model.match_indices(&name).any(|(i, _)| {
                !model[i + name.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric())
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/model.md does not name {missing:?}"
    );
}

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            // Version control, build output and third-party code are not the project's text.
            if !matches!(name.as_str(), ".git" | "target" | "vendor") {
                text_files(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

#[test]
fn no_file_refers_to_a_document_outside_the_repository() {
    let mut files = Vec::new();
    text_files(&root(), &mut files);
    assert!(files.len() > 100);
    let mut offenders = Vec::new();
    for f in &files {
        // This file names the patterns it looks for.
        if f.ends_with("tests/model_doc.rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if ["MODEL.md", "DOMAIN.md", "../shared", "/work/"]
                .iter()
                .any(|p| line.contains(p))
            {
                offenders.push(format!("{}:{}", f.display(), n + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
    // The documents the code points to are here.
    for doc in ["docs/model.md", "docs/domain.md"] {
        assert!(root().join(doc).is_file(), "{doc}");
    }
}
