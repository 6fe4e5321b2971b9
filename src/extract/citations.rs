//! Citations of legal acts: the Constitution, laws, codes, decrees, resolutions, orders and decisions a text
//! names, with their title, date, number, issuer and pinpoint (article → paragraph → subparagraph), resolved where
//! possible to the reference table of acts so that one act is one node however it is cited.
//!
//! Kazakh puts everything before the act-type word and the pinpoint after it (`"… туралы" Қазақстан
//! Республикасының 2001 жылғы 23 қаңтардағы Заңының 31-бабы 2-тармағына`); Russian puts the pinpoint before the
//! type word and the rest after it (`пунктом 2 статьи 31 Закона … от 23 января 2001 года "…"`). The extractor
//! anchors on the type word and reads the clause around it.

use super::dates::{dates, numbers};
use super::units::{find_units, with_region, RegionRef};
use super::BodyRef;
use crate::lexicon::{lower_same_len, lowercase, words, ActTypePattern, Lang, Lexicon};
use crate::parse::quotes::{outer_quotes, Quote};
use serde::Serialize;

/// A legal act as a citation names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ActRef {
    /// `akg:` act type local name.
    pub act_type: String,
    /// ISO date, if given.
    pub date: Option<String>,
    /// Number as written, if given.
    pub number: Option<String>,
    /// Title as written, if given (without outer quotes).
    pub title: Option<String>,
    /// The local body that issued it, for local acts.
    pub issuer: Option<BodyRef>,
    /// The id of the act's row in `data/reference/acts.tsv`, when the citation resolved to one.
    pub reference: Option<String>,
    /// What kind of document an act known by its issuer alone is (`rules`: a body's rules of procedure).
    pub form: Option<String>,
}

/// How a citation reached its act node.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Resolved {
    /// Through a row of `data/reference/acts.tsv` (by type with date and number, or by title).
    ReferenceTable,
    /// By the act's own type (and, for local acts, issuer), date and number.
    DateAndNumber,
    /// By its issuer alone: a body's rules of procedure.
    Issuer,
    /// Not identified: the act is kept as its own node with the text as written (`citations --unresolved`).
    Unresolved,
}

impl ActRef {
    /// How this act was identified.
    pub fn resolved(&self) -> Resolved {
        if self.reference.is_some() {
            Resolved::ReferenceTable
        } else if self.form.is_some() && self.issuer.is_some() {
            Resolved::Issuer
        } else if self.date.is_some()
            && self.number.is_some()
            && (!self.is_local() || self.issuer.is_some())
        {
            Resolved::DateAndNumber
        } else {
            Resolved::Unresolved
        }
    }

    /// Whether the act is an act of a local body (akimat, akim, maslikhat).
    pub fn is_local(&self) -> bool {
        matches!(
            self.act_type.as_str(),
            "AkimatResolution" | "AkimDecision" | "MaslikhatDecision"
        )
    }
}

/// A place inside an act.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Pinpoint {
    /// Article (бап / статья).
    pub article: Option<String>,
    /// Paragraph (тармақ / пункт).
    pub paragraph: Option<String>,
    /// Subparagraph (тармақша / подпункт).
    pub subparagraph: Option<String>,
}

/// One citation in a text.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    /// The act cited.
    pub act: ActRef,
    /// The places cited inside it; empty when the act is cited as a whole.
    pub pinpoints: Vec<Pinpoint>,
    /// The citation as written (normalised).
    pub text: String,
    /// Byte offset in the normalised text of the word naming its type (several citations share it when one word
    /// names several acts).
    #[serde(skip)]
    pub anchor: usize,
    /// Whether it points back to an act named earlier (`осы Заңына`, `указанным решением`); its act is then that
    /// act, whose date and number the words themselves do not state.
    pub back_reference: bool,
    /// Byte range in the normalised text.
    #[serde(skip)]
    pub start: usize,
    /// End of the byte range.
    #[serde(skip)]
    pub end: usize,
    /// Char offset in the decoded original.
    pub char_start: usize,
    /// End char offset.
    pub char_end: usize,
}

impl Citation {
    /// A citation of `act` written at `span` (bytes of the segment's text), its type word at `anchor`.
    fn in_segment(
        seg: &Segment<'_>,
        (start, end): (usize, usize),
        anchor: usize,
        act: ActRef,
        pinpoints: Vec<Pinpoint>,
    ) -> Citation {
        let (abs_start, abs_end) = (seg.start + start, seg.start + end);
        let (char_start, char_end) = seg.norm.orig_range(abs_start, abs_end);
        Citation {
            act,
            pinpoints,
            text: seg.norm.text[abs_start..abs_end].to_string(),
            anchor: seg.start + anchor,
            back_reference: false,
            start: abs_start,
            end: abs_end,
            char_start,
            char_end,
        }
    }
}

use crate::lexicon::title_key;

/// Whether two title keys name one act: equal, or sharing the first five letters of their words at a Dice
/// coefficient of 0.85 or more. The first comes with its words so cut ([`title_stems`]), made once per citation.
fn similar_titles((a, sa): (&str, &[&str]), b: &str) -> bool {
    if a == b {
        return true;
    }
    let sb = title_stems(b);
    if sa.is_empty() || sb.is_empty() {
        return false;
    }
    let common = sa.iter().filter(|w| sb.contains(w)).count();
    let score = 2.0 * common as f64 / (sa.len() + sb.len()) as f64;
    score >= 0.85
}

/// The words of a title key cut to their first five letters, as [`similar_titles`] compares them.
fn title_stems(key: &str) -> Vec<&str> {
    key.split_whitespace()
        .map(|w| &w[..w.char_indices().nth(5).map_or(w.len(), |(i, _)| i)])
        .collect()
}

