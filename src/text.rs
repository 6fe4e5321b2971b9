//! The text toolkit every stage shares: the two languages, and lowercasing, word splitting and character classes
//! for Latin and Cyrillic text, fast and offset-preserving. It sits below every other module (it needs none), so
//! that tables (the lexicon, the gazetteer) and stages alike can use it without depending on each other.

use serde::Deserialize;

/// A language the extractor reads.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, PartialOrd, Ord,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Kazakh.
    Kk,
    /// Russian.
    Ru,
}

impl Lang {
    /// The BCP 47 tag used on literals.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
        }
    }
}

/// Lowercase letter by letter, keeping every character's UTF-8 length (a letter whose lowercase form is longer or
/// shorter, which Kazakh and Russian letters never are, is kept as written), so byte offsets in the copy are offsets
/// in the original.
pub fn lower_same_len(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        out.push(match lower_char(c) {
            Some(one) if one.len_utf8() == c.len_utf8() => one,
            Some(_) => c,
            None => {
                let mut l = c.to_lowercase();
                match (l.next(), l.next()) {
                    (Some(one), None) if one.len_utf8() == c.len_utf8() => one,
                    _ => c,
                }
            }
        });
    }
    out
}

/// `str::to_lowercase`, with the letters of the Latin and Cyrillic blocks lowered from a table (the standard
/// library searches Unicode's tables for every letter beyond ASCII, which was a tenth of the extraction time).
pub fn lowercase(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match lower_char(c) {
            Some(l) => out.push(l),
            // Σ lowers by its context (final ς), which only the standard library knows.
            None if c == 'Σ' => return text.to_lowercase(),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The lowercase of a character of the tabled blocks where it is one character, and not Σ; `None` otherwise.
fn lower_char(c: char) -> Option<char> {
    char_classes().get(c as usize).and_then(|&(_, _, l)| l)
}

/// Whether a lowercase word starts with a stem, allowing one typo (a letter missing, added or changed) in stems of
/// seven letters or more (`мангистаукого` for `мангистауск`): real documents carry such typos in names.
pub fn stem_close(word: &str, stem: &str) -> bool {
    if word.starts_with(stem) {
        return true;
    }
    let letters = stem.chars().count();
    if letters < 7 {
        return false;
    }
    let word_letters = word.chars().count();
    (letters - 1..=letters + 1)
        .filter(|&k| k <= word_letters)
        .any(|k| {
            let prefix: String = word.chars().take(k).collect();
            strsim::levenshtein(&prefix, stem) <= 1
        })
}

/// Splits text into lowercase words with their byte ranges (letters, digits and inner hyphens).
pub fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner_hyphen =
            c == '-' && start.is_some() && chars.peek().is_some_and(|&(_, n)| is_alphanumeric(n));
        if is_alphanumeric(c) || inner_hyphen {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((s, i, lowercase(&text[s..i])));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), lowercase(&text[s..])));
    }
    out
}

/// Characters below this are classified from [`char_classes`].
const TABLED: usize = 0x530;

/// Whether each character of the Latin and Cyrillic blocks (where these texts are written) is alphabetic, whether
/// it is alphanumeric, and its lowercase where that is one character (not for Σ, whose lowercase depends on its
/// place in the word), as `char` says, computed once: the standard library's lookup for letters beyond ASCII is a
/// search through Unicode's tables, which for Cyrillic text took a tenth of the extraction time.
type CharClass = (bool, bool, Option<char>);

fn char_classes() -> &'static [CharClass; TABLED] {
    static CLASSES: std::sync::OnceLock<[CharClass; TABLED]> = std::sync::OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut t = [(false, false, None); TABLED];
        for (u, slot) in t.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(u as u32) {
                let mut l = c.to_lowercase();
                let lower = match (l.next(), l.next()) {
                    (Some(one), None) if c != 'Σ' => Some(one),
                    _ => None,
                };
                *slot = (c.is_alphabetic(), c.is_alphanumeric(), lower);
            }
        }
        t
    })
}

/// `char::is_alphabetic`, from a table for Latin and Cyrillic.
pub fn is_alphabetic(c: char) -> bool {
    match char_classes().get(c as usize) {
        Some(&(alpha, _, _)) => alpha,
        None => c.is_alphabetic(),
    }
}

/// `char::is_alphanumeric`, from a table for Latin and Cyrillic.
pub fn is_alphanumeric(c: char) -> bool {
    match char_classes().get(c as usize) {
        Some(&(_, alnum, _)) => alnum,
        None => c.is_alphanumeric(),
    }
}

