//! Stage 2: bytes to text.
//!
//! Input: raw bytes. Output: [`Decoded`], the text as Unicode with line ends unified to `\n`, the format and
//! encoding found, and what had to be repaired. The format is chosen by content, not by file name: a Word document
//! ([`docx`]), HTML such as a saved Әділет page ([`html`]), or plain text in UTF-8, UTF-16, windows-1251 or KZ-1048
//! ([`charset`]). PDF, Word 97–2003, RTF, images, empty and other binary input are refused with a reason.
//! Character offsets everywhere else in the crate count `char`s of [`Decoded::text`].

pub mod charset;

pub use charset::check_tables;
pub mod docx;
pub mod html;

/// The format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (also Markdown).
    Text,
    /// HTML.
    Html,
    /// Word (Office Open XML).
    Docx,
}

/// Decoded text of a document.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, BOM removed, CRLF and CR turned into LF.
    pub text: String,
    /// Name of the encoding it was read in.
    pub encoding: &'static str,
    /// The format it was read from.
    pub format: Format,
    /// What had to be repaired or guessed while reading.
    pub warnings: Vec<String>,
    /// For HTML: the page's title, status, requisites line and notes (its text is [`Decoded::text`]).
    pub page: Option<html::Page>,
}

/// Why bytes are not a readable document.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// No bytes, or only whitespace.
    #[error("the file is empty")]
    Empty,
    /// Bytes that are not text (NUL bytes, control characters).
    #[error("the file is binary, not text ({0})")]
    Binary(String),
    /// UTF-8 too broken to repair.
    #[error("the file is not valid UTF-8 (first bad byte at offset {0}) and too broken to repair; convert it to UTF-8")]
    InvalidUtf8(usize),
    /// Bytes that read as no supported encoding.
    #[error("the text is in no supported encoding (UTF-8, UTF-16, windows-1251, KZ-1048): {0}")]
    UnknownEncoding(String),
    /// A format akimat-kg does not read.
    #[error("{0}")]
    Unsupported(String),
    /// A Word document that cannot be read.
    #[error("the Word document cannot be read: {0}")]
    Docx(String),
    /// HTML without text.
    #[error("the HTML page holds no text ({0})")]
    Html(String),
    /// A table of `data/encodings/` could not be read.
    #[error("{0}")]
    Table(String),
}

/// Decodes a document's bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some(what) = unsupported(bytes) {
        return Err(DecodeError::Unsupported(what));
    }
    let (text, encoding, format, mut warnings, page) = if bytes.starts_with(b"PK\x03\x04") {
        (
            docx::read_docx(bytes)?,
            "UTF-8",
            Format::Docx,
            Vec::new(),
            None,
        )
    } else {
        let t = charset::to_text(bytes)?;
        if t.text.contains('\0') {
            return Err(DecodeError::Binary("contains NUL bytes".into()));
        }
        if is_html(&t.text) {
            let (page, mut warnings) =
                html::read_html(&t.text).map_err(|e| DecodeError::Html(e.to_string()))?;
            warnings.extend(t.warnings);
            let text = page.text.clone();
            (text, t.encoding, Format::Html, warnings, Some(page))
        } else {
            (t.text, t.encoding, Format::Text, t.warnings, None)
        }
    };
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\u{c}'))
        .count();
    if controls * 20 > text.chars().count() {
        return Err(DecodeError::Binary(format!(
            "{controls} control characters"
        )));
    }
    if controls > 0 {
        warnings.push(format!("{controls} control characters in the text"));
    }
    Ok(Decoded {
        text,
        encoding,
        format,
        warnings,
        page,
    })
}

/// The lines of a rendered document as one text: trailing empty lines dropped, one newline at the end.
fn joined_lines(mut lines: Vec<String>) -> String {
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Formats recognised by their first bytes and refused, with what to do instead.
fn unsupported(bytes: &[u8]) -> Option<String> {
    let kinds: [(&[u8], &str); 7] = [
        (b"%PDF-", "a PDF file: save it as .docx or plain text"),
        (
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            "a Word 97–2003 (.doc) or other OLE file: save it as .docx",
        ),
        (b"{\\rtf", "an RTF file: save it as .docx or plain text"),
        (b"\x89PNG", "a PNG image, not a text"),
        (&[0xFF, 0xD8, 0xFF], "a JPEG image, not a text"),
        (b"GIF8", "a GIF image, not a text"),
        (&[0x1F, 0x8B], "a gzip archive: unpack it first"),
    ];
    kinds
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| format!("unsupported format: {what}"))
}

/// Whether text is HTML: it opens with a tag and names `html`, `body` or a `div` early.
fn is_html(text: &str) -> bool {
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !start.starts_with('<') {
        return false;
    }
    let head: String = start.chars().take(4096).collect::<String>().to_lowercase();
    head.starts_with("<!doctype html")
        || head.contains("<html")
        || head.contains("<body")
        || head.contains("<div")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_crlf_are_removed() {
        let d = decode("\u{feff}Ереже\r\n1. Жалпы".as_bytes()).unwrap();
        assert_eq!(d.text, "Ереже\n1. Жалпы");
        assert_eq!((d.encoding, d.format), ("UTF-8 (BOM)", Format::Text));
    }

    #[test]
    fn utf16_le_with_bom_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Ақсу".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "Ақсу");
    }

    #[test]
    fn empty_binary_and_other_formats_are_refused_with_what_to_do() {
        assert_eq!(decode(b"  \n ").unwrap_err(), DecodeError::Empty);
        assert!(decode(&[0x89, b'P', b'N', b'G', 0, 0, 1])
            .unwrap_err()
            .to_string()
            .contains("PNG image"));
        assert!(decode(b"%PDF-1.7\n...")
            .unwrap_err()
            .to_string()
            .contains("save it as .docx"));
        assert!(matches!(decode(b"ab\0\0cd\0"), Err(DecodeError::Binary(_))));
        let controls: Vec<u8> = (0u8..8).cycle().take(400).collect();
        assert!(matches!(decode(&controls), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn html_is_found_by_content_and_read_as_a_page() {
        let d = decode(
            "<!DOCTYPE html><html><body><div class=\"container_gamma text text_new\"><article><p id=\"z1\">1. Жалпы</p></article></div></body></html>"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!((d.text.as_str(), d.format), ("1. Жалпы\n", Format::Html));
        // A text that merely mentions a tag is text.
        assert_eq!(decode(b"1. <b> is bold").unwrap().format, Format::Text);
        let d = decode(b"<html><body><p>Other page</p></body></html>").unwrap();
        assert!(
            d.warnings[0].contains("whole page body"),
            "{:?}",
            d.warnings
        );
    }
}
