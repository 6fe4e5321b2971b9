//! The language-neutral key of a unit's proper name (`data/lexicon/name-key.tsv`): the Kazakh and the Russian
//! spelling of one name give one key, so that a unit the gazetteer lacks still meets across the two languages.

use crate::text::{lowercase, Lang};

/// A row of `name-key.tsv` could not be understood.
#[derive(Debug, thiserror::Error)]
#[error("lexicon/name-key.tsv: line {line}: {message}")]
pub struct NameKeyError {
    /// The line of the table.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The rules of `name-key.tsv`, loaded once.
#[derive(Debug, Clone, Default)]
pub struct NameKey {
    /// Words dropped whole (`имени`).
    words: Vec<String>,
    /// Russian adjective endings, longest first.
    endings: Vec<String>,
    /// Vowel letters.
    vowels: Vec<char>,
    /// Letters and letter pairs with their value (`None`: dropped), longest first.
    letters: Vec<(Vec<char>, Option<String>)>,
    /// Values dropped at the end.
    finals: Vec<String>,
    /// Letters written for one another (`ё` for `е`), folded before any comparison of names.
    folds: Vec<(char, char)>,
}

impl NameKey {
    /// Reads the table's text.
    pub fn parse(text: &str) -> Result<NameKey, NameKeyError> {
        let mut k = NameKey::default();
        for (n, line) in crate::datafile::rows(text) {
            let bad = |message: String| NameKeyError { line: n, message };
            let f: Vec<&str> = line.split('\t').collect();
            let [kind, value, to] = f[..] else {
                return Err(bad(format!(
                    "expected 3 columns (kind, value, to), found {}",
                    f.len()
                )));
            };
            let value = lowercase(value.trim());
            if value.is_empty() {
                return Err(bad("empty value".into()));
            }
            let to = (to != "-" && !to.is_empty()).then(|| to.to_string());
            match kind {
                "word" => k.words.push(value),
                "ending" => k.endings.push(value),
                "vowel" => {
                    let mut cs = value.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) => k.vowels.push(c),
                        _ => return Err(bad(format!("a vowel is one letter, not {value:?}"))),
                    }
                }
                "letter" => k.letters.push((value.chars().collect(), to)),
                "final" => k.finals.push(value),
                "fold" => {
                    let one = |v: &str| {
                        let mut cs = v.chars();
                        match (cs.next(), cs.next()) {
                            (Some(c), None) => Some(c),
                            _ => None,
                        }
                    };
                    match (one(&value), to.as_deref().and_then(one)) {
                        (Some(from), Some(into)) => k.folds.push((from, into)),
                        _ => {
                            return Err(bad(format!(
                                "a fold is one letter to one letter, not {value:?}"
                            )))
                        }
                    }
                }
                other => {
                    return Err(bad(format!(
                        "unknown kind {other:?} (word, ending, vowel, letter, final, fold)"
                    )))
                }
            }
        }
        k.endings
            .sort_by_key(|e| std::cmp::Reverse(e.chars().count()));
        k.letters.sort_by_key(|(l, _)| std::cmp::Reverse(l.len()));
        Ok(k)
    }

    /// A lowercase name with its `fold` letters replaced (`ё` as `е`), for comparing spellings.
    pub fn fold(&self, lower: &str) -> String {
        lower
            .chars()
            .map(|c| {
                self.folds
                    .iter()
                    .find(|(f, _)| *f == c)
                    .map_or(c, |(_, t)| *t)
            })
            .collect()
    }

    /// The key of a proper name written in `lang` (`Ұйғыр`, `Уйгурский`, `Карабулак`): Latin letters, empty for a
    /// name with no letters.
    pub fn key(&self, proper: &str, lang: Lang) -> String {
        let lower = self.fold(&lowercase(proper));
        let mut words: Vec<&str> = lower
            .split(|c: char| c.is_whitespace() || c == '-' || c == '.' || c == ',')
            .filter(|w| !w.is_empty() && !self.words.iter().any(|d| d == w))
            .collect();
        let mut last = String::new();
        if lang == Lang::Ru {
            if let Some(w) = words.pop() {
                last = self
                    .endings
                    .iter()
                    .find(|e| w.ends_with(e.as_str()) && w.chars().count() >= e.chars().count() + 2)
                    .map_or(w, |e| &w[..w.len() - e.len()])
                    .to_string();
            }
        }
        let mut chars: Vec<char> = words.join("").chars().collect();
        chars.extend(last.chars());
        let mut values: Vec<String> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if self.vowels.contains(&c) {
                if i == 0 {
                    values.push("a".into());
                }
                i += 1;
                continue;
            }
            if let Some((from, to)) = self
                .letters
                .iter()
                .find(|(from, _)| chars[i..].starts_with(from))
            {
                values.extend(to.clone());
                i += from.len();
                continue;
            }
            if c.is_ascii_alphanumeric() {
                values.push(c.to_string());
            }
            i += 1;
        }
        values.dedup();
        while values.len() > 2 && values.last().is_some_and(|v| self.finals.contains(v)) {
            values.pop();
        }
        values.concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> NameKey {
        NameKey::parse(include_str!("../../data/lexicon/name-key.tsv")).unwrap()
    }

    #[test]
    fn kazakh_and_russian_spellings_of_one_name_meet() {
        let k = table();
        for (kk, ru) in [
            ("Ұйғыр", "Уйгурский"),
            ("Алға", "Алгинский"),
            ("Байғанин", "Байганинский"),
            ("Түлкібас", "Тюлькубасский"),
            ("Қарабұлақ", "Карабулак"),
            ("Үржар", "Урджарский"),
            ("Шыңғырлау", "Чингирлауский"),
            ("Мағжан Жұмабаев", "Магжана Жумабаева"),
            ("Таран", "Тарановский"),
            ("Төле би", "Толебийский"),
            ("Жарқайың", "Жаркаинский"),
            ("Ескелді", "Ескельдинский"),
            ("Әйтеке би", "Айтекебийский"),
            ("Ойыл", "Уилский"),
            ("Шу", "Шуский"),
            ("Ғабит Мүсірепов атындағы", "имени Габита Мусрепова"),
        ] {
            assert_eq!(k.key(kk, Lang::Kk), k.key(ru, Lang::Ru), "{kk} / {ru}");
        }
    }

    #[test]
    fn different_names_keep_different_keys() {
        let k = table();
        assert_ne!(k.key("Ақсу", Lang::Kk), k.key("Ақсуат", Lang::Kk));
        assert_ne!(k.key("Қаратал", Lang::Kk), k.key("Қаратау", Lang::Kk));
        assert_eq!(k.key("Ұйғыр", Lang::Kk), "agr");
        assert_eq!(k.key("", Lang::Kk), "");
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let e = NameKey::parse("kind\tvalue\tto\nvowel\tаб\t-\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(NameKey::parse("kind\tvalue\tto\nsound\tа\t-\n").is_err());
    }
}
