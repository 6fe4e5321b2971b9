//! Stage 4: the structure of a regulation.
//!
//! Input: a [`NormText`]. Output: a [`Document`] tree — header, resolution preamble, numbered points, signatures,
//! approval stamp, title, chapters, paragraphs, items and dash lists — where every node knows its place both in the
//! normalised text (byte range, for the extractors) and in the decoded original (char offsets, for audit).
//! The parser is lenient: it never refuses a document. What it cannot place goes into [`Document::unplaced`] with an
//! [`Issue`], and a text that stops mid-sentence is marked [`Document::truncated`]. The tree serialises to JSON so
//! it can be printed, inspected and compared in tests; extraction reads the tree, not the raw text.

pub mod quotes;

use crate::lexicon::{lowercase, Lexicon};
use crate::normalize::NormText;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// A run of text in the document.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Block {
    /// Byte offset in the normalised text.
    #[serde(skip)]
    pub start: usize,
    /// End byte offset in the normalised text (exclusive).
    #[serde(skip)]
    pub end: usize,
    /// Char offset in the decoded original.
    pub char_start: usize,
    /// End char offset in the decoded original (exclusive).
    pub char_end: usize,
    /// The normalised text.
    pub text: String,
}

/// A numbered point of the resolution.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// The number as written.
    pub number: String,
    /// The point's text (after the number).
    pub block: Block,
}

/// A signature: role and name.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    /// The signatory's role as written (may be empty when the text gives none).
    pub role: String,
    /// The signatory's name as written.
    pub name: String,
    /// Where the signature stands.
    pub block: Block,
}

/// What marks an item.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Marker {
    /// `1)`, `1.1)`, `6-1)`.
    Numbered,
    /// `а)`.
    Letter,
    /// `-`, `–`, `•`.
    Dash,
    /// An unnumbered sub-heading ending with a colon (`Құқықтары:`).
    Heading,
    /// A line of its own with no mark, in a list opened by a colon (`1) аудит эффективности:` followed by
    /// `планирования и исполнения местного бюджета;` …, or `15. Задачи:` followed by its one statement).
    Plain,
}

/// An item of a list inside a paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The label as written (`1`, `1.1`, `а`), `None` for dashes and headings.
    pub label: Option<String>,
    /// What marks it.
    pub marker: Marker,
    /// Its text, after the marker, continuation lines included.
    pub block: Block,
    /// Nested items (`1.1)` under `1)`, dashes under an item ending with a colon).
    pub children: Vec<Item>,
}

/// A numbered paragraph of the regulation.
#[derive(Debug, Clone, Serialize)]
pub struct Paragraph {
    /// Its number as written, `None` for unnumbered text.
    pub number: Option<String>,
    /// The text of its first line (after the number).
    pub head: Block,
    /// Its items.
    pub items: Vec<Item>,
    /// Unnumbered text that follows its items.
    pub extra: Vec<Block>,
}

/// A chapter.
#[derive(Debug, Clone, Serialize)]
pub struct Chapter {
    /// Its number as written, if any.
    pub number: Option<String>,
    /// The heading text.
    pub heading: Option<Block>,
    /// Its paragraphs.
    pub paragraphs: Vec<Paragraph>,
}

/// Something the parser noticed and could not resolve.
#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    /// 1-based line of the normalised text (the same as the original's line).
    pub line: usize,
    /// What happened.
    pub message: String,
}

/// The parsed document.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Document {
    /// Lines before the preamble: act title, requisites, notes.
    pub header: Vec<Block>,
    /// The preamble of the approving resolution, ending with ҚАУЛЫ ЕТЕДІ / ПОСТАНОВЛЯЕТ.
    pub preamble: Option<Block>,
    /// The numbered points of the resolution.
    pub points: Vec<Point>,
    /// Signatures under the resolution.
    pub signatures: Vec<Signature>,
    /// The approval stamp (бекітілген / Утверждено / қосымша), lines joined.
    pub stamp: Option<Block>,
    /// The regulation's title.
    pub title: Option<Block>,
    /// Chapters of the regulation; paragraphs before any chapter heading sit in a chapter without number.
    pub chapters: Vec<Chapter>,
    /// Notes (Ескерту / Сноска) found anywhere.
    pub notes: Vec<Block>,
    /// Lines the parser could not place.
    pub unplaced: Vec<Block>,
    /// Problems met.
    pub issues: Vec<Issue>,
    /// Whether the text stops mid-sentence.
    pub truncated: bool,
}

impl Document {
    /// All paragraphs, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.chapters.iter().flat_map(|c| &c.paragraphs)
    }
}

