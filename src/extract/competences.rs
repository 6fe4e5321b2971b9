//! Competence areas of provisions: each provision is put into zero or more areas of `ontology/competences.ttl`.
//! Two things decide, both kept as data: the rules of `data/lexicon/competence-rules.tsv` (phrases of word stems),
//! and the linear model of `data/lexicon/competence-model.tsv` (trained from hand labels by `akimat-kg
//! train-competence`), which reads the provision's word stems, its kind and which rules matched. The model decides
//! the areas it was trained on; the rules alone decide the others (and all of them when no model is shipped). Every
//! assignment keeps what made it (the rule and its words, the model's probability and strongest features), so that
//! `extract --explain` can show why.

use crate::lexicon::model::LinearModel;
use crate::lexicon::{words, Lang, Lexicon};
use serde::Serialize;

/// Why a provision was put into an area.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CompetenceHit {
    /// The area's slug.
    pub area: String,
    /// The line in `data/lexicon/competence-rules.tsv` of the first rule of the area that matched, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<usize>,
    /// The words of the provision that rule matched; where no rule did, the model's strongest features.
    pub words: String,
    /// The model's probability for the area, where the model decides it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// The competence areas of a provision's normalised text, by the shipped rules and model.
pub fn classify(text: &str, kind: &str, lang: Lang, lex: &Lexicon) -> Vec<CompetenceHit> {
    classify_with(text, kind, lang, lex, &lex.competence_model)
}

/// The competence areas of a provision by the shipped rules and the given model: the rules' areas the model does not
/// decide, in table order, then the model's areas whose probability reaches its threshold, in the model's order.
pub fn classify_with(
    text: &str,
    kind: &str,
    lang: Lang,
    lex: &Lexicon,
    model: &LinearModel,
) -> Vec<CompetenceHit> {
    let ws = unquoted_words(text);
    let by_rules = rule_hits(text, &ws, lang, lex);
    if model.is_empty() {
        return by_rules;
    }
    let feats = features(&ws, kind, lang, lex, &by_rules, model);
    let probs = model.probabilities(&feats);
    let mut hits: Vec<CompetenceHit> = by_rules
        .iter()
        .filter(|h| !model.areas.contains(&h.area))
        .cloned()
        .collect();
    for (a, area) in model.areas.iter().enumerate() {
        if probs[a] < model.threshold_of(a) {
            continue;
        }
        let rule = by_rules.iter().find(|h| &h.area == area);
        let words = match rule {
            Some(r) => r.words.clone(),
            None => model
                .strongest(&feats, a, 3)
                .iter()
                .map(|(f, _)| f.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        };
        hits.push(CompetenceHit {
            area: area.clone(),
            rule: rule.and_then(|r| r.rule),
            words,
            score: Some((probs[a] * 1000.0).round() / 1000.0),
        });
    }
    hits
}

/// The features the model reads of a provision: its word stems (`w:` and the first `stem` letters of each word of
/// three letters or more outside quotes, stopwords left out), pairs of neighbouring stems (`b:`, when the model was
/// trained with them), its kind (`k:`) and the areas of the rules that matched it (`r:`).
pub fn features(
    ws: &[(usize, usize, String)],
    kind: &str,
    lang: Lang,
    lex: &Lexicon,
    by_rules: &[CompetenceHit],
    model: &LinearModel,
) -> Vec<String> {
    let stem_len = model.setting("stem", 6);
    // Each stem is a slice of its word: the first `stem_len` letters.
    let stems: Vec<&str> = ws
        .iter()
        .map(|w| w.2.as_str())
        .filter(|w| {
            w.chars().count() >= 3
                && w.chars().any(char::is_alphabetic)
                && !lex.is_stopword(lang, w)
        })
        .map(|w| &w[..w.char_indices().nth(stem_len).map_or(w.len(), |(i, _)| i)])
        .collect();
    let mut out: Vec<String> = stems.iter().map(|s| ["w:", s].concat()).collect();
    if model.setting("bigrams", 1) == 1 {
        out.extend(stems.windows(2).map(|p| ["b:", p[0], "+", p[1]].concat()));
    }
    out.push(format!("k:{kind}"));
    if model.setting("rules", 1) == 1 {
        out.extend(by_rules.iter().map(|h| format!("r:{}", h.area)));
    }
    out
}

/// The words of a provision's text as the model reads them (lowercase, outside quotes).
pub fn model_words(text: &str) -> Vec<(usize, usize, String)> {
    unquoted_words(text)
}

/// The areas of the rules that match a provision: the first matching rule of each area, in table order. Quoted names
/// (`"Ақсу қаласының ішкі саясат бөлімі" мемлекеттік мекемесінің …`, the titles of laws) are not read: they name a
/// body or an act, not the work the provision gives.
pub fn rule_hits(
    text: &str,
    ws: &[(usize, usize, String)],
    lang: Lang,
    lex: &Lexicon,
) -> Vec<CompetenceHit> {
    let lower: Vec<&str> = ws.iter().map(|w| w.2.as_str()).collect();
    // Where each rule's phrase first occurs (rule, word): only the rules whose first stem fits a word are tried on
    // it, and a provision matches few rules.
    let mut first_at: Vec<(usize, usize)> = Vec::new();
    for (i, word) in lower.iter().enumerate() {
        for r in lex.competence_rules_at(lang, word) {
            if !first_at.iter().any(|(x, _)| *x == r)
                && lex.competence_rules[r].phrase.matches_at(&lower, i)
            {
                first_at.push((r, i));
            }
        }
    }
    // In table order.
    first_at.sort_unstable();
    let mut hits: Vec<CompetenceHit> = Vec::new();
    for &(r, at) in &first_at {
        let rule = &lex.competence_rules[r];
        if rule.phrase.lang != lang || hits.iter().any(|h| h.area == rule.area) {
            continue;
        }
        if rule.unless.iter().any(|u| u.find_in(&lower).is_some()) {
            continue;
        }
        let last = at + rule.phrase.stems.len() - 1;
        hits.push(CompetenceHit {
            area: rule.area.clone(),
            rule: Some(rule.line),
            words: text[ws[at].0..ws[last].1].to_string(),
            score: None,
        });
    }
    hits
}

/// The lowercase words of a text outside quotes, with their byte ranges.
fn unquoted_words(text: &str) -> Vec<(usize, usize, String)> {
    let (quotes, _) = crate::parse::quotes::quoted_spans(text);
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

    /// The rules' areas alone.
    fn rules(text: &str, lang: Lang, lex: &Lexicon) -> Vec<CompetenceHit> {
        rule_hits(text, &unquoted_words(text), lang, lex)
    }

    #[test]
    fn the_aksu_anti_terror_function_gets_two_areas_with_their_rules() {
        let lex = Lexicon::embedded().unwrap();
        let hits = rules(
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
        assert!(hits.iter().all(|h| h.rule.is_some_and(|r| r > 5)));
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
                    let got: Vec<(String, usize)> = rules(line, lang, &lex)
                        .into_iter()
                        .map(|h| (h.area, h.rule.unwrap_or(0)))
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
        let hits = rules(
            "аудандық бюджеттен қаржыландырылатын мемлекеттік органдардан ақпарат сұрату",
            Lang::Kk,
            &lex,
        );
        assert!(!areas(&hits).contains(&"finance-budget"), "{hits:?}");
    }
}
