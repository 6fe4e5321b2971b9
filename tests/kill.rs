//! `ingest` killed with SIGKILL at several points of a large run (300 generated regulations): after each kill the
//! store opens and validates, and every document's graph is either absent, its old version or its new one, never
//! a part; running the same command again finishes the job and skips what was done.

mod server;

use server::{bin, root};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// Quads per document graph (the metadata, ontology, gazetteer and aggregate graphs left out).
fn graphs(store: &Path) -> BTreeMap<String, u64> {
    server::graph_counts(store)
        .into_iter()
        .filter(|(g, _)| {
            !g.ends_with("graph/meta")
                && !g.ends_with("graph/ontology")
                && !g.ends_with("graph/gazetteer")
                && !g.ends_with("graph/aggregates")
        })
        .collect()
}

/// The ready-made competence queries, which read the tallies, give the CSV their provision-counting originals
/// (`tests/fixtures/tallies/`) give on a store.
fn tallied_as_counted(store: &Path) {
    for name in [
        "competence-profile.rq",
        "competence-matrix.rq",
        "competence-gaps.rq",
        "provisions-by-kind.rq",
    ] {
        let csv = |file: std::path::PathBuf| {
            server::query_csv(store, &std::fs::read_to_string(file).unwrap())
        };
        let tallied = csv(root().join("queries").join(name));
        let counted = csv(root().join("tests/fixtures/tallies").join(name));
        assert!(
            tallied.lines().count() > 300,
            "{name}: {} lines",
            tallied.lines().count()
        );
        assert_eq!(tallied, counted, "queries/{name}");
    }
}

/// Quads of the graph of competence tallies.
fn tallies(store: &Path) -> Option<u64> {
    server::graph_counts(store)
        .into_iter()
        .find(|(g, _)| g.ends_with("graph/aggregates"))
        .map(|(_, n)| n)
}

/// Starts `ingest` and kills it (SIGKILL) once `after` documents were reported stored; returns how many were.
fn ingest_and_kill(store: &Path, folder: &Path, after: usize) -> usize {
    let mut child = Command::new(bin())
        .args([
            "--store",
            store.to_str().unwrap(),
            "ingest",
            "--quiet",
            // New documents are committed in bulk loads of about 20 at a time, so that kills fall before, inside
            // and between them.
            "--batch-quads",
            "20000",
            folder.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut stored = 0;
    for line in BufReader::new(out).lines() {
        let line = line.unwrap();
        if line.starts_with("stored") || line.starts_with("replaced") {
            stored += 1;
            if stored == after {
                child.kill().unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    stored
}

fn check(store: &Path, olds: &BTreeMap<String, u64>, news: &BTreeMap<String, u64>, moment: &str) {
    // It opens, and validates.
    let v = Command::new(bin())
        .args(["--store", store.to_str().unwrap(), "validate"])
        .output()
        .unwrap();
    assert!(
        v.status.success(),
        "{moment}: validate failed:\n{}",
        String::from_utf8_lossy(&v.stdout)
    );
    // The table files of a bulk load the kill interrupted are gone once a writer opens the store again (an
    // ingest of nothing). `validate` only reads: it may run while another process ingests.
    let empty = store.with_extension("empty");
    std::fs::create_dir_all(&empty).unwrap();
    server::ingest(store, &empty);
    let leftovers: Vec<_> = std::fs::read_dir(store)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| akimat_kg::store::is_bulk_load_file(n))
        .collect();
    assert!(
        leftovers.is_empty(),
        "{moment}: {leftovers:?} left in the store"
    );
    // Every document graph is whole: the old version or the new one.
    for (g, n) in graphs(store) {
        assert!(
            olds.get(&g) == Some(&n) || news.get(&g) == Some(&n),
            "{moment}: {g} holds {n} quads, neither its old {:?} nor its new {:?}",
            olds.get(&g),
            news.get(&g)
        );
    }
}

#[test]
fn a_killed_ingest_leaves_every_document_whole_and_a_rerun_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("corpus");
    akimat_kg::synth::generate(&root().join("data/regulations"), &folder, 300, 11).unwrap();

    // The graphs of a clean run, for reference.
    let reference = dir.path().join("reference");
    server::ingest(&reference, &folder);
    let news = graphs(&reference);
    assert_eq!(news.len(), 300);
    tallied_as_counted(&reference);

    // Killed three times while storing new documents.
    let store = dir.path().join("store");
    let none = BTreeMap::new();
    for after in [5, 60, 100] {
        let stored = ingest_and_kill(&store, &folder, after);
        assert_eq!(stored, after);
        check(&store, &none, &news, &format!("killed after {after} more"));
    }
    let have = graphs(&store).len();
    assert!(have >= 165, "{have} documents stored");

    // The same command again: what was stored is skipped, the rest stored.
    let out = server::ingest(&store, &folder);
    let summary = out.lines().find(|l| l.contains(" files: ")).unwrap();
    assert!(
        summary.contains(&format!(
            "{} stored, {have} unchanged, 0 skipped, 0 failed",
            300 - have
        )),
        "{summary}"
    );
    assert_eq!(graphs(&store), news);
    // The tallies of the bodies, recounted after the kills, are those of the clean run.
    assert!(tallies(&reference).unwrap() > 1_000);
    assert_eq!(tallies(&store), tallies(&reference));

    // Every document changed (a regenerated corpus with another seed, same paths), and killed while replacing:
    // each graph is its old version or its new one.
    let olds = news;
    std::fs::remove_dir_all(&folder).unwrap();
    akimat_kg::synth::generate(&root().join("data/regulations"), &folder, 300, 12).unwrap();
    let reference2 = dir.path().join("reference2");
    server::ingest(&reference2, &folder);
    let news = graphs(&reference2);
    for after in [3, 50] {
        ingest_and_kill(&store, &folder, after);
        check(
            &store,
            &olds,
            &news,
            &format!("killed while replacing, after {after}"),
        );
    }
    server::ingest(&store, &folder);
    let now = graphs(&store);
    for (g, n) in &news {
        assert_eq!(now.get(g), Some(n), "{g} after the rerun");
    }
    // The regenerated files name other acts in part, whose graphs join the earlier ones rather than replace them, so
    // the store's tallies are checked against counting its own provisions.
    tallied_as_counted(&store);
}