static PARA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}(?:\.\d{1,3})*)\s?\.\s*(\S.*)$").unwrap());
/// The start of `PARA` alone: most lines are answered by reading their first few characters, not the whole line.
static PARA_HEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}(?:\.\d{1,3})*)\s?\.\s*").unwrap());
static PARA_GLUED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^(\d{1,3})([«"“].*)$"#).unwrap());
/// A numbered item's mark (`1)`, `1.1)`, `6-1)`); the item's text is the rest of the line.
static ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}(?:[.\-]\d{1,3})*)\s?\)\s*").unwrap());
/// A dash item's mark; the item's text is the rest of the line, which must hold something.
static DASH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[-–—•]\s*").unwrap());

/// A paragraph line's number and text (`12. …`, `1.2. …`). The mark is read alone, and the whole pattern only where
/// the mark's first reading leaves no text after it (`12.5.` alone reads as paragraph 12 of text `5.`), so the
/// answer is the whole pattern's.
fn para_parts(t: &str) -> Option<(&str, &str)> {
    let head = PARA_HEAD.captures(t)?;
    let rest = &t[head.get(0)?.end()..];
    if rest.starts_with(|c: char| !c.is_whitespace()) {
        return Some((head.get(1)?.as_str(), rest));
    }
    let whole = PARA.captures(t)?;
    Some((whole.get(1)?.as_str(), whole.get(2)?.as_str()))
}

/// A numbered item line's label and text.
fn item_mark(t: &str) -> Option<(&str, &str)> {
    let c = ITEM.captures(t)?;
    Some((c.get(1)?.as_str(), &t[c.get(0)?.end()..]))
}

/// A dash item line's text.
fn dash_text(t: &str) -> Option<&str> {
    let rest = &t[DASH.find(t)?.end()..];
    rest.starts_with(|c: char| !c.is_whitespace())
        .then_some(rest)
}

/// One non-blank line, as the parser sees it.
struct Line {
    /// 0-based line index.
    index: usize,
    start: usize,
    end: usize,
    heading: u8,
    quoted: bool,
    /// Whether a blank line stands right before it.
    after_blank: bool,
}

/// Where the reading of the body stands.
struct BodyState {
    chapters: Vec<Chapter>,
    /// The number of the next paragraph.
    expected_par: u32,
    /// The number of the next chapter.
    expected_chapter: u32,
    /// Whether the previous line was an item (so an unmarked line right after it continues it).
    last_was_item: bool,
}

struct Parser<'a> {
    norm: &'a NormText,
    lex: &'a Lexicon,
    lines: Vec<Line>,
    doc: Document,
}

impl<'a> Parser<'a> {
    fn text(&self, l: &Line) -> &'a str {
        &self.norm.text[l.start..l.end]
    }

    fn block(&self, start: usize, end: usize) -> Block {
        let (char_start, char_end) = self.norm.orig_range(start, end);
        Block {
            start,
            end,
            char_start,
            char_end,
            text: self.norm.text[start..end].to_string(),
        }
    }

    /// Files line `i` as a note (`Ескерту.` / `Сноска.`) when it is one.
    fn take_note(&mut self, i: usize) -> bool {
        let l = &self.lines[i];
        if !crate::lexicon::patterns::patterns_or_builtin()
            .note
            .is_match(self.text(l))
        {
            return false;
        }
        let b = self.line_block(l);
        self.doc.notes.push(b);
        true
    }

    fn line_block(&self, l: &Line) -> Block {
        self.block(l.start, l.end)
    }

    /// Block for the part of a line after its marker: `rest` is a suffix of the line's text.
    fn rest_block(&self, l: &Line, rest: &str) -> Block {
        let start = l.end - rest.len();
        self.block(start, l.end)
    }

    fn issue(&mut self, l_index: usize, message: impl Into<String>) {
        self.doc.issues.push(Issue {
            line: l_index + 1,
            message: message.into(),
        });
    }

    fn lower(&self, l: &Line) -> String {
        self.text(l).to_lowercase()
    }
}

/// Parses a normalised document into its tree.
pub fn parse(norm: &NormText, lex: &Lexicon) -> Document {
    let mut lines = Vec::new();
    let mut after_blank = true;
    for (index, l) in norm.lines.iter().enumerate() {
        if l.start == l.end {
            after_blank = true;
            continue;
        }
        lines.push(Line {
            index,
            start: l.start,
            end: l.end,
            heading: l.heading,
            quoted: l.quoted,
            after_blank,
        });
        after_blank = false;
    }
    let mut p = Parser {
        norm,
        lex,
        lines,
        doc: Document::default(),
    };
    let body_start = p.resolution_part();
    p.body(body_start);
    p.check_truncation();
    p.doc
}

