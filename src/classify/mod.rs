//! Between parse (stage 4) and extract (stage 5): what kind of act a document is, before anything is extracted from it.
//!
//! A region's published local acts are mostly budgets, taxes and fees, land, names of streets and programmes; one in
//! twenty or so approves the regulation of a body. Each document is classed as an act that approves regulations, an
//! act that amends or repeals such an act, a regulation's text alone, or another act, from the act's titles (the
//! sidecar's in both languages and the document's first line), its resolving points and, for a text without an
//! approving act, the headings of its chapters. The words are the rows of `data/lexicon/act-classes.tsv`; the
//! class comes with the reason that decided it, for the extraction report and the ingest summary.

use crate::lexicon::{Lang, Lexicon};
use crate::normalize::NormText;
use crate::parse::quotes::quoted_spans;
use crate::parse::Document;
use crate::read::sidecar::Sidecar;
use crate::text::lowercase;
use serde::Serialize;

/// What kind of act a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActClass {
    /// An act that approves one or more regulations of bodies (in its body or its annexes).
    ApprovesRegulation,
    /// An act that amends an act approving a regulation.
    AmendsApproval,
    /// An act that repeals an act approving a regulation.
    RepealsApproval,
    /// A regulation's text without its approving act.
    RegulationText,
    /// Any other act: not stored as a regulation.
    Other,
}

impl ActClass {
    /// Every class, in the order reports list them.
    pub const ALL: [ActClass; 5] = [
        ActClass::ApprovesRegulation,
        ActClass::AmendsApproval,
        ActClass::RepealsApproval,
        ActClass::RegulationText,
        ActClass::Other,
    ];

    /// The class's name in reports (`approves-regulation`, …).
    pub fn name(self) -> &'static str {
        match self {
            ActClass::ApprovesRegulation => "approves-regulation",
            ActClass::AmendsApproval => "amends-approval",
            ActClass::RepealsApproval => "repeals-approval",
            ActClass::RegulationText => "regulation-text",
            ActClass::Other => "other",
        }
    }

    /// Whether documents of the class hold a regulation to extract (the others are stored as acts at most).
    pub fn holds_regulation(self) -> bool {
        matches!(
            self,
            ActClass::ApprovesRegulation | ActClass::RegulationText
        )
    }
}

impl std::fmt::Display for ActClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A document's class and what decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The class.
    pub class: ActClass,
    /// Why: the place read and the words found there.
    pub reason: String,
}

/// What one place of the act (a title, a point) says it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Approve,
    Amend,
    Repeal,
    /// Agrees to a text another body approves (`О согласовании Положения …`).
    Agree,
}

/// How much of a place is read (characters).
const PLACE_CHARS: usize = 1500;

/// What one place says: the action named outside quotes, the regulation it names (if of a body), and whether it
/// names a body, and rules or a procedure.
struct Reading {
    action: Option<Action>,
    target: Option<&'static str>,
    body: bool,
    rules: bool,
    /// It names something else an act approves (a plan, a composition, a list).
    other_object: bool,
}

/// A place of the act read for its class: where it is and its text.
struct Place<'a> {
    what: String,
    lang: Lang,
    text: &'a str,
    /// What kind of place it is.
    kind: PlaceKind,
}

/// Where in the act a place stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlaceKind {
    /// A title: the sidecar's or the document's first line.
    Title,
    /// A resolving point.
    Point,
    /// A heading inside the act's text (a regulation's title in an annex).
    Heading,
}

