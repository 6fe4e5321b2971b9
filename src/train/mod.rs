//! Training and measuring the competence model (`data/lexicon/competence-model.tsv`) from the hand labels of
//! `data/labels/`.
//!
//! The examples are the labelled provisions as the extractor reads them: the regulations of `data/country/` are
//! processed and each labelled provision is paired with the extracted one that starts with the same five words (its
//! text is then the one the classifier sees); the shipped regulations' provisions come with their texts in
//! `data/labels/shipped-provisions.tsv`. Every example carries its region, and the country's examples their part of
//! the split fixed in `data/country/studied.tsv` before any rule was written: the model is trained on the dev part
//! and the shipped regulations, its settings chosen by leaving one region out at a time, and the held-out regions
//! are only measured.
//!
//! The model is one logistic regression per area over the features `extract::competences::features` gives (word
//! stems, neighbouring stem pairs, the provision's kind, the rules that matched), fitted by AdaGrad with an L2
//! penalty in a fixed order, so that the same labels give the same table.

use crate::extract::competences::{classify_with, features, model_words, rule_hits};
use crate::lexicon::model::{sigmoid, LinearModel};
use crate::lexicon::{lowercase, Lang, Lexicon};
use crate::normalize::normalize;
use crate::pipeline::process_file;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// What can go wrong reading the labels.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A label file could not be read.
    #[error("cannot read {path}: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// A row of a label file does not fit.
    #[error("{path}: line {line}: {message}")]
    Row {
        /// The file.
        path: PathBuf,
        /// Its line, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// One labelled provision.
#[derive(Debug, Clone)]
pub struct Example {
    /// The document it is from (a path under the data folder, or the provision's id for the shipped ones).
    pub doc: String,
    /// Its region (the repository of a country act; the region of a shipped regulation): the unit of cross-validation.
    pub region: String,
    /// Whether it is in the held-out part (only measured, never trained on).
    pub held_out: bool,
    /// The language of its text.
    pub lang: Lang,
    /// Its kind (`Goal`, `Right`, …).
    pub kind: String,
    /// Its normalised text.
    pub text: String,
    /// The areas its label gives.
    pub areas: BTreeSet<String>,
}

impl Example {
    /// Whether it is a provision of the shipped regulations (not of `data/country/`).
    pub fn is_shipped(&self) -> bool {
        self.region.starts_with("shipped:")
    }
}

/// How many labels of the country's documents found their provision, and how many did not.
#[derive(Debug, Default, Clone, Copy)]
pub struct Pairing {
    /// Labels paired with an extracted provision.
    pub paired: usize,
    /// Labels whose provision the extractor did not find (left out of the examples).
    pub unpaired: usize,
}

/// A row of a label table: its line number and its cells by column.
type Row = (usize, BTreeMap<String, String>);

/// The rows of a tab-separated table with a header, each with its line number.
fn table(path: &Path) -> Result<Vec<Row>, TrainError> {
    let text = std::fs::read_to_string(path).map_err(|cause| TrainError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    let mut header: Option<Vec<String>> = None;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
        match &header {
            None => header = Some(cells),
            Some(h) => {
                if cells.len() < h.len() {
                    return Err(TrainError::Row {
                        path: path.to_path_buf(),
                        line: i + 1,
                        message: format!(
                            "{} columns where the header has {}",
                            cells.len(),
                            h.len()
                        ),
                    });
                }
                out.push((i + 1, h.iter().cloned().zip(cells).collect()));
            }
        }
    }
    Ok(out)
}

/// A column of a row, or an error naming it.
fn cell<'a>(
    path: &Path,
    line: usize,
    row: &'a BTreeMap<String, String>,
    column: &str,
) -> Result<&'a str, TrainError> {
    row.get(column)
        .map(String::as_str)
        .ok_or_else(|| TrainError::Row {
            path: path.to_path_buf(),
            line,
            message: format!("no column {column:?}"),
        })
}

/// The areas of a label cell (`-` for none).
fn areas_of(cell: &str) -> BTreeSet<String> {
    cell.split_whitespace()
        .filter(|a| *a != "-")
        .map(str::to_string)
        .collect()
}