/// The byte spans of the outermost round brackets of a text (an unclosed one runs to its end).
fn round_brackets(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push((open, i));
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        out.push((open, text.len()));
    }
    out
}

/// Whether two numbers of one act agree: the same once written alike (Latin look-alikes of Roman numerals, the
/// `ЗРК` suffix and spaces aside), or one the bare number of the other (`148` and `148-II`: tables and texts drop the
/// convocation).
pub fn numbers_agree(a: &str, b: &str) -> bool {
    let letters = crate::text::letters_or_builtin();
    let norm = |n: &str| -> String {
        let upper: String = n
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '–' | '—' => '-',
                c => letters.roman(c).unwrap_or(c.to_ascii_uppercase()),
            })
            .collect();
        let mut bare = upper.as_str();
        for suffix in letters.number_suffixes() {
            bare = bare.trim_end_matches(suffix);
        }
        bare.trim_end_matches(['-', '–']).to_string()
    };
    let (a, b) = (norm(a), norm(b));
    if a == b {
        return true;
    }
    let bare = |n: &str| n.chars().all(|c| c.is_ascii_digit());
    let head = |n: &str| n.split(['-', '–']).next().unwrap_or("").to_string();
    (bare(&a) && head(&b) == a) || (bare(&b) && head(&a) == b)
}

/// Resolves an act to the reference table: by type, date and number where given, else by title. Of several acts of
/// one title (an old and a new code), the one in force at `date` (the citing act's date): the latest not after it,
/// else the latest.
pub fn resolve(act: &mut ActRef, lex: &Lexicon, date: Option<&str>) {
    if act.is_local() {
        return;
    }
    let key = act.title.as_deref().map(title_key);
    let key_stems = key.as_deref().map(title_stems);
    let fitting: Vec<&crate::lexicon::RefAct> = lex
        .acts
        .iter()
        .filter(|r| {
            if r.act_type != act.act_type {
                return false;
            }
            let (date_eq, date_conflict) = match (&act.date, &r.date) {
                (Some(a), Some(b)) => (a == b, a != b),
                _ => (false, false),
            };
            let (number_eq, number_conflict) = match (&act.number, &r.number) {
                (Some(a), Some(b)) => (numbers_agree(a, b), !numbers_agree(a, b)),
                _ => (false, false),
            };
            if date_conflict || number_conflict {
                return false;
            }
            let title_ok = key
                .as_deref()
                .zip(key_stems.as_deref())
                .is_some_and(|k| r.titles.iter().any(|(_, t)| similar_titles(k, t)));
            // The Constitution is one act: its name alone identifies it.
            date_eq || number_eq || title_ok || act.act_type == "Constitution"
        })
        .collect();
    let found = match fitting[..] {
        [] => None,
        [one] => Some(one),
        _ => {
            let in_force = fitting
                .iter()
                .filter(|r| match (date, r.date.as_deref()) {
                    (Some(d), Some(rd)) => rd <= d,
                    _ => true,
                })
                .max_by(|a, b| a.date.cmp(&b.date));
            in_force
                .or_else(|| fitting.iter().max_by(|a, b| a.date.cmp(&b.date)))
                .copied()
        }
    };
    act.reference = found.map(|r| r.id.clone());
}

/// Where a segment of normalised text sits, so that citations get their original offsets.
pub struct Segment<'a> {
    /// The normalised text of the whole document.
    pub norm: &'a crate::normalize::NormText,
    /// Byte range of the segment in it.
    pub start: usize,
    /// End of the range.
    pub end: usize,
}

/// Why a word naming a type of act was not taken as a citation. Every such word of a text is either a citation or
/// one of these, so nothing is dropped silently.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub enum NotCited {
    /// Inside a quoted title or name (`«… Заңына өзгерістер енгізу туралы»`).
    InsideQuotes,
    /// Part of a citation already read (`… Указом Президента …` inside its clause).
    PartOfCitation,
    /// The document itself (`осы қаулы`, `настоящее решение`).
    SelfReference,
    /// The resolution's own closing words (`ҚАУЛЫ ЕТЕДІ`, `РЕШИЛ`).
    ClosingWords,
    /// Legislation in general (`заңнама`, `законодательство`, `заңдарына` without titles).
    LegislationInGeneral,
    /// A pointer back to an act named before (`осы Заңына`, `указанным решением`); read as a citation of that act
    /// when one is found.
    BackReference,
    /// The model text another act approves (`Мәслихаттың үлгі регламенті`), cited through that act.
    AnnexOfAct,
    /// A type word naming no particular act: no title, date or number (`мәслихат шешімдері`, `приказом`).
    NoParticularAct,
}

/// A word naming a type of act that is not a citation, where it stands and why.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    /// The word as written (normalised).
    pub word: String,
    /// The type its pattern names (`Law`, `Decision`, …; see `data/lexicon/act-types.tsv`).
    #[serde(rename = "type")]
    pub act_type: String,
    /// Why it is not a citation.
    pub reason: NotCited,
    /// Byte offset in the normalised text.
    #[serde(skip)]
    pub start: usize,
    /// Char offset in the decoded original.
    pub char_start: usize,
    /// End char offset.
    pub char_end: usize,
}

/// The citations of a text, and the words naming act types that are not citations.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The citations.
    pub citations: Vec<Citation>,
    /// The other words naming act types, each with its reason.
    pub not_cited: Vec<Mention>,
}

