//! Precision and recall of citation extraction against the hand-labelled set in `tests/citations/`.
//!
//! `labels.tsv` marks every citation of a legal act in the shipped corpus by hand (file, line of the act-type
//! word, type, date, number, issuer, pinpoints, and the key of the act in `acts.tsv`), made without the extractor.
//! A labelled citation is found when the extractor reports, in the same file, a citation whose text spans the
//! labelled line; labels and citations are paired greedily, same act type first. Fields are compared on the
//! pairs. Resolution is scored by act: the citations labelled with one act key must all reach one node, and no
//! two act keys may share a node; a label whose citation was not found counts as unresolved.
//! Run with `--nocapture` to see the report.

mod common;
use akimat_kg::extract::citations::Pinpoint;
use akimat_kg::extract::CitationAt;
use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::process_file;
use common::*;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
struct Label {
    file: String,
    line: usize,
    act: String,
    act_type: String,
    date: String,
    number: String,
    pinpoints: String,
    text: String,
}

fn labels() -> Vec<Label> {
    let text = std::fs::read_to_string(root().join("tests/citations/labels.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 10, "bad label row: {l}");
            Label {
                file: f[0].into(),
                line: f[1].parse().unwrap(),
                act: f[3].into(),
                act_type: f[4].into(),
                date: f[5].into(),
                number: f[6].into(),
                pinpoints: f[8].into(),
                text: f[9].into(),
            }
        })
        .collect()
}

fn lang_of(file: &str) -> &'static str {
    if file.contains("kaz.md") || file.contains("_kk") || file.starts_with("kk-") {
        "kk"
    } else {
        "ru"
    }
}

/// Pinpoints written as the labels write them: `art=31,par=2`, several joined by `;`, `-` for none.
fn pin_string(pins: &[Pinpoint]) -> String {
    if pins.is_empty() {
        return "-".into();
    }
    pins.iter()
        .map(|p| {
            [
                ("art", &p.article),
                ("par", &p.paragraph),
                ("sub", &p.subparagraph),
            ]
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
            .collect::<Vec<_>>()
            .join(",")
        })
        .collect::<Vec<_>>()
        .join(";")
}

struct Found {
    file: String,
    first_line: usize,
    last_line: usize,
    citation: CitationAt,
    node: String,
}

fn found_in(file: &str) -> Vec<Found> {
    let path = regulations().join(file);
    let p = process_file(&path, Lexicon::get()).unwrap_or_else(|e| panic!("{e}"));
    let chars: Vec<char> = p.decoded.text.chars().collect();
    let line_at = |offset: usize| {
        chars[..offset.min(chars.len())]
            .iter()
            .filter(|c| **c == '\n')
            .count()
            + 1
    };
    p.extraction
        .citations
        .iter()
        .map(|c| Found {
            file: file.to_string(),
            first_line: line_at(c.citation.char_start),
            last_line: line_at(c.citation.char_end.saturating_sub(1)),
            node: base().act(&c.citation.act, Lexicon::get()),
            citation: c.clone(),
        })
        .collect()
}

#[derive(Default, Debug)]
struct Score {
    labels: usize,
    found: usize,
    matched: usize,
    fields: BTreeMap<&'static str, (usize, usize)>,
    resolved: usize,
    /// Labels of national acts of the reference table, and those whose citation reached that very row.
    reference_labels: usize,
    reference_right: usize,
}

impl Score {
    fn precision(&self) -> f64 {
        self.matched as f64 / self.found.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.matched as f64 / self.labels.max(1) as f64
    }
    fn field(&self, f: &str) -> f64 {
        let (ok, n) = self.fields.get(f).copied().unwrap_or((0, 0));
        ok as f64 / n.max(1) as f64
    }
    fn resolution(&self) -> f64 {
        self.resolved as f64 / self.labels.max(1) as f64
    }
    fn to_reference(&self) -> f64 {
        self.reference_right as f64 / self.reference_labels.max(1) as f64
    }
}

