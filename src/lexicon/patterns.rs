//! The regular expressions of `data/lexicon/patterns.tsv`, compiled once: the parser's headings, items, notes and
//! signatures, the extractors' pinpoints, dates, act numbers and house numbers. Kept in data with the other word
//! lists so that a linguist can extend them without touching Rust; read from `$AKIMAT_KG_DATA` when it is set.

use crate::datafile::DataFileError;
use regex::Regex;
use std::collections::HashMap;

const FILE: &str = "lexicon/patterns.tsv";
const BUILTIN: &str = include_str!("../../data/lexicon/patterns.tsv");

/// A pattern with a looser twin that screens texts for it: the same expression with its assertions (word
/// boundaries, anchors) taken out, so that it matches wherever the pattern does, and more. Without Unicode word
/// boundaries the twin runs on the lazy DFA over Cyrillic text, where the pattern's own search falls back to a
/// backtracker at every position; most texts the pattern is asked about (a clause, a paragraph) hold no match, and
/// the twin says so at a fraction of the cost.
#[derive(Debug)]
pub struct Screened {
    /// The pattern.
    pub regex: Regex,
    /// Its looser twin (none when the pattern has no assertion to take out).
    twin: Option<regex_automata::meta::Regex>,
}

impl Screened {
    /// The pattern and its twin; the pattern's error when it does not compile.
    pub fn new(pattern: &str) -> Result<Screened, regex::Error> {
        let regex = Regex::new(pattern)?;
        let twin = regex_syntax::parse(pattern).ok().and_then(|hir| {
            let (loose, changed) = without_assertions(&hir);
            let config = regex_automata::meta::Config::new()
                .which_captures(regex_automata::nfa::thompson::WhichCaptures::None);
            changed
                .then(|| {
                    regex_automata::meta::Regex::builder()
                        .configure(config)
                        .build_from_hir(&loose)
                        .ok()
                })
                .flatten()
        });
        Ok(Screened { regex, twin })
    }

    /// Whether the pattern can match somewhere in `hay` (false only when it cannot).
    pub fn could_match(&self, hay: &str) -> bool {
        self.twin.as_ref().is_none_or(|t| t.is_match(hay))
    }
}

/// An expression with every assertion replaced by the empty expression and every group by what it holds, and
/// whether any assertion was taken out.
fn without_assertions(hir: &regex_syntax::hir::Hir) -> (regex_syntax::hir::Hir, bool) {
    use regex_syntax::hir::{Hir, HirKind, Repetition};
    let all = |subs: &[Hir]| {
        let (hirs, changed): (Vec<Hir>, Vec<bool>) = subs.iter().map(without_assertions).unzip();
        (hirs, changed.contains(&true))
    };
    match hir.kind() {
        HirKind::Look(_) => (Hir::empty(), true),
        HirKind::Capture(c) => without_assertions(&c.sub),
        HirKind::Repetition(r) => {
            let (sub, changed) = without_assertions(&r.sub);
            let rep = Repetition {
                min: r.min,
                max: r.max,
                greedy: r.greedy,
                sub: Box::new(sub),
            };
            (Hir::repetition(rep), changed)
        }
        HirKind::Concat(subs) => {
            let (hirs, changed) = all(subs);
            (Hir::concat(hirs), changed)
        }
        HirKind::Alternation(subs) => {
            let (hirs, changed) = all(subs);
            (Hir::alternation(hirs), changed)
        }
        _ => (hir.clone(), false),
    }
}

