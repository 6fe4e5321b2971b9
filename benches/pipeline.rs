//! Throughput of decode → normalise → parse → extract on one core, on 200 regulations recombined from the corpus
//! (`akimat_kg::synth`, seed 1): `cargo bench --bench pipeline`. Criterion reports the time for all 200 and MB/s;
//! documents/s is 200 divided by that time.

use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::process_bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::{Path, PathBuf};

/// The allocator the `akimat-kg` binary runs with (`src/main.rs`), so that the benchmark measures what the tool does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn documents() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/regulations");
    akimat_kg::synth::generate(&corpus, dir.path(), 200, 1).unwrap();
    let mut docs: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir.path())
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() != "meta.yaml")
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    docs.truncate(200);
    docs
}

fn pipeline(c: &mut Criterion) {
    let docs = documents();
    let lex = Lexicon::get();
    let bytes: usize = docs.iter().map(|(_, b)| b.len()).sum();
    let mut g = c.benchmark_group("decode+normalise+parse+extract");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function(
        format!("{} documents, {:.1} MB", docs.len(), bytes as f64 / 1e6),
        |b| {
            b.iter(|| {
                for (path, bytes) in &docs {
                    let p = process_bytes(path, bytes, lex, Default::default()).unwrap();
                    std::hint::black_box(p.extraction.provisions.len());
                }
            })
        },
    );
    g.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
