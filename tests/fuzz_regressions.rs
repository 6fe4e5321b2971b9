//! Inputs kept from fuzzing (`fuzz/`, `cargo +nightly fuzz run …`), run through the same code as the fuzz targets,
//! without the pipeline's panic guard: `tests/fixtures/fuzz/pipeline-*` through decode → normalise → parse →
//! extract, `tests/fixtures/fuzz/formats-*` through the Word and HTML readers (first byte chooses, as in the
//! target). A panic here is a regression.

use akimat_kg::lexicon::Lexicon;
use std::path::PathBuf;

fn inputs(prefix: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn pipeline_inputs_go_through_every_stage_without_panicking() {
    let lex = Lexicon::get();
    let inputs = inputs("pipeline-");
    assert!(!inputs.is_empty(), "no kept inputs in tests/fixtures/fuzz");
    for (path, bytes) in inputs {
        let Ok(decoded) = akimat_kg::decode::decode(&bytes) else {
            continue;
        };
        let norm = akimat_kg::normalize::normalize(&decoded.text);
        let doc = akimat_kg::parse::parse(&norm, lex);
        let result = akimat_kg::extract::extract(&doc, &norm, &decoded.text, lex, None);
        eprintln!(
            "{}: {}",
            path.display(),
            if result.is_ok() {
                "extracted"
            } else {
                "refused"
            }
        );
    }
}

#[test]
fn format_inputs_are_read_without_panicking() {
    for (path, bytes) in inputs("formats-") {
        let Some((&which, rest)) = bytes.split_first() else {
            continue;
        };
        match which % 3 {
            0 => {
                let _ = akimat_kg::decode::html::read_html(&String::from_utf8_lossy(rest));
            }
            1 => {
                let _ = akimat_kg::decode::docx::read_docx(rest);
            }
            _ => {
                let _ = akimat_kg::decode::docx::read_docx(&zipped(rest));
            }
        }
        eprintln!("{}: read", path.display());
    }
}

/// A ZIP holding the bytes as word/document.xml, as the `formats` target wraps them.
fn zipped(xml: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}
