//! Provisions: the goals, rights, duties, functions and head's powers a regulation assigns, found under the
//! headings of data/lexicon/sections.tsv, each with its number, position, text and offsets.

use crate::lexicon::{stem_matches, words, Lang, Lexicon, SectionHeading};
use crate::normalize::NormText;
use crate::parse::{Document, Item, Marker, Paragraph};
use serde::Serialize;

/// A provision of the regulation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Provision {
    /// `akg:` provision kind local name (`Goal`, `Right`, …).
    pub kind: String,
    /// Number as written and composed (`18.26`, `17.1.2`).
    pub number: String,
    /// Order in its list, from 1.
    pub position: u32,
    /// The text in the original characters, whitespace collapsed.
    pub text: String,
    /// Char offset of the text in the decoded original.
    pub char_start: usize,
    /// End char offset (exclusive).
    pub char_end: usize,
    /// The competence areas it was put into, each with the rule and words that did it.
    pub competences: Vec<super::competences::CompetenceHit>,
    /// Byte range in the normalised text.
    #[serde(skip)]
    pub norm_start: usize,
    /// End of the byte range.
    #[serde(skip)]
    pub norm_end: usize,
}

/// Collapses whitespace runs to one space and trims.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The heading part of a text: before its first colon, if the colon comes early.
fn heading_of(text: &str) -> Option<&str> {
    let colon = text.find(':')?;
    (text[..colon].chars().count() <= 200).then(|| &text[..colon])
}

/// Up to how many words the `…` of a mask row lets pass.
const MASK_GAP: usize = 6;

/// The words of a heading, lowercase, with the words of its mask phrases blanked: a phrase that names a kind as the
/// purpose or measure of the list (`для реализации основных задач`, `міндеттерін іске асыру үшін`) does not name the
/// list.
fn heading_words(lex: &Lexicon, heading: &str) -> Vec<String> {
    let mut ws: Vec<String> = words(heading).into_iter().map(|w| w.2).collect();
    for mask in lex.sections.iter().filter(|s| s.scope == "mask") {
        let mut i = 0;
        while i < ws.len() {
            match mask_at(&mask.phrase.stems, &ws, i) {
                Some(end) => {
                    ws[i..end].iter_mut().for_each(String::clear);
                    i = end;
                }
                None => i += 1,
            }
        }
    }
    ws
}

/// The end of a mask phrase that starts at word `i`: its stems in order, `…` letting up to [`MASK_GAP`] words pass.
fn mask_at(stems: &[String], ws: &[String], i: usize) -> Option<usize> {
    let (mut at, mut gap) = (i, 0);
    for stem in stems {
        if stem == "…" {
            gap = MASK_GAP;
            continue;
        }
        let last = ws.len().min(at + gap + 1);
        let found = (at..last).find(|&j| !ws[j].is_empty() && stem_matches(stem, &ws[j]))?;
        at = found + 1;
        gap = 0;
    }
    (at > i).then_some(at)
}

/// The section headings of some scopes that match a heading's words, each with its first and past-last word.
fn matches<'a>(
    lex: &'a Lexicon,
    ws: &[String],
    scopes: &[&str],
) -> Vec<(&'a SectionHeading, usize, usize)> {
    let refs: Vec<&str> = ws.iter().map(String::as_str).collect();
    lex.sections
        .iter()
        .filter(|s| scopes.contains(&s.scope.as_str()))
        .filter_map(|s| {
            let start = s.phrase.find_in(&refs)?;
            Some((s, start, start + s.phrase.stems.len()))
        })
        .collect()
}

/// The most specific match; between equally specific ones, the one that ends last: the list's own noun stands last
/// in both languages (`Негізгі міндеттерге сәйкес … мынадай функциялар жүктеледі:`, `… возлагаются следующие
/// функции:`). On a full tie, the row that comes first in the table wins.
fn best<'m, 'a>(
    found: &'m [(&'a SectionHeading, usize, usize)],
) -> Option<&'m (&'a SectionHeading, usize, usize)> {
    found
        .iter()
        .rev()
        .max_by_key(|(s, _, end)| (s.phrase.stems.len(), *end))
}