impl<'a> Parser<'a> {
    /// The preamble of an act that states no enacting words (`… в целях …:`, `… мақсаттарында:`, or no colon at
    /// all): the first text paragraph, or a paragraph near the top ending with a colon, that is followed at once by
    /// points `1.`, `2.`, … of which one enacts (`resolution_point`: утвердить, создать, бекітілсін, құрылсын …).
    fn colon_preamble(&self) -> Option<usize> {
        let n = self.lines.len();
        let mut first = true;
        for i in 0..n.min(60) {
            let l = &self.lines[i];
            let t = self.text(l);
            if l.heading > 0
                || l.quoted
                || crate::lexicon::patterns::patterns_or_builtin()
                    .note
                    .is_match(t)
                || t.trim().is_empty()
            {
                continue;
            }
            let opening = std::mem::replace(&mut first, false) && para_parts(t).is_none();
            if !opening && !t.trim_end().ends_with(':') {
                continue;
            }
            let mut expected = 1u32;
            for next in &self.lines[i + 1..n.min(i + 40)] {
                let point = para_parts(self.text(next))
                    .filter(|c| c.0.parse::<u32>().ok() == Some(expected))
                    .is_some()
                    && next.heading == 0
                    && !next.quoted;
                if point {
                    if self.lex.has("resolution_point", &self.lower(next)) {
                        return Some(i);
                    }
                    expected += 1;
                } else if expected == 1 || next.heading > 0 {
                    break;
                }
            }
        }
        None
    }

    /// Header, preamble, points, signatures, stamp and title. Returns the index (in `self.lines`) where the
    /// regulation's body starts.
    fn resolution_part(&mut self) -> usize {
        let body = self.resolution_and_title();
        if self.doc.title.is_some() {
            return body;
        }
        self.later_title(body).unwrap_or(body)
    }

    /// Where another annex (a body's composition, its structure) comes before the regulation, the regulation's
    /// title is the first later heading that names one (`# ПОЛОЖЕНИЕ о …`, `## … туралы ЕРЕЖЕ`: the first or last
    /// word a `regulation_title_word` of keywords.tsv). The lines before it are set aside as that other annex; the
    /// approval stamp right above the title becomes the stamp where none was read (the act's own stamp stays: a
    /// later annex's stamp may name the act that last amended that annex). None when no later heading names one.
    fn later_title(&mut self, from: usize) -> Option<usize> {
        let j = (from..self.lines.len())
            .find(|&j| self.lines[j].heading > 0 && self.names_regulation(&self.lines[j]))?;
        let body = self.title_from(j, false);
        self.doc.title.as_ref()?;
        let mut k = j;
        while k > from && self.lines[k - 1].quoted {
            k -= 1;
        }
        let aside_to = if self.doc.stamp.is_some() { j } else { k };
        for m in from..aside_to {
            let b = self.line_block(&self.lines[m]);
            self.doc.unplaced.push(b);
        }
        if k > from {
            let idx = self.lines[from].index;
            let message = format!(
                "{} lines of another annex before the regulation's title set aside",
                k - from
            );
            self.issue(idx, message);
        }
        if aside_to < j {
            self.stamp(k);
        }
        Some(body)
    }

