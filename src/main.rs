//! The `akimat-kg` command: a thin shell over the library (see `akimat_kg::cli`).

/// mimalloc for the whole process: ingestion builds and drops tens of millions of small strings across threads,
/// where glibc's allocator took a fifth of the run. Built with `override`, so that it also serves `malloc` and
/// `free` for the C++ of RocksDB: Oxigraph frees with Rust's allocator some memory RocksDB allocated (the message of
/// a failed open), which crashed the live server when the two allocators differed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    akimat_kg::cli::main()
}