/// The kind of the most specific section heading of a scope matching `heading`.
fn section<'a>(lex: &'a Lexicon, heading: &str, scopes: &[&str]) -> Option<&'a str> {
    let found = matches(lex, &heading_words(lex, heading), scopes);
    best(&found).map(|(s, _, _)| s.kind.as_str())
}

/// The kind a chapter heading names, when it names one alone (`2. Задачи Комиссии`, `Комиссияның міндеттері`; not
/// `Цель, задачи и функции Совета`): every other match lies inside the best one's words or names the same kind, and
/// no `other` row says the lists are someone else's (its members', its staff's).
fn chapter_kind<'a>(lex: &'a Lexicon, heading: &str) -> Option<&'a str> {
    let ws = heading_words(lex, heading);
    // The lists of someone else: `Права и обязанности членов Малой Ассамблеи`.
    if !matches(lex, &ws, &["other"]).is_empty() {
        return None;
    }
    let found = matches(lex, &ws, &["para"]);
    let (top, start, end) = best(&found)?;
    let alone = found
        .iter()
        .all(|(s, a, b)| s.kind == top.kind || (*a >= *start && *b <= *end));
    alone.then_some(top.kind.as_str())
}

struct Builder<'a> {
    norm: &'a NormText,
    original: &'a [char],
    out: Vec<Provision>,
    warnings: Vec<String>,
}

impl Builder<'_> {
    /// The provision's text: the original characters, whitespace collapsed, without the list's closing `;`/`.`.
    fn text(&self, start: usize, end: usize) -> String {
        let slice: String = self.original
            [start.min(self.original.len())..end.min(self.original.len())]
            .iter()
            .collect();
        collapse(&slice)
            .trim_end_matches([';', '.', ','])
            .trim_end()
            .to_string()
    }

    fn push(
        &mut self,
        kind: &str,
        number: String,
        position: u32,
        span: (usize, usize, usize, usize),
    ) {
        let (char_start, char_end, norm_start, norm_end) = span;
        let text = self.text(char_start, char_end);
        if text.is_empty() {
            return;
        }
        self.out.push(Provision {
            kind: kind.to_string(),
            number,
            position,
            text,
            char_start,
            char_end,
            competences: Vec::new(),
            norm_start,
            norm_end,
        });
    }

    /// A list of items of one kind; `prefix` is the number of the paragraph (and group) they stand in. An item
    /// with sub-items that only introduces them (`1) аудит эффективности:`) is not a provision, its sub-items are
    /// (`16.1.1`, `16.1.2` …); one that says more is a provision of its own text, and its sub-items are too. A list
    /// of one unmarked statement (`15. Задачи:` and the line under it) is the paragraph's provision; the items under
    /// an unmarked line introducing them are numbered below that line's place. `whole` says whether `items` is a
    /// paragraph's (or group's) whole list rather than an item's sub-items.
    fn list(&mut self, kind: &str, prefix: &str, items: &[Item], whole: bool) {
        let lone_statement = whole
            && matches!(items, [only] if only.marker == Marker::Plain && only.children.is_empty());
        let mut position = 0;
        for item in items {
            if item.marker == Marker::Heading {
                // An unmarked line introducing the items under it (`мемлекеттік мекеме өз функцияларын жүзеге асыру
                // үшін:`) takes the next place of the list and holds its items as a group does (`16.1.1`, `16.1.2`
                // … when it opens the list), in the list's kind.
                if item.children.iter().any(|c| c.marker != Marker::Heading) {
                    position += 1;
                    self.list(kind, &format!("{prefix}.{position}"), &item.children, false);
                }
                continue;
            }
            position += 1;
            let label = match &item.label {
                Some(l) if !matches!(item.marker, Marker::Dash | Marker::Plain) => {
                    // `1.1)` inside group `1)` of paragraph 17 is 17.1.1; a bare `26)` in paragraph 18 is 18.26.
                    l.clone()
                }
                _ => position.to_string(),
            };
            let number = if lone_statement {
                prefix.to_string()
            } else if prefix.is_empty() {
                label
            } else if label.contains('.') {
                format!("{}.{label}", prefix.split('.').next().unwrap_or(prefix))
            } else {
                format!("{prefix}.{label}")
            };
            if item.children.iter().any(|c| c.marker != Marker::Heading) {
                if !item.block.text.trim_end().ends_with(':') {
                    let b = &item.block;
                    self.push(
                        kind,
                        number.clone(),
                        position,
                        (b.char_start, b.char_end, b.start, b.end),
                    );
                }
                self.list(kind, &number, &item.children, false);
                continue;
            }
            self.push(kind, number, position, span(item));
        }
    }
}