/// The compiled patterns, one per name of the table.
#[derive(Debug)]
pub struct Patterns {
    /// `letter-item`: an item lettered `а)`; groups: letter, text.
    pub letter_item: Regex,
    /// `chapter-kk`: `1-тарау. …`; groups: number, heading.
    pub chapter_kk: Regex,
    /// `chapter-word`: `Глава 1. …`; groups: number, heading.
    pub chapter_word: Regex,
    /// `name-at-end`: a signatory's name closing a line; group: the name.
    pub name_at_end: Regex,
    /// `glued-paragraph`: a paragraph number glued after the previous paragraph; group: the number.
    pub glued_paragraph: Regex,
    /// `note`: an amendment note's opening word.
    pub note: Regex,
    /// `kk-pinpoint`: a Kazakh pinpoint; group 1: the numbers; named groups `article`, `paragraph`, `sub`: which
    /// subdivision the word names.
    pub kk_pinpoint: Regex,
    /// `kk-annex`: the model text between a Kazakh act word and its pinpoint.
    pub kk_annex: Regex,
    /// `ru-pinpoint`: a Russian pinpoint before the act word; groups: subparagraph, paragraph, articles.
    pub ru_pinpoint: Regex,
    /// `kk-date`: groups: year, day, month word.
    pub kk_date: Screened,
    /// `ru-date`: groups: day, month word, year.
    pub ru_date: Screened,
    /// `act-number`: `№` and a number; group: the number as written.
    pub act_number: Regex,
    /// `address-locator`: groups: the part before, the house number.
    pub address_locator: Regex,
}

impl Patterns {
    /// Compiles the table's text; an error names the line, or the name the table lacks.
    pub fn parse(text: &str) -> Result<Patterns, DataFileError> {
        let table = Table::read(text)?;
        table.check_names()?;
        let kk_pinpoint = table.kk_pinpoint()?;
        let get = |name: &str| table.compile(name);
        Ok(Patterns {
            letter_item: get("letter-item")?,
            chapter_kk: get("chapter-kk")?,
            chapter_word: get("chapter-word")?,
            name_at_end: get("name-at-end")?,
            glued_paragraph: get("glued-paragraph")?,
            note: get("note")?,
            kk_pinpoint,
            kk_annex: get("kk-annex")?,
            ru_pinpoint: get("ru-pinpoint")?,
            kk_date: table.screened("kk-date")?,
            ru_date: table.screened("ru-date")?,
            act_number: get("act-number")?,
            address_locator: get("address-locator")?,
        })
    }
}

/// The names of the table, each read by some code.
const NAMES: [&str; 13] = [
    "letter-item",
    "chapter-kk",
    "chapter-word",
    "name-at-end",
    "glued-paragraph",
    "note",
    "kk-pinpoint",
    "kk-annex",
    "ru-pinpoint",
    "kk-date",
    "ru-date",
    "act-number",
    "address-locator",
];