/// What the citation reader knows of the document: its tables, language, region, and the body that passed it
/// (so that `аудандық мәслихаттың Регламенті` is the regulation's own maslikhat's rules).
pub struct Context<'a> {
    /// The tables.
    pub lex: &'a Lexicon,
    /// The document's language.
    pub lang: Lang,
    /// The document's region.
    pub region: Option<&'a RegionRef>,
    /// The body that passed the document's act.
    pub own_body: Option<&'a BodyRef>,
    /// The date of the document's act (ISO), if known: an act cited by its title alone is the one of that title in
    /// force then.
    pub date: Option<&'a str>,
}

/// Finds the citations of legal acts in a segment of the normalised text, and accounts for every other word that
/// names a type of act.
pub fn find_citations(seg: &Segment<'_>, ctx: &Context<'_>) -> Found {
    let text = &seg.norm.text[seg.start..seg.end];
    let lower = lower_same_len(text);
    let (pairs, orphans) = outer_quotes(text);
    let mut reader = CitationReader {
        seg,
        ctx,
        text,
        lower,
        pairs,
        orphans,
        ws: words(text),
        found: Found::default(),
        prev_end: 0,
    };
    for k in 0..reader.ws.len() {
        reader.read_word(k);
    }
    reader.found
}

/// A segment as the citation reader goes through it word by word: its text, lowercase copy, quotes and words, and
/// what it has found so far.
struct CitationReader<'r> {
    seg: &'r Segment<'r>,
    ctx: &'r Context<'r>,
    /// The segment's text.
    text: &'r str,
    /// Its lowercase copy, byte for byte the same length.
    lower: String,
    /// Its outer quotes.
    pairs: Vec<Quote>,
    /// Closing quotes without an opening one.
    orphans: Vec<usize>,
    /// Its words: start, end, lowercase word.
    ws: Vec<(usize, usize, String)>,
    found: Found,
    /// Where the last citation read ends.
    prev_end: usize,
}

/// What the clause around a type word states of the act it names.
struct Clause {
    /// Where the clause starts.
    window_start: usize,
    /// Where the act's elements are looked for: before the type word in Kazakh, after it in Russian.
    elements: (usize, usize),
    /// The quoted titles in it.
    titles: Vec<(usize, usize)>,
    date: Spotted,
    number: Spotted,
    /// Where the issuer word stands.
    issuer_at: Option<usize>,
    act_type: String,
    /// The local body that issued the act.
    issuer_body: Option<BodyRef>,
    /// Where the act's name starts: its type word, or the adjectives of a code's name.
    named_from: usize,
    /// A code's name made of its adjectives.
    code_name: Option<String>,
}