/// The clauses of a run-in list (byte ranges in `text`, trimmed), when `text` holds two or more set apart by
/// semicolons, each of two words at least; otherwise none. A semicolon inside quotes or brackets does not part
/// clauses.
fn run_in_clauses(text: &str) -> Vec<(usize, usize)> {
    let mut cuts = Vec::new();
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '«' | '[' => depth += 1,
            ')' | '»' | ']' => depth -= 1,
            ';' if depth <= 0 => cuts.push(i),
            _ => {}
        }
    }
    if cuts.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut from = 0;
    for to in cuts.into_iter().chain([text.len()]) {
        let piece = &text[from..to];
        let lead = piece.len() - piece.trim_start().len();
        let body = piece.trim();
        if body.split_whitespace().count() < 2 {
            if !body.is_empty() {
                return Vec::new();
            }
        } else {
            out.push((from + lead, from + lead + body.len()));
        }
        from = (to + 1).min(text.len());
    }
    out
}

/// Char and byte span of an item with all its children.
fn span(item: &Item) -> (usize, usize, usize, usize) {
    let mut end = (item.block.char_end, item.block.end);
    let mut last = item;
    while let Some(child) = last.children.last() {
        end = (child.block.char_end, child.block.end);
        last = child;
    }
    (item.block.char_start, end.0, item.block.start, end.1)
}

/// Finds the provisions of a parsed regulation.
pub fn provisions(
    doc: &Document,
    norm: &NormText,
    original: &[char],
    lex: &Lexicon,
    warnings: &mut Vec<String>,
) -> Vec<Provision> {
    let mut b = Builder {
        norm,
        original,
        out: Vec::new(),
        warnings: Vec::new(),
    };
    for chapter in &doc.chapters {
        // A chapter heading that names one kind gives it to paragraphs that name none, unless one of them names
        // a kind of its own (then the chapter is not one list).
        let owns: Vec<Option<&str>> = chapter
            .paragraphs
            .iter()
            .map(|p| own_kind(p, lex))
            .collect();
        let inherited = chapter
            .heading
            .as_ref()
            .and_then(|h| chapter_kind(lex, &h.text))
            .filter(|_| owns.iter().all(Option::is_none));
        for (para, own) in chapter.paragraphs.iter().zip(owns) {
            paragraph(&mut b, para, lex, own, inherited);
        }
    }
    warnings.append(&mut b.warnings);
    b.out
}

/// A paragraph that is itself one provision, stated as a sentence (`14. Миссией … является …`, `Тексеру
/// комиссиясының миссиясы … болып табылады`): the kind of a `sentence` heading among its first eight words.
fn sentence_provision(b: &mut Builder<'_>, para: &Paragraph, lex: &Lexicon) {
    let first: Vec<String> = words(&para.head.text)
        .into_iter()
        .take(8)
        .map(|w| w.2)
        .collect();
    let refs: Vec<&str> = first.iter().map(String::as_str).collect();
    let Some(kind) = lex
        .sections
        .iter()
        .filter(|s| s.scope == "sentence")
        .find(|s| s.phrase.find_in(&refs).is_some())
        .map(|s| s.kind.clone())
    else {
        return;
    };
    if b.out.iter().any(|p| p.kind == kind) {
        return;
    }
    let number = para.number.clone().unwrap_or_default();
    let h = &para.head;
    b.push(&kind, number, 1, (h.char_start, h.char_end, h.start, h.end));
}

/// The kind a paragraph's own heading names: a section heading, or the head's office heading the list (`Аким
/// сельского округа:`).
fn own_kind<'a>(para: &Paragraph, lex: &'a Lexicon) -> Option<&'a str> {
    let ws = heading_words(lex, list_heading(para)?);
    best(&matches(lex, &ws, &["para", "container"]))
        .map(|(s, _, _)| s.kind.as_str())
        .or_else(|| office(lex, &ws))
}

