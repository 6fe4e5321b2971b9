//! The project's SHACL validator beside a third party's: rudof's engine (PyPI's `pyrudof`, installed by `.ci/run`)
//! validates the same data against the same shapes, and both must report the same results — the same focus nodes
//! with the same constraint components, as many times each — on a fixture exercising every constraint component
//! the project implements, on the shipped data with the project's shapes, and on broken copies of it. Where the two
//! engines are known to differ, `tests/fixtures/shacl/known-differences.tsv` says so and why; anything else fails.

use akimat_kg::validate::{validate, ShapesGraph};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (focus node, constraint component) of every result, sorted, blank nodes as `_:`.
type Results = Vec<(String, String)>;

fn component(parameter: &str) -> String {
    let local = parameter.strip_prefix("sh:").unwrap_or(parameter);
    let mut c = local.chars();
    let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or_default();
    format!(
        "http://www.w3.org/ns/shacl#{first}{}ConstraintComponent",
        c.as_str()
    )
}

fn ours(store: &Store, shapes: &Path) -> Results {
    let text = std::fs::read_to_string(shapes).unwrap();
    let shapes = ShapesGraph::from_turtle(&text, &shapes.display().to_string()).unwrap();
    let report = validate(store, &shapes).unwrap();
    let mut out: Results = report
        .results
        .iter()
        .map(|r| {
            let focus = if r.focus_node.starts_with("_:") {
                "_:".to_string()
            } else {
                r.focus_node.trim_matches(['<', '>']).to_string()
            };
            (focus, component(&r.constraint))
        })
        .collect();
    out.sort();
    out
}

fn rudof(data: &Path, shapes: &Path) -> Results {
    let out = Command::new("python3")
        .arg(root().join("tests/python/rudof_validate.py"))
        .arg(data)
        .arg(shapes)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "tests/python/rudof_validate.py failed (pip install pyrudof; .ci/run does):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut results: Results = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_string(),
                r[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    results.sort();
    results
}

/// The known differences for a case: (focus, component, the engine that reports it alone).
fn known(case: &str) -> Vec<(String, String, String)> {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/shacl/known-differences.tsv")).unwrap();
    let mut out: Vec<(String, String, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[0] == case)
        .map(|f| (f[1].to_string(), f[2].to_string(), f[3].to_string()))
        .collect();
    out.sort();
    out
}

/// What one engine reports beyond the other (multisets), as (focus, component, engine).
fn differences(ours: &Results, theirs: &Results) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let (mut a, mut b) = (ours.clone(), theirs.clone());
    for x in ours {
        if let Some(i) = b.iter().position(|y| y == x) {
            b.remove(i);
            let j = a.iter().position(|y| y == x).unwrap();
            a.remove(j);
        }
    }
    out.extend(a.into_iter().map(|(f, c)| (f, c, "akimat-kg".to_string())));
    out.extend(b.into_iter().map(|(f, c)| (f, c, "rudof".to_string())));
    out.sort();
    out
}

fn compare(case: &str, store: &Store, shapes: &Path, dir: &Path) -> usize {
    // The same triples for rudof: the union of the store's graphs as N-Triples.
    let data = dir.join(format!("{case}.nt"));
    let mut w = RdfSerializer::from_format(RdfFormat::NTriples)
        .for_writer(std::fs::File::create(&data).unwrap());
    let mut seen = std::collections::BTreeSet::new();
    for q in store.iter() {
        let t = oxigraph::model::Triple::from(q.unwrap());
        if seen.insert(t.to_string()) {
            w.serialize_triple(&t).unwrap();
        }
    }
    w.finish().unwrap();
    let a = ours(store, shapes);
    let b = rudof(&data, shapes);
    assert_eq!(
        differences(&a, &b),
        known(case),
        "{case}: the two validators differ beyond tests/fixtures/shacl/known-differences.tsv"
    );
    a.len()
}

