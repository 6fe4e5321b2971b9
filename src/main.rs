//! The `akimat-kg` command: a thin shell over the library (see `akimat_kg::cli`).

fn main() -> std::process::ExitCode {
    akimat_kg::cli::main()
}