/// The kind of an `office` row naming the heading's subject alone (`heading_words` as [`heading_words`] gives them): a Russian heading's first word, one of a Kazakh
/// heading's first three (the subject's head noun after its genitives: `Ауылдық округінің әкімі:`, `Кеңес хатшысы
/// … бойынша:`), not joined to another subject (`Председатель и члены … освобождаются`).
fn office<'a>(lex: &'a Lexicon, heading_words: &[String]) -> Option<&'a str> {
    let ws: Vec<&String> = heading_words.iter().filter(|w| !w.is_empty()).collect();
    let joined = |i: usize| {
        ws.get(i)
            .is_some_and(|w| lex.phrases("conjunction").any(|c| c == w.as_str()))
    };
    lex.sections
        .iter()
        .filter(|s| s.scope == "office")
        .find(|s| {
            let stem = s.phrase.stems.first().map_or("", String::as_str);
            let within = match s.phrase.lang {
                Lang::Ru => 1,
                Lang::Kk => 3,
            };
            ws.iter()
                .take(within)
                .enumerate()
                .any(|(i, w)| stem_matches(stem, w) && !joined(i + 1) && !(i > 0 && joined(i - 1)))
        })
        .map(|s| s.kind.as_str())
}

/// The provisions of one paragraph: the lists its heading (or its items' sub-headings) name a kind for, a single
/// statement after its heading's colon, or the paragraph itself stated as a sentence. `own` is the kind its heading
/// names ([`own_kind`]); `inherited` the kind its chapter's heading names, which a paragraph naming none takes (each
/// such paragraph, or each item of its list, one provision).
fn paragraph(
    b: &mut Builder<'_>,
    para: &Paragraph,
    lex: &Lexicon,
    own: Option<&str>,
    inherited: Option<&str>,
) {
    let heading = list_heading(para);
    let Some(kind) = own.or(inherited) else {
        match heading {
            // A list the headings do not place: said, so that a reader sees what was not read.
            Some(heading) => b.unplaced_list(para, heading),
            None if para.items.is_empty() => sentence_provision(b, para, lex),
            None => {}
        }
        return;
    };
    // The Kazakh `міндеттері`: the tasks where it opens the lists, the duties where the rights came before.
    let kind = if kind == "GoalOrDuty" {
        if b.out.iter().any(|p| p.kind == "Right") {
            "Duty"
        } else {
            "Goal"
        }
    } else {
        kind
    };
    let number = para.number.clone().unwrap_or_default();
    if para.items.is_empty() {
        if own.is_some() {
            b.statement_after_colon(kind, number, para);
        } else if kind != "Powers" {
            // A paragraph of a chapter that is one list: the paragraph is the provision.
            let h = &para.head;
            b.push(kind, number, 1, (h.char_start, h.char_end, h.start, h.end));
        }
        return;
    }
    // Sub-headings carry the kinds inside `Өкілеттіктері:` and `Құқықтары мен міндеттері:`.
    let groups = group_headings(para, lex);
    if (kind == "Powers" || kind == "RightOrDuty") && !groups.is_empty() {
        b.groups(&number, &groups);
        return;
    }
    if kind == "Powers" {
        return;
    }
    b.list(kind, &number, &para.items, true);
}

/// The heading of a paragraph's list.
fn list_heading(para: &Paragraph) -> Option<&str> {
    // The heading stands before a colon; a paragraph whose short first line ends with a full stop instead
    // (`21. Полномочия секретаря маслихата ….`) still heads the list of items under it.
    let head = para.head.text.trim_end();
    heading_of(head).or_else(|| {
        (!para.items.is_empty() && head.ends_with('.') && head.chars().count() <= 200)
            .then(|| head.trim_end_matches('.'))
    })
}