/// Classes a parsed document written in `lang`, with its sidecar if it has one.
pub fn classify(
    doc: &Document,
    norm: &NormText,
    lang: Lang,
    sidecar: Option<&Sidecar>,
    lex: &Lexicon,
) -> Classification {
    let places = places_of(doc, norm, lang, sidecar);
    let (readings, approves_unnamed) = readings_of(&places, lex);
    let read: Vec<(&Place<'_>, Option<Action>, Option<&'static str>)> = places
        .iter()
        .zip(&readings)
        .map(|(p, r)| (p, r.action, r.target))
        .collect();
    let found = |action: Action| {
        read.iter()
            .find(|(_, a, target)| *a == Some(action) && target.is_some())
    };
    let because = |p: &Place<'_>, says: &str| Classification {
        class: ActClass::Other,
        reason: format!("{} {says}: «{}»", p.what, clip(p.text)),
    };
    if let Some((p, _, target)) = found(Action::Approve) {
        return Classification {
            class: ActClass::ApprovesRegulation,
            ..because(p, &format!("approves {}", target.unwrap_or("a regulation")))
        };
    }
    if let Some((p, _, _)) = found(Action::Amend) {
        return Classification {
            class: ActClass::AmendsApproval,
            ..because(p, "amends an act approving a regulation")
        };
    }
    if let Some((p, _, _)) = found(Action::Repeal) {
        return Classification {
            class: ActClass::RepealsApproval,
            ..because(p, "repeals an act approving a regulation")
        };
    }
    let is_act = doc.preamble.is_some() || !doc.points.is_empty();
    if !is_act {
        if let Some(c) = regulation_text(doc, lang, lex) {
            return c;
        }
    }
    if is_act && approves_unnamed {
        if let Some(c) = annexed_regulation(doc, norm, &places, &readings, lex) {
            return c;
        }
    }
    match read.iter().find(|(_, a, _)| a.is_some()) {
        Some((p, Some(a), _)) => {
            let does = match a {
                Action::Approve => "approves",
                Action::Amend => "amends",
                Action::Repeal => "repeals",
                Action::Agree => "agrees to",
            };
            because(
                p,
                &format!("{does} something other than a body's regulation"),
            )
        }
        _ => match places.first() {
            Some(p) => because(p, "names no regulation of a body"),
            None => Classification {
                class: ActClass::Other,
                reason: "no title, no resolving points and no regulation's headings".into(),
            },
        },
    }
}

/// The places of a document read for its class: the sidecar's titles, the first line, the resolving points, the
/// numbered lines of the act's own part the parser did not take for points, and, in an act, the headings of its
/// text.
fn places_of<'d>(
    doc: &'d Document,
    norm: &'d NormText,
    lang: Lang,
    sidecar: Option<&'d Sidecar>,
) -> Vec<Place<'d>> {
    let mut places: Vec<Place<'_>> = Vec::new();
    if let Some(s) = sidecar {
        for (l, title) in &s.titles {
            let l = l.unwrap_or(lang);
            places.push(Place {
                what: format!("the sidecar's {} title", l.tag()),
                lang: l,
                text: title,
                kind: PlaceKind::Title,
            });
        }
    }
    if let Some(first) = doc.header.first() {
        places.push(Place {
            what: "the title".into(),
            lang,
            text: &first.text,
            kind: PlaceKind::Title,
        });
    }
    for p in &doc.points {
        places.push(Place {
            what: format!("point {}", p.number),
            lang,
            text: &p.block.text,
            kind: PlaceKind::Point,
        });
    }
    unparsed_points(doc, norm, lang, &mut places);
    // The titles of regulations the act holds in its annexes (`# Положение о … управлении` after the points), when
    // it is an act: a regulation's own text is classed below.
    if doc.preamble.is_some() || !doc.points.is_empty() {
        annex_headings(doc, norm, lang, &mut places);
    }
    places
}

/// Lines that read as numbered points where the parser found none or took them for something else (a numbered
/// list of members before `2. Утвердить Положение …`), in the act's own part.
fn unparsed_points<'d>(
    doc: &Document,
    norm: &'d NormText,
    lang: Lang,
    places: &mut Vec<Place<'d>>,
) {
    let parsed: Vec<usize> = doc.points.iter().map(|p| p.block.start).collect();
    let own_end = own_part_end(doc, norm);
    for (n, l) in norm
        .lines
        .iter()
        .enumerate()
        .take_while(|(_, l)| l.start < own_end)
    {
        let text = &norm.text[l.start..l.end];
        let numbered = text.split_once(['.', ')']).is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit())
        });
        if numbered
            && !l.quoted
            && !parsed
                .iter()
                .any(|&s| l.start <= s && s < l.end.max(l.start + 1))
        {
            places.push(Place {
                what: format!("line {}", n + 1),
                lang,
                text,
                kind: PlaceKind::Point,
            });
        }
    }
}

