//! Text encodings: which one a file is in, and its text.
//!
//! Offices send UTF-8 (with or without a BOM), UTF-16 from Word (with or without a BOM), windows-1251 and KZ-1048
//! (the Kazakh Windows code page: windows-1251 with 16 bytes changed for Ә Ғ Қ Ң Ө Ұ Ү Һ, table in
//! `data/encodings/kz-1048.tsv`). The order of the checks: a BOM; UTF-16 by where its zero bytes fall; valid UTF-8;
//! UTF-8 with a few broken bytes (kept, the bytes replaced, with a warning); else one of the two code pages: KZ-1048
//! when any of its 16 bytes occurs (in windows-1251 they are Serbian, Macedonian and Ukrainian letters no Kazakh or
//! Russian text uses), else windows-1251. A single-byte reading that does not look like Cyrillic text is refused.

use super::DecodeError;
use std::sync::OnceLock;

/// Text read from bytes.
#[derive(Debug, Clone)]
pub struct Text {
    /// The text (BOM removed; line ends as they were).
    pub text: String,
    /// The encoding it was read in.
    pub encoding: &'static str,
    /// What the reader had to repair.
    pub warnings: Vec<String>,
}

/// The 256 characters of a single-byte code page.
struct CodePage([char; 256]);

impl CodePage {
    fn decode(&self, bytes: &[u8]) -> String {
        bytes.iter().map(|&b| self.0[b as usize]).collect()
    }
}

/// windows-1251 by encoding_rs (the WHATWG table), byte by byte.
fn windows_1251() -> &'static CodePage {
    static PAGE: OnceLock<CodePage> = OnceLock::new();
    PAGE.get_or_init(|| {
        let mut chars = ['\u{fffd}'; 256];
        for (b, c) in chars.iter_mut().enumerate() {
            let byte = [b as u8];
            let (s, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(&byte);
            *c = s.chars().next().unwrap_or('\u{fffd}');
        }
        CodePage(chars)
    })
}

const KZ_1048: &str = include_str!("../../data/encodings/kz-1048.tsv");

/// KZ-1048: windows-1251 with the bytes of `data/encodings/kz-1048.tsv` changed (from `$AKIMAT_KG_DATA` when it
/// is set). Also returns those bytes. A bad table is an error naming its line, the same on every call.
fn kz_1048() -> Result<&'static (CodePage, Vec<u8>), DecodeError> {
    static PAGE: OnceLock<Result<(CodePage, Vec<u8>), String>> = OnceLock::new();
    PAGE.get_or_init(|| {
        let text =
            crate::datafile::text("encodings/kz-1048.tsv", KZ_1048).map_err(|e| e.to_string())?;
        kz_1048_page(&text).map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| DecodeError::Table(e.clone()))
}

/// Whether the code page tables of `data/encodings/` read (the commands check this before reading documents).
pub fn check_tables() -> Result<(), DecodeError> {
    kz_1048().map(drop)
}

fn kz_1048_page(text: &str) -> Result<(CodePage, Vec<u8>), crate::datafile::DataFileError> {
    let mut chars = windows_1251().0;
    let mut changed = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("byte\t") || line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| crate::datafile::DataFileError {
            file: "encodings/kz-1048.tsv".into(),
            line: i + 1,
            message,
        };
        let mut cols = line.split('\t');
        let (Some(byte), Some(ch)) = (cols.next(), cols.next()) else {
            return Err(bad(format!("expected a byte and a character: {line:?}")));
        };
        let byte = u8::from_str_radix(byte.trim(), 16)
            .map_err(|_| bad(format!("{:?} is not a byte in hexadecimal", byte.trim())))?;
        let mut it = ch.chars();
        let (Some(c), None) = (it.next(), it.next()) else {
            return Err(bad(format!("expected one character, got {ch:?}")));
        };
        chars[byte as usize] = c;
        changed.push(byte);
    }
    Ok((CodePage(chars), changed))
}

