//! Precision and recall of the competence classifier against the hand-labelled provisions in
//! `data/labels/shipped-areas.tsv` (every provision of the shipped regulations, labelled without the classifier).
//!
//! Scored three ways: on the graph (a provision's areas from both its language versions, as users query them), and
//! on each language's text alone. Micro figures count every (provision, area) decision; macro figures average the
//! areas. The acceptance: micro-F1 of at least 0.90, and recall of at least 0.75 for every area with at least five
//! labelled provisions. Run with `--nocapture` for the per-area table and the disagreements.

mod common;
use akimat_kg::extract::competences::{areas, classify};
use akimat_kg::lexicon::{Lang, Lexicon};
use akimat_kg::normalize::normalize;
use common::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

type Areas = BTreeSet<String>;

/// Provision id → (kind, Kazakh text, Russian text).
fn texts() -> HashMap<String, (String, Option<String>, Option<String>)> {
    let t = std::fs::read_to_string(root().join("data/labels/shipped-provisions.tsv")).unwrap();
    t.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let opt = |s: &str| (s != "-").then(|| s.to_string());
            (f[0].to_string(), (f[1].to_string(), opt(f[4]), opt(f[5])))
        })
        .collect()
}

fn labels() -> Vec<(String, Areas)> {
    let t = std::fs::read_to_string(root().join("data/labels/shipped-areas.tsv")).unwrap();
    t.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let areas = f[1]
                .split_whitespace()
                .filter(|a| *a != "-")
                .map(str::to_string)
                .collect();
            (f[0].to_string(), areas)
        })
        .collect()
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Scores predictions against labels; prints the table; returns micro counts and per-area counts.
fn score(name: &str, pairs: &[(String, Areas, Areas)]) -> (Counts, BTreeMap<String, Counts>) {
    let mut micro = Counts::default();
    let mut per: BTreeMap<String, Counts> = BTreeMap::new();
    for (id, want, got) in pairs {
        for a in want.union(got) {
            let c = per.entry(a.clone()).or_default();
            match (want.contains(a), got.contains(a)) {
                (true, true) => {
                    c.tp += 1;
                    micro.tp += 1;
                }
                (true, false) => {
                    c.fn_ += 1;
                    micro.fn_ += 1;
                    println!("{name} MISSED {a:<32} {id}");
                }
                (false, true) => {
                    c.fp += 1;
                    micro.fp += 1;
                    println!("{name} EXTRA  {a:<32} {id}");
                }
                _ => {}
            }
        }
    }
    let macro_p = per.values().map(Counts::precision).sum::<f64>() / per.len().max(1) as f64;
    let macro_r = per.values().map(Counts::recall).sum::<f64>() / per.len().max(1) as f64;
    println!(
        "{name}: {} provisions; micro precision {:.3} recall {:.3} F1 {:.3}; macro precision {:.3} recall {:.3}",
        pairs.len(),
        micro.precision(),
        micro.recall(),
        micro.f1(),
        macro_p,
        macro_r
    );
    for (a, c) in &per {
        println!(
            "{name}   {a:<34} labelled {:>3}  precision {:.3}  recall {:.3}",
            c.tp + c.fn_,
            c.precision(),
            c.recall()
        );
    }
    (micro, per)
}

fn assert_targets(name: &str, micro: &Counts, per: &BTreeMap<String, Counts>) {
    assert!(micro.f1() >= 0.90, "{name}: micro-F1 {:.3}", micro.f1());
    for (a, c) in per {
        if c.tp + c.fn_ >= 5 {
            assert!(c.recall() >= 0.75, "{name}: {a} recall {:.3}", c.recall());
        }
    }
}

#[test]
fn competence_classification_meets_its_targets() {
    let labels = labels();
    let texts = texts();
    assert_eq!(labels.len(), texts.len(), "every provision is labelled");
    let lex = Lexicon::get();
    let predict = |text: &str, kind: &str, lang: Lang| -> Areas {
        let norm = normalize(text);
        areas(&classify(&norm.text, kind, lang, lex))
            .into_iter()
            .map(str::to_string)
            .collect()
    };

    // The graph: a provision's dct:subject, from both its language versions.
    let store = shipped();
    let mut in_graph: HashMap<String, Areas> = HashMap::new();
    for r in rows(
        store,
        "SELECT ?p ?area WHERE { ?p a akg:Provision . OPTIONAL { ?p dct:subject ?c . BIND(STRAFTER(STR(?c), \"/competence/\") AS ?area) } }",
    ) {
        let id = r[0].split("/eli/").nth(1).unwrap().to_string();
        let e = in_graph.entry(id).or_default();
        if !r[1].is_empty() {
            e.insert(r[1].clone());
        }
    }
    let graph: Vec<(String, Areas, Areas)> = labels
        .iter()
        .map(|(id, want)| {
            let got = in_graph
                .get(id)
                .unwrap_or_else(|| panic!("{id} not in the graph"));
            (id.clone(), want.clone(), got.clone())
        })
        .collect();
    let (micro, per) = score("graph", &graph);

    let mut by_lang = Vec::new();
    for (lang, name) in [(Lang::Kk, "kk"), (Lang::Ru, "ru")] {
        let pairs: Vec<(String, Areas, Areas)> = labels
            .iter()
            .filter_map(|(id, want)| {
                let (kind, kk, ru) = &texts[id];
                let text = if lang == Lang::Kk { kk } else { ru };
                text.as_ref()
                    .map(|t| (id.clone(), want.clone(), predict(t, kind, lang)))
            })
            .collect();
        by_lang.push((name, score(name, &pairs)));
    }
    assert_targets("graph", &micro, &per);
    for (name, (micro, per)) in &by_lang {
        assert_targets(name, micro, per);
    }
}
