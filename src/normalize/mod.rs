//! Stage 3: normalisation for matching.
//!
//! Input: the decoded text. Output: [`NormText`], a cleaned copy for the parser and extractors to match on, with a map
//! from every byte of the copy back to a character offset of the decoded text, so that whatever is found in the copy
//! is reported at its place in the original. The original is never changed; it stays the text for display.
//!
//! What the copy does: Unicode NFC; Latin look-alikes (`мөpi`, `icкe`) replaced by Cyrillic inside words that are
//! Cyrillic; non-breaking spaces, tabs, table pipes and signature underscores turned into spaces and runs of spaces
//! collapsed; words glued by table cells split where a letter runs into a number (`әкімдігінің2024` →
//! `әкімдігінің 2024`, `ақпандағы№` → `ақпандағы №`; house numbers like `27А` are left alone);
//! Markdown read as a document, not as markup (`#` heading marks, `>` quotes, `**`/`*` emphasis, `\.` escapes and
//! HTML anchors removed; each line remembers whether it was a heading).

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// One line of the normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormLine {
    /// Byte range of the line in [`NormText::text`] (without its `\n`).
    pub start: usize,
    /// End of the line (exclusive).
    pub end: usize,
    /// Markdown heading level (0 when the line was not a heading).
    pub heading: u8,
    /// Whether the line was a Markdown block quote.
    pub quoted: bool,
    /// Whether the line was a row of a table (cells set apart by `|` or tabs).
    pub table: bool,
}

/// The normalised copy of a document and its map back to the original.
#[derive(Debug, Clone)]
pub struct NormText {
    /// The normalised text: lines joined by `\n`, each trimmed, spaces collapsed.
    pub text: String,
    /// The lines, in order (blank lines included, with an empty range).
    pub lines: Vec<NormLine>,
    /// For each byte of `text`, plus one past the end, the char offset in the original.
    map: Vec<u32>,
    /// Original clusters (a letter and its combining marks) that NFC composed: start offset → length in chars.
    clusters: std::collections::HashMap<u32, u32>,
}

impl NormText {
    /// Char offset in the original of the byte at `pos` of the normalised text.
    pub fn orig(&self, pos: usize) -> usize {
        self.map[pos.min(self.map.len() - 1)] as usize
    }

    /// Char range in the original of a byte range of the normalised text: from the start of its first
    /// character to the end of its last one.
    pub fn orig_range(&self, start: usize, end: usize) -> (usize, usize) {
        if end <= start {
            let o = self.orig(start);
            return (o, o);
        }
        let last = self.text[..end]
            .char_indices()
            .next_back()
            .map(|(i, _)| i)
            .unwrap_or(start);
        let last = self.orig(last);
        let len = self.clusters.get(&(last as u32)).copied().unwrap_or(1) as usize;
        (self.orig(start), last + len)
    }

