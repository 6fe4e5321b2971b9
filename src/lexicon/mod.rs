//! Keyword tables: month names, legal forms, unit words, section headings, act types, issuers, signal phrases and
//! the reference tables of regions and acts. They live as TSV files under `data/` so that a linguist can extend them
//! without touching Rust; they are compiled into the binary and can be replaced at run time by pointing the
//! `AKIMAT_KG_DATA` environment variable at another `data/` folder. Loaded once, then passed around by reference.

pub mod model;
pub mod patterns;

use model::LinearModel;
use regex::Regex;
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use crate::text::{
    is_alphabetic, is_alphanumeric, lower_same_len, lowercase, stem_close, words, Lang,
};

/// The process-wide lexicon could not be loaded (what [`LexiconError`] said when it was first asked for).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct LexiconLoadError(pub String);

/// A table could not be read or understood.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The file could not be read.
    #[error("cannot read {path}: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// A row does not fit the table's columns.
    #[error("{table}: {message}")]
    Row {
        /// The table's file name.
        table: String,
        /// What is wrong, with the line.
        message: String,
    },
}

/// A phrase given as word stems: every word of the text must start with the stem at its place. A stem written with
/// a trailing `$` must be the whole word (`г$` matches the abbreviation г., not город).
#[derive(Debug, Clone)]
pub struct StemPhrase {
    /// The language of the phrase.
    pub lang: Lang,
    /// Lowercase stems, in order.
    pub stems: Vec<String>,
}

/// Whether a lowercase word matches a stem (`$` at the end of the stem: the whole word).
pub fn stem_matches(stem: &str, word: &str) -> bool {
    match stem.strip_suffix('$') {
        Some(whole) => word == whole,
        None => word.starts_with(stem),
    }
}

impl StemPhrase {
    fn new(lang: Lang, words: &str) -> Self {
        StemPhrase {
            lang,
            stems: words.split_whitespace().map(str::to_lowercase).collect(),
        }
    }

    /// Finds the phrase in a list of lowercase words; returns the index of the first word matched.
    pub fn find_in(&self, words: &[&str]) -> Option<usize> {
        if self.stems.is_empty() || words.len() < self.stems.len() {
            return None;
        }
        (0..=words.len() - self.stems.len()).find(|&i| self.matches_at(words, i))
    }

    /// Whether the phrase starts at word `i` of a list of lowercase words.
    pub fn matches_at(&self, words: &[&str], i: usize) -> bool {
        words.len() >= i + self.stems.len()
            && self
                .stems
                .iter()
                .zip(&words[i..])
                .all(|(stem, word)| stem_matches(stem, word))
    }

    /// The first one or two letters of the first stem: every word the phrase can start on begins with them.
    fn key(&self) -> &str {
        let first = self.stems.first().map_or("", |s| s.trim_end_matches('$'));
        &first[..first.char_indices().nth(2).map_or(first.len(), |(i, _)| i)]
    }
}

/// A legal form phrase and the slug of its concept.
#[derive(Debug, Clone)]
pub struct LegalFormPhrase {
    /// Slug in the legal-form scheme (`state-institution`, …).
    pub form: String,
    /// The phrase.
    pub phrase: StemPhrase,
}

/// A word naming a kind of administrative unit.
#[derive(Debug, Clone)]
pub struct UnitWord {
    /// The `akg:` unit type local name (`District`, …).
    pub unit_type: String,
    /// The noun phrase (`ауданы`).
    pub phrase: StemPhrase,
    /// Stem of the adjective (`аудандық`), if the language has one.
    pub adjective: Option<String>,
    /// Suffix of the unit's IRI slug.
    pub slug: String,
    /// The unit's name in the nominative, `{}` standing for the proper name.
    pub label: String,
    /// Whether the proper name follows the unit word (`город Аксу`) rather than precedes it (`Ақсу қаласы`).
    pub name_after: bool,
    /// Gender of a Russian unit word whose proper name is an adjective (`m`, `f`), for its nominative form.
    pub gender: Option<String>,
    /// Whether the unit word is in the genitive and the name after it too (`города Павлодара`).
    pub genitive: bool,
    /// The label's text before and after `{}`, lowercase letter for letter (see [`Lexicon::proper_name`]).
    label_affixes: Option<(String, String)>,
    /// The unit word as it ends a name, lowercase, after a space (` ауданы`).
    bare: String,
}

/// A heading that opens a list of provisions.
#[derive(Debug, Clone)]
pub struct SectionHeading {
    /// Provision kind (`Goal`, `Function`, …) or `Powers` for a container.
    pub kind: String,
    /// `para`, `group`, `container`, `sentence`, `mask`, `office` or `other`.
    pub scope: String,
    /// The phrase.
    pub phrase: StemPhrase,
}

/// A pattern naming the type of a cited act.
#[derive(Debug, Clone)]
pub struct ActTypePattern {
    /// `Law`, `Code`, `Resolution`, …
    pub act_type: String,
    /// Language of the pattern.
    pub lang: Lang,
    /// Whether the word cites several acts at once.
    pub plural: bool,
    /// Regex matched at the start of a lowercase word.
    pub regex: Regex,
}

/// An issuer of acts.
#[derive(Debug, Clone, Deserialize)]
pub struct Issuer {
    /// `government`, `akimat`, …
    pub issuer: String,
    /// Language.
    pub lang: Lang,
    /// Stem matched at the start of a word.
    pub stem: String,
    /// Local body kind or `-`.
    pub body: String,
    /// Act type of a resolution by this issuer.
    pub resolution: String,
    /// Act type of a decision by this issuer.
    pub decision: String,
    /// Act type of an order by this issuer.
    pub order: String,
}

/// A national act of the reference table.
#[derive(Debug, Clone)]
pub struct RefAct {
    /// The row's stable key (`law-local-government`).
    pub id: String,
    /// Act type.
    pub act_type: String,
    /// ISO date, if known.
    pub date: Option<String>,
    /// Number as written, if known.
    pub number: Option<String>,
    /// The act's Әділет ID, where a source document states it.
    pub adilet: Option<String>,
    /// Titles by language as [`title_key`] gives them, for matching.
    pub titles: Vec<(Lang, String)>,
    /// Titles by language as written, for display; the first of a language is the act's title in it.
    pub labels: Vec<(Lang, String)>,
}