/// The rows of the table: each name's line and regular expression.
struct Table<'a>(HashMap<&'a str, (usize, &'a str)>);

impl<'a> Table<'a> {
    /// Reads the rows: a name and a regular expression separated by a tab, each name once.
    fn read(text: &'a str) -> Result<Table<'a>, DataFileError> {
        let mut rows: HashMap<&str, (usize, &str)> = HashMap::new();
        for (n, line) in crate::datafile::rows(text) {
            let bad = |message: String| DataFileError {
                file: FILE.into(),
                line: n,
                message,
            };
            let (name, regex) = line.split_once('\t').ok_or_else(|| {
                bad("expected a name and a regular expression separated by a tab".into())
            })?;
            if rows
                .insert(name.trim(), (n, regex.trim_end_matches('\r')))
                .is_some()
            {
                return Err(bad(format!("the name {name:?} is given twice")));
            }
        }
        Ok(Table(rows))
    }

    /// Refuses a name no code reads (the first such row), so that a misspelt name is not silently ignored.
    fn check_names(&self) -> Result<(), DataFileError> {
        let mut unknown: Vec<(&&str, &(usize, &str))> = self
            .0
            .iter()
            .filter(|(name, _)| !NAMES.contains(name))
            .collect();
        unknown.sort_by_key(|(_, (n, _))| *n);
        if let Some((name, (n, _))) = unknown.first() {
            return Err(DataFileError {
                file: FILE.into(),
                line: *n,
                message: format!(
                    "no code reads a pattern named {name:?} (the names: {})",
                    NAMES.join(", ")
                ),
            });
        }
        Ok(())
    }

    /// Compiles the pattern of a name; an error when the table lacks it or it does not compile.
    fn compile(&self, name: &str) -> Result<Regex, DataFileError> {
        let (n, regex) = self.0.get(name).ok_or_else(|| DataFileError {
            file: FILE.into(),
            line: 0,
            message: format!("no pattern named {name:?}"),
        })?;
        Regex::new(regex).map_err(|e| DataFileError {
            file: FILE.into(),
            line: *n,
            message: format!("{name}: {e}"),
        })
    }

    /// Compiles a row's expression with its screening twin.
    fn screened(&self, name: &str) -> Result<Screened, DataFileError> {
        self.compile(name)?;
        let (_, regex) = self.0[name];
        Screened::new(regex).map_err(|e| DataFileError {
            file: FILE.into(),
            line: self.0[name].0,
            message: format!("{name}: {e}"),
        })
    }

    /// Compiles `kk-pinpoint`, which must name the groups the citation extractor reads.
    fn kk_pinpoint(&self) -> Result<Regex, DataFileError> {
        let kk_pinpoint = self.compile("kk-pinpoint")?;
        for group in ["article", "paragraph", "sub"] {
            if !kk_pinpoint.capture_names().any(|n| n == Some(group)) {
                return Err(DataFileError {
                    file: FILE.into(),
                    line: self.0["kk-pinpoint"].0,
                    message: format!("kk-pinpoint: no group named {group:?}"),
                });
            }
        }
        Ok(kk_pinpoint)
    }
}

/// The process-wide patterns (from `$AKIMAT_KG_DATA` when set, else built in), compiled once; the error is the
/// same on every call.
pub fn patterns() -> Result<&'static Patterns, DataFileError> {
    static PATTERNS: std::sync::OnceLock<Result<Patterns, DataFileError>> =
        std::sync::OnceLock::new();
    PATTERNS
        .get_or_init(|| Patterns::parse(&crate::datafile::text(FILE, BUILTIN)?))
        .as_ref()
        .map_err(Clone::clone)
}

/// The patterns for code that has no error to return: the loaded ones, or the built-in ones when
/// `$AKIMAT_KG_DATA` holds a bad table — which `Lexicon::try_get` reports before any document is read.
pub fn patterns_or_builtin() -> &'static Patterns {
    static BUILTIN_PATTERNS: std::sync::OnceLock<Patterns> = std::sync::OnceLock::new();
    patterns().unwrap_or_else(|_| {
        BUILTIN_PATTERNS.get_or_init(|| {
            Patterns::parse(BUILTIN).expect("the built-in patterns compile (tested)")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_screening_twin_passes_every_text_its_pattern_matches() {
        let p = Patterns::parse(BUILTIN).unwrap();
        let numeric = Screened::new(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b").unwrap();
        assert!(p.ru_date.twin.is_some() && numeric.twin.is_some());
        let (mut matched, mut screened_out) = (0, 0);
        for (_, text) in crate::lexicon::tests::shipped_texts() {
            for line in text.lines() {
                for s in [&p.kk_date, &p.ru_date, &numeric] {
                    let (is, could) = (s.regex.is_match(line), s.could_match(line));
                    assert!(could || !is, "{line}");
                    matched += usize::from(is);
                    screened_out += usize::from(!could);
                }
            }
        }
        // The shipped texts hold dates, and most of their lines none.
        assert!(
            matched > 40 && screened_out > 1000,
            "{matched} {screened_out}"
        );
    }

    #[test]
    fn the_built_in_patterns_compile_and_a_bad_one_names_its_line() {
        let p = Patterns::parse(BUILTIN).unwrap();
        assert!(p.chapter_kk.is_match("1-тарау. Жалпы ережелер"));
        let broken = BUILTIN.replace("note\t(?i)^(ескерту", "note\t(?i)^((ескерту");
        let line = broken
            .lines()
            .position(|l| l.starts_with("note\t"))
            .unwrap()
            + 1;
        let e = Patterns::parse(&broken).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), (FILE, line), "{e}");
        let missing: String = BUILTIN
            .lines()
            .filter(|l| !l.starts_with("note\t"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(Patterns::parse(&missing)
            .unwrap_err()
            .message
            .contains("\"note\""));
        // The Kazakh pinpoint must say which subdivision its word names.
        let unnamed = BUILTIN.replace("(?P<article>", "(?P<art>");
        let e = Patterns::parse(&unnamed).unwrap_err();
        assert!(e.message.contains("\"article\"") && e.line > 0, "{e}");
    }
}