    /// Whether a line's first or last word is the word for a regulation or charter (`ПОЛОЖЕНИЕ`, `ЕРЕЖЕСІ`), as in
    /// a regulation's title and not in a chapter about its general provisions (`Общие положения`).
    fn names_regulation(&self, l: &Line) -> bool {
        let lower = self.lower(l);
        let mut words = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty());
        let first = words.next();
        let last = words.next_back().or(first);
        let named = [first, last]
            .into_iter()
            .flatten()
            .any(|w| self.lex.phrases("regulation_title_word").any(|p| p == w));
        named
    }

    /// The resolution's parts and the title that follows them.
    fn resolution_and_title(&mut self) -> usize {
        let n = self.lines.len();
        let preamble_end = (0..n.min(60))
            .find(|&i| {
                let lower = self.lower(&self.lines[i]);
                self.lex.has("preamble_end", &lower)
            })
            .or_else(|| self.colon_preamble());
        let Some(pe) = preamble_end else {
            // A regulation or charter without its approving resolution: find the title near the top.
            return self.title_from(0, true);
        };
        self.header_and_preamble(pe);
        let i = self.points(pe + 1);
        let i = self.signatures(i);
        let i = self.stamp(i);
        self.title_from(i, false)
    }

    /// Files the preamble that ends at line `pe`, and the lines above it as header or notes.
    fn header_and_preamble(&mut self, pe: usize) {
        // The preamble is the line with the closing words; earlier lines are header unless they run on into it.
        let mut ps = pe;
        while ps > 0 {
            let prev = &self.lines[ps - 1];
            let t = self.text(prev);
            if self.lines[ps].after_blank
                || prev.heading > 0
                || crate::lexicon::patterns::patterns_or_builtin()
                    .note
                    .is_match(t)
                || t.ends_with('.')
            {
                break;
            }
            ps -= 1;
        }
        for i in 0..ps {
            let b = self.line_block(&self.lines[i]);
            if crate::lexicon::patterns::patterns_or_builtin()
                .note
                .is_match(&b.text)
            {
                self.doc.notes.push(b);
            } else {
                self.doc.header.push(b);
            }
        }
        let (s, e) = (self.lines[ps].start, self.lines[pe].end);
        self.doc.preamble = Some(self.block(s, e));
    }

    /// The numbered points of the resolution from line `from`, each with the lines that run on from it. Returns the
    /// line after them.
    fn points(&mut self, from: usize) -> usize {
        let n = self.lines.len();
        let mut i = from;
        let mut expected = 1u32;
        while i < n {
            if self.take_note(i) {
                i += 1;
                continue;
            }
            let l = &self.lines[i];
            let t = self.text(l);
            if let Some((num, rest)) = para_parts(t) {
                if num.parse::<u32>().ok() == Some(expected) && l.heading == 0 && !l.quoted {
                    let block = self.rest_block(l, rest);
                    self.doc.points.push(Point {
                        number: num.to_string(),
                        block,
                    });
                    expected += 1;
                    i += 1;
                    continue;
                }
            }
            // A line running on from the previous point (no blank line between, not a signature), the text a point
            // introduces with a colon (`1. Внести в решение … следующее изменение:` and its new wording), or the
            // point's numbered items (`2. Акимам всех уровней:` / `1) …` / `2) …`).
            let introduced = self
                .doc
                .points
                .last()
                .is_some_and(|p| p.block.text.trim_end().ends_with(':'))
                || item_mark(t).is_some();
            if (!l.after_blank || introduced)
                && !self.doc.points.is_empty()
                && l.heading == 0
                && !l.quoted
                && !crate::lexicon::patterns::patterns_or_builtin()
                    .name_at_end
                    .is_match(t)
            {
                let last = self.doc.points.last().unwrap().block.start;
                let b = self.block(last, l.end);
                self.doc.points.last_mut().unwrap().block = b;
                i += 1;
                continue;
            }
            break;
        }
        i
    }

    /// Signatures from line `from`: role lines and name lines until the stamp. Returns the line after them.
    fn signatures(&mut self, from: usize) -> usize {
        let n = self.lines.len();
        let mut i = from;
        let mut pending_role: Option<(usize, String)> = None;
        while i < n {
            let l = &self.lines[i];
            let t = self.text(l);
            let lower = lowercase(t);
            if l.quoted || l.heading > 0 || self.lex.has("stamp", &lower) {
                break;
            }
            if let Some(c) = crate::lexicon::patterns::patterns_or_builtin()
                .name_at_end
                .captures(t)
            {
                let name = c.get(1).unwrap();
                let role_here = t[..name.start()].trim().trim_end_matches([',', ':']).trim();
                let (role, start) = if !role_here.is_empty() {
                    (role_here.to_string(), l.start)
                } else if let Some((s, r)) = pending_role.take() {
                    (r, s)
                } else {
                    (String::new(), l.start)
                };
                let block = self.block(start, l.end);
                self.doc.signatures.push(Signature {
                    role,
                    name: name.as_str().trim().to_string(),
                    block,
                });
                i += 1;
                continue;
            }
            if t.chars().count() < 120 && !t.ends_with('.') && !t.ends_with(';') {
                let role = t.trim_end_matches([',', ':']).trim().to_string();
                pending_role = Some((l.start, role));
                i += 1;
                continue;
            }
            break;
        }
        if let Some((s, role)) = pending_role {
            let idx = self.line_index_at(s);
            self.issue(idx, format!("signatory role without a name: {role}"));
        }
        i
    }

    /// The approval stamp at line `i`: the next run of lines naming the approval. Returns the line after it.
    fn stamp(&mut self, mut i: usize) -> usize {
        let n = self.lines.len();
        if i < n {
            let lower = self.lower(&self.lines[i]);
            if self.lex.has("stamp", &lower) || self.lines[i].quoted {
                let first = i;
                let quoted = self.lines[i].quoted;
                i += 1;
                while i < n
                    && ((quoted && self.lines[i].quoted)
                        || (!quoted && !self.lines[i].after_blank && self.lines[i].heading == 0))
                {
                    // Stop at the title if it follows the stamp without a blank line.
                    let lower = self.lower(&self.lines[i]);
                    if !quoted
                        && self.lex.has("regulation_title", &lower)
                        && !self.lex.has("stamp", &lower)
                    {
                        break;
                    }
                    i += 1;
                }
                let (s, e) = (self.lines[first].start, self.lines[i - 1].end);
                let mut b = self.block(s, e);
                b.text = b.text.replace('\n', " ");
                self.doc.stamp = Some(b);
            }
        }
        i
    }

    fn line_index_at(&self, start: usize) -> usize {
        self.lines
            .iter()
            .find(|l| l.start == start)
            .map(|l| l.index)
            .unwrap_or(0)
    }

    /// Finds the title at or after line `from`; returns where the body starts. A title cut over several lines
    /// (`УСТАВ` / `КОММУНАЛЬНОГО ГОСУДАРСТВЕННОГО УЧРЕЖДЕНИЯ` / `«Школа – гимназия №44 …»`) is joined until it holds
    /// the quoted name. In a document without its resolution (`bare`), an approval stamp above the title
    /// (`«Утверждено» Постановлением акимата …`) is read as the stamp.
    fn title_from(&mut self, from: usize, bare: bool) -> usize {
        let n = self.lines.len();
        let limit = if bare { 15 } else { 3 };
        for i in from..n.min(from + limit) {
            let l = &self.lines[i];
            let t = self.text(l);
            let lower = lowercase(t);
            let is_title = self.lex.has("regulation_title", &lower)
                && t.chars().count() < 300
                && para_parts(t).is_none()
                && !crate::lexicon::patterns::patterns_or_builtin()
                    .chapter_kk
                    .is_match(t)
                && !crate::lexicon::patterns::patterns_or_builtin()
                    .chapter_word
                    .is_match(t);
            if !is_title {
                continue;
            }
            let mut last = i;
            // A title marked as a heading is whole on its line: the text below it is the body.
            while self.lines[i].heading == 0
                && !has_quoted_name(&self.norm.text[self.lines[i].start..self.lines[last].end])
                && last + 1 < n
                && last < i + 3
            {
                let next = &self.lines[last + 1];
                let nt = self.text(next);
                if nt.chars().count() >= 300
                    || para_parts(nt).is_some()
                    || item_mark(nt).is_some()
                    || crate::lexicon::patterns::patterns_or_builtin()
                        .chapter_kk
                        .is_match(nt)
                    || crate::lexicon::patterns::patterns_or_builtin()
                        .chapter_word
                        .is_match(nt)
                    || next.heading > 0
                {
                    break;
                }
                last += 1;
            }
            if !has_quoted_name(&self.norm.text[self.lines[i].start..self.lines[last].end]) {
                last = i;
            }
            let mut title = self.block(self.lines[i].start, self.lines[last].end);
            title.text = title.text.split_whitespace().collect::<Vec<_>>().join(" ");
            // A stamp line names the approval and, on it or the next two lines, the act that approves.
            let stamp_lines: Vec<usize> = (from..i)
                .filter(|&j| {
                    let lower = self.lower(&self.lines[j]);
                    let act_named = (j..i.min(j + 3)).any(|k| {
                        let lower = self.lower(&self.lines[k]);
                        self.lex.has("resolution_word", &lower)
                            || self.lex.has("decision_word", &lower)
                    });
                    bare && self.doc.stamp.is_none() && self.lex.has("stamp", &lower) && act_named
                })
                .collect();
            if let Some(&first) = stamp_lines.first() {
                // The stamp runs from its first line to the title.
                let mut b = self.block(self.lines[first].start, self.lines[i - 1].end);
                b.text = b.text.replace('\n', " ");
                self.doc.stamp = Some(b);
            }
            let stamp_from = stamp_lines.first().copied().unwrap_or(i);
            for j in from..stamp_from {
                let b = self.line_block(&self.lines[j]);
                self.doc.unplaced.push(b);
                let idx = self.lines[j].index;
                self.issue(idx, "line before the title not recognised");
            }
            self.doc.title = Some(title);
            return last + 1;
        }
        from
    }

    /// Splits line `i` where the next paragraph runs on inside it (`… Республики Казахстан» 5. Аппарат …`, a
    /// line break lost in the source): the number must be the one expected and follow the end of a sentence.
    fn split_glued_paragraph(&mut self, i: usize, expected: u32) {
        let l = &self.lines[i];
        let t = self.text(l);
        let Some(c) = crate::lexicon::patterns::patterns_or_builtin()
            .glued_paragraph
            .captures(t)
        else {
            return;
        };
        // A full stop after an abbreviation (`ст. 3. Закона`, `п. 5.`) ends no sentence.
        let all = c.get(0).unwrap();
        if t[all.start()..].starts_with('.') {
            let word = t[..all.start()]
                .rsplit(|ch: char| !ch.is_alphanumeric())
                .next()
                .unwrap_or("");
            if word.chars().count() <= 3 {
                return;
            }
        }
        let num = c.get(1).unwrap();
        // The glued paragraph is the one expected, or the one after it when the line opens the expected one.
        let own = para_parts(t).and_then(|c| c.0.parse::<u32>().ok());
        let glued = num.as_str().parse::<u32>().ok();
        let fits = glued == Some(expected) && own != Some(expected)
            || glued == Some(expected + 1) && own == Some(expected);
        if !fits {
            return;
        }
        let expected = glued.unwrap_or(expected);
        let split = l.start + num.start();
        let first_end = l.start + t[..num.start()].trim_end().len();
        let second = Line {
            index: l.index,
            start: split,
            end: l.end,
            heading: 0,
            quoted: l.quoted,
            after_blank: false,
        };
        let index = l.index;
        self.lines[i].end = first_end;
        self.lines.insert(i + 1, second);
        self.issue(
            index,
            format!(
                "paragraph {expected} runs on inside the line before it; read as its own paragraph"
            ),
        );
    }

    fn body(&mut self, from: usize) {
        let mut st = BodyState {
            chapters: Vec::new(),
            expected_par: 1,
            expected_chapter: 1,
            last_was_item: false,
        };
        let mut i = from;
        while i < self.lines.len() {
            self.split_glued_paragraph(i, st.expected_par);
            if !self.take_note(i) {
                self.body_line(i, &mut st);
            }
            i += 1;
        }
        self.doc.chapters = st.chapters;
    }

    /// Reads line `i` of the body: a chapter heading, a paragraph, an item, or unmarked text, the first that fits.
    fn body_line(&mut self, i: usize, st: &mut BodyState) {
        if let Some((num, rest)) = self.chapter_heading(i, st) {
            self.open_chapter(i, num, rest, st);
            return;
        }
        if st.chapters.is_empty() {
            st.chapters.push(Chapter {
                number: None,
                heading: None,
                paragraphs: Vec::new(),
            });
        }
        if self.paragraph_line(i, st) || self.item_line(i, st) {
            return;
        }
        self.unmarked_line(i, st);
    }

    /// The number and heading text of a chapter heading on line `i`: a chapter word (`1-тарау`, `Глава 1`), a
    /// numbered line that reads as a heading, or a line marked as a heading.
    fn chapter_heading(&self, i: usize, st: &BodyState) -> Option<(String, &'a str)> {
        let l = &self.lines[i];
        let t = self.text(l);
        let chapter = crate::lexicon::patterns::patterns_or_builtin()
            .chapter_kk
            .captures(t)
            .or_else(|| {
                crate::lexicon::patterns::patterns_or_builtin()
                    .chapter_word
                    .captures(t)
            })
            .map(|c| {
                (
                    c.get(1).unwrap().as_str().to_string(),
                    c.get(2).unwrap().as_str(),
                )
            });
        let chapter = chapter.or_else(|| self.numbered_chapter(i, st));
        chapter.or_else(|| {
            (l.heading > 0 && para_parts(t).is_none() && item_mark(t).is_none())
                .then(|| (String::new(), t))
        })
    }

    /// A numbered line `i` read as a chapter heading: the chapter expected, short and without closing punctuation,
    /// followed by a paragraph or marked as a heading; or marked as a heading and not the paragraph expected.
    fn numbered_chapter(&self, i: usize, st: &BodyState) -> Option<(String, &'a str)> {
        let l = &self.lines[i];
        let (num, rest) = para_parts(self.text(l))?;
        let number: u32 = num.parse().ok()?;
        let no_end_punct = !rest.ends_with(['.', ';', ':', ',']);
        let short = rest.chars().count() < 160;
        let next_is_par = self.lines[i + 1..]
            .first()
            .and_then(|nl| para_parts(self.text(nl)))
            .and_then(|c| c.0.parse::<u32>().ok())
            .is_some_and(|m| m == st.expected_par || m == st.expected_par + 1);
        let as_heading = l.heading > 0;
        // In `1.1.` numbering a heading `3. …` whose next numbered line (a lead-in may stand between) is `3.1.` opens
        // chapter 3, whatever paragraph was expected.
        let opens_its_own = self.lines[i + 1..]
            .iter()
            .take(3)
            .find_map(|nl| para_parts(self.text(nl)))
            .is_some_and(|(m, _)| m.strip_prefix(num).is_some_and(|r| r.starts_with('.')));
        ((number == st.expected_chapter && no_end_punct && short && (next_is_par || as_heading))
            || (as_heading && (number != st.expected_par || opens_its_own)))
            .then(|| (num.to_string(), rest))
    }

    /// Opens a chapter at line `i` with its number and heading text; the next chapter expected follows its number.
    fn open_chapter(&self, i: usize, num: String, rest: &str, st: &mut BodyState) {
        let heading = if rest.is_empty() {
            None
        } else {
            Some(self.rest_block(&self.lines[i], rest))
        };
        if let Ok(k) = num.parse::<u32>() {
            st.expected_chapter = k + 1;
        }
        st.chapters.push(Chapter {
            number: (!num.is_empty()).then_some(num),
            heading,
            paragraphs: Vec::new(),
        });
        st.last_was_item = false;
    }

    /// Opens a paragraph at line `i` when it starts with a number in sequence (or a dotted one, or any number before
    /// the first paragraph); a number that skips one is read with an issue. False when the line opens none.
    fn paragraph_line(&mut self, i: usize, st: &mut BodyState) -> bool {
        let l = &self.lines[i];
        let t = self.text(l);
        let para = para_parts(t).or_else(|| {
            PARA_GLUED
                .captures(t)
                .map(|c| (c.get(1).unwrap().as_str(), c.get(2).unwrap().as_str()))
        });
        let Some((num, rest)) = para else {
            return false;
        };
        let expected_par = st.expected_par;
        let first: Option<u32> = num.split('.').next().and_then(|x| x.parse().ok());
        let dotted = num.contains('.');
        let in_sequence = first.is_some_and(|k| k >= expected_par && k <= expected_par + 2)
            || dotted
            || expected_par == 1;
        if !in_sequence {
            return false;
        }
        if let Some(k) = first {
            if !dotted && k != expected_par {
                let idx = l.index;
                self.doc.issues.push(Issue {
                    line: idx + 1,
                    message: format!("paragraph {k} where {expected_par} was expected"),
                });
            }
            if !dotted {
                st.expected_par = k + 1;
            }
        }
        let head = self.rest_block(l, rest);
        let chapter = st.chapters.last_mut().unwrap();
        chapter.paragraphs.push(Paragraph {
            number: Some(num.to_string()),
            head,
            items: Vec::new(),
            extra: Vec::new(),
        });
        st.last_was_item = false;
        true
    }

    /// Places line `i` as an item of the last paragraph (of an unnumbered one opened for it when the chapter has
    /// none yet) when it is marked as one. False when it is not.
    fn item_line(&self, i: usize, st: &mut BodyState) -> bool {
        let l = &self.lines[i];
        let Some((marker, label, rest)) = item_parts(self.text(l)) else {
            return false;
        };
        let block = self.rest_block(l, rest);
        let item = Item {
            label: label.map(str::to_string),
            marker,
            block,
            children: Vec::new(),
        };
        let chapter = st.chapters.last_mut().unwrap();
        if chapter.paragraphs.is_empty() {
            chapter.paragraphs.push(Paragraph {
                number: None,
                head: self.block(l.start, l.start),
                items: Vec::new(),
                extra: Vec::new(),
            });
        }
        let para = chapter.paragraphs.last_mut().unwrap();
        place_item(&mut para.items, item);
        st.last_was_item = true;
        true
    }

    /// Unmarked text: continues the item right above it, else belongs to the paragraph; a line of its own in
    /// a list a colon opened (the last item's, or the paragraph's head's) is an item of that list, and so is
    /// a line of its own that starts in lowercase right after an item (`1) оценка: исполнения …;` then
    /// `реализации …;`) goes on enumerating what that item began: it is the item's sub-item.
    fn unmarked_line(&mut self, i: usize, st: &mut BodyState) {
        let l = &self.lines[i];
        let b = self.line_block(l);
        let chapter = st.chapters.last_mut().unwrap();
        if let Some(para) = chapter.paragraphs.last_mut() {
            if plain_list_item(para, l, &b, &mut st.last_was_item) {
                return;
            }
        }
        match chapter.paragraphs.last_mut() {
            Some(para) if st.last_was_item && !l.after_blank => {
                let item = last_open_item(&mut para.items).unwrap();
                item.block = join(self.norm, &item.block, &b);
            }
            Some(para) if para.items.is_empty() && para.extra.is_empty() && !l.after_blank => {
                para.head = join(self.norm, &para.head, &b);
            }
            Some(para) => {
                para.extra.push(b);
                st.last_was_item = false;
            }
            None => {
                let idx = l.index;
                self.doc.unplaced.push(b);
                self.issue(idx, "text before the first paragraph");
            }
        }
    }

    fn check_truncation(&mut self) {
        if let Some(last) = self.lines.last() {
            let t = self.text(last);
            // A sentence's end, a signatory's name, or a row of a table or a figure (an act that ends with a
            // table of rates, a stamp ending with its number): none of them stops mid-sentence.
            let ends_well = t.ends_with(['.', ';', ':', '!', '?', '»', '"', ')', '”'])
                || t.ends_with(|c: char| c.is_ascii_digit())
                || self.norm.lines.get(last.index).is_some_and(|l| l.table)
                || crate::lexicon::patterns::patterns_or_builtin()
                    .name_at_end
                    .is_match(t);
            if !ends_well {
                self.doc.truncated = true;
                let idx = last.index;
                self.issue(
                    idx,
                    "the text stops mid-sentence: it may be cut off; extracted what it holds",
                );
            }
        }
    }
}