impl CitationReader<'_> {
    /// Whether a byte of the text stands inside quotes.
    fn in_quotes(&self, pos: usize) -> bool {
        self.pairs.iter().any(|q| q.open <= pos && pos < q.close)
    }

    /// Files word `k`, of the pattern's type, as no citation, for a reason.
    fn skip(&mut self, k: usize, pattern: &ActTypePattern, reason: NotCited) {
        let (ws_start, ws_end) = (self.ws[k].0, self.ws[k].1);
        let (abs_start, abs_end) = (self.seg.start + ws_start, self.seg.start + ws_end);
        let (char_start, char_end) = self.seg.norm.orig_range(abs_start, abs_end);
        self.found.not_cited.push(Mention {
            word: self.text[ws_start..ws_end].to_string(),
            act_type: pattern.act_type.clone(),
            reason,
            start: abs_start,
            char_start,
            char_end,
        });
    }

    /// Reads word `k` when it names a type of act: the citations it makes, or why it makes none.
    fn read_word(&mut self, k: usize) {
        let lex = self.ctx.lex;
        let ws_start = self.ws[k].0;
        let Some((pattern, matched)) = lex.act_type_at(self.ctx.lang, &self.lower[ws_start..])
        else {
            return;
        };
        if self.in_quotes(ws_start) {
            self.skip(k, pattern, NotCited::InsideQuotes);
            return;
        }
        if ws_start < self.prev_end {
            self.skip(k, pattern, NotCited::PartOfCitation);
            return;
        }
        // The type word ends where its word ends (`Жарлығының`), whatever part of it the pattern names.
        let anchor_end = word_end(self.text, ws_start + matched);
        let prev_word = k
            .checked_sub(1)
            .map(|p| self.ws[p].2.as_str())
            .unwrap_or("");
        if let Some(reason) = reference_not_act(prev_word, &pattern.act_type, lex) {
            self.skip(k, pattern, reason);
            return;
        }
        // A body's own rules of procedure (`аудандық мәслихаттың Регламентіне`, `Регламентом районного
        // маслихата`): an act named by its issuer alone.
        if pattern.act_type == "Rules" {
            match rules_citation(self.seg, self.text, &self.ws, k, self.ctx) {
                Some(c) => {
                    self.prev_end = c.end - self.seg.start;
                    self.found.citations.push(c);
                }
                None => self.skip(k, pattern, NotCited::NoParticularAct),
            }
            return;
        }
        // The resolution's own closing words (ҚАУЛЫ ЕТЕДІ, ШЕШІМ ҚАБЫЛДАДЫ) are not a citation.
        if lex
            .phrases("preamble_end")
            .any(|p| self.lower[ws_start..].starts_with(p))
        {
            self.skip(k, pattern, NotCited::ClosingWords);
            return;
        }
        if lex.phrases("not_act").any(|p| self.ws[k].2.starts_with(p)) && !pattern.plural {
            self.skip(k, pattern, NotCited::LegislationInGeneral);
            return;
        }
        match self.clause(k, pattern, anchor_end) {
            Ok(clause) => self.cite(k, pattern, anchor_end, &clause),
            Err(reason) => self.skip(k, pattern, reason),
        }
    }

    /// The clause the citation at type word `k` stands in: where it starts, and where the act's elements are.
    fn clause_bounds(&self, k: usize, anchor_end: usize) -> (usize, usize, usize) {
        let (lex, lang) = (self.ctx.lex, self.ctx.lang);
        let ws_start = self.ws[k].0;
        let window_start = clause_start(self.text, self.prev_end, ws_start, &self.pairs);
        let (elements_from, elements_to) = match lang {
            Lang::Kk => (window_start, ws_start),
            Lang::Ru => {
                // The clause ends at a comma or semicolon, or where the next act is named (`… № 410 «…» и с
                // пунктом 65 Указа …`).
                let next_anchor = self.ws[k + 1..]
                    .iter()
                    .find(|(s, _, _)| {
                        *s >= anchor_end
                            && !self.in_quotes(*s)
                            && lex.act_type_at(lang, &self.lower[*s..]).is_some()
                    })
                    .map(|(s, _, _)| *s)
                    .unwrap_or(self.text.len());
                let end = clause_end(self.text, anchor_end, &self.pairs).min(next_anchor);
                (anchor_end, end.max(anchor_end))
            }
        };
        (window_start, elements_from, elements_to)
    }

    /// What the clause of type word `k` states of the act: titles, date, number, issuer, and the act's type; or why
    /// it names no particular act.
    fn clause(
        &self,
        k: usize,
        pattern: &ActTypePattern,
        anchor_end: usize,
    ) -> Result<Clause, NotCited> {
        let (lex, lang, text) = (self.ctx.lex, self.ctx.lang, self.text);
        let (window_start, elements_from, elements_to) = self.clause_bounds(k, anchor_end);
        let window = &text[elements_from..elements_to];
        let titles = titles_in(
            text,
            &self.pairs,
            &self.orphans,
            (elements_from, elements_to),
            self.ctx,
        );
        if pattern.plural && titles.is_empty() {
            // "заңдарына" without titles: the laws in general.
            return Err(NotCited::LegislationInGeneral);
        }
        let (date, number) = date_and_number(window, elements_from, lang, lex);
        let issuer = issuer_in(window, elements_from, lang, lex);
        let act_type = typed(&pattern.act_type, issuer.map(|(i, _)| i));
        // Local issuers: the unit named in the clause.
        let local_type =
            ["AkimatResolution", "AkimDecision", "MaslikhatDecision"].contains(&act_type.as_str());
        let issuer_body = issuer
            .filter(|_| local_type)
            .and_then(|(i, pos)| issuing_body(text, (window_start, pos, elements_to), i, self.ctx));
        let (named_from, code_name) = self.code_name(k, anchor_end, &act_type, &titles);
        // A bare type word (бұйрық, мәслихат шешімі) without title, date or number names no particular act.
        if titles.is_empty()
            && code_name.is_none()
            && date.is_none()
            && number.is_none()
            && act_type != "Constitution"
        {
            return Err(NotCited::NoParticularAct);
        }
        let act_type = if issuer_body.is_none() && local_type && date.is_none() {
            // A local act without unit or date cannot be told from the others; keep it as an other act.
            "OtherAct".to_string()
        } else {
            act_type
        };
        Ok(Clause {
            window_start,
            elements: (elements_from, elements_to),
            titles,
            date,
            number,
            issuer_at: issuer.map(|(_, p)| p),
            act_type,
            issuer_body,
            named_from,
            code_name,
        })
    }

    /// Where the name of the act at type word `k` starts, and the name of a code named by its adjectives
    /// (`Гражданского кодекса`, `Азаматтық кодексі`): they are its title.
    fn code_name(
        &self,
        k: usize,
        anchor_end: usize,
        act_type: &str,
        titles: &[(usize, usize)],
    ) -> (usize, Option<String>) {
        let mut named_from = self.ws[k].0;
        let mut code_name: Option<String> = None;
        if act_type == "Code" && titles.is_empty() {
            if let Some(from) = code_adjectives(self.text, &self.ws, k, self.ctx.lang, self.ctx.lex)
            {
                named_from = from;
                code_name = Some(self.text[from..anchor_end].trim().to_string());
            }
        }
        (named_from, code_name)
    }

    /// The pinpoints of the citation at type word `k` and the span it covers (in Russian the pinpoints stand before
    /// the adjectives of a code's name).
    fn pinpoints_and_span(
        &self,
        k: usize,
        anchor_end: usize,
        c: &Clause,
    ) -> (Vec<Pinpoint>, usize, usize) {
        let (text, lower) = (self.text, self.lower.as_str());
        let (ws_start, window_start, named_from) = (self.ws[k].0, c.window_start, c.named_from);
        let (pinpoints, pin_end) = match self.ctx.lang {
            Lang::Kk => kk_pinpoints(lower, anchor_end),
            Lang::Ru => ru_pinpoints(&lower[window_start..named_from.max(window_start)]),
        };
        let end = pin_end.max(anchor_end);
        let start_candidates = [
            c.titles.first().map(|t| t.0.saturating_sub(1)),
            (named_from < ws_start).then_some(named_from),
            c.date.as_ref().map(|d| d.1),
            c.number.as_ref().map(|n| n.1),
            c.issuer_at,
        ];
        let start = match self.ctx.lang {
            Lang::Kk => start_candidates
                .iter()
                .flatten()
                .copied()
                .min()
                .unwrap_or(ws_start)
                .min(ws_start),
            Lang::Ru => ru_pin_start(&lower[window_start..named_from.max(window_start)])
                .map(|s| window_start + s)
                .unwrap_or(named_from),
        };
        let end = match self.ctx.lang {
            Lang::Kk => end,
            Lang::Ru => [
                c.titles.last().map(|t| t.1 + 1),
                c.date.as_ref().map(|d| d.2),
                c.number.as_ref().map(|n| n.2),
            ]
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(end)
            .max(end)
            .min(text.len()),
        };
        (pinpoints, start, end)
    }

    /// Files the citations the type word `k` makes, one for each act its clause names.
    fn cite(&mut self, k: usize, pattern: &ActTypePattern, anchor_end: usize, c: &Clause) {
        let (lex, lang, text, ws_start) = (self.ctx.lex, self.ctx.lang, self.text, self.ws[k].0);
        let (pinpoints, start, end) = self.pinpoints_and_span(k, anchor_end, c);
        let titles = &c.titles;
        let title_list: Vec<Option<String>> = if titles.is_empty() {
            vec![c.code_name.clone()]
        } else if pattern.plural {
            titles
                .iter()
                .map(|(s, e)| Some(text[*s..*e].trim().to_string()))
                .collect()
        } else {
            vec![titles.last().map(|(s, e)| text[*s..*e].trim().to_string())]
        };
        let (start, end) = (floor_char(text, start), floor_char(text, end));
        let requisites = |k: usize| {
            if !pattern.plural || titles.is_empty() {
                return (
                    c.date.as_ref().map(|d| d.0.clone()),
                    c.number.as_ref().map(|n| n.0.clone()),
                );
            }
            own_requisites(text, titles, k, c.elements, lang, lex)
        };
        for (k, title) in title_list.into_iter().enumerate() {
            let (act_date, act_number) = requisites(k);
            let mut act = ActRef {
                act_type: c.act_type.clone(),
                date: act_date,
                number: act_number,
                title,
                issuer: c.issuer_body.clone(),
                reference: None,
                form: None,
            };
            resolve(&mut act, lex, self.ctx.date);
            self.found.citations.push(Citation::in_segment(
                self.seg,
                (start, end),
                ws_start,
                act,
                pinpoints.clone(),
            ));
        }
        self.prev_end = end;
    }
}