/// The first five words of a text, lowercase, letters and digits only: how a label and a provision are paired. A
/// list label written before the provision's own text (`Миссия: …`, `Міндеттері: …`, a colon after at most four
/// words) is left out, since some texts and labels give it and others do not.
pub fn pairing_key(text: &str) -> String {
    let own = match text.split_once(':') {
        Some((label, rest)) if label.split_whitespace().count() <= 4 && !rest.trim().is_empty() => {
            rest
        }
        _ => text,
    };
    lowercase(own)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The held-out repositories of `data/country/studied.tsv` (its `split` column).
pub fn held_out_regions(data: &Path) -> Result<BTreeSet<String>, TrainError> {
    let path = data.join("country/studied.tsv");
    let mut out = BTreeSet::new();
    for (line, row) in table(&path)? {
        match cell(&path, line, &row, "split")? {
            "held-out" => {
                out.insert(cell(&path, line, &row, "repo")?.to_string());
            }
            "dev" => {}
            other => {
                return Err(TrainError::Row {
                    path,
                    line,
                    message: format!("split {other:?} is neither dev nor held-out"),
                })
            }
        }
    }
    Ok(out)
}

/// The labelled provisions of `data/country/` as the extractor reads them, under the data folder `data` (its
/// parent holds the paths the labels give).
pub fn country_examples(data: &Path, lex: &Lexicon) -> Result<(Vec<Example>, Pairing), TrainError> {
    let held_out = held_out_regions(data)?;
    let path = data.join("labels/country-provisions.tsv");
    let mut by_doc: BTreeMap<String, Vec<(String, String, BTreeSet<String>)>> = BTreeMap::new();
    for (line, row) in table(&path)? {
        by_doc
            .entry(cell(&path, line, &row, "doc")?.to_string())
            .or_default()
            .push((
                cell(&path, line, &row, "kind")?.to_string(),
                pairing_key(cell(&path, line, &row, "first_words")?),
                areas_of(cell(&path, line, &row, "areas")?),
            ));
    }
    let root = data.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    let mut pairing = Pairing::default();
    for (doc, labels) in by_doc {
        let region = doc.split('/').nth(2).unwrap_or_default().to_string();
        let lang = if doc.ends_with("kaz.md") {
            Lang::Kk
        } else {
            Lang::Ru
        };
        // A document the extractor refuses pairs none of its labels.
        let Ok(processed) = process_file(&root.join(&doc), lex) else {
            pairing.unpaired += labels.len();
            continue;
        };
        let found: Vec<(String, &str)> = processed
            .extraction
            .provisions
            .iter()
            .map(|p| {
                (
                    pairing_key(&p.text),
                    &processed.norm.text[p.norm_start..p.norm_end],
                )
            })
            .collect();
        let mut taken = vec![false; found.len()];
        for (kind, key, areas) in labels {
            let Some(k) = (0..found.len()).find(|&k| !taken[k] && found[k].0 == key) else {
                pairing.unpaired += 1;
                continue;
            };
            taken[k] = true;
            pairing.paired += 1;
            out.push(Example {
                doc: doc.clone(),
                region: region.clone(),
                held_out: held_out.contains(&region),
                lang,
                kind,
                text: found[k].1.to_string(),
                areas,
            });
        }
    }
    Ok((out, pairing))
}

/// The labelled provisions of the shipped regulations, each text of each language one example.
pub fn shipped_examples(data: &Path) -> Result<Vec<Example>, TrainError> {
    let texts_path = data.join("labels/shipped-provisions.tsv");
    let mut texts: HashMap<String, (String, String, String)> = HashMap::new();
    for (line, row) in table(&texts_path)? {
        texts.insert(
            cell(&texts_path, line, &row, "id")?.to_string(),
            (
                cell(&texts_path, line, &row, "kind")?.to_string(),
                cell(&texts_path, line, &row, "kk")?.to_string(),
                cell(&texts_path, line, &row, "ru")?.to_string(),
            ),
        );
    }
    let path = data.join("labels/shipped-areas.tsv");
    let mut out = Vec::new();
    for (line, row) in table(&path)? {
        let id = cell(&path, line, &row, "id")?;
        let (kind, kk, ru) = texts.get(id).ok_or_else(|| TrainError::Row {
            path: path.clone(),
            line,
            message: format!("{id} is not in {}", texts_path.display()),
        })?;
        for (lang, text) in [(Lang::Kk, kk), (Lang::Ru, ru)] {
            if text == "-" {
                continue;
            }
            out.push(Example {
                doc: id.to_string(),
                region: format!("shipped:{}", id.split('/').next().unwrap_or_default()),
                held_out: false,
                lang,
                kind: kind.clone(),
                text: normalize(text).text,
                areas: areas_of(cell(&path, line, &row, "areas")?),
            });
        }
    }
    Ok(out)
}

/// How a model is trained.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Letters of each word kept as its stem.
    pub stem: usize,
    /// Whether pairs of neighbouring stems are features.
    pub bigrams: bool,
    /// Whether the rules' areas are features.
    pub rules: bool,
    /// The L2 penalty.
    pub l2: f64,
    /// Passes over the examples.
    pub epochs: usize,
    /// AdaGrad's step.
    pub rate: f64,
    /// An area with fewer positive examples is left to the rules.
    pub min_positives: usize,
    /// The decision threshold on the probability.
    pub threshold: f64,
    /// Fits in different orders of the examples whose weights are averaged (1: one order). Four, chosen by leaving
    /// one region out at a time: Kazakh micro F1 0.815 and Russian 0.808 against 0.805 and 0.802 with one.
    pub orders: usize,
    /// How much an example of the shipped regulations counts against one of the country's (their labels follow
    /// conventions of their own, `data/labels/shipped-areas.tsv`).
    pub shipped_weight: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            stem: 6,
            bigrams: true,
            rules: true,
            l2: 1e-4,
            epochs: 30,
            rate: 0.3,
            min_positives: 8,
            threshold: 0.4,
            shipped_weight: 1.0,
            orders: 4,
        }
    }
}

