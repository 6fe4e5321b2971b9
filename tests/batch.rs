//! Ingesting many files at once (several extraction threads, new documents in atomic bulk loads, stored ones
//! replaced in transactions) gives exactly the store that ingesting them one transaction each gives.

mod common;

use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::batch::{ingest_files, BatchOptions};
use akimat_kg::pipeline::{IngestOptions, IngestStatus};
use akimat_kg::read::inputs;
use akimat_kg::store::KgStore;
use common::{base, build_store, regulations};
use std::collections::BTreeSet;

/// Every quad of a store as N-Quads text, but the times of ingestion (they differ from run to run); blank nodes
/// (only in the ontology's OWL axioms, named afresh by each parse) are written as `_:b`.
fn quads(store: &KgStore) -> BTreeSet<String> {
    let blank = regex::Regex::new(r"_:[0-9a-f]+").unwrap();
    store
        .inner()
        .iter()
        .map(|q| q.unwrap())
        .filter(|q| !q.predicate.as_str().ends_with("generatedAtTime"))
        .map(|q| blank.replace_all(&q.to_string(), "_:b").into_owned())
        .collect()
}

#[test]
fn batched_ingestion_gives_the_store_of_one_transaction_per_document() {
    let (_one_by_one, reference) = build_store(&[regulations()]);
    let expected = quads(&reference);
    let (files, errors) = inputs(&[regulations()]);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(files.len() >= 20, "{} files", files.len());

    let dir = tempfile::tempdir().unwrap();
    let store = KgStore::open(&dir.path().join("store"), &base()).unwrap();
    let mut opts = BatchOptions::new(IngestOptions::default());
    // A few documents per bulk load, two extraction threads.
    opts.batch_quads = 3_000;
    opts.jobs = 2;
    let mut stored = Vec::new();
    let report = ingest_files(
        &store,
        &base(),
        &files[..files.len() / 2],
        Lexicon::get(),
        &opts,
        |p, o| {
            assert!(
                matches!(
                    o,
                    IngestStatus::Stored {
                        replaced: false,
                        ..
                    }
                ),
                "{}",
                p.display()
            );
            stored.push(p.to_path_buf());
        },
    )
    .unwrap();
    assert_eq!((report.stored, report.failed), (files.len() / 2, 0));
    stored.sort();
    assert_eq!(
        stored,
        files[..files.len() / 2]
            .iter()
            .map(|f| f.path.clone())
            .collect::<Vec<_>>()
    );

    // Again over all files, forced: the first half is replaced in transactions between the bulk loads of the rest.
    opts.ingest.force = true;
    let (mut replaced, mut added) = (0, 0);
    let report = ingest_files(
        &store,
        &base(),
        &files,
        Lexicon::get(),
        &opts,
        |p, o| match o {
            IngestStatus::Stored { replaced: true, .. } => replaced += 1,
            IngestStatus::Stored {
                replaced: false, ..
            } => added += 1,
            other => panic!("{}: {other:?}", p.display()),
        },
    )
    .unwrap();
    assert_eq!(report.stored, files.len());
    assert_eq!(
        (replaced, added),
        (files.len() / 2, files.len() - files.len() / 2)
    );
    let got = quads(&store);
    assert_eq!(got.len(), expected.len());
    assert!(
        got == expected,
        "first differences: {:?}",
        got.symmetric_difference(&expected)
            .take(5)
            .collect::<Vec<_>>()
    );

    // And once more, not forced: nothing to write.
    opts.ingest.force = false;
    let report = ingest_files(&store, &base(), &files, Lexicon::get(), &opts, |_, _| {}).unwrap();
    assert_eq!((report.stored, report.unchanged), (0, files.len()));
}