/// A title as titles are compared: lowercase, quotes as spaces, spaces collapsed.
pub fn title_key(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .map(|c| {
            if "«»\"“”„".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A rule of `data/lexicon/competence-rules.tsv`: a phrase that puts a provision into a competence area.
#[derive(Debug, Clone)]
pub struct CompetenceRule {
    /// The area's slug in `ontology/competences.ttl`.
    pub area: String,
    /// The phrase that must occur.
    pub phrase: StemPhrase,
    /// Phrases whose presence anywhere in the provision stops the rule.
    pub unless: Vec<StemPhrase>,
    /// The rule's line in the table (for `extract --explain`).
    pub line: usize,
}

/// The act-type patterns of one language, searched together.
#[derive(Debug)]
struct ActTypeSet {
    lang: Lang,
    /// All the language's patterns, in table order.
    regex: regex_automata::meta::Regex,
    /// The place in `act_types` of each pattern of `regex`.
    places: Vec<usize>,
    /// Byte strings one of which every match starts with, where the patterns allow such a list (derived from the
    /// patterns, so a new pattern keeps it true): most words start with none of them and are not searched at all.
    prefixes: Option<aho_corasick::AhoCorasick>,
}

impl ActTypeSet {
    fn new(lang: Lang, act_types: &[ActTypePattern]) -> Result<Self, LexiconError> {
        let bad = |message: String| LexiconError::Row {
            table: "lexicon/act-types.tsv".into(),
            message,
        };
        let places: Vec<usize> = (0..act_types.len())
            .filter(|&i| act_types[i].lang == lang)
            .collect();
        let patterns: Vec<&str> = places
            .iter()
            .map(|&i| act_types[i].regex.as_str())
            .collect();
        // No bounded backtracker: it clears memory in proportion to all the text after the word, where the anchored
        // search reads only a few letters.
        let regex = regex_automata::meta::Regex::builder()
            .configure(regex_automata::meta::Regex::config().backtrack(false))
            .build_many(&patterns)
            .map_err(|e| bad(format!("the patterns do not make one set: {e}")))?;
        let mut prefixes: Option<Vec<Vec<u8>>> = Some(Vec::new());
        for pattern in &patterns {
            let hir = regex_syntax::parse(pattern)
                .map_err(|e| bad(format!("cannot read pattern {pattern:?}: {e}")))?;
            let seq = regex_syntax::hir::literal::Extractor::new().extract(&hir);
            match (seq.literals(), prefixes.as_mut()) {
                (Some(lits), Some(all)) => all.extend(lits.iter().map(|l| l.as_bytes().to_vec())),
                _ => prefixes = None,
            }
        }
        let prefixes = match prefixes {
            Some(all) => Some(
                aho_corasick::AhoCorasick::builder()
                    .start_kind(aho_corasick::StartKind::Anchored)
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(&all)
                    .map_err(|e| bad(format!("the patterns' prefixes make no automaton: {e}")))?,
            ),
            None => None,
        };
        Ok(ActTypeSet {
            lang,
            regex,
            places,
            prefixes,
        })
    }
}

/// All tables, loaded once.
#[derive(Debug)]
pub struct Lexicon {
    /// Month stems by language.
    pub months: Vec<(Lang, String, u32)>,
    /// Legal-form phrases, longest first.
    pub legal_forms: Vec<LegalFormPhrase>,
    /// Unit words, in table order.
    pub unit_words: Vec<UnitWord>,
    /// The national gazetteer of units (`data/reference/gazetteer.tsv`).
    pub gazetteer: crate::gazetteer::Gazetteer,
    /// The rules of the language-neutral key of unit names (`data/lexicon/name-key.tsv`).
    pub name_key: crate::gazetteer::key::NameKey,
    /// Names of local bodies by kind and language: pattern and fallback pattern (`data/lexicon/body-labels.tsv`).
    pub body_labels: Vec<(String, Lang, String, Option<String>)>,
    /// Russian noun endings: genitive ending, nominative ending (longest first).
    pub ru_noun_endings: Vec<(String, String)>,
    /// Russian adjective endings: gender, oblique ending, nominative ending (longest first).
    pub ru_endings: Vec<(String, String, String)>,
    /// Signal phrases by key.
    pub keywords: HashMap<String, Vec<(Lang, String)>>,
    /// For each key, one automaton over all its phrases (see [`Lexicon::find`]).
    keyword_finders: HashMap<String, aho_corasick::AhoCorasick>,
    /// The pattern of a control clause by language, from the `control_from` / `control_to` phrases of
    /// `keywords.tsv` (see [`Lexicon::control_pattern`]).
    control_patterns: Vec<(Lang, regex::Regex)>,
    /// Section headings.
    pub sections: Vec<SectionHeading>,
    /// Body kinds: slug and phrase.
    pub body_kinds: Vec<(String, StemPhrase)>,
    /// The signals that class a document (`act-classes.tsv`): signal and phrase.
    pub act_classes: Vec<(String, StemPhrase)>,
    /// Act-type patterns.
    pub act_types: Vec<ActTypePattern>,
    /// The act-type patterns of each language as one set (see [`Lexicon::act_type_at`]).
    act_type_sets: Vec<ActTypeSet>,
    /// Issuers.
    pub issuers: Vec<Issuer>,
    /// Reference acts.
    pub acts: Vec<RefAct>,
    /// Competence rules, in table order.
    pub competence_rules: Vec<CompetenceRule>,
    /// The places in `competence_rules` of the rules of each language, by the first one or two letters of their
    /// phrase (see [`Lexicon::competence_rules_at`]).
    competence_index: Vec<(Lang, HashMap<String, Vec<usize>>)>,
    /// The places in `unit_words` of each language's unit words, filed alike (see [`Lexicon::unit_words_at`]).
    unit_word_index: Vec<(Lang, HashMap<String, Vec<usize>>)>,
    /// Words left out when provisions are compared, by language.
    pub stopwords: Vec<(Lang, String)>,
    /// The same words as a set per language (Kazakh, Russian), for the lookup made at every word of every provision.
    stopword_sets: [rustc_hash::FxHashSet<String>; 2],
    /// The trained competence classifier (empty when none is shipped: the rules alone decide then).
    pub competence_model: LinearModel,
}

const TABLES: &[(&str, &str)] = &[
    (
        "lexicon/months.tsv",
        include_str!("../../data/lexicon/months.tsv"),
    ),
    (
        "lexicon/legal-forms.tsv",
        include_str!("../../data/lexicon/legal-forms.tsv"),
    ),
    (
        "lexicon/unit-types.tsv",
        include_str!("../../data/lexicon/unit-types.tsv"),
    ),
    (
        "reference/gazetteer.tsv",
        include_str!("../../data/reference/gazetteer.tsv"),
    ),
    (
        "lexicon/name-key.tsv",
        include_str!("../../data/lexicon/name-key.tsv"),
    ),
    (
        "lexicon/ru-adjective-endings.tsv",
        include_str!("../../data/lexicon/ru-adjective-endings.tsv"),
    ),
    (
        "lexicon/ru-noun-endings.tsv",
        include_str!("../../data/lexicon/ru-noun-endings.tsv"),
    ),
    (
        "lexicon/body-labels.tsv",
        include_str!("../../data/lexicon/body-labels.tsv"),
    ),
    (
        "lexicon/keywords.tsv",
        include_str!("../../data/lexicon/keywords.tsv"),
    ),
    (
        "lexicon/sections.tsv",
        include_str!("../../data/lexicon/sections.tsv"),
    ),
    (
        "lexicon/body-kinds.tsv",
        include_str!("../../data/lexicon/body-kinds.tsv"),
    ),
    (
        "lexicon/act-types.tsv",
        include_str!("../../data/lexicon/act-types.tsv"),
    ),
    (
        "lexicon/act-classes.tsv",
        include_str!("../../data/lexicon/act-classes.tsv"),
    ),
    (
        "lexicon/issuers.tsv",
        include_str!("../../data/lexicon/issuers.tsv"),
    ),
    (
        "reference/acts.tsv",
        include_str!("../../data/reference/acts.tsv"),
    ),
    (
        "lexicon/competence-rules.tsv",
        include_str!("../../data/lexicon/competence-rules.tsv"),
    ),
    (
        "lexicon/stopwords.tsv",
        include_str!("../../data/lexicon/stopwords.tsv"),
    ),
    (
        "lexicon/competence-model.tsv",
        include_str!("../../data/lexicon/competence-model.tsv"),
    ),
];

fn rows<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<Vec<T>, LexiconError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .quoting(false)
        .from_reader(text.as_bytes());
    reader
        .deserialize()
        .map(|row| {
            row.map_err(|e| LexiconError::Row {
                table: name.to_string(),
                message: e.to_string(),
            })
        })
        .collect()
}

/// Reads the competence rules, keeping each row's line number. Columns: area, lang, words, unless.
fn competence_rules(table: &str, text: &str) -> Result<Vec<CompetenceRule>, LexiconError> {
    let mut out = Vec::new();
    for (n, line) in crate::datafile::rows(text) {
        let f: Vec<&str> = line.split('\t').collect();
        let bad = |message: String| LexiconError::Row {
            table: table.to_string(),
            message: format!("line {n}: {message}"),
        };
        if f.len() != 4 {
            return Err(bad(format!(
                "expected 4 columns (area, lang, words, unless), found {}",
                f.len()
            )));
        }
        let lang = match f[1] {
            "kk" => Lang::Kk,
            "ru" => Lang::Ru,
            other => return Err(bad(format!("unknown language {other:?}"))),
        };
        if f[2].trim().is_empty() || f[2] == "-" {
            return Err(bad("empty `words`".into()));
        }
        out.push(CompetenceRule {
            area: f[0].to_string(),
            phrase: StemPhrase::new(lang, f[2]),
            unless: opt(f[3].to_string())
                .map(|u| u.split('|').map(|p| StemPhrase::new(lang, p)).collect())
                .unwrap_or_default(),
            line: n,
        });
    }
    Ok(out)
}

/// The control-clause pattern of a language: after a `control_from` phrase, the one charged, up to a `control_to`
/// phrase or, where the language has none, the end of the point (a final full stop left out).
fn control_pattern(
    keywords: &HashMap<String, Vec<(Lang, String)>>,
    lang: Lang,
) -> Option<regex::Regex> {
    let of = |key: &str| -> Vec<String> {
        keywords
            .get(key)
            .into_iter()
            .flatten()
            .filter(|(l, _)| *l == lang)
            .map(|(_, p)| {
                p.split_whitespace()
                    .map(regex::escape)
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect()
    };
    let from = of("control_from");
    if from.is_empty() {
        return None;
    }
    let to = of("control_to");
    let end = if to.is_empty() {
        r"\.?$".to_string()
    } else {
        format!(r"\s+(?:{})", to.join("|"))
    };
    regex::Regex::new(&format!(r"(?i)(?:{})\s+(.+?){end}", from.join("|"))).ok()
}

fn opt(value: String) -> Option<String> {
    (value != "-" && !value.is_empty()).then_some(value)
}

/// The source of the tables (the texts built into the binary or a `data/` folder), read one table at a time.
struct Tables<F>(F);

impl<F: Fn(&str) -> Result<String, LexiconError>> Tables<F> {
    /// Loads the table `name` and reads it with `parse`, which is given the name (for its errors) and the text.
    fn read<T>(
        &self,
        name: &str,
        parse: impl FnOnce(&str, &str) -> Result<T, LexiconError>,
    ) -> Result<T, LexiconError> {
        let text = (self.0)(name)?;
        parse(name, &text)
    }
}

/// Reads `months.tsv`: month stems, lowercase, with the month's number.
fn months(table: &str, text: &str) -> Result<Vec<(Lang, String, u32)>, LexiconError> {
    #[derive(Deserialize)]
    struct Month {
        lang: Lang,
        stem: String,
        month: u32,
    }
    Ok(rows::<Month>(table, text)?
        .into_iter()
        .map(|m| (m.lang, m.stem.to_lowercase(), m.month))
        .collect())
}

/// Reads `legal-forms.tsv`, longest phrase first so that a longer form wins over a shorter one it contains.
fn legal_forms(table: &str, text: &str) -> Result<Vec<LegalFormPhrase>, LexiconError> {
    #[derive(Deserialize)]
    struct Form {
        form: String,
        lang: Lang,
        words: String,
    }
    let mut legal_forms: Vec<LegalFormPhrase> = rows::<Form>(table, text)?
        .into_iter()
        .map(|f| LegalFormPhrase {
            form: f.form,
            phrase: StemPhrase::new(f.lang, &f.words),
        })
        .collect();
    legal_forms.sort_by_key(|f| std::cmp::Reverse(f.phrase.stems.len()));
    Ok(legal_forms)
}

/// Reads `unit-types.tsv`, longest phrase first; the `name` column must say `before` or `after`.
fn unit_words(table: &str, text: &str) -> Result<Vec<UnitWord>, LexiconError> {
    #[derive(Deserialize)]
    struct Unit {
        unit_type: String,
        lang: Lang,
        words: String,
        adjective: String,
        slug: String,
        label: String,
        name: String,
        gender: String,
    }
    let mut unit_words: Vec<UnitWord> = rows::<Unit>(table, text)?
        .into_iter()
        .map(|u| {
            let name_after = match u.name.as_str() {
                "before" => false,
                "after" => true,
                other => {
                    return Err(LexiconError::Row {
                        table: table.to_string(),
                        message: format!("`name` must be before or after, not {other:?}"),
                    })
                }
            };
            let genitive = u.gender == "gen";
            let phrase = StemPhrase::new(u.lang, &u.words);
            let label_affixes = u
                .label
                .split_once("{}")
                .map(|(before, after)| (lower_same_len(before), lower_same_len(after)));
            let bare = format!(" {}", phrase.stems.join(" ").trim_end_matches('$'));
            Ok(UnitWord {
                label_affixes,
                bare,
                unit_type: u.unit_type,
                phrase,
                adjective: opt(u.adjective.to_lowercase()),
                slug: u.slug,
                label: u.label,
                name_after,
                gender: opt(u.gender).filter(|_| !genitive),
                genitive,
            })
        })
        .collect::<Result<_, LexiconError>>()?;
    unit_words.sort_by_key(|u| std::cmp::Reverse(u.phrase.stems.len()));
    Ok(unit_words)
}

/// Reads `name-key.tsv`, the rules of the language-neutral key of unit names.
fn name_key(table: &str, text: &str) -> Result<crate::gazetteer::key::NameKey, LexiconError> {
    crate::gazetteer::key::NameKey::parse(text).map_err(|e| LexiconError::Row {
        table: table.to_string(),
        message: format!("line {}: {}", e.line, e.message),
    })
}

/// Reads the gazetteer, whose proper names are cut from the full names with the unit words and keyed by `name_key`.
fn gazetteer(
    table: &str,
    text: &str,
    unit_words: &[UnitWord],
    name_key: &crate::gazetteer::key::NameKey,
) -> Result<crate::gazetteer::Gazetteer, LexiconError> {
    crate::gazetteer::Gazetteer::parse(
        text,
        |full, lang| proper_name(unit_words, full, lang),
        name_key,
    )
    .map_err(|e| LexiconError::Row {
        table: table.to_string(),
        message: format!("line {}: {}", e.line, e.message),
    })
}

/// Reads `ru-adjective-endings.tsv`: gender, oblique and nominative ending, longest oblique ending first.
fn ru_adjective_endings(
    table: &str,
    text: &str,
) -> Result<Vec<(String, String, String)>, LexiconError> {
    #[derive(Deserialize)]
    struct Ending {
        gender: String,
        oblique: String,
        nominative: String,
    }
    let mut ru_endings: Vec<(String, String, String)> = rows::<Ending>(table, text)?
        .into_iter()
        .map(|e| {
            (
                e.gender,
                e.oblique.to_lowercase(),
                e.nominative.to_lowercase(),
            )
        })
        .collect();
    ru_endings.sort_by_key(|e| std::cmp::Reverse(e.1.chars().count()));
    Ok(ru_endings)
}

/// Reads `ru-noun-endings.tsv`: genitive and nominative ending, longest genitive ending first.
fn ru_noun_endings(table: &str, text: &str) -> Result<Vec<(String, String)>, LexiconError> {
    #[derive(Deserialize)]
    struct NounEnding {
        genitive: String,
        nominative: String,
    }
    let mut ru_noun_endings: Vec<(String, String)> = rows::<NounEnding>(table, text)?
        .into_iter()
        .map(|e| {
            (
                e.genitive.to_lowercase(),
                opt(e.nominative).unwrap_or_default(),
            )
        })
        .collect();
    ru_noun_endings.sort_by_key(|e| std::cmp::Reverse(e.0.chars().count()));
    Ok(ru_noun_endings)
}

/// A name of a local body: kind, language, pattern and fallback pattern.
type BodyLabel = (String, Lang, String, Option<String>);

/// Reads `body-labels.tsv`: the names of local bodies by kind and language, with their fallback.
fn body_labels(table: &str, text: &str) -> Result<Vec<BodyLabel>, LexiconError> {
    #[derive(Deserialize)]
    struct Row {
        kind: String,
        lang: Lang,
        label: String,
        fallback: String,
    }
    Ok(rows::<Row>(table, text)?
        .into_iter()
        .map(|b| (b.kind, b.lang, b.label, opt(b.fallback)))
        .collect())
}

/// Reads `keywords.tsv`: the lowercase signal phrases of each key, in table order.
fn keywords(table: &str, text: &str) -> Result<HashMap<String, Vec<(Lang, String)>>, LexiconError> {
    #[derive(Deserialize)]
    struct Keyword {
        key: String,
        lang: Lang,
        phrase: String,
    }
    let mut keywords: HashMap<String, Vec<(Lang, String)>> = HashMap::default();
    for k in rows::<Keyword>(table, text)? {
        keywords
            .entry(k.key)
            .or_default()
            .push((k.lang, k.phrase.to_lowercase()));
    }
    Ok(keywords)
}

/// One automaton per key over the key's phrases of both languages, leftmost-first: its first match starts where the
/// earliest occurrence of any of the phrases starts, found in one pass instead of one search per phrase.
fn keyword_finders(
    keywords: &HashMap<String, Vec<(Lang, String)>>,
) -> Result<HashMap<String, aho_corasick::AhoCorasick>, LexiconError> {
    keywords
        .iter()
        .map(|(key, phrases)| {
            // A DFA: a key's phrases are few and short, so its tables stay small, and it reads a byte per step
            // where the default (an NFA) follows transitions; measured a third of the extraction time less.
            let finder = aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(phrases.iter().map(|(_, p)| p))
                .map_err(|e| LexiconError::Row {
                    table: "lexicon/keywords.tsv".to_string(),
                    message: format!("the phrases of {key:?} make no automaton: {e}"),
                })?;
            Ok((key.clone(), finder))
        })
        .collect()
}

/// Reads `sections.tsv`: the headings that open a list of provisions.
fn sections(table: &str, text: &str) -> Result<Vec<SectionHeading>, LexiconError> {
    #[derive(Deserialize)]
    struct Section {
        kind: String,
        scope: String,
        lang: Lang,
        words: String,
    }
    const SCOPES: [&str; 7] = [
        "para",
        "group",
        "container",
        "sentence",
        "mask",
        "office",
        "other",
    ];
    rows::<Section>(table, text)?
        .into_iter()
        .map(|s| {
            let bad = if !SCOPES.contains(&s.scope.as_str()) {
                Some(format!(
                    "unknown scope {:?} (the scopes: {})",
                    s.scope,
                    SCOPES.join(", ")
                ))
            } else if matches!(s.scope.as_str(), "mask" | "other") != (s.kind == "-") {
                Some(format!(
                    "{:?}: a `mask` or `other` row has the kind `-`, and only such a row",
                    s.words
                ))
            } else if s.scope == "office" && s.words.split_whitespace().count() != 1 {
                Some(format!("{:?}: an `office` row is one word", s.words))
            } else if s.scope != "mask" && s.words.split_whitespace().any(|w| w == "…") {
                Some(format!("{:?}: `…` stands only in a mask row", s.words))
            } else {
                None
            };
            match bad {
                Some(message) => Err(LexiconError::Row {
                    table: table.to_string(),
                    message,
                }),
                None => Ok(SectionHeading {
                    kind: s.kind,
                    scope: s.scope,
                    phrase: StemPhrase::new(s.lang, &s.words),
                }),
            }
        })
        .collect()
}

/// Reads `body-kinds.tsv`: the slug of each kind of local body and a phrase naming it.
fn body_kinds(table: &str, text: &str) -> Result<Vec<(String, StemPhrase)>, LexiconError> {
    #[derive(Deserialize)]
    struct BodyKind {
        slug: String,
        lang: Lang,
        words: String,
    }
    Ok(rows::<BodyKind>(table, text)?
        .into_iter()
        .map(|b| (b.slug, StemPhrase::new(b.lang, &b.words)))
        .collect())
}

/// Reads `act-classes.tsv`: the phrases of the signals that class a document; a signal must be one the code knows.
fn act_classes(table: &str, text: &str) -> Result<Vec<(String, StemPhrase)>, LexiconError> {
    #[derive(Deserialize)]
    struct ActClassRow {
        signal: String,
        lang: Lang,
        words: String,
    }
    const SIGNALS: [&str; 10] = [
        "agree",
        "other-object",
        "approve",
        "amend",
        "repeal",
        "regulation",
        "charter",
        "body",
        "rules",
        "structure",
    ];
    rows::<ActClassRow>(table, text)?
        .into_iter()
        .map(|r| {
            if !SIGNALS.contains(&r.signal.as_str()) {
                return Err(LexiconError::Row {
                    table: table.to_string(),
                    message: format!(
                        "unknown signal {:?} (the signals: {})",
                        r.signal,
                        SIGNALS.join(", ")
                    ),
                });
            }
            Ok((r.signal, StemPhrase::new(r.lang, &r.words)))
        })
        .collect()
}

/// Reads `act-types.tsv`, compiling each row's pattern.
fn act_types(table: &str, text: &str) -> Result<Vec<ActTypePattern>, LexiconError> {
    #[derive(Deserialize)]
    struct ActType {
        #[serde(rename = "type")]
        act_type: String,
        lang: Lang,
        plural: String,
        pattern: String,
    }
    rows::<ActType>(table, text)?
        .into_iter()
        .map(|a| {
            let regex = Regex::new(&a.pattern).map_err(|e| LexiconError::Row {
                table: table.to_string(),
                message: format!("bad pattern {:?}: {e}", a.pattern),
            })?;
            Ok(ActTypePattern {
                act_type: a.act_type,
                lang: a.lang,
                plural: a.plural == "yes",
                regex,
            })
        })
        .collect()
}

/// Reads `reference/acts.tsv`: the national acts, each id once, with their titles split by language.
fn reference_acts(table: &str, text: &str) -> Result<Vec<RefAct>, LexiconError> {
    #[derive(Deserialize)]
    struct Act {
        id: String,
        #[serde(rename = "type")]
        act_type: String,
        date: String,
        number: String,
        adilet: String,
        kk_titles: String,
        ru_titles: String,
    }
    let mut acts: Vec<RefAct> = Vec::new();
    for a in rows::<Act>(table, text)? {
        if acts.iter().any(|r| r.id == a.id) {
            return Err(LexiconError::Row {
                table: table.to_string(),
                message: format!("id {:?} is given twice", a.id),
            });
        }
        let mut labels = Vec::new();
        for (lang, list) in [(Lang::Kk, &a.kk_titles), (Lang::Ru, &a.ru_titles)] {
            labels.extend(
                list.split(" | ")
                    .map(|t| (lang, t.trim().to_string()))
                    .filter(|(_, t)| !t.is_empty() && t != "-"),
            );
        }
        acts.push(RefAct {
            id: a.id,
            act_type: a.act_type,
            date: opt(a.date),
            number: opt(a.number),
            adilet: opt(a.adilet),
            titles: labels.iter().map(|(l, t)| (*l, title_key(t))).collect(),
            labels,
        });
    }
    Ok(acts)
}

/// The places of the phrases of each language (competence rules, unit words) by the first one or two letters of
/// their first stem, so that a word is tried only against the phrases that can start on it.
fn phrase_index<'a>(
    phrases: impl Iterator<Item = &'a StemPhrase> + Clone,
) -> Vec<(Lang, HashMap<String, Vec<usize>>)> {
    [Lang::Kk, Lang::Ru]
        .into_iter()
        .map(|lang| {
            let mut by_key: HashMap<String, Vec<usize>> = HashMap::default();
            for (i, phrase) in phrases.clone().enumerate() {
                if phrase.lang == lang {
                    by_key.entry(phrase.key().to_string()).or_default().push(i);
                }
            }
            (lang, by_key)
        })
        .collect()
}

/// The places of the phrases of an index that can start on a lowercase word: those filed under its first one or
/// two letters, each list in table order.
fn phrases_at<'a>(
    index: &'a [(Lang, HashMap<String, Vec<usize>>)],
    lang: Lang,
    word: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    let mut ends = word.char_indices().map(|(i, _)| i).skip(1).take(2);
    let one = ends.next().unwrap_or(word.len());
    let two = ends.next().unwrap_or(word.len());
    let keys = if one == word.len() {
        [Some(word), None]
    } else {
        [Some(&word[..one]), Some(&word[..two])]
    };
    let by_key = index.iter().find(|(l, _)| *l == lang).map(|(_, m)| m);
    keys.into_iter()
        .flatten()
        .filter_map(move |k| by_key?.get(k))
        .flatten()
        .copied()
}

/// Reads `stopwords.tsv`: the lowercase words left out when provisions are compared.
fn stopwords(table: &str, text: &str) -> Result<Vec<(Lang, String)>, LexiconError> {
    #[derive(Deserialize)]
    struct Stopword {
        lang: Lang,
        word: String,
    }
    Ok(rows::<Stopword>(table, text)?
        .into_iter()
        .map(|w| (w.lang, w.word.to_lowercase()))
        .collect())
}

impl Lexicon {
    /// The tables compiled into the binary, or those of `$AKIMAT_KG_DATA` when it is set. Panics when they cannot
    /// be read: for tests and benchmarks, which run on the shipped tables; commands call [`Lexicon::try_get`].
    pub fn get() -> &'static Lexicon {
        match Lexicon::try_get() {
            Ok(lexicon) => lexicon,
            // Tests and benchmarks run on the shipped tables; the commands use `try_get` and report the error.
            Err(e) => panic!("the tables of data/: {e}"),
        }
    }

    /// The process-wide lexicon: from `$AKIMAT_KG_DATA` when it is set, else the tables built into the binary;
    /// loaded once. An error names the table and row that could not be read, and is the same on every call.
    pub fn try_get() -> Result<&'static Lexicon, LexiconLoadError> {
        // The text toolkit's letter tables come from the same folder: report a bad one here, before any document.
        crate::text::letters().map_err(|e| LexiconLoadError(e.to_string()))?;
        patterns::patterns().map_err(|e| LexiconLoadError(e.to_string()))?;
        static LEXICON: OnceLock<Result<Lexicon, String>> = OnceLock::new();
        LEXICON
            .get_or_init(|| {
                match std::env::var_os("AKIMAT_KG_DATA") {
                    Some(dir) => Lexicon::from_dir(Path::new(&dir)),
                    None => Lexicon::embedded(),
                }
                .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| LexiconLoadError(e.clone()))
    }

    /// The tables compiled into the binary.
    pub fn embedded() -> Result<Lexicon, LexiconError> {
        Lexicon::from_texts(|name| {
            Ok(TABLES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.to_string())
                .unwrap_or_default())
        })
    }

    /// Reads the tables from a `data/` folder.
    pub fn from_dir(dir: &Path) -> Result<Lexicon, LexiconError> {
        Lexicon::from_texts(|name| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|cause| LexiconError::Io { path, cause })
        })
    }

    fn from_texts(
        load: impl Fn(&str) -> Result<String, LexiconError>,
    ) -> Result<Lexicon, LexiconError> {
        let tables = Tables(load);
        let months = tables.read("lexicon/months.tsv", months)?;
        let legal_forms = tables.read("lexicon/legal-forms.tsv", legal_forms)?;
        let unit_words = tables.read("lexicon/unit-types.tsv", unit_words)?;
        let name_key = tables.read("lexicon/name-key.tsv", name_key)?;
        let gazetteer = tables.read("reference/gazetteer.tsv", |table, text| {
            gazetteer(table, text, &unit_words, &name_key)
        })?;
        let ru_endings = tables.read("lexicon/ru-adjective-endings.tsv", ru_adjective_endings)?;
        let ru_noun_endings = tables.read("lexicon/ru-noun-endings.tsv", ru_noun_endings)?;
        let body_labels = tables.read("lexicon/body-labels.tsv", body_labels)?;
        let keywords = tables.read("lexicon/keywords.tsv", keywords)?;
        let keyword_finders = keyword_finders(&keywords)?;
        let control_patterns = [Lang::Kk, Lang::Ru]
            .into_iter()
            .filter_map(|lang| Some((lang, control_pattern(&keywords, lang)?)))
            .collect();
        let sections = tables.read("lexicon/sections.tsv", sections)?;
        let body_kinds = tables.read("lexicon/body-kinds.tsv", body_kinds)?;
        let act_classes = tables.read("lexicon/act-classes.tsv", act_classes)?;
        let act_types = tables.read("lexicon/act-types.tsv", act_types)?;
        let act_type_sets = [Lang::Kk, Lang::Ru]
            .into_iter()
            .map(|lang| ActTypeSet::new(lang, &act_types))
            .collect::<Result<_, LexiconError>>()?;
        let issuers = tables.read("lexicon/issuers.tsv", rows::<Issuer>)?;
        let acts = tables.read("reference/acts.tsv", reference_acts)?;
        let competence_rules = tables.read("lexicon/competence-rules.tsv", competence_rules)?;
        let competence_index = phrase_index(competence_rules.iter().map(|r| &r.phrase));
        let unit_word_index = phrase_index(unit_words.iter().map(|u| &u.phrase));
        let stopwords = tables.read("lexicon/stopwords.tsv", stopwords)?;
        let competence_model = tables.read("lexicon/competence-model.tsv", LinearModel::parse)?;
        Ok(Lexicon {
            months,
            legal_forms,
            unit_words,
            gazetteer,
            name_key,
            ru_noun_endings,
            body_labels,
            ru_endings,
            keywords,
            keyword_finders,
            control_patterns,
            sections,
            body_kinds,
            act_classes,
            act_types,
            act_type_sets,
            issuers,
            acts,
            competence_rules,
            competence_index,
            unit_word_index,
            stopword_sets: [Lang::Kk, Lang::Ru].map(|lang| {
                stopwords
                    .iter()
                    .filter(|(l, _)| *l == lang)
                    .map(|(_, w)| w.clone())
                    .collect()
            }),
            stopwords,
            competence_model,
        })
    }

    /// The first act-type pattern of a language, in table order, that matches at the start of `lower` (lowercase
    /// text from a word on), with the end of its match in `lower`. One pass of the language's pattern set answers
    /// for all its patterns.
    ///
    /// This is asked at every word, and most words name no act: words that start with none of the patterns'
    /// literal prefixes are answered without a search, and the search is anchored at the start (the engine that
    /// handles Unicode word boundaries in Cyrillic would otherwise read on through the rest of the document).
    pub fn act_type_at(&self, lang: Lang, lower: &str) -> Option<(&ActTypePattern, usize)> {
        let set = self.act_type_sets.iter().find(|s| s.lang == lang)?;
        if let Some(prefixes) = &set.prefixes {
            let at_start = aho_corasick::Input::new(lower).anchored(aho_corasick::Anchored::Yes);
            if !prefixes.is_match(at_start) {
                return None;
            }
        }
        let input = regex_automata::Input::new(lower).anchored(regex_automata::Anchored::Yes);
        // Leftmost-first: of the patterns that match at the start, the first in table order.
        let found = set.regex.search(&input)?;
        Some((
            &self.act_types[set.places[found.pattern().as_usize()]],
            found.end(),
        ))
    }

    /// The places in `competence_rules` of the rules of a language whose phrase can start on a lowercase word (its
    /// first stem begins with the word's first one or two letters), in table order within each length: one or two
    /// lookups per word instead of a comparison with every rule.
    pub fn competence_rules_at<'a>(
        &'a self,
        lang: Lang,
        word: &'a str,
    ) -> impl Iterator<Item = usize> + 'a {
        phrases_at(&self.competence_index, lang, word)
    }

    /// The unit words of a language that start at word `i` of a list of lowercase words, in table order (longest
    /// first): only those whose first stem begins with the word's first one or two letters are tried.
    pub fn unit_words_at(&self, lang: Lang, words: &[&str], i: usize) -> Vec<&UnitWord> {
        let Some(word) = words.get(i) else {
            return Vec::new();
        };
        let mut places: Vec<usize> = phrases_at(&self.unit_word_index, lang, word)
            .filter(|&u| self.unit_words[u].phrase.matches_at(words, i))
            .collect();
        places.sort_unstable();
        places.into_iter().map(|u| &self.unit_words[u]).collect()
    }

    /// Whether a lowercase word is a stopword of a language (`stopwords.tsv`).
    pub fn is_stopword(&self, lang: Lang, word: &str) -> bool {
        self.stopword_sets[lang as usize].contains(word)
    }

    /// The phrases of a signal key (empty if the key is unknown).
    pub fn phrases(&self, key: &str) -> impl Iterator<Item = &str> {
        self.keywords
            .get(key)
            .into_iter()
            .flatten()
            .map(|(_, p)| p.as_str())
    }

    /// The pattern that finds whom a control clause charges (`… орындалуын бақылау X жүктелсін`, `Контроль … возложить
    /// на X`): group 1 is the one charged.
    pub fn control_pattern(&self, lang: Lang) -> Option<&regex::Regex> {
        self.control_patterns
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, re)| re)
    }

    /// Whether a text is the title of an act (`… бекіту туралы`, `О внесении изменения …`): it ends with a
    /// `title_end` phrase or begins with a `title_first_word` word of its language (`keywords.tsv`), closing
    /// punctuation and quotes aside.
    pub fn is_title(&self, text: &str, lang: Lang) -> bool {
        let t = lowercase(text.trim().trim_end_matches(['.', '"', '»', '”']));
        let first = t.split_whitespace().next().unwrap_or("");
        self.phrases_in("title_end", lang).any(|p| t.ends_with(p))
            || self
                .phrases_in("title_first_word", lang)
                .any(|w| first == w)
    }

    /// The phrases of a signal of `act-classes.tsv` in one language.
    pub fn act_class_phrases<'a>(
        &'a self,
        signal: &'a str,
        lang: Lang,
    ) -> impl Iterator<Item = &'a StemPhrase> + 'a {
        self.act_classes
            .iter()
            .filter(move |(s, p)| s == signal && p.lang == lang)
            .map(|(_, p)| p)
    }

    /// The phrases of a signal key in one language (empty if the key is unknown).
    pub fn phrases_in(&self, key: &str, lang: Lang) -> impl Iterator<Item = &str> {
        self.keywords
            .get(key)
            .into_iter()
            .flatten()
            .filter(move |(l, _)| *l == lang)
            .map(|(_, p)| p.as_str())
    }

    /// Whether lowercase `text` contains a phrase of `key`; returns its byte position.
    pub fn find(&self, key: &str, text_lower: &str) -> Option<usize> {
        self.keyword_finders
            .get(key)?
            .find(text_lower)
            .map(|m| m.start())
    }

    /// Whether lowercase `text` contains a phrase of `key`.
    pub fn has(&self, key: &str, text_lower: &str) -> bool {
        self.find(key, text_lower).is_some()
    }

    /// The nominative of a Russian adjectival proper name (`Алгинского` → `Алгинский`) for a unit word of the
    /// given gender; the word as written when no ending of `ru-adjective-endings.tsv` fits.
    pub fn ru_nominative(&self, word: &str, gender: &str) -> String {
        let lower = word.to_lowercase();
        for (g, oblique, nominative) in &self.ru_endings {
            if g != gender || !lower.ends_with(oblique.as_str()) {
                continue;
            }
            let keep = word.chars().count() - oblique.chars().count();
            if keep < 2 {
                continue;
            }
            let mut out: String = word.chars().take(keep).collect();
            let upper = word.chars().skip(keep).all(|c| !c.is_lowercase());
            if upper && word.chars().count() > 1 {
                out.push_str(&nominative.to_uppercase());
            } else {
                out.push_str(nominative);
            }
            return out;
        }
        word.to_string()
    }

    /// The name of a local body of `kind` in `lang`: the pattern filled with the unit's name, or the fallback
    /// pattern filled with `fallback_name` when `name` is unknown.
    pub fn body_label(
        &self,
        kind: &str,
        lang: Lang,
        name: Option<&str>,
        fallback_name: Option<&str>,
    ) -> Option<String> {
        let (_, _, label, fallback) = self
            .body_labels
            .iter()
            .find(|(k, l, _, _)| k == kind && *l == lang)?;
        match (name, fallback, fallback_name) {
            (Some(n), _, _) => Some(label.replace("{}", n)),
            (None, Some(f), Some(n)) => Some(f.replace("{}", n)),
            _ => None,
        }
    }

    /// The row of the reference table of acts with this id.
    pub fn act(&self, id: &str) -> Option<&RefAct> {
        self.acts.iter().find(|a| a.id == id)
    }

    /// The nominative of a Russian noun written in the genitive (`Павлодара` → `Павлодар`, `Кызылорды` →
    /// `Кызылорда`), by `ru-noun-endings.tsv`; the word as written when no ending fits.
    pub fn ru_noun_nominative(&self, word: &str) -> String {
        let lower = word.to_lowercase();
        for (genitive, nominative) in &self.ru_noun_endings {
            let keep = word
                .chars()
                .count()
                .saturating_sub(genitive.chars().count());
            if keep >= 2 && lower.ends_with(genitive.as_str()) {
                let mut out: String = word.chars().take(keep).collect();
                out.push_str(nominative);
                return out;
            }
        }
        word.to_string()
    }

    /// The proper part of a unit's full name (`Ақкөл` of `Ақкөл ауданы`, `Биржан сал` of `район Биржан сал`),
    /// by the label patterns of the unit words.
    pub fn proper_name(&self, full: &str, lang: Lang) -> String {
        proper_name(&self.unit_words, full, lang)
    }

    /// Whether a proper name (in the nominative) is a name of a unit of the gazetteer in a language.
    pub fn gazetteer_knows(&self, proper: &str, lang: Lang) -> bool {
        self.gazetteer.knows(proper, lang)
    }

    /// The month named by a lowercase word.
    pub fn month(&self, word: &str) -> Option<u32> {
        self.months
            .iter()
            .find(|(_, stem, _)| word.starts_with(stem.as_str()))
            .map(|(_, _, m)| *m)
    }
}

