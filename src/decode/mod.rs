//! Stage 2: bytes to text.
//!
//! Input: raw bytes. Output: [`Decoded`], the text as Unicode with line ends unified to `\n`, and the encoding found.
//! UTF-8 (with or without BOM) and UTF-16 with a BOM are read; empty and binary input are refused with a reason.
//! Character offsets everywhere else in the crate count `char`s of [`Decoded::text`].

/// Decoded text of a document.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, BOM removed, CRLF and CR turned into LF.
    pub text: String,
    /// Name of the encoding it was read in.
    pub encoding: &'static str,
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
    /// Bytes that are not valid in any supported encoding.
    #[error(
        "the file is not valid UTF-8 (first bad byte at offset {0}); convert it to UTF-8 or UTF-16"
    )]
    InvalidUtf8(usize),
}

/// Decodes a document's bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (utf8(rest)?, "UTF-8 (BOM)")
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(rest, u16::from_le_bytes)?, "UTF-16LE")
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(rest, u16::from_be_bytes)?, "UTF-16BE")
    } else {
        if bytes.contains(&0) {
            return Err(DecodeError::Binary("contains NUL bytes".into()));
        }
        (utf8(bytes)?, "UTF-8")
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
    Ok(Decoded { text, encoding })
}

fn utf8(bytes: &[u8]) -> Result<String, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            // Binary files usually fail early and often; report them as binary rather than as a bad encoding.
            let bad = bytes.iter().filter(|b| **b < 0x09).count();
            if bad > 0 {
                Err(DecodeError::Binary(format!("{bad} control bytes")))
            } else {
                Err(DecodeError::InvalidUtf8(e.valid_up_to()))
            }
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| DecodeError::Binary("invalid UTF-16".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_crlf_are_removed() {
        let d = decode("\u{feff}Ереже\r\n1. Жалпы".as_bytes()).unwrap();
        assert_eq!(d.text, "Ереже\n1. Жалпы");
        assert_eq!(d.encoding, "UTF-8 (BOM)");
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
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b"  \n ").unwrap_err(), DecodeError::Empty);
        assert!(matches!(
            decode(&[0x89, b'P', b'N', b'G', 0, 0, 1]),
            Err(DecodeError::Binary(_))
        ));
    }
}