/// The letter tables of `data/lexicon/` the toolkit uses: the transliteration behind IRI slugs
/// (`transliteration.tsv`), the Latin look-alikes of Cyrillic letters (`look-alikes.tsv`) and the letters with a
/// job of their own (`letter-roles.tsv`: Kazakh-only letters, Cyrillic letters in Roman numerals, number suffixes).
#[derive(Debug)]
pub struct Letters {
    latin: std::collections::HashMap<char, String>,
    lookalikes: std::collections::HashMap<char, char>,
    kazakh: Vec<char>,
    /// Whether each character below U+0500 is in `kazakh`.
    kazakh_low: Vec<bool>,
    roman: std::collections::HashMap<char, char>,
    number_suffixes: Vec<String>,
}

use crate::datafile::DataFileError;

const TRANSLITERATION: (&str, &str) = (
    "lexicon/transliteration.tsv",
    include_str!("../data/lexicon/transliteration.tsv"),
);
const LOOK_ALIKES: (&str, &str) = (
    "lexicon/look-alikes.tsv",
    include_str!("../data/lexicon/look-alikes.tsv"),
);
const LETTER_ROLES: (&str, &str) = (
    "lexicon/letter-roles.tsv",
    include_str!("../data/lexicon/letter-roles.tsv"),
);

/// The one character of `value`, or an error naming the table's line.
fn one_char(file: &str, line: usize, value: &str) -> Result<char, DataFileError> {
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(DataFileError {
            file: file.to_string(),
            line,
            message: format!("{value:?} is not one letter"),
        }),
    }
}

/// The rows of a two-column table: a single character, and its value.
fn letter_rows(file: &str, text: &str) -> Result<Vec<(usize, char, String)>, DataFileError> {
    let mut out = Vec::new();
    for (n, line) in crate::datafile::rows(text) {
        let bad = |message: String| DataFileError {
            file: file.to_string(),
            line: n,
            message,
        };
        let (key, value) = line
            .split_once('\t')
            .ok_or_else(|| bad("expected two columns separated by a tab".into()))?;
        let mut chars = key.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return Err(bad(format!("{key:?} is not one letter")));
        };
        out.push((n, c, value.trim_end_matches('\r').to_string()));
    }
    Ok(out)
}

impl Letters {
    /// Reads the three tables from their texts (`(path below data/, content)`).
    pub fn parse(
        transliteration: (&str, &str),
        lookalikes: (&str, &str),
        roles: (&str, &str),
    ) -> Result<Letters, DataFileError> {
        let mut latin = std::collections::HashMap::new();
        for (line, c, value) in letter_rows(transliteration.0, transliteration.1)? {
            if !value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                return Err(DataFileError {
                    file: transliteration.0.to_string(),
                    line,
                    message: format!(
                        "{value:?}: a slug is written in lowercase ASCII letters and digits"
                    ),
                });
            }
            latin.insert(c, value);
        }
        let mut alikes = std::collections::HashMap::new();
        for (line, c, value) in letter_rows(lookalikes.0, lookalikes.1)? {
            alikes.insert(c, one_char(lookalikes.0, line, &value)?);
        }
        let mut letters = Letters {
            latin,
            lookalikes: alikes,
            kazakh: Vec::new(),
            kazakh_low: vec![false; 0x500],
            roman: std::collections::HashMap::new(),
            number_suffixes: Vec::new(),
        };
        for (line, row) in crate::datafile::rows(roles.1) {
            let f: Vec<&str> = row.split('\t').map(|f| f.trim_end_matches('\r')).collect();
            let bad = |message: String| DataFileError {
                file: roles.0.to_string(),
                line,
                message,
            };
            let [role, value, to] = f[..] else {
                return Err(bad(format!(
                    "expected 3 columns (role, value, as), found {}",
                    f.len()
                )));
            };
            match role {
                "kazakh" => {
                    let c = one_char(roles.0, line, value)?;
                    letters.kazakh.push(c);
                    if let Some(low) = letters.kazakh_low.get_mut(c as usize) {
                        *low = true;
                    }
                }
                "roman" => {
                    let latin = one_char(roles.0, line, to)?;
                    if !matches!(latin, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M') {
                        return Err(bad(format!("{to:?} is not a Roman numeral letter")));
                    }
                    letters.roman.insert(one_char(roles.0, line, value)?, latin);
                }
                "number-suffix" if !value.is_empty() => letters.number_suffixes.push(value.into()),
                other => {
                    return Err(bad(format!(
                        "unknown role {other:?} (kazakh, roman, number-suffix), or an empty value"
                    )))
                }
            }
        }
        Ok(letters)
    }

    /// The tables of `$AKIMAT_KG_DATA` when it is set, else those built into the binary.
    pub fn load() -> Result<Letters, DataFileError> {
        let t = crate::datafile::text(TRANSLITERATION.0, TRANSLITERATION.1)?;
        let l = crate::datafile::text(LOOK_ALIKES.0, LOOK_ALIKES.1)?;
        let r = crate::datafile::text(LETTER_ROLES.0, LETTER_ROLES.1)?;
        Letters::parse(
            (TRANSLITERATION.0, &t),
            (LOOK_ALIKES.0, &l),
            (LETTER_ROLES.0, &r),
        )
    }

    /// The ASCII a lowercase letter becomes in a slug (`""` for a letter that is dropped), if the table has it.
    pub fn latin(&self, c: char) -> Option<&str> {
        self.latin.get(&c).map(String::as_str)
    }

    /// The Cyrillic letter a Latin look-alike stands for.
    pub fn lookalike(&self, c: char) -> Option<char> {
        self.lookalikes.get(&c).copied()
    }

    /// Whether a letter is one of Kazakh that Russian does not use.
    pub fn is_kazakh(&self, c: char) -> bool {
        // Asked of every letter of a text: below U+0500 (Latin and Cyrillic) a table answers.
        match self.kazakh_low.get(c as usize) {
            Some(yes) => *yes,
            None => self.kazakh.contains(&c),
        }
    }

    /// The Latin letter a Cyrillic one stands for in a Roman numeral (`І` → `I`).
    pub fn roman(&self, c: char) -> Option<char> {
        self.roman.get(&c).copied()
    }

    /// Marks written after a law's number that are not part of it (`ЗРК`).
    pub fn number_suffixes(&self) -> impl Iterator<Item = &str> {
        self.number_suffixes.iter().map(String::as_str)
    }
}