fn load(store: &Store, path: &Path, format: RdfFormat) {
    store
        .load_from_reader(
            RdfParser::from_format(format),
            std::fs::File::open(path).unwrap(),
        )
        .unwrap();
}

#[test]
fn every_constraint_component_gives_the_results_rudof_gives() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new().unwrap();
    let fixtures = root().join("tests/fixtures/shacl");
    load(
        &store,
        &fixtures.join("components-data.ttl"),
        RdfFormat::Turtle,
    );
    let n = compare(
        "components",
        &store,
        &fixtures.join("components-shapes.ttl"),
        dir.path(),
    );
    assert!(n >= 20, "{n} results");
}

#[test]
fn the_shipped_data_and_broken_copies_of_it_give_the_results_rudof_gives() {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let out = Command::new(env!("CARGO_BIN_EXE_akimat-kg"))
        .arg("--store")
        .arg(&store_dir)
        .args(["ingest", "--quiet"])
        .arg(root().join("data/regulations"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let export = dir.path().join("kg.nq");
    let out = Command::new(env!("CARGO_BIN_EXE_akimat-kg"))
        .arg("--store")
        .arg(&store_dir)
        .args(["export", "--format", "nquads", "-o"])
        .arg(&export)
        .output()
        .unwrap();
    assert!(out.status.success());
    let shapes = root().join("ontology/shapes.ttl");
    let fresh = || {
        let s = Store::new().unwrap();
        load(&s, &export, RdfFormat::NQuads);
        s
    };
    assert_eq!(compare("shipped", &fresh(), &shapes, dir.path()), 0);

    // Broken copies: each update breaks the shipped graph in one way the shapes forbid.
    let prefixes = "PREFIX akg: <https://w3id.org/akimat-kg/ontology#>\n\
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n\
        PREFIX schema: <https://schema.org/>\n\
        PREFIX dct: <http://purl.org/dc/terms/>\n\
        PREFIX eli: <http://data.europa.eu/eli/ontology#>\n\
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n";
    let broken = [
        ("no-labels", "DELETE { GRAPH ?g { ?i skos:prefLabel ?l } } WHERE { GRAPH ?g { ?i a akg:StateInstitution ; skos:prefLabel ?l } }"),
        ("two-forms", "INSERT { GRAPH ?g { ?i akg:legalForm <https://w3id.org/akimat-kg/legal-form/other> } } WHERE { GRAPH ?g { ?i a akg:StateInstitution ; akg:legalForm ?f } }"),
        ("literal-founder", "INSERT { GRAPH ?g { ?i schema:founder \"the akimat\" } } WHERE { GRAPH ?g { ?i a akg:StateInstitution ; schema:founder ?f } }"),
        ("english-label", "INSERT { GRAPH ?g { ?i skos:prefLabel \"An institution\"@en } } WHERE { GRAPH ?g { ?i a akg:StateInstitution } }"),
        ("no-kinds", "DELETE { GRAPH ?g { ?p akg:provisionKind ?k } } WHERE { GRAPH ?g { ?p a akg:Provision ; akg:provisionKind ?k } }"),
        ("string-positions", "DELETE { GRAPH ?g { ?p schema:position ?n } } INSERT { GRAPH ?g { ?p schema:position \"first\" } } WHERE { GRAPH ?g { ?p a akg:Provision ; schema:position ?n } }"),
        ("unit-as-place", "DELETE { GRAPH ?g { ?i dct:spatial ?u } } INSERT { GRAPH ?g { ?i dct:spatial <https://w3id.org/akimat-kg/nowhere> } } WHERE { GRAPH ?g { ?i a akg:StateInstitution ; dct:spatial ?u } }"),
    ];
    for (case, update) in broken {
        let store = fresh();
        store
            .update(format!("{prefixes}{update}").as_str())
            .unwrap();
        let n = compare(case, &store, &shapes, dir.path());
        assert!(n > 0, "{case}: the broken copy gave no result");
    }
}