/// The date and number of title `k` of several acts named at once (`Указами … от … № 410 «…» и от … № 704 «…»`):
/// those next to it, before it in Russian and after it in Kazakh, within its share of the clause (`from..to`).
fn own_requisites(
    text: &str,
    titles: &[(usize, usize)],
    k: usize,
    (from, to): (usize, usize),
    lang: Lang,
    lex: &Lexicon,
) -> (Option<String>, Option<String>) {
    let (s, e) = titles[k];
    let prev_end = if k == 0 { from } else { titles[k - 1].1 };
    let next_start = titles.get(k + 1).map_or(to, |t| t.0);
    let before = (prev_end.min(s), s);
    let after = (e.min(next_start), next_start);
    let look = |(a, b): (usize, usize)| {
        let part = &text[a..b];
        let d = dates(part, lex).into_iter().next().map(|d| d.iso);
        let n = numbers(part).into_iter().next().map(|n| n.0);
        (d.is_some() || n.is_some()).then_some((d, n))
    };
    let order = match lang {
        Lang::Ru => [before, after],
        Lang::Kk => [after, before],
    };
    order.into_iter().find_map(look).unwrap_or((None, None))
}

/// The last issuer word of a clause (`window`, starting at byte `from` of the segment) and where it stands.
fn issuer_in<'l>(
    window: &str,
    from: usize,
    lang: Lang,
    lex: &'l Lexicon,
) -> Option<(&'l crate::lexicon::Issuer, usize)> {
    words(window).iter().rev().find_map(|(s, _, w)| {
        lex.issuers
            .iter()
            .find(|i| i.lang == lang && w.starts_with(&i.stem))
            .map(|i| (i, from + s))
    })
}

/// The type of an act named by a type word of the pattern's type: a resolution, decision or order takes its type from
/// its issuer (`әкімдігінің қаулысы` is an akimat resolution), an other act when there is none.
fn typed(pattern_type: &str, issuer: Option<&crate::lexicon::Issuer>) -> String {
    let of = |f: fn(&crate::lexicon::Issuer) -> &String| {
        issuer.map_or_else(|| "OtherAct".to_string(), |i| f(i).clone())
    };
    match pattern_type {
        "Resolution" => of(|i| &i.resolution),
        "Decision" => of(|i| &i.decision),
        "Order" => of(|i| &i.order),
        t => t.to_string(),
    }
}

/// The local body that issued a cited act: the issuer word's kind of body and the unit named beside it in the clause
/// (`clause` is its start, the issuer word's position and its end). The unit stands before the issuer word in Kazakh
/// (`Ақсу қаласы әкімдігінің`) and after it in Russian (`акимата Мангистауской области`), unless a Russian adjective
/// precedes it (`Алгинского районного маслихата`).
fn issuing_body(
    text: &str,
    (start, pos, end): (usize, usize, usize),
    issuer: &crate::lexicon::Issuer,
    ctx: &Context<'_>,
) -> Option<BodyRef> {
    let (lex, lang) = (ctx.lex, ctx.lang);
    (issuer.body != "-").then_some(())?;
    let before = find_units(&text[start..pos.max(start)], lex, lang);
    let unit = match lang {
        Lang::Kk => before.last().map(|m| m.unit.clone()),
        Lang::Ru => {
            let adjectival = before
                .last()
                .filter(|m| text[start + m.end..pos].trim().is_empty())
                .map(|m| m.unit.clone());
            let issuer_end = word_end(text, pos);
            adjectival.or_else(|| {
                find_units(&text[issuer_end..end.max(issuer_end)], lex, lang)
                    .first()
                    .map(|m| m.unit.clone())
            })
        }
    }?;
    Some(BodyRef {
        kind: issuer.body.clone(),
        unit: with_region(unit, ctx.region, lex),
    })
}

