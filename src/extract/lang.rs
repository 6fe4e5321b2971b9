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

/// Detects the language of a text from the share of its Cyrillic words that hold a Kazakh-only letter: about three
/// words in four in Kazakh prose, a handful in a Russian text that quotes Kazakh names (`на государственном языке:
/// Батыс Қазақстан облысы …`), so the line is drawn at one word in four. The Kazakh-only letters are the `kazakh`
/// rows of `data/lexicon/letter-roles.tsv`.
pub fn detect(text: &str) -> Detected {
    let letters = crate::text::letters_or_builtin();
    let (mut cyr, mut latin) = (0usize, 0usize);
    let (mut words, mut kazakh_words) = (0usize, 0usize);
    let mut in_word = false;
    let mut word_is_kazakh = false;
    for c in text.chars().chain(std::iter::once(' ')) {
        let cyrillic = matches!(c, '\u{0400}'..='\u{04FF}');
        if cyrillic {
            cyr += 1;
            in_word = true;
            word_is_kazakh |= letters.is_kazakh(c);
            continue;
        }
        if c.is_ascii_alphabetic() {
            latin += 1;
        }
        if in_word {
            words += 1;
            kazakh_words += usize::from(word_is_kazakh);
        }
        in_word = false;
        word_is_kazakh = false;
    }
    if cyr + latin < 20 {
        return Detected::Unknown;
    }
    if latin > cyr {
        return Detected::Latin;
    }
    if kazakh_words * 4 >= words {
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
        // A Russian text quoting a Kazakh name stays Russian.
        assert_eq!(
            detect("Наименование государственного учреждения на государственном языке: Батыс Қазақстан облысы әкімдігі білім басқармасының Орал қаласы білім беру бөлімінің «№35 мектеп-лицейі» коммуналдық мемлекеттік мекемесі; на русском языке: коммунальное государственное учреждение «Школа-лицей №35» отдела образования города Уральск управления образования акимата Западно-Казахстанской области, его местонахождение и режим работы определяются настоящим уставом учреждения."),
            Detected::Supported(Lang::Ru)
        );
        assert_eq!(
            detect("Financing of the activities of the Department is carried out from the local budget."),
            Detected::Latin
        );
    }
}