impl Settings {
    /// An empty model carrying these settings, as `features` reads them.
    fn template(&self) -> LinearModel {
        let mut m = LinearModel {
            threshold: self.threshold,
            ..LinearModel::default()
        };
        m.settings.insert("stem".into(), self.stem.to_string());
        m.settings
            .insert("bigrams".into(), u8::from(self.bigrams).to_string());
        m.settings
            .insert("rules".into(), u8::from(self.rules).to_string());
        m.settings.insert("l2".into(), self.l2.to_string());
        m.settings.insert("epochs".into(), self.epochs.to_string());
        m.settings.insert("rate".into(), self.rate.to_string());
        m.settings
            .insert("min_positives".into(), self.min_positives.to_string());
        m.settings
            .insert("shipped_weight".into(), self.shipped_weight.to_string());
        if self.orders > 1 {
            m.settings.insert("orders".into(), self.orders.to_string());
        }
        m
    }

    /// The settings a model's table records (the defaults for what it does not), so that it can be trained again.
    pub fn of(model: &LinearModel) -> Settings {
        let d = Settings::default();
        let num = |k: &str, default: f64| {
            model
                .settings
                .get(k)
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        Settings {
            stem: model.setting("stem", d.stem),
            bigrams: model.setting("bigrams", 1) == 1,
            rules: model.setting("rules", 1) == 1,
            l2: num("l2", d.l2),
            epochs: model.setting("epochs", d.epochs),
            rate: num("rate", d.rate),
            min_positives: model.setting("min_positives", d.min_positives),
            threshold: model.threshold,
            shipped_weight: num("shipped_weight", d.shipped_weight),
            orders: model.setting("orders", 1),
        }
    }
}

/// The features of an example, as the classifier computes them.
fn example_features(e: &Example, lex: &Lexicon, template: &LinearModel) -> Vec<String> {
    let ws = model_words(&e.text);
    let by_rules = rule_hits(&e.text, &ws, e.lang, lex);
    let mut f = features(&ws, &e.kind, e.lang, lex, &by_rules, template);
    f.sort();
    f.dedup();
    f
}

/// Weights smaller than this are left out of a fitted model (they hardly move a probability, and they would fill
/// the table).
pub const PRUNE: f64 = 0.01;

/// Fits the model on the examples.
pub fn fit(examples: &[&Example], settings: &Settings, lex: &Lexicon) -> LinearModel {
    let mut model = settings.template();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in examples {
        for a in &e.areas {
            *counts.entry(a.as_str()).or_default() += 1;
        }
    }
    model.areas = counts
        .iter()
        .filter(|(_, n)| **n >= settings.min_positives)
        .map(|(a, _)| a.to_string())
        .collect();
    let (index, rows) = encode(examples, settings, lex, &model);
    // Each area's bias starts at the log-odds of its (smoothed) share of the examples.
    let bias: Vec<f64> = model
        .areas
        .iter()
        .map(|a| {
            let p = (counts[a.as_str()] as f64 + 0.5) / (examples.len() as f64 + 1.0);
            (p / (1.0 - p)).ln()
        })
        .collect();
    // Several fits in different orders of the examples, their weights averaged: one example more or less
    // reshuffles a single fit's order and moves its weights; the average moves less.
    let runs = settings.orders.max(1);
    let mut fitted = AdaGrad::new(index.len(), bias.clone());
    fitted.train(&rows, settings, 0);
    for run in 1..runs {
        let mut one = AdaGrad::new(index.len(), bias.clone());
        one.train(&rows, settings, run as u64);
        fitted.add(&one);
    }
    fitted.scale(1.0 / runs as f64);
    fitted.write_into(&mut model, &index);
    model
}

/// An example as the fit reads it: the numbers of its features, whether it has each of the model's areas, and
/// how much it counts.
type Encoded = (Vec<usize>, Vec<bool>, f64);

/// The examples encoded for the fit, with the number of each feature (in order of first sight).
fn encode(
    examples: &[&Example],
    settings: &Settings,
    lex: &Lexicon,
    model: &LinearModel,
) -> (HashMap<String, usize>, Vec<Encoded>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let rows = examples
        .iter()
        .map(|e| {
            let feats = example_features(e, lex, model)
                .into_iter()
                .map(|f| {
                    let n = index.len();
                    *index.entry(f).or_insert(n)
                })
                .collect();
            let ys = model.areas.iter().map(|a| e.areas.contains(a)).collect();
            let weight = if e.is_shipped() {
                settings.shipped_weight
            } else {
                1.0
            };
            (feats, ys, weight)
        })
        .collect();
    (index, rows)
}

/// One logistic regression per area fitted by AdaGrad: a weight per feature and area and a bias per area, with
/// the sums of their squared gradients.
struct AdaGrad {
    n_areas: usize,
    /// The weight of feature `f` in area `a` at `f * n_areas + a`.
    w: Vec<f64>,
    g2: Vec<f64>,
    bias: Vec<f64>,
    bias_g2: Vec<f64>,
}

impl AdaGrad {
    /// Zero weights for `n_feats` features, and the areas' starting biases.
    fn new(n_feats: usize, bias: Vec<f64>) -> AdaGrad {
        let n_areas = bias.len();
        AdaGrad {
            n_areas,
            w: vec![0.0f64; n_feats * n_areas],
            g2: vec![1e-8f64; n_feats * n_areas],
            bias,
            bias_g2: vec![1e-8f64; n_areas],
        }
    }