/// A value found in a clause, with its start and end in bytes of the segment.
type Spotted = Option<(String, usize, usize)>;

/// The date and number of the act a clause names (`window`, starting at byte `from` of the segment): the last before
/// the type word in Kazakh, the first after it in Russian. Dates and numbers in round brackets are the act's
/// registration and publication (`(… 2015 жылдың 6 тамызында №3308 тіркелген, … жарияланған)`), not its own.
fn date_and_number(window: &str, from: usize, lang: Lang, lex: &Lexicon) -> (Spotted, Spotted) {
    let nearest = |mut v: Vec<(String, usize, usize)>| match lang {
        Lang::Kk => v.pop(),
        Lang::Ru => (!v.is_empty()).then(|| v.remove(0)),
    };
    let bracketed = round_brackets(window);
    let outside = |at: usize| !bracketed.iter().any(|&(o, c)| o < at && at < c);
    let date = nearest(
        dates(window, lex)
            .into_iter()
            .filter(|d| outside(d.start))
            .map(|d| (d.iso, from + d.start, from + d.end))
            .collect(),
    );
    let number = nearest(
        numbers(window)
            .into_iter()
            .filter(|(_, s, _)| outside(*s))
            .map(|(n, s, e)| (n, from + s, from + e))
            .collect(),
    );
    (date, number)
}

/// The quoted titles of acts in a clause (`from..to` of the segment's text); in Kazakh, a title whose opening quote
/// was lost is found by an orphan closing quote after a `title_end` phrase (`… туралы"`).
fn titles_in(
    text: &str,
    pairs: &[Quote],
    orphans: &[usize],
    (from, to): (usize, usize),
    ctx: &Context<'_>,
) -> Vec<(usize, usize)> {
    let mut titles: Vec<(usize, usize)> = pairs
        .iter()
        .filter(|q| q.open > from && q.close <= to)
        .filter(|q| ctx.lex.is_title(&text[q.open..q.close], ctx.lang))
        .map(|q| (q.open, q.close))
        .collect();
    if !titles.is_empty() || ctx.lang != Lang::Kk {
        return titles;
    }
    let Some(&close) = orphans.iter().rev().find(|&&o| o > from && o < to) else {
        return titles;
    };
    let before = lowercase(text[..close].trim_end());
    if ctx
        .lex
        .phrases_in("title_end", Lang::Kk)
        .any(|t| before.ends_with(t))
    {
        // The title then starts with a quoted name (`"Ақсу … бөлімі" мемлекеттік мекемесінің … туралы"`): keep that
        // name's opening quote in the title.
        let open = pairs
            .iter()
            .find(|q| q.open > from && q.close < close)
            .map(|q| floor_char(text, q.open - 1))
            .unwrap_or(from);
        titles.push((open, close));
    }
    titles
}

/// Why the words before a type word make it no citation of a particular act: a self-reference (`осы қаулы`,
/// `настоящее решение`; `осы Заң` of a national act points back to one named before), a back-reference
/// (`указанным решением`, see `extract::anaphora`), or the model text an act approves (`Мәслихаттың үлгі
/// регламенті`, cited through that act). The words are `keywords.tsv`'s.
fn reference_not_act(prev_word: &str, act_type: &str, lex: &Lexicon) -> Option<NotCited> {
    let after = |key: &str| lex.phrases(key).any(|p| prev_word.starts_with(p));
    if after("back_reference") {
        return Some(NotCited::BackReference);
    }
    if after("self_reference") {
        let national = !["Resolution", "Decision", "Order", "Rules"].contains(&act_type);
        return Some(if national {
            NotCited::BackReference
        } else {
            NotCited::SelfReference
        });
    }
    (act_type == "Rules" && after("model_text")).then_some(NotCited::AnnexOfAct)
}

/// The citation of a body's own rules of procedure at type word `k` (`аудандық мәслихаттың Регламентіне`,
/// `Регламентом районного маслихата`), when the words around it name the body.
fn rules_citation(
    seg: &Segment<'_>,
    text: &str,
    ws: &[(usize, usize, String)],
    k: usize,
    ctx: &Context<'_>,
) -> Option<Citation> {
    let body = rules_of(text, ws, k, ctx)?;
    let (ws_start, end) = (ws[k].0, ws[k].1);
    let start = match ctx.lang {
        Lang::Kk => ws[k.saturating_sub(2)].0.min(ws_start),
        Lang::Ru => ws_start,
    };
    let act = ActRef {
        act_type: "OtherAct".into(),
        date: None,
        number: None,
        title: None,
        issuer: Some(body),
        reference: None,
        form: Some("rules".into()),
    };
    Some(Citation::in_segment(
        seg,
        (start, end),
        ws_start,
        act,
        Vec::new(),
    ))
}

/// The body whose rules of procedure a `Регламент` word names: the body word beside it (before it in Kazakh, after
/// it in Russian) names the kind; a unit named with a proper name gives the unit, else the unit of the body that
/// passed the document (`аудандық мәслихаттың Регламенті` in a district maslikhat's decision).
fn rules_of(
    text: &str,
    ws: &[(usize, usize, String)],
    k: usize,
    ctx: &Context<'_>,
) -> Option<BodyRef> {
    let near: Vec<usize> = match ctx.lang {
        Lang::Kk => (k.saturating_sub(3)..k).rev().collect(),
        Lang::Ru => (k + 1..(k + 4).min(ws.len())).collect(),
    };
    let (kind, at) = near.iter().find_map(|&i| {
        ctx.lex
            .issuers
            .iter()
            .find(|is| is.lang == ctx.lang && is.body != "-" && ws[i].2.starts_with(&is.stem))
            .map(|is| (is.body.clone(), i))
    })?;
    let (from, to) = match ctx.lang {
        Lang::Kk => (ws[k.saturating_sub(4)].0, ws[at].0),
        Lang::Ru => (ws[k].1, ws[(at + 3).min(ws.len() - 1)].1),
    };
    let named = find_units(&text[from..to.max(from)], ctx.lex, ctx.lang)
        .into_iter()
        .next()
        .map(|m| with_region(m.unit, ctx.region, ctx.lex));
    let unit = named.or_else(|| ctx.own_body.map(|b| b.unit.clone()))?;
    Some(BodyRef { kind, unit })
}