/// The marker, label and text of an item line: `1)`, `а)`, a dash, or a short sub-heading ending with a colon.
fn item_parts(t: &str) -> Option<(Marker, Option<&str>, &str)> {
    item_mark(t)
        .map(|(label, rest)| (Marker::Numbered, Some(label), rest))
        .or_else(|| {
            crate::lexicon::patterns::patterns_or_builtin()
                .letter_item
                .captures(t)
                .map(|c| {
                    (
                        Marker::Letter,
                        Some(c.get(1).unwrap().as_str()),
                        c.get(2).unwrap().as_str(),
                    )
                })
        })
        .or_else(|| dash_text(t).map(|rest| (Marker::Dash, None, rest)))
        .or_else(|| {
            // A short unnumbered sub-heading inside a paragraph: `Құқықтары:`.
            (t.ends_with(':') && t.chars().count() <= 60).then_some((Marker::Heading, None, t))
        })
}

/// Places an unmarked line of its own as an item of the list a colon opened, or as a sub-item of the item it goes
/// on enumerating (it starts in lowercase right after an item). False when it is neither.
fn plain_list_item(para: &mut Paragraph, l: &Line, b: &Block, last_was_item: &mut bool) -> bool {
    let item = Item {
        label: None,
        marker: Marker::Plain,
        block: b.clone(),
        children: Vec::new(),
    };
    if l.after_blank && opens_plain_list(para) {
        place_item(&mut para.items, item);
        *last_was_item = true;
        return true;
    }
    let enumerates = *last_was_item
        && para.extra.is_empty()
        && b.text.chars().next().is_some_and(char::is_lowercase);
    if l.after_blank && enumerates {
        if let Some(open) = last_open_item(&mut para.items) {
            open.children.push(item);
            return true;
        }
    }
    false
}