    /// `settings.epochs` passes over the examples, each in a fixed shuffle (xorshift, from `seed`), so that a table is
    /// reproduced from its labels; an example of weight 0 is passed over.
    fn train(&mut self, rows: &[Encoded], settings: &Settings, seed: u64) {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0xD1B5_4A32_D192_ED03);
        for _ in 0..settings.epochs {
            for i in (1..order.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                order.swap(i, (state % (i as u64 + 1)) as usize);
            }
            for &r in &order {
                let (feats, ys, weight) = &rows[r];
                if *weight == 0.0 {
                    continue;
                }
                self.step(feats, ys, *weight, settings);
            }
        }
    }

    /// Adds another fit's biases and weights to these.
    fn add(&mut self, other: &AdaGrad) {
        self.bias
            .iter_mut()
            .zip(&other.bias)
            .for_each(|(a, b)| *a += b);
        self.w.iter_mut().zip(&other.w).for_each(|(a, b)| *a += b);
    }

    /// Multiplies the biases and weights by `k`.
    fn scale(&mut self, k: f64) {
        self.bias.iter_mut().for_each(|a| *a *= k);
        self.w.iter_mut().for_each(|a| *a *= k);
    }

    /// One example's step in every area: the log loss's gradient, L2 on the weights, AdaGrad's step sizes.
    fn step(&mut self, feats: &[usize], ys: &[bool], weight: f64, settings: &Settings) {
        let n_areas = self.n_areas;
        // `ys` holds one answer per area.
        for (a, &y) in ys.iter().enumerate() {
            let z: f64 = self.bias[a] + feats.iter().map(|&f| self.w[f * n_areas + a]).sum::<f64>();
            let g = weight * (sigmoid(z) - f64::from(u8::from(y)));
            self.bias_g2[a] += g * g;
            self.bias[a] -= settings.rate * g / self.bias_g2[a].sqrt();
            for &f in feats {
                let k = f * n_areas + a;
                let grad = g + settings.l2 * self.w[k];
                self.g2[k] += grad * grad;
                self.w[k] -= settings.rate * grad / self.g2[k].sqrt();
            }
        }
    }

    /// Puts the biases and weights into the model as the table writes them (four decimals), so that the model
    /// measured is the model shipped; weights under [`PRUNE`] are left out.
    fn write_into(self, model: &mut LinearModel, index: &HashMap<String, usize>) {
        let n_areas = self.n_areas;
        let round = |x: f64| (x * 1e4).round() / 1e4;
        model.bias = self.bias.into_iter().map(round).collect();
        for (f, &i) in index {
            let ws: Vec<(usize, f64)> = (0..n_areas)
                .map(|a| (a, round(self.w[i * n_areas + a])))
                .filter(|(_, x)| x.abs() >= PRUNE)
                .collect();
            if !ws.is_empty() {
                model.weights.insert(f.clone(), ws);
            }
        }
    }
}

/// Counts of (provision, area) decisions against the labels.
#[derive(Debug, Default, Clone)]
pub struct Scores {
    /// Provisions scored.
    pub provisions: usize,
    /// Per area: true positives, false positives, false negatives.
    pub areas: BTreeMap<String, (usize, usize, usize)>,
}

