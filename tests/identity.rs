//! Identity does not depend on the machine: the shipped corpus copied into two different folders and ingested by
//! the command a user runs gives the same dataset (RDFC-1.0), and nothing exported names a local file. A store made
//! by the older layout (graphs named after file paths) is refused with what to run.

mod server;
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use server::{bin, copy_dir, export, root, run};
use std::process::Command;

/// The N-Quads of a store, but the times of generation, canonicalised with RDFC-1.0.
fn canonical(nquads: &str) -> oxrdf::Dataset {
    let mut d = oxrdf::Dataset::new();
    for q in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
        .for_slice(nquads.as_bytes())
    {
        let q = q.unwrap();
        if !q.predicate.as_str().ends_with("generatedAtTime") {
            d.insert(&q);
        }
    }
    d.canonicalize(CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
    });
    d
}

#[test]
fn the_corpus_in_two_folders_gives_one_dataset_and_no_local_path() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("one/regulations");
    let second = tmp.path().join("elsewhere/deeper/copy-of-the-corpus");
    copy_dir(&root().join("data/regulations"), &first);
    copy_dir(&root().join("data/regulations"), &second);
    let stores = [tmp.path().join("store-a"), tmp.path().join("store-b")];
    for (store, folder) in stores.iter().zip([&first, &second]) {
        let out = server::ingest(store, folder);
        assert!(out.contains("0 failed"), "{out}");
    }
    let a = export(&stores[0], "nquads");
    let b = export(&stores[1], "nquads");
    assert!(a.lines().count() > 15_000, "{} quads", a.lines().count());
    assert!(
        canonical(&a) == canonical(&b),
        "the two folders give two datasets"
    );
    // Nothing exported, in any format, names a file of this machine.
    let folders = [
        tmp.path().to_string_lossy().into_owned(),
        root().to_string_lossy().into_owned(),
    ];
    for format in ["nquads", "trig", "turtle", "ntriples", "jsonld", "rdfxml"] {
        let text = export(&stores[0], format);
        assert!(!text.contains("file://"), "{format} holds a file: IRI");
        for f in &folders {
            assert!(!text.contains(f.as_str()), "{format} holds {f}");
        }
    }
    // The sources are named by their public address or their digest, and by their path below the folder.
    assert!(a.contains("<https://zan.gov.kz/client/#!/doc/100709/kaz/12.02.2016>"));
    assert!(a.contains("<ni:///sha-256;"));
    assert!(a.contains("\"pairs/100709/kaz.md\""));
}

#[test]
fn a_store_of_the_older_layout_is_refused_with_what_to_run() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("old");
    let one = tmp.path().join("one");
    copy_dir(&root().join("data/regulations/pairs/100709"), &one);
    server::ingest(&store, &one);
    // Take the store back to the older layout: without the format mark its graphs count as named after files.
    let update =
        "DELETE WHERE { GRAPH ?m { ?m <https://w3id.org/akimat-kg/ontology#storeFormat> ?f } }";
    {
        let s = oxigraph::store::Store::open(&store).unwrap();
        s.update(update).unwrap();
    }
    let o = Command::new(bin())
        .args([
            "--store",
            store.to_str().unwrap(),
            "ingest",
            one.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("made by an older akimat-kg"), "{err}");
    assert!(err.contains("akimat-kg ingest --rebuild"), "{err}");
    // `--rebuild` empties it and ingests again.
    let out = run(&[
        "--store",
        store.to_str().unwrap(),
        "ingest",
        "--rebuild",
        "--quiet",
        one.to_str().unwrap(),
    ]);
    assert!(
        out.contains("2 files: 2 stored, 0 unchanged, 0 skipped, 0 failed"),
        "{out}"
    );
}
