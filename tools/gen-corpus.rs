//! Writes a synthetic corpus of regulations for scale benchmarks, recombined from the real one (see
//! `akimat_kg::synth`): `cargo run --release --bin gen-corpus -- --count 10000 --seed 1 --out /tmp/corpus10k`.

use clap::Parser;
use std::path::PathBuf;

/// Writes N synthetic regulations recombined from the shipped corpus, deterministic from a seed.
#[derive(Parser)]
struct Args {
    /// Documents to write (a Kazakh–Russian pair counts two).
    #[arg(long, default_value_t = 1000)]
    count: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The real corpus to recombine.
    #[arg(long, default_value = "data/regulations")]
    corpus: PathBuf,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let started = std::time::Instant::now();
    let w = akimat_kg::synth::generate(&a.corpus, &a.out, a.count, a.seed)?;
    println!(
        "{} documents, {:.1} MB, in {} ({:.1} s)",
        w.documents,
        w.bytes as f64 / 1e6,
        a.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
