//! The `akimat-kg` command: a thin shell over the library (see `akimat_kg::cli`).

/// mimalloc instead of the system allocator: ingestion builds and drops millions of small strings on several threads,
/// where glibc's allocator spent a tenth of the time (measured with `perf` on 10,000 documents).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    akimat_kg::cli::main()
}
