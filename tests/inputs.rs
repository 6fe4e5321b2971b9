//! Any input: the corpus texts re-encoded (UTF-8 with BOM, UTF-16 LE/BE with and without BOM, windows-1251,
//! KZ-1048 by Python's own codec), as a Word document written by python-docx, as a saved Әділет page; the format
//! found by content; clear errors for everything else; limits on size and time; pathological texts without
//! panics; a folder of good, bad and huge files.

mod server;

use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::process_file;
use server::{bin, output_text, root};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Kind, number and text of every provision, and the institution's name.
fn essence(path: &Path) -> (Option<String>, Vec<(String, String, String)>) {
    let p = process_file(path, Lexicon::get()).unwrap_or_else(|e| panic!("{e}"));
    (
        p.extraction
            .institution
            .as_ref()
            .map(|i| i.org.name.clone()),
        p.extraction
            .provisions
            .iter()
            .map(|x| (x.kind.clone(), x.number.clone(), x.text.clone()))
            .collect(),
    )
}

fn encoding_of(path: &Path) -> (&'static str, akimat_kg::decode::Format) {
    let p = process_file(path, Lexicon::get()).unwrap();
    (p.decoded.encoding, p.decoded.format)
}

/// Encodes text with Python's codec of that name (an implementation independent of ours).
fn python_encode(text: &str, codec: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in.txt");
    let dst = dir.path().join("out.bin");
    std::fs::write(&src, text).unwrap();
    let code = format!(
        "open({:?},'wb').write(open({:?},encoding='utf-8').read().encode({codec:?}))",
        dst.display().to_string(),
        src.display().to_string()
    );
    let out = Command::new("python3")
        .args(["-c", &code])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(dst).unwrap()
}

fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        out.extend(if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

#[test]
fn every_encoding_gives_the_provisions_of_the_utf8_original() {
    let dir = tempfile::tempdir().unwrap();
    let kk = root().join("data/regulations/kk-aktogay-akim-apparatus.txt");
    let ru = root().join("data/regulations/pairs/79210/rus.md");
    for (original, name) in [(&kk, "kk"), (&ru, "ru")] {
        let text = std::fs::read_to_string(original).unwrap();
        let expected = essence(original);
        assert!(
            expected.1.len() > 10,
            "{name}: {} provisions",
            expected.1.len()
        );
        let crlf = text.replace('\n', "\r\n");
        let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
            (
                "bom",
                [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
                "UTF-8 (BOM)",
            ),
            ("utf16le-bom", utf16(&crlf, true, true), "UTF-16LE (BOM)"),
            ("utf16be-bom", utf16(&text, false, true), "UTF-16BE (BOM)"),
            ("utf16le", utf16(&crlf, true, false), "UTF-16LE"),
            ("utf16be", utf16(&text, false, false), "UTF-16BE"),
        ];
        if name == "kk" {
            cases.push(("kz1048", python_encode(&crlf, "kz1048"), "KZ-1048"));
        } else {
            cases.push(("cp1251", python_encode(&crlf, "cp1251"), "windows-1251"));
        }
        for (case, bytes, encoding) in cases {
            let file = dir.path().join(format!("{name}-{case}.txt"));
            std::fs::write(&file, bytes).unwrap();
            assert_eq!(encoding_of(&file).0, encoding, "{name} {case}");
            assert_eq!(essence(&file), expected, "{name} {case}");
        }
    }
}

#[test]
fn a_word_document_and_a_saved_adilet_page_give_the_provisions_of_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let aksu = root().join("data/regulations/kk-aksu-internal-policy.txt");
    let expected = essence(&aksu);
    // Word, written by python-docx from the same text (tables for the lines copied from tables), and named .txt:
    // the content decides.
    let docx = dir.path().join("aksu.docx");
    let out = Command::new("python3")
        .arg(root().join("tests/python/make_docx.py"))
        .args([&aksu, &docx])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python-docx: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let renamed = dir.path().join("aksu-docx.txt");
    std::fs::copy(&docx, &renamed).unwrap();
    for f in [&docx, &renamed] {
        assert_eq!(encoding_of(f).1, akimat_kg::decode::Format::Docx);
        assert_eq!(essence(f), expected, "{}", f.display());
    }
    // The Әділет page of the same text (tests/fixtures/adilet): its notes are not provisions, its header stands
    // in for a sidecar.
    let page = dir.path().join("aksu.html");
    std::fs::copy(
        root().join("tests/fixtures/adilet/G22TEST0403.kaz.html"),
        &page,
    )
    .unwrap();
    assert_eq!(encoding_of(&page).1, akimat_kg::decode::Format::Html);
    assert_eq!(essence(&page), expected);
    let p = process_file(&page, Lexicon::get()).unwrap();
    let side = p.sidecar.expect("the page header as a sidecar");
    assert_eq!(
        side.status(akimat_kg::lexicon::Lang::Kk),
        Some("Жаңартылған")
    );
    assert_eq!(side.notes(akimat_kg::lexicon::Lang::Kk).count(), 2);
}