impl Scores {
    /// Adds one provision's predicted and labelled areas.
    pub fn add(&mut self, got: &BTreeSet<String>, want: &BTreeSet<String>) {
        self.provisions += 1;
        for a in got.union(want) {
            let e = self.areas.entry(a.clone()).or_default();
            match (got.contains(a), want.contains(a)) {
                (true, true) => e.0 += 1,
                (true, false) => e.1 += 1,
                _ => e.2 += 1,
            }
        }
    }

    /// Micro precision, recall and F1.
    pub fn micro(&self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = self
            .areas
            .values()
            .fold((0, 0, 0), |s, v| (s.0 + v.0, s.1 + v.1, s.2 + v.2));
        prf(tp, fp, fn_)
    }

    /// The mean F1 of the areas that have a label or a prediction.
    pub fn macro_f1(&self) -> f64 {
        let f1s: Vec<f64> = self
            .areas
            .values()
            .map(|&(tp, fp, fn_)| prf(tp, fp, fn_).2)
            .collect();
        f1s.iter().sum::<f64>() / f1s.len().max(1) as f64
    }
}

/// Precision, recall and F1 from counts.
pub fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// The areas a model (with the shipped rules) gives an example.
pub fn predict(e: &Example, lex: &Lexicon, model: &LinearModel) -> BTreeSet<String> {
    classify_with(&e.text, &e.kind, e.lang, lex, model)
        .into_iter()
        .map(|h| h.area)
        .collect()
}

/// Scores a model on examples, per language.
pub fn evaluate(
    examples: &[&Example],
    lex: &Lexicon,
    model: &LinearModel,
) -> BTreeMap<Lang, Scores> {
    let mut out: BTreeMap<Lang, Scores> = BTreeMap::new();
    for e in examples {
        out.entry(e.lang)
            .or_default()
            .add(&predict(e, lex, model), &e.areas);
    }
    out
}

/// A model fitted without one region, and that region's examples.
#[derive(Debug)]
pub struct Fold<'a> {
    /// The region left out.
    pub region: String,
    /// The model fitted on the other regions.
    pub model: LinearModel,
    /// The left-out region's examples.
    pub examples: Vec<&'a Example>,
}

/// Leave-one-region-out cross-validation on the training examples: for each region, a model fitted on the others.
pub fn folds<'a>(examples: &[&'a Example], settings: &Settings, lex: &Lexicon) -> Vec<Fold<'a>> {
    // Only the country's regions are left out: a shipped region's fold would not be scored.
    let regions: BTreeSet<&str> = examples
        .iter()
        .filter(|e| !e.is_shipped())
        .map(|e| e.region.as_str())
        .collect();
    regions
        .into_iter()
        .map(|region| {
            let train: Vec<&Example> = examples
                .iter()
                .copied()
                .filter(|e| e.region != region)
                .collect();
            Fold {
                region: region.to_string(),
                model: fit(&train, settings, lex),
                examples: examples
                    .iter()
                    .copied()
                    .filter(|e| e.region == region)
                    .collect(),
            }
        })
        .collect()
}

/// The scores of each fold's model on its left-out region, at a threshold, per fold and language. Only the
/// country's examples are scored: the model is chosen for documents like those it will meet, while the shipped
/// regulations' examples are trained on.
pub fn fold_scores(
    folds: &mut [Fold<'_>],
    threshold: f64,
    lex: &Lexicon,
) -> Vec<BTreeMap<Lang, Scores>> {
    folds
        .iter_mut()
        .map(|fold| {
            fold.model.threshold = threshold;
            let mut out: BTreeMap<Lang, Scores> = BTreeMap::new();
            for e in fold.examples.iter().filter(|e| !e.is_shipped()) {
                out.entry(e.lang)
                    .or_default()
                    .add(&predict(e, lex, &fold.model), &e.areas);
            }
            out
        })
        .collect()
}

/// Scores summed over folds (or any parts), per language.
pub fn pooled<'s>(
    parts: impl IntoIterator<Item = &'s BTreeMap<Lang, Scores>>,
) -> BTreeMap<Lang, Scores> {
    let mut out: BTreeMap<Lang, Scores> = BTreeMap::new();
    for part in parts {
        for (lang, s) in part {
            let o = out.entry(*lang).or_default();
            o.provisions += s.provisions;
            for (area, (tp, fp, fn_)) in &s.areas {
                let e = o.areas.entry(area.clone()).or_default();
                *e = (e.0 + tp, e.1 + fp, e.2 + fn_);
            }
        }
    }
    out
}

/// Each fold's scores at each threshold tried: `[threshold][fold]`.
pub type ThresholdScores = Vec<(f64, Vec<BTreeMap<Lang, Scores>>)>;