    /// The text of a line.
    pub fn line(&self, line: &NormLine) -> &str {
        &self.text[line.start..line.end]
    }
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

/// The Cyrillic letter a Latin look-alike stands for (`data/lexicon/look-alikes.tsv`).
fn lookalike(c: char) -> Option<char> {
    crate::text::letters_or_builtin().lookalike(c)
}

/// Normalises a decoded document.
pub fn normalize(original: &str) -> NormText {
    // Work on (char, original offset) pairs; every step keeps the offsets of the characters it keeps.
    let (chars, clusters) = nfc_with_offsets(original);
    let mut out: Vec<(char, u32)> = Vec::with_capacity(chars.len());
    let mut lines = Vec::new();
    let total = original.chars().count() as u32;

    let mut line_start = 0;
    let mut buffers = (Vec::new(), Vec::new());
    for k in 0..=chars.len() {
        if k < chars.len() && chars[k].0 != '\n' {
            continue;
        }
        let raw = &chars[line_start..k];
        // A table row: a bar or a tab inside the line (not in the whitespace around it).
        let table = {
            let inside = |(c, _): &&(char, u32)| !c.is_whitespace();
            let first = raw.iter().position(|x| inside(&x));
            let last = raw.iter().rposition(|x| inside(&x));
            match (first, last) {
                (Some(a), Some(b)) => raw[a..=b].iter().any(|(c, _)| matches!(c, '|' | '\t')),
                _ => false,
            }
        };
        let start_len = out.len();
        let (heading, quoted) = clean_line(raw, &mut buffers, &mut out);
        lines.push((start_len, out.len(), heading, quoted, table));
        if let Some(&newline) = chars.get(k) {
            out.push(newline);
        }
        line_start = k + 1;
    }

    let mut text = String::with_capacity(out.len() * 2);
    let mut map = Vec::with_capacity(out.len() * 2 + 1);
    let mut char_to_byte = Vec::with_capacity(out.len() + 1);
    for (c, o) in &out {
        char_to_byte.push(text.len());
        text.push(*c);
        map.extend(std::iter::repeat_n(*o, c.len_utf8()));
    }
    char_to_byte.push(text.len());
    map.push(total);
    let lines = lines
        .into_iter()
        .map(|(s, e, heading, quoted, table)| NormLine {
            start: char_to_byte[s],
            end: char_to_byte[e],
            heading,
            quoted,
            table,
        })
        .collect();
    NormText {
        text,
        lines,
        map,
        clusters,
    }
}

type Clusters = std::collections::HashMap<u32, u32>;

/// Whether a character combines with the one before it (a canonical combining class other than 0). Nothing below
/// U+0300 does, nor the Cyrillic letters: those are answered without Unicode's table.
fn combining(c: char) -> bool {
    let plain = c < '\u{300}'
        || ('\u{400}'..'\u{483}').contains(&c)
        || ('\u{48a}'..='\u{52f}').contains(&c);
    !plain && canonical_combining_class(c) != 0
}

fn nfc_with_offsets(original: &str) -> (Vec<(char, u32)>, Clusters) {
    let chars: Vec<char> = original.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut clusters = Clusters::new();
    let mut i = 0;
    while i < chars.len() {
        let mut j = i + 1;
        while j < chars.len() && combining(chars[j]) {
            j += 1;
        }
        if j == i + 1 {
            out.push((chars[i], i as u32));
        } else {
            let cluster: String = chars[i..j].iter().collect();
            out.extend(cluster.nfc().map(|c| (c, i as u32)));
            clusters.insert(i as u32, (j - i) as u32);
        }
        i = j;
    }
    (out, clusters)
}

/// Two work buffers a line is cleaned through, kept from line to line.
type Buffers = (Vec<(char, u32)>, Vec<(char, u32)>);

/// Cleans one line: Markdown marks, spaces, look-alikes, glued words. Appends the characters kept to `out`; returns
/// the heading level and whether the line was quoted.
fn clean_line(
    line: &[(char, u32)],
    (kept, spaced): &mut Buffers,
    out: &mut Vec<(char, u32)>,
) -> (u8, bool) {
    let (s, heading, quoted) = line_marks(line);
    drop_markup(s, kept);
    collapse_spaces(kept, spaced);
    repair_lookalikes(spaced);
    split_glued(spaced, out);
    (heading, quoted)
}

/// Takes the leading whitespace and the block-quote (`>`) and heading (`#`) marks off a line. Returns the rest, the
/// heading level and whether the line was quoted.
fn line_marks(line: &[(char, u32)]) -> (&[(char, u32)], u8, bool) {
    let mut s: &[(char, u32)] = line;
    let skip_ws = |s: &mut &[(char, u32)]| {
        while let Some(((c, _), rest)) = s.split_first() {
            if c.is_whitespace() || *c == '\u{feff}' {
                *s = rest;
            } else {
                break;
            }
        }
    };
    skip_ws(&mut s);
    let mut quoted = false;
    while s.first().is_some_and(|(c, _)| *c == '>') {
        quoted = true;
        s = &s[1..];
        skip_ws(&mut s);
    }
    let mut heading = 0u8;
    while s.first().is_some_and(|(c, _)| *c == '#') && heading < 6 {
        heading += 1;
        s = &s[1..];
    }
    if heading > 0 && !s.first().is_some_and(|(c, _)| c.is_whitespace()) {
        // `#5` is not a heading mark; put the hashes back.
        s = &line[line.len() - s.len() - heading as usize..];
        heading = 0;
    }
    (s, heading, quoted)
}

/// Drops HTML tags (anchors like <a id="p3"></a>, <br>), emphasis stars and Markdown escapes.
fn drop_markup(s: &[(char, u32)], kept: &mut Vec<(char, u32)>) {
    kept.clear();
    let mut k = 0;
    while k < s.len() {
        let c = s[k].0;
        if c == '<' {
            if let Some(end) = s[k..].iter().position(|(c, _)| *c == '>') {
                let tag: String = s[k..k + end + 1].iter().map(|(c, _)| *c).collect();
                let lower = tag.to_ascii_lowercase();
                if lower.starts_with("<a ") || lower == "</a>" || lower.starts_with("<br") {
                    k += end + 1;
                    continue;
                }
            }
        }
        if c == '*' {
            k += 1;
            continue;
        }
        if c == '\\' && s.get(k + 1).is_some_and(|(n, _)| n.is_ascii_punctuation()) {
            k += 1;
            continue;
        }
        kept.push(s[k]);
        k += 1;
    }
}

/// Spaces: NBSP, tabs, pipes, underscores → space; collapse; trim.
fn collapse_spaces(kept: &[(char, u32)], spaced: &mut Vec<(char, u32)>) {
    spaced.clear();
    for &(c, o) in kept {
        let c = match c {
            '\u{a0}' | '\u{2007}' | '\u{202f}' | '\t' | '|' | '_' | '\u{200b}' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && spaced.last().is_none_or(|(p, _)| *p == ' ') {
            continue;
        }
        spaced.push((c, o));
    }
    while spaced.last().is_some_and(|(c, _)| *c == ' ') {
        spaced.pop();
    }
}

/// Look-alikes inside Cyrillic words: a word with a Cyrillic letter whose Latin letters all have a Cyrillic
/// look-alike gets the Cyrillic ones.
fn repair_lookalikes(spaced: &mut [(char, u32)]) {
    let mut w = 0;
    while w < spaced.len() {
        if !crate::lexicon::is_alphabetic(spaced[w].0) {
            w += 1;
            continue;
        }
        let mut e = w;
        while e < spaced.len() && crate::lexicon::is_alphabetic(spaced[e].0) {
            e += 1;
        }
        let word = &spaced[w..e];
        let has_cyrillic = word.iter().any(|(c, _)| is_cyrillic(*c));
        let latin_all_lookalike = word
            .iter()
            .filter(|(c, _)| c.is_ascii_alphabetic())
            .all(|(c, _)| lookalike(*c).is_some());
        if has_cyrillic && latin_all_lookalike {
            // Only the letters of other scripts are looked up: most words are all Cyrillic.
            for item in spaced[w..e].iter_mut().filter(|(c, _)| !is_cyrillic(*c)) {
                if let Some(r) = lookalike(item.0) {
                    item.0 = r;
                }
            }
        }
        w = e;
    }
}

/// Glued words: a Cyrillic letter followed by a digit or № gets a space between them; a digit followed by a letter
/// (`5С-33`) stays as written.
fn split_glued(spaced: &[(char, u32)], out: &mut Vec<(char, u32)>) {
    let mut prev: Option<(char, u32)> = None;
    for &(c, o) in spaced {
        if let Some((p, po)) = prev {
            if is_cyrillic(p) && (c.is_ascii_digit() || c == '№') {
                out.push((' ', po + 1));
            }
        }
        out.push((c, o));
        prev = Some((c, o));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookalikes_are_repaired_only_in_cyrillic_words() {
        let n = normalize("мөpi және icкe, Wi-Fi");
        assert_eq!(n.text, "мөрі және іске, Wi-Fi");
    }

    #[test]
    fn glued_table_cells_are_split_and_offsets_kept() {
        let original = "\t|\tАқтоғай ауданы әкімдігінің2024 жылғы 02 ақпандағы№ 04/02";
        let n = normalize(original);
        assert_eq!(
            n.text,
            "Ақтоғай ауданы әкімдігінің 2024 жылғы 02 ақпандағы № 04/02"
        );
        let pos = n.text.find("2024").unwrap();
        let (s, e) = n.orig_range(pos, pos + 4);
        let orig: String = original.chars().skip(s).take(e - s).collect();
        assert_eq!(orig, "2024");
    }

    #[test]
    fn markdown_is_read_as_text() {
        let n = normalize(
            "## 1. Жалпы\n> *бекітілген*  \n    18\\. Мәтін **Ж. Есенқұлов**<a id=\"p3\"></a>",
        );
        assert_eq!(n.text, "1. Жалпы\nбекітілген\n18. Мәтін Ж. Есенқұлов");
        assert_eq!(n.lines[0].heading, 2);
        assert!(n.lines[1].quoted);
    }

    #[test]
    fn decomposed_letters_are_composed() {
        let n = normalize("и\u{306}");
        assert_eq!(n.text, "й");
        assert_eq!(n.orig_range(0, n.text.len()), (0, 2));
    }
}