/// Where the adjectives naming a code start (`Гражданского`, `Административного процедурно-процессуального`,
/// `Азаматтық`, `Әкімшілік рәсімдік-процестік`): up to three words right before the type word, capitalised first,
/// Russian ones with adjective endings.
fn code_adjectives(
    text: &str,
    ws: &[(usize, usize, String)],
    k: usize,
    lang: Lang,
    lex: &Lexicon,
) -> Option<usize> {
    let mut from = None;
    for i in (k.saturating_sub(3)..k).rev() {
        let (s, e, w) = &ws[i];
        let next = if i + 1 < ws.len() {
            ws[i + 1].0
        } else {
            text.len()
        };
        if !text[*e..next].trim().is_empty() {
            break;
        }
        // Russian adjectives by their endings; Kazakh ones are any word but a country's name (`keywords.tsv`).
        let adjective = match lang {
            Lang::Ru => lex
                .phrases_in("adjective_ending", lang)
                .any(|end| w.ends_with(end)),
            Lang::Kk => {
                !lex.phrases_in("not_code_adjective", lang)
                    .any(|n| w.starts_with(n))
                    && w.chars().all(|c| c.is_alphabetic() || c == '-')
            }
        };
        if !adjective {
            break;
        }
        from = Some(*s);
    }
    let from = from?;
    text[from..].chars().next().filter(|c| c.is_uppercase())?;
    Some(from)
}

/// The end of the word that byte `i` of `text` stands in (or `i` itself at a word's end).
fn word_end(text: &str, i: usize) -> usize {
    text[i..]
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '-'))
        .map(|(k, _)| i + k)
        .unwrap_or(text.len())
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Start of the clause that ends at `anchor`: after the previous citation, a semicolon or a sentence end, at most
/// about 400 characters back.
fn clause_start(text: &str, prev_end: usize, anchor: usize, pairs: &[Quote]) -> usize {
    let in_quotes = |pos: usize| pairs.iter().any(|q| q.open <= pos && pos < q.close);
    let mut start = prev_end;
    for (i, c) in text[..anchor].char_indices() {
        if i < prev_end || in_quotes(i) {
            continue;
        }
        let sentence_end = c == '.'
            && text[i + 1..]
                .chars()
                .nth(1)
                .is_some_and(|n| n.is_uppercase())
            && text[i + 1..].starts_with(' ')
            && !text[..i]
                .chars()
                .next_back()
                .is_some_and(|p| p.is_uppercase());
        if c == ';' || sentence_end || c == ':' {
            start = i + c.len_utf8();
        }
    }
    let min = anchor.saturating_sub(800);
    floor_char(text, start.max(min))
}

/// End of the Russian clause that starts after a type word: a semicolon, a comma not followed by a number, or the
/// end of a sentence (`… № 365. Зарегистрировано …`), outside quotes; at most about 600 bytes on.
fn clause_end(text: &str, from: usize, pairs: &[Quote]) -> usize {
    let in_quotes = |pos: usize| pairs.iter().any(|q| q.open <= pos && pos < q.close);
    let limit = floor_char(text, text.len().min(from + 600));
    for (i, c) in text[from..limit].char_indices() {
        let i = from + i;
        if in_quotes(i) {
            continue;
        }
        let after = &text[i + c.len_utf8()..];
        let comma = c == ',' && !after.trim_start().starts_with(|d: char| d.is_ascii_digit());
        if c == ';' || comma || (c == '.' && sentence_ends(&text[..i], after)) {
            return i;
        }
    }
    limit
}

/// Whether a full stop between `before` and `after` ends a sentence: a space and a capital follow, and it does
/// not close an abbreviation or an initial (`г. Уральск`, `А. Кайрушев`).
pub(crate) fn sentence_ends(before: &str, after: &str) -> bool {
    let mut next = after.chars();
    if next.next() != Some(' ') || !next.next().is_some_and(char::is_uppercase) {
        return false;
    }
    let last_word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    last_word.chars().count() > 2 || last_word.chars().all(|c| c.is_ascii_digit())
}

fn kk_pinpoints(lower: &str, from: usize) -> (Vec<Pinpoint>, usize) {
    let mut pos = from;
    // Skip the model text the act approves, when a pinpoint follows it.
    if let Some(m) = crate::lexicon::patterns::patterns_or_builtin()
        .kk_annex
        .find(&lower[pos..])
    {
        if crate::lexicon::patterns::patterns_or_builtin()
            .kk_pinpoint
            .is_match(&lower[pos + m.end()..])
        {
            pos += m.end();
        }
    }
    let (mut articles, mut paragraphs, mut subs): (Vec<String>, Vec<String>, Vec<String>) =
        (Vec::new(), Vec::new(), Vec::new());
    while let Some(c) = crate::lexicon::patterns::patterns_or_builtin()
        .kk_pinpoint
        .captures(&lower[pos..])
    {
        let nums: Vec<String> = c[1]
            .split([',', ' '])
            .map(str::trim)
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_string)
            .collect();
        if c.name("article").is_some() {
            articles = nums;
        } else if c.name("sub").is_some() {
            subs = nums;
        } else {
            paragraphs = nums;
        }
        pos += c.get(0).unwrap().end();
    }
    if articles.is_empty() && paragraphs.is_empty() && subs.is_empty() {
        return (Vec::new(), from);
    }
    (combine(articles, paragraphs, subs), pos)
}