/// Where the act's own part ends (a byte of the normalised text).
fn own_part_end(doc: &Document, norm: &NormText) -> usize {
    // Only the act's own part counts: up to its regulation's title or first chapter, or the first heading after its
    // title (not the approval stamp the parser found, which may be a point that mentions approved texts).
    let first_line = doc.header.first().map(|b| b.start);
    [
        doc.title.as_ref().map(|b| b.start),
        doc.chapters
            .iter()
            .find_map(|c| c.heading.as_ref().map(|h| h.start)),
        norm.lines
            .iter()
            .find(|l| l.heading > 0 && Some(l.start) != first_line && l.start > 0)
            .map(|l| l.start),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(norm.text.len())
}

/// The headings of an act's text and the regulation's title the parser found, as places.
fn annex_headings<'d>(
    doc: &'d Document,
    norm: &'d NormText,
    lang: Lang,
    places: &mut Vec<Place<'d>>,
) {
    let first = doc.header.first().map(|b| b.start);
    let headings = norm
        .lines
        .iter()
        .filter(|l| l.heading > 0 && Some(l.start) != first)
        .map(|l| &norm.text[l.start..l.end])
        .chain(doc.title.iter().map(|t| t.text.as_str()));
    for text in headings {
        places.push(Place {
            what: "a heading in the text".into(),
            lang,
            text,
            kind: PlaceKind::Heading,
        });
    }
}

