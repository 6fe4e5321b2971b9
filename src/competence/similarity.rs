//! How alike two provisions are, for pairing them in `compare`. Kazakh and Russian both inflect by endings
//! (Kazakh agglutinates suffixes: `бюджеттен`, `бюджетінің`; Russian declines: `бюджета`, `бюджетом`), so each word is
//! cut to its first five letters, which keeps its root and drops most endings; function words and the verbs every
//! provision uses (`data/lexicon/stopwords.tsv`) and words of fewer than three letters are left out. The similarity
//! is the Dice coefficient of the two sets of stems: twice the shared stems over the sum of their counts, from 0
//! (nothing shared) to 1 (the same stems).

use crate::lexicon::{words, Lang, Lexicon};
use std::collections::BTreeSet;

/// Letters kept of each word.
pub const STEM_LETTERS: usize = 5;

/// The stems of a text.
pub fn stems(text: &str, lang: Lang, lex: &Lexicon) -> BTreeSet<String> {
    words(text)
        .into_iter()
        .map(|w| w.2)
        .filter(|w| w.chars().count() >= 3)
        .filter(|w| !lex.is_stopword(lang, w))
        .map(|w| w.chars().take(STEM_LETTERS).collect())
        .collect()
}

/// The Dice coefficient of two sets of stems.
pub fn dice(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count();
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// How alike two texts of one language are, from 0 to 1.
pub fn similarity(a: &str, b: &str, lang: Lang, lex: &Lexicon) -> f64 {
    dice(&stems(a, lang, lex), &stems(b, lang, lex))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_endings_do_not_matter_and_subjects_do() {
        let lex = Lexicon::embedded().unwrap();
        // The same duty in two cases: `өтініштерін қарау` / `өтініштерінің қаралуын`.
        let a = "азаматтардың өтініштерін қарау";
        let b = "азаматтардың өтініштерінің қаралуын бақылау";
        assert!(
            similarity(a, b, Lang::Kk, &lex) > 0.5,
            "{}",
            similarity(a, b, Lang::Kk, &lex)
        );
        let r1 = "ведет делопроизводство";
        let r2 = "организует делопроизводство аппарата";
        assert!(similarity(r1, r2, Lang::Ru, &lex) >= 0.5);
        // Different subjects share nothing but function words.
        let c = "діни бірлестіктермен өзара іс-қимыл";
        assert_eq!(similarity(a, c, Lang::Kk, &lex), 0.0);
    }
}
