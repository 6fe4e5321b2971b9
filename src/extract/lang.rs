//! Which language a document is written in, from its letters.

use crate::lexicon::Lang;

/// The language found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// A language the extractor reads.
    Supported(Lang),
    /// Mostly Latin letters: a translation or another language.
    Latin,
    /// Too few letters to tell.
    Unknown,
}

const KAZAKH_LETTERS: &str = "әғқңөұүһіӘҒҚҢӨҰҮҺІ";

/// Detects the language of a text from the share of Kazakh-only letters among Cyrillic ones.
pub fn detect(text: &str) -> Detected {
    let (mut cyr, mut kaz, mut latin) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        if KAZAKH_LETTERS.contains(c) {
            kaz += 1;
            cyr += 1;
        } else if matches!(c, '\u{0400}'..='\u{04FF}') {
            cyr += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if cyr + latin < 20 {
        return Detected::Unknown;
    }
    if latin > cyr {
        return Detected::Latin;
    }
    // Kazakh prose has several percent of Kazakh-only letters; Russian text quoting Kazakh names has far fewer.
    if kaz * 100 >= cyr * 2 {
        Detected::Supported(Lang::Kk)
    } else {
        Detected::Supported(Lang::Ru)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_russian_and_english_are_told_apart() {
        assert_eq!(
            detect("Мемлекеттік мекеменің қызметін қаржыландыру жергілікті бюджеттер есебінен жүзеге асырылады."),
            Detected::Supported(Lang::Kk)
        );
        assert_eq!(
            detect("Финансирование деятельности учреждения осуществляется из местного бюджета."),
            Detected::Supported(Lang::Ru)
        );
        assert_eq!(
            detect("Financing of the activities of the Department is carried out from the local budget."),
            Detected::Latin
        );
    }
}