/// The proper part of a unit's full name: what stands in place of `{}` in the label pattern of a unit word of the
/// language (`{} ауданы`, `район {}`, `{} сельский округ`), the longest pattern that fits; the name as written
/// when none fits.
fn proper_name(unit_words: &[UnitWord], full: &str, lang: Lang) -> String {
    let full = full.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = lower_same_len(&full);
    let mut best: Option<String> = None;
    for u in unit_words.iter().filter(|u| u.phrase.lang == lang) {
        let Some((before, after)) = &u.label_affixes else {
            continue;
        };
        if lower.len() <= before.len() + after.len()
            || !lower.starts_with(before.as_str())
            || !lower.ends_with(after.as_str())
        {
            continue;
        }
        let inner = full[before.len()..full.len() - after.len()]
            .trim()
            .to_string();
        if !inner.is_empty() && best.as_ref().is_none_or(|b| inner.len() < b.len()) {
            best = Some(inner);
        }
    }
    // A name ending in the bare unit word (`Ғабит Мүсірепов атындағы аудан`).
    if best.is_none() {
        for u in unit_words
            .iter()
            .filter(|u| u.phrase.lang == lang && !u.name_after)
        {
            let bare = &u.bare;
            if lower.ends_with(bare.as_str()) && lower.len() > bare.len() {
                return full[..full.len() - bare.len()].trim().to_string();
            }
        }
    }
    best.unwrap_or(full)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The texts of the regulations shipped in `data/regulations`, lowercase.
    pub(crate) fn shipped_texts() -> Vec<(std::path::PathBuf, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/regulations");
        let mut out: Vec<(std::path::PathBuf, String)> = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x == "txt" || x == "md")
            })
            .map(|e| {
                let text = std::fs::read_to_string(e.path()).unwrap();
                (e.path().to_path_buf(), lowercase(&text))
            })
            .collect();
        out.retain(|(_, t)| !t.is_empty());
        assert!(out.len() > 10, "{}", out.len());
        out
    }

    #[test]
    fn the_indexes_find_what_every_phrase_tried_in_turn_finds() {
        let lex = Lexicon::embedded().unwrap();
        let (mut keyword_hits, mut unit_hits) = (0, 0);
        for (path, text) in shipped_texts() {
            for line in text.lines() {
                // A key's automaton: the earliest place any of its phrases stands.
                for key in lex.keywords.keys() {
                    let one_by_one = lex.phrases(key).filter_map(|p| line.find(p)).min();
                    assert_eq!(
                        lex.find(key, line),
                        one_by_one,
                        "{key} in {}",
                        path.display()
                    );
                    keyword_hits += usize::from(one_by_one.is_some());
                }
                // The unit words that can start at a word, in table order.
                let ws: Vec<(usize, usize, String)> = words(line);
                let lower: Vec<&str> = ws.iter().map(|w| w.2.as_str()).collect();
                for lang in [Lang::Kk, Lang::Ru] {
                    for i in 0..lower.len() {
                        let indexed: Vec<*const UnitWord> = lex
                            .unit_words_at(lang, &lower, i)
                            .into_iter()
                            .map(|u| u as *const UnitWord)
                            .collect();
                        let all: Vec<*const UnitWord> = lex
                            .unit_words
                            .iter()
                            .filter(|u| u.phrase.lang == lang && u.phrase.matches_at(&lower, i))
                            .map(|u| u as *const UnitWord)
                            .collect();
                        assert_eq!(indexed, all, "{}: {line}", path.display());
                        unit_hits += all.len();
                    }
                }
            }
        }
        assert!(
            keyword_hits > 1000 && unit_hits > 1000,
            "{keyword_hits} {unit_hits}"
        );
    }

    #[test]
    fn a_section_row_of_an_unknown_scope_or_a_misplaced_mask_is_refused_with_its_table() {
        let head = "kind\tscope\tlang\twords\n";
        for (row, said) in [
            ("Goal\theading\tru\tцели\n", "unknown scope \"heading\""),
            (
                "Goal\tmask\tru\tцели\n",
                "a `mask` or `other` row has the kind `-`",
            ),
            (
                "-\tpara\tru\tцели\n",
                "a `mask` or `other` row has the kind `-`",
            ),
            (
                "Goal\tpara\tru\tцели … задач\n",
                "`…` stands only in a mask row",
            ),
            (
                "HeadPower\toffice\tru\tпервый руководитель\n",
                "an `office` row is one word",
            ),
        ] {
            let err = sections("lexicon/sections.tsv", &format!("{head}{row}")).unwrap_err();
            let text = err.to_string();
            assert!(text.starts_with("lexicon/sections.tsv: "), "{text}");
            assert!(text.contains(said), "{row}: {text}");
        }
        let ok = sections(
            "lexicon/sections.tsv",
            &format!("{head}-\tmask\tkk\tміндет … үшін\n"),
        )
        .unwrap();
        assert_eq!(ok[0].phrase.stems, ["міндет", "…", "үшін"]);
    }

    #[test]
    fn the_act_type_set_answers_as_the_patterns_tried_one_by_one() {
        let lex = Lexicon::embedded().unwrap();
        assert!(lex.act_type_sets.iter().all(|s| s.prefixes.is_some()));
        let mut found = 0;
        for (path, text) in shipped_texts() {
            for (start, _, _) in words(&text) {
                // A window far longer than any pattern's match, the same for both ways.
                let end = (start + 200..=text.len())
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(text.len());
                let at = &text[start..end];
                for lang in [Lang::Kk, Lang::Ru] {
                    let one_by_one = lex.act_types.iter().find_map(|a| {
                        let end = a.regex.find(at).filter(|_| a.lang == lang)?.end();
                        Some((a.regex.as_str(), end))
                    });
                    let set = lex.act_type_at(lang, at);
                    assert_eq!(
                        set.map(|(a, end)| (a.regex.as_str(), end)),
                        one_by_one,
                        "{} at byte {start}",
                        path.display()
                    );
                    found += usize::from(set.is_some());
                }
            }
        }
        assert!(found > 100, "{found}");
    }

    #[test]
    fn tabled_character_classes_agree_with_the_standard_library_everywhere() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            let one = c.to_string();
            assert_eq!(lowercase(&one), one.to_lowercase(), "{c:?}");
        }
        // Σ lowers by its place in the word, as the standard library does; İ lowers to two characters.
        for s in ["ΣΟΦΟΣ ΟΔΟΣ", "Σ", "İSTANBUL Ақсу ҰЛТТЫҚ — №5 «ОРТАЛЫҚ»"]
        {
            assert_eq!(lowercase(s), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn words_are_lowercase_with_inner_hyphens_and_byte_ranges() {
        let w = words("Ақсу-2 ауданы, «Wi-Fi» - ҚР");
        let got: Vec<(usize, usize, &str)> =
            w.iter().map(|(s, e, t)| (*s, *e, t.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (0, 10, "ақсу-2"),
                (11, 23, "ауданы"),
                (27, 32, "wi-fi"),
                (37, 41, "қр")
            ]
        );
    }
}
