//! Competence areas of provisions: each provision is put into zero or more areas of `ontology/competences.ttl` by
//! the rules of `data/lexicon/competence-rules.tsv`, matched on its normalised words (Latin look-alikes repaired,
//! lowercase). Every assignment keeps the rule and the words that made it, so that `extract --explain` can show why.

use crate::lexicon::{words, Lang, Lexicon};
use serde::Serialize;

/// One rule that put a provision into an area.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CompetenceHit {
    /// The area's slug.
    pub area: String,
    /// The line of the rule in `data/lexicon/competence-rules.tsv`.
    pub rule: usize,
    /// The words of the provision that matched it.
    pub words: String,
}

/// The competence areas of a provision's normalised text: the first matching rule of each area, in table order.
/// Quoted names (`"Ақсу қаласының ішкі саясат бөлімі" мемлекеттік мекемесінің …`, the titles of laws) are not read:
/// they name a body or an act, not the work the provision gives.
pub fn classify(text: &str, lang: Lang, lex: &Lexicon) -> Vec<CompetenceHit> {
    let ws = unquoted_words(text);
    let lower: Vec<&str> = ws.iter().map(|w| w.2.as_str()).collect();
    // Where each rule's phrase first occurs: only the rules whose first stem fits a word are tried on it.
    let mut first_at: Vec<Option<usize>> = vec![None; lex.competence_rules.len()];
    for (i, word) in lower.iter().enumerate() {
        for r in lex.competence_rules_at(lang, word) {
            if first_at[r].is_none() && lex.competence_rules[r].phrase.matches_at(&lower, i) {
                first_at[r] = Some(i);
            }
        }
    }
    let mut hits: Vec<CompetenceHit> = Vec::new();
    for (rule, at) in lex.competence_rules.iter().zip(&first_at) {
        if rule.phrase.lang != lang || hits.iter().any(|h| h.area == rule.area) {
            continue;
        }
        let Some(at) = *at else {
            continue;
        };
        if rule.unless.iter().any(|u| u.find_in(&lower).is_some()) {
            continue;
        }
        let last = at + rule.phrase.stems.len() - 1;
        hits.push(CompetenceHit {
            area: rule.area.clone(),
            rule: rule.line,
            words: text[ws[at].0..ws[last].1].to_string(),
        });
    }
    hits
}

/// The lowercase words of a text outside quotes, with their byte ranges.
fn unquoted_words(text: &str) -> Vec<(usize, usize, String)> {
    let (quotes, _) = super::quotes::quoted_spans(text);
    words(text)
        .into_iter()
        .filter(|(s, _, _)| {
            !quotes
                .iter()
                .any(|q| q.depth == 0 && q.open <= *s && *s < q.close)
        })
        .collect()
}

/// The distinct areas of a list of hits, in order.
pub fn areas(hits: &[CompetenceHit]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for h in hits {
        if !out.contains(&h.area.as_str()) {
            out.push(&h.area);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aksu_anti_terror_function_gets_two_areas_with_their_rules() {
        let lex = Lexicon::embedded().unwrap();
        let hits = classify(
            "қаланың терроризмге қарсы комиссия аппаратының қызметін ұйымдастыру, өңірдегі діни ахуалды зерттеу және талдау",
            Lang::Kk,
            &lex,
        );
        let got: Vec<(&str, &str)> = hits
            .iter()
            .map(|h| (h.area.as_str(), h.words.as_str()))
            .collect();
        assert!(got.contains(&("religion", "діни")), "{got:?}");
        assert!(
            got.contains(&("anti-terrorism-extremism", "терроризмге")),
            "{got:?}"
        );
        assert!(hits.iter().all(|h| h.rule > 5));
    }

    /// Every rule tried on the whole text, in table order: what the first-letters index must give.
    fn classify_rule_by_rule(text: &str, lang: Lang, lex: &Lexicon) -> Vec<(String, usize)> {
        let ws = unquoted_words(text);
        let lower: Vec<&str> = ws.iter().map(|w| w.2.as_str()).collect();
        let mut hits: Vec<(String, usize)> = Vec::new();
        for rule in lex
            .competence_rules
            .iter()
            .filter(|r| r.phrase.lang == lang)
        {
            if hits.iter().any(|h| h.0 == rule.area)
                || rule.phrase.find_in(&lower).is_none()
                || rule.unless.iter().any(|u| u.find_in(&lower).is_some())
            {
                continue;
            }
            hits.push((rule.area.clone(), rule.line));
        }
        hits
    }

    #[test]
    fn the_index_finds_what_every_rule_tried_in_turn_finds() {
        let lex = Lexicon::embedded().unwrap();
        let mut hits = 0;
        for (path, text) in crate::lexicon::tests::shipped_texts() {
            for line in text.lines() {
                for lang in [Lang::Kk, Lang::Ru] {
                    let got: Vec<(String, usize)> = classify(line, lang, &lex)
                        .into_iter()
                        .map(|h| (h.area, h.rule))
                        .collect();
                    assert_eq!(
                        got,
                        classify_rule_by_rule(line, lang, &lex),
                        "{}: {line}",
                        path.display()
                    );
                    hits += got.len();
                }
            }
        }
        assert!(hits > 500, "{hits}");
    }

    #[test]
    fn an_exception_stops_a_rule() {
        let lex = Lexicon::embedded().unwrap();
        // Bodies financed from the budget are not the budget's business.
        let hits = classify(
            "аудандық бюджеттен қаржыландырылатын мемлекеттік органдардан ақпарат сұрату",
            Lang::Kk,
            &lex,
        );
        assert!(!areas(&hits).contains(&"finance-budget"), "{hits:?}");
    }
}
