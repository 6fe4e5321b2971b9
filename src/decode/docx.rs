//! Word documents (`.docx`, Office Open XML): the text of `word/document.xml`, paragraph by paragraph, tables row by
//! row with their cells separated by `\t|\t` as in texts copied from tables, tabs and line breaks kept. Deleted
//! revisions and field codes are not text. The archive is read with limits, so a ZIP bomb costs nothing.

use super::DecodeError;
use quick_xml::events::Event;
use std::io::Read;

/// Largest `word/document.xml` read, uncompressed.
pub const MAX_XML_BYTES: u64 = 200 << 20;

/// The text of a `.docx`.
pub fn read_docx(bytes: &[u8]) -> Result<String, DecodeError> {
    let bad = |m: String| DecodeError::Docx(m);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("not a readable ZIP archive ({e})")))?;
    let mut entry = match zip.by_name("word/document.xml") {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => {
            return Err(bad(
                "a ZIP archive without word/document.xml: not a Word document".into(),
            ))
        }
        Err(e) => return Err(bad(format!("word/document.xml cannot be read ({e})"))),
    };
    if entry.size() > MAX_XML_BYTES {
        return Err(bad(format!(
            "word/document.xml unpacks to {} MiB, more than the {} MiB read",
            entry.size() >> 20,
            MAX_XML_BYTES >> 20
        )));
    }
    let mut xml = Vec::new();
    (&mut entry)
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| bad(format!("word/document.xml cannot be unpacked ({e})")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(bad(format!(
            "word/document.xml unpacks to more than {} MiB",
            MAX_XML_BYTES >> 20
        )));
    }
    document_text(&xml)
}

/// The text of a WordprocessingML body.
fn document_text(xml: &[u8]) -> Result<String, DecodeError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut body = BodyText::default();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            DecodeError::Docx(format!(
                "word/document.xml is not well-formed XML at byte {}: {e}",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Eof => break,
            Event::Start(e) => body.start(e.local_name().as_ref()),
            Event::Empty(e) => body.empty(e.local_name().as_ref()),
            Event::End(e) => body.end(e.local_name().as_ref()),
            Event::Text(t) if body.keeps_text() => {
                let s = t.unescape().map_err(|e| {
                    DecodeError::Docx(format!("bad text in word/document.xml: {e}"))
                })?;
                body.line.push_str(&s);
            }
            Event::CData(t) if body.keeps_text() => {
                body.line.push_str(&String::from_utf8_lossy(&t));
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(body.finish())
}

/// The state of [`document_text`]'s reading.
#[derive(Default)]
struct BodyText {
    /// The lines written so far; an empty one sets paragraphs and tables apart.
    lines: Vec<String>,
    /// The line being written.
    line: String,
    /// Inside `<w:t>` (text to keep).
    in_text: bool,
    /// How many `<w:delText>`/`<w:instrText>` (text to drop) are open.
    skipping: usize,
    /// Table nesting: cells seen in the current row of each open table.
    rows: Vec<usize>,
    /// Paragraphs seen in the current cell.
    cell_paragraphs: usize,
}

impl BodyText {
    /// Ends the line being written, kept if it holds any text; with `blank`, a kept line ends its paragraph too
    /// (an empty line).
    fn flush(&mut self, blank: bool) {
        let t = self.line.trim_end().to_string();
        self.line.clear();
        if !t.trim().is_empty() {
            self.lines.push(t);
            if blank {
                self.lines.push(String::new());
            }
        }
    }

    /// Whether text read now is text of the document (in `<w:t>`, not in deleted text or a field code).
    fn keeps_text(&self) -> bool {
        self.in_text && self.skipping == 0
    }

    /// An opening tag: text starts or text to drop; a table ends the paragraph before it; a cell after the first
    /// in its row is set apart by `\t|\t`, a paragraph after the first in its cell by a space.
    fn start(&mut self, name: &[u8]) {
        match name {
            b"t" => self.in_text = true,
            b"delText" | b"instrText" => self.skipping += 1,
            b"tbl" => {
                self.flush(true);
                self.rows.push(0);
            }
            b"tr" => {
                if let Some(n) = self.rows.last_mut() {
                    *n = 0;
                }
            }
            b"tc" => {
                if let Some(n) = self.rows.last_mut() {
                    if *n > 0 {
                        self.line.push_str("\t|\t");
                    }
                    *n += 1;
                }
                self.cell_paragraphs = 0;
            }
            b"p" if !self.rows.is_empty() => {
                if self.cell_paragraphs > 0 {
                    self.line.push(' ');
                }
                self.cell_paragraphs += 1;
            }
            _ => {}
        }
    }

    /// An empty tag: a tab; a line break (a space in a table); an empty paragraph outside a table ends the one before.
    fn empty(&mut self, name: &[u8]) {
        match name {
            b"tab" if self.skipping == 0 => self.line.push('\t'),
            b"br" | b"cr" if self.skipping == 0 => {
                if self.rows.is_empty() {
                    self.flush(false);
                } else {
                    self.line.push(' ');
                }
            }
            b"p" if self.rows.is_empty() => self.flush(true),
            _ => {}
        }
    }

    /// A closing tag: the end of text or of text to drop, of a paragraph outside a table, of a row, of a table
    /// (set apart by an empty line).
    fn end(&mut self, name: &[u8]) {
        match name {
            b"t" => self.in_text = false,
            b"delText" | b"instrText" => self.skipping = self.skipping.saturating_sub(1),
            b"p" if self.rows.is_empty() => self.flush(true),
            b"tr" => self.flush(false),
            b"tbl" => {
                self.rows.pop();
                self.flush(false);
                if self.lines.last().is_some_and(|l| !l.is_empty()) {
                    self.lines.push(String::new());
                }
            }
            _ => {}
        }
    }

    /// The text, without trailing empty lines and ending in a line end.
    fn finish(mut self) -> String {
        self.flush(false);
        super::joined_lines(self.lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    #[test]
    fn paragraphs_tables_tabs_and_revisions() {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>
            <w:p><w:r><w:t>1. Жалпы</w:t></w:r><w:r><w:t xml:space="preserve"> ережелер &amp; </w:t></w:r><w:r><w:delText>ескі</w:delText></w:r></w:p>
            <w:p><w:r><w:t>а</w:t><w:tab/><w:t>б</w:t><w:br/><w:t>в</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Аудан әкімі</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Р.Кенжебеков</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p/><w:p><w:r><w:instrText>PAGE</w:instrText><w:t>2. Соңы</w:t></w:r></w:p>
            </w:body></w:document>"#
        );
        assert_eq!(
            document_text(xml.as_bytes()).unwrap(),
            "1. Жалпы ережелер &\n\nа\tб\nв\n\nАудан әкімі\t|\tР.Кенжебеков\n\n2. Соңы\n"
        );
    }

    #[test]
    fn broken_archives_and_xml_are_named() {
        assert!(matches!(
            read_docx(b"PK\x03\x04garbage"),
            Err(DecodeError::Docx(_))
        ));
        let e = document_text(b"<w:document><w:body><w:p></w:body>").unwrap_err();
        assert!(e.to_string().contains("not well-formed"), "{e}");
    }
}