/// The process-wide letter tables, loaded once (see [`Letters::load`]); the error is the same on every call.
pub fn letters() -> Result<&'static Letters, DataFileError> {
    static LETTERS: std::sync::OnceLock<Result<Letters, DataFileError>> =
        std::sync::OnceLock::new();
    LETTERS
        .get_or_init(Letters::load)
        .as_ref()
        .map_err(Clone::clone)
}

/// The letter tables for code that has no error to return: the loaded ones, or the built-in ones when
/// `$AKIMAT_KG_DATA` holds a bad table — which the commands report before they read any document (the lexicon's
/// `try_get` checks these tables too).
pub fn letters_or_builtin() -> &'static Letters {
    static BUILTIN: std::sync::OnceLock<Letters> = std::sync::OnceLock::new();
    letters().unwrap_or_else(|_| {
        BUILTIN.get_or_init(|| {
            Letters::parse(TRANSLITERATION, LOOK_ALIKES, LETTER_ROLES)
                .expect("the built-in letter tables parse (tested)")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_letter_tables_read_and_fold_the_two_spellings_of_a_name() {
        let l = Letters::parse(TRANSLITERATION, LOOK_ALIKES, LETTER_ROLES).unwrap();
        let slug = |s: &str| s.chars().map(|c| l.latin(c).unwrap()).collect::<String>();
        assert_eq!(slug("ұйғыр"), "uigyr");
        assert_eq!(slug("уйгур"), "uigur");
        assert_eq!(slug("қордай"), slug("кордай"));
        assert_eq!(l.latin('ь'), Some(""));
        assert_eq!(l.lookalike('p'), Some('р'));
        assert_eq!(l.lookalike('z'), None);
        assert!(l.is_kazakh('ң') && l.is_kazakh('Ү') && !l.is_kazakh('и'));
        assert_eq!(
            (l.roman('І'), l.roman('в'), l.roman('б')),
            (Some('I'), Some('V'), None)
        );
        assert_eq!(l.number_suffixes().collect::<Vec<_>>(), ["ЗРК"]);
    }

    #[test]
    fn a_bad_row_names_its_file_and_line() {
        let bad = (
            "lexicon/transliteration.tsv",
            "# c\ncyrillic\tlatin\nа\ta\nбв\tb\n",
        );
        let e = Letters::parse(bad, LOOK_ALIKES, LETTER_ROLES).unwrap_err();
        assert_eq!(
            (e.file.as_str(), e.line),
            ("lexicon/transliteration.tsv", 4)
        );
        let upper = ("lexicon/transliteration.tsv", "cyrillic\tlatin\nа\tA\n");
        let e = Letters::parse(upper, LOOK_ALIKES, LETTER_ROLES).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let roles = (
            "lexicon/letter-roles.tsv",
            "role\tvalue\tas\nroman\tІ\tI\nroman\tХ\tZ\n",
        );
        let e = Letters::parse(TRANSLITERATION, LOOK_ALIKES, roles).unwrap_err();
        assert_eq!(
            (e.file.as_str(), e.line, e.message.contains("Roman")),
            ("lexicon/letter-roles.tsv", 3, true),
            "{e}"
        );
        let roles = ("lexicon/letter-roles.tsv", "role\tvalue\tas\nvowel\tа\t-\n");
        let e = Letters::parse(TRANSLITERATION, LOOK_ALIKES, roles).unwrap_err();
        assert!(e.message.contains("unknown role"), "{e}");
    }
}
