//! Dates and numbers of acts as written in Kazakh and Russian.

use crate::lexicon::patterns::Screened;
use crate::lexicon::{lowercase, Lexicon};
use std::sync::LazyLock;

static NUMERIC_DATE: LazyLock<Screened> =
    LazyLock::new(|| Screened::new(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b").unwrap());

/// A date found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// ISO form `YYYY-MM-DD`.
    pub iso: String,
    /// Byte range in the searched text.
    pub start: usize,
    /// End of the range.
    pub end: usize,
}

fn iso(year: &str, month: u32, day: &str) -> Option<String> {
    let y: u32 = year.parse().ok()?;
    let d: u32 = day.parse().ok()?;
    ((1900..2100).contains(&y) && (1..=12).contains(&month) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{month:02}-{d:02}"))
}

/// Every date in `text` (lowercase or not), in order.
pub fn dates(text: &str, lex: &Lexicon) -> Vec<FoundDate> {
    let lower = lowercase(text);
    let mut out = Vec::new();
    // Lowercasing keeps byte lengths for the Cyrillic and Latin letters used here; check, and fall back to
    // the original text if it does not.
    let hay = if lower.len() == text.len() {
        lower.as_str()
    } else {
        text
    };
    // Each pattern gives (year, month, day) from its captures.
    type Fields = fn(&regex::Captures<'_>, &Lexicon) -> Option<(String, u32, String)>;
    let patterns: [(&Screened, Fields); 3] = [
        (
            &crate::lexicon::patterns::patterns_or_builtin().kk_date,
            |c, lex| Some((c[1].to_string(), lex.month(&c[3])?, c[2].to_string())),
        ),
        (
            &crate::lexicon::patterns::patterns_or_builtin().ru_date,
            |c, lex| Some((c[3].to_string(), lex.month(&c[2])?, c[1].to_string())),
        ),
        (&NUMERIC_DATE, |c, _| {
            Some((c[3].to_string(), c[2].parse().ok()?, c[1].to_string()))
        }),
    ];
    for (re, fields) in patterns.into_iter().filter(|(re, _)| re.could_match(hay)) {
        for c in re.regex.captures_iter(hay) {
            let Some((year, month, day)) = fields(&c, lex) else {
                continue;
            };
            if let Some(iso) = iso(&year, month, &day) {
                let all = c.get(0).unwrap();
                out.push(FoundDate {
                    iso,
                    start: all.start(),
                    end: all.end(),
                });
            }
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

/// Every act number (`№ 403/3`, `№ 148-II`) in `text`: the number as written and its byte range.
pub fn numbers(text: &str) -> Vec<(String, usize, usize)> {
    crate::lexicon::patterns::patterns_or_builtin()
        .act_number
        .captures_iter(text)
        .map(|c| {
            let all = c.get(0).unwrap();
            let n = c[1]
                .replace(" /", "/")
                .replace("/ ", "/")
                .replace(" -", "-")
                .replace("- ", "-")
                .replace(" –", "–")
                .replace("– ", "–");
            (n, all.start(), all.end())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_dates_with_case_endings_and_quotes() {
        let lex = Lexicon::embedded().unwrap();
        let d = dates(
            "Ақсу қаласы әкімдігінің 2022 жылғы \" 31 \" мамыр № 403/3",
            &lex,
        );
        assert_eq!(d[0].iso, "2022-05-31");
        let d = dates("2001 жылғы 23 қаңтардағы Заңына", &lex);
        assert_eq!(d[0].iso, "2001-01-23");
        let d = dates("от «27» марта 2015 года № 43-250", &lex);
        assert_eq!(d[0].iso, "2015-03-27");
        let d = dates("от 23 января 2001 года и 07.06.2016", &lex);
        assert_eq!(
            d.iter().map(|d| d.iso.as_str()).collect::<Vec<_>>(),
            ["2001-01-23", "2016-06-07"]
        );
    }

    #[test]
    fn numbers_as_written() {
        let n = numbers("№ 403/3 қаулысына, № 148-II, №590 және № 88-V ЗРК");
        let n: Vec<_> = n.into_iter().map(|(n, _, _)| n).collect();
        assert_eq!(n, ["403/3", "148-II", "590", "88-V ЗРК"]);
        // Session and convocation marks of maslikhat decisions, as the registry writes them.
        let n = numbers(
            "№ 47/360-5с. Зарегистрировано … № 44-314/V, № 5-29/VІ шешімі, № 39–237–V, №5С-47-6 и № 1-6/VII шешімі, № 12 қаулысы",
        );
        let n: Vec<_> = n.into_iter().map(|(n, _, _)| n).collect();
        assert_eq!(
            n,
            [
                "47/360-5с",
                "44-314/V",
                "5-29/VІ",
                "39–237–V",
                "5С-47-6",
                "1-6/VII",
                "12"
            ]
        );
        // Akimat resolutions numbered with a letter prefix come before the registration's plain number.
        let n = numbers(
            "от 16 июня 2014 года № а-6/300. Зарегистрировано … № 4289, № А-4/152, № ҚЕ-15",
        );
        let n: Vec<_> = n.into_iter().map(|(n, _, _)| n).collect();
        assert_eq!(n, ["а-6/300", "4289", "А-4/152", "ҚЕ-15"]);
    }
}