/// Whether a text holds a closed quoted name (`«…»`, `"…"`).
fn has_quoted_name(text: &str) -> bool {
    let (spans, _) = quotes::quoted_spans(text);
    spans.iter().any(|q| q.close > q.open + 1)
}

/// Joins two blocks into one spanning both.
fn join(norm: &NormText, a: &Block, b: &Block) -> Block {
    let (char_start, char_end) = (a.char_start, b.char_end);
    let text = norm.text[a.start..b.end].replace('\n', " ");
    Block {
        start: a.start,
        end: b.end,
        char_start,
        char_end,
        text,
    }
}

/// Whether an unmarked line of its own after this paragraph's last line is an item of a list a colon opened: the
/// paragraph's head ends with a colon and it has no items yet, or its deepest last item ends with a colon or is itself
/// such a line.
fn opens_plain_list(para: &Paragraph) -> bool {
    fn deepest(items: &[Item]) -> Option<&Item> {
        let last = items.last()?;
        deepest(&last.children).or(Some(last))
    }
    if !para.extra.is_empty() {
        return false;
    }
    match deepest(&para.items) {
        None => para.number.is_some() && para.head.text.trim_end().ends_with(':'),
        Some(last) => {
            last.marker == Marker::Plain
                || (last.block.text.trim_end().ends_with(':') && last.marker != Marker::Heading)
        }
    }
}

