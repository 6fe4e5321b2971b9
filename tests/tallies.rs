//! The competence tallies the store keeps (`src/store/tally.rs`) give the ready-made competence queries the answers
//! counting every provision gives (`tests/fixtures/tallies/`, the queries as they were before tallies), after
//! ingests one document at a time and in bulk loads, a removal, and a recount of a store left pending.

mod common;
use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::batch::{ingest_files, BatchOptions};
use akimat_kg::pipeline::IngestOptions;
use akimat_kg::read::inputs;
use akimat_kg::store::{aggregates_graph, KgStore};
use common::*;
use oxigraph::model::{GraphNameRef, Literal, NamedNode, Quad, Term};
use std::path::PathBuf;

const QUERIES: [&str; 4] = [
    "competence-profile.rq",
    "competence-matrix.rq",
    "competence-gaps.rq",
    "provisions-by-kind.rq",
];

/// Every ready-made competence query against its provision-counting original: the same rows (sorted, since rows
/// equal under ORDER BY may come in either order). Returns how many rows each gave.
fn same_answers(store: &KgStore) -> Vec<usize> {
    QUERIES
        .iter()
        .map(|name| {
            let read = |path: PathBuf| std::fs::read_to_string(path).unwrap();
            let mut tallied = rows(store, &read(root().join("queries").join(name)));
            let mut counted = rows(
                store,
                &read(root().join("tests/fixtures/tallies").join(name)),
            );
            tallied.sort();
            counted.sort();
            assert_eq!(
                tallied, counted,
                "queries/{name} differs from counting the provisions"
            );
            tallied.len()
        })
        .collect()
}

/// The quads of the aggregate graph.
fn tallies(store: &KgStore) -> Vec<Quad> {
    let g = NamedNode::new(aggregates_graph(&base())).unwrap();
    let mut quads: Vec<Quad> = store
        .inner()
        .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
        .map(Result::unwrap)
        .collect();
    quads.sort_by_key(|q| q.to_string());
    quads
}

/// The aggregate graph's digest as its provenance record states it.
fn stated_digest(store: &KgStore) -> String {
    value(
        store,
        &format!(
            "SELECT ?d WHERE {{ GRAPH <{}> {{ <{}> akg:sourceDigest ?d }} }}",
            iri("graph/meta"),
            aggregates_graph(&base())
        ),
    )
}

/// The digest of the tallies the aggregate graph holds, computed here from its content as `docs/model.md` describes
/// it: the wrapping sum of the first 128 bits of each quad's SHA-256 (the graph's own marks left out).
fn content_digest(store: &KgStore) -> String {
    use sha2::Digest;
    let g = aggregates_graph(&base());
    let sum = tallies(store)
        .iter()
        .filter(|q| q.subject.to_string() != format!("<{g}>"))
        .fold(0u128, |sum, q| {
            let d = sha2::Sha256::digest(q.to_string().as_bytes());
            sum.wrapping_add(u128::from_be_bytes(d[..16].try_into().unwrap()))
        });
    format!("tally-sum:{sum:032x}")
}

fn bulk_store(paths: &[PathBuf]) -> (tempfile::TempDir, KgStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = KgStore::open(&dir.path().join("store"), &base()).unwrap();
    let (files, errors) = inputs(paths);
    assert!(errors.is_empty(), "{errors:?}");
    let mut opts = BatchOptions::new(IngestOptions::default());
    // A few documents per bulk load, so that bodies are tallied across several loads.
    opts.batch_quads = 3_000;
    let report = ingest_files(&store, &base(), &files, Lexicon::get(), &opts, |_, _| {}).unwrap();
    assert_eq!(report.failed, 0);
    (dir, store)
}

#[test]
fn tallies_answer_as_counting_the_provisions_does() {
    let counts = same_answers(shipped());
    assert!(counts.iter().all(|n| *n > 20), "{counts:?}");
    // One body's functions, counted by a query of its own, are its Function tally.
    let functions = rows(
        shipped(),
        include_str!("../queries/functions-of-institution.rq"),
    )
    .len();
    assert_eq!(functions, 20);
    let tallied = value(
        shipped(),
        "SELECT ?n WHERE { ?i skos:prefLabel \"Ақтоғай ауданы әкімінің аппараты\"@kk .
           ?t akg:tallyOf ?i ; akg:tallyKind akg:Function ; akg:provisionCount ?n }",
    );
    assert_eq!(tallied, functions.to_string());
    assert!(!shipped().tallies_stale().unwrap());
    // Kept one transaction at a time, the graph's digest is still the digest of what it holds.
    assert_eq!(stated_digest(shipped()), content_digest(shipped()));
}