fn combine(articles: Vec<String>, paragraphs: Vec<String>, subs: Vec<String>) -> Vec<Pinpoint> {
    // The list sits at the deepest level given (`6, 25-баптарына`, `2, 3-тармақтарына`).
    let one = |v: &[String]| v.first().cloned();
    if subs.len() > 1 {
        return subs
            .iter()
            .map(|s| Pinpoint {
                article: one(&articles),
                paragraph: one(&paragraphs),
                subparagraph: Some(s.clone()),
            })
            .collect();
    }
    if paragraphs.len() > 1 {
        return paragraphs
            .iter()
            .map(|p| Pinpoint {
                article: one(&articles),
                paragraph: Some(p.clone()),
                subparagraph: one(&subs),
            })
            .collect();
    }
    if articles.len() > 1 {
        return articles
            .iter()
            .map(|a| Pinpoint {
                article: Some(a.clone()),
                paragraph: one(&paragraphs),
                subparagraph: one(&subs),
            })
            .collect();
    }
    vec![Pinpoint {
        article: one(&articles),
        paragraph: one(&paragraphs),
        subparagraph: one(&subs),
    }]
}

fn ru_pinpoints(before: &str) -> (Vec<Pinpoint>, usize) {
    let Some(c) = crate::lexicon::patterns::patterns_or_builtin()
        .ru_pinpoint
        .captures(before)
    else {
        return (Vec::new(), 0);
    };
    if c.get(1).is_none() && c.get(2).is_none() && c.get(3).is_none() {
        return (Vec::new(), 0);
    }
    let nums = |m: Option<regex::Match>| -> Vec<String> {
        m.map(|m| {
            m.as_str()
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
    };
    (combine(nums(c.get(3)), nums(c.get(2)), nums(c.get(1))), 0)
}

fn ru_pin_start(before: &str) -> Option<usize> {
    let c = crate::lexicon::patterns::patterns_or_builtin()
        .ru_pinpoint
        .captures(before)?;
    let first = (1..=3).filter_map(|k| c.get(k)).map(|m| m.start()).min()?;
    // Back from the first number to its word (`статьей`, `пунктом`).
    let word_start = before[..first]
        .trim_end()
        .rfind(char::is_whitespace)
        .map(|k| k + 1)
        .unwrap_or(0);
    Some(word_start.max(c.get(0).map_or(0, |m| m.start())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn cite(text: &str) -> Vec<Citation> {
        let lex = Lexicon::embedded().unwrap();
        let norm = normalize(text);
        let seg = Segment {
            norm: &norm,
            start: 0,
            end: norm.text.len(),
        };
        let ctx = Context {
            lex: &lex,
            lang: Lang::Kk,
            region: None,
            own_body: None,
            date: None,
        };
        find_citations(&seg, &ctx).citations
    }

    #[test]
    fn title_only_citation_with_article_and_paragraph() {
        let c = cite("Қазақстан Республикасының \"Қазақстан Республикасындағы жергілікті мемлекеттік басқару және өзін-өзі басқару туралы\" Заңының 31-бабы 2-тармағына , Қазақстан Республикасының \"Мемлекеттік мүлік туралы\" Заңының 18-бабы 8-тармақшасына, Қазақстан Республикасы Үкіметінің 2021 жылғы 1 қыркүйектегі \"Мемлекеттік органдар мен олардың құрылымдық бөлімшелерінің қызметін ұйымдастырудың кейбір мәселелері туралы\" № 590 қаулысына сәйкес, қала әкімдігі ҚАУЛЫ ЕТЕДІ:");
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].act.act_type, "Law");
        assert_eq!(c[0].act.reference.as_deref(), Some("law-local-government"));
        assert_eq!(c[0].pinpoints[0].article.as_deref(), Some("31"));
        assert_eq!(c[0].pinpoints[0].paragraph.as_deref(), Some("2"));
        assert_eq!(c[1].act.reference.as_deref(), Some("law-state-property"));
        assert_eq!(c[1].pinpoints[0].article.as_deref(), Some("18"));
        assert_eq!(c[1].pinpoints[0].subparagraph.as_deref(), Some("8"));
        assert_eq!(c[2].act.act_type, "GovernmentResolution");
        assert_eq!(c[2].act.date.as_deref(), Some("2021-09-01"));
        assert_eq!(c[2].act.number.as_deref(), Some("590"));
    }

    #[test]
    fn constitution_is_cited_and_laws_in_general_are_not() {
        let c = cite("Мемлекеттік мекеме өз қызметін Қазақстан Республикасының Конституциясына және заңдарына, Қазақстан Республикасының Президенті мен Үкіметінің актілеріне сәйкес жүзеге асырады.");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].act.act_type, "Constitution");
    }

    #[test]
    fn several_articles_and_plural_laws() {
        let c = cite("Қазақстан Республикасының 2001 жылғы 23 қаңтардағы № 148 \"Қазақстан Республикасындағы жергілікті мемлекеттік басқару және өзін-өзі басқару туралы\" Заңының 6, 25-баптарына сәйкес");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].pinpoints.len(), 2);
        assert_eq!(c[0].act.number.as_deref(), Some("148"));
        let c = cite("Қазақстан Республикасының \"Терроризмге қарсы күрес туралы\", \"Экстремизмге қарсы күрес туралы\" Заңдарының орындалуы");
        assert_eq!(c.len(), 2);
        assert!(c.iter().all(|c| c.act.act_type == "Law"));
    }
}