/// The deepest last item, the one an unmarked line would continue.
fn last_open_item(items: &mut [Item]) -> Option<&mut Item> {
    let last = items.last_mut()?;
    if last.children.is_empty() {
        Some(last)
    } else {
        last_open_item(&mut last.children)
    }
}

/// Places an item in a paragraph's list: `1.1)` under `1)`; items after an unnumbered heading (`Құқықтары:`) under
/// it; dashes under the item that opened them with a colon; otherwise at the top.
fn place_item(items: &mut Vec<Item>, item: Item) {
    if let Some(last) = items.last_mut() {
        let opens = last.block.text.ends_with(':');
        let goes_under = match item.marker {
            Marker::Heading => false,
            Marker::Numbered | Marker::Letter => {
                let nested_label = match (&item.label, &last.label) {
                    (Some(l), Some(p)) => {
                        l.starts_with(&format!("{p}.")) || l.starts_with(&format!("{p}-"))
                    }
                    _ => false,
                };
                let sibling = match (&item.label, &last.label) {
                    (Some(l), Some(p)) => {
                        item.marker == last.marker
                            && l.matches('.').count() == p.matches('.').count()
                    }
                    _ => false,
                };
                nested_label
                    || last.marker == Marker::Heading
                    || (!sibling && opens && last.children.iter().all(|c| c.marker == item.marker))
            }
            Marker::Dash | Marker::Plain => {
                last.marker == Marker::Heading
                    || opens
                    || last
                        .children
                        .last()
                        .is_some_and(|c| c.marker == item.marker)
            }
        };
        if goes_under {
            place_item(&mut last.children, item);
            return;
        }
    }
    items.push(item);
}