/// The threshold of each area that gives it the best F1 on the folds (both languages' counts together), leaving
/// out fold `skip`; an area no threshold changes, or none beats, keeps `global`.
pub fn area_thresholds(
    by_threshold: &ThresholdScores,
    global: f64,
    skip: Option<usize>,
) -> BTreeMap<String, f64> {
    let counts = |t: usize, area: &str| -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for (i, fold) in by_threshold[t].1.iter().enumerate() {
            if Some(i) == skip {
                continue;
            }
            for s in fold.values() {
                if let Some((tp, fp, fn_)) = s.areas.get(area) {
                    c = (c.0 + tp, c.1 + fp, c.2 + fn_);
                }
            }
        }
        c
    };
    let areas: BTreeSet<&String> = by_threshold
        .iter()
        .flat_map(|(_, folds)| {
            folds
                .iter()
                .flat_map(|f| f.values().flat_map(|s| s.areas.keys()))
        })
        .collect();
    let Some(at_global) = by_threshold.iter().position(|(t, _)| *t == global) else {
        return BTreeMap::new();
    };
    let f1 = |t: usize, area: &str| {
        let (tp, fp, fn_) = counts(t, area);
        prf(tp, fp, fn_).2
    };
    areas
        .into_iter()
        .filter_map(|area| {
            let best =
                (0..by_threshold.len()).max_by(|&a, &b| f1(a, area).total_cmp(&f1(b, area)))?;
            (f1(best, area) > f1(at_global, area) + 1e-9)
                .then(|| (area.clone(), by_threshold[best].0))
        })
        .collect()
}

/// What areas' own thresholds would score, measured honestly: each fold is scored at thresholds chosen on the other
/// folds alone.
pub fn nested_area_scores(by_threshold: &ThresholdScores, global: f64) -> BTreeMap<Lang, Scores> {
    let Some(at_global) = by_threshold.iter().position(|(t, _)| *t == global) else {
        return BTreeMap::new();
    };
    let folds = by_threshold[at_global].1.len();
    let mut parts = Vec::new();
    for r in 0..folds {
        let chosen = area_thresholds(by_threshold, global, Some(r));
        let mut part = by_threshold[at_global].1[r].clone();
        for (area, t) in &chosen {
            let Some(at) = by_threshold.iter().position(|(x, _)| x == t) else {
                continue;
            };
            for (lang, s) in &mut part {
                let own = by_threshold[at].1[r]
                    .get(lang)
                    .and_then(|o| o.areas.get(area))
                    .copied();
                match own {
                    Some(c) => {
                        s.areas.insert(area.clone(), c);
                    }
                    None => {
                        s.areas.remove(area);
                    }
                }
            }
        }
        parts.push(part);
    }
    pooled(&parts)
}

/// The mean of the languages' micro F1.
pub fn mean_f1(scores: &BTreeMap<Lang, Scores>) -> f64 {
    scores.values().map(|s| s.micro().2).sum::<f64>() / scores.len().max(1) as f64
}

/// One setting of the grid, with its cross-validated scores at its best threshold.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The settings (with the chosen threshold).
    pub settings: Settings,
    /// The scores of leaving each training region out in turn, per language.
    pub cv: BTreeMap<Lang, Scores>,
    /// The same with areas' own thresholds, each fold scored at thresholds chosen on the others.
    pub area_cv: BTreeMap<Lang, Scores>,
    /// The areas' own thresholds chosen on all the folds.
    pub area_thresholds: BTreeMap<String, f64>,
}

impl Candidate {
    /// Whether areas' own thresholds scored better than the one threshold when left-out folds measured them.
    pub fn uses_area_thresholds(&self) -> bool {
        !self.area_thresholds.is_empty() && mean_f1(&self.area_cv) > mean_f1(&self.cv)
    }
}

/// What training found: the figures by which the model was chosen and those of the held-out part.
#[derive(Debug)]
pub struct TrainingReport {
    /// The training examples per language.
    pub trained_on: BTreeMap<Lang, usize>,
    /// The training regions.
    pub regions: BTreeSet<String>,
    /// The held-out examples per language.
    pub held_out_examples: BTreeMap<Lang, usize>,
    /// How the country's labels found their provisions.
    pub pairing: Pairing,
    /// The rules alone, cross-validated as the model is (they do not learn, so this is their score on the training
    /// regions).
    pub rules_cv: BTreeMap<Lang, Scores>,
    /// Every setting tried.
    pub candidates: Vec<Candidate>,
    /// The one chosen (best mean cross-validated micro F1).
    pub chosen: usize,
    /// The rules alone on the held-out part.
    pub held_out_rules: BTreeMap<Lang, Scores>,
    /// The chosen model, fitted on all the training examples, on the held-out part.
    pub held_out_model: BTreeMap<Lang, Scores>,
    /// The chosen model, fitted on all the training examples.
    pub model: LinearModel,
}