/// Reads bytes as text in the encoding they are in.
pub fn to_text(bytes: &[u8]) -> Result<Text, DecodeError> {
    let text = |text: String, encoding| Text {
        text,
        encoding,
        warnings: Vec::new(),
    };
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return repaired_utf8(rest, "UTF-8 (BOM)").ok_or_else(|| {
            DecodeError::InvalidUtf8(
                std::str::from_utf8(rest).map_or_else(|e| e.valid_up_to(), |_| 0),
            )
        });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok(text(utf16(rest, u16::from_le_bytes)?, "UTF-16LE (BOM)"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok(text(utf16(rest, u16::from_be_bytes)?, "UTF-16BE (BOM)"));
    }
    if let Some(little) = looks_utf16(bytes) {
        let (unit, name): (fn([u8; 2]) -> u16, _) = if little {
            (u16::from_le_bytes, "UTF-16LE")
        } else {
            (u16::from_be_bytes, "UTF-16BE")
        };
        if let Ok(t) = utf16(bytes, unit) {
            return Ok(text(t, name));
        }
    }
    if let Some(t) = repaired_utf8(bytes, "UTF-8") {
        return Ok(t);
    }
    single_byte(bytes)
}

/// UTF-8 with its broken bytes replaced (U+FFFD) and a warning, when it is still mostly UTF-8: at least ten
/// valid multi-byte characters for each broken sequence. `None` when it is not.
fn repaired_utf8(bytes: &[u8], name: &'static str) -> Option<Text> {
    let first = match std::str::from_utf8(bytes) {
        Ok(s) => {
            return Some(Text {
                text: s.to_string(),
                encoding: name,
                warnings: Vec::new(),
            })
        }
        Err(e) => e.valid_up_to(),
    };
    let text = String::from_utf8_lossy(bytes).into_owned();
    let broken = text.chars().filter(|&c| c == '\u{fffd}').count();
    let good = text
        .chars()
        .filter(|&c| !c.is_ascii() && c != '\u{fffd}')
        .count();
    (good >= 10 * broken).then(|| Text {
        text,
        encoding: name,
        warnings: vec![format!(
            "{broken} sequences of bytes are not valid UTF-8 (the first at byte {first}) and were replaced by U+FFFD"
        )],
    })
}

/// `Some(true)` for UTF-16LE, `Some(false)` for UTF-16BE without a BOM: in text of Cyrillic and ASCII, the high
/// byte of nearly every code unit is 0x00 or 0x04, and the low byte is almost never 0x00.
fn looks_utf16(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 8 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.len() / 2;
    let share = |offset: usize, pred: fn(u8) -> bool| {
        bytes
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| pred(b))
            .count()
            * 100
            / units
    };
    let high = |b: u8| b == 0 || b == 4 || b == 0x20 || b == 0x21;
    let zero = |b: u8| b == 0;
    if share(1, high) >= 90 && share(0, zero) <= 2 && share(1, zero) >= 5 {
        Some(true)
    } else if share(0, high) >= 90 && share(1, zero) <= 2 && share(0, zero) >= 5 {
        Some(false)
    } else {
        None
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::Binary(
            "UTF-16 with an odd number of bytes".into(),
        ));
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| DecodeError::Binary("invalid UTF-16".into()))
}

/// windows-1251 or KZ-1048, checked to read as Cyrillic text.
fn single_byte(bytes: &[u8]) -> Result<Text, DecodeError> {
    let (kz, kz_bytes) = kz_1048()?;
    let kazakh = bytes.iter().filter(|b| kz_bytes.contains(b)).count();
    let (text, encoding) = if kazakh > 0 {
        (kz.decode(bytes), "KZ-1048")
    } else {
        (windows_1251().decode(bytes), "windows-1251")
    };
    // Text in another code page (KOI8-R, CP866, Latin-1) read as these gives symbols where letters should be, or
    // capitals where small letters should be.
    let high: Vec<char> = text.chars().filter(|c| !c.is_ascii()).collect();
    let cyrillic = high
        .iter()
        .filter(|c| ('\u{400}'..='\u{4ff}').contains(*c))
        .count();
    let upper = high
        .iter()
        .filter(|c| ('\u{400}'..='\u{4ff}').contains(*c) && c.is_uppercase())
        .count();
    let looks_wrong =
        high.len() >= 20 && (cyrillic * 10 < high.len() * 8 || upper * 10 > cyrillic * 6);
    if looks_wrong {
        return Err(DecodeError::UnknownEncoding(format!(
            "read as {encoding} it is not Cyrillic text ({cyrillic} of {} non-ASCII characters are Cyrillic letters, {upper} of them capitals)",
            high.len()
        )));
    }
    Ok(Text {
        text,
        encoding,
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encodes text in KZ-1048 with the table (the inverse of decoding).
    fn kz_encode(s: &str) -> Vec<u8> {
        let (page, _) = kz_1048().unwrap();
        s.chars()
            .map(|c| page.0.iter().position(|&p| p == c).expect("encodable") as u8)
            .collect()
    }

    #[test]
    fn kazakh_letters_choose_kz_1048_and_russian_text_windows_1251() {
        let kk = "Қазақстан Республикасының Әділет министрлігі: ғ ң ө ұ ү һ і Ұлы Үкімет";
        let t = to_text(&kz_encode(kk)).unwrap();
        assert_eq!((t.text.as_str(), t.encoding), (kk, "KZ-1048"));
        let ru = "Государственное учреждение «Аппарат акима» № 5 — положение";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(ru);
        let t = to_text(&bytes).unwrap();
        assert_eq!((t.text.as_str(), t.encoding), (ru, "windows-1251"));
    }

    #[test]
    fn utf16_without_a_bom_is_found_from_its_zero_bytes() {
        let s = "Ақсу қаласының ішкі саясат бөлімі 2022 жылғы № 403/3";
        let le: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(to_text(&le).unwrap().encoding, "UTF-16LE");
        assert_eq!(to_text(&be).unwrap().text, s);
    }

    #[test]
    fn a_few_broken_bytes_in_utf8_are_replaced_with_a_warning_and_many_are_refused() {
        let mut bytes = "Ережесі бекітілсін. ".repeat(5).into_bytes();
        bytes.insert(10, 0xFF);
        let t = to_text(&bytes).unwrap();
        assert_eq!(t.encoding, "UTF-8");
        assert!(t.warnings[0].contains("1 sequences"), "{:?}", t.warnings);
        // KOI8-R read as windows-1251 is mostly capitals: refused, not read as nonsense.
        let russian = "государственное учреждение ".repeat(4);
        let (koi, _, _) = encoding_rs::KOI8_R.encode(&russian);
        assert!(matches!(
            to_text(&koi),
            Err(DecodeError::UnknownEncoding(_))
        ));
    }
}