#[test]
fn bulk_loads_tally_as_one_transaction_per_document_does() {
    let (_dir, store) = bulk_store(&[regulations()]);
    same_answers(&store);
    let bulk = tallies(&store);
    assert!(bulk.len() > 500, "{} tally quads", bulk.len());
    assert_eq!(bulk, tallies(shipped()));
    // The same tallies have the same digest, whichever writes made them.
    assert_eq!(stated_digest(&store), stated_digest(shipped()));
    assert_eq!(stated_digest(&store), content_digest(&store));
    // Every tally quad is also in the default graph, as every named graph's triples are.
    for q in &bulk {
        let d = oxigraph::model::QuadRef::new(
            &q.subject,
            &q.predicate,
            &q.object,
            GraphNameRef::DefaultGraph,
        );
        assert!(store.inner().contains(d).unwrap(), "{q}");
    }
    // No pending mark is left, and the version is written.
    let marks: Vec<_> = bulk
        .iter()
        .filter(|q| q.predicate.as_str().ends_with("#refreshPending"))
        .collect();
    assert!(marks.is_empty(), "{marks:?}");
    assert!(bulk
        .iter()
        .any(|q| q.predicate.as_str().ends_with("#tallyVersion")));
}

#[test]
fn removing_a_document_recounts_its_body() {
    let (_dir, store) = bulk_store(&[regulations()]);
    let aksu = iri("org/pavlodar/aksu-city/internal-policy-department");
    let before = rows(
        &store,
        &format!("SELECT ?t WHERE {{ ?t akg:tallyOf <{aksu}> }}"),
    )
    .len();
    assert!(before > 3, "{before}");
    let graph = graph_of(&store, &doc("kk-aksu-internal-policy.txt"));
    assert!(store.remove_document(&graph).unwrap());
    same_answers(&store);
    let after = rows(
        &store,
        &format!("SELECT ?t WHERE {{ ?t akg:tallyOf <{aksu}> }}"),
    )
    .len();
    assert_eq!(
        after, 0,
        "the only regulation of the Aksu department is gone, and so are its tallies"
    );
    assert_eq!(stated_digest(&store), content_digest(&store));
}

#[test]
fn a_store_left_pending_is_recounted_by_the_next_writer() {
    let (_dir, store) = bulk_store(&[regulations()]);
    let expected = tallies(&store);
    // As a process killed between a bulk load and its tallies leaves it: the mark set, some tallies missing.
    let g = NamedNode::new(aggregates_graph(&base())).unwrap();
    let mark = Quad::new(
        g.clone(),
        NamedNode::new(format!("{}refreshPending", akimat_kg::rdf::vocab::AKG)).unwrap(),
        Literal::from(true),
        g.clone(),
    );
    let lost: Vec<Quad> = expected
        .iter()
        .filter(|q| q.subject.to_string().contains("#competence-"))
        .take(40)
        .cloned()
        .collect();
    {
        let mut t = store.inner().start_transaction().unwrap();
        t.insert(&mark);
        for q in &lost {
            t.remove(q);
            t.remove(oxigraph::model::QuadRef::new(
                &q.subject,
                &q.predicate,
                &q.object,
                GraphNameRef::DefaultGraph,
            ));
        }
        t.commit().unwrap();
    }
    assert!(store.tallies_stale().unwrap());
    let digest = stated_digest(&store);
    assert_ne!(digest, content_digest(&store));
    assert!(store.settle_tallies().unwrap());
    assert!(!store.tallies_stale().unwrap());
    assert_eq!(tallies(&store), expected);
    assert_eq!(stated_digest(&store), digest);
    same_answers(&store);
    // A store made before tallies existed (no version in the aggregate graph) is stale too.
    let version: Vec<Quad> = tallies(&store)
        .into_iter()
        .filter(|q| {
            matches!(&q.object, Term::Literal(_)) && q.predicate.as_str().ends_with("#tallyVersion")
        })
        .collect();
    assert_eq!(version.len(), 1);
    store.inner().remove(&version[0]).unwrap();
    assert!(store.tallies_stale().unwrap());
    assert!(store.settle_tallies().unwrap());
    assert_eq!(tallies(&store), expected);
}