/// The settings tried by default: stem lengths, with and without stem pairs and the rules' areas.
pub fn grid() -> Vec<Settings> {
    let mut out = Vec::new();
    for stem in [5, 6] {
        for bigrams in [false, true] {
            for rules in [false, true] {
                out.push(Settings {
                    stem,
                    bigrams,
                    rules,
                    ..Settings::default()
                });
            }
        }
    }
    out
}

/// The thresholds tried for each setting.
const THRESHOLDS: &[f64] = &[0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];

/// Trains the competence model from the labels under the data folder `data`: reads the examples, tries every
/// setting of `grid` by leaving one training region out at a time, fits the best on all the training examples, and
/// measures it (and the rules alone) on the held-out part.
pub fn train(data: &Path, lex: &Lexicon, grid: &[Settings]) -> Result<TrainingReport, TrainError> {
    let (country, pairing) = country_examples(data, lex)?;
    let shipped = shipped_examples(data)?;
    let all: Vec<&Example> = country.iter().chain(&shipped).collect();
    let training: Vec<&Example> = all.iter().copied().filter(|e| !e.held_out).collect();
    let held_out: Vec<&Example> = all.iter().copied().filter(|e| e.held_out).collect();
    let count = |xs: &[&Example]| {
        let mut m: BTreeMap<Lang, usize> = BTreeMap::new();
        for e in xs {
            *m.entry(e.lang).or_default() += 1;
        }
        m
    };
    let none = LinearModel::default();
    let mut candidates = Vec::new();
    for settings in grid {
        let mut folds = folds(&training, settings, lex);
        let by_threshold: ThresholdScores = THRESHOLDS
            .iter()
            .map(|&t| (t, fold_scores(&mut folds, t, lex)))
            .collect();
        let (threshold, cv) = by_threshold
            .iter()
            .map(|(t, parts)| (*t, pooled(parts)))
            .max_by(|a, b| mean_f1(&a.1).total_cmp(&mean_f1(&b.1)))
            .unwrap_or((settings.threshold, BTreeMap::new()));
        candidates.push(Candidate {
            settings: Settings {
                threshold,
                ..settings.clone()
            },
            area_cv: nested_area_scores(&by_threshold, threshold),
            area_thresholds: area_thresholds(&by_threshold, threshold, None),
            cv,
        });
    }
    let chosen = (0..candidates.len())
        .max_by(|&a, &b| mean_f1(&candidates[a].cv).total_cmp(&mean_f1(&candidates[b].cv)))
        .unwrap_or(0);
    let model = match candidates.get(chosen) {
        Some(c) => {
            let mut m = fit(&training, &c.settings, lex);
            // Areas' own thresholds only where choosing them on some folds scored better on the fold left out.
            if c.uses_area_thresholds() {
                m.area_thresholds = c
                    .area_thresholds
                    .iter()
                    .filter(|(a, _)| m.areas.contains(a))
                    .map(|(a, t)| (a.clone(), *t))
                    .collect();
            }
            m
        }
        None => LinearModel::default(),
    };
    Ok(TrainingReport {
        trained_on: count(&training),
        regions: training.iter().map(|e| e.region.clone()).collect(),
        held_out_examples: count(&held_out),
        pairing,
        rules_cv: evaluate(
            &training
                .iter()
                .copied()
                .filter(|e| !e.is_shipped())
                .collect::<Vec<_>>(),
            lex,
            &none,
        ),
        held_out_rules: evaluate(&held_out, lex, &none),
        held_out_model: evaluate(&held_out, lex, &model),
        candidates,
        chosen,
        model,
    })
}

