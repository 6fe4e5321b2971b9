//! `AKIMAT_KG_DATA` names a copy of `data/` that every table is read from — the lexicon, the letter tables, the
//! code pages, the server's words — and a bad row in any of them stops the command with an error naming the file
//! and the line, before a document is read.

mod server;

use server::{copy_dir, root};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of the tables of `data/` (not the documents).
fn data_copy(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    for sub in ["lexicon", "reference", "encodings", "serve"] {
        copy_dir(&root().join("data").join(sub), &data.join(sub));
    }
    data
}

fn extract(data: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_akimat-kg"))
        .env("AKIMAT_KG_DATA", data)
        .args(["extract", "--format", "json"])
        .arg(root().join("data/regulations/kk-aksu-internal-policy.txt"))
        .output()
        .unwrap()
}

#[test]
fn a_copy_of_the_tables_reads_like_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_copy(dir.path());
    let with_copy = extract(&data);
    assert!(
        with_copy.status.success(),
        "{}",
        String::from_utf8_lossy(&with_copy.stderr)
    );
    let built_in = Command::new(env!("CARGO_BIN_EXE_akimat-kg"))
        .env_remove("AKIMAT_KG_DATA")
        .args(["extract", "--format", "json"])
        .arg(root().join("data/regulations/kk-aksu-internal-policy.txt"))
        .output()
        .unwrap();
    assert_eq!(with_copy.stdout, built_in.stdout);
}

#[test]
fn a_bad_row_of_any_table_is_named_with_its_file_and_line() {
    for (file, row, named) in [
        (
            "lexicon/transliteration.tsv",
            "бв\tb\n",
            "lexicon/transliteration.tsv:",
        ),
        (
            "lexicon/look-alikes.tsv",
            "q\tабв\n",
            "lexicon/look-alikes.tsv:",
        ),
        ("encodings/kz-1048.tsv", "zz\tқ\n", "encodings/kz-1048.tsv:"),
        (
            "lexicon/patterns.tsv",
            "extra\t(unclosed\n",
            "lexicon/patterns.tsv:",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let data = data_copy(dir.path());
        let path = data.join(file);
        let mut text = std::fs::read_to_string(&path).unwrap();
        let line = text.lines().count() + 1;
        text.push_str(row);
        std::fs::write(&path, text).unwrap();
        let out = extract(&data);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{file}: the command went on");
        assert!(out.stdout.is_empty(), "{file}: a document was read");
        assert!(
            stderr.contains(&format!("{named}{line}")),
            "{file}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