/// What each place says, and whether the act approves something it does not name otherwise (then a regulation's
/// title in its text is what it approves).
fn readings_of(places: &[Place<'_>], lex: &Lexicon) -> (Vec<Reading>, bool) {
    let mut readings: Vec<Reading> = places
        .iter()
        .map(|p| {
            let mut r = read_place(p.text, lex);
            // A regulation's title standing in an act's text is the regulation the act approves.
            if p.kind == PlaceKind::Heading {
                let titled = r.action.is_none()
                    && r.target.is_some()
                    && is_regulation_title(p.text, p.lang, lex);
                r.action = titled.then_some(Action::Approve);
                r.target = r.target.filter(|_| titled);
            }
            r
        })
        .collect();
    // A regulation's title in the text counts as approved only when the act approves something it does not name
    // otherwise (`Утвердить прилагаемые:`): not when it only agrees to it, nor when what it approves is named and
    // is something else (a plan, a composition).
    let approving: Vec<&Reading> = places
        .iter()
        .zip(&readings)
        .filter(|(p, r)| p.kind != PlaceKind::Heading && r.action == Some(Action::Approve))
        .map(|(_, r)| r)
        .collect();
    let agrees = places
        .iter()
        .zip(&readings)
        .any(|(p, r)| p.kind != PlaceKind::Heading && r.action == Some(Action::Agree));
    // Where no title or point the parser found approves anything, nothing tells what the act approves: its headings
    // are read as they stand, unless it only agrees to them.
    let approves_unnamed = if approving.is_empty() {
        !agrees
    } else {
        approving
            .iter()
            .any(|r| r.target.is_some() || !r.other_object)
    };
    if !approves_unnamed {
        for (p, r) in places.iter().zip(readings.iter_mut()) {
            if p.kind == PlaceKind::Heading {
                r.action = None;
            }
        }
    }
    (readings, approves_unnamed)
}

/// An act whose points name a body, and no rules or procedure, and whose text holds a regulation that no point
/// names: cut off in its points (an excerpt), or with a regulation's chapter (`Жалпы ережелер`) after points that
/// say no `Положение` (`… Ассамблеясы мына құрамда бекітілсін`, the regulation after it).
fn annexed_regulation(
    doc: &Document,
    norm: &NormText,
    places: &[Place<'_>],
    readings: &[Reading],
    lex: &Lexicon,
) -> Option<Classification> {
    // An act whose points name a body, and no rules or procedure, and whose annex is a regulation's text (a chapter
    // `Жалпы ережелер`) though no point says `Положение` (`… Ассамблеясы мына құрамда бекітілсін`, the regulation
    // after it).
    let names_body = places
        .iter()
        .zip(readings)
        .any(|(p, r)| r.body && p.kind != PlaceKind::Heading);
    if !names_body || readings.iter().any(|r| r.rules) {
        return None;
    }
    {
        // A text cut off in its points (an excerpt) whose points concern a body: what follows them is not there
        // to tell, and acts on a body (`Реорганизовать государственное учреждение …`) approve its regulation.
        let text_end = norm.text.trim_end().len();
        let stops_in_points = doc.points.last().is_some_and(|p| p.block.end >= text_end);
        if doc.truncated && stops_in_points {
            if let Some((p, _)) = places
                .iter()
                .zip(readings)
                .find(|(p, r)| r.body && p.kind == PlaceKind::Point)
            {
                return Some(Classification {
                    class: ActClass::ApprovesRegulation,
                    reason: format!(
                        "the text stops in its points, which concern a body: {} «{}»",
                        p.what,
                        clip(p.text)
                    ),
                });
            }
        }
        let h = structure_heading(doc, lex, false)?;
        Some(Classification {
            class: ActClass::ApprovesRegulation,
            reason: format!(
                "its points name a body and its text holds a regulation's chapter «{}»",
                clip(&h.text)
            ),
        })
    }
}

/// What a place says the act does (read outside quoted titles), and whether it names a body's regulation or
/// charter (read anywhere in it, quoted titles included).
fn read_place(text: &str, lex: &Lexicon) -> Reading {
    // A title or a point says what the act does in its first sentences; a block the parser let run on (a point
    // followed by a million list lines) is read no further than that.
    let cut = text
        .char_indices()
        .nth(PLACE_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let lower = lowercase(&text[..cut]);
    let outside = word_list(&unquoted(&lower));
    let all = word_list(&lower);
    let (outside, all): (Vec<&str>, Vec<&str>) = (
        outside.iter().map(String::as_str).collect(),
        all.iter().map(String::as_str).collect(),
    );
    // Every place where a signal's phrases stand among `words`, as word ranges.
    let spans = |signal: &str, words: &[&str]| -> Vec<(usize, usize)> {
        phrases(lex, signal)
            .flat_map(|p| {
                (0..words.len())
                    .filter(move |&i| p.matches_at(words, i))
                    .map(move |i| (i, i + p.stems.len()))
            })
            .collect()
    };
    let has = |signal: &str| !spans(signal, &all).is_empty();
    // The first action named outside quotes decides: `О внесении изменений в решение «Об утверждении …»` amends.
    let action = [
        (Action::Approve, "approve"),
        (Action::Amend, "amend"),
        (Action::Repeal, "repeal"),
        (Action::Agree, "agree"),
    ]
    .into_iter()
    .filter_map(|(a, signal)| {
        spans(signal, &outside)
            .iter()
            .map(|s| s.0)
            .min()
            .map(|at| (at, a))
    })
    .min_by_key(|(at, _)| *at)
    .map(|(_, a)| a);
    let body = has("body");
    // Rules words inside a regulation's own phrase do not count (`… комиссиялар туралы Қағида`, the Kazakh name of a
    // commission's regulation, holds `қағида`).
    let regulation_spans = spans("regulation", &all);
    let rules = spans("rules", &all)
        .iter()
        .any(|&(a, b)| !regulation_spans.iter().any(|&(ra, rb)| ra <= a && b <= rb));
    let other_object = has("other-object");
    let target = if rules || !body {
        None
    } else if !regulation_spans.is_empty() {
        Some("a body's regulation")
    } else if has("charter") {
        Some("a body's charter")
    } else {
        None
    };
    Reading {
        action,
        target,
        body,
        rules,
        other_object,
    }
}

/// Whether a line is a regulation's or charter's own title: its noun stands first (`Положение о …`, `Жарғы …`) or,
/// in Kazakh, among its last two words (`… мекемесінің Ережесі`, `… туралы Ереже`).
fn is_regulation_title(text: &str, lang: Lang, lex: &Lexicon) -> bool {
    let words = word_list(&lowercase(text));
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    let at = |i: usize| {
        ["regulation", "charter"]
            .iter()
            .any(|signal| phrases(lex, signal).any(|p| p.matches_at(&refs, i)))
    };
    let n = refs.len();
    n > 0 && (at(0) || (lang == Lang::Kk && (at(n - 1) || (n > 1 && at(n - 2)))))
}

/// A regulation's text alone: a first line naming a regulation of a body, or the chapter headings of one.
fn regulation_text(doc: &Document, lang: Lang, lex: &Lexicon) -> Option<Classification> {
    let title = doc.title.as_ref().or(doc.header.first());
    if let Some(t) = title {
        let target = read_place(&t.text, lex).target;
        if let Some(target) = target.filter(|_| is_regulation_title(&t.text, lang, lex)) {
            return Some(Classification {
                class: ActClass::RegulationText,
                reason: format!(
                    "no approving act; its title names {target}: «{}»",
                    clip(&t.text)
                ),
            });
        }
    }
    let heading = structure_heading(doc, lex, true)?;
    Some(Classification {
        class: ActClass::RegulationText,
        reason: format!(
            "no approving act; a regulation's chapter «{}»",
            clip(&heading.text)
        ),
    })
}

/// A chapter heading of a regulation's own text (`Общие положения`); with `paragraphs`, the first lines of the first
/// paragraphs too (a fragment without its headings: `… заңды тұлға болып табылады`).
fn structure_heading<'d>(
    doc: &'d Document,
    lex: &Lexicon,
    paragraphs: bool,
) -> Option<&'d crate::parse::Block> {
    let first_lines = doc
        .paragraphs()
        .take(if paragraphs { 5 } else { 0 })
        .map(|p| &p.head);
    doc.chapters
        .iter()
        .filter_map(|c| c.heading.as_ref())
        .chain(first_lines)
        .find(|h| {
            let words = word_list(&lowercase(&h.text));
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            phrases(lex, "structure").any(|p| p.find_in(&refs).is_some())
        })
}

/// The text with every quoted span (the outermost quotes and what they hold) blanked, unless the whole text is one
/// quoted span (a title given in quotes).
fn unquoted(text: &str) -> String {
    let (spans, _) = quoted_spans(text);
    let trimmed = text.trim();
    let whole = spans.iter().any(|q| {
        q.depth == 0
            && text[..q.open].trim().chars().count() <= 1
            && text[q.close..].trim().chars().count() <= 1
    });
    if whole || trimmed.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for q in spans.iter().filter(|q| q.depth == 0) {
        if q.open < at {
            continue;
        }
        out.push_str(&text[at..q.open]);
        out.push_str(" … ");
        at = q.close;
    }
    out.push_str(&text[at..]);
    out
}

/// The phrases of a signal in both languages: a text's class words count whichever language they are in (a
/// Kazakh text taken for Russian, a Russian one quoting a Kazakh title).
fn phrases<'a>(
    lex: &'a Lexicon,
    signal: &'a str,
) -> impl Iterator<Item = &'a crate::lexicon::StemPhrase> + 'a {
    [Lang::Kk, Lang::Ru]
        .into_iter()
        .flat_map(move |l| lex.act_class_phrases(signal, l))
}

/// The words of a lowercase text, hyphenated words split (`пресс-центре` → `пресс`, `центре`).
fn word_list(text: &str) -> Vec<String> {
    crate::text::words(text)
        .into_iter()
        .flat_map(|(_, _, w)| {
            w.split('-')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The first 120 characters of a text, for a reason.
fn clip(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_string(),
    }
}