/// The row of `data/reference/acts.tsv` each labelled national act is (`reference` column of
/// `tests/citations/acts.tsv`, set by hand from the acts' type, date and number).
fn references() -> HashMap<String, String> {
    let text = std::fs::read_to_string(root().join("tests/citations/acts.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let at = header.iter().position(|h| *h == "reference").unwrap();
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f.len() > at && f[at] != "-")
        .map(|f| (f[0].to_string(), f[at].to_string()))
        .collect()
}

#[test]
fn citation_extraction_meets_its_targets_in_each_language() {
    let labels = labels();
    let refs = references();
    let mut files: Vec<String> = labels.iter().map(|l| l.file.clone()).collect();
    // Files without any citation still count for precision.
    for f in [
        "excerpts/002_kk.txt",
        "excerpts/005_kk.txt",
        "excerpts/013_ru.txt",
        "excerpts/015_kk.txt",
    ] {
        files.push(f.to_string());
    }
    files.sort();
    files.dedup();
    let mut found: Vec<Found> = files.iter().flat_map(|f| found_in(f)).collect();

    // Pair labels with citations: same file, the citation's lines cover the label's, same type first.
    let mut pair: Vec<Option<usize>> = vec![None; labels.len()];
    let mut taken = vec![false; found.len()];
    for same_type in [true, false] {
        for (li, l) in labels.iter().enumerate() {
            if pair[li].is_some() {
                continue;
            }
            let hit = found.iter().enumerate().position(|(fi, f)| {
                !taken[fi]
                    && f.file == l.file
                    && f.first_line <= l.line
                    && l.line <= f.last_line
                    && (!same_type || f.citation.citation.act.act_type == l.act_type)
            });
            if let Some(fi) = hit {
                taken[fi] = true;
                pair[li] = Some(fi);
            }
        }
    }

    // Resolution: the node each act key reaches most often is its node; it must be nobody else's.
    let mut nodes_of: HashMap<&str, BTreeMap<&str, usize>> = HashMap::new();
    for (li, l) in labels.iter().enumerate() {
        if let Some(fi) = pair[li] {
            *nodes_of
                .entry(&l.act)
                .or_default()
                .entry(&found[fi].node)
                .or_default() += 1;
        }
    }
    let node_of: HashMap<&str, &str> = nodes_of
        .iter()
        .map(|(k, m)| (*k, *m.iter().max_by_key(|(_, n)| **n).unwrap().0))
        .collect();
    let mut owners: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, n) in &node_of {
        owners.entry(n).or_default().push(k);
    }

    let mut scores: BTreeMap<&str, Score> = BTreeMap::new();
    let mut report = Vec::new();
    for (li, l) in labels.iter().enumerate() {
        let s = scores.entry(lang_of(&l.file)).or_default();
        s.labels += 1;
        let Some(fi) = pair[li] else {
            report.push(format!(
                "MISSED   {}:{} {} {}",
                l.file, l.line, l.act_type, l.text
            ));
            continue;
        };
        s.matched += 1;
        let f = &found[fi];
        let act = &f.citation.citation.act;
        // A pointer back (`осы Заңына`) states no date or number of its own; the act it reaches does.
        let stated = !f.citation.citation.back_reference;
        let dash = |v: &Option<String>| v.clone().filter(|_| stated).unwrap_or_else(|| "-".into());
        let checks: [(&'static str, String, String); 4] = [
            ("type", act.act_type.clone(), l.act_type.clone()),
            ("date", dash(&act.date), l.date.clone()),
            ("number", dash(&act.number), l.number.clone()),
            (
                "pinpoint",
                pin_string(&f.citation.citation.pinpoints),
                l.pinpoints.clone(),
            ),
        ];
        for (name, got, want) in checks {
            let e = s.fields.entry(name).or_default();
            e.1 += 1;
            if got == want {
                e.0 += 1;
            } else {
                report.push(format!(
                    "FIELD    {}:{} {name}: got {got}, labelled {want} ({})",
                    l.file, l.line, l.text
                ));
            }
        }
        // A national act of the reference table: its citation must reach that row (and so its node and Әділет ID).
        if let Some(want) = refs.get(&l.act) {
            s.reference_labels += 1;
            if f.citation.citation.act.reference.as_deref() == Some(want.as_str()) {
                s.reference_right += 1;
            } else {
                report.push(format!(
                    "REFERENCE {}:{} {} -> {:?}, labelled {want}",
                    l.file, l.line, l.act, f.citation.citation.act.reference
                ));
            }
        }
        let node = f.node.as_str();
        let right = node_of.get(l.act.as_str()) == Some(&node) && owners[node].len() == 1;
        if right {
            s.resolved += 1;
        } else {
            report.push(format!(
                "RESOLVE  {}:{} {} -> {node} (shared by {:?})",
                l.file,
                l.line,
                l.act,
                owners.get(node)
            ));
        }
    }
    for (fi, f) in found.iter_mut().enumerate() {
        let s = scores.entry(lang_of(&f.file)).or_default();
        s.found += 1;
        if !taken[fi] {
            report.push(format!(
                "EXTRA    {}:{} {} {}",
                f.file,
                f.first_line,
                f.citation.citation.act.act_type,
                f.citation.citation.text.replace('\n', " ")
            ));
        }
    }
    for r in &report {
        println!("{r}");
    }
    for (lang, s) in &scores {
        println!(
            "{lang}: {} labelled, {} found, {} paired; detection precision {:.3} recall {:.3}; field accuracy type {:.3} date {:.3} number {:.3} pinpoint {:.3}; resolution {:.3}; to the reference table's row {:.3} of {}",
            s.labels,
            s.found,
            s.matched,
            s.precision(),
            s.recall(),
            s.field("type"),
            s.field("date"),
            s.field("number"),
            s.field("pinpoint"),
            s.resolution(),
            s.to_reference(),
            s.reference_labels
        );
    }
    for (lang, s) in &scores {
        assert!(s.labels > 50, "{lang}: only {} labels", s.labels);
        assert!(
            s.precision() >= 0.97,
            "{lang}: detection precision {:.3}",
            s.precision()
        );
        assert!(
            s.recall() >= 0.97,
            "{lang}: detection recall {:.3}",
            s.recall()
        );
        for f in ["type", "date", "number", "pinpoint"] {
            assert!(s.field(f) >= 0.97, "{lang}: {f} accuracy {:.3}", s.field(f));
        }
        assert!(
            s.resolution() >= 0.95,
            "{lang}: resolution {:.3}",
            s.resolution()
        );
        assert!(s.reference_labels >= 20, "{lang}: {}", s.reference_labels);
        assert!(
            s.to_reference() >= 0.95,
            "{lang}: to the reference table's row {:.3}",
            s.to_reference()
        );
    }
}

/// How many citations of the shipped corpus and of `data/country` reach an act whose Әділет ID the reference table
/// knows (printed with `--nocapture`).
#[test]
fn citations_reaching_an_adilet_id_are_counted() {
    let lex = Lexicon::get();
    let mut total = 0;
    let mut with_id = 0;
    let (files, _) = akimat_kg::read::discover(&[regulations(), root().join("data/country")]);
    for f in files.iter().filter(|f| !f.ends_with("README.md")) {
        let Ok(p) = process_file(f, lex) else {
            continue;
        };
        for c in &p.extraction.citations {
            total += 1;
            let id = c
                .citation
                .act
                .reference
                .as_deref()
                .and_then(|r| lex.act(r))
                .and_then(|r| r.adilet.as_ref());
            with_id += usize::from(id.is_some());
        }
    }
    println!("{with_id} of {total} citations reach an act with its Әділет ID");
    assert!(total > 500, "{total}");
    assert!(with_id * 100 >= total * 20, "{with_id} of {total}");
}
