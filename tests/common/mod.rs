//! Shared by the integration tests: a store built from the shipped regulations, and small query helpers.
#![allow(dead_code)]

use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::{ingest_file_with, IngestOptions, IngestStatus};
use akimat_kg::query::{plain, select};
use akimat_kg::rdf::iri::Base;
use akimat_kg::rdf::vocab::DEFAULT_BASE;
use akimat_kg::read::inputs;
use akimat_kg::store::KgStore;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped regulations.
pub fn regulations() -> PathBuf {
    root().join("data/regulations")
}

/// The default base.
pub fn base() -> Base {
    Base::new(DEFAULT_BASE).unwrap()
}

/// `base + path`.
pub fn iri(path: &str) -> String {
    format!("{DEFAULT_BASE}{path}")
}

/// Ingests paths into a new store in a temporary folder; panics if any file fails.
pub fn build_store(paths: &[PathBuf]) -> (tempfile::TempDir, KgStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = KgStore::open(&dir.path().join("store"), &base()).unwrap();
    let (files, errors) = inputs(paths);
    assert!(errors.is_empty(), "{errors:?}");
    for f in files {
        let opts = IngestOptions::default();
        if let IngestStatus::Failed(e) =
            ingest_file_with(&store, &base(), &f, Lexicon::get(), &opts)
        {
            panic!("{e}");
        }
    }
    (dir, store)
}

/// The named graph the store made from a file (found by the digest of its bytes: graphs are named from acts).
pub fn graph_of(store: &KgStore, file: &Path) -> String {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let graphs = store
        .graphs_from_source(&akimat_kg::pipeline::digest(&bytes))
        .unwrap();
    assert_eq!(graphs.len(), 1, "{}: {graphs:?}", file.display());
    graphs[0].clone()
}

/// The store of all shipped regulations, built once per test binary.
pub fn shipped() -> &'static KgStore {
    static STORE: OnceLock<(tempfile::TempDir, KgStore)> = OnceLock::new();
    &STORE.get_or_init(|| build_store(&[regulations()])).1
}

/// Rows of a SELECT as plain strings (IRIs and literal values; "" for unbound).
pub fn rows(store: &KgStore, query: &str) -> Vec<Vec<String>> {
    let full = format!(
        "PREFIX akg: <https://w3id.org/akimat-kg/ontology#>\nPREFIX eli: <http://data.europa.eu/eli/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nPREFIX schema: <https://schema.org/>\nPREFIX dct: <http://purl.org/dc/terms/>\nPREFIX locn: <http://www.w3.org/ns/locn#>\nPREFIX org: <http://www.w3.org/ns/org#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n{query}"
    );
    let (_, rows) = select(store.inner(), &full, "test").unwrap_or_else(|e| panic!("{e}\n{full}"));
    rows.into_iter()
        .map(|r| {
            r.iter()
                .map(|t| t.as_ref().map(plain).unwrap_or_default())
                .collect()
        })
        .collect()
}

/// The single value of a one-column, one-row query.
pub fn value(store: &KgStore, query: &str) -> String {
    let r = rows(store, query);
    assert_eq!(r.len(), 1, "expected one row, got {r:?} for {query}");
    r[0][0].clone()
}

/// Path of a shipped document.
pub fn doc(name: &str) -> PathBuf {
    regulations().join(name)
}

/// Whether a path exists.
pub fn exists(p: &Path) -> bool {
    p.exists()
}
