//! The readers of Word documents and HTML pages on any input: the first byte chooses which one, the rest is
//! the document (for Word, inside a well-formed ZIP around it half of the time, so the XML reader is reached).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Some((&which, rest)) = bytes.split_first() else {
        return;
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
});

/// A ZIP holding the bytes as word/document.xml.
fn zipped(xml: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    if zip.start_file("word/document.xml", opts).is_ok() {
        let _ = zip.write_all(xml);
    }
    let _ = zip.finish();
    out.into_inner()
}
