//! Compiles the ready-made queries of `queries/` into the binary, so the query editor of `akimat-kg serve` offers
//! them wherever the binary runs.

use std::fmt::Write;

fn main() {
    println!("cargo:rerun-if-changed=queries");
    let mut entries: Vec<_> = std::fs::read_dir("queries")
        .expect("the queries/ folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rq"))
        .collect();
    entries.sort();
    let mut code = String::from("/// The queries of `queries/`: file stem and text.\npub const QUERIES: &[(&str, &str)] = &[\n");
    for path in entries {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 file name");
        // The text itself goes into the generated file (not an include_str! of an absolute path), so that a
        // build cache shared by several checkouts never points at another checkout's files.
        let text = std::fs::read_to_string(&path).expect("a readable UTF-8 query file");
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(code, "    ({stem:?}, {text:?}),").unwrap();
    }
    code.push_str("];\n");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("queries.rs");
    std::fs::write(out, code).expect("write queries.rs");
}
