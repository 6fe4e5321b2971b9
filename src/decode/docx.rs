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
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Inside <w:t> (text to keep); inside <w:delText>/<w:instrText> (text to drop).
    let mut in_text = false;
    let mut skipping = 0usize;
    // Table nesting: cells seen in the current row of each open table; paragraphs seen in the current cell.
    let mut rows: Vec<usize> = Vec::new();
    let mut cell_paragraphs = 0usize;
    let flush = |line: &mut String, lines: &mut Vec<String>, blank: bool| {
        let t = line.trim_end().to_string();
        line.clear();
        if !t.trim().is_empty() {
            lines.push(t);
            if blank {
                lines.push(String::new());
            }
        }
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            DecodeError::Docx(format!(
                "word/document.xml is not well-formed XML at byte {}: {e}",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Eof => break,
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"delText" | b"instrText" => skipping += 1,
                b"tbl" => {
                    flush(&mut line, &mut lines, true);
                    rows.push(0);
                }
                b"tr" => {
                    if let Some(n) = rows.last_mut() {
                        *n = 0;
                    }
                }
                b"tc" => {
                    if let Some(n) = rows.last_mut() {
                        if *n > 0 {
                            line.push_str("\t|\t");
                        }
                        *n += 1;
                    }
                    cell_paragraphs = 0;
                }
                b"p" if !rows.is_empty() => {
                    if cell_paragraphs > 0 {
                        line.push(' ');
                    }
                    cell_paragraphs += 1;
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" if skipping == 0 => line.push('\t'),
                b"br" | b"cr" if skipping == 0 => {
                    if rows.is_empty() {
                        flush(&mut line, &mut lines, false);
                    } else {
                        line.push(' ');
                    }
                }
                b"p" if rows.is_empty() => flush(&mut line, &mut lines, true),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"delText" | b"instrText" => skipping = skipping.saturating_sub(1),
                b"p" if rows.is_empty() => flush(&mut line, &mut lines, true),
                b"tr" => flush(&mut line, &mut lines, false),
                b"tbl" => {
                    rows.pop();
                    flush(&mut line, &mut lines, false);
                    if lines.last().is_some_and(|l| !l.is_empty()) {
                        lines.push(String::new());
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text && skipping == 0 => {
                let s = t.unescape().map_err(|e| {
                    DecodeError::Docx(format!("bad text in word/document.xml: {e}"))
                })?;
                line.push_str(&s);
            }
            Event::CData(t) if in_text && skipping == 0 => {
                line.push_str(&String::from_utf8_lossy(&t));
            }
            _ => {}
        }
        buf.clear();
    }
    flush(&mut line, &mut lines, false);
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let mut text = lines.join("\n");
    text.push('\n');
    Ok(text)
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
