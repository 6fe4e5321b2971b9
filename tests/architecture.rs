//! The module tree has no import circle: among the top-level modules of `src/`, and among the files of
//! `src/serve/`. Imports are read from the source (`crate::<module>` and `super::<file>` paths outside comments and
//! test modules); a circle fails with the lines that make it. And no word of the languages the tool reads is written
//! in its code: Cyrillic stands only in comments, tests and messages, the words themselves live in `data/`. And no
//! function is longer than a screen. Run it with `cargo test --test architecture`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code lines of a file, numbered: no comment lines, nothing from the first `#[cfg(test)]` on (test modules
/// close the files here).
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .enumerate()
        .take_while(|(_, l)| l.trim() != "#[cfg(test)]")
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect()
}

/// Names that follow `prefix` in a line (`crate::` → `extract`), and inside `prefix{a, b::c}` groups.
fn names_after(line: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find(prefix) {
        rest = &rest[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

type Edges = BTreeMap<String, BTreeMap<String, String>>;

/// Strongly connected components of more than one node.
fn circles(edges: &Edges) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = edges
        .keys()
        .chain(edges.values().flat_map(|m| m.keys()))
        .collect();
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for next in edges.get(&n).into_iter().flat_map(|m| m.keys()) {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut placed = BTreeSet::new();
    for n in &nodes {
        if placed.contains(*n) || !reachable[n].contains(*n) {
            continue;
        }
        let component: Vec<String> = nodes
            .iter()
            .filter(|m| reachable[n].contains(**m) && reachable[*m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        placed.extend(component.iter().cloned());
        out.push(component);
    }
    out
}

fn describe(edges: &Edges, component: &[String]) -> String {
    let mut lines = Vec::new();
    for a in component {
        for (b, at) in edges.get(a).into_iter().flatten() {
            if component.contains(b) {
                lines.push(format!("{a} -> {b} ({at})"));
            }
        }
    }
    lines.join("\n")
}

/// Records that `from` imports `to`, at the first line seen.
fn add_edge(edges: &mut Edges, from: &str, to: String, file: &Path, line: usize) {
    edges
        .entry(from.to_string())
        .or_default()
        .entry(to)
        .or_insert_with(|| format!("{}:{line}", file.display()));
}

/// Fails naming the lines of every circle; a graph of fewer than ten importing nodes means the reading broke.
fn assert_no_circles(edges: &Edges, what: &str) {
    assert!(edges.len() > 10, "{what}: {edges:?}");
    let found = circles(edges);
    assert!(
        found.is_empty(),
        "import circles among {what}:\n{}",
        found
            .iter()
            .map(|c| describe(edges, c))
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

#[test]
fn no_import_circle_among_the_top_level_modules() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let module_of = |p: &Path| -> String {
        let rel = p.strip_prefix(&root).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        first.trim_end_matches(".rs").to_string()
    };
    let modules: BTreeSet<String> = files.iter().map(|p| module_of(p)).collect();
    assert!(modules.contains("extract") && modules.contains("serve"));
    let mut edges: Edges = BTreeMap::new();
    for f in &files {
        let from = module_of(f);
        if from == "lib" || from == "main" {
            continue;
        }
        for (n, line) in code_lines(f) {
            for to in names_after(&line, "crate::") {
                if to != from && modules.contains(&to) {
                    add_edge(&mut edges, &from, to, f, n);
                }
            }
        }
    }
    assert_no_circles(&edges, "the top-level modules");
}

#[test]
fn no_import_circle_among_the_server_files() {
    let dir = src().join("serve");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let name = |p: &Path| p.file_stem().unwrap().to_string_lossy().into_owned();
    let names: BTreeSet<String> = files.iter().map(|p| name(p)).collect();
    let mut edges: Edges = BTreeMap::new();
    for f in files.iter().filter(|p| name(p) != "mod") {
        let from = name(f);
        for (n, line) in code_lines(f) {
            let mut targets = names_after(&line, "super::");
            targets.extend(names_after(&line, "crate::serve::"));
            for to in targets {
                if to != from && names.contains(&to) && to != "mod" {
                    add_edge(&mut edges, &from, to, f, n);
                }
            }
        }
    }
    assert_no_circles(&edges, "the server's files");
}

/// Code lines with Cyrillic letters that are messages to the user, not rules: `(file below src/, a fragment of the
/// line)`.
const CYRILLIC_MESSAGES: &[(&str, &str)] = &[
    // A warning naming the site whose pages the reader knows (Әділет).
    ("decode/html.rs", "HTML without an Әділет document body"),
];

#[test]
fn no_word_list_in_the_code_only_in_data() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut found = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for (n, line) in code_lines(f) {
            let cyrillic = line.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}'));
            let message = line.contains("#[error(")
                || CYRILLIC_MESSAGES
                    .iter()
                    .any(|(file, fragment)| *file == rel && line.contains(fragment));
            if cyrillic && !message {
                found.push(format!("src/{rel}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Cyrillic in code lines (words and rules belong in data/, read through the lexicon):\n{}",
        found.join("\n")
    );
    // The exceptions still name lines that exist, so the list does not outlive its reasons.
    for (file, fragment) in CYRILLIC_MESSAGES {
        let text = std::fs::read_to_string(src().join(file)).unwrap();
        assert!(
            text.contains(fragment),
            "src/{file} no longer holds {fragment:?}"
        );
    }
}

/// The longest a function of the library may be, in lines from its `fn` line to its closing brace: about a screen,
/// so that each can be read at once.
const LONGEST_FUNCTION: usize = 80;

#[test]
fn every_function_can_be_read_at_once() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let indent = &line[..line.len() - line.trim_start().len()];
            let head = line.trim_start();
            let head = head.strip_prefix("pub ").unwrap_or(head);
            let head = head.strip_prefix("pub(crate) ").unwrap_or(head);
            let head = head.strip_prefix("async ").unwrap_or(head);
            // A declaration without a body, or a body closed on its own line, is short.
            let closed_here = line.matches('{').count() > 0
                && line.matches('{').count() == line.matches('}').count();
            if !head.starts_with("fn ") || line.trim_end().ends_with(';') || closed_here {
                continue;
            }
            // The function ends at the first closing brace at its own indentation.
            let closing = format!("{indent}}}");
            let Some(end) = lines[i..].iter().position(|l| *l == closing) else {
                continue;
            };
            if end + 1 > LONGEST_FUNCTION {
                let rel = path.strip_prefix(src()).unwrap().display();
                long.push(format!("src/{rel}:{}: {} lines", i + 1, end + 1));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions longer than {LONGEST_FUNCTION} lines:\n{}",
        long.join("\n")
    );
}