fn ingest(store: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(["--store", store.to_str().unwrap(), "ingest", "--quiet"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_folder_of_good_bad_and_huge_files_stores_every_good_one_and_names_every_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    let good = [
        "kk-aksu-internal-policy.txt",
        "kk-aktogay-akim-apparatus.txt",
    ];
    for g in good {
        std::fs::copy(root().join("data/regulations").join(g), folder.join(g)).unwrap();
    }
    let bad: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "scan.txt",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
            "unsupported format: a PDF file",
        ),
        (
            "old.docx",
            [
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
                &[0u8; 64],
            ]
            .concat(),
            "Word 97–2003",
        ),
        (
            "broken.docx",
            b"PK\x03\x04 not really a zip".to_vec(),
            "the Word document cannot be read",
        ),
        ("empty.md", Vec::new(), "the file is empty"),
        (
            "koi8.txt",
            encoding_rs::KOI8_R
                .encode(&"Положение о государственном учреждении ".repeat(10))
                .0
                .into_owned(),
            "no supported encoding",
        ),
        (
            "english.txt",
            b"Regulation of the state institution. 1. General provisions.".repeat(3),
            "unsupported language (Latin script",
        ),
    ];
    for (name, bytes, _) in &bad {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
    // Huge: over the cap given.
    let huge = folder.join("huge.txt");
    std::fs::write(&huge, "1. Жалпы ережелер\n".repeat(40_000)).unwrap();
    let store = dir.path().join("store");
    let out = ingest(
        &store,
        &["--max-doc-bytes", "500000", folder.to_str().unwrap()],
    );
    let t = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains("9 files: 2 stored, 0 unchanged, 0 skipped, 7 failed"),
        "{t}"
    );
    for (name, _, why) in &bad {
        let line = t
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not reported:\n{t}"));
        assert!(
            line.starts_with("error: ") && line.contains(why),
            "{name}: {line}"
        );
    }
    assert!(t.contains("huge.txt: 1240000 bytes, more than the 500000 bytes a document may have (--max-doc-bytes)"), "{t}");
    // The good ones are in the store, whole.
    let n = server::query_csv(
        &store,
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?p akg:assignedTo ?i } }",
    );
    assert!(n.ends_with("2\r\n") || n.ends_with("2\n"), "{n}");
}

#[test]
fn a_time_budget_stops_starting_documents_and_a_rerun_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let data = root().join("data/regulations");
    let out = ingest(&store, &["--time-budget", "0", data.to_str().unwrap()]);
    let t = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("27 files: 0 stored, 0 unchanged, 0 skipped, 0 failed, 27 not ingested: the time budget of 0 s was spent"), "{t}");
    let out = ingest(&store, &[data.to_str().unwrap()]);
    assert!(
        out.status.success() && output_text(&out).contains("27 stored"),
        "{}",
        output_text(&out)
    );
    assert!(
        ingest(&store, &["--time-budget", "-1", data.to_str().unwrap()])
            .status
            .code()
            == Some(2)
    );
}

/// Runs the pipeline on generated bytes and returns the error, if any; never panics.
fn survive(name: &str, bytes: Vec<u8>) -> Result<usize, String> {
    let dir = tempfile::tempdir().unwrap();
    let f: PathBuf = dir.path().join(name);
    std::fs::write(&f, bytes).unwrap();
    match process_file(&f, Lexicon::get()) {
        Ok(p) => Ok(p.extraction.provisions.len()),
        Err(e) => {
            let e = e.to_string();
            assert!(!e.contains("internal error"), "{name}: {e}");
            Err(e)
        }
    }
}

#[test]
fn pathological_texts_are_read_without_panics() {
    let head =
        std::fs::read_to_string(root().join("data/regulations/kk-aktogay-akim-apparatus.txt"))
            .unwrap();
    // A million dash items in the functions (8 MB).
    let dashes = format!("{head}\n{}", "- есеп;\n".repeat(1_000_000));
    let n = survive("dashes.txt", dashes.into_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert!(n > 20, "{n} provisions");
    // One line of 5 MB.
    let long = format!(
        "{head}\n{}",
        "Ақтоғай ауданы әкімінің аппараты ".repeat(80_000)
    );
    survive("long.txt", long.into_bytes()).unwrap_or_else(|e| panic!("{e}"));
    // Control characters and broken UTF-8 here and there.
    let mut noisy = head.clone().into_bytes();
    for i in (100..noisy.len()).step_by(997) {
        noisy[i] = if i % 2 == 0 { 0x07 } else { 0xFF };
    }
    let _ = survive("noisy.txt", noisy);
    // HTML nested 100,000 levels deep.
    let deep = format!(
        "<html><body>{}1. Жалпы ережелер{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let _ = survive("deep.html", deep.into_bytes());
    // Lines of nothing but quotes, numbers and brackets.
    let odd = "«»\"\"((((1.1.1.1.1)))) № № № 1) 2) 3)\n".repeat(50_000);
    let _ = survive("odd.txt", odd.into_bytes());
}
