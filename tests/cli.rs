//! The command line, run as a user would: ingest, idempotence, replacement, bad input, export, query, validate.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

fn kg(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_akimat-kg"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("run akimat-kg")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn dump(store: &Path) -> Vec<String> {
    let o = kg(store, &["export", "--format", "nquads"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let mut lines: Vec<String> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn ingesting_twice_changes_nothing_and_an_edit_replaces_only_its_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    copy_dir(&regulations(), &docs);
    let store = tmp.path().join("store");

    let (files, _) = akimat_kg::read::discover(std::slice::from_ref(&docs));
    let n = files.len();
    assert_eq!(
        n, 27,
        "the shipped regulations: 2 full texts, 8 pairs, 9 excerpts"
    );

    let first = kg(&store, &["ingest", docs.to_str().unwrap()]);
    let (out, err) = text(&first);
    assert!(first.status.success(), "{out}\n{err}");
    assert!(
        out.contains(&format!(
            "{n} files: {n} stored, 0 unchanged, 0 skipped, 0 failed"
        )),
        "{out}"
    );
    let before = dump(&store);

    let second = kg(&store, &["ingest", docs.to_str().unwrap()]);
    let (out, _) = text(&second);
    assert!(
        out.contains(&format!(
            "{n} files: 0 stored, {n} unchanged, 0 skipped, 0 failed"
        )),
        "{out}"
    );
    assert_eq!(dump(&store), before, "a second ingest changed the store");

    // Edit one function of Aksu; only that document's graph changes.
    let aksu = docs.join("kk-aksu-internal-policy.txt");
    let edited = std::fs::read_to_string(&aksu)
        .unwrap()
        .replace("еріктілік саласында", "волонтерлік саласында");
    std::fs::write(&aksu, edited).unwrap();
    let third = kg(&store, &["ingest", docs.to_str().unwrap()]);
    let (out, _) = text(&third);
    assert!(
        out.contains(&format!("1 stored, {} unchanged", n - 1)),
        "{out}"
    );
    assert!(out.contains("replaced"), "{out}");
    let after = dump(&store);
    let graph_of = |line: &str| {
        line.rsplit_once(' ')
            .and_then(|(rest, _)| rest.rsplit_once(' '))
            .map(|(_, g)| g.to_string())
            .unwrap_or_default()
    };
    let changed: std::collections::BTreeSet<String> = before
        .iter()
        .filter(|l| !after.contains(l))
        .chain(after.iter().filter(|l| !before.contains(l)))
        .map(|l| graph_of(l))
        .collect();
    // The graph is named from the act the file holds; its provenance record names the file by its relative path.
    let aksu_graph = after
        .iter()
        .find(|l| l.contains("ontology#sourcePath> \"kk-aksu-internal-policy.txt\""))
        .and_then(|l| l.split_whitespace().next())
        .expect("the provenance record of the Aksu document")
        .to_string();
    assert!(
        aksu_graph.ends_with("/graph/eli/pavlodar/aksu-city/akimat/2022/05/31/403-3/kk>"),
        "{aksu_graph}"
    );
    let expected: std::collections::BTreeSet<String> =
        [aksu_graph, format!("<{}>", iri("graph/meta"))]
            .into_iter()
            .collect();
    assert_eq!(changed, expected);
    assert!(after.iter().any(|l| l.contains("волонтерлік саласында")));

    // A changed sidecar takes the two documents it describes in again, and nothing else.
    let meta = docs.join("pairs/100709/meta.yaml");
    let edited = std::fs::read_to_string(&meta)
        .unwrap()
        .replace("act_code: '100709'", "act_code: '100709-edited'");
    std::fs::write(&meta, edited).unwrap();
    let fourth = kg(&store, &["ingest", docs.to_str().unwrap()]);
    let (out, _) = text(&fourth);
    assert!(
        out.contains(&format!("2 stored, {} unchanged", n - 2)),
        "{out}"
    );
    assert!(dump(&store)
        .iter()
        .any(|l| l.contains("<http://purl.org/dc/terms/identifier> \"100709-edited\"")));
}

#[test]
fn bad_input_gets_one_line_errors_naming_the_file_and_the_rest_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::copy(
        doc("kk-aktogay-akim-apparatus.txt"),
        docs.join("aktogay.txt"),
    )
    .unwrap();
    std::fs::write(docs.join("empty.txt"), "").unwrap();
    std::fs::write(
        docs.join("binary.txt"),
        [0x89u8, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe, 1, 2, 3],
    )
    .unwrap();
    std::fs::write(docs.join("recipe.txt"), "Бешбармақ дайындау үшін етті үш сағат қайнатыңыз, содан кейін қамырды жайып, кесіп пісіріңіз.").unwrap();
    let store = tmp.path().join("store");
    let o = kg(&store, &["ingest", docs.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 2, "{err}");
    assert!(
        errors
            .iter()
            .any(|l| l.contains("empty.txt") && l.contains("empty")),
        "{err}"
    );
    assert!(
        errors
            .iter()
            .any(|l| l.contains("binary.txt") && l.contains("binary")),
        "{err}"
    );
    // A text that is no act of a body's regulation is set aside with its class and reason, not failed.
    assert!(
        out.lines().any(|l| l.starts_with("skipped")
            && l.contains("recipe.txt")
            && l.contains(": other — ")),
        "{out}"
    );
    assert!(
        out.contains("4 files: 1 stored, 0 unchanged, 1 skipped, 2 failed"),
        "{out}"
    );
    let q = kg(
        &store,
        &[
            "query",
            "-e",
            "SELECT (COUNT(*) AS ?n) WHERE { ?p a akg:Provision }",
            "--format",
            "csv",
        ],
    );
    let (out, _) = text(&q);
    assert_eq!(out.lines().nth(1), Some("49"), "{out}");
}

#[test]
fn truncated_excerpt_is_stored_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_akimat-kg"))
        .args(["extract", "--format", "json"])
        .arg(doc("excerpts/007_kk.txt"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{:?}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["truncated"], true);
    assert!(report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("mid-sentence")));
    assert_eq!(report["resolution"]["date"], "2016-02-29");
    assert_eq!(report["resolution"]["number"], "218");
    let store = tmp.path().join("store");
    let o = kg(
        &store,
        &["ingest", doc("excerpts/007_kk.txt").to_str().unwrap()],
    );
    assert!(o.status.success(), "{:?}", text(&o));
}

#[test]
fn query_errors_name_the_query_and_export_formats_parse() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    assert!(kg(
        &store,
        &[
            "ingest",
            doc("kk-aksu-internal-policy.txt").to_str().unwrap()
        ]
    )
    .status
    .success());
    let o = kg(&store, &["query", "-e", "SELECT ?x WHERE { ?x"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.starts_with("error: -e:"), "{err}");
    for format in ["turtle", "trig", "ntriples", "jsonld", "rdfxml"] {
        let o = kg(&store, &["export", "--format", format]);
        assert!(
            o.status.success() && !o.stdout.is_empty(),
            "{format}: {:?}",
            text(&o)
        );
    }
    let o = kg(&store, &["validate"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let o = kg(
        &store,
        &[
            "remove",
            doc("kk-aksu-internal-policy.txt").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    let q = kg(
        &store,
        &[
            "query",
            "-e",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g NOT IN (<https://w3id.org/akimat-kg/graph/ontology>, <https://w3id.org/akimat-kg/graph/gazetteer>, <https://w3id.org/akimat-kg/graph/aggregates>)) }",
            "--format",
            "csv",
        ],
    );
    // Only the metadata graph remains, holding the records of the ontology and gazetteer graphs (three triples
    // each), the store's format and the aggregate graph's digest.
    assert_eq!(text(&q).0.lines().nth(1), Some("8"));
    // That digest is the sum over no tally: the removal took back exactly what the ingest added.
    let q = kg(
        &store,
        &[
            "query",
            "-e",
            "SELECT ?d WHERE { GRAPH <https://w3id.org/akimat-kg/graph/meta> { <https://w3id.org/akimat-kg/graph/aggregates> <https://w3id.org/akimat-kg/ontology#sourceDigest> ?d } }",
            "--format",
            "csv",
        ],
    );
    let zero = format!("tally-sum:{}", "0".repeat(32));
    assert_eq!(text(&q).0.lines().nth(1), Some(zero.as_str()));
    // No tally is left of the removed body: the aggregate graph holds the version of its layout alone.
    let q = kg(
        &store,
        &[
            "query",
            "-e",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/akimat-kg/graph/aggregates> { ?s ?p ?o } }",
            "--format",
            "csv",
        ],
    );
    assert_eq!(text(&q).0.lines().nth(1), Some("1"));
}