/// The items of a paragraph that head a group of its list (`Құқықтары:`), each with the group's kind.
fn group_headings<'p, 'l>(para: &'p Paragraph, lex: &'l Lexicon) -> Vec<(&'p Item, &'l str)> {
    para.items
        .iter()
        .filter_map(|item| {
            let heading = heading_of(&item.block.text)
                .or_else(|| (item.marker == Marker::Heading).then_some(item.block.text.as_str()))?;
            if !item.block.text.trim_end().ends_with(':') {
                return None;
            }
            section(lex, heading, &["group"]).map(|g| (item, g))
        })
        .collect()
}

impl Builder<'_> {
    /// Warns of a list of two items or more under a heading that names no kind of provision.
    fn unplaced_list(&mut self, para: &Paragraph, heading: &str) {
        let head = para.head.text.trim_end();
        let items = para
            .items
            .iter()
            .filter(|i| i.marker != Marker::Heading)
            .count();
        if items >= 2 && head.ends_with(':') {
            let line = self.original[..para.head.char_start.min(self.original.len())]
                .iter()
                .filter(|c| **c == '\n')
                .count()
                + 1;
            let shown: String = heading.chars().take(80).collect();
            self.warnings.push(format!(
                "line {line}: a list of {items} items under «{shown}» is not read as provisions: its heading names no kind of data/lexicon/sections.tsv"
            ));
        }
    }

    /// A single statement after the colon of a paragraph without items: `14. Миссиясы: …`, `15. Міндеттері: …`.
    /// A run-in list there, two clauses or more set apart by semicolons (`16. Секретарь Комиссии: подготавливает
    /// …; обеспечивает …; координирует ….`), gives one provision per clause, numbered below the paragraph as the
    /// items of a list set out line by line are, so that a version that sets the same list out line by line meets it.
    fn statement_after_colon(&mut self, kind: &str, number: String, para: &Paragraph) {
        let Some(colon) = para.head.text.find(':') else {
            return;
        };
        let rest = &para.head.text[colon + 1..];
        let skipped = rest.len() - rest.trim_start().len();
        let after_colon = para.head.start + colon + 1 + skipped;
        if kind == "Powers" || after_colon >= para.head.end {
            return;
        }
        let clauses = run_in_clauses(&para.head.text[colon + 1 + skipped..]);
        if clauses.len() >= 2 {
            for (i, (from, to)) in clauses.into_iter().enumerate() {
                let (start, end) = (after_colon + from, after_colon + to);
                let (cs, ce) = self.norm.orig_range(start, end);
                let position = u32::try_from(i + 1).unwrap_or(u32::MAX);
                self.push(
                    kind,
                    format!("{number}.{}", i + 1),
                    position,
                    (cs, ce, start, end),
                );
            }
            return;
        }
        let (cs, ce) = (self.norm.orig(after_colon), para.head.char_end);
        self.push(kind, number, 1, (cs, ce, after_colon, para.head.end));
    }

    /// The lists of a paragraph's groups, numbered under the paragraph by the group's label or order.
    fn groups(&mut self, number: &str, groups: &[(&Item, &str)]) {
        let mut ordinal = 0;
        for (item, group_kind) in groups {
            ordinal += 1;
            let group_number = match (&item.label, item.marker) {
                (Some(l), Marker::Numbered) => l.clone(),
                _ => ordinal.to_string(),
            };
            // The parser places a group's items under its heading.
            if !item.children.is_empty() {
                self.list(
                    group_kind,
                    &format!("{number}.{group_number}"),
                    &item.children,
                    true,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::run_in_clauses;

    fn clauses(text: &str) -> Vec<&str> {
        run_in_clauses(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect()
    }

    #[test]
    fn a_run_in_list_parts_at_semicolons_outside_brackets_and_quotes() {
        assert_eq!(
            clauses("plans the work; keeps (the minutes; the lists) of it; signs «A; B» acts."),
            [
                "plans the work",
                "keeps (the minutes; the lists) of it",
                "signs «A; B» acts."
            ]
        );
        // A statement without semicolons, or with a fragment of one word, is not a list.
        assert!(clauses("plans the work of the commission.").is_empty());
        assert!(clauses("plans the work; etc.").is_empty());
        // A closing semicolon leaves no empty clause.
        assert_eq!(
            clauses("plans the work; signs acts;"),
            ["plans the work", "signs acts"]
        );
    }
}