impl TrainingReport {
    /// The report as text: the examples, every setting's cross-validated figures, the held-out figures of the rules
    /// and of the chosen model, and its per-area table.
    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let langs = |m: &BTreeMap<Lang, usize>| {
            m.iter()
                .map(|(l, n)| format!("{n} {}", l.tag()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "examples: training {} from {} regions; held-out {}; country labels paired {}, not found {}",
            langs(&self.trained_on),
            self.regions.len(),
            langs(&self.held_out_examples),
            self.pairing.paired,
            self.pairing.unpaired
        );
        let _ = writeln!(
            out,
            "rules alone on the country's training regions: {}",
            figures(&self.rules_cv)
        );
        self.settings_text(&mut out);
        let _ = writeln!(
            out,
            "held-out, rules alone: {}",
            figures(&self.held_out_rules)
        );
        let _ = writeln!(
            out,
            "held-out, chosen model: {}",
            figures(&self.held_out_model)
        );
        for (l, s) in &self.held_out_model {
            let _ = writeln!(out, "held-out per area ({}):", l.tag());
            for (area, &(tp, fp, fn_)) in &s.areas {
                let (p, r, f) = prf(tp, fp, fn_);
                let _ = writeln!(
                    out,
                    "  {area:<34} tp {tp:>3} fp {fp:>3} fn {fn_:>3}  P {p:.3} R {r:.3} F1 {f:.3}"
                );
            }
        }
        out
    }

    /// Every setting's cross-validated figures, with and without areas' own thresholds, and the thresholds used.
    fn settings_text(&self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = writeln!(out, "leaving out one country training region at a time, per setting (at its best threshold):");
        for (i, c) in self.candidates.iter().enumerate() {
            let s = &c.settings;
            let _ = writeln!(
                out,
                "  {} stem {} bigrams {} rules {} threshold {:.2}: {}",
                if i == self.chosen { "*" } else { " " },
                s.stem,
                s.bigrams,
                s.rules,
                s.threshold,
                figures(&c.cv)
            );
            let _ = writeln!(
                out,
                "      with areas' own thresholds{}: {}",
                if i == self.chosen && c.uses_area_thresholds() {
                    " (used)"
                } else {
                    ""
                },
                figures(&c.area_cv)
            );
        }
        if let Some(c) = self.candidates.get(self.chosen) {
            let mut own: Vec<String> = self
                .model
                .area_thresholds
                .iter()
                .map(|(a, t)| format!("{a} {t:.2}"))
                .collect();
            own.sort();
            if !own.is_empty() {
                let _ = writeln!(
                    out,
                    "areas' own thresholds (the others {:.2}): {}",
                    c.settings.threshold,
                    own.join(", ")
                );
            }
        }
    }
}

/// Micro and macro figures per language, on one line.
fn figures(m: &BTreeMap<Lang, Scores>) -> String {
    m.iter()
        .map(|(l, s)| {
            let (p, r, f) = s.micro();
            format!(
                "{}: micro P {p:.3} R {r:.3} F1 {f:.3}, macro F1 {:.3}",
                l.tag(),
                s.macro_f1()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores of one language with one area's counts.
    fn one(area: &str, counts: (usize, usize, usize)) -> BTreeMap<Lang, Scores> {
        let mut s = Scores::default();
        s.areas.insert(area.to_string(), counts);
        BTreeMap::from([(Lang::Ru, s)])
    }

    #[test]
    fn fits_in_other_orders_differ_and_their_average_is_their_mean() {
        let rows: Vec<Encoded> = vec![
            (vec![0], vec![true], 1.0),
            (vec![1], vec![false], 1.0),
            (vec![0, 1], vec![true], 1.0),
            (vec![1, 2], vec![false], 1.0),
        ];
        let s = Settings {
            epochs: 3,
            ..Settings::default()
        };
        let fit = |seed| {
            let mut f = AdaGrad::new(3, vec![0.0]);
            f.train(&rows, &s, seed);
            f
        };
        let (a, b) = (fit(0), fit(1));
        assert_ne!(a.w, b.w);
        let mut avg = fit(0);
        avg.add(&b);
        avg.scale(0.5);
        for i in 0..3 {
            assert!((avg.w[i] - (a.w[i] + b.w[i]) / 2.0).abs() < 1e-12);
        }
        assert!((avg.bias[0] - (a.bias[0] + b.bias[0]) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn an_area_takes_its_own_threshold_only_where_it_scores_better_and_left_out_folds_are_scored_apart(
    ) {
        // Two folds, two thresholds: `coordination` loses its false positives at 0.5 in the first fold only, and
        // loses true positives there in the second; `religion` is the same at both.
        let by_threshold: ThresholdScores = vec![
            (
                0.3,
                vec![
                    one("coordination", (8, 6, 0)),
                    one("coordination", (8, 0, 0)),
                ],
            ),
            (
                0.5,
                vec![
                    one("coordination", (8, 0, 0)),
                    one("coordination", (5, 0, 3)),
                ],
            ),
        ];
        let all = area_thresholds(&by_threshold, 0.3, None);
        assert_eq!(all, BTreeMap::from([("coordination".to_string(), 0.5)]));
        let religion: ThresholdScores = vec![
            (0.3, vec![one("religion", (2, 1, 1))]),
            (0.5, vec![one("religion", (2, 1, 1))]),
        ];
        assert!(area_thresholds(&religion, 0.3, None).is_empty());
        // Nested: fold 0 is scored at what fold 1 alone chooses (0.3: 8 0 0 beats 5 0 3), fold 1 at what fold 0
        // chooses (0.5), so the left-out figures are (8, 6, 0) + (5, 0, 3).
        let nested = nested_area_scores(&by_threshold, 0.3);
        assert_eq!(nested[&Lang::Ru].areas["coordination"], (13, 6, 3));
    }
}
